//! The status poller: what changed among a group's Processing assets, in as few requests as the
//! API allows.
//!
//! Domestic: one `ListAssets(Statuses=[Processing])` per group tells which assets are still
//! processing; only when some left that set, one more `ListAssets(Statuses=[Active, Failed])`
//! sorted by UpdateTime finds their new state (GetAsset only for stragglers). Global (no
//! listing): one GetAsset per Processing asset. The schedule (interval, back-off, stop) is in
//! `update`, so it is unit-tested with the rest of the state machine.

use crate::api::model::*;
use crate::api::{ApiError, AssetsApi, ErrorKind};

fn group_filter(group_id: &str, statuses: Vec<Status>) -> Option<AssetFilter> {
    Some(AssetFilter {
        group_ids: Some(vec![group_id.to_owned()]),
        statuses: Some(statuses),
        ..Default::default()
    })
}

/// The current state of every asset in `processing` that still exists.
pub async fn poll(
    api: &dyn AssetsApi,
    group_id: &str,
    processing: &[String],
) -> Result<Vec<Asset>, ApiError> {
    let mut seen = Vec::new();
    for page_number in 1.. {
        let page = match api
            .list_assets(&ListAssets {
                filter: group_filter(group_id, vec![Status::Processing]),
                paging: Paging {
                    page_number: Some(page_number),
                    page_size: Some(MAX_PAGE_SIZE),
                    ..Default::default()
                },
            })
            .await
        {
            Ok(page) => page,
            Err(e) if e.kind == ErrorKind::Unsupported => return get_each(api, processing).await,
            Err(e) => return Err(e),
        };
        let more = page.has_more();
        seen.extend(page.items);
        if !more {
            break;
        }
    }
    let mut left: Vec<&String> = processing
        .iter()
        .filter(|id| !seen.iter().any(|a| &a.id == *id))
        .collect();
    if !left.is_empty() {
        let recent = api
            .list_assets(&ListAssets {
                filter: group_filter(group_id, vec![Status::Active, Status::Failed]),
                paging: Paging {
                    page_number: Some(1),
                    page_size: Some(MAX_PAGE_SIZE),
                    sort_by: Some(SortBy::UpdateTime),
                    sort_order: Some(SortOrder::Desc),
                },
            })
            .await?;
        for asset in recent.items {
            if let Some(i) = left.iter().position(|id| **id == asset.id) {
                left.swap_remove(i);
                seen.push(asset);
            }
        }
    }
    let stragglers: Vec<String> = left.into_iter().cloned().collect();
    seen.extend(get_each(api, &stragglers).await?);
    Ok(seen)
}

/// GetAsset for each id; deleted assets are skipped.
async fn get_each(api: &dyn AssetsApi, ids: &[String]) -> Result<Vec<Asset>, ApiError> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        match api.get_asset(id).await {
            Ok(a) => found.push(a),
            Err(e) if e.code.starts_with("NotFound") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}
