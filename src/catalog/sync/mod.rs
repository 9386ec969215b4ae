//! Keeping a group in step with a folder, as `rclone sync` keeps a bucket: first a plan (what
//! to create, rename and delete, and what is unchanged), then the plan applied, every step
//! journalled or idempotent, so a sync killed halfway and run again ends exact.
//!
//! A file is matched to an asset by content: the ledger knows which asset each content became
//! in the group (`file:<group>:<sha256>`). An asset this ledger does not know (made on another
//! machine, or by a create whose answer was lost) is the file's when it has the name the file
//! would get, and the ledger learns it when the plan is applied. A matched asset whose name is
//! none of the file's names is renamed, never uploaded again. With
//! [`SyncOptions::match_names`], an asset the ledger knows as another content matches a file
//! of its name too.
//!
//! Nothing is deleted unless asked, never while a path of the folder could not be read, never
//! an asset another live run may be making (its name is being sent, or the ledger gave it to a
//! file meanwhile: re-checked just before each delete), and never every asset of a group
//! unless [`SyncOptions::delete_all`] says so. After the plan is applied the group is listed
//! again: a group that does not match the folder then is a failure of the run.

mod apply;
mod contents;
mod matcher;
#[cfg(test)]
mod matcher_tests;
mod plan;

pub(crate) use contents::{content_copy_key, content_key, learn_content};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::import::{Checks, Done, Refused, reasons};
use super::rename::NameChange;
use super::{CreateError, ListError};

/// What a sync is asked to do besides the folder and the group.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Include sub-folders.
    pub recursive: bool,
    /// Follow links to folders and files outside the folder.
    pub follow_links: bool,
    /// Delete the group's assets that match no file.
    pub delete: bool,
    /// Deleting may empty a group that holds assets (a folder with no media files otherwise
    /// refuses to).
    pub delete_all: bool,
    /// The most assets one sync may delete; more refuses the deletion whole.
    pub max_delete: Option<usize>,
    /// An asset this ledger knows as another content matches a file of its name too.
    pub match_names: bool,
    /// Create again a content whose assets failed twice already.
    pub retry_failed: bool,
    /// Read every file whole, even those whose stamp (size, times, inode) says they are
    /// unchanged since the ledger kept their hash.
    pub checksum: bool,
    /// The group is new (`--create-group`). The global dialect cannot list: there a group
    /// label this ledger knows no asset of is synced only when said to be new, never taken
    /// for empty when another machine may have filled it.
    pub new_group: bool,
    /// How new files are checked.
    pub checks: Checks,
}

/// How a file was matched to an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Matched {
    /// The ledger says the asset is this content.
    Content,
    /// It has the file's name (an asset the ledger did not know, or `--match name`).
    Name,
    /// `assets retry` made it again in place of the content's Failed asset.
    Retried,
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
    /// A file whose asset ended Failed: created again.
    Recreate {
        /// The file.
        file: PathBuf,
        /// Its asset's name.
        name: String,
        /// The Failed asset.
        failed: String,
        /// Why it failed.
        why: String,
    },
    /// A file another run that is alive is creating now: this run waits for it.
    Busy {
        /// The file.
        file: PathBuf,
        /// Its asset's name.
        name: String,
        /// The other run (`pid 4242`).
        owner: String,
    },
    /// A file whose asset has another name: renamed.
    Rename {
        /// The file.
        file: PathBuf,
        /// The asset and its names.
        change: NameChange,
        /// How they were matched.
        by: Matched,
    },
    /// A file whose asset is as it should be.
    Unchanged {
        /// The file.
        file: PathBuf,
        /// Its asset.
        id: String,
        /// The asset's name.
        name: String,
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
    /// An asset no file matches that is kept whatever is asked: another run may be making it.
    Kept {
        /// The asset.
        id: String,
        /// Its name.
        name: String,
        /// Why it is kept.
        why: String,
    },
}

/// A sync's plan: its steps in folder order (then the extra assets), the files it cannot
/// take, and what it says before anything is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The group.
    pub group: String,
    /// The folder.
    pub folder: PathBuf,
    /// What to do.
    pub steps: Vec<Step>,
    /// Files that cannot be read or break a rule (they are not created).
    pub refused: Vec<Refused>,
    /// What the folder holds besides media files, and why it is not taken.
    pub left_out: Vec<Refused>,
    /// Paths of the folder that could not be read: while there are any, nothing is deleted.
    pub unreadable: usize,
    /// What this plan will not do and why (deletions held back, what the endpoint cannot do).
    pub notes: Vec<String>,
    /// How many assets the group held when it was listed.
    pub listed: usize,
    /// The content (sha256) of each media file read.
    pub contents: HashMap<PathBuf, String>,
    /// Whether the assets no file matches are deleted (as asked, and while every path could
    /// be read).
    pub deletes: bool,
    /// With a known quota, create the files that fit (the rest reported failed) instead of
    /// refusing the creates whole (`--partial`, as `import --partial`).
    pub partial: bool,
}

/// How many steps of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Counts {
    /// Files to create (again, or when another run is done with them).
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
            Step::Recreate {
                file, failed, why, ..
            } => format!(
                "recreate  {} ({} Failed: {})",
                shown(file),
                visible(failed),
                visible(why)
            ),
            Step::Busy { file, owner, .. } => format!(
                "wait      {} (another run, {}, is creating it)",
                shown(file),
                visible(owner)
            ),
            Step::Rename { file, change, by } => format!(
                "rename    {} \"{}\" → \"{}\" ({}){}",
                visible(&change.id),
                visible(&change.from),
                visible(&change.to),
                shown(file),
                by_name(*by)
            ),
            Step::Unchanged { file, by, .. } => {
                format!("unchanged {}{}", shown(file), by_name(*by))
            }
            Step::Duplicate { file, of } => {
                format!("unchanged {} (same content as {})", shown(file), shown(of))
            }
            Step::Extra {
                id,
                name,
                delete: true,
            } => format!("delete    {} \"{}\"", visible(id), visible(name)),
            Step::Extra { id, name, .. } => format!(
                "extra     {} \"{}\" (no file matches it)",
                visible(id),
                visible(name)
            ),
            Step::Kept { id, name, why } => format!(
                "keep      {} \"{}\" ({})",
                visible(id),
                visible(name),
                visible(why)
            ),
        }
    }

    /// The file the step is about, if any.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Step::Create { file, .. }
            | Step::Recreate { file, .. }
            | Step::Busy { file, .. }
            | Step::Rename { file, .. }
            | Step::Unchanged { file, .. }
            | Step::Duplicate { file, .. } => Some(file),
            Step::Extra { .. } | Step::Kept { .. } => None,
        }
    }

    /// The asset a file was matched to (unchanged or renamed), if any.
    pub fn matched_id(&self) -> Option<&str> {
        match self {
            Step::Unchanged { id, .. } => Some(id),
            Step::Rename { change, .. } => Some(&change.id),
            _ => None,
        }
    }
}

/// ` (matched by name)` for a match by name, and how else a match the ledger did not hold
/// was made.
fn by_name(by: Matched) -> &'static str {
    match by {
        Matched::Name => " (matched by name)",
        Matched::Retried => " (made again by assets retry)",
        Matched::Content => "",
    }
}

impl Plan {
    /// How many steps of each kind.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for step in &self.steps {
            match step {
                Step::Create { .. } | Step::Recreate { .. } | Step::Busy { .. } => c.create += 1,
                Step::Rename { .. } => c.rename += 1,
                Step::Unchanged { .. } | Step::Duplicate { .. } => c.unchanged += 1,
                Step::Extra { delete: true, .. } => c.delete += 1,
                Step::Extra { delete: false, .. } | Step::Kept { .. } => c.extra += 1,
            }
        }
        c
    }

    /// The ids the plan deletes.
    pub fn doomed(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Extra {
                    id, delete: true, ..
                } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether ledger key `key` is the content of one of the plan's files in its group.
    fn holds_key(&self, key: &str) -> bool {
        self.contents
            .values()
            .any(|sha256| content_key(&self.group, sha256) == key)
    }

    /// The same plan with the extra assets deleted (`delete`) or kept. Nothing is deleted
    /// while a path of the folder could not be read.
    pub fn deleting(mut self, delete: bool) -> Plan {
        let delete = delete && self.unreadable == 0;
        self.deletes = delete;
        for step in &mut self.steps {
            if let Step::Extra { delete: d, .. } = step {
                *d = delete;
            }
        }
        self
    }

    /// The same plan creating what fits the account's quota when not all does (`partial`),
    /// instead of refusing every create.
    pub fn fitting(mut self, partial: bool) -> Plan {
        self.partial = partial;
        self
    }

    /// Why the deletions this plan holds must not be made as `opts` allow: every asset of a
    /// group that holds some (unless `delete_all`), or more than `max_delete`.
    pub fn delete_refusal(&self, opts: &SyncOptions) -> Option<String> {
        let doomed = self.doomed().len();
        if doomed == 0 {
            return None;
        }
        // Every asset of the group, or a folder without a media file in it.
        if (doomed >= self.listed || self.contents.is_empty()) && !opts.delete_all {
            return Some(format!(
                "the plan deletes every asset of the group ({doomed}): a folder with no media \
                 file in it (an unmounted share, a wrong path?) would empty it; --delete-all \
                 allows it"
            ));
        }
        match opts.max_delete {
            Some(max) if doomed > max => Some(format!(
                "the plan deletes {doomed} assets, more than --max-delete {max}; nothing was \
                 changed"
            )),
            _ => None,
        }
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
    #[serde(serialize_with = "reasons::invalid")]
    pub refused: Vec<Refused>,
    /// Steps that failed.
    #[serde(serialize_with = "reasons::failed")]
    pub failed: Vec<Refused>,
    /// Assets the plan would have deleted that were kept, and why.
    #[serde(serialize_with = "reasons::kept")]
    pub kept: Vec<Refused>,
    /// 429 answers the run met (each waited its turn and was sent again).
    pub throttled: u64,
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
    /// Whether every step was done and every file taken, and nothing the plan was to delete
    /// was kept.
    pub fn is_complete(&self) -> bool {
        self.refused.is_empty() && self.failed.is_empty() && self.kept.is_empty()
    }
}

/// Why a sync could not be planned or applied at all.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyncError {
    /// The folder cannot be read.
    #[error("{}: {why}", crate::text::visible(&.folder.display().to_string()))]
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
    /// The global dialect cannot list, and this ledger knows no asset of the group label: it
    /// may be another machine's, whose assets a sync would make again.
    #[error(
        "this ledger ({}) knows no asset labelled \"{}\", and this endpoint (the global \
         dialect) cannot list assets, so a sync cannot see what another machine made under that \
         label and would create every file again: if the label is new, pass --create-group; if \
         another machine syncs this folder, copy its ledger database here first",
        .ledger.display(), crate::text::visible(.group)
    )]
    UnknownLabel {
        /// The group label.
        group: String,
        /// This profile's ledger database.
        ledger: PathBuf,
    },
    /// The ledger, the storage or the service failed before any step.
    #[error(transparent)]
    Create(#[from] CreateError),
    /// The creates could not run.
    #[error(transparent)]
    Import(#[from] super::import::ImportError),
}

impl From<crate::ledger::LedgerError> for SyncError {
    fn from(e: crate::ledger::LedgerError) -> Self {
        SyncError::Create(e.into())
    }
}

/// A step that failed or was held back, as the report lists it.
fn failure(id: &str, error: String) -> Refused {
    Refused {
        origin: id.to_owned(),
        line: 0,
        error,
    }
}
/// A media file of the folder: where it is, the name it should have, the names it may have,
/// and its content's hash.
pub(super) struct FolderFile {
    pub path: PathBuf,
    pub name: String,
    pub forms: Vec<String>,
    pub sha256: String,
}
