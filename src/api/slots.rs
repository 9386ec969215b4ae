//! The client's creation slots: a CreateAsset waits while this client has the service's
//! maximum of assets Processing, and checks which of them finished while it waits.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use super::client::Client;
use super::endpoint::Endpoint;
use super::limits;
use super::model::{Action, Asset, AssetFilter, ById, GroupType, ListAssets, Page, Paging, Status};
use super::{ApiResult, paging};

/// The share of an action's rate that the checks of waiting creators may use; the rest is left
/// to this client's other requests of that action (a poller, a `wait`). A check of one listing
/// is due every 50 ms (20 a second of the 30 ListAssets allowed), one of two listings every
/// 100 ms, one of 30 GetAssets (global) every 450 ms. A freed slot wakes its waiter at once;
/// the spacing bounds how late a finished asset is noticed (half of it on average).
const CHECK_SHARE: f64 = 2.0 / 3.0;

/// Slots never seen leaving Processing are freed after this long.
const SLOT_EXPIRY: Duration = Duration::from_secs(15 * 60);

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
    fn due(&self, now: Instant) -> bool {
        self.next.is_none_or(|next| now >= next)
    }

    /// When the next check is due, once one was made (else `now`).
    fn next(&self, now: Instant) -> Instant {
        self.next.unwrap_or(now)
    }

    /// A check that started at `started` sent `requests` of `action`: the next is due once
    /// they fit in [`CHECK_SHARE`] of the action's rate (at least one request's time). It is
    /// counted from when this check was due, not from when it started or ended, so that a
    /// late wake-up (a timer, a busy machine) or the check's own time is not added to every
    /// interval; a check that started more than one interval late (after nobody waited)
    /// starts the count again.
    fn checked(&mut self, started: Instant, action: Action, requests: u32) {
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
    fn kinds_to_list<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Vec<GroupType> {
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
    fn learn(&mut self, held: &[(String, String)], kind: GroupType, listed: &[Asset]) {
        for a in listed {
            if held.iter().any(|(_, group)| *group == a.group_id) {
                self.kinds.insert(a.group_id.clone(), kind);
            }
        }
        self.kinds
            .retain(|group, _| held.iter().any(|(_, g)| g == group));
    }
}

impl Client {
    /// Takes a creation slot, waiting while this client has the service's maximum of assets
    /// Processing. While waiting it checks which of them finished, one shared check at a time
    /// on the schedule of [`SlotChecks`].
    pub(super) async fn creation_slot(&self) -> limits::Slot {
        let slots = self.limits.creations();
        loop {
            if let Some(slot) = slots.try_take() {
                return slot;
            }
            slots.expire(SLOT_EXPIRY);
            let next = {
                let mut checks = self.slot_checks.lock().await;
                let now = Instant::now();
                if checks.due(now) {
                    let (action, requests) = self.refresh_processing(&mut checks).await;
                    checks.checked(now, action, requests);
                }
                checks.next(now)
            };
            if let Some(slot) = slots.take_until(next).await {
                return slot;
            }
        }
    }

    /// Frees the slots of assets that left Processing: ListAssets(Statuses=[Processing]) of
    /// the kinds of group held (domestic), or GetAsset per held asset (global). Answers the
    /// action and how many requests of it were sent.
    async fn refresh_processing(&self, checks: &mut SlotChecks) -> (Action, u32) {
        let held = self.limits.creations().held();
        if let Endpoint::Global(_) = &*self.endpoint {
            for (id, _) in &held {
                // Observed as it is read.
                let _ = self.get_observed(id).await;
            }
            return (Action::GetAsset, held.len() as u32);
        }
        let mut sent = 0;
        let mut processing = Vec::new();
        for kind in checks.kinds_to_list(held.iter().map(|(_, group)| group.as_str())) {
            let filter = AssetFilter {
                statuses: Some(vec![Status::Processing]),
                group_type: Some(kind),
                ..Default::default()
            };
            let listing = paging::read(
                paging::Cursor::FIRST,
                u32::MAX,
                |at| {
                    sent += 1;
                    let req = ListAssets {
                        filter: Some(filter.clone()),
                        paging: Paging::at(&at),
                    };
                    async move { self.call::<_, Page<Asset>>(Action::ListAssets, &req).await }
                },
                |_| false,
            );
            // A check that fails or is cut short frees nothing: slots expire.
            match listing.await {
                Ok(listing) if listing.stopped.is_none() => {
                    checks.learn(&held, kind, &listing.items);
                    processing.extend(listing.items.into_iter().map(|a| a.id));
                }
                _ => return (Action::ListAssets, sent),
            }
        }
        for (id, _) in held {
            self.limits
                .creations()
                .observe(&id, processing.contains(&id));
        }
        (Action::ListAssets, sent)
    }

    /// Frees creation slots of assets seen out of Processing.
    pub(super) fn observe(&self, assets: &[Asset]) {
        for a in assets {
            self.limits
                .creations()
                .observe(&a.id, a.status == Status::Processing);
        }
    }

    /// GetAsset, its answer observed (its creation slot freed once it left Processing).
    pub(super) async fn get_observed(&self, id: &str) -> ApiResult<Asset> {
        let asset: Asset = self.call(Action::GetAsset, &ById { id: id.into() }).await?;
        self.observe(std::slice::from_ref(&asset));
        Ok(asset)
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
