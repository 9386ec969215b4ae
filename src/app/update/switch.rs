//! Switching what the session works on: another project of the profile (picked from those
//! known, or typed; `b` goes back), or another profile (its endpoint, keys, ledger and object
//! storage).

use crossterm::event::KeyEvent;

use super::super::dialog::SwitchProject;
use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::list_pane::ListPane;
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::msg::SwitchedProfile;
use super::super::remembered::visited;
use super::super::sort::AssetSort;
use super::super::state::{AppState, StatusFilter};
use super::{close_group, note, toast};

/// `p`: the projects known for the profile to pick from, or a name to type (the global
/// endpoint has no projects: the status line says so).
pub(super) fn open_projects(state: &mut AppState) -> Vec<Effect> {
    if !state.header.dialect.can_list() {
        let text = "the global endpoint has no projects".to_owned();
        toast(state, Level::Info, text);
        return Vec::new();
    }
    let picker = SwitchProject::new(state.known_projects(), &state.header.project);
    state.mode = Mode::Projects(Box::new(picker));
    Vec::new()
}

/// A key on the project picker: move, type (the list narrows), switch or cancel.
pub(super) fn key(
    state: &mut AppState,
    mut picker: SwitchProject,
    command: Option<Command>,
    key: KeyEvent,
) -> Vec<Effect> {
    match command {
        Some(Command::Cancel) => return Vec::new(),
        Some(Command::Submit) => match picker.chosen() {
            Some(chosen) if chosen == state.header.project => {
                note(state, Level::Info, format!("project {chosen:?} is open"));
                return Vec::new();
            }
            Some(chosen) => return project(state, chosen, None),
            None => {}
        },
        Some(Command::Down) => picker.list.down(),
        Some(Command::Up) => picker.list.up(),
        Some(Command::ClearInput) => picker.clear(),
        _ => picker.edit(key),
    }
    state.mode = Mode::Projects(Box::new(picker));
    Vec::new()
}

/// Scopes requests to `project` from now on and lists its groups, `group` opening when it is
/// among them; `b` goes back to the project and group left.
pub(super) fn project(state: &mut AppState, project: String, group: Option<String>) -> Vec<Effect> {
    let left = state.place();
    state.header.project = project.clone();
    visited(&mut state.projects, &project);
    close_group(state);
    state.groups = ListPane::loading();
    state.select_after_load = group;
    state.previous = Some(left);
    toast(
        state,
        Level::Info,
        format!("switched to project {project:?}"),
    );
    vec![Effect::SwitchProject(project), Effect::LoadGroups]
}

/// Opens profile `to` (on a worker); the panes wait empty until it is open. The profile left
/// keeps its state for its next session (not in the demo, which starts afresh each time).
pub(super) fn profile(state: &mut AppState, to: String) -> Vec<Effect> {
    if to == state.header.profile {
        return Vec::new();
    }
    let leaving = state
        .sample_source
        .is_none()
        .then(|| (state.header.profile.clone(), state.remembered()));
    // Should it fail, the same group opens again; `b` does not reach into another account.
    state.select_after_load = state.open_group.clone();
    state.previous = None;
    close_group(state);
    state.groups = ListPane::loading();
    note(state, Level::Info, format!("opening profile {to:?}…"));
    vec![Effect::SwitchProfile { to, leaving }]
}

/// The profile asked for is open (its catalog already in use), or could not be.
pub(super) fn profile_switched(
    state: &mut AppState,
    result: Result<SwitchedProfile, crate::app::msg::SwitchError>,
) -> Vec<Effect> {
    let switched = match result {
        Ok(switched) => switched,
        Err(e) => {
            toast(state, Level::Error, format!("profile not switched: {e}"));
            return vec![Effect::LoadGroups];
        }
    };
    state.header = switched.header;
    state.read_only = switched.read_only;
    state.sort = AssetSort::default();
    state.status_filter = StatusFilter::All;
    state.urls = Default::default();
    state.probes.clear();
    state.tasks = crate::app::tasks::Tasks::new(switched.data_plane);
    let mut effects = state.restore(&switched.remembered);
    effects.push(Effect::LoadGroups);
    let read_only = if state.read_only { ", read-only" } else { "" };
    let mut text = format!(
        "profile {}: {}{read_only}",
        state.header.profile, state.header.endpoint
    );
    for problem in &switched.problems {
        text.push_str("; ");
        text.push_str(problem);
    }
    let level = if switched.problems.is_empty() {
        Level::Success
    } else {
        Level::Error
    };
    toast(state, level, text);
    effects
}
