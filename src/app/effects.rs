//! Effects: the work `update` asks for, run as tokio tasks that answer with [`Action`]s.

use std::sync::{Arc, RwLock};

use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::action::SwitchedProfile;
use super::state::{Header, Target};
use crate::api::AssetsApi;
use crate::api::model::*;
use crate::catalog::Catalog;
use crate::catalog::upload::{self, LocalFile};
use crate::catalog::{Cursor, Intent};
use crate::http::Http;
use crate::ledger;
use crate::media::{self, Policy};
use crate::validate;

/// Work to do outside `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List every group.
    LoadGroups,
    /// Load `pages` pages of a group's assets from `from`.
    LoadAssets {
        /// Group.
        group_id: String,
        /// Where the first of them starts.
        from: Cursor,
        /// How many pages.
        pages: u32,
        /// The order to ask the service for.
        order: (SortBy, SortOrder),
    },
    /// Refresh the status of a group's Processing assets.
    Poll {
        /// Group.
        group_id: String,
        /// Assets known to be Processing, as last seen.
        processing: Vec<crate::catalog::poll::Pending>,
    },
    /// Sort the assets pane's rows on a worker.
    Sort {
        /// The pane's epoch the keys were taken at.
        epoch: u64,
        /// The keys.
        job: super::sort::SortJob,
    },
    /// GetAsset for the asset's signed URL (rows do not keep them).
    FetchUrl {
        /// Asset id.
        id: String,
    },
    /// Create a group.
    CreateGroup {
        /// Name.
        name: String,
        /// Description.
        description: String,
    },
    /// Import a folder's media files into a group (not its sub-folders).
    ImportFolder {
        /// Group.
        group_id: String,
        /// The folder.
        path: std::path::PathBuf,
    },
    /// Fetch an image asset and draw it in `cols × rows` cells (half blocks or graphics).
    Preview {
        /// Asset id.
        id: String,
        /// Its signed URL.
        url: String,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// Read a local file and draw it in `cols × rows` cells when it is an image.
    PreviewFile {
        /// Its key in the preview cache.
        key: String,
        /// The file.
        path: std::path::PathBuf,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// Read what a video or audio asset's file holds (ranged reads of its URL).
    Probe {
        /// Asset id.
        id: String,
        /// Its signed URL.
        url: String,
    },
    /// Check a URL, then create an asset from it.
    CreateAsset {
        /// Group.
        group_id: String,
        /// URL of the file.
        url: String,
        /// Name (may be empty).
        name: String,
    },
    /// Check a local file, upload it, then create an asset from it.
    CreateFromFile {
        /// Group.
        group_id: String,
        /// The file.
        path: std::path::PathBuf,
        /// Name (may be empty: the file's stem).
        name: String,
    },
    /// Change a group's name and description.
    UpdateGroup {
        /// Group id.
        id: String,
        /// New name.
        name: String,
        /// New description.
        description: String,
    },
    /// Rename an asset.
    RenameAsset {
        /// Asset id.
        id: String,
        /// New name.
        name: String,
    },
    /// Count a group's assets (before asking whether to delete it).
    CountAssets {
        /// Group.
        group_id: String,
    },
    /// Delete a group or an asset.
    Delete(Target),
    /// Create Failed assets again from the ledger's record of their source.
    Retry {
        /// Their group.
        group_id: String,
        /// The Failed assets.
        ids: Vec<String>,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Scope requests to another project.
    SwitchProject(String),
    /// Work as another configured profile from now on (its endpoint, keys, ledger and
    /// storage), keeping what the session leaves behind for the one it leaves.
    SwitchProfile {
        /// The profile to open.
        to: String,
        /// The profile left and its state, to keep for its next session.
        leaving: Option<(String, crate::app::remembered::Remembered)>,
    },
    /// Start a liveness check of a real person.
    StartVerification,
    /// Ask, once, for the result of the liveness check with this token.
    FinishVerification(String),
}

/// Writes clipboard text; the TUI sends OSC 52 to its terminal.
pub trait Clipboard: Send + Sync {
    /// Copies `text`.
    fn copy(&self, text: &str);
}

/// Opens a configured profile by name: its catalog and whether it is read-only, or why not.
/// It reads files (the config, the ledger), so the runner calls it on a blocking thread.
pub type OpenProfile = Arc<dyn Fn(&str) -> Result<(Catalog, bool), String> + Send + Sync>;

/// What the title bar shows for `catalog`'s endpoint under `profile`.
pub fn header(catalog: &Catalog, profile: String) -> Header {
    let endpoint = catalog.client().endpoint();
    Header {
        profile,
        dialect: endpoint.dialect(),
        endpoint: endpoint.base().as_str().trim_end_matches('/').to_owned(),
        project: match endpoint {
            crate::api::Endpoint::Domestic(d) => {
                d.project.clone().unwrap_or_else(|| "default".to_owned())
            }
            crate::api::Endpoint::Global(_) => String::new(),
        },
    }
}

/// Says that calls are slow as [`Action::Notice`]s on `tx`.
fn slow_calls_to(tx: &UnboundedSender<Action>) -> crate::api::Notice {
    let tx = tx.clone();
    Arc::new(move |message: &str| {
        let _ = tx.send(Action::Notice(message.to_owned()));
    })
}

/// Runs `task`; should it panic, says so with [`Action::TaskFailed`] (the panic message goes to
/// the log), so that nothing waits for an answer that will never come.
fn spawn_reported(tx: &UnboundedSender<Action>, task: impl Future<Output = ()> + Send + 'static) {
    use futures::FutureExt;
    let tx = tx.clone();
    tokio::spawn(async move {
        if std::panic::AssertUnwindSafe(task)
            .catch_unwind()
            .await
            .is_err()
        {
            let _ = tx.send(Action::TaskFailed(
                "a background task failed unexpectedly (details in the log); R reloads".to_owned(),
            ));
        }
    });
}

/// Runs effects against the service and reports back over one channel.
pub struct Runner {
    /// The profile's catalog; replaced when the profile or the project changes (tasks already
    /// running keep the one they started with).
    catalog: Arc<RwLock<Catalog>>,
    /// Opens other profiles (none: there are none to switch to).
    open_profile: Option<OpenProfile>,
    /// How previews are painted.
    painter: crate::preview::Painter,
    /// One preview is decoded at a time: moving across many images queues their decodes
    /// instead of holding all their pixels at once.
    decodes: Arc<tokio::sync::Semaphore>,
    /// The client of previews, probes and image checks: made on its first use, on a task (it
    /// loads the system's root certificates, which would delay the first frame).
    http: Http,
    tx: UnboundedSender<Action>,
    clipboard: Arc<dyn Clipboard>,
}

impl Runner {
    /// A runner that works through `catalog` and answers on `tx`.
    pub fn new(
        catalog: Catalog,
        tx: UnboundedSender<Action>,
        clipboard: Arc<dyn Clipboard>,
    ) -> Self {
        let notice = slow_calls_to(&tx);
        Runner {
            catalog: Arc::new(RwLock::new(catalog.with_notice(notice))),
            open_profile: None,
            painter: crate::preview::Painter::HalfBlocks,
            decodes: Arc::new(tokio::sync::Semaphore::new(1)),
            http: Http::lazy(|| validate::check_client(validate::CheckTimeouts::default())),
            tx,
            clipboard,
        }
    }

    /// Lets the runner switch to the profiles `open` opens.
    pub fn with_profiles(self, open: OpenProfile) -> Self {
        Runner {
            open_profile: Some(open),
            ..self
        }
    }

    /// Paints previews with `painter` (the terminal's graphics protocol, or half blocks).
    pub fn with_painter(self, painter: crate::preview::Painter) -> Self {
        Runner { painter, ..self }
    }

    fn catalog(&self) -> Catalog {
        self.catalog.read().expect("catalog lock").clone()
    }

    /// Starts `effect`; its result arrives later as an action.
    pub fn run(&self, effect: Effect) {
        let catalog = self.catalog();
        let tx = self.tx.clone();
        let send = move |action| {
            // The UI may be gone while a task finishes; nothing to do then.
            let _ = tx.send(action);
        };
        let send = Arc::new(send);
        match effect {
            Effect::Copy(text) => self.clipboard.copy(&text),
            Effect::SwitchProject(project) => {
                let mut current = self.catalog.write().expect("catalog lock");
                *current = current.with_project(Some(project));
            }
            Effect::SwitchProfile { to, leaving } => {
                let open = self.open_profile.clone();
                let current = self.catalog.clone();
                let notice = slow_calls_to(&self.tx);
                spawn_reported(&self.tx, async move {
                    let opened = tokio::task::spawn_blocking(move || {
                        let mut problems = Vec::new();
                        if let Some((profile, state)) = leaving
                            && let Err(e) = crate::app::remembered::save(&profile, &state)
                        {
                            problems.push(format!("profile {profile}'s state was not kept: {e}"));
                        }
                        let open = open.ok_or("no other profiles are configured")?;
                        let (catalog, read_only) = open(&to)?;
                        let (remembered, ignored) = crate::app::remembered::load(&to);
                        problems.extend(ignored);
                        Ok::<_, String>((catalog, read_only, remembered, to, problems))
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                    let result = opened.map(|(catalog, read_only, remembered, to, problems)| {
                        let header = header(&catalog, to);
                        *current.write().expect("catalog lock") = catalog.with_notice(notice);
                        SwitchedProfile {
                            header,
                            read_only,
                            remembered,
                            problems,
                        }
                    });
                    send(Action::ProfileSwitched(result))
                });
            }
            Effect::Retry { group_id, ids } => {
                spawn_reported(&self.tx, async move {
                    let mut retried = Vec::with_capacity(ids.len());
                    for id in ids {
                        let result = catalog.retry(&id).await.map_err(|e| e.to_string());
                        retried.push((id, result));
                    }
                    send(Action::Retried { group_id, retried })
                });
            }
            Effect::LoadGroups => {
                spawn_reported(&self.tx, async move {
                    send(Action::GroupsLoaded(catalog.groups().await))
                });
            }
            Effect::LoadAssets {
                group_id,
                from,
                pages,
                order,
            } => {
                spawn_reported(&self.tx, async move {
                    let filter = AssetFilter::group(&group_id);
                    let result = catalog
                        .assets_page(&filter, from.clone(), pages, order)
                        .await;
                    send(Action::AssetsLoaded {
                        group_id,
                        from,
                        order,
                        result,
                    })
                });
            }
            Effect::Poll {
                group_id,
                processing,
            } => {
                spawn_reported(&self.tx, async move {
                    let result = catalog.poll(&group_id, &processing).await;
                    send(Action::Polled { group_id, result })
                });
            }
            Effect::CountAssets { group_id } => {
                spawn_reported(&self.tx, async move {
                    let result = catalog
                        .assets(&AssetFilter::group(&group_id))
                        .await
                        .map(|l| (l.items.len(), l.stopped.is_none()))
                        .map_err(|e| e.to_string());
                    send(Action::AssetsCounted { group_id, result })
                });
            }
            Effect::FetchUrl { id } => {
                spawn_reported(&self.tx, async move {
                    let result = catalog.client().get_asset(&id).await;
                    send(Action::UrlFetched { id, result })
                });
            }
            Effect::CreateGroup { name, description } => {
                spawn_reported(&self.tx, async move {
                    let req = CreateAssetGroup {
                        name,
                        description: (!description.is_empty()).then_some(description),
                        group_type: Some(GroupType::Aigc),
                    };
                    let result = catalog
                        .client()
                        .create_asset_group(&req)
                        .await
                        .map(|c| c.id);
                    send(Action::GroupCreated(result))
                });
            }
            Effect::ImportFolder { group_id, path } => {
                spawn_reported(&self.tx, async move {
                    let folder = path.clone();
                    let listed = tokio::task::spawn_blocking(move || upload::media_files(&folder))
                        .await
                        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
                    let files = match listed {
                        Ok(files) => files,
                        Err(e) => {
                            return send(Action::Imported {
                                group_id,
                                created: 0,
                                existing: 0,
                                failed: vec![format!("{}: cannot be read: {e}", path.display())],
                            });
                        }
                    };
                    let total = files.len();
                    send(Action::Importing {
                        done: 0,
                        total,
                        failed: 0,
                    });
                    let progress = send.clone();
                    let outcome = catalog
                        .import_files(files, &group_id, move |done, failed| {
                            progress(Action::Importing {
                                done,
                                total,
                                failed,
                            })
                        })
                        .await;
                    send(Action::Imported {
                        group_id,
                        created: outcome.created,
                        existing: outcome.existing,
                        failed: outcome.failed,
                    })
                });
            }
            Effect::Preview {
                id,
                url,
                cols,
                rows,
            } => {
                let http = self.http.clone();
                let painter = self.painter.clone();
                let decodes = self.decodes.clone();
                spawn_reported(&self.tx, async move {
                    let result = match crate::preview::fetch(&http, &url).await {
                        Ok(bytes) => {
                            let _turn = decodes.acquire_owned().await;
                            tokio::task::spawn_blocking(move || {
                                crate::preview::render_image(&painter, &bytes, cols, rows)
                            })
                            .await
                            .unwrap_or_else(|e| Err(e.to_string()))
                        }
                        Err(e) => Err(e),
                    };
                    send(Action::Previewed { id, result })
                });
            }
            Effect::Sort { epoch, job } => {
                spawn_reported(&self.tx, async move {
                    // A worker that failed leaves the rows in load order.
                    let order = tokio::task::spawn_blocking(move || job.run())
                        .await
                        .unwrap_or_default();
                    send(Action::Sorted { epoch, order })
                });
            }
            Effect::PreviewFile {
                key,
                path,
                cols,
                rows,
            } => {
                let painter = self.painter.clone();
                let decodes = self.decodes.clone();
                spawn_reported(&self.tx, async move {
                    let _turn = decodes.acquire_owned().await;
                    let result = tokio::task::spawn_blocking(move || {
                        crate::preview::render_file(&painter, &path, cols, rows)
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                    send(Action::Previewed { id: key, result })
                });
            }
            Effect::Probe { id, url } => {
                let http = self.http.clone();
                spawn_reported(&self.tx, async move {
                    let result = match validate::url(&url) {
                        Ok(u) => media::probe_url(&http, &u, validate::CheckTimeouts::default())
                            .await
                            .map(|p| p.media.fields()),
                        Err(e) => Err(e),
                    };
                    send(Action::Probed {
                        id,
                        result: result.map_err(|e| e.rule),
                    })
                });
            }
            Effect::CreateAsset {
                group_id,
                url,
                name,
            } => {
                let http = self.http.clone();
                spawn_reported(&self.tx, async move {
                    let timeouts = validate::CheckTimeouts::default();
                    let checked = match validate::url(&url) {
                        Ok(u) => media::check_url(&http, &u, timeouts, &Policy::default()).await,
                        Err(e) => Err(vec![e]),
                    };
                    let checked = match checked {
                        Ok(checked) => checked,
                        Err(problems) => {
                            let problems = problems.iter().map(ToString::to_string).collect();
                            return send(Action::AssetRejected(problems));
                        }
                    };
                    let name = if name.is_empty() {
                        ledger::default_name(&url)
                    } else {
                        name
                    };
                    let req = CreateAsset::of(checked.media.kind(), &group_id, url, Some(name));
                    let key = ledger::one_off_key("tui");
                    let intent = Intent::new(&key, &group_id);
                    let result = catalog.create_once(&intent, &req).await.map(|m| m.id);
                    send(Action::AssetCreated {
                        group_id,
                        result,
                        warnings: checked.warnings,
                    })
                });
            }
            Effect::CreateFromFile {
                group_id,
                path,
                name,
            } => {
                spawn_reported(&self.tx, async move {
                    let file = match LocalFile::inspect(&path, &Policy::default()).await {
                        Ok(file) => file,
                        Err(problems) => {
                            let problems = problems.iter().map(ToString::to_string).collect();
                            return send(Action::AssetRejected(problems));
                        }
                    };
                    let name = if name.is_empty() {
                        file.default_name()
                    } else {
                        name
                    };
                    let total = file.content.bytes;
                    let progress = send.clone();
                    let last = std::sync::atomic::AtomicU64::new(0);
                    let sent: crate::storage::Progress = Arc::new(move |n: u64| {
                        // A few updates per file are enough for the status line.
                        let step = (total / 20).max(1);
                        if n == total || n - last.load(std::sync::atomic::Ordering::Relaxed) >= step
                        {
                            last.store(n, std::sync::atomic::Ordering::Relaxed);
                            progress(Action::Uploading { sent: n, total });
                        }
                    });
                    let result = catalog
                        .create_from_file(&file, &group_id, &name, false, sent)
                        .await
                        .map(|outcome| outcome.made.id);
                    send(Action::AssetCreated {
                        group_id,
                        result,
                        warnings: file.warnings,
                    })
                });
            }
            Effect::StartVerification => {
                spawn_reported(&self.tx, async move {
                    let req = CreateVisualValidateSession::default();
                    let result = catalog.client().create_visual_validate_session(&req).await;
                    send(Action::VerificationStarted(result))
                });
            }
            Effect::FinishVerification(token) => {
                spawn_reported(&self.tx, async move {
                    let result = catalog
                        .client()
                        .get_visual_validate_result(&token)
                        .await
                        .map(|r| r.group_id);
                    send(Action::Verified(result))
                });
            }
            Effect::UpdateGroup {
                id,
                name,
                description,
            } => {
                spawn_reported(&self.tx, async move {
                    let req = UpdateAssetGroup {
                        id: id.clone(),
                        name: Some(name.clone()),
                        description: Some(description.clone()),
                    };
                    let result = catalog.client().update_asset_group(&req).await;
                    send(Action::GroupUpdated {
                        id,
                        name,
                        description,
                        result,
                    })
                });
            }
            Effect::RenameAsset { id, name } => {
                spawn_reported(&self.tx, async move {
                    let req = UpdateAsset {
                        id: id.clone(),
                        name: name.clone(),
                    };
                    let result = catalog.client().update_asset(&req).await;
                    send(Action::AssetRenamed { id, name, result })
                });
            }
            Effect::Delete(target) => {
                spawn_reported(&self.tx, async move {
                    let api = catalog.client();
                    let result = match &target {
                        Target::Group(id) => api.delete_asset_group(id).await,
                        Target::Asset(id) => api.delete_asset(id).await,
                    };
                    send(Action::Deleted { target, result })
                });
            }
        }
    }
}
