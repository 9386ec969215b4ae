//! Switching what the session works on: another project of the profile, or another profile
//! (its endpoint, keys, ledger and object storage).

use super::super::effect::Effect;
use super::super::list_pane::ListPane;
use super::super::messages::Level;
use super::super::msg::SwitchedProfile;
use super::super::remembered::MAX_PROJECTS;
use super::super::sort::AssetSort;
use super::super::state::{AppState, StatusFilter};
use super::{close_group, note, toast};

/// Scopes requests to `project` from now on and lists its groups.
pub(super) fn project(state: &mut AppState, project: String) -> Vec<Effect> {
    state.header.project = project.clone();
    known_project(state, &project);
    close_group(state);
    state.groups = ListPane::loading();
    toast(
        state,
        Level::Info,
        format!("switched to project {project:?}"),
    );
    vec![Effect::SwitchProject(project), Effect::LoadGroups]
}

/// Puts `project` first among the projects the palette offers.
fn known_project(state: &mut AppState, project: &str) {
    state.projects.retain(|p| p != project);
    state.projects.insert(0, project.to_owned());
    state.projects.truncate(MAX_PROJECTS);
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
    // Should it fail, the same group opens again.
    state.select_after_load = state.open_group.clone();
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
