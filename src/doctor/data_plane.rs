//! The check of the Seedance data plane (the `tasks`): one listing of the recent tasks.

use std::time::Duration;

use super::Check;
use crate::seedance::{FailureKind, Seedance, SeedanceOptions, TaskQuery};

/// The longest wait for the listing's answer.
const LIST_TIMEOUT: Duration = Duration::from_secs(10);
/// Tasks asked for: the check needs an answer, not the listing.
const PAGE_SIZE: u32 = 10;

/// With an ark API key (`seedance`), one page of the recent tasks asked for, once (one request,
/// not tried again, bounded by [`LIST_TIMEOUT`]): accepted, or the error with its request id;
/// without one, what the tasks need and where it is set.
pub async fn data_plane(seedance: Option<&Seedance>) -> Check {
    let Some(seedance) = seedance else {
        return Check::info(
            "data plane",
            "none: the Seedance tasks (`tasks`, the TUI's g and T) need an ark API key; set \
             `ark_api_key` in the profile (`ark-assets config init` asks for it) or ARK_API_KEY \
             (a gateway's profile needs `data_endpoint` too)",
        );
    };
    let once = seedance.clone().with_options(SeedanceOptions {
        call_timeout: LIST_TIMEOUT,
        read_attempts: 1,
        ..SeedanceOptions::default()
    });
    let query = TaskQuery {
        page_num: 1,
        page_size: PAGE_SIZE,
        ..TaskQuery::default()
    };
    let base = seedance.base();
    match once.list(&query).await {
        Ok(page) => {
            let listed = match page.total {
                Some(n) => format!("{n} in the last 7 days"),
                None => format!("a page of {}", page.items.len()),
            };
            Check::pass(
                "data plane",
                format!("{base}: the recent tasks listed ({listed})"),
            )
        }
        Err(e) => {
            let next = match (e.kind, e.status) {
                (FailureKind::Service, Some(401 | 403)) => {
                    "check the ark API key (`ark_api_key` or ARK_API_KEY): the data plane's \
                     Bearer key from the console's API keys, of the assets' project, not the \
                     AK/SK"
                }
                (FailureKind::Connect | FailureKind::Lost, _) => {
                    "check `data_endpoint` (or the provider's), the network, and HTTPS_PROXY"
                }
                _ => "check `data_endpoint`: the data plane's base URL, ending in /api/v3",
            };
            Check::fail("data plane", format!("{base}: {e}"), next)
        }
    }
}
