//! A finished task's video downloaded: streamed to a temporary file beside the target,
//! bounded in size and time, checked to be an MP4 from its bytes, then renamed into place (an
//! existing file replaced only when asked).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::TaskError;
use crate::catalog::Catalog;
use crate::seedance::TaskStatus;

/// The largest video downloaded.
pub const MAX_VIDEO_BYTES: u64 = 1024 * 1024 * 1024;
/// The longest wait for the next bytes of the video.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Told the bytes written so far and the size, when the server says it.
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Send + Sync);

/// A video on disk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Downloaded {
    /// Where.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
}

/// The file a task's video is downloaded to unless told otherwise: `<id>.mp4` (of the id's
/// safe characters) in the current folder.
pub fn video_file(id: &str) -> PathBuf {
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    PathBuf::from(format!(
        "{}.mp4",
        if safe.is_empty() { "video" } else { &safe }
    ))
}

/// Removes the temporary file when the download does not finish.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Catalog {
    /// Downloads task `id`'s video to `out` (replacing a file there only with `force`);
    /// `progress` is told as bytes arrive.
    pub(crate) async fn download_task(
        &self,
        id: &str,
        out: &Path,
        force: bool,
        progress: Progress<'_>,
    ) -> Result<Downloaded, TaskError> {
        if !force && out.exists() {
            return Err(TaskError::refused(format!(
                "{} exists: pass --force to replace it",
                out.display()
            )));
        }
        let task = self.get_task(id).await?;
        let shown = crate::text::visible(id);
        if task.status != TaskStatus::Succeeded {
            return Err(TaskError::refused(format!(
                "task {shown} is {}: only a succeeded task has a video",
                task.status
            )));
        }
        let url = task.video_url().ok_or_else(|| {
            TaskError::Download(format!("task {shown} succeeded without a video link"))
        })?;
        let partial = temporary_beside(out);
        let mut guard = Partial(Some(partial.clone()));
        let bytes = self.fetch_to(url, &partial, progress).await?;
        match crate::media::probe_file(&partial).await.map(|p| p.media) {
            Ok(crate::media::Media::Video(v)) if v.container == crate::media::Container::Mp4 => {}
            Ok(other) => {
                return Err(TaskError::Download(format!(
                    "the video of task {shown} is not an MP4 ({}); nothing was written",
                    other.summary()
                )));
            }
            Err(e) if e.is_unreadable() => {
                return Err(TaskError::Download(format!(
                    "the video of task {shown} could not be read back ({e}); nothing was written"
                )));
            }
            Err(e) => {
                return Err(TaskError::Download(format!(
                    "the video of task {shown} is not an MP4 ({e}); nothing was written"
                )));
            }
        }
        if !force && out.exists() {
            return Err(TaskError::refused(format!(
                "{} appeared meanwhile: pass --force to replace it",
                out.display()
            )));
        }
        std::fs::rename(&partial, out)
            .map_err(|e| TaskError::Download(format!("{}: {e}", out.display())))?;
        guard.0 = None;
        Ok(Downloaded {
            path: out.to_owned(),
            bytes,
        })
    }

    /// Streams `url` into `path` (at most [`MAX_VIDEO_BYTES`], each read within
    /// [`READ_TIMEOUT`]); answers the bytes written.
    async fn fetch_to(
        &self,
        url: &str,
        path: &Path,
        progress: Progress<'_>,
    ) -> Result<u64, TaskError> {
        use tokio::io::AsyncWriteExt;
        let failed =
            |what: String| TaskError::Download(crate::text::redact_urls(&what).into_owned());
        let http = self.seedance()?.http();
        let send = http.get(url).send();
        let mut resp = tokio::time::timeout(READ_TIMEOUT, send)
            .await
            .map_err(|_| {
                failed(format!(
                    "the video's link gave no answer within {} s",
                    READ_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|e| failed(crate::http::error_chain(&e.without_url())))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(failed(format!(
                "the video's link answered HTTP {status}: links expire 24 h after the task \
                 finished (`tasks get` gives a fresh one while it lasts)"
            )));
        }
        let size = resp.content_length();
        if size.is_some_and(|s| s > MAX_VIDEO_BYTES) {
            return Err(failed(format!("the video is over {MAX_VIDEO_BYTES} bytes")));
        }
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| failed(format!("{}: {e}", path.display())))?;
        let mut written = 0u64;
        loop {
            let chunk = tokio::time::timeout(READ_TIMEOUT, resp.chunk())
                .await
                .map_err(|_| {
                    failed(format!(
                        "the download stalled for {} s",
                        READ_TIMEOUT.as_secs()
                    ))
                })?
                .map_err(|e| failed(crate::http::error_chain(&e.without_url())))?;
            let Some(chunk) = chunk else { break };
            written += chunk.len() as u64;
            if written > MAX_VIDEO_BYTES {
                return Err(failed(format!("the video is over {MAX_VIDEO_BYTES} bytes")));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| failed(format!("{}: {e}", path.display())))?;
            progress(written, size);
        }
        file.sync_all()
            .await
            .map_err(|e| failed(format!("{}: {e}", path.display())))?;
        Ok(written)
    }
}

/// A hidden temporary name in `out`'s folder (so the rename stays on one file system).
fn temporary_beside(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "video.mp4".to_owned());
    out.with_file_name(format!(".{name}.part-{:08x}", rand::random::<u32>()))
}
