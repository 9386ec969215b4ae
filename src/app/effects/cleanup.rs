//! Uploaded objects deleted once their assets are done, in the background: after the TUI's
//! uploads, and at its start for what an earlier run left. The catalog's clean-up, the one the
//! CLI waits for.

use std::sync::Arc;

use super::Reply;
use crate::app::msg::Msg;
use crate::catalog::Catalog;
use crate::catalog::upload::CLEANUP_WAIT;

/// Deletes each uploaded object of `catalog` once its assets have left Processing (waiting
/// at most [`CLEANUP_WAIT`]); one clean-up at a time (`turn`), so one that starts after an
/// upload looks after it. A failure is a note: the objects are kept for a later run.
pub(super) async fn clean_uploads(
    catalog: Catalog,
    reply: Reply,
    turn: Arc<tokio::sync::Mutex<()>>,
) {
    let _turn = turn.lock().await;
    match catalog.clean_uploads_when_done(CLEANUP_WAIT, |_| {}).await {
        Ok(cleaned) => tracing::info!(
            deleted = cleaned.deleted,
            waiting = cleaned.waiting,
            "uploaded objects cleaned up"
        ),
        Err(e) => reply.send(Msg::Notice(format!(
            "uploaded objects could not be deleted yet ({e}); a later run deletes them"
        ))),
    }
}
