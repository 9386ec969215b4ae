//! The status poller: what changed among Processing assets, in as few requests as the API
//! allows, and the one schedule every wait follows (`wait`, `assets create --wait`, the clean-up
//! after an import or a sync, the TUI's poller).
//!
//! A few Processing assets of a group ([`FEW`] or fewer) are read one by one (GetAsset, the
//! action with the higher rate). More, domestic: one `ListAssets` of the group sorted by
//! UpdateTime, newest first. An asset that changed since it was last seen has a newer UpdateTime
//! than any pending asset had, so paging stops at the first item older than the oldest pending
//! asset: usually one request finds every transition of the group, however many assets are
//! Processing. Global (no listing): one GetAsset per Processing asset. Every request passes the
//! client's per-action pacing.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::api::model::*;
use crate::api::paging::Cursor;
use crate::api::{ApiError, AssetsApi, ErrorKind};

/// Interval between polls while assets move, and until they have been quiet for
/// [`QUIET_AFTER`]: an asset is seen at most this late after it leaves Processing.
pub(crate) const POLL_EVERY: Duration = Duration::from_secs(1);
/// Nothing moved for this long: the interval starts doubling (up to [`POLL_MAX`]).
pub(crate) const QUIET_AFTER: Duration = Duration::from_secs(30);
/// Longest interval, after a long quiet or failed polls.
pub(crate) const POLL_MAX: Duration = Duration::from_secs(4);
/// Up to this many Processing assets of a group are read with one GetAsset each; more, with a
/// listing of the group.
pub(crate) const FEW: usize = 5;

/// When to poll next: every [`POLL_EVERY`] while anything moved in the last [`QUIET_AFTER`],
/// then doubling up to [`POLL_MAX`]; back to [`POLL_EVERY`] as soon as something moves. A failed
/// poll doubles the interval at once (a service in trouble is not hammered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    interval: Duration,
    quiet: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            interval: POLL_EVERY,
            quiet: Duration::ZERO,
        }
    }
}

impl Schedule {
    /// The wait before the next poll.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// After a poll that answered: `changed` if any asset's status moved. Answers the wait
    /// before the next poll.
    pub fn polled(&mut self, changed: bool) -> Duration {
        if changed {
            *self = Schedule::default();
        } else {
            self.quiet += self.interval;
            if self.quiet >= QUIET_AFTER {
                self.interval = (self.interval * 2).min(POLL_MAX);
            }
        }
        self.interval
    }

    /// After a poll that failed. Answers the wait before the next poll.
    pub fn failed(&mut self) -> Duration {
        self.quiet += self.interval;
        self.interval = (self.interval * 2).min(POLL_MAX);
        self.interval
    }

    /// Sleeps until the next poll is due, or until `deadline` if that comes first.
    pub async fn sleep(&self, deadline: Instant) {
        tokio::time::sleep_until((Instant::now() + self.interval).min(deadline)).await;
    }
}

/// An asset waited for, as last seen: all the poller needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Asset id.
    pub id: String,
    /// Its UpdateTime when last seen.
    pub update_time: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<&Asset> for Pending {
    fn from(a: &Asset) -> Self {
        Pending {
            id: a.id.clone(),
            update_time: a.update_time,
        }
    }
}

/// The current state of every asset in `pending` (as last seen) of the group `filter` names
/// (typed) that still exists; others in the answer may come along. [`FEW`] or fewer are read
/// one by one, more by listing the group.
pub async fn poll(
    api: &dyn AssetsApi,
    filter: &AssetFilter,
    pending: &[Pending],
) -> Result<Vec<Asset>, ApiError> {
    if pending.len() <= FEW {
        return get_each(api, pending).await;
    }
    let floor = pending.iter().map(|a| a.update_time).min().flatten();
    // Newest change first: the first page older than the oldest pending asset is the last.
    let reached_floor = |items: &[Asset]| match (floor, items.last().and_then(|a| a.update_time)) {
        (Some(floor), Some(oldest)) => oldest < floor,
        _ => false,
    };
    let order = (SortBy::UpdateTime, SortOrder::Desc);
    let listing = match super::listing::read(
        api,
        filter,
        Cursor::FIRST,
        u32::MAX,
        order,
        reached_floor,
    )
    .await
    {
        Ok(listing) => listing,
        Err(e) if e.kind == ErrorKind::Unsupported => return get_each(api, pending).await,
        Err(e) => return Err(e),
    };
    if let Some(why) = listing.warning() {
        tracing::warn!("status poll: {}", crate::text::visible(&why));
    }
    // Pending assets not in the pages are unchanged; deleted ones are gone from the group.
    let mut seen = listing.items;
    seen.retain(|a| pending.iter().any(|p| p.id == a.id));
    Ok(seen)
}

/// GetAsset for each pending asset; deleted assets are skipped.
async fn get_each(api: &dyn AssetsApi, pending: &[Pending]) -> Result<Vec<Asset>, ApiError> {
    let mut found = Vec::with_capacity(pending.len());
    for a in pending {
        match api.get_asset(&a.id).await {
            Ok(a) => found.push(a),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}

/// Polls on one [`Schedule`] until no asset of `known` (by id, as last seen) is Processing or
/// `deadline` passes (one last poll is made then), updating `known`. `poll_group` answers the
/// current state of one group's pending assets (see [`poll`]); one call per group and poll.
pub(crate) async fn wait_until_done(
    known: &mut BTreeMap<String, Asset>,
    deadline: Instant,
    mut poll_group: impl AsyncFnMut(&str, &[Pending]) -> Result<Vec<Asset>, ApiError>,
) -> Result<(), ApiError> {
    let mut schedule = Schedule::default();
    loop {
        let mut by_group: BTreeMap<String, Vec<Pending>> = BTreeMap::new();
        for a in known.values().filter(|a| a.status == Status::Processing) {
            by_group
                .entry(a.group_id.clone())
                .or_default()
                .push(a.into());
        }
        if by_group.is_empty() || Instant::now() >= deadline {
            return Ok(());
        }
        schedule.sleep(deadline).await;
        let mut changed = false;
        for (group, ids) in by_group {
            for mut asset in poll_group(&group, &ids).await? {
                if asset.group_id.is_empty() {
                    asset.group_id = group.clone();
                }
                changed |= known
                    .get(&asset.id)
                    .is_some_and(|a| a.status != asset.status);
                known.insert(asset.id.clone(), asset);
            }
        }
        schedule.polled(changed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;

    use super::*;
    use crate::api::ApiResult;

    /// A service on tokio's clock: asset `i` is Active once `done[i]` has passed since the start.
    struct Stub {
        start: Instant,
        done: Vec<Duration>,
        calls: Mutex<Vec<(Action, Duration)>>,
    }

    impl Stub {
        fn new(done: &[u64]) -> Stub {
            Stub {
                start: Instant::now(),
                done: done.iter().map(|ms| Duration::from_millis(*ms)).collect(),
                calls: Mutex::new(Vec::new()),
            }
        }

        fn asset(&self, i: usize) -> Asset {
            let mut a: Asset = serde_json::from_value(serde_json::json!({
                "Id": format!("asset-{i}"), "GroupId": "group-1", "Status": "Processing"
            }))
            .unwrap();
            let done = self.start.elapsed() >= self.done[i];
            let at = if done { self.done[i] } else { Duration::ZERO };
            a.update_time = Some(chrono::DateTime::UNIX_EPOCH + at);
            if done {
                a.status = Status::Active;
            }
            a
        }

        fn called(&self, action: Action) {
            let at = self.start.elapsed();
            self.calls.lock().unwrap().push((action, at));
        }

        /// When each call of `action` was made, in whole milliseconds since the start.
        fn times(&self, action: Action) -> Vec<u128> {
            let calls = self.calls.lock().unwrap();
            let of = calls.iter().filter(|(a, _)| *a == action);
            of.map(|(_, at)| at.as_millis()).collect()
        }

        /// Waits (on the paused clock) for every asset with `timeout`; answers when it returned.
        async fn wait(&self, timeout: Duration) -> (Duration, BTreeMap<String, Asset>) {
            let mut known = BTreeMap::new();
            for i in 0..self.done.len() {
                let id = format!("asset-{i}");
                known.insert(id.clone(), self.get_asset(&id).await.unwrap());
            }
            let filter = AssetFilter::group("group-1");
            let poll_group = async |_: &str, p: &[Pending]| poll(self, &filter, p).await;
            wait_until_done(&mut known, self.start + timeout, poll_group)
                .await
                .unwrap();
            (self.start.elapsed(), known)
        }
    }

    #[async_trait]
    impl AssetsApi for Stub {
        async fn create_asset_group(&self, _: &CreateAssetGroup) -> ApiResult<Created> {
            unreachable!("not polled")
        }
        async fn get_asset_group(&self, _: &str) -> ApiResult<AssetGroup> {
            unreachable!("not polled")
        }
        async fn list_asset_groups(&self, _: &ListAssetGroups) -> ApiResult<Page<AssetGroup>> {
            unreachable!("not polled")
        }
        async fn update_asset_group(&self, _: &UpdateAssetGroup) -> ApiResult<()> {
            unreachable!("not polled")
        }
        async fn delete_asset_group(&self, _: &str) -> ApiResult<()> {
            unreachable!("not polled")
        }
        async fn create_asset(&self, _: &CreateAsset) -> ApiResult<Created> {
            unreachable!("not polled")
        }
        async fn get_asset(&self, id: &str) -> ApiResult<Asset> {
            self.called(Action::GetAsset);
            let i: usize = id.trim_start_matches("asset-").parse().unwrap();
            Ok(self.asset(i))
        }
        async fn list_assets(&self, req: &ListAssets) -> ApiResult<Page<Asset>> {
            self.called(Action::ListAssets);
            assert_eq!(req.paging.sort_by, Some(SortBy::UpdateTime));
            let mut items: Vec<Asset> = (0..self.done.len()).map(|i| self.asset(i)).collect();
            items.sort_by_key(|a| std::cmp::Reverse(a.update_time));
            Ok(Page {
                total_count: Some(items.len() as u64),
                items,
                page_number: 1,
                page_size: MAX_PAGE_SIZE,
                next_token: None,
            })
        }
        async fn update_asset(&self, _: &UpdateAsset) -> ApiResult<()> {
            unreachable!("not polled")
        }
        async fn delete_asset(&self, _: &str) -> ApiResult<()> {
            unreachable!("not polled")
        }
        async fn create_visual_validate_session(
            &self,
            _: &CreateVisualValidateSession,
        ) -> ApiResult<VisualValidateSession> {
            unreachable!("not polled")
        }
        async fn get_visual_validate_result(&self, _: &str) -> ApiResult<VisualValidateResult> {
            unreachable!("not polled")
        }
    }

    fn seconds(range: std::ops::RangeInclusive<u128>) -> Vec<u128> {
        range.map(|s| s * 1000).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn one_asset_is_seen_within_a_second_of_turning_active() {
        let stub = Stub::new(&[3_900]);
        let (returned, known) = stub.wait(Duration::from_secs(60)).await;
        assert_eq!(known["asset-0"].status, Status::Active);
        assert_eq!(
            returned,
            Duration::from_secs(4),
            "3.9 s: seen by the poll at 4 s"
        );
        assert_eq!(stub.times(Action::GetAsset), [0, 1000, 2000, 3000, 4000]);
        assert!(stub.times(Action::ListAssets).is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn many_assets_are_polled_by_one_listing_a_second() {
        let done: Vec<u64> = (0..20).map(|i| 1_500 + i * 300).collect();
        let stub = Stub::new(&done);
        let (returned, known) = stub.wait(Duration::from_secs(60)).await;
        assert!(known.values().all(|a| a.status == Status::Active));
        // The last is Active at 7.2 s.
        assert_eq!(returned, Duration::from_secs(8));
        assert_eq!(stub.times(Action::ListAssets), seconds(1..=6));
        // At 6 s four are left: read one by one from then on.
        let mut gets = vec![0; 20];
        gets.extend([7000; 4]);
        gets.push(8000);
        assert_eq!(stub.times(Action::GetAsset), gets);
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_quiet_backs_off_and_the_timeout_bounds_it() {
        let stub = Stub::new(&[100_000]);
        let (returned, known) = stub.wait(Duration::from_secs(45)).await;
        assert_eq!(known["asset-0"].status, Status::Processing);
        assert_eq!(
            returned,
            Duration::from_secs(45),
            "the timeout, not a poll later"
        );
        let mut expected = vec![0];
        expected.extend(seconds(1..=30));
        expected.extend([32_000, 36_000, 40_000, 44_000, 45_000]);
        assert_eq!(stub.times(Action::GetAsset), expected);
    }

    #[tokio::test(start_paused = true)]
    async fn a_change_after_the_quiet_is_seen_late_then_polls_are_fast_again() {
        let stub = Stub::new(&[34_500, 120_000]);
        stub.wait(Duration::from_secs(40)).await;
        let mut polls = stub.times(Action::GetAsset);
        polls.dedup();
        // Quiet to 30 s, then 2 s and 4 s apart; the change seen at 36 s makes it 1 s again.
        let mut expected = seconds(0..=30);
        expected.extend(seconds(32..=32));
        expected.extend(seconds(36..=40));
        assert_eq!(polls, expected);
    }

    #[test]
    fn failed_polls_back_off_at_once_and_a_change_resets() {
        let mut s = Schedule::default();
        let waits: Vec<u64> = (0..4).map(|_| s.failed().as_secs()).collect();
        assert_eq!(waits, [2, 4, 4, 4]);
        assert_eq!(s.polled(true), POLL_EVERY);
        assert_eq!(s.polled(false), POLL_EVERY, "quiet only briefly");
    }
}
