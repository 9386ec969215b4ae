//! Copying a group to another profile, project or group, as `rclone copy` copies between
//! remotes: a plan first (what to create, what is there already, what to delete), then the plan
//! applied through the import engine of the destination, so every create is journalled in the
//! destination's ledger and a copy run again creates only what is missing.
//!
//! An asset is made again from its file: by the source's presigned URL, which the destination
//! service fetches itself (the source's link re-read with GetAsset when it expires soon), or,
//! `via_storage`, downloaded here and uploaded through the destination's object storage. A
//! copy's ledger key is the source asset (`copy:<group>:<asset>`), as its URL changes with each
//! read. A real person's group cannot be copied: its assets belong to a verified person of that
//! account.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::groups::GroupError;
use super::import::{Checks, ImportError, Refused, Report};
use super::{GroupLookup, ListError};
use crate::api::model::{Asset, AssetGroup};
use crate::ledger::LedgerError;

mod apply;
mod plan;

/// What a copy is asked to do besides the group and the destination.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// The destination group's name (default: the source group's).
    pub to_group: Option<String>,
    /// Delete the destination group's assets that no source asset matches.
    pub delete: bool,
    /// Download each file here and upload it through the destination's object storage,
    /// instead of handing the destination the source's link.
    pub via_storage: bool,
    /// How the files are checked against the destination's rules.
    pub checks: Checks,
    /// Copy only these source assets (ids); the destination's other assets are then none of
    /// the plan's business (neither extra nor deleted). A marked asset no longer in the group
    /// is skipped, named.
    pub only: Option<BTreeSet<String>>,
}

/// The group a copy goes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    /// A group of the destination that has the name.
    Existing(AssetGroup),
    /// A group to make, with this name and description.
    New {
        /// Its name.
        name: String,
        /// Its description.
        description: String,
    },
}

impl Target {
    /// The group's name.
    pub fn name(&self) -> &str {
        match self {
            Target::Existing(g) => &g.name,
            Target::New { name, .. } => name,
        }
    }
}

/// One step of a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CopyStep {
    /// A source asset the destination lacks: created there from its file.
    Create {
        /// The source asset.
        source: String,
        /// Its name (the copy's too).
        name: String,
        /// `Image`, `Video` or `Audio`.
        asset_type: String,
    },
    /// A source asset the destination has: this copy made it (the ledger says), or an asset
    /// of the same name and type is there.
    Unchanged {
        /// The source asset.
        source: String,
        /// The destination's asset.
        id: String,
        /// Its name.
        name: String,
    },
    /// A source asset that is not copied: it is not Active (its file is not there).
    Skipped {
        /// The source asset.
        source: String,
        /// Its name.
        name: String,
        /// Why.
        why: String,
    },
    /// A destination asset no source asset matches: deleted when asked, else kept.
    Extra {
        /// The destination's asset.
        id: String,
        /// Its name.
        name: String,
        /// Whether the plan deletes it.
        delete: bool,
    },
}

impl CopyStep {
    /// The step in one line, outside text made visible.
    pub fn line(&self) -> String {
        use crate::text::visible;
        match self {
            CopyStep::Create { source, name, .. } => {
                format!("create    {} as \"{}\"", visible(source), visible(name))
            }
            CopyStep::Unchanged { source, id, .. } => {
                format!("unchanged {} (there as {})", visible(source), visible(id))
            }
            CopyStep::Skipped { source, why, .. } => {
                format!("skip      {} ({})", visible(source), visible(why))
            }
            CopyStep::Extra {
                id,
                name,
                delete: true,
            } => format!("delete    {} \"{}\"", visible(id), visible(name)),
            CopyStep::Extra { id, name, .. } => format!(
                "extra     {} \"{}\" (no source asset matches it)",
                visible(id),
                visible(name)
            ),
        }
    }
}

/// What a copy will do: the source group, the destination group, and the steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyPlan {
    /// The group copied.
    pub source: AssetGroup,
    /// Where it goes.
    pub target: Target,
    /// Each source asset's step, then the destination's extra assets.
    pub steps: Vec<CopyStep>,
    /// The source assets to create, by id (their links; never shown).
    assets: Links,
}

/// Source assets by id: their signed links are credentials for a while, so the Debug form
/// names only how many there are.
#[derive(Clone, Default, PartialEq, Eq)]
struct Links(HashMap<String, Asset>);

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} source assets", self.0.len())
    }
}

impl CopyPlan {
    /// The plan with the destination's extra assets deleted (`true`) or kept.
    pub fn deleting(mut self, delete: bool) -> Self {
        for step in &mut self.steps {
            if let CopyStep::Extra { delete: d, .. } = step {
                *d = delete;
            }
        }
        self
    }

    /// The ids the plan deletes in the destination.
    pub fn doomed(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                CopyStep::Extra {
                    id, delete: true, ..
                } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// How many steps of each kind: create, unchanged, skipped, delete, extra kept.
    pub fn counts(&self) -> [usize; 5] {
        let mut n = [0; 5];
        for step in &self.steps {
            let i = match step {
                CopyStep::Create { .. } => 0,
                CopyStep::Unchanged { .. } => 1,
                CopyStep::Skipped { .. } => 2,
                CopyStep::Extra { delete: true, .. } => 3,
                CopyStep::Extra { .. } => 4,
            };
            n[i] += 1;
        }
        n
    }
}

/// What a copy did (`--json` prints it with PascalCase keys).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CopyReport {
    /// The destination group's id.
    pub group: String,
    /// Whether this run made the group.
    pub group_created: bool,
    /// The creates, as the import engine reports them (each row's source is the source asset).
    pub import: Report,
    /// Destination assets deleted.
    pub deleted: Vec<String>,
    /// Deletes and downloads that failed.
    #[serde(serialize_with = "crate::catalog::import::reasons::failed")]
    pub failed: Vec<Refused>,
}

impl CopyReport {
    /// Whether the copy did all it planned.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.import.is_complete()
    }
}

/// Why a copy could not run (an asset's failure is in its report instead).
#[derive(Debug, Clone, thiserror::Error)]
pub enum CopyError {
    /// A real person's group: its assets cannot be made again elsewhere.
    #[error(
        "group \"{}\" is a real person's (LivenessFace): its assets are that person's, verified \
         in this account, and cannot be created in another; copy a virtual portrait group instead",
        crate::text::visible(.0)
    )]
    RealPerson(String),
    /// The destination is the source group itself.
    #[error("the destination is the source group itself; give --to, --to-project or --to-group")]
    Itself,
    /// A group was not found.
    #[error(transparent)]
    Lookup(#[from] GroupLookup),
    /// A listing failed.
    #[error(transparent)]
    List(#[from] ListError),
    /// A group's listing stopped early: what it did not list would be copied twice or missed.
    #[error("the {0} group's assets could not all be listed ({1}); nothing was copied")]
    Incomplete(&'static str, String),
    /// The destination group could not be made.
    #[error(transparent)]
    Group(#[from] GroupError),
    /// The import into the destination could not run.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The ledger could not be read or written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// `via_storage` without object storage in the destination's profile.
    #[error(
        "--via-storage needs the destination profile's object storage ([profiles.NAME.storage])"
    )]
    NoStorage,
}

/// A link that expires within this long is read again before it is handed over.
const FRESH_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The ledger key of the copy of source asset `source` into `group`.
fn copy_key(group: &str, source: &str) -> String {
    format!("copy:{group}:{source}")
}
