//! [`SlotChecks`]: when the creators waiting for a creation slot check which of their assets
//! left Processing, and which kinds of group those checks list.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use super::model::{Action, Asset, GroupType};

/// The share of an action's rate that the checks of waiting creators may use; the rest is left
/// to this client's other requests of that action (a poller, a `wait`). A check of one listing
/// is due every 50 ms (20 a second of the 30 ListAssets allowed), one of two listings every
/// 100 ms, one of 30 GetAssets (global) every 450 ms. A freed slot wakes its waiter at once;
/// the spacing bounds how late a finished asset is noticed (half of it on average).
const CHECK_SHARE: f64 = 2.0 / 3.0;

/// When waiting creators check their slots next, and what the checks learned of the groups
/// created into. One check at a time, shared by every waiter.
#[derive(Debug, Default)]
pub(super) struct SlotChecks {
    /// When the next check is due (none: at once).
    next: Option<Instant>,
    /// The kind of each group a held asset is in, as a check's listing showed it: a check
    /// lists only the kinds of the groups held (both while one is unknown).
    kinds: HashMap<String, GroupType>,
}

impl SlotChecks {
    /// Whether a check is due at `now`.
    pub(super) fn due(&self, now: Instant) -> bool {
        self.next.is_none_or(|next| now >= next)
    }

    /// When the next check is due, once one was made (else `now`).
    pub(super) fn next(&self, now: Instant) -> Instant {
        self.next.unwrap_or(now)
    }

    /// A check that started at `started` sent `requests` of `action`: the next is due once
    /// they fit in [`CHECK_SHARE`] of the action's rate (at least one request's time). It is
    /// counted from when this check was due, not from when it started or ended, so that a
    /// late wake-up (a timer, a busy machine) or the check's own time is not added to every
    /// interval; a check that started more than one interval late (after nobody waited)
    /// starts the count again.
    pub(super) fn checked(&mut self, started: Instant, action: Action, requests: u32) {
        let per_second = f64::from(action.qps()) * CHECK_SHARE;
        let spacing = Duration::from_secs_f64(f64::from(requests.max(1)) / per_second);
        let from = match self.next {
            Some(due) if started.saturating_duration_since(due) < spacing => due,
            _ => started,
        };
        self.next = Some(from + spacing);
    }

    /// The kinds of group a check lists for assets held in `groups`: those of the groups, or
    /// every kind while one of them is not known.
    pub(super) fn kinds_to_list<'a>(
        &self,
        groups: impl IntoIterator<Item = &'a str>,
    ) -> Vec<GroupType> {
        let mut kinds = Vec::new();
        for group in groups {
            match self.kinds.get(group) {
                Some(kind) if !kinds.contains(kind) => kinds.push(*kind),
                Some(_) => {}
                None => return GroupType::ALL.to_vec(),
            }
        }
        GroupType::ALL
            .into_iter()
            .filter(|k| kinds.contains(k))
            .collect()
    }

    /// Learns the kind of the groups in `held` that a listing of `kind` showed assets of, and
    /// forgets the groups nothing is held in any more.
    pub(super) fn learn(&mut self, held: &[(String, String)], kind: GroupType, listed: &[Asset]) {
        for a in listed {
            if held.iter().any(|(_, group)| *group == a.group_id) {
                self.kinds.insert(a.group_id.clone(), kind);
            }
        }
        self.kinds
            .retain(|group, _| held.iter().any(|(_, g)| g == group));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn asset(id: &str, group: &str) -> Asset {
        serde_json::from_value(serde_json::json!({
            "Id": id, "GroupId": group, "Status": "Processing"
        }))
        .unwrap()
    }

    fn held(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(id, group)| (id.to_string(), group.to_string()))
            .collect()
    }

    #[test]
    fn checks_are_spaced_by_their_requests_within_a_share_of_the_rate() {
        let start = Instant::now();
        let mut checks = SlotChecks::default();
        assert!(checks.due(start), "the first check is due at once");
        assert_eq!(checks.next(start), start);
        checks.checked(start, Action::ListAssets, 1);
        assert_eq!(checks.next(start), start + 50 * MS, "20 a second of 30");
        assert!(!checks.due(start + 49 * MS));
        assert!(checks.due(start + 50 * MS));
        let mut two = SlotChecks::default();
        two.checked(start, Action::ListAssets, 2);
        assert_eq!(two.next(start), start + 100 * MS, "two listings");
        let mut global = SlotChecks::default();
        global.checked(start, Action::GetAsset, 30);
        assert_eq!(
            global.next(start),
            start + 450 * MS,
            "30 GETs of 100 a second"
        );
        let mut none = SlotChecks::default();
        none.checked(start, Action::ListAssets, 0);
        assert_eq!(none.next(start), start + 50 * MS, "never back to back");
    }

    #[test]
    fn a_late_start_is_not_added_to_the_interval() {
        let start = Instant::now();
        let mut checks = SlotChecks::default();
        checks.checked(start, Action::ListAssets, 1);
        // Woken 7 ms late, then 49 ms late: each next check stays on the 50 ms grid.
        checks.checked(start + 57 * MS, Action::ListAssets, 1);
        assert_eq!(checks.next(start), start + 100 * MS);
        checks.checked(start + 149 * MS, Action::ListAssets, 1);
        assert_eq!(checks.next(start), start + 150 * MS);
        // After a spell with nobody waiting, the count starts from the check.
        let later = start + Duration::from_secs(5);
        checks.checked(later, Action::ListAssets, 1);
        assert_eq!(checks.next(later), later + 50 * MS);
    }

    #[test]
    fn a_check_lists_the_kinds_held_once_it_learned_them() {
        let mut checks = SlotChecks::default();
        let in_cast = held(&[("asset-1", "group-cast"), ("asset-2", "group-cast")]);
        let groups = |h: &[(String, String)]| h.iter().map(|(_, g)| g.clone()).collect::<Vec<_>>();
        let kinds = |c: &SlotChecks, h: &[(String, String)]| {
            c.kinds_to_list(groups(h).iter().map(String::as_str))
        };
        assert_eq!(kinds(&checks, &in_cast), GroupType::ALL, "not known yet");
        assert!(
            kinds(&checks, &[]).is_empty(),
            "nothing held, nothing listed"
        );
        // Another account's asset in the listing teaches nothing.
        let listed = [
            asset("asset-1", "group-cast"),
            asset("asset-9", "group-else"),
        ];
        checks.learn(&in_cast, GroupType::Aigc, &listed);
        checks.learn(&in_cast, GroupType::LivenessFace, &[]);
        assert_eq!(kinds(&checks, &in_cast), [GroupType::Aigc]);
        assert!(!checks.kinds.contains_key("group-else"));
        // A held asset of a group not seen yet: both kinds again.
        let mixed = held(&[("asset-1", "group-cast"), ("asset-3", "group-me")]);
        assert_eq!(kinds(&checks, &mixed), GroupType::ALL);
        checks.learn(
            &mixed,
            GroupType::LivenessFace,
            &[asset("asset-3", "group-me")],
        );
        assert_eq!(
            kinds(&checks, &mixed),
            [GroupType::Aigc, GroupType::LivenessFace]
        );
        // Groups nothing is held in any more are forgotten.
        let only_me = held(&[("asset-3", "group-me")]);
        checks.learn(&only_me, GroupType::LivenessFace, &[]);
        assert_eq!(checks.kinds.keys().collect::<Vec<_>>(), ["group-me"]);
    }
}
