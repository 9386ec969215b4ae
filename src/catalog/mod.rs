//! What both front ends (CLI and TUI) need from the service, in one place: listings that cannot
//! run away, lookups, the status poll, and create-once through the ledger.
//!
//! The dialect decides where data comes from: the domestic service lists; the global proxy
//! cannot, so its groups are the ledger's labels and its assets are read back one by one. The
//! front ends never branch on the dialect for that.

pub mod add;
pub mod changes;
pub mod complete;
pub mod copy;
pub mod create;
pub mod groups;
pub mod import;
mod listing;
pub mod local;
pub mod names;
pub mod poll;
pub mod pull;
pub mod rename;
pub mod retry;
pub mod source;
pub mod sync;
pub mod tasks;
pub mod upload;
pub mod walk;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use crate::api::paging::{Cursor, Listing};
use create::NameLocks;
pub use create::{CreateError, Intent, Made, MadeBy};

use crate::api::model::*;
use crate::api::{ApiError, AssetsApi, Client, Dialect};
use crate::ledger::Ledger;
use crate::storage::Storage;

/// Why a listing failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ListError {
    /// The service failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The ledger (the global dialect's listing) could not be read.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
}

impl From<crate::ledger::ReadBack> for ListError {
    fn from(e: crate::ledger::ReadBack) -> Self {
        match e {
            crate::ledger::ReadBack::Api(e) => ListError::Api(e),
            crate::ledger::ReadBack::Ledger(e) => ListError::Ledger(e),
        }
    }
}

/// Why a group could not be found by id or name.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GroupLookup {
    /// Listing the groups failed.
    #[error(transparent)]
    List(ListError),
    /// No group has that id or name: what was looked for, and the service's answer to it as
    /// an id (when it was shaped like one and asked for).
    #[error(
        "no group has the id or name \"{}\" (groups list shows them{})",
        crate::text::visible(.0),
        .1.as_ref().map(|e| format!("; as an id: {e}")).unwrap_or_default()
    )]
    Missing(String, Option<Box<ApiError>>),
    /// Several groups have that name.
    #[error(
        "{} groups are named \"{}\": {}; pass the id",
        .1.len(),
        crate::text::visible(.0),
        .1.join(", ")
    )]
    Ambiguous(String, Vec<String>),
}

/// The service as the front ends see it: a client, the ledger of this account, the locks
/// that keep creates of one name from racing their own look-ups, the object storage local
/// files are uploaded to, when configured, and the kinds of the groups seen (a listing of a
/// group's assets asks for its kind). Cheap to clone; clones share all of it.
#[derive(Debug, Clone)]
pub struct Catalog {
    client: Client,
    ledger: Arc<Ledger>,
    names: NameLocks,
    storage: Option<Arc<Storage>>,
    kinds: Arc<Mutex<HashMap<String, Option<GroupType>>>>,
    /// The longest wait for another run that creates the same asset.
    other_run_wait: std::time::Duration,
    /// The account's quota, when its tier has one.
    quota: Option<crate::api::limits::Quota>,
    /// Whose service it is: the video and audio figures reported for it warn.
    service: crate::media::Service,
    /// The Seedance data plane, when the profile has one.
    seedance: Option<crate::seedance::Seedance>,
    /// The profile's `[tasks]` defaults.
    task_defaults: crate::config::TasksFile,
}

impl Catalog {
    /// A catalog over `client`, journalling creates in `ledger`.
    pub fn new(client: Client, ledger: Arc<Ledger>) -> Self {
        let keeper = Arc::downgrade(&ledger);
        client
            .limits()
            .on_learn(Arc::new(move |action, ceiling, rate| {
                let kept = keeper
                    .upgrade()
                    .map(|l| l.keep_rate(action.name(), ceiling, rate));
                if let Some(Err(e)) = kept {
                    tracing::warn!(%e, "the learned rate could not be kept");
                }
            }));
        Catalog {
            client,
            ledger,
            names: NameLocks::default(),
            storage: None,
            kinds: Arc::default(),
            other_run_wait: create::WAIT_FOR_OTHER_RUN,
            quota: None,
            service: crate::media::Service::Unknown,
            seedance: None,
            task_defaults: crate::config::TasksFile::default(),
        }
    }

    /// The same catalog reaching the Seedance data plane through `seedance` (none: `tasks`
    /// say that the profile has none), with the profile's `[tasks]` defaults.
    pub fn with_tasks(
        self,
        seedance: Option<crate::seedance::Seedance>,
        defaults: crate::config::TasksFile,
    ) -> Self {
        Catalog {
            seedance,
            task_defaults: defaults,
            ..self
        }
    }

    /// The same catalog, uploading local files to `storage`.
    pub fn with_storage(self, storage: Storage) -> Self {
        Catalog {
            storage: Some(Arc::new(storage)),
            ..self
        }
    }

    /// The same catalog waiting at most `wait` for another run that creates the same asset
    /// (those rows are reported as not done after it).
    pub(crate) fn with_other_run_wait(self, wait: std::time::Duration) -> Self {
        Catalog {
            other_run_wait: wait,
            ..self
        }
    }

    /// The same catalog knowing the account's quota (a batch that cannot fit is refused
    /// before anything is sent).
    pub(crate) fn with_quota(self, quota: Option<crate::api::limits::Quota>) -> Self {
        Catalog { quota, ..self }
    }

    /// The same catalog checking files against `service`'s reported figures.
    pub(crate) fn with_service(self, service: crate::media::Service) -> Self {
        Catalog { service, ..self }
    }

    /// `checks` with this catalog's service in their policy.
    pub(crate) fn checks_for(&self, checks: &import::Checks) -> import::Checks {
        let mut checks = checks.clone();
        checks.policy.service = self.service;
        checks
    }

    /// The account's quota, when known.
    pub fn quota(&self) -> Option<crate::api::limits::Quota> {
        self.quota
    }

    /// The object storage, when configured.
    pub fn storage(&self) -> Option<&Storage> {
        self.storage.as_deref()
    }

    /// Starts the client at the rates learned for this account before (kept in the ledger), so
    /// that a run does not meet again the 429s an earlier one learned from.
    pub(crate) fn resume_rates(&self) {
        match self.ledger.rates() {
            Ok(rates) => {
                for (name, ceiling, rate) in rates {
                    if let Some(action) = crate::api::model::Action::from_name(&name) {
                        self.client.limits().start_from(action, ceiling, rate);
                    }
                }
            }
            Err(e) => tracing::warn!(%e, "the learned rates could not be read"),
        }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The ledger of this account.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The dialect of the endpoint.
    pub fn dialect(&self) -> Dialect {
        self.client.endpoint().dialect()
    }

    /// The same catalog scoped to another project (domestic).
    pub(crate) fn with_project(&self, project: Option<String>) -> Catalog {
        Catalog {
            client: self.client.with_project(project),
            ..self.clone()
        }
    }

    /// The same catalog saying that calls (to the service and to the object storage) are slow
    /// through `notice`.
    pub fn with_notice(&self, notice: crate::api::Notice) -> Catalog {
        Catalog {
            client: self.client.with_notice(notice.clone()),
            storage: self
                .storage
                .as_deref()
                .map(|s| Arc::new(s.clone().with_notice(notice))),
            ..self.clone()
        }
    }

    /// The current state of `pending` assets of `group_id` (see [`poll::poll`]).
    pub async fn poll(
        &self,
        group_id: &str,
        pending: &[poll::Pending],
    ) -> Result<Vec<Asset>, ApiError> {
        let filter = self.typed(&AssetFilter::group(group_id)).await?;
        poll::poll(&self.client, &filter, pending).await
    }

    /// Every asset of `ids` as it is once none is Processing or `timeout` has passed: each read
    /// once, then polled on the one schedule (see [`poll::wait_until_done`]).
    pub async fn wait(
        &self,
        ids: &[String],
        timeout: std::time::Duration,
    ) -> Result<std::collections::BTreeMap<String, Asset>, ApiError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut known = std::collections::BTreeMap::new();
        for id in ids {
            known.insert(id.clone(), self.client.get_asset(id).await?);
        }
        let poll_group =
            async |group: &str, pending: &[poll::Pending]| self.poll(group, pending).await;
        poll::wait_until_done(&mut known, deadline, poll_group).await?;
        Ok(known)
    }

    /// Creates the asset of `req` at most once per ledger key (see [`create::create_once`]).
    pub(crate) async fn create_once(
        &self,
        intent: &create::Intent<'_>,
        req: &CreateAsset,
    ) -> Result<create::Made, CreateError> {
        let kind = match intent.kind {
            None if self.dialect().can_list() => self.group_type(intent.group).await?,
            known => known,
        };
        let wait = self.other_run_wait;
        let intent = create::Intent {
            kind,
            wait,
            ..*intent
        };
        create::create_once(&self.client, &self.ledger, &self.names, &intent, req).await
    }
}
