//! What the TUI remembers per profile between sessions: the project, the open group, the sort,
//! the status filter and the projects used (for `p`). Kept as JSON under the data directory (`state/<profile>.json`, mode
//! 0600); a missing or unreadable file is a fresh start, never an error.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::model::Status;
use crate::app::sort::SortKey;

/// Projects a profile remembers for the project switch and the palette.
pub const MAX_PROJECTS: usize = 10;

/// `project` was used: it leads `projects` (most recent first), each project once, at most
/// [`MAX_PROJECTS`] kept.
pub(crate) fn visited(projects: &mut Vec<String>, project: &str) {
    projects.retain(|p| p != project);
    projects.insert(0, project.to_owned());
    projects.truncate(MAX_PROJECTS);
}

/// The remembered parts of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// Project requests were scoped to.
    pub project: Option<String>,
    /// The open group's id.
    pub group: Option<String>,
    /// Sort column: `created`, `updated`, `name` or `status` (another is forgotten).
    #[serde(default, deserialize_with = "known")]
    pub sort: Option<SortKey>,
    /// Smallest first.
    #[serde(default)]
    pub ascending: bool,
    /// Status filter: `Active`, `Processing` or `Failed` (none: all; another is forgotten).
    #[serde(default, deserialize_with = "known")]
    pub status: Option<Status>,
    /// Projects used, most recent first.
    #[serde(default)]
    pub projects: Vec<String>,
}

/// A value this version knows, or none: a state file of another version is read, not refused.
fn known<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).ok())
}

/// Where the profiles' states are kept: `<data dir>/state/<profile>.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateFiles {
    /// `<data dir>/state`; none: nothing is kept.
    dir: Option<PathBuf>,
}

impl StateFiles {
    /// The state files under the data directory `data` (none: nothing is kept).
    pub(crate) fn in_data_dir(data: Option<&Path>) -> Self {
        StateFiles {
            dir: data.map(|d| d.join("state")),
        }
    }

    /// Where `profile`'s state is kept.
    pub fn path(&self, profile: &str) -> Option<PathBuf> {
        let safe = crate::config::file_name_of(profile);
        Some(self.dir.as_ref()?.join(format!("{safe}.json")))
    }

    /// What `profile` left behind last time, and why it was ignored when it was (a fresh
    /// start).
    pub fn load(&self, profile: &str) -> (Remembered, Option<String>) {
        let Some(path) = self.path(profile) else {
            return (Remembered::default(), None);
        };
        match load_from(&path) {
            Ok(remembered) => (remembered, None),
            Err(why) => (
                Remembered::default(),
                Some(format!(
                    "the state kept in {} was ignored: {why}",
                    crate::text::visible(&path.display().to_string())
                )),
            ),
        }
    }

    /// Keeps `remembered` for `profile`'s next session (mode 0600).
    pub(crate) fn save(&self, profile: &str, remembered: &Remembered) -> std::io::Result<()> {
        match self.path(profile) {
            Some(path) => save_to(&path, remembered),
            None => Ok(()),
        }
    }
}

/// Why a kept state cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file cannot be read.
    #[error("it {}", crate::files::problem(.0))]
    Unreadable(#[from] std::io::Error),
    /// The file is not a state this version reads.
    #[error("it is not a state this version reads ({0})")]
    NotState(#[from] serde_json::Error),
}

/// The largest state file read: what a session leaves is a few hundred bytes.
pub(crate) const MAX_STATE_BYTES: u64 = 64 * 1024;

/// Longest value kept from a state file (ids and names are far shorter).
const MAX_VALUE_CHARS: usize = 256;

/// Reads the state kept at `path` (none there: a fresh start); `Err` says why what is there
/// cannot be used. Bounded: [`MAX_STATE_BYTES`] read, [`MAX_PROJECTS`] projects kept (each
/// once), values longer than any id or name dropped.
pub fn load_from(path: &Path) -> Result<Remembered, StateError> {
    let bytes = match crate::files::read_bounded(path, MAX_STATE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Remembered::default()),
        Err(e) => return Err(StateError::Unreadable(e)),
    };
    let mut remembered: Remembered = serde_json::from_slice(&bytes)?;
    let fits = |v: &String| v.chars().count() <= MAX_VALUE_CHARS;
    for value in [&mut remembered.project, &mut remembered.group] {
        *value = value.take().filter(fits);
    }
    let mut seen = std::collections::HashSet::new();
    remembered
        .projects
        .retain(|p| fits(p) && seen.insert(p.clone()));
    remembered.projects.truncate(MAX_PROJECTS);
    Ok(remembered)
}

/// Writes `remembered` to `path` (mode 0600), making its folder.
pub fn save_to(path: &Path, remembered: &Remembered) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(remembered).map_err(std::io::Error::other)?;
    crate::files::write_private(path, &json)
}
