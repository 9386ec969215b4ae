//! Effects that read: the groups, a group's assets (page by page), the poll of those
//! Processing, a group's size, and an asset's URL.

use super::Reply;
use crate::api::AssetsApi;
use crate::api::model::{AssetFilter, SortBy, SortOrder};
use crate::app::msg::Msg;
use crate::catalog::poll::Pending;
use crate::catalog::{Catalog, Cursor};

/// Every group.
pub(super) async fn groups(catalog: Catalog, reply: Reply) {
    reply.send(Msg::GroupsLoaded(catalog.groups().await));
}

/// `pages` pages of `group_id`'s assets from `from`, in `order`.
pub(super) async fn assets(
    catalog: Catalog,
    reply: Reply,
    group_id: String,
    (from, pages): (Cursor, u32),
    order: (SortBy, SortOrder),
) {
    let filter = AssetFilter::group(&group_id);
    let result = catalog
        .assets_page(&filter, from.clone(), pages, order)
        .await;
    reply.send(Msg::AssetsLoaded {
        group_id,
        from,
        order,
        result,
    });
}

/// The current state of `group_id`'s assets that were Processing.
pub(super) async fn poll(
    catalog: Catalog,
    reply: Reply,
    group_id: String,
    processing: Vec<Pending>,
) {
    let result = catalog.poll(&group_id, &processing).await;
    reply.send(Msg::Polled { group_id, result });
}

/// How many assets `group_id` holds (asked before it is deleted with them).
pub(super) async fn count(catalog: Catalog, reply: Reply, group_id: String) {
    let result = catalog
        .count_assets(&group_id)
        .await
        .map(|h| (h.count, h.stopped.is_none()));
    reply.send(Msg::AssetsCounted { group_id, result });
}

/// The asset `id` as it is now, for its signed URL (rows do not keep them).
pub(super) async fn url(catalog: Catalog, reply: Reply, id: String) {
    let result = catalog.client().get_asset(&id).await;
    reply.send(Msg::UrlFetched { id, result });
}
