//! Keeping a group in step with a folder, as `rclone sync` keeps a bucket: first a plan (what
//! to create, rename and delete, and what is unchanged), then the plan applied, every step
//! journalled or idempotent, so a sync killed halfway and run again ends exact.
//!
//! A file is matched to an asset by content: the ledger knows which asset each content became
//! in the group (`file:<group>:<sha256>`). A matched asset whose name is not the file's is
//! renamed, never uploaded again. With [`SyncOptions::match_names`], an asset this ledger did
//! not create matches a file of its name. Assets no file matches are deleted only when asked.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use serde::Serialize;

use super::import::{Checks, Done, Events, Import, Input, Refused, Row, Source, check, rows};
use super::rename::NameChange;
use super::walk::Reach;
use super::{Catalog, CreateError, ListError};
use crate::api::AssetsApi;
use crate::api::model::{Asset, AssetFilter, Status};
use crate::ledger::EntryState;

/// What a sync is asked to do besides the folder and the group.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Include sub-folders.
    pub recursive: bool,
    /// Follow links to folders and files outside the folder.
    pub follow_links: bool,
    /// Delete the group's assets that match no file.
    pub delete: bool,
    /// An asset this ledger did not create matches a file of its name.
    pub match_names: bool,
    /// How new files are checked.
    pub checks: Checks,
}

/// How a file was matched to an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Matched {
    /// The ledger says the asset is this content.
    Content,
    /// It has the file's name (`--match name`).
    Name,
}

/// One step of a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A file the group lacks: created, named `name`.
    Create {
        /// The file.
        file: PathBuf,
        /// Its asset's name.
        name: String,
    },
    /// A file whose asset has another name: renamed.
    Rename {
        /// The file.
        file: PathBuf,
        /// The asset and its names.
        change: NameChange,
    },
    /// A file whose asset is as it should be.
    Unchanged {
        /// The file.
        file: PathBuf,
        /// Its asset.
        id: String,
        /// How they were matched.
        by: Matched,
    },
    /// A file with the content of an earlier one: that file's asset serves both.
    Duplicate {
        /// The file.
        file: PathBuf,
        /// The earlier file.
        of: PathBuf,
    },
    /// An asset no file matches: deleted (with `delete`) or only reported.
    Extra {
        /// The asset.
        id: String,
        /// Its name.
        name: String,
        /// Whether it is deleted.
        delete: bool,
    },
}

/// A sync's plan: its steps in folder order (then the extra assets), and the files it cannot
/// take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The group.
    pub group: String,
    /// What to do.
    pub steps: Vec<Step>,
    /// Files that break a rule (they are not created).
    pub refused: Vec<Refused>,
    /// What the folder holds besides media files, and why it is not taken.
    pub left_out: Vec<Refused>,
}

/// How many steps of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Counts {
    /// Files to create.
    pub create: usize,
    /// Assets to rename.
    pub rename: usize,
    /// Assets to delete.
    pub delete: usize,
    /// Files already assets as they should be.
    pub unchanged: usize,
    /// Assets no file matches, kept.
    pub extra: usize,
}

impl Step {
    /// The step in one line (`create    hero.png as "hero"`), outside text made visible; the
    /// extra assets say no file matches them.
    pub fn line(&self) -> String {
        use crate::text::visible;
        let shown = |p: &Path| visible(&p.display().to_string()).into_owned();
        match self {
            Step::Create { file, name } => {
                format!("create    {} as \"{}\"", shown(file), visible(name))
            }
            Step::Rename { file, change } => format!(
                "rename    {} \"{}\" → \"{}\" ({})",
                visible(&change.id),
                visible(&change.from),
                visible(&change.to),
                shown(file)
            ),
            Step::Unchanged { file, .. } => format!("unchanged {}", shown(file)),
            Step::Duplicate { file, of } => {
                format!("unchanged {} (same content as {})", shown(file), shown(of))
            }
            Step::Extra {
                id,
                name,
                delete: true,
            } => format!("delete    {} \"{}\"", visible(id), visible(name)),
            Step::Extra { id, name, .. } => {
                format!(
                    "extra     {} \"{}\" (no file matches it)",
                    visible(id),
                    visible(name)
                )
            }
        }
    }
}

impl Plan {
    /// How many steps of each kind.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for step in &self.steps {
            match step {
                Step::Create { .. } => c.create += 1,
                Step::Rename { .. } => c.rename += 1,
                Step::Unchanged { .. } | Step::Duplicate { .. } => c.unchanged += 1,
                Step::Extra { delete: true, .. } => c.delete += 1,
                Step::Extra { delete: false, .. } => c.extra += 1,
            }
        }
        c
    }

    /// Whether the group matches the folder already (nothing to create, rename or delete).
    pub fn is_done(&self) -> bool {
        let c = self.counts();
        c.create + c.rename + c.delete == 0
    }

    /// The same plan with the extra assets deleted (`delete`) or kept.
    pub fn deleting(mut self, delete: bool) -> Plan {
        for step in &mut self.steps {
            if let Step::Extra { delete: d, .. } = step {
                *d = delete;
            }
        }
        self
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncReport {
    /// Assets created.
    pub created: Vec<Done>,
    /// Assets renamed.
    pub renamed: Vec<Renamed>,
    /// Assets deleted.
    pub deleted: Vec<Deleted>,
    /// Files already assets as they should be (or assets another run made meanwhile).
    pub unchanged: usize,
    /// Files that break a rule.
    pub refused: Vec<Refused>,
    /// Steps that failed.
    pub failed: Vec<Refused>,
}

/// An asset renamed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Renamed {
    /// The asset.
    pub id: String,
    /// Its name before.
    pub from: String,
    /// Its name now.
    pub to: String,
}

/// An asset deleted.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Deleted {
    /// The asset.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl SyncReport {
    /// Whether every step was done and every file taken.
    pub fn is_complete(&self) -> bool {
        self.refused.is_empty() && self.failed.is_empty()
    }
}

/// Why a sync could not be planned or applied at all.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyncError {
    /// The folder cannot be read.
    #[error("{}: {why}", .folder.display())]
    Folder {
        /// The folder.
        folder: PathBuf,
        /// Why.
        why: String,
    },
    /// The group's assets could not be listed.
    #[error(transparent)]
    List(#[from] ListError),
    /// The listing stopped early: what the group holds is unknown, so nothing is planned.
    #[error("the group's assets could not all be listed ({0}), so nothing can be planned")]
    Incomplete(String),
    /// The ledger, the storage or the service failed before any step.
    #[error(transparent)]
    Create(#[from] CreateError),
    /// The creates could not run.
    #[error(transparent)]
    Import(#[from] super::import::ImportError),
}

/// A media file of the folder: where it is, the name it should have, and its content's hash.
struct FolderFile {
    path: PathBuf,
    name: String,
    sha256: String,
}

impl Catalog {
    /// Plans the sync of `group` with `folder`: reads (and hashes) the folder, lists the group
    /// once, and matches them; checks the files to create, which are refused when they break
    /// a rule. Sends nothing that changes the account.
    pub async fn plan_sync(
        &self,
        group: &str,
        folder: &Path,
        opts: &SyncOptions,
    ) -> Result<Plan, SyncError> {
        let (files, refused, left_out) = folder_files(
            folder,
            Reach {
                recursive: opts.recursive,
                follow_links: opts.follow_links,
            },
        )
        .await?;
        let listing = self.assets(&AssetFilter::group(group)).await?;
        if let Some(why) = listing.stopped {
            return Err(SyncError::Incomplete(why));
        }
        let mut plan = Plan {
            group: group.to_owned(),
            steps: self.matched(group, &files, &listing.items, opts)?,
            refused,
            left_out,
        };
        self.check_creates(&mut plan, &opts.checks).await;
        Ok(plan)
    }

    /// The steps that bring `assets` in step with `files`, in the folder's order, then the
    /// assets no file matches.
    fn matched(
        &self,
        group: &str,
        files: &[FolderFile],
        assets: &[Asset],
        opts: &SyncOptions,
    ) -> Result<Vec<Step>, CreateError> {
        let by_id: HashMap<&str, &Asset> = assets.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut first_of: HashMap<&str, &Path> = HashMap::new();
        // By content first: the ledger's word is surer than a name.
        let mut found: Vec<Result<Option<(&Asset, Matched)>, &Path>> = Vec::new();
        for file in files {
            if let Some(first) = first_of.get(file.sha256.as_str()) {
                found.push(Err(first));
                continue;
            }
            first_of.insert(&file.sha256, &file.path);
            let id = self.asset_of(group, &file.sha256)?;
            let asset = id.and_then(|id| by_id.get(id.as_str()).copied());
            let usable = asset.filter(|a| a.status != Status::Failed);
            found.push(Ok(usable.map(|a| (a, Matched::Content))));
        }
        let mut claimed: HashSet<&str> = found
            .iter()
            .filter_map(|f| f.as_ref().ok()?.map(|(a, _)| a.id.as_str()))
            .collect();
        if opts.match_names {
            for (file, found) in files.iter().zip(&mut found) {
                if let Ok(slot @ None) = found {
                    let named = assets
                        .iter()
                        .find(|a| a.name == file.name && !claimed.contains(a.id.as_str()));
                    if let Some(asset) = named {
                        claimed.insert(&asset.id);
                        *slot = Some((asset, Matched::Name));
                    }
                }
            }
        }
        let mut steps: Vec<Step> = files
            .iter()
            .zip(found)
            .map(|(file, found)| match found {
                Err(first) => Step::Duplicate {
                    file: file.path.clone(),
                    of: first.to_owned(),
                },
                Ok(Some((asset, by))) => step_for(file, asset, by),
                Ok(None) => Step::Create {
                    file: file.path.clone(),
                    name: file.name.clone(),
                },
            })
            .collect();
        steps.extend(
            assets
                .iter()
                .filter(|a| !claimed.contains(a.id.as_str()))
                .map(|a| Step::Extra {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    delete: opts.delete,
                }),
        );
        Ok(steps)
    }

    /// The asset the ledger says `sha256` became in `group`, when it was created.
    fn asset_of(&self, group: &str, sha256: &str) -> Result<Option<String>, CreateError> {
        let entry = self.ledger().get(&format!("file:{group}:{sha256}"))?;
        Ok(entry
            .filter(|e| e.state == EntryState::Created)
            .and_then(|e| e.id))
    }

    /// Checks the files to create; those that break a rule leave the plan for its refusals.
    async fn check_creates(&self, plan: &mut Plan, checks: &Checks) {
        let rows: Vec<Row> = plan.steps.iter().filter_map(create_row).collect();
        let (_, refused) = check::check_all(rows, checks).await;
        let refused_files: HashSet<String> = refused.iter().map(|r| r.origin.clone()).collect();
        plan.steps.retain(|s| match s {
            Step::Create { file, .. } => !refused_files.contains(&file.display().to_string()),
            _ => true,
        });
        plan.refused.extend(refused);
    }

    /// Applies `plan`: renames, then creates (through the import engine, whose `events` say
    /// how they go), then deletes.
    pub async fn apply_sync(
        &self,
        plan: Plan,
        checks: Checks,
        events: Events,
    ) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport {
            refused: plan.refused.clone(),
            unchanged: plan.counts().unchanged,
            ..SyncReport::default()
        };
        self.apply_renames(&plan, &mut report).await;
        let rows: Vec<Row> = plan.steps.iter().filter_map(create_row).collect();
        if !rows.is_empty() {
            let job = Import {
                inputs: vec![Input::Rows(rows)],
                checks,
                ..Import::default()
            };
            let imported = self.import(&plan.group, job, events).await?;
            report.unchanged += imported.already.len() + imported.by_other_run.len();
            report.created = imported.created;
            report.refused.extend(imported.invalid);
            report.failed.extend(imported.failed);
        }
        self.apply_deletes(&plan, &mut report).await;
        Ok(report)
    }

    async fn apply_renames(&self, plan: &Plan, report: &mut SyncReport) {
        let changes: Vec<NameChange> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Rename { change, .. } => Some(change.clone()),
                _ => None,
            })
            .collect();
        for (change, result) in self.rename_all(changes).await {
            match result {
                Ok(()) => report.renamed.push(Renamed {
                    id: change.id,
                    from: change.from,
                    to: change.to,
                }),
                Err(e) => report.failed.push(failure(&change.id, e.to_string())),
            }
        }
    }

    async fn apply_deletes(&self, plan: &Plan, report: &mut SyncReport) {
        let doomed: Vec<(String, String)> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Extra {
                    id,
                    name,
                    delete: true,
                } => Some((id.clone(), name.clone())),
                _ => None,
            })
            .collect();
        let api = self.client();
        let mut results = futures::stream::iter(doomed)
            .map(|(id, name)| async move {
                let result = api.delete_asset(&id).await;
                (id, name, result)
            })
            .buffered(8);
        while let Some((id, name, result)) = results.next().await {
            match result {
                Ok(()) => report.deleted.push(Deleted { id, name }),
                Err(e) if e.is_not_found() => report.deleted.push(Deleted { id, name }),
                Err(e) => report.failed.push(failure(&id, e.to_string())),
            }
        }
    }
}

/// A step that failed, as the report lists it.
fn failure(id: &str, error: String) -> Refused {
    Refused {
        origin: id.to_owned(),
        line: 0,
        error,
    }
}

/// The step for `file`, matched to `asset` `by` content or name: unchanged, or a rename.
fn step_for(file: &FolderFile, asset: &Asset, by: Matched) -> Step {
    if asset.name == file.name {
        Step::Unchanged {
            file: file.path.clone(),
            id: asset.id.clone(),
            by,
        }
    } else {
        Step::Rename {
            file: file.path.clone(),
            change: NameChange {
                id: asset.id.clone(),
                from: asset.name.clone(),
                to: file.name.clone(),
            },
        }
    }
}

/// The import row of a create step.
fn create_row(step: &Step) -> Option<Row> {
    match step {
        Step::Create { file, name } => Some(Row {
            name: Some(name.clone()),
            ..Row::file(file.clone())
        }),
        _ => None,
    }
}

/// The media files of `folder` with the names they should have and their hashes; the files
/// that cannot be read, and what is left out (not media).
async fn folder_files(
    folder: &Path,
    reach: Reach,
) -> Result<(Vec<FolderFile>, Vec<Refused>, Vec<Refused>), SyncError> {
    let not_a_folder = |why: String| SyncError::Folder {
        folder: folder.to_owned(),
        why,
    };
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(not_a_folder("is not a folder".to_owned())),
        Err(e) => return Err(not_a_folder(format!("cannot be read: {e}"))),
    }
    let input = vec![Input::Path(folder.to_owned())];
    let gathered = tokio::task::spawn_blocking(move || rows::gather(&input, reach))
        .await
        .map_err(|e| not_a_folder(e.to_string()))?;
    let sources: Vec<&Source> = gathered.rows.iter().map(|r| &r.source).collect();
    let names = super::names::default_names(sources);
    let mut files = Vec::new();
    let mut refused = gathered.refused;
    for (row, name) in gathered.rows.into_iter().zip(names) {
        let Source::File(path) = row.source else {
            continue;
        };
        match crate::storage::hash_file(&path).await {
            Ok(content) => files.push(FolderFile {
                path,
                name,
                sha256: content.sha256,
            }),
            Err(e) => refused.push(Refused {
                origin: row.origin,
                line: 0,
                error: crate::files::problem(&e),
            }),
        }
    }
    Ok((files, refused, gathered.left_out))
}
