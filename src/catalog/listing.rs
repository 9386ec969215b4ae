//! Listings as the service really answers them: every request carries a `Filter` with the
//! `GroupType` (the service refuses a group listing without one and lists one type at a time,
//! so every group is two listings), pages are followed whichever way the service pages
//! ([`crate::api::paging`]), and an item of another group than the one asked for is left out
//! and counted (the service ignores filter keys it does not know).
//!
//! The global dialect cannot list: its groups are the ledger's labels and its assets are read
//! back one by one. The front ends never branch on the dialect for that.

use crate::api::model::*;
use crate::api::paging::{self, Cursor, Listing};
use crate::api::{ApiError, ApiResult, AssetsApi};
use crate::ledger;

use super::{Catalog, GroupLookup, ListError};

/// Newest first, as the panes and tables show assets unless told otherwise.
pub(super) const NEWEST_FIRST: (SortBy, SortOrder) = (SortBy::CreateTime, SortOrder::Desc);

impl Catalog {
    /// Every group of both kinds, newest first (global: the ledger's labels).
    pub async fn groups(&self) -> Result<Listing<AssetGroup>, ListError> {
        self.groups_named(None).await
    }

    /// The groups of both kinds whose name holds `name` (all, when `None`), newest first
    /// (global: the ledger's labels).
    pub(super) async fn groups_named(
        &self,
        name: Option<&str>,
    ) -> Result<Listing<AssetGroup>, ListError> {
        if !self.dialect().can_list() {
            return Ok(Listing::complete(ledger::groups(self.ledger())?));
        }
        let mut all = Listing::complete(Vec::new());
        for kind in GroupType::ALL {
            let filter = GroupFilter {
                group_type: Some(kind),
                name: name.map(str::to_owned),
                ..GroupFilter::default()
            };
            let listing = paging::read(
                Cursor::FIRST,
                u32::MAX,
                |at| {
                    let req = ListAssetGroups {
                        filter: Some(filter.clone()),
                        paging: Paging::at(&at),
                    };
                    async move { self.client().list_asset_groups(&req).await }
                },
                |_| false,
            )
            .await?;
            merge(&mut all, listing);
        }
        all.items
            .sort_by_key(|g| std::cmp::Reverse((g.create_time, g.id.clone())));
        all.total = Some(all.items.len() as u64);
        self.remember(&all.items);
        Ok(all)
    }

    /// Notes the kinds of `groups`, for listings of their assets.
    fn remember(&self, groups: &[AssetGroup]) {
        let mut kinds = self.kinds.lock().expect("kinds lock");
        for g in groups {
            kinds.insert(g.id.clone(), g.kind());
        }
    }

    /// The group `text` names: the group of that id, or the one group of exactly that name
    /// (global dialect: the label itself). Several groups of that name are refused with their
    /// ids, so nothing lands in the wrong one; none is an error naming what was looked for.
    /// Only text shaped like an id (`group-20260602115008-abcde`) is asked for as one first; a
    /// name is looked up in the listing at once (no GetAssetGroup answered NotFound each time).
    pub async fn group(&self, text: &str) -> Result<AssetGroup, GroupLookup> {
        if !self.dialect().can_list() {
            return Ok(label(text));
        }
        if !looks_like_group_id(text) {
            return self.group_named(text, None).await;
        }
        let by_id = match self.client().get_asset_group(text).await {
            Ok(group) => {
                self.remember(std::slice::from_ref(&group));
                return Ok(group);
            }
            // Not an id (or not one of this account's): a name, then.
            Err(e) if e.is_not_found() || e.code.starts_with("InvalidParameter") => e,
            Err(e) => return Err(GroupLookup::List(e.into())),
        };
        self.group_named(text, Some(by_id)).await
    }

    /// The one group named `text`; `by_id`: why it was not found as an id, when it was asked.
    async fn group_named(
        &self,
        text: &str,
        by_id: Option<ApiError>,
    ) -> Result<AssetGroup, GroupLookup> {
        let groups = self.groups().await.map_err(GroupLookup::List)?.items;
        let mut named: Vec<AssetGroup> = groups.into_iter().filter(|g| g.name == text).collect();
        match named.len() {
            1 => Ok(named.remove(0)),
            0 => Err(GroupLookup::Missing(text.to_owned(), by_id.map(Box::new))),
            _ => Err(GroupLookup::Ambiguous(
                text.to_owned(),
                named.into_iter().map(|g| g.id).collect(),
            )),
        }
    }

    /// The kind of group `id` (a GetAssetGroup the first time; `None`: a kind this client does
    /// not know, whose assets are listed without a `GroupType`).
    pub async fn group_type(&self, id: &str) -> Result<Option<GroupType>, ApiError> {
        if let Some(kind) = self.kinds.lock().expect("kinds lock").get(id) {
            return Ok(*kind);
        }
        let group = self.client().get_asset_group(id).await?;
        self.remember(std::slice::from_ref(&group));
        Ok(group.kind())
    }

    /// `filter` as the service wants it: with the `GroupType` of the group it names.
    pub(super) async fn typed(&self, filter: &AssetFilter) -> Result<AssetFilter, ApiError> {
        let mut typed = filter.clone();
        if self.dialect().can_list()
            && typed.group_type.is_none()
            && let Some(group) = filter.single_group()
        {
            typed.group_type = self.group_type(group).await?;
        }
        Ok(typed)
    }

    /// Every asset matching `filter`, newest first: of one group, or of every group of both
    /// kinds. Global: the ledger's assets (of the filter's one group label, if any), read back
    /// with GetAsset.
    pub async fn assets(&self, filter: &AssetFilter) -> Result<Listing<Asset>, ListError> {
        let kind_known = filter.single_group().is_some() || filter.group_type.is_some();
        if kind_known || !self.dialect().can_list() {
            return self
                .assets_page(filter, Cursor::FIRST, u32::MAX, NEWEST_FIRST)
                .await;
        }
        let mut all = Listing::complete(Vec::new());
        for kind in GroupType::ALL {
            let typed = AssetFilter {
                group_type: Some(kind),
                ..filter.clone()
            };
            let listing = read(
                self.client(),
                &typed,
                Cursor::FIRST,
                u32::MAX,
                NEWEST_FIRST,
                |_| false,
            );
            merge(&mut all, listing.await?);
        }
        all.items
            .sort_by_key(|a| std::cmp::Reverse((a.create_time, a.id.clone())));
        all.total = Some(all.items.len() as u64);
        Ok(all)
    }

    /// At most `pages` pages of the assets matching `filter` from `from`, in `order`
    /// (`next` says where the rest starts). Global: the ledger's assets, all at once.
    pub(crate) async fn assets_page(
        &self,
        filter: &AssetFilter,
        from: Cursor,
        pages: u32,
        order: (SortBy, SortOrder),
    ) -> Result<Listing<Asset>, ListError> {
        if !self.dialect().can_list() {
            let label = filter.single_group();
            let items = ledger::assets(self.client(), self.ledger(), label).await?;
            return Ok(Listing::complete(items));
        }
        let typed = self.typed(filter).await?;
        Ok(read(self.client(), &typed, from, pages, order, |_| false).await?)
    }
}

/// Leaves out the items of groups other than the one `filter` names, counting them.
fn keep_group(listing: &mut Listing<Asset>, filter: &AssetFilter) {
    let Some(group) = filter.single_group() else {
        return;
    };
    let before = listing.items.len();
    listing.items.retain(|a| a.group_id == group);
    listing.left_out += before - listing.items.len();
}

/// `from` added to `into`: its items not there already, what it lacks, and where it stopped.
fn merge<T: HasId>(into: &mut Listing<T>, from: Listing<T>) {
    let known: std::collections::HashSet<String> =
        into.items.iter().map(|i| i.id().to_owned()).collect();
    into.items
        .extend(from.items.into_iter().filter(|i| !known.contains(i.id())));
    into.left_out += from.left_out;
    if into.stopped.is_none() {
        into.stopped = from.stopped;
    }
}

/// A global dialect's label as a group.
fn label(text: &str) -> AssetGroup {
    AssetGroup {
        id: text.to_owned(),
        name: text.to_owned(),
        description: String::new(),
        group_type: "local".to_owned(),
        project_name: String::new(),
        create_time: None,
        update_time: None,
    }
}

/// At most `pages` pages of one `ListAssets` listing of `filter` (typed) from `from`, in
/// `order`, fewer when `enough` says so of a page; its items of other groups than the one the
/// filter names are left out and counted.
pub(super) async fn read(
    api: &dyn AssetsApi,
    filter: &AssetFilter,
    from: Cursor,
    pages: u32,
    order: (SortBy, SortOrder),
    enough: impl FnMut(&[Asset]) -> bool,
) -> ApiResult<Listing<Asset>> {
    let mut listing = paging::read(
        from,
        pages,
        |at| {
            let req = ListAssets {
                filter: Some(filter.clone()),
                paging: Paging::at(&at).sorted(order.0, order.1),
            };
            async move { api.list_assets(&req).await }
        },
        enough,
    )
    .await?;
    keep_group(&mut listing, filter);
    Ok(listing)
}

/// Whether `text` is shaped like a group's id: `group-`, 14 digits (its creation time), `-`,
/// then letters and digits (`group-20260602115008-abcde`).
pub(super) fn looks_like_group_id(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("group-") else {
        return false;
    };
    let Some((stamp, suffix)) = rest.split_once('-') else {
        return false;
    };
    stamp.len() == 14
        && stamp.bytes().all(|b| b.is_ascii_digit())
        && !suffix.is_empty()
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod shape_tests {
    use super::looks_like_group_id;

    #[test]
    fn ids_are_told_from_names_by_their_shape() {
        for id in ["group-20260602115008-abcde", "group-20261126101033-x1b2c"] {
            assert!(looks_like_group_id(id), "{id}");
        }
        for name in [
            "Lin Yue",
            "group-",
            "group-2026-abcde",
            "group-20260602115008-",
            "group-20260602115008-ab de",
            "asset-20260602115008-abcde",
            "产品 Product shots",
        ] {
            assert!(!looks_like_group_id(name), "{name}");
        }
    }
}
