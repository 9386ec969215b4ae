//! `update`: the only place app state changes. Pure: input and results in, effects out.
//!
//! [`apply`] routes every action to its handler, in one table; a key goes through the key
//! table to [`commands::run`], the one table of commands (an overlay's key that means a
//! command of the panes comes back here to it). Split by concern: [`loaded`] applies what
//! reading the service brought, [`changed`] the results of changes, [`panes`] moves, marks,
//! filters and opens groups, [`copies`] copies to the clipboard, [`modal`] handles the filter,
//! the dialogs and the help overlay, [`selected`] what follows the selection (previews,
//! probes, URLs).

mod changed;
mod commands;
mod copies;
mod loaded;
mod modal;
mod mouse;
mod palette;
mod panes;
mod selected;
mod switch;
mod sync;
mod tasks;
mod transfer;
mod verify;

use crossterm::event::KeyEventKind;

use super::asset_row::AssetRow;
use super::clock::TICKS_PER_SECOND;
use super::dialog::Holds;
use super::effect::Effect;
use super::keymap::{Command, Scope};
use super::list_pane::{ListPane, Row};
use super::messages::{Level, Toast};
use super::mode::{CopyStage, Mode};
use super::msg::Msg;
use super::state::{AppState, Focus, StatusFilter};
use crate::catalog::Cursor;

/// How long a toast stays (ticks); errors stay longer.
const TOAST_TICKS: u64 = 5 * TICKS_PER_SECOND;
const ERROR_TICKS: u64 = 12 * TICKS_PER_SECOND;
/// How long a row that changed status stays highlighted.
const FLASH_TICKS: u64 = 3 * TICKS_PER_SECOND;

/// Applies `action` to `state` and returns the work to start.
pub fn update(state: &mut AppState, action: Msg) -> Vec<Effect> {
    if !matches!(action, Msg::Tick(_)) {
        state.redraw = true;
    }
    let tick = matches!(action, Msg::Tick(_));
    let mut effects = apply(state, action);
    panes::follow(state);
    effects.extend(sort_if_due(state));
    effects.extend(selected::follow(state, tick));
    effects
}

/// Routes `action` to its handler: the one table of what each input and result does.
fn apply(state: &mut AppState, action: Msg) -> Vec<Effect> {
    match action {
        Msg::Key(key) => pressed(state, key),
        Msg::Mouse(event) => mouse::event(state, event),
        Msg::Paste(text) => {
            modal::paste(state, &text);
            Vec::new()
        }
        Msg::Resize(w, h) => resized(state, (w, h)),
        Msg::Tick(now) => {
            state.now = now;
            let mut effects = loaded::tick(state);
            effects.extend(tasks::tick(state));
            verify::tick(state);
            effects
        }
        Msg::GroupsLoaded(result) => loaded::groups(state, result),
        Msg::AssetsLoaded {
            group_id,
            from,
            order,
            result,
        } => loaded::assets(state, group_id, (from, order), result),
        Msg::Polled { group_id, result } => loaded::polled(state, group_id, result),
        Msg::Sorted { epoch, order } => sorted(state, epoch, order),
        Msg::AssetsCounted { group_id, result } => changed::counted(state, &group_id, result),
        Msg::GroupCreated(result) => changed::group_created(state, result),
        Msg::AssetCreated { group_id, result } => changed::asset_created(state, &group_id, result),
        Msg::Uploading { sent, total } => changed::uploading(state, sent, total),
        Msg::Progress {
            work,
            done,
            total,
            failed,
        } => changed::progress(state, work, (done, total, failed)),
        Msg::Estimated(text) => changed::estimated(state, text),
        Msg::Imported { group_id, result } => changed::imported(state, &group_id, result),
        Msg::Retried { group_id, retried } => changed::retried(state, &group_id, retried),
        Msg::SyncPlanned { folder, result } => sync::planned(state, folder, result),
        Msg::Synced { group_id, result } => sync::synced(state, &group_id, result),
        Msg::CopyPlanned { profile, result } => transfer::planned(state, &profile, result),
        Msg::Copied { profile, result } => transfer::copied(state, &profile, result),
        Msg::Pulled { folder, result } => transfer::pulled(state, folder, result),
        Msg::NamesEdited(result) => sync::names_edited(state, result),
        Msg::Renamed(renamed) => sync::renamed(state, renamed),
        Msg::GroupUpdated {
            id,
            name,
            description,
            result,
        } => changed::group_updated(state, &id, (name, description), result),
        Msg::AssetRenamed { id, name, result } => changed::asset_renamed(state, &id, name, result),
        Msg::GroupDeleted { id, result } => changed::group_deleted(state, &id, result),
        Msg::AssetsDeleted(outcomes) => changed::assets_deleted(state, outcomes),
        Msg::VerificationStarted(_) | Msg::Verified(_) => verify::result(state, action),
        Msg::Probed { id, result } => selected::probed(state, id, result),
        Msg::Previewed { id, result } => selected::previewed(state, id, result),
        Msg::UrlFetched { id, result } => selected::url_fetched(state, id, result),
        Msg::ProfileSwitched(result) => switch::profile_switched(state, result),
        Msg::Notice(text) => {
            note(state, Level::Info, text);
            Vec::new()
        }
        Msg::TaskFailed(text) => task_failed(state, text),
        Msg::TaskPlanned(result) => tasks::planned(state, result),
        Msg::TaskCreated(result) => tasks::created(state, result),
        Msg::TasksLoaded(result) => tasks::loaded(state, result),
        Msg::TasksPolled(result) => tasks::polled(state, result),
        Msg::TaskCancelled { id, result } => tasks::cancelled(state, &id, result),
        Msg::TaskDownloading { bytes, total } => tasks::downloading(state, bytes, total),
        Msg::TaskDownloaded { id, result } => tasks::downloaded(state, &id, result),
    }
}

/// A key: the command it is bound to here, run in the current mode.
fn pressed(state: &mut AppState, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let command = state.keys.lookup(state.scope(), &key);
    // A digit no key is bound to, while browsing, counts the next movement (`5j`).
    if let (None, Mode::Browse, crossterm::event::KeyCode::Char(c)) =
        (command, &state.mode, key.code)
        && let Some(d) = c.to_digit(10)
        && key.modifiers.is_empty()
        && (d > 0 || state.count.is_some())
    {
        panes::digit(state, d);
        return Vec::new();
    }
    match command {
        Some(Command::Suspend) => vec![Effect::Suspend],
        Some(Command::Quit) if !matches!(state.mode, Mode::Browse) => {
            // Ctrl-C quits from anywhere; `q` only where it is bound.
            state.quit = true;
            Vec::new()
        }
        command => match state.mode {
            Mode::Browse => command.map_or_else(Vec::new, |c| commands::run(state, c)),
            _ => match modal::key(state, command, key) {
                Keyed::Done(effects) => effects,
                Keyed::Run(command) => commands::run(state, command),
            },
        },
    }
}

/// What a key in an overlay comes to: its effects, or a command of the panes (the detail's
/// keys, the palette's choice) for [`commands::run`], the one table that runs commands.
enum Keyed {
    /// Handled, with these effects.
    Done(Vec<Effect>),
    /// Run this command as while browsing.
    Run(Command),
}

/// The terminal is `w × h` cells now.
fn resized(state: &mut AppState, (w, h): (u16, u16)) -> Vec<Effect> {
    state.viewport = (w, h);
    state.log_if_cut();
    state.list_rows = super::layout::list_rows(state.viewport);
    state.groups.scroll(state.list_rows);
    state.assets.scroll(state.list_rows);
    Vec::new()
}

/// A sort computed on a worker for the pane's `epoch`.
fn sorted(state: &mut AppState, epoch: u64, order: Vec<u32>) -> Vec<Effect> {
    state.sorting.running = false;
    if state.assets.set_order(epoch, order) {
        refilter_assets(state);
    } else {
        // Rows moved while it ran (a delete, a reload): sort what is there now.
        state.sorting.due = sorts_here(state);
    }
    Vec::new()
}

/// A task failed without an answer: whatever waited for one stops waiting.
fn task_failed(state: &mut AppState, text: String) -> Vec<Effect> {
    state.groups.loading = false;
    state.assets.loading = false;
    state.poll.in_flight = false;
    state.tasks.poll.in_flight = false;
    state.tasks.loading = false;
    state.sorting.running = false;
    state.load_to_end = false;
    changed::set_holds(state, None, Holds::Unknown("the count stopped".to_owned()));
    let reload = state.keys.key(Scope::Global, Command::Refresh);
    let text = format!("{text}; {reload} reloads");
    dialog_failed(state, text);
    Vec::new()
}

/// Says `text` in the status line and keeps it in the messages log.
fn toast(state: &mut AppState, level: Level, text: String) {
    let until = state.tick + toast_ticks(level);
    state.tell(level, text, until);
}

/// How long a message of `level` stays in the status line.
fn toast_ticks(level: Level) -> u64 {
    if level == Level::Error {
        ERROR_TICKS
    } else {
        TOAST_TICKS
    }
}

/// Says `text` in the status line only: how work goes (`importing … 3 of 19`), which the log
/// would only fill with steps; one the screen cuts is kept there too (its last step).
fn note(state: &mut AppState, level: Level, text: String) {
    state.toast = Some(Toast {
        text,
        level,
        until: state.tick + toast_ticks(level),
        logged: false,
    });
    state.log_if_cut();
}

/// Shows a failure in the open form (or the copy's list waiting for its plan), or as a toast
/// when none is open.
fn dialog_failed(state: &mut AppState, message: String) {
    match &mut state.mode {
        Mode::Form(d) => {
            d.busy = false;
            d.error = Some(message);
        }
        Mode::Copy(view) if matches!(view.stage, CopyStage::Planning) => {
            view.stage = CopyStage::Picking;
            view.error = Some(message);
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

/// Puts `row` in place of the asset at `at` (a change made or read here). A row whose time of
/// a time sort changed would stay where the service's order put it: the rows are sorted here
/// from then on, so the pane keeps the order its title names.
fn replace_asset(state: &mut AppState, at: usize, row: AssetRow) {
    let after = row.sort_keys();
    let before = state.assets.replace(at, row);
    if state.sort.moves(before.sort_keys(), after) {
        state.sorting.due = true;
    }
}

/// Starts the sort that is due: at once for a small pane, else on a worker, one at a time
/// (rows that change meanwhile are sorted when it is back).
fn sort_if_due(state: &mut AppState) -> Option<Effect> {
    if !state.sorting.due || state.sorting.running {
        return None;
    }
    state.sorting.due = false;
    let epoch = state.assets.epoch();
    let job = state.assets.sort_job(state.sort);
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
    state.visual = None;
    state.marks.clear();
    state.assets = ListPane::default();
    state.focus = Focus::Groups;
}
