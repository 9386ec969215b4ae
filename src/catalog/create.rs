//! Create-once: every asset creation is journalled in the ledger before it is sent, and a
//! create whose answer was lost is looked up before anything is sent again, at any number of
//! same-named assets.
//!
//! The only handle the API gives a client on an asset it may have created is its name, and many
//! assets may share one (`portrait.png` from a folder of URLs). So:
//! - sends of one (group, name) share a lock that a reconciliation takes alone: while it lists,
//!   no send of that name is in flight, so every same-named asset is either recorded in the
//!   ledger or belongs to an attempt whose answer was lost;
//! - the lookup pages the group's assets of that name by CreateTime, newest first, down to the
//!   attempt's start (on the service's clock), and claims one that no ledger entry owns, in one step;
//! - only when the listing is complete and finds nothing unclaimed is the create sent again;
//!   a listing that fails or is cut short keeps the attempt Pending and reports it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use tokio::sync::RwLock;

use crate::api::model::{Action, AssetFilter, CreateAsset, ListAssets, Paging, SortBy, SortOrder};
use crate::api::paging::Pager;
use crate::api::{ApiError, AssetsApi, ErrorKind};
use crate::ledger::{Entry, EntryState, Ledger};

/// Attempts before giving up on a create whose outcome stays unknown.
const ATTEMPTS: usize = 3;

/// How much earlier than the attempt's start, on the service's clock, its CreateTime may be:
/// `Date` headers (which tell the clocks' offset) have whole seconds, and the answer travels.
const CLOCK_SLACK: Duration = Duration::seconds(2);

/// The lock of one (group, name).
type NameLock = Arc<RwLock<()>>;

/// One lock per (group, name): sends share it, a reconciliation holds it alone.
#[derive(Debug, Default, Clone)]
pub struct NameLocks(Arc<Mutex<HashMap<(String, String), NameLock>>>);

impl NameLocks {
    fn get(&self, group: &str, name: &str) -> NameLock {
        let mut map = self.0.lock().expect("name locks are never poisoned");
        // Forget locks nobody holds, so the map stays as small as the work in flight.
        map.retain(|_, lock| Arc::strong_count(lock) > 1);
        map.entry((group.to_owned(), name.to_owned()))
            .or_default()
            .clone()
    }
}

/// A ledger write that failed, as the error of the create it was for.
pub(super) fn io_error(e: std::io::Error) -> ApiError {
    ApiError::local(
        Action::CreateAsset,
        ErrorKind::Malformed,
        "LedgerWriteFailed",
        format!("cannot write the ledger, so nothing was sent: {e}"),
    )
}

/// Creates an asset at most once per `key`, across crashes, timeouts and lost answers;
/// `object` names the uploaded object it is made from, if any.
///
/// A key already Created returns its id without sending anything. Before each send a Pending
/// entry is written; when the answer is lost (timeout, dropped connection, 500/502/504) the
/// asset is looked up (see the module docs) and only sent again when it surely does not exist.
pub async fn create_once(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    locks: &NameLocks,
    key: &str,
    group_label: &str,
    req: &CreateAsset,
    object: Option<&str>,
) -> Result<String, ApiError> {
    let name = req.name.clone().unwrap_or_default();
    // A presigned URL is a credential for a while: the ledger keeps it without its signature.
    let url = url::Url::parse(&req.url)
        .map(|u| crate::storage::redact(&u))
        .unwrap_or_else(|_| req.url.clone());
    let entry = |state, id: Option<String>, error: Option<String>, at| Entry {
        key: key.to_owned(),
        group: group_label.to_owned(),
        name: name.clone(),
        url: url.clone(),
        state,
        id,
        error,
        at,
        object: object.map(str::to_owned),
        cleaned: false,
    };
    let lock = locks.get(group_label, &name);
    if let Some(previous) = ledger.get(key) {
        match previous.state {
            EntryState::Created => {
                if let Some(id) = previous.id {
                    return Ok(id);
                }
            }
            EntryState::Pending => {
                let _alone = lock.write().await;
                if let Some(id) = reconcile(api, ledger, &previous).await? {
                    return Ok(id);
                }
            }
            EntryState::Failed => {}
        }
    }
    let mut last_error = None;
    for _ in 0..ATTEMPTS {
        let at = Utc::now();
        let sent = {
            let _sending = lock.read().await;
            ledger
                .record(entry(EntryState::Pending, None, None, at))
                .map_err(io_error)?;
            let sent = api.create_asset(req).await;
            if let Ok(created) = &sent {
                ledger
                    .record(entry(
                        EntryState::Created,
                        Some(created.id.clone()),
                        None,
                        at,
                    ))
                    .map_err(io_error)?;
            }
            sent
        };
        match sent {
            Ok(created) => return Ok(created.id),
            Err(e) if e.kind == ErrorKind::Ambiguous => {
                let _alone = lock.write().await;
                match reconcile(api, ledger, &entry(EntryState::Pending, None, None, at)).await {
                    Ok(Some(id)) => return Ok(id),
                    // Listed completely and not there: it was not created, so sending again is safe.
                    Ok(None) => last_error = Some(e),
                    // Cannot tell (no listing, or it failed or was cut short): stop, keep it Pending.
                    Err(why) => {
                        return Err(ApiError {
                            message: format!(
                                "{}; looking it up failed too ({}), so it stays pending and the \
                                 next run checks again",
                                e.message, why.message
                            ),
                            ..e
                        });
                    }
                }
            }
            Err(e) => {
                ledger
                    .record(entry(EntryState::Failed, None, Some(e.to_string()), at))
                    .map_err(io_error)?;
                return Err(e);
            }
        }
    }
    Err(last_error.expect("the loop ran at least once"))
}

/// Finds the asset a Pending attempt may have created and records it as this entry's: same
/// group and name, created no earlier than the attempt started (on the service's clock, as the
/// `Date` headers tell it), owned by no other entry; the oldest such first.
///
/// `Ok(None)` means the listing was complete and holds no such asset. Call it holding the
/// (group, name) lock alone.
pub async fn reconcile(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    pending: &Entry,
) -> Result<Option<String>, ApiError> {
    if pending.name.is_empty() {
        return Ok(None);
    }
    // The attempt's start on the service's clock: CreateTime of anything it created is later.
    let since = pending.at + api.clock_offset().unwrap_or_default() - CLOCK_SLACK;
    let mut candidates = Vec::new();
    let mut pager = Pager::new();
    for page_number in 1.. {
        let page = api
            .list_assets(&ListAssets {
                filter: Some(AssetFilter {
                    name: Some(pending.name.clone()),
                    ..AssetFilter::group(&pending.group)
                }),
                paging: Paging::full(page_number, SortBy::CreateTime, SortOrder::Desc),
            })
            .await?;
        let older = page
            .items
            .last()
            .and_then(|a| a.create_time)
            .is_some_and(|t| t < since);
        let (items, more) = pager.take(page_number, page);
        candidates.extend(
            items
                .into_iter()
                .filter(|a| a.name == pending.name)
                .filter(|a| a.create_time.is_none_or(|t| t >= since)),
        );
        if !more || older {
            break;
        }
    }
    if let Some(why) = pager.stopped {
        return Err(ApiError::local(
            Action::ListAssets,
            ErrorKind::Malformed,
            "IncompleteListing",
            why,
        ));
    }
    candidates.sort_by_key(|a| a.create_time);
    let ids: Vec<String> = candidates.into_iter().map(|a| a.id).collect();
    ledger.claim(pending, &ids).map_err(io_error)
}
