//! A pull's downloads: bounded, streamed to a locked temporary file beside its place, hashed
//! and typed as they come; the temporary files a killed run left removed.

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

use super::*;
use crate::media::MediaKind;

/// A file downloaded into a temporary file: where, its content, and its type from its bytes.
#[derive(Debug)]
pub(crate) struct Downloaded {
    /// The temporary file (removed when this is dropped, unless kept).
    pub file: Partial,
    /// Its sha256.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
    /// What its bytes are.
    pub kind: MediaKind,
    /// Its usual extension.
    pub extension: &'static str,
}

/// The start of a download's temporary file's name.
const PARTIAL_PREFIX: &str = ".ark-assets-pull-";

/// A download's temporary file beside its place (`.ark-assets-pull-<pid>-<n>`), locked while
/// it lives (so a later pull tells one a killed run left from one being written), removed
/// when dropped unless it was renamed into place.
#[derive(Debug)]
pub(crate) struct Partial {
    /// Where it is.
    pub path: PathBuf,
    /// The file, locked.
    _held: std::fs::File,
    kept: bool,
}

impl Partial {
    /// A new empty file in `folder` (created, never an existing one).
    fn new(folder: &Path) -> std::io::Result<Partial> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = folder.join(format!("{PARTIAL_PREFIX}{}-{n}", std::process::id()));
        let held = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        held.lock()?;
        Ok(Partial {
            path,
            _held: held,
            kept: false,
        })
    }

    /// Renames it to `to`, replacing what is there in one step.
    pub(crate) fn keep_as(mut self, to: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, to)?;
        self.kept = true;
        Ok(())
    }

    /// Puts it at `to` only when nothing is there (an `AlreadyExists` error otherwise): linked
    /// there in one step, so a file that appeared meanwhile is never replaced; renamed where
    /// the folder cannot link and `to` is still free.
    pub(super) fn keep_new(self, to: &Path) -> std::io::Result<()> {
        match std::fs::hard_link(&self.path, to) {
            // The temporary name is removed as it is dropped.
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if std::fs::symlink_metadata(to).is_ok() => Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} is there", to.display()),
            )),
            Err(_) => self.keep_as(to),
        }
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Removes the temporary files of downloads in `folder` that no run is writing (a run killed
/// left them); one being written is locked, and kept.
pub(super) fn remove_abandoned(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_string_lossy()
            .starts_with(PARTIAL_PREFIX);
        let path = entry.path();
        let free = || std::fs::File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) && free() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The sha256 of the file at `path`, when it can be read.
pub(super) fn hash_of(path: &Path) -> Option<String> {
    crate::storage::content_of(path).ok().map(|c| c.sha256)
}

/// Whether the file at `path` has content `sha256`.
pub(super) async fn same_content(path: &Path, sha256: &str) -> bool {
    let path = path.to_owned();
    let want = sha256.to_owned();
    tokio::task::spawn_blocking(move || hash_of(&path).is_some_and(|h| h == want))
        .await
        .unwrap_or(false)
}

/// The HTTP client downloads use: it connects within [`CONNECT`] and follows only redirects
/// that keep a signed URL on its origin.
pub(crate) fn download_client() -> reqwest::Client {
    crate::http::client(|b| {
        b.connect_timeout(CONNECT)
            .redirect(crate::http::safe_redirects())
    })
}

/// Downloads `url` into a temporary file in `folder`: every wait bounded ([`STALL`]), at most
/// [`MAX_DOWNLOAD_BYTES`], the length checked against `Content-Length`, hashed as it comes,
/// and its type read from its bytes. Errors name the URL without its query.
pub(crate) async fn download(
    http: &reqwest::Client,
    url: &str,
    folder: &Path,
) -> Result<Downloaded, String> {
    use sha2::Digest;
    let shown = crate::text::redact_urls(url);
    let stalled = || format!("{shown}: no answer for {} s", STALL.as_secs());
    let failed = |e: reqwest::Error| format!("{shown}: {}", crate::http::error_chain(&e));
    let mut answer = tokio::time::timeout(STALL, http.get(url).send())
        .await
        .map_err(|_| stalled())?
        .map_err(failed)?;
    if !answer.status().is_success() {
        return Err(format!("{shown}: answered HTTP {}", answer.status()));
    }
    let expected = answer.content_length();
    if expected.is_some_and(|n| n > MAX_DOWNLOAD_BYTES) {
        return Err(format!(
            "{shown}: is {} bytes, over the {MAX_DOWNLOAD_BYTES} bytes a download may be",
            expected.unwrap_or_default()
        ));
    }
    let partial = Partial::new(folder)
        .map_err(|e| format!("{}: cannot be written: {e}", folder.display()))?;
    let path = partial.path.clone();
    let mut out = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .await
        .map_err(|e| format!("{}: cannot be written: {e}", path.display()))?;
    let mut sha = sha2::Sha256::new();
    let mut bytes = 0u64;
    let write_error = |e: std::io::Error| format!("{}: cannot be written: {e}", path.display());
    while let Some(chunk) = tokio::time::timeout(STALL, answer.chunk())
        .await
        .map_err(|_| stalled())?
        .map_err(failed)?
    {
        bytes += chunk.len() as u64;
        if bytes > MAX_DOWNLOAD_BYTES {
            return Err(format!(
                "{shown}: more than the {MAX_DOWNLOAD_BYTES} bytes a download may be"
            ));
        }
        sha.update(&chunk);
        out.write_all(&chunk).await.map_err(write_error)?;
    }
    out.flush().await.map_err(write_error)?;
    out.sync_all().await.map_err(write_error)?;
    drop(out);
    if let Some(n) = expected.filter(|&n| n != bytes) {
        return Err(format!(
            "{shown}: the download was cut short: {bytes} of {n} bytes came"
        ));
    }
    let probed = crate::media::probe_file(&path)
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    Ok(Downloaded {
        file: partial,
        sha256: hex::encode(sha.finalize()),
        bytes,
        kind: probed.media.kind(),
        extension: probed.media.extension(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_put_only_into_a_free_place() {
        let dir = std::env::temp_dir().join(format!("ark-keep-new-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let there = dir.join("hero.png");
        std::fs::write(&there, b"an edit").unwrap();
        let partial = Partial::new(&dir).unwrap();
        std::fs::write(&partial.path, b"the asset").unwrap();
        let temporary = partial.path.clone();
        let refused = partial.keep_new(&there).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&there).unwrap(), b"an edit");
        assert!(!temporary.exists(), "the temporary file is removed");
        let free = dir.join("villain.png");
        let partial = Partial::new(&dir).unwrap();
        std::fs::write(&partial.path, b"the asset").unwrap();
        let temporary = partial.path.clone();
        partial.keep_new(&free).unwrap();
        assert_eq!(std::fs::read(&free).unwrap(), b"the asset");
        assert!(!temporary.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
