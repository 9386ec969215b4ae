//! Pulling a group's files back: every Active asset's file downloaded into a folder as
//! `<name>.<ext>` (the extension read from the bytes), so that `sync` of that folder
//! afterwards matches every file to its asset and plans nothing.
//!
//! Each download is bounded (connect, every chunk, the whole), streamed to a temporary file
//! beside its place, checked (its length against `Content-Length`, its type from its bytes),
//! then put into place; a file already there with the same content is left as it is, so a
//! pull cut short and run again downloads only what is missing, and one of other content (an
//! edit not synced yet) is never written over: that asset is refused. Each file's content is
//! recorded in the ledger as its asset's (`file:<group>:<sha256>`, as an import of it would),
//! which is how `sync` matches it by content.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;

use super::import::Refused;
use super::{Catalog, GroupLookup, ListError};
use crate::api::model::{Asset, AssetFilter, Status};
use crate::ledger::LedgerError;

mod download;
mod names;

pub(crate) use download::{download, download_client};
use download::{hash_of, remove_abandoned, same_content};
use names::{FileName, places};

/// The largest file downloaded (the largest asset the service takes, a 200 MB video, with room).
pub(crate) const MAX_DOWNLOAD_BYTES: u64 = 256 * 1024 * 1024;
/// Longest wait to connect to a file's host.
const CONNECT: Duration = Duration::from_secs(10);
/// Longest wait for the answer's head, and then for each next chunk of its body.
const STALL: Duration = Duration::from_secs(30);
/// Downloads at once.
pub(crate) const AT_ONCE: usize = 4;

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
pub(crate) type PullEvents = Arc<dyn Fn(PullEvent<'_>) + Send + Sync>;

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

/// One asset's place in the folder, without its extension (known once its bytes are read).
struct Place {
    asset: Asset,
    /// The folder it goes in.
    folder: PathBuf,
    /// Its file name there.
    name: FileName,
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
        let path = place.folder.join(place.name.with(got.extension));
        let pulled = Pulled {
            id: asset.id.clone(),
            name: asset.name.clone(),
            path: path.clone(),
            bytes: got.bytes,
            sha256: got.sha256.clone(),
        };
        let fresh = match got.file.keep_new(&path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if !same_content(&path, &got.sha256).await {
                    return Err(taken(&path));
                }
                false
            }
            Err(e) => return Err(format!("cannot be written to {}: {e}", path.display())),
        };
        super::sync::learn_content(self.ledger(), group, asset, &pulled.sha256)
            .map_err(|e| e.to_string())?;
        Ok((pulled, fresh))
    }

    /// The asset's file when it is in its place already: a file of the place's name whose
    /// content the ledger knows as this asset's in `group` (a pull or an import recorded it).
    fn already_there(&self, group: &str, place: &Place) -> Result<Option<Pulled>, String> {
        for name in place.name.all(&place.asset.asset_type) {
            let path = place.folder.join(name);
            let Ok(bytes) = std::fs::metadata(&path).map(|m| m.len()) else {
                continue;
            };
            let Some(sha256) = hash_of(&path) else {
                continue;
            };
            let ids = self
                .ledger()
                .assets_of_content(group, &sha256)
                .map_err(|e| e.to_string())?;
            if ids.contains(&place.asset.id) {
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

/// Why an asset's file is not written where something else is: never written over.
fn taken(path: &Path) -> String {
    format!(
        "{} holds other content than this asset's file (changed since it was pulled, or \
         another file), so it is not written over: move it away, or pull into another folder",
        path.display()
    )
}

/// Makes `dir` (and its parents) when it is not there.
fn make_folder(dir: &Path) -> Result<(), PullError> {
    std::fs::create_dir_all(dir).map_err(|e| PullError::Folder {
        folder: dir.to_owned(),
        why: format!("cannot be made: {}", crate::files::problem(&e)),
    })
}
