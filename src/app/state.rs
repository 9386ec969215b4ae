//! Everything the screen shows, in one value that only `update` changes.

use std::collections::HashMap;

use super::asset_row::AssetRow;
use super::clock::PollSchedule;
use super::effect::Effect;
use super::keymap::{Keymap, Scope};
use super::list_pane::ListPane;
use super::messages::{Level, Message, Messages, Toast};
use super::mode::{CopyStage, Mode, Verification, Visual};
use super::remembered::{Remembered, visited};
use super::sort::{AssetSort, Sorting};
use crate::api::model::{AssetGroup, Status};

/// Which list has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The groups pane.
    #[default]
    Groups,
    /// The assets pane.
    Assets,
}

/// The status filter of the assets pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every asset.
    #[default]
    All,
    /// Only this status.
    Only(Status),
}

impl StatusFilter {
    /// The next filter in the cycle All → Active → Processing → Failed → All.
    pub fn next(self) -> Self {
        match self {
            StatusFilter::All => StatusFilter::Only(Status::Active),
            StatusFilter::Only(Status::Active) => StatusFilter::Only(Status::Processing),
            StatusFilter::Only(Status::Processing) => StatusFilter::Only(Status::Failed),
            StatusFilter::Only(_) => StatusFilter::All,
        }
    }

    /// Label for the pane title.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.name(),
        }
    }
}

/// A video or audio asset's file, as read for the detail pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Being read.
    Reading,
    /// What it holds, as named values.
    Read(Vec<(&'static str, String)>),
    /// Why it could not be read.
    Failed(String),
}

/// What the title bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Profile name.
    pub profile: String,
    /// The dialect the profile speaks.
    pub dialect: crate::api::Dialect,
    /// Endpoint URL.
    pub endpoint: String,
    /// Project name.
    pub project: String,
}

/// Where the session was: a project and the group open in it (`b` goes back there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The project requests were scoped to.
    pub project: String,
    /// The group open in it, if one was.
    pub group: Option<String>,
}

/// The whole application state.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    /// Title bar.
    pub header: Header,
    /// Terminal size (columns, rows).
    pub viewport: (u16, u16),
    /// Rows a list pane shows at this size (see [`super::layout::list_rows`]).
    pub list_rows: usize,
    /// Focused pane.
    pub focus: Focus,
    /// Asset groups.
    pub groups: ListPane<AssetGroup>,
    /// Assets of the open group.
    pub assets: ListPane<AssetRow>,
    /// The open group's id.
    pub open_group: Option<String>,
    /// Status filter of the assets pane.
    pub status_filter: StatusFilter,
    /// Sort of the assets pane.
    pub sort: AssetSort,
    /// Where the sort done here stands (large panes are sorted on a worker).
    pub sorting: Sorting,
    /// Commands that change the account are off (`--read-only`, `read_only = true`).
    pub read_only: bool,
    /// In demo mode: the sample URL the new-asset dialog offers.
    pub sample_source: Option<String>,
    /// The configured profiles (the palette switches between them).
    pub profiles: Vec<String>,
    /// Projects used with this profile, most recent first (the one in use leads), each once,
    /// at most [`MAX_PROJECTS`](super::remembered::MAX_PROJECTS): kept for the next session.
    pub projects: Vec<String>,
    /// The project the profile names (its `project`, or `--project`): always offered.
    pub profile_project: String,
    /// Labels of the palette's recent choices, most recent first.
    pub palette_recent: Vec<String>,
    /// `G` asked for the true last row: pages load one after another until the last, which is
    /// then selected.
    pub load_to_end: bool,
    /// Assets of the open group marked for a bulk action (by id).
    pub marks: std::collections::BTreeSet<String>,
    /// What has the keyboard.
    pub mode: Mode,
    /// The key table.
    pub keys: Keymap,
    /// The assets pane's columns, in order (`[columns]`).
    pub columns: crate::config::Columns,
    /// Status-line message.
    pub toast: Option<Toast>,
    /// UI clock.
    pub tick: u64,
    /// Poller schedule.
    pub poll: PollSchedule,
    /// Rows that just changed status, with the tick their highlight ends.
    pub flashes: HashMap<String, u64>,
    /// Select this group / asset id when it appears after a reload.
    pub select_after_load: Option<String>,
    /// What the files of video and audio assets hold, by asset id, read when first selected.
    pub probes: HashMap<String, Probe>,
    /// Whether image assets are previewed in the detail pane.
    pub preview_on: bool,
    /// Previews of image assets, by asset id.
    pub previews: crate::preview::PreviewCache,
    /// The asset the selection is on, as of the last update: when a tick finds it still
    /// selected, the selection has rested and its URL and preview are fetched.
    pub resting_on: Option<String>,
    /// Signed URLs of the assets looked at.
    pub urls: super::urls::Urls,
    /// Rows the help overlay is scrolled down by.
    pub help_offset: usize,
    /// The last click on a list row (pane, row, tick), to tell a double-click.
    pub last_click: Option<(Focus, usize, u64)>,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// The time of the last tick.
    pub now: chrono::DateTime<chrono::Utc>,
    /// How long the running import's or sync's creates take at the rate in force, when more
    /// than a minute ("60 creates at 3 a minute: about 20 minutes"): said with its progress.
    pub estimate: Option<String>,
    /// The language of the liveness check's page on the phone (English, as the UI, until
    /// the check's key changes it).
    pub verify_lang: crate::api::model::H5Lang,
    /// Every message of the session (the status line shows the last).
    pub messages: Messages,
    /// A count typed before a movement (`5j`, `10G`), until a command takes it.
    pub count: Option<usize>,
    /// The visual selection (`v`): marks follow the selection from its anchor.
    pub visual: Option<Visual>,
    /// The project and group open before this one (`b` goes back to them).
    pub previous: Option<Place>,
    /// Whether a URL can be opened here (a browser, or a display to open one on).
    pub can_open: bool,
    /// The zone times are shown in.
    pub zone: crate::times::Zone,
    /// Set when the screen must be redrawn.
    pub redraw: bool,
    /// The Seedance tasks followed.
    pub tasks: super::tasks::Tasks,
}

impl AppState {
    /// A fresh state for a terminal of `size`.
    pub fn new(header: Header, size: (u16, u16)) -> Self {
        AppState {
            header,
            viewport: size,
            list_rows: super::layout::list_rows(size),
            redraw: true,
            ..AppState::default()
        }
    }

    /// Says `text` in the status line until tick `until`, and keeps it in the messages log.
    pub(crate) fn tell(&mut self, level: Level, text: String, until: u64) {
        self.messages.push(Message {
            at: self.now,
            level,
            text: text.clone(),
        });
        self.toast = Some(Toast {
            text,
            level,
            until,
            logged: true,
        });
    }

    /// Keeps the status line's message in the log when the screen cuts it (its steps of work
    /// one message), so the cut line's `… (m)` is true.
    pub(crate) fn log_if_cut(&mut self) {
        let Some(toast) = &mut self.toast else {
            return;
        };
        if toast.logged || toast.fits(self.viewport.0) {
            return;
        }
        toast.logged = true;
        let message = Message {
            at: self.now,
            level: toast.level,
            text: toast.text.clone(),
        };
        self.messages.push_step(message);
    }

    /// The scope of the key table that the current mode reads.
    pub fn scope(&self) -> Scope {
        match (&self.mode, self.focus) {
            (Mode::Browse, Focus::Groups) => Scope::Groups,
            (Mode::Browse, Focus::Assets) => Scope::Assets,
            (Mode::Filter, _) => Scope::Filter,
            (Mode::Help, _) => Scope::Help,
            (Mode::Form(_), _) => Scope::Form,
            (Mode::Confirm(q), _) if q.needs_typing() => Scope::Typed,
            (Mode::Confirm(_), _) => Scope::Confirm,
            (Mode::Verify(Verification::Showing { asking: true, .. }), _) => Scope::Confirm,
            (Mode::Shown(_), _) => Scope::Shown,
            (Mode::Verify(_), _) => Scope::Verify,
            (Mode::Palette(_), _) => Scope::Palette,
            (Mode::Sync(view), _) if view.confirming => Scope::Confirm,
            (Mode::Sync(_), _) => Scope::Sync,
            (Mode::Projects(_), _) => Scope::Projects,
            (Mode::Copy(view), _) => match &view.stage {
                CopyStage::Plan(plan) if plan.confirming => Scope::Confirm,
                CopyStage::Plan(_) => Scope::Copy,
                CopyStage::Picking | CopyStage::Planning => Scope::Profiles,
            },
            (Mode::Messages(_), _) => Scope::Messages,
            (Mode::Detail, _) => Scope::Detail,
            (Mode::Tasks, _) => Scope::Tasks,
        }
    }

    /// The marked assets in the order the pane shows them, then those the filters hide (in
    /// load order): what `y`, `Y` and every bulk action take, in this order.
    pub fn marked_in_order(&self) -> Vec<&AssetRow> {
        let pane = &self.assets;
        let shown = pane.visible.iter().map(|&i| &pane.items()[i]);
        let mut marked: Vec<&AssetRow> = shown.filter(|a| self.marks.contains(&*a.id)).collect();
        if marked.len() < self.marks.len() {
            let seen: std::collections::HashSet<&str> = marked.iter().map(|a| &*a.id).collect();
            marked.extend(
                pane.items()
                    .iter()
                    .filter(|a| self.marks.contains(&*a.id) && !seen.contains(&*a.id)),
            );
        }
        marked
    }

    /// Whether any loaded asset is still processing.
    pub fn has_processing(&self) -> bool {
        self.assets
            .items()
            .iter()
            .any(|a| a.status == Status::Processing)
    }

    /// What this session would leave behind for the next.
    pub fn remembered(&self) -> Remembered {
        Remembered {
            project: Some(self.header.project.clone()).filter(|p| !p.is_empty()),
            group: self.open_group.clone(),
            sort: Some(self.sort.key),
            ascending: self.sort.ascending,
            status: match self.status_filter {
                StatusFilter::All => None,
                StatusFilter::Only(s) => Some(s),
            },
            projects: self.projects.clone(),
        }
    }

    /// Puts `kept` back into a fresh state (or one a profile switch just emptied); the effects
    /// switch the project (before the groups load). The group opens when the groups arrive, if
    /// it is still there.
    pub fn restore(&mut self, kept: &Remembered) -> Vec<Effect> {
        if let Some(key) = kept.sort {
            self.sort = AssetSort {
                key,
                ascending: kept.ascending,
            };
        }
        if let Some(status) = kept.status.filter(|s| !matches!(s, Status::Unknown(_))) {
            self.status_filter = StatusFilter::Only(status);
        }
        self.select_after_load = kept.group.clone();
        self.previous = None;
        // The header names the profile's project until the kept one is put back.
        self.profile_project = self.header.project.clone();
        let valid = |p: &String| crate::validate::name(p, true).is_ok();
        let effects = match &kept.project {
            Some(p) if *p != self.header.project && valid(p) => {
                self.header.project = p.clone();
                vec![Effect::SwitchProject(p.clone())]
            }
            _ => Vec::new(),
        };
        // The projects used before, most recent first, the one in use leading (the global
        // endpoint has none); a name the API would refuse is not offered.
        self.projects.clear();
        if !self.header.project.is_empty() {
            for project in kept.projects.iter().rev().filter(|p| valid(p)) {
                visited(&mut self.projects, project);
            }
            visited(&mut self.projects, &self.header.project.clone());
        }
        effects
    }

    /// The projects the project switch and the palette offer: those used, most recent first,
    /// then the profile's own and `default`, each once (none on the global endpoint).
    pub fn known_projects(&self) -> Vec<String> {
        if self.header.project.is_empty() {
            return Vec::new();
        }
        let mut known = self.projects.clone();
        for project in [self.profile_project.as_str(), "default"] {
            if !project.is_empty() && !known.iter().any(|p| p == project) {
                known.push(project.to_owned());
            }
        }
        known
    }

    /// The project and the group open now.
    pub fn place(&self) -> Place {
        Place {
            project: self.header.project.clone(),
            group: self.open_group.clone(),
        }
    }
}
