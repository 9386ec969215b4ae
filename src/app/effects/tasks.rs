//! Effects of Seedance tasks, each one use case of the catalog: the form's legend, the
//! create (checked first), the listing, one round of the poll, a cancel, a download.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::Reply;
use crate::app::msg::Msg;
use crate::catalog::Catalog;
use crate::catalog::tasks::{TaskAsk, TaskPoll};

/// The prompt the legend is read with while the form's is still empty: the prompt's own
/// check is made when the task is sent, with the prompt written.
const LEGEND_PROMPT: &str = "(the legend of the assets)";

/// Bytes between two progress messages of a download.
const PROGRESS_STEP: u64 = 256 * 1024;

/// The assets of `ask` read and checked, for the form's legend (nothing is sent).
pub(super) async fn plan(catalog: Catalog, reply: Reply, mut ask: TaskAsk) {
    if ask.prompt.trim().is_empty() {
        ask.prompt = LEGEND_PROMPT.to_owned();
    }
    reply.send(Msg::TaskPlanned(catalog.plan_task(&ask).await));
}

/// `ask` checked (every asset read), then created once.
pub(super) async fn create(catalog: Catalog, reply: Reply, ask: TaskAsk) {
    let result = match catalog.plan_task(&ask).await {
        Ok(plan) => catalog.create_task(&plan).await,
        Err(e) => Err(e),
    };
    reply.send(Msg::TaskCreated(result));
}

/// The recent tasks.
pub(super) async fn list(catalog: Catalog, reply: Reply) {
    reply.send(Msg::TasksLoaded(catalog.list_tasks(None).await));
}

/// One round of the poll: the tasks of `ids` read at once (a wait bounded at zero makes one
/// round, see [`Catalog::wait_tasks`]).
pub(super) async fn poll(catalog: Catalog, reply: Reply, ids: Vec<String>) {
    let every = TaskPoll::every_seconds(catalog.task_defaults().poll_seconds);
    let result = catalog
        .wait_tasks(&ids, Duration::ZERO, every, &mut |_| {})
        .await
        .map(|waited| waited.tasks.into_values().collect());
    reply.send(Msg::TasksPolled(result));
}

/// Cancels the queued task `id`.
pub(super) async fn cancel(catalog: Catalog, reply: Reply, id: String) {
    let result = catalog.cancel_task(&id).await;
    reply.send(Msg::TaskCancelled { id, result });
}

/// Downloads task `id`'s video to `path` (in the current folder when relative), telling how
/// far it got every [`PROGRESS_STEP`] bytes.
pub(super) async fn download(catalog: Catalog, reply: Reply, id: String, path: PathBuf) {
    let path = std::env::current_dir().map_or(path.clone(), |dir| dir.join(&path));
    let told = AtomicU64::new(0);
    let progress_reply = reply.clone();
    let progress = move |bytes: u64, total: Option<u64>| {
        if bytes >= told.load(Ordering::Relaxed) + PROGRESS_STEP || Some(bytes) == total {
            told.store(bytes, Ordering::Relaxed);
            progress_reply.send(Msg::TaskDownloading { bytes, total });
        }
    };
    let result = catalog.download_task(&id, &path, false, &progress).await;
    reply.send(Msg::TaskDownloaded { id, result });
}
