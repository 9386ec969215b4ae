//! Reaching rows and taking them, as in vim and lazygit: a count before a movement (`5j`,
//! `10G`), a visual range of marks (`v`), back to the group open before (`b`), and copies of a
//! group's id and of a group or an asset as JSON.

use super::super::effect::Effect;
use super::super::messages::Level;
use super::super::mode::Visual;
use super::super::state::{AppState, Focus};
use super::browse::move_focused;
use super::loaded::open_selected_group;
use super::{note, toast};

/// The most a count can be (`99999j`): more means nothing in a list.
const MAX_COUNT: usize = 99_999;

/// A digit typed while browsing: the count of the next movement grows.
pub(super) fn digit(state: &mut AppState, digit: u32) {
    let count = state.count.unwrap_or(0) * 10 + digit as usize;
    state.count = Some(count.min(MAX_COUNT));
}

/// `10G` (or `10g`): row 10 of the focused pane, counted from 1.
pub(super) fn to_row(state: &mut AppState, row: usize) -> Vec<Effect> {
    let selected = match state.focus {
        Focus::Groups => state.groups.selected,
        Focus::Assets => state.assets.selected,
    };
    let delta = row.saturating_sub(1) as isize - selected as isize;
    move_focused(state, delta)
}

/// `v`: starts marking the range from the selected asset, or ends it (the marks stay).
pub(super) fn visual(state: &mut AppState) -> Vec<Effect> {
    if state.visual.take().is_some() {
        return Vec::new();
    }
    let Some(anchor) = state
        .assets
        .current_id()
        .filter(|_| state.focus == Focus::Assets)
    else {
        return Vec::new();
    };
    state.visual = Some(Visual {
        anchor,
        before: state.marks.clone(),
    });
    follow(state);
    Vec::new()
}

/// The marks of a visual selection after any change: those before it, and every row shown
/// between its anchor and the selection. A selection whose anchor is gone ends.
pub(super) fn follow(state: &mut AppState) {
    let Some(visual) = &state.visual else {
        return;
    };
    let pane = &state.assets;
    let anchor = pane
        .visible
        .iter()
        .position(|&i| *pane.items()[i].id == *visual.anchor);
    let Some(anchor) = anchor.filter(|_| state.focus == Focus::Assets) else {
        state.visual = None;
        return;
    };
    let (from, to) = (anchor.min(pane.selected), anchor.max(pane.selected));
    let mut marks = visual.before.clone();
    marks.extend(
        pane.visible[from..=to.min(pane.visible.len().saturating_sub(1))]
            .iter()
            .map(|&i| pane.items()[i].id.to_string()),
    );
    state.marks = marks;
}

/// `b`: the group open before this one, opened again (selected in the groups pane).
pub(super) fn back(state: &mut AppState) -> Vec<Effect> {
    let Some(previous) = state.previous_group.clone() else {
        note(
            state,
            Level::Info,
            "no group was open before this one".to_owned(),
        );
        return Vec::new();
    };
    if state.groups.position(&previous).is_none() {
        state.previous_group = None;
        note(
            state,
            Level::Info,
            "the group open before is gone".to_owned(),
        );
        return Vec::new();
    }
    state.groups.choose(&previous, state.list_rows);
    open_selected_group(state)
}

/// `y` on a group: its id.
pub(super) fn copy_group_id(state: &mut AppState) -> Vec<Effect> {
    let Some(g) = state.groups.current() else {
        return Vec::new();
    };
    let id = g.id.clone();
    toast(state, Level::Success, format!("copied {id}"));
    vec![Effect::Copy(id)]
}

/// `J`: the selected group or asset as JSON, as `--json` prints it.
pub(super) fn copy_json(state: &mut AppState) -> Vec<Effect> {
    let (what, json) = match state.focus {
        Focus::Groups => match state.groups.current() {
            Some(g) => (g.id.clone(), serde_json::to_value(g)),
            None => return Vec::new(),
        },
        Focus::Assets => match state.assets.current() {
            Some(a) => {
                let group = state.open_group.clone().unwrap_or_default();
                let url = state.urls.signed(&a.id, state.tick).map(str::to_owned);
                let asset = a.to_asset(&group, &state.header.project, url);
                (a.id.to_string(), serde_json::to_value(asset))
            }
            None => return Vec::new(),
        },
    };
    let text = json.map_or_else(|e| e.to_string(), |v| v.to_string());
    toast(state, Level::Success, format!("copied {what} as JSON"));
    vec![Effect::Copy(text)]
}
