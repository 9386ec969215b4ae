//! What both front ends (CLI and TUI) need from the service, in one place: listings that cannot
//! run away, lookups, the status poll, and create-once through the ledger.
//!
//! The dialect decides where data comes from: the domestic service lists; the global proxy
//! cannot, so its groups are the ledger's labels and its assets are read back one by one. The
//! front ends never branch on the dialect for that.

pub mod create;
pub mod poll;
pub mod retry;
pub mod upload;
pub mod walk;

use std::sync::Arc;

use crate::api::paging::Pager;
use create::NameLocks;
pub use create::{CreateError, Intent, Made, MadeBy};

use crate::api::model::*;
use crate::api::{ApiError, AssetsApi, Client, Dialect};
use crate::ledger::{self, Ledger};
use crate::storage::Storage;

/// Loaded items of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<T> {
    /// Items in server order.
    pub items: Vec<T>,
    /// Matching items on the server.
    pub total: u64,
    /// The page to load next, when more exist.
    pub next_page: Option<u32>,
    /// Why the listing stopped before the service said it was complete.
    pub stopped: Option<String>,
}

impl<T> Listing<T> {
    /// Everything there is: no more pages.
    pub fn complete(items: Vec<T>) -> Self {
        Listing {
            total: items.len() as u64,
            items,
            next_page: None,
            stopped: None,
        }
    }
}

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
    /// No group has that id or name.
    #[error("no group has the id or name \"{}\"", crate::text::visible(.0))]
    Missing(String),
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
/// that keep creates of one name from racing their own look-ups, and the object storage local
/// files are uploaded to, when configured. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Catalog {
    client: Client,
    ledger: Arc<Ledger>,
    names: NameLocks,
    storage: Option<Arc<Storage>>,
}

impl Catalog {
    /// A catalog over `client`, journalling creates in `ledger`.
    pub fn new(client: Client, ledger: Arc<Ledger>) -> Self {
        Catalog {
            client,
            ledger,
            names: NameLocks::default(),
            storage: None,
        }
    }

    /// The same catalog, uploading local files to `storage`.
    pub fn with_storage(self, storage: Storage) -> Self {
        Catalog {
            storage: Some(Arc::new(storage)),
            ..self
        }
    }

    /// The object storage, when configured.
    pub fn storage(&self) -> Option<&Storage> {
        self.storage.as_deref()
    }

    /// The API client.
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
    pub fn with_project(&self, project: Option<String>) -> Catalog {
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

    /// Every group, newest first (global: the ledger's labels).
    pub async fn groups(&self) -> Result<Listing<AssetGroup>, ListError> {
        if !self.dialect().can_list() {
            return Ok(Listing::complete(ledger::groups(&self.ledger)?));
        }
        let mut listing = Listing::complete(Vec::new());
        let mut pager = Pager::new();
        for page_number in 1.. {
            let page = self
                .client
                .list_asset_groups(&ListAssetGroups {
                    filter: None,
                    paging: Paging::full(page_number, SortBy::CreateTime, SortOrder::Desc),
                })
                .await?;
            listing.total = page.total_count;
            let (items, more) = pager.take(page_number, page);
            listing.items.extend(items);
            if !more {
                break;
            }
        }
        listing.stopped = pager.stopped;
        Ok(listing)
    }

    /// The group `text` names: its id, or the id of the one group with exactly that name
    /// (global dialect: the label itself). Several groups of that name are refused with their
    /// ids, so nothing lands in the wrong one.
    pub async fn resolve_group(&self, text: &str) -> Result<String, GroupLookup> {
        if !self.dialect().can_list() {
            return Ok(text.to_owned());
        }
        let groups = self.groups().await.map_err(GroupLookup::List)?.items;
        if groups.iter().any(|g| g.id == text) {
            return Ok(text.to_owned());
        }
        let named: Vec<&AssetGroup> = groups.iter().filter(|g| g.name == text).collect();
        match named.as_slice() {
            [one] => Ok(one.id.clone()),
            [] => Err(GroupLookup::Missing(text.to_owned())),
            many => Err(GroupLookup::Ambiguous(
                text.to_owned(),
                many.iter().map(|g| g.id.clone()).collect(),
            )),
        }
    }

    /// Pages `first..=last` (newest first) of the assets matching `filter`. Global: the
    /// ledger's assets (of the filter's one group label, if any), read back with GetAsset.
    pub async fn assets(
        &self,
        filter: &AssetFilter,
        first: u32,
        last: u32,
    ) -> Result<Listing<Asset>, ListError> {
        let newest_first = (SortBy::CreateTime, SortOrder::Desc);
        self.assets_in_order(filter, first, last, newest_first)
            .await
    }

    /// Like [`Catalog::assets`], with the pages in `order` (`(SortBy, SortOrder)`).
    pub async fn assets_in_order(
        &self,
        filter: &AssetFilter,
        first: u32,
        last: u32,
        (sort_by, sort_order): (SortBy, SortOrder),
    ) -> Result<Listing<Asset>, ListError> {
        if !self.dialect().can_list() {
            let label = filter.group_ids.as_ref().and_then(|g| g.first());
            let items =
                ledger::assets(&self.client, &self.ledger, label.map(String::as_str)).await?;
            return Ok(Listing::complete(items));
        }
        let mut listing = Listing::complete(Vec::new());
        let mut pager = Pager::new();
        for page_number in first..=last.max(first) {
            let page = self
                .client
                .list_assets(&ListAssets {
                    filter: Some(filter.clone()),
                    paging: Paging::full(page_number, sort_by, sort_order),
                })
                .await?;
            listing.total = page.total_count;
            let (items, more) = pager.take(page_number, page);
            listing.items.extend(items);
            listing.next_page = more.then_some(page_number + 1);
            if !more {
                break;
            }
        }
        listing.stopped = pager.stopped;
        Ok(listing)
    }

    /// The current state of `pending` assets of `group_id` (see [`poll::poll`]).
    pub async fn poll(
        &self,
        group_id: &str,
        pending: &[poll::Pending],
    ) -> Result<Vec<Asset>, ApiError> {
        poll::poll(&self.client, group_id, pending).await
    }

    /// Creates the asset of `req` at most once per ledger key (see [`create::create_once`]).
    pub async fn create_once(
        &self,
        intent: &create::Intent<'_>,
        req: &CreateAsset,
    ) -> Result<create::Made, CreateError> {
        create::create_once(&self.client, &self.ledger, &self.names, intent, req).await
    }
}
