//! What the TUI remembers per profile between sessions: the project, the open group, the sort
//! and the status filter. Kept as JSON under the data directory (`state/<profile>.json`, mode
//! 0600); a missing or unreadable file is a fresh start, never an error.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::model::Status;
use crate::app::Effect;
use crate::app::state::{AppState, AssetSort, SortKey, StatusFilter};

/// The remembered parts of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// Project requests were scoped to.
    pub project: Option<String>,
    /// The open group's id.
    pub group: Option<String>,
    /// Sort column: `created`, `updated`, `name` or `status`.
    pub sort: Option<String>,
    /// Smallest first.
    #[serde(default)]
    pub ascending: bool,
    /// Status filter: `Active`, `Processing` or `Failed` (none: all).
    pub status: Option<String>,
    /// Projects used, most recent first.
    #[serde(default)]
    pub projects: Vec<String>,
}

const KEYS: [(&str, SortKey); 4] = [
    ("created", SortKey::Created),
    ("updated", SortKey::Updated),
    ("name", SortKey::Name),
    ("status", SortKey::Status),
];

impl Remembered {
    /// What `state` would leave behind.
    pub fn of(state: &AppState) -> Self {
        Remembered {
            project: Some(state.header.project.clone()).filter(|p| !p.is_empty()),
            group: state.open_group.clone(),
            sort: KEYS
                .iter()
                .find(|(_, k)| *k == state.sort.key)
                .map(|(n, _)| (*n).to_owned()),
            ascending: state.sort.ascending,
            status: match state.status_filter {
                StatusFilter::All => None,
                StatusFilter::Only(s) => Some(s.name().to_owned()),
            },
            projects: state.projects.clone(),
        }
    }

    /// Puts it back into a fresh `state` (or one a profile switch just emptied); the effects
    /// switch the project (before the groups load). The group opens when the groups arrive, if
    /// it is still there.
    pub fn apply(&self, state: &mut AppState) -> Vec<Effect> {
        if let Some(key) = KEYS
            .iter()
            .find(|(n, _)| Some(*n) == self.sort.as_deref())
            .map(|(_, k)| *k)
        {
            state.sort = AssetSort {
                key,
                ascending: self.ascending,
            };
        }
        if let Some(status) = self.status.as_deref().map(Status::parse)
            && !matches!(status, Status::Unknown(_))
        {
            state.status_filter = StatusFilter::Only(status);
        }
        state.select_after_load = self.group.clone();
        // The projects the palette offers: the one configured (in use now) first, then those
        // used before; a name the API would refuse is not offered.
        state.projects.clear();
        if !state.header.project.is_empty() {
            state.projects.push(state.header.project.clone());
        }
        for project in &self.projects {
            if !state.projects.contains(project) && crate::validate::name(project, true).is_ok() {
                state.projects.push(project.clone());
            }
        }
        state.projects.truncate(crate::app::state::MAX_PROJECTS);
        match &self.project {
            Some(p) if *p != state.header.project && crate::validate::name(p, true).is_ok() => {
                state.header.project = p.clone();
                vec![Effect::SwitchProject(p.clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// Where `profile`'s state is kept.
pub fn path(profile: &str) -> Option<PathBuf> {
    let safe: String = profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(
        crate::config::local_dir(|d| d.data_dir())?
            .join("state")
            .join(format!("{safe}.json")),
    )
}

/// What `profile` left behind last time (a fresh start when nothing readable is there).
pub fn load(profile: &str) -> Remembered {
    path(profile).map(|p| load_from(&p)).unwrap_or_default()
}

/// Keeps `remembered` for `profile`'s next session (mode 0600).
pub fn save(profile: &str, remembered: &Remembered) -> std::io::Result<()> {
    match path(profile) {
        Some(path) => save_to(&path, remembered),
        None => Ok(()),
    }
}

/// Reads the state kept at `path`; anything unreadable is a fresh start.
pub fn load_from(path: &std::path::Path) -> Remembered {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Writes `remembered` to `path` (mode 0600), making its folder.
pub fn save_to(path: &std::path::Path, remembered: &Remembered) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(remembered).map_err(std::io::Error::other)?;
    crate::config::write_private(path, &json)
}
