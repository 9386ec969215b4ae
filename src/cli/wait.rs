//! `wait`: poll until assets are Active or Failed, batched per group and inside the limits.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::{Ctx, EXIT_FAILED, EXIT_TIMEOUT, Failure, output};
use crate::api::AssetsApi;
use crate::api::model::{Asset, Status, asset_reference};
use crate::catalog::poll::{self as poller, Pending};
use crate::text;

/// One line of `wait`'s output.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Outcome {
    id: String,
    reference: String,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Polls until every asset in `ids` is Active or Failed, or `timeout` passes.
pub(super) async fn run(ctx: &Ctx, ids: &[String], timeout: Duration) -> Result<u8, Failure> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut known: BTreeMap<String, Asset> = BTreeMap::new();
    for id in ids {
        crate::validate::asset_id(id)?;
    }
    for id in ids {
        known.insert(id.clone(), ctx.api().get_asset(id).await?);
    }
    let mut interval = poller::POLL_MIN;
    loop {
        let pending: Vec<Asset> = known
            .values()
            .filter(|a| a.status == Status::Processing)
            .cloned()
            .collect();
        if pending.is_empty() || tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(interval.min(deadline - tokio::time::Instant::now())).await;
        // One batch per group: the same poll the TUI uses.
        let mut by_group: BTreeMap<String, Vec<Pending>> = BTreeMap::new();
        for a in &pending {
            by_group
                .entry(a.group_id.clone())
                .or_default()
                .push(a.into());
        }
        let mut changed = false;
        for (group, ids) in by_group {
            for mut asset in ctx.catalog.poll(&group, &ids).await? {
                if asset.group_id.is_empty() {
                    asset.group_id = group.clone();
                }
                changed |= known
                    .get(&asset.id)
                    .is_some_and(|a| a.status != asset.status);
                known.insert(asset.id.clone(), asset);
            }
        }
        interval = poller::next_interval(interval, changed);
    }
    let outcomes: Vec<Outcome> = ids
        .iter()
        .filter_map(|id| known.get(id))
        .map(|a| Outcome {
            id: a.id.clone(),
            reference: asset_reference(&a.id),
            status: a.status,
            error: a
                .error
                .as_ref()
                .map(|e| format!("{}: {}", e.code, e.message)),
        })
        .collect();
    ctx.show(&outcomes, |outcomes| {
        for o in outcomes {
            match &o.error {
                Some(e) => output::line(format_args!(
                    "{}  {}  {}",
                    text::visible(&o.reference),
                    o.status,
                    text::visible(e)
                )),
                None => output::line(format_args!(
                    "{}  {}",
                    text::visible(&o.reference),
                    o.status
                )),
            }
        }
    });
    Ok(if outcomes.iter().any(|o| o.status == Status::Failed) {
        EXIT_FAILED
    } else if outcomes.iter().any(|o| o.status != Status::Active) {
        EXIT_TIMEOUT
    } else {
        0
    })
}
