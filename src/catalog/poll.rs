//! The status poller: what changed among a group's Processing assets, in as few requests as the
//! API allows, and how often to ask.
//!
//! Domestic: one `ListAssets` of the group sorted by UpdateTime, newest first. An asset that
//! changed since it was last seen has a newer UpdateTime than any pending asset had, so paging
//! stops at the first item older than the oldest pending asset: usually one request finds every
//! transition of the group, however many assets are Processing. Global (no listing): one
//! GetAsset per Processing asset.

use std::time::Duration;

use crate::api::model::*;
use crate::api::paging::Cursor;
use crate::api::{ApiError, AssetsApi, ErrorKind};

/// Polling interval while assets are changing (the seed's GetAsset loop used 3 s, too).
pub const POLL_MIN: Duration = Duration::from_secs(3);
/// Longest interval, reached by doubling while nothing changes.
pub(crate) const POLL_MAX: Duration = Duration::from_secs(12);

/// The next interval: back to [`POLL_MIN`] after a change, doubled (up to [`POLL_MAX`]) after a
/// quiet poll.
pub fn next_interval(current: Duration, changed: bool) -> Duration {
    if changed {
        POLL_MIN
    } else {
        (current * 2).clamp(POLL_MIN, POLL_MAX)
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
/// (typed) that still exists; others in the answer may come along.
pub async fn poll(
    api: &dyn AssetsApi,
    filter: &AssetFilter,
    pending: &[Pending],
) -> Result<Vec<Asset>, ApiError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_backs_off_when_quiet_and_resets_on_change() {
        let mut i = POLL_MIN;
        let mut seen = Vec::new();
        for _ in 0..4 {
            i = next_interval(i, false);
            seen.push(i.as_secs());
        }
        assert_eq!(seen, [6, 12, 12, 12]);
        assert_eq!(next_interval(i, true), POLL_MIN);
    }
}
