//! `update`: the only place app state changes. Pure: input and results in, effects out.
//!
//! Split by concern: [`loaded`] applies the results of background work, [`browse`] runs the
//! commands of the panes, [`modal`] handles the filter, the dialogs and the help overlay.

mod browse;
mod loaded;
mod modal;
mod mouse;
mod palette;
mod selected;
mod switch;
mod verify;

use crossterm::event::KeyEventKind;

use super::action::Action;
use super::asset_row::AssetRow;
use super::effects::Effect;
use super::keymap::Command;
use super::state::*;
use crate::catalog::Cursor;

/// How long a toast stays (ticks); errors stay longer.
const TOAST_TICKS: u64 = 5 * TICKS_PER_SECOND;
const ERROR_TICKS: u64 = 12 * TICKS_PER_SECOND;
/// How long a row that changed status stays highlighted.
const FLASH_TICKS: u64 = 3 * TICKS_PER_SECOND;

/// Applies `action` to `state` and returns the work to start.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    if !matches!(action, Action::Tick) {
        state.redraw = true;
    }
    let tick = matches!(action, Action::Tick);
    let mut effects = apply(state, action);
    effects.extend(sort_if_due(state));
    effects.extend(selected::follow(state, tick));
    effects
}

fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            match state.keys.lookup(state.scope(), &key) {
                Some(Command::Quit) if !matches!(state.mode, Mode::Browse) => {
                    // Ctrl-C quits from anywhere; `q` only where it is bound.
                    state.quit = true;
                    Vec::new()
                }
                command => match state.mode {
                    Mode::Browse => command.map_or_else(Vec::new, |c| browse::run(state, c)),
                    _ => modal::key(state, command, key),
                },
            }
        }
        Action::Mouse(event) => mouse::event(state, event),
        Action::Paste(text) => {
            modal::paste(state, &text);
            Vec::new()
        }
        Action::Resize(w, h) => {
            state.viewport = (w, h);
            state.list_rows = super::layout::list_rows(state.viewport);
            state.groups.scroll(state.list_rows);
            state.assets.scroll(state.list_rows);
            Vec::new()
        }
        Action::Tick => {
            let effects = loaded::tick(state);
            verify::tick(state);
            effects
        }
        Action::VerificationStarted(_) | Action::Verified(_) => verify::result(state, action),
        Action::Probed { id, result } => {
            selected::probed(state, id, result);
            Vec::new()
        }
        Action::Previewed { id, result } => {
            selected::previewed(state, id, result);
            Vec::new()
        }
        Action::UrlFetched { id, result } => selected::url_fetched(state, id, result),
        Action::AssetsCounted { group_id, result } => {
            counted(state, &group_id, result);
            Vec::new()
        }
        Action::ProfileSwitched(result) => switch::profile_switched(state, result),
        Action::Notice(text) => {
            toast(state, Level::Info, text);
            Vec::new()
        }
        Action::TaskFailed(text) => {
            state.groups.loading = false;
            state.assets.loading = false;
            state.poll.in_flight = false;
            state.sorting.running = false;
            state.load_to_end = false;
            counted(state, "", Err("the count failed".to_owned()));
            dialog_failed(state, text);
            Vec::new()
        }
        Action::Sorted { epoch, order } => {
            state.sorting.running = false;
            if state.assets.set_order(epoch, order) {
                refilter_assets(state);
            } else {
                // Rows moved while it ran (a delete, a reload): sort what is there now.
                state.sorting.due = sorts_here(state);
            }
            Vec::new()
        }
        other => loaded::result(state, other),
    }
}

/// Puts the count of a group's assets into the question about deleting it (`""` for
/// whichever group is being counted).
fn counted(state: &mut AppState, group_id: &str, result: Result<(usize, bool), String>) {
    if let Mode::Confirm(question) = &mut state.mode
        && question.holds == Some(Holds::Counting)
        && (group_id.is_empty() || question.targets == [Target::Group(group_id.to_owned())])
    {
        question.holds = Some(match result {
            Ok((count, complete)) => Holds::Assets { count, complete },
            Err(why) => Holds::Unknown(why),
        });
    }
}

fn toast(state: &mut AppState, level: Level, text: String) {
    let ticks = if level == Level::Error {
        ERROR_TICKS
    } else {
        TOAST_TICKS
    };
    state.toast = Some(Toast {
        text,
        level,
        until: state.tick + ticks,
    });
}

/// Shows a failure in the open form, or as a toast when none is open.
fn dialog_failed(state: &mut AppState, message: String) {
    match &mut state.mode {
        Mode::Form(d) => {
            d.busy = false;
            d.error = Some(message);
        }
        _ => toast(state, Level::Error, message),
    }
}

fn close_dialog(state: &mut AppState) {
    state.mode = Mode::Browse;
}

/// Loads `pages` pages of `group_id` from `from`, in the order the sort asks of the service.
fn load_assets(state: &AppState, group_id: String, from: Cursor, pages: u32) -> Effect {
    Effect::LoadAssets {
        group_id,
        from,
        pages,
        order: state.sort.service_order(),
    }
}

/// Whether the assets are put in order here: always for name and status; for a time sort when
/// the rows were sorted here rather than loaded in its order.
fn sorts_here(state: &AppState) -> bool {
    state.sort.is_local() || state.assets.ordered_here()
}

/// After rows came or changed: the sort done here is due again, and the filters apply at once
/// (rows not sorted yet show in load order after the sorted ones).
fn rows_changed(state: &mut AppState) {
    if sorts_here(state) {
        state.sorting.due = true;
    }
    refilter_assets(state);
}

/// Starts the sort that is due: at once for a small pane, else on a worker, one at a time
/// (rows that change meanwhile are sorted when it is back).
fn sort_if_due(state: &mut AppState) -> Option<Effect> {
    if !state.sorting.due || state.sorting.running {
        return None;
    }
    state.sorting.due = false;
    let epoch = state.assets.epoch();
    let job = state.sort.job(&mut state.assets);
    if job.at_once() {
        state.assets.set_order(epoch, job.run());
        refilter_assets(state);
        return None;
    }
    state.sorting.running = true;
    Some(Effect::Sort { epoch, job })
}

/// Applies the filters to rows already in order (typing in the filter sorts nothing).
fn refilter_assets(state: &mut AppState) {
    // Without a status filter no row is read (at 100,000 rows in a sorted order, reading each
    // row's status costs a cache miss a row).
    match state.status_filter {
        StatusFilter::All => state.assets.refilter(|_| true),
        StatusFilter::Only(status) => state.assets.refilter(|a| a.status == status),
    }
    state.assets.scroll(state.list_rows);
}

fn refilter_focused(state: &mut AppState) {
    match state.focus {
        Focus::Groups => {
            state.groups.refilter(|_| true);
            state.groups.scroll(state.list_rows);
        }
        Focus::Assets => refilter_assets(state),
    }
}

fn focused_filter(state: &mut AppState) -> &mut String {
    match state.focus {
        Focus::Groups => &mut state.groups.filter,
        Focus::Assets => &mut state.assets.filter,
    }
}

fn display_name(a: &AssetRow) -> String {
    if a.name.is_empty() { &a.id } else { &a.name }.to_string()
}

fn close_group(state: &mut AppState) {
    state.open_group = None;
    state.marks.clear();
    state.assets = ListPane::default();
    state.focus = Focus::Groups;
}
