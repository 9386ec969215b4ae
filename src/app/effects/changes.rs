//! Effects that change the account: groups created and changed, assets added (from a URL or a
//! file) and imported (a folder), renamed, deleted and retried. Each calls the catalog's use
//! case, the one the CLI calls too.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;

use super::Reply;
use crate::api::AssetsApi;
use crate::app::msg::{Msg, Work};
use crate::catalog::Catalog;
use crate::catalog::add::Add;
use crate::catalog::import::{Checks, Event, Import, Input, Source};
use crate::catalog::rename::NameChange;
use crate::catalog::sync::{Plan, SyncOptions};
use crate::http::Http;
use crate::media::CheckTimeouts;

/// A new group of virtual portraits.
pub(super) async fn create_group(
    catalog: Catalog,
    reply: Reply,
    name: String,
    description: String,
) {
    let result = catalog.create_group(name, Some(description)).await;
    reply.send(Msg::GroupCreated(result));
}

/// A new asset in `group_id` from `source` (checked first; a file is uploaded), named `name`
/// (empty: from the source); a file's upload is told as it goes.
pub(super) async fn add(
    catalog: Catalog,
    reply: Reply,
    http: Http,
    group_id: String,
    (source, name, fit): (Source, String, Option<crate::media::fit::FitMode>),
) {
    let add = Add {
        source,
        name: Some(name).filter(|n| !n.is_empty()),
        checks: Checks {
            remote: Some(CheckTimeouts::default()),
            fit,
            ..Checks::default()
        },
        allow_duplicates: false,
    };
    let result = catalog
        .add(&group_id, add, &http, upload_told(reply.clone()))
        .await;
    reply.send(Msg::AssetCreated { group_id, result });
}

/// Tells the upload's progress a few times per file (enough for the dialog's note).
fn upload_told(reply: Reply) -> crate::catalog::add::Uploading {
    let last = AtomicU64::new(0);
    Arc::new(move |sent: u64, total: u64| {
        // About twenty updates a file.
        let step = (total / 20).max(1);
        if sent == total || sent >= last.load(Ordering::Relaxed) + step {
            last.store(sent, Ordering::Relaxed);
            reply.send(Msg::Uploading { sent, total });
        }
    })
}

/// Events that count files done, of all, and refused or failed, told as `Msg::Progress` of
/// `work`.
pub(super) fn counted(reply: Reply, work: Work) -> crate::catalog::import::Events {
    // Files done (created or already there), of all, and refused or failed so far.
    let counts = std::sync::Mutex::new((0usize, 0usize, 0usize));
    Arc::new(move |event| {
        let mut c = counts.lock().expect("counts lock");
        let (done, total, failed) = &mut *c;
        match event {
            Event::Refused(_) => *failed += 1,
            Event::Started {
                rows,
                already,
                per_minute,
                ..
            } => {
                *done += already;
                *total = rows + already + *failed;
                if let Some(text) = crate::catalog::import::batch_estimate(rows, per_minute) {
                    reply.send(Msg::Estimated(text));
                }
            }
            Event::Done(..) => *done += 1,
            Event::Failed(_) => *failed += 1,
            _ => return,
        }
        reply.send(Msg::Progress {
            work,
            done: *done,
            total: *total,
            failed: *failed,
        });
    })
}

/// The media files of folder `path` (and its sub-folders' when `recursive`) into `group_id`,
/// through the import engine; its progress is told as files end.
pub(super) async fn import_folder(
    catalog: Catalog,
    reply: Reply,
    group_id: String,
    (path, recursive): (PathBuf, bool),
) {
    let job = Import {
        inputs: vec![Input::Path(path)],
        recursive,
        ..Import::default()
    };
    let result = catalog
        .import(&group_id, job, counted(reply.clone(), Work::Import))
        .await;
    reply.send(Msg::Imported { group_id, result });
}

/// The plan of keeping `group_id` in step with `folder` (its sub-folders not included).
pub(super) async fn plan_sync(catalog: Catalog, reply: Reply, group_id: String, folder: PathBuf) {
    let result = catalog
        .plan_sync(&group_id, &folder, &SyncOptions::default())
        .await;
    reply.send(Msg::SyncPlanned { folder, result });
}

/// Applies a sync's plan; its creates' progress is told as files end.
pub(super) async fn apply_sync(catalog: Catalog, reply: Reply, plan: Plan) {
    let group_id = plan.group.clone();
    let result = async {
        // A plan that deletes was agreed to a while ago: planned again, deleting only what
        // was agreed to.
        let plan = if plan.doomed().is_empty() {
            plan
        } else {
            let opts = SyncOptions {
                delete: true,
                ..SyncOptions::default()
            };
            catalog.plan_again(&plan, &opts).await?.0
        };
        catalog
            .apply_sync(plan, Checks::default(), counted(reply.clone(), Work::Sync))
            .await
    }
    .await;
    reply.send(Msg::Synced { group_id, result });
}

/// Renames each asset of `changes`, in order.
pub(super) async fn rename_many(catalog: Catalog, reply: Reply, changes: Vec<NameChange>) {
    let renamed = catalog.rename_all(changes).await;
    reply.send(Msg::Renamed(renamed));
}

/// Group `id`'s new name and description.
pub(super) async fn update_group(
    catalog: Catalog,
    reply: Reply,
    id: String,
    name: String,
    description: String,
) {
    let result = catalog
        .change_group(&id, Some(name.clone()), Some(description.clone()))
        .await;
    reply.send(Msg::GroupUpdated {
        id,
        name,
        description,
        result,
    });
}

/// Asset `id`'s new name.
pub(super) async fn rename(catalog: Catalog, reply: Reply, id: String, name: String) {
    let req = crate::api::model::UpdateAsset {
        id: id.clone(),
        name: name.clone(),
    };
    let result = catalog.client().update_asset(&req).await;
    reply.send(Msg::AssetRenamed { id, name, result });
}

/// Deletes group `id` (with its assets).
pub(super) async fn delete_group(catalog: Catalog, reply: Reply, id: String) {
    let result = catalog.delete_group(&id).await;
    reply.send(Msg::GroupDeleted { id, result });
}

/// Deletes the assets `ids`, and tells what became of each once all are done.
pub(super) async fn delete_assets(catalog: Catalog, reply: Reply, ids: Vec<String>) {
    let outcomes = catalog.delete_assets(ids, &|_: &str| None).collect().await;
    reply.send(Msg::AssetsDeleted(outcomes));
}

/// Creates the Failed assets `ids` of `group_id` again, one after the other.
pub(super) async fn retry(catalog: Catalog, reply: Reply, group_id: String, ids: Vec<String>) {
    let mut retried = Vec::with_capacity(ids.len());
    for id in ids {
        let result = catalog.retry(&id).await;
        retried.push((id, result));
    }
    reply.send(Msg::Retried { group_id, retried });
}
