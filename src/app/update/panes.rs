//! The panes, as in vim and lazygit: moving (a count before a movement, `5j`, `10G`), marks
//! and a visual range of them (`v`), the filters and the sort, opening a group (and `b`, back
//! to the one open before) and loading its pages again.

use super::super::clock::PollSchedule;
use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::list_pane::ListPane;
use super::super::messages::Level;
use super::super::mode::Visual;
use super::super::sort::AssetSort;
use super::super::state::{AppState, Focus, Place, StatusFilter};
use super::{
    close_dialog, focused_filter, load_assets, note, refilter_assets, refilter_focused, toast,
};
use crate::api::model::MAX_PAGE_SIZE;
use crate::app::asset_row::AssetRow;
use crate::catalog::Cursor;

/// The most a count can be (`99999j`): more means nothing in a list.
const MAX_COUNT: usize = 99_999;

/// A digit typed while browsing: the count of the next movement grows.
pub(super) fn digit(state: &mut AppState, digit: u32) {
    let count = state.count.unwrap_or(0) * 10 + digit as usize;
    state.count = Some(count.min(MAX_COUNT));
}

/// Moves the focused pane's selection by `delta` rows, loading the next page near the end.
pub(super) fn move_focused(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let rows = state.list_rows;
    match state.focus {
        Focus::Groups => {
            state.groups.move_by(delta, rows);
            Vec::new()
        }
        Focus::Assets => {
            state.assets.move_by(delta, rows);
            // Load the next page before the user reaches the end of what is loaded.
            let pane = &state.assets;
            let near_end = pane.selected + rows >= pane.visible.len();
            match (near_end, pane.next.clone(), &state.open_group) {
                (true, Some(next), Some(group)) if !pane.loading => {
                    let group_id = group.clone();
                    state.assets.loading = true;
                    vec![load_assets(state, group_id, next, 1)]
                }
                _ => Vec::new(),
            }
        }
    }
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

/// The last row; in the assets pane with more pages, all of them are loaded first and then
/// the true last row is selected. A page on its way (the group's first one, a sort's reload)
/// carries the wish: its answer asks for the next page.
pub(super) fn to_bottom(state: &mut AppState) -> Vec<Effect> {
    let (Focus::Assets, Some(group_id)) = (state.focus, state.open_group.clone()) else {
        return move_focused(state, isize::MAX / 2);
    };
    let effects = match state.assets.next.clone() {
        _ if state.assets.loading => {
            state.load_to_end = true;
            Vec::new()
        }
        Some(next) => {
            state.load_to_end = true;
            state.assets.loading = true;
            vec![load_assets(state, group_id, next, 1)]
        }
        None => Vec::new(),
    };
    move_focused(state, isize::MAX / 2);
    effects
}

/// Puts the keyboard on pane `focus`.
pub(super) fn focus(state: &mut AppState, focus: Focus) -> Vec<Effect> {
    state.focus = focus;
    Vec::new()
}

/// The next sort column (`Sort`) or the other order (`FlipSort`). Rows not loaded yet may
/// belong first in the service's new order: they are loaded again (an answer still on its way
/// in the old order is dropped when it comes).
pub(super) fn sort(state: &mut AppState, command: Command) -> Vec<Effect> {
    let before = state.sort;
    state.sort = if command == Command::Sort {
        before.next_key()
    } else {
        AssetSort {
            ascending: !before.ascending,
            ..before
        }
    };
    let new_order = state.sort.service_order() != before.service_order();
    let reload = new_order && (state.assets.next.is_some() || state.assets.loading);
    match (state.open_group.clone(), reload) {
        (Some(group_id), true) => {
            state.assets.loading = true;
            state.load_to_end = false;
            vec![load_assets(state, group_id, Cursor::FIRST, 1)]
        }
        _ => {
            state.sorting.due = true;
            Vec::new()
        }
    }
}

/// Marks or unmarks the selected asset and moves on, so Space Space Space marks three rows.
pub(super) fn toggle_mark(state: &mut AppState) -> Vec<Effect> {
    if let Some(id) = state.assets.current_id()
        && !state.marks.remove(&id)
    {
        state.marks.insert(id);
    }
    move_focused(state, 1)
}

/// Marks every asset shown (the filters respected).
pub(super) fn mark_all(state: &mut AppState) -> Vec<Effect> {
    let pane = &state.assets;
    let shown: Vec<String> = pane
        .visible
        .iter()
        .map(|&i| pane.items()[i].id.to_string())
        .collect();
    state.marks.extend(shown);
    Vec::new()
}

pub(super) fn clear_marks(state: &mut AppState) -> Vec<Effect> {
    state.marks.clear();
    Vec::new()
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

/// Clears the focused pane's name filter, else the status filter.
pub(super) fn clear_filter(state: &mut AppState) -> Vec<Effect> {
    if !focused_filter(state).is_empty() {
        focused_filter(state).clear();
        refilter_focused(state);
    } else if state.status_filter != StatusFilter::All {
        state.status_filter = StatusFilter::All;
        refilter_assets(state);
    }
    Vec::new()
}

pub(super) fn cycle_status(state: &mut AppState) -> Vec<Effect> {
    state.status_filter = state.status_filter.next();
    refilter_assets(state);
    Vec::new()
}

/// Opens the group selected in the groups pane and moves the keyboard to its assets.
pub(super) fn open_selected_group(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.groups.current_id() else {
        return Vec::new();
    };
    state.focus = Focus::Assets;
    if state.open_group.as_deref() == Some(&id) {
        return Vec::new();
    }
    if let Some(left) = state.open_group.replace(id.clone()) {
        state.previous = Some(Place {
            project: state.header.project.clone(),
            group: Some(left),
        });
    }
    state.assets = ListPane::loading();
    state.poll = PollSchedule::default();
    state.flashes.clear();
    state.marks.clear();
    state.load_to_end = false;
    vec![load_assets(state, id, Cursor::FIRST, 1)]
}

/// `b`: the group open before this one, opened again (selected in the groups pane); in
/// another project, that project again, the group opening when the groups come.
pub(super) fn back(state: &mut AppState) -> Vec<Effect> {
    let previous = match state.previous.clone() {
        Some(Place { project, group }) if project != state.header.project => {
            return super::switch::project(state, project, group);
        }
        Some(Place { group, .. }) => group,
        None => None,
    };
    let Some(previous) = previous else {
        note(
            state,
            Level::Info,
            "no group was open before this one".to_owned(),
        );
        return Vec::new();
    };
    if state.groups.position(&previous).is_none() {
        state.previous = None;
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

/// Reloads the loaded pages of `group_id` when it is the open group.
pub(super) fn reload_assets_if_open(state: &mut AppState, group_id: &str) -> Vec<Effect> {
    if state.open_group.as_deref() != Some(group_id) {
        return Vec::new();
    }
    state.assets.loading = true;
    vec![load_assets(
        state,
        group_id.to_owned(),
        Cursor::FIRST,
        loaded_pages(&state.assets),
    )]
}

fn loaded_pages(pane: &ListPane<AssetRow>) -> u32 {
    (pane.items().len() as u32).div_ceil(MAX_PAGE_SIZE).max(1)
}

/// Closes the overlay, says `text`, and reloads the groups with the new group `id` selected.
pub(super) fn show_new_group(state: &mut AppState, id: String, text: String) -> Vec<Effect> {
    close_dialog(state);
    toast(state, Level::Success, text);
    state.select_after_load = Some(id);
    state.groups.loading = true;
    vec![Effect::LoadGroups]
}
