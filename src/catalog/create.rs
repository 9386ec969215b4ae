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

use crate::api::model::{Action, Asset, AssetFilter, CreateAsset, GroupType, SortBy, SortOrder};
use crate::api::paging::Cursor;
use crate::api::{ApiError, AssetsApi, ErrorKind};
use crate::ledger::{Begin, Entry, EntryState, Ledger, LedgerError};

/// Attempts before giving up on a create whose outcome stays unknown.
const ATTEMPTS: usize = 3;

/// How much earlier than the attempt's start, on the service's clock, its CreateTime may be:
/// `Date` headers (which tell the clocks' offset) have whole seconds, and the answer travels.
pub(crate) const CLOCK_SLACK: Duration = Duration::seconds(2);

/// The lock of one (group, name).
type NameLock = Arc<RwLock<()>>;

/// One lock per (group, name): sends share it, a reconciliation holds it alone.
#[derive(Debug, Default, Clone)]
pub(crate) struct NameLocks(Arc<Mutex<HashMap<(String, String), NameLock>>>);

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

/// Why an asset was not created.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CreateError {
    /// The service refused it, or failed, or it is not known whether it was created
    /// ([`ErrorKind::Ambiguous`]: the attempt stays Pending for a later look-up).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The ledger could not be read or written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Another run is creating it and has not finished within the wait's bound.
    #[error(
        "another run of ark-assets ({owner}) was still creating \"{}\" after {} s; this run \
         did not create it: try again once that run is done (--other-run-wait sets the wait)",
        crate::text::visible(.name),
        .waited.as_secs()
    )]
    HeldElsewhere {
        /// The other run.
        owner: String,
        /// The asset's name.
        name: String,
        /// How long this run waited.
        waited: std::time::Duration,
    },
    /// Local files need object storage, and the profile has none.
    #[error(
        "no object storage is configured for local files: add a [profiles.<name>.storage] table \
         (bucket, and endpoint unless it is Volcengine TOS; see the README), or pass a public --url"
    )]
    NoStorage,
    /// The object storage failed.
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
}

impl CreateError {
    /// Whether the asset may exist although the create failed (its answer was lost).
    pub(crate) fn is_ambiguous(&self) -> bool {
        matches!(self, CreateError::Api(e) if e.kind == ErrorKind::Ambiguous)
    }
}

/// Who made an asset that create-once returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MadeBy {
    /// This run sent it (or found the asset its own lost attempt made).
    ThisRun,
    /// An earlier run: the ledger had it.
    EarlierRun,
    /// Another run at the same time, which this one waited for.
    OtherRun,
}

/// An asset that exists, and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// Its id.
    pub id: String,
    /// Who made it.
    pub by: MadeBy,
}

/// The longest wait for another run that is creating the same asset, unless told otherwise.
pub(crate) const WAIT_FOR_OTHER_RUN: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// How often the ledger is looked at while another run holds an attempt.
const LOOK_AGAIN: std::time::Duration = std::time::Duration::from_millis(250);

/// How often a wait for another run says again who it waits for.
const SAY_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// A wait for another run: bounded, and saying who it waits for at first and every
/// [`SAY_EVERY`].
pub(super) struct Waiting {
    since: tokio::time::Instant,
    said: Option<tokio::time::Instant>,
    bound: std::time::Duration,
}

/// A wait for another run that reached its bound.
pub(super) struct WaitedOut {
    /// The other run.
    pub owner: String,
    /// What it was doing it to (a name).
    pub name: String,
    /// How long this run waited.
    pub waited: std::time::Duration,
}

impl From<WaitedOut> for CreateError {
    fn from(w: WaitedOut) -> Self {
        CreateError::HeldElsewhere {
            owner: w.owner,
            name: w.name,
            waited: w.waited,
        }
    }
}

impl Waiting {
    pub(super) fn new(bound: std::time::Duration) -> Self {
        Waiting {
            since: tokio::time::Instant::now(),
            said: None,
            bound,
        }
    }

    /// Waits a little more for `owner`, which is `doing` (named in the notice), or gives up
    /// past the bound.
    pub(super) async fn again(
        &mut self,
        api: &dyn AssetsApi,
        owner: &str,
        name: &str,
        doing: &str,
    ) -> Result<(), WaitedOut> {
        let waited = self.since.elapsed();
        if waited >= self.bound {
            let (owner, name) = (owner.to_owned(), name.to_owned());
            return Err(WaitedOut {
                owner,
                name,
                waited,
            });
        }
        if self.said.is_none_or(|at| at.elapsed() >= SAY_EVERY) {
            api.notice(&format!(
                "waiting for another run of ark-assets ({owner}), which is {doing} \"{}\" \
                 ({} s so far; giving up after {} s)",
                crate::text::visible(name),
                waited.as_secs(),
                self.bound.as_secs()
            ));
            self.said = Some(tokio::time::Instant::now());
        }
        tokio::time::sleep(LOOK_AGAIN).await;
        Ok(())
    }
}

/// This run's hold on an attempt: released (left Pending for a later look-up) however the
/// attempt ends without an outcome.
struct Held<'a> {
    ledger: &'a Ledger,
    key: &'a str,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.ledger.release(self.key);
    }
}

/// Creates an asset at most once per `key`, across crashes, timeouts, lost answers and other
/// runs at the same time; `object` names the uploaded object it is made from, and `sha256`
/// the local file's content, if any.
///
/// A key already Created returns its id without sending anything. An attempt another live run
/// holds is waited for. Before each send a Pending entry is written as this run's; when the
/// answer is lost (timeout, dropped connection, 500/502/504), or the attempt was abandoned by a
/// run that ended, the asset is looked up (see the module docs) and only sent again when it
/// surely does not exist.
pub(crate) async fn create_once(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    locks: &NameLocks,
    intent: &Intent<'_>,
    req: &CreateAsset,
) -> Result<Made, CreateError> {
    let name = req.name.clone().unwrap_or_default();
    let attempt = Attempt {
        api,
        ledger,
        lock: locks.get(intent.group, &name),
        intent,
        req,
        // A presigned URL is a credential for a while: the ledger keeps it without its
        // signature.
        url: url::Url::parse(&req.url)
            .map(|u| crate::storage::redact(&u))
            .unwrap_or_else(|_| req.url.clone()),
        name,
    };
    let _held = Held {
        ledger,
        key: intent.key,
    };
    match attempt.claim().await? {
        Some(made) => Ok(made),
        None => attempt.send().await,
    }
}

/// One create-once: what it sends, and what it journals where.
struct Attempt<'a> {
    api: &'a dyn AssetsApi,
    ledger: &'a Ledger,
    /// Creates of this name in this group: sending shares it, looking up takes it alone.
    lock: NameLock,
    intent: &'a Intent<'a>,
    req: &'a CreateAsset,
    /// The URL as the ledger keeps it.
    url: String,
    name: String,
}

impl Attempt<'_> {
    /// The ledger entry of this create in `state`.
    fn entry(&self, state: EntryState, id: Option<String>, error: Option<String>) -> Entry {
        Entry {
            key: self.intent.key.to_owned(),
            group: self.intent.group.to_owned(),
            name: self.name.clone(),
            url: self.url.clone(),
            state,
            id,
            error,
            at: Utc::now(),
            object: self.intent.object.map(str::to_owned),
            cleaned: false,
            sha256: self.intent.sha256.map(str::to_owned),
        }
    }

    /// Claims the key for this run: the asset when it exists already (made earlier, by
    /// another run waited for, or found by looking up an abandoned attempt), none when it is
    /// to be sent.
    async fn claim(&self) -> Result<Option<Made>, CreateError> {
        let mut waiting = Waiting::new(self.intent.wait);
        let mut waited = false;
        loop {
            match self
                .ledger
                .begin(&self.entry(EntryState::Pending, None, None))?
            {
                Begin::Created(done) => {
                    let by = if waited {
                        MadeBy::OtherRun
                    } else {
                        MadeBy::EarlierRun
                    };
                    let id = done.id.expect("a Created entry has its id");
                    return Ok(Some(Made { id, by }));
                }
                Begin::Busy { owner } => {
                    waiting
                        .again(self.api, &owner, &self.name, "creating")
                        .await?;
                    waited = true;
                }
                Begin::Abandoned(previous) => {
                    let _alone = self.lock.write().await;
                    let found = reconcile(self.api, self.ledger, &previous, self.intent).await?;
                    return Ok(found.map(|id| Made {
                        id,
                        by: MadeBy::ThisRun,
                    }));
                }
                Begin::Fresh => return Ok(None),
            }
        }
    }

    /// Sends the create, journalled before and after; a lost answer is looked up before it is
    /// sent again (at most [`ATTEMPTS`] sends).
    async fn send(&self) -> Result<Made, CreateError> {
        let mut last_error = None;
        for _ in 0..ATTEMPTS {
            let pending = self.entry(EntryState::Pending, None, None);
            let sent = {
                let _sending = self.lock.read().await;
                self.ledger.record(&pending)?;
                let sent = self.api.create_asset(self.req).await;
                if let Ok(created) = &sent {
                    let id = Some(created.id.clone());
                    self.ledger.record(&Entry {
                        state: EntryState::Created,
                        id,
                        ..pending.clone()
                    })?;
                }
                sent
            };
            let e = match sent {
                Ok(created) => {
                    let (id, by) = (created.id, MadeBy::ThisRun);
                    return Ok(Made { id, by });
                }
                Err(e) if e.kind == ErrorKind::Ambiguous => e,
                Err(e) => {
                    let failed = self.entry(EntryState::Failed, None, Some(e.to_string()));
                    self.ledger.record(&Entry {
                        at: pending.at,
                        ..failed
                    })?;
                    return Err(e.into());
                }
            };
            if let Some(id) = self.look_up(&pending, &e).await? {
                return Ok(Made {
                    id,
                    by: MadeBy::ThisRun,
                });
            }
            last_error = Some(e);
        }
        Err(last_error.expect("the loop ran at least once").into())
    }

    /// After an answer was lost (`e`): the asset `pending` made, if it was made. `None` means
    /// the group was listed completely and it is not there, so sending again is safe; when it
    /// cannot be told, it stays Pending for the next run and the error says so.
    async fn look_up(&self, pending: &Entry, e: &ApiError) -> Result<Option<String>, CreateError> {
        let _alone = self.lock.write().await;
        reconcile(self.api, self.ledger, pending, self.intent)
            .await
            .map_err(|why| {
                CreateError::Api(ApiError {
                    message: format!(
                        "{}; looking it up failed too ({why}), so it stays pending and the next \
                         run checks again",
                        e.message
                    ),
                    ..e.clone()
                })
            })
    }
}

/// What a create is for, in the ledger: its key, the group (id, or the global dialect's
/// label), and for a local file the uploaded object and its content's sha256.
#[derive(Debug, Clone, Copy)]
pub struct Intent<'a> {
    /// The ledger key: the same key creates at most once.
    pub key: &'a str,
    /// The group.
    pub group: &'a str,
    /// The uploaded object it is made from.
    pub object: Option<&'a str>,
    /// The local file's content.
    pub sha256: Option<&'a str>,
    /// The group's kind, for a look-up of what a lost attempt made (filled in by
    /// [`super::Catalog::create_once`]).
    pub kind: Option<GroupType>,
    /// The longest wait for another run that holds the attempt or sends its name (the
    /// catalog's, filled in by [`super::Catalog::create_once`]).
    pub wait: std::time::Duration,
}

impl<'a> Intent<'a> {
    /// An asset of `group` (id, or label), created at most once per `key`.
    pub fn new(key: &'a str, group: &'a str) -> Self {
        Intent {
            key,
            group,
            object: None,
            sha256: None,
            kind: None,
            wait: WAIT_FOR_OTHER_RUN,
        }
    }

    /// The same, made from the uploaded `object` of a file whose content is `sha256`.
    pub(crate) fn of_file(self, object: &'a str, sha256: &'a str) -> Self {
        Intent {
            object: Some(object),
            sha256: Some(sha256),
            ..self
        }
    }
}

/// Finds the asset a Pending attempt may have created and records it as this entry's: same
/// group and name, created no earlier than the attempt started (on the service's clock, as the
/// `Date` headers tell it), owned by no other entry; the oldest such first.
///
/// `Ok(None)` means the listing was complete and holds no such asset. Call it holding the
/// (group, name) lock alone.
pub(crate) async fn reconcile(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    pending: &Entry,
    intent: &Intent<'_>,
) -> Result<Option<String>, CreateError> {
    if pending.name.is_empty() {
        return Ok(None);
    }
    wait_for_other_sends(api, ledger, pending, intent.wait).await?;
    // The attempt's start on the service's clock: CreateTime of anything it created is later.
    let since = pending.at + api.clock_offset().unwrap_or_default() - CLOCK_SLACK;
    let filter = AssetFilter {
        name: Some(pending.name.clone()),
        group_type: intent.kind,
        ..AssetFilter::group(&pending.group)
    };
    // Newest first, down to the attempt's start.
    let older = |items: &[Asset]| {
        items
            .last()
            .and_then(|a| a.create_time)
            .is_some_and(|t| t < since)
    };
    let order = (SortBy::CreateTime, SortOrder::Desc);
    let listing = super::listing::read(api, &filter, Cursor::FIRST, u32::MAX, order, older).await?;
    if let Some(why) = listing.stopped {
        return Err(ApiError::local(
            Action::ListAssets,
            ErrorKind::Malformed,
            "IncompleteListing",
            why,
        )
        .into());
    }
    let mut candidates: Vec<Asset> = listing
        .items
        .into_iter()
        .filter(|a| a.name == pending.name)
        .filter(|a| a.create_time.is_none_or(|t| t >= since))
        .collect();
    candidates.sort_by_key(|a| a.create_time);
    let ids: Vec<String> = candidates.into_iter().map(|a| a.id).collect();
    Ok(ledger.claim(pending, &ids)?)
}

/// Waits while other runs are sending assets of `pending`'s group and name: until their
/// answers are recorded, an asset of that name may be theirs, and must not be claimed.
async fn wait_for_other_sends(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    pending: &Entry,
    bound: std::time::Duration,
) -> Result<(), CreateError> {
    let mut waiting = Waiting::new(bound);
    while ledger.sending(&pending.group, &pending.name, &pending.key)? > 0 {
        waiting
            .again(api, "another run", &pending.name, "sending")
            .await?;
    }
    Ok(())
}
