//! Pulling a group's files back: every Active asset's file downloaded into a folder as
//! `<name>.<ext>` (the extension read from the bytes), so that `sync` of that folder
//! afterwards matches every file to its asset and plans nothing.
//!
//! Each download is bounded (connect, every chunk, the whole), streamed to a temporary file
//! beside its place, checked (its length against `Content-Length`, its type from its bytes),
//! then renamed into place; a file already there with the same content is left as it is, so a
//! pull cut short and run again downloads only what is missing. Each file's content is recorded
//! in the ledger as its asset's (`file:<group>:<sha256>`, as an import of it would), which is
//! how `sync` matches it by content.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;
use tokio::io::AsyncWriteExt;

use super::import::Refused;
use super::{Catalog, GroupLookup, ListError};
use crate::api::model::{Asset, AssetFilter, Status};
use crate::ledger::{Entry, EntryState, LedgerError};
use crate::media::MediaKind;

/// The largest file downloaded (the largest asset the service takes, a 200 MB video, with room).
pub const MAX_DOWNLOAD_BYTES: u64 = 256 * 1024 * 1024;
/// Longest wait to connect to a file's host.
const CONNECT: Duration = Duration::from_secs(10);
/// Longest wait for the answer's head, and then for each next chunk of its body.
const STALL: Duration = Duration::from_secs(30);
/// Downloads at once.
pub const AT_ONCE: usize = 4;

/// What a pull is asked to do besides the group and the folder.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// Put images, videos and audio in sub-folders of their own (`image/`, `video/`, `audio/`).
    pub by_type: bool,
}

/// A file pulled (or found already there).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pulled {
    /// The asset.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Its sha256.
    pub sha256: String,
}

/// What a pull did, asset by asset (`--json` prints it with PascalCase keys).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PullReport {
    /// The group pulled.
    pub group: String,
    /// Downloaded by this run.
    pub downloaded: Vec<Pulled>,
    /// Already in the folder with the same content.
    pub unchanged: Vec<Pulled>,
    /// Assets not pulled: not Active (their file is not there yet, or never will be).
    #[serde(serialize_with = "crate::catalog::import::reasons::left_out")]
    pub skipped: Vec<Refused>,
    /// Downloads that failed.
    #[serde(serialize_with = "crate::catalog::import::reasons::failed")]
    pub failed: Vec<Refused>,
}

impl PullReport {
    /// Whether every Active asset is in the folder now.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }
}

/// What a pull says as it goes.
#[derive(Debug)]
pub enum PullEvent<'a> {
    /// Downloads start: how many assets.
    Started {
        /// Active assets to pull.
        files: usize,
    },
    /// An asset's file is in the folder.
    Done(&'a Pulled, bool),
    /// An asset's download failed.
    Failed(&'a Refused),
}

/// Where a pull's events go.
pub type PullEvents = Arc<dyn Fn(PullEvent<'_>) + Send + Sync>;

/// Why a pull could not run at all (an asset's failure is in its report instead).
#[derive(Debug, Clone, thiserror::Error)]
pub enum PullError {
    /// The group was not found.
    #[error(transparent)]
    Lookup(#[from] GroupLookup),
    /// The group's assets could not be listed.
    #[error(transparent)]
    List(#[from] ListError),
    /// The group's listing stopped early: what it did not list would be missing unsaid.
    #[error("the group's assets could not all be listed ({0}); nothing was downloaded")]
    Incomplete(String),
    /// The folder cannot be made or written.
    #[error("{}: {why}", .folder.display())]
    Folder {
        /// The folder.
        folder: PathBuf,
        /// Why.
        why: String,
    },
    /// The ledger could not be read or written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

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

/// One asset's place in the folder, without its extension (known once its bytes are read).
struct Place {
    asset: Asset,
    /// The folder it goes in.
    folder: PathBuf,
    /// The file name's stem.
    stem: String,
}

impl Catalog {
    /// Pulls every Active asset of `group` (its id or name) into `dir`, telling `events` as
    /// each ends. Never cut short: a group not listed whole downloads nothing.
    pub async fn pull(
        &self,
        group: &str,
        dir: &Path,
        opts: &PullOptions,
        events: PullEvents,
    ) -> Result<PullReport, PullError> {
        let group = self.group(group).await?;
        let listing = self.assets(&AssetFilter::group(&group.id)).await?;
        if let Some(why) = listing.stopped {
            return Err(PullError::Incomplete(why));
        }
        make_folder(dir)?;
        let (active, skipped) = active_only(listing.items);
        let mut report = PullReport {
            group: group.id.clone(),
            skipped,
            ..PullReport::default()
        };
        let places = places(dir, active, opts.by_type);
        let folders: std::collections::BTreeSet<&Path> =
            places.iter().map(|p| p.folder.as_path()).collect();
        for folder in folders {
            make_folder(folder)?;
            remove_abandoned(folder);
        }
        events(PullEvent::Started {
            files: places.len(),
        });
        let http = download_client();
        let group_id = group.id.as_str();
        let mut ended = futures::stream::iter(places)
            .map(|place| {
                let http = http.clone();
                async move {
                    let outcome = self.pull_one(&http, group_id, &place).await;
                    (place, outcome)
                }
            })
            .buffer_unordered(AT_ONCE);
        while let Some((place, outcome)) = ended.next().await {
            match outcome {
                Ok((pulled, fresh)) => {
                    events(PullEvent::Done(&pulled, fresh));
                    let into = if fresh {
                        &mut report.downloaded
                    } else {
                        &mut report.unchanged
                    };
                    into.push(pulled);
                }
                Err(error) => {
                    let refused = Refused {
                        origin: format!("{} ({})", place.asset.id, place.asset.name),
                        line: 0,
                        error,
                    };
                    events(PullEvent::Failed(&refused));
                    report.failed.push(refused);
                }
            }
        }
        report.downloaded.sort_by(|a, b| a.path.cmp(&b.path));
        report.unchanged.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(report)
    }

    /// Pulls one asset's file into its place: the file and whether this run downloaded it
    /// (false: it was there with the same content).
    async fn pull_one(
        &self,
        http: &reqwest::Client,
        group: &str,
        place: &Place,
    ) -> Result<(Pulled, bool), String> {
        let asset = &place.asset;
        if let Some(pulled) = self.already_there(group, place)? {
            return Ok((pulled, false));
        }
        let got = download(http, &asset.url, &place.folder).await?;
        if !got
            .kind
            .asset_type()
            .eq_ignore_ascii_case(&asset.asset_type)
        {
            return Err(format!(
                "its file is {} by its bytes, but the asset is {}; not written",
                got.kind.asset_type(),
                crate::text::visible(&asset.asset_type)
            ));
        }
        let path = place.folder.join(file_name(&place.stem, got.extension));
        let there = same_content(&path, &got.sha256).await;
        let pulled = Pulled {
            id: asset.id.clone(),
            name: asset.name.clone(),
            path: path.clone(),
            bytes: got.bytes,
            sha256: got.sha256.clone(),
        };
        if !there {
            got.file
                .keep_as(&path)
                .map_err(|e| format!("cannot be written to {}: {e}", path.display()))?;
        }
        self.learn_content(group, asset, &pulled.sha256)
            .map_err(|e| e.to_string())?;
        Ok((pulled, !there))
    }

    /// The asset's file when it is in its place already: a file of the place's stem whose
    /// content the ledger knows as this asset's in `group` (a pull or an import recorded it).
    fn already_there(&self, group: &str, place: &Place) -> Result<Option<Pulled>, String> {
        for ext in extensions(&place.asset.asset_type) {
            let path = place.folder.join(file_name(&place.stem, ext));
            let Ok(bytes) = std::fs::metadata(&path).map(|m| m.len()) else {
                continue;
            };
            let Some(sha256) = hash_of(&path) else {
                continue;
            };
            let key = super::sync::content_key(group, &sha256);
            let entry = self.ledger().get(&key).map_err(|e| e.to_string())?;
            if entry.and_then(|e| e.id).as_deref() == Some(place.asset.id.as_str()) {
                return Ok(Some(Pulled {
                    id: place.asset.id.clone(),
                    name: place.asset.name.clone(),
                    path,
                    bytes,
                    sha256,
                }));
            }
        }
        Ok(None)
    }

    /// Records `sha256` as the content of `asset` in `group` (as importing the file would have
    /// keyed it), unless the ledger has that content there already.
    fn learn_content(&self, group: &str, asset: &Asset, sha256: &str) -> Result<(), LedgerError> {
        let key = super::sync::content_key(group, sha256);
        if self.ledger().get(&key)?.is_some() {
            return Ok(());
        }
        self.ledger().record(&Entry {
            key,
            group: group.to_owned(),
            name: asset.name.clone(),
            url: String::new(),
            state: EntryState::Created,
            id: Some(asset.id.clone()),
            error: None,
            at: chrono::Utc::now(),
            object: None,
            cleaned: true,
            sha256: Some(sha256.to_owned()),
        })
    }
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
fn remove_abandoned(folder: &Path) {
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

/// The assets whose file can be pulled (Active, with a link), and the others, each with why.
fn active_only(assets: Vec<Asset>) -> (Vec<Asset>, Vec<Refused>) {
    let mut skipped = Vec::new();
    let mut active = Vec::new();
    for asset in assets {
        if asset.status == Status::Active && !asset.url.is_empty() {
            active.push(asset);
        } else {
            skipped.push(Refused {
                origin: asset.id.clone(),
                line: 0,
                error: format!("not pulled: it is {:?}, not Active", asset.status),
            });
        }
    }
    (active, skipped)
}

/// Makes `dir` (and its parents) when it is not there.
fn make_folder(dir: &Path) -> Result<(), PullError> {
    std::fs::create_dir_all(dir).map_err(|e| PullError::Folder {
        folder: dir.to_owned(),
        why: format!("cannot be made: {}", crate::files::problem(&e)),
    })
}

/// Where each asset goes: `<dir>[/<type>]/<name>`; the name made a safe file name; of assets
/// whose places would be the same file, the oldest takes it and each other goes into a folder
/// named by its id (`sync --recursive` names those by the path below the folder, whose stem is
/// still the asset's name).
fn places(dir: &Path, mut assets: Vec<Asset>, by_type: bool) -> Vec<Place> {
    assets.sort_by(|a, b| (a.create_time, &a.id).cmp(&(b.create_time, &b.id)));
    let mut taken: HashMap<(PathBuf, String, String), ()> = HashMap::new();
    assets
        .into_iter()
        .map(|asset| {
            let mut folder = dir.to_owned();
            if by_type {
                folder.push(type_folder(&asset.asset_type));
            }
            let stem = file_stem(&asset.name, &asset.id);
            let slot = (
                folder.clone(),
                stem.to_lowercase(),
                asset.asset_type.clone(),
            );
            if taken.insert(slot, ()).is_some() {
                folder.push(file_stem(&asset.id, "asset"));
            }
            Place {
                asset,
                folder,
                stem,
            }
        })
        .collect()
}

/// The sub-folder of a type: `image`, `video`, `audio`, else `other` (the service's word is
/// never a path).
fn type_folder(asset_type: &str) -> &'static str {
    ["image", "video", "audio"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(asset_type))
        .unwrap_or("other")
}

/// The longest stem, in bytes (a file name may have 255, and the extension follows).
const MAX_STEM_BYTES: usize = 240;

/// `name` as a file name's stem: path separators, control characters and a leading dot
/// replaced by `_`, cut to [`MAX_STEM_BYTES`]; `fallback` when nothing is left.
fn file_stem(name: &str, fallback: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if stem.starts_with('.') {
        stem.replace_range(0..1, "_");
    }
    while stem.len() > MAX_STEM_BYTES {
        stem.pop();
    }
    if stem.trim().is_empty() {
        fallback.to_owned()
    } else {
        stem
    }
}

/// The file name of `stem` with extension `ext`: `stem` alone when it ends with it already
/// (an asset named `voice.wav` is `voice.wav`, not `voice.wav.wav`).
fn file_name(stem: &str, ext: &str) -> String {
    let has = stem.len() > ext.len() + 1
        && stem.is_char_boundary(stem.len() - ext.len() - 1)
        && stem[stem.len() - ext.len() - 1..].eq_ignore_ascii_case(&format!(".{ext}"));
    if has {
        stem.to_owned()
    } else {
        format!("{stem}.{ext}")
    }
}

/// The extensions a file of `asset_type` may have been given.
fn extensions(asset_type: &str) -> &'static [&'static str] {
    match asset_type.to_ascii_lowercase().as_str() {
        "video" => &["mp4", "mov"],
        "audio" => &["wav", "mp3"],
        _ => &["png", "jpg", "webp", "bmp", "gif", "tiff", "heic"],
    }
}

/// The sha256 of the file at `path`, when it can be read.
fn hash_of(path: &Path) -> Option<String> {
    use sha2::Digest;
    let mut file = crate::files::open(path).ok()?;
    let mut sha = sha2::Sha256::new();
    std::io::copy(&mut file, &mut sha).ok()?;
    Some(hex::encode(sha.finalize()))
}

/// Whether the file at `path` has content `sha256`.
async fn same_content(path: &Path, sha256: &str) -> bool {
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

    fn asset(id: &str, name: &str, kind: &str, minute: i64) -> Asset {
        serde_json::from_value(serde_json::json!({
            "Id": id,
            "Name": name,
            "AssetType": kind,
            "CreateTime": format!("2026-01-01T00:{minute:02}:00Z"),
        }))
        .unwrap()
    }

    #[test]
    fn names_that_would_be_one_file_go_to_folders_of_their_ids() {
        let dir = Path::new("/d");
        let got = places(
            dir,
            vec![
                asset("asset-b", "hero", "Image", 2),
                asset("asset-a", "hero", "Image", 1),
                asset("asset-c", "hero", "Video", 3),
                asset("asset-d", "a/b", "Image", 4),
                asset("asset-e", ".hidden", "Image", 5),
            ],
            false,
        );
        let shown: Vec<(String, String, String)> = got
            .iter()
            .map(|p| {
                let folder = p.folder.display().to_string();
                (p.asset.id.clone(), folder, p.stem.clone())
            })
            .collect();
        let row = |id: &str, f: &str, s: &str| (id.to_owned(), f.to_owned(), s.to_owned());
        assert_eq!(
            shown,
            vec![
                row("asset-a", "/d", "hero"),
                row("asset-b", "/d/asset-b", "hero"),
                row("asset-c", "/d", "hero"),
                row("asset-d", "/d", "a_b"),
                row("asset-e", "/d", "_hidden"),
            ]
        );
        let typed = places(
            dir,
            vec![
                asset("asset-a", "hero", "Video", 1),
                asset("asset-b", "x", "../../etc", 2),
            ],
            true,
        );
        assert_eq!(typed[0].folder, Path::new("/d/video"));
        assert_eq!(typed[1].folder, Path::new("/d/other"));
        assert_eq!(file_stem(&"字".repeat(90), "x").len(), 240);
        assert_eq!(file_name("voice.WAV", "wav"), "voice.WAV");
        assert_eq!(file_name("voice", "wav"), "voice.wav");
        assert_eq!(file_name(".wav", "wav"), ".wav.wav");
        assert_eq!(file_name("clip.mov", "mp4"), "clip.mov.mp4");
    }
}
