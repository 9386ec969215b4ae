//! `wait`: poll until assets are Active or Failed (`Catalog::wait`: the one schedule, batched
//! per group and inside the limits).

use std::time::Duration;

use serde::Serialize;

use super::{Ctx, EXIT_FAILED, EXIT_TIMEOUT, Failure, output};
use crate::api::model::{AssetError, Status, asset_reference};
use crate::text;

/// One line of `wait`'s output.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Outcome {
    id: String,
    reference: String,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<AssetError>,
}

/// Polls until every asset in `ids` is Active or Failed, or `timeout` passes.
pub(super) async fn run(ctx: &Ctx, ids: &[String], timeout: Duration) -> Result<u8, Failure> {
    for id in ids {
        crate::validate::asset_id(id)?;
    }
    let known = ctx.catalog.wait(ids, timeout).await?;
    let outcomes: Vec<Outcome> = ids
        .iter()
        .filter_map(|id| known.get(id))
        .map(|a| Outcome {
            id: a.id.clone(),
            reference: asset_reference(&a.id),
            status: a.status,
            error: a.error.clone(),
        })
        .collect();
    ctx.show(&outcomes, |outcomes| {
        for o in outcomes {
            match &o.error {
                Some(e) => output::line(format_args!(
                    "{}  {}  {}: {}",
                    text::visible(&o.reference),
                    o.status,
                    text::visible(&e.code),
                    text::visible(&e.message)
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
