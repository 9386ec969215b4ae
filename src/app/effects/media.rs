//! Effects on files' contents: previews of image assets and of local files, probes of video
//! and audio assets, and sorts of the assets pane on a worker.

use std::path::PathBuf;
use std::sync::Arc;

use super::Reply;
use crate::app::msg::Msg;
use crate::http::Http;
use crate::preview::{NoPreview, Painter};
use crate::validate;

/// What drawing a preview takes.
pub(super) struct Picture {
    /// The client images are fetched with.
    pub http: Http,
    /// How the picture is painted.
    pub painter: Painter,
    /// One decode at a time.
    pub decodes: Arc<tokio::sync::Semaphore>,
}

/// Fetches the image at `url` and draws it in `cols × rows` cells, as asset `id`'s preview.
pub(super) async fn preview(
    picture: Picture,
    reply: Reply,
    id: String,
    url: String,
    (cols, rows): (u16, u16),
) {
    let result = match crate::preview::fetch(&picture.http, &url).await {
        Ok(bytes) => {
            let _turn = picture.decodes.acquire_owned().await;
            let painter = picture.painter;
            tokio::task::spawn_blocking(move || {
                crate::preview::render_image(&painter, &bytes, cols, rows)
            })
            .await
            .unwrap_or_else(|e| Err(NoPreview::Stopped(e.to_string())))
        }
        Err(e) => Err(e),
    };
    reply.send(Msg::Previewed { id, result });
}

/// Draws the local file at `path` in `cols × rows` cells when it is an image, as the preview
/// of `key`.
pub(super) async fn preview_file(
    picture: Picture,
    reply: Reply,
    key: String,
    path: PathBuf,
    (cols, rows): (u16, u16),
) {
    let _turn = picture.decodes.acquire_owned().await;
    let painter = picture.painter;
    let result = tokio::task::spawn_blocking(move || {
        crate::preview::render_file(&painter, &path, cols, rows)
    })
    .await
    .unwrap_or_else(|e| Err(NoPreview::Stopped(e.to_string())));
    reply.send(Msg::Previewed { id: key, result });
}

/// What the video or audio file at `url` (asset `id`'s) holds, read by ranges.
pub(super) async fn probe(http: Http, reply: Reply, id: String, url: String) {
    let result = match validate::url(&url) {
        Ok(u) => crate::media::probe_url(&http, &u, crate::media::CheckTimeouts::default())
            .await
            .map(|p| p.media.fields()),
        Err(e) => Err(e),
    };
    reply.send(Msg::Probed { id, result });
}

/// Sorts the assets pane's rows on a worker (one that failed leaves them in load order).
pub(super) async fn sort(reply: Reply, epoch: u64, job: crate::app::sort::SortJob) {
    let order = tokio::task::spawn_blocking(move || job.run())
        .await
        .unwrap_or_default();
    reply.send(Msg::Sorted { epoch, order });
}

/// Opens `url` with `opener`; says so in the status line when it could not.
pub(super) async fn open(opener: Option<String>, reply: Reply, url: String) {
    let failure = match opener {
        Some(opener) => crate::programs::open(&opener, &url)
            .err()
            .map(|e| e.to_string()),
        None => Some("nothing here opens a browser".to_owned()),
    };
    if let Some(why) = failure {
        reply.send(Msg::Notice(format!("the file could not be opened: {why}")));
    }
}
