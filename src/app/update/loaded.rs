//! The results of reading the service: the groups, pages of assets, polls; and the tick.

use super::super::effect::Effect;
use super::super::keymap::{Command, Scope};
use super::super::list_pane::{ListPane, Row};
use super::super::messages::Level;
use super::super::state::{AppState, Focus};
use super::panes::open_selected_group;
use super::{FLASH_TICKS, display_name, load_assets, replace_asset, rows_changed, toast};
use crate::api::ApiError;
use crate::api::model::{Asset, AssetGroup, MAX_PAGE_SIZE, SortBy, SortOrder, Status};
use crate::api::paging;
use crate::app::asset_row::AssetRow;
use crate::app::urls::Url;
use crate::catalog::poll::Pending;
use crate::catalog::{Cursor, ListError, Listing};

/// The groups, listed.
pub(super) fn groups(
    state: &mut AppState,
    result: Result<Listing<AssetGroup>, ListError>,
) -> Vec<Effect> {
    state.groups.loading = false;
    let listing = match result {
        Ok(listing) => listing,
        Err(e) => {
            state.groups.error = Some(e.to_string());
            let retry = state.keys.key(Scope::Global, Command::Refresh);
            let text = format!("{e} — {retry} retries");
            toast(state, Level::Error, text);
            return Vec::new();
        }
    };
    if let Some(why) = listing.stopped {
        toast(state, Level::Error, why);
    }
    state.groups.total = Some(listing.items.len() as u64);
    state.groups.set_items(listing.items);
    state.groups.error = None;
    state.groups.refilter(|_| true);
    select_pending(
        &mut state.groups,
        &mut state.select_after_load,
        state.list_rows,
    );
    state.groups.scroll(state.list_rows);
    // Show the first group's assets at once; the keyboard stays on the groups.
    if state.open_group.is_none() && state.groups.current().is_some() {
        let effects = open_selected_group(state);
        state.focus = Focus::Groups;
        return effects;
    }
    Vec::new()
}

/// Pages of `group_id`'s assets from `from`, asked for in `order`.
pub(super) fn assets(
    state: &mut AppState,
    group_id: String,
    (from, order): (Cursor, (SortBy, SortOrder)),
    result: Result<Listing<Asset>, ListError>,
) -> Vec<Effect> {
    // Another group, or an order the sort has left (its reload is on the way).
    if state.open_group.as_deref() != Some(&group_id) || order != state.sort.service_order() {
        return Vec::new();
    }
    state.assets.loading = false;
    match result {
        Ok(batch) => apply_batch(state, &from, batch),
        Err(e) => {
            state.load_to_end = false;
            state.assets.error = Some(e.to_string());
            let retry = state.keys.key(Scope::Global, Command::Refresh);
            let text = format!("{e} — {retry} retries");
            toast(state, Level::Error, text);
        }
    }
    schedule_poll_soon(state);
    continue_to_end(state, &group_id)
}

/// The poller's view of `group_id`'s assets that were Processing; the next poll comes sooner
/// when something changed, later when nothing did.
pub(super) fn polled(
    state: &mut AppState,
    group_id: String,
    result: Result<Vec<Asset>, ApiError>,
) -> Vec<Effect> {
    state.poll.in_flight = false;
    if state.open_group.as_deref() != Some(&group_id) {
        return Vec::new();
    }
    let changed = match result {
        Ok(assets) => Some(apply_poll(state, assets)),
        Err(e) => {
            toast(state, Level::Error, format!("status poll: {e}"));
            None
        }
    };
    state.poll.answered(state.tick, changed);
    Vec::new()
}

fn select_pending<T: Row>(pane: &mut ListPane<T>, pending: &mut Option<String>, rows: usize) {
    if let Some(id) = pending.as_deref()
        && pane.items().iter().any(|t| t.id() == id)
    {
        pane.choose(id, rows);
        *pending = None;
    }
}

/// After a page `G` asked for: the next page, or, at the end, the true last row.
fn continue_to_end(state: &mut AppState, group_id: &str) -> Vec<Effect> {
    if !state.load_to_end {
        return Vec::new();
    }
    match state.assets.next.clone() {
        Some(next) if !state.assets.loading => {
            state.assets.loading = true;
            vec![load_assets(state, group_id.to_owned(), next, 1)]
        }
        Some(_) => Vec::new(),
        None => {
            state.load_to_end = false;
            state.assets.move_by(isize::MAX / 2, state.list_rows);
            Vec::new()
        }
    }
}

/// Most rows room is made for ahead of their pages (see `apply_batch`).
const MAX_RESERVED: usize = 1_000_000;

/// Loaded rows a later page is checked against for repeats: two pages.
const DUPLICATE_WINDOW: usize = 2 * MAX_PAGE_SIZE as usize;

fn apply_batch(state: &mut AppState, from: &Cursor, mut batch: Listing<Asset>) {
    if let Some(warning) = batch.warning() {
        toast(state, Level::Error, warning);
    }
    let signed = take_urls(&mut batch.items);
    let pane = &mut state.assets;
    let mut next = batch.next;
    let mut stopped = batch.stopped;
    let rows = batch.items.into_iter().map(AssetRow::from);
    if *from == Cursor::FIRST {
        pane.set_items(rows);
    } else {
        // Assets created while paging push rows down: the next page repeats the tail of the
        // last ones. Only that tail is checked, so a page costs the same at 100,000 rows.
        let items = pane.items();
        let tail = items.len().saturating_sub(DUPLICATE_WINDOW);
        let known: std::collections::HashSet<&str> = items[tail..].iter().map(|a| &*a.id).collect();
        let fresh: Vec<AssetRow> = rows.filter(|a| !known.contains(&*a.id)).collect();
        // A later page that brings nothing new means the service's paging cannot be trusted:
        // stop loading rather than asking for the same page forever, and say so. Unless it is
        // a service paging by token answering its one full page again: then that was all.
        let token = match &next {
            Some(Cursor::Token(t)) => Some(t.as_str()),
            _ => None,
        };
        let end = paging::repeat_is_the_end(from, batch.total, token);
        if fresh.is_empty() && next.is_some() {
            next = None;
            if !end {
                stopped.get_or_insert_with(|| {
                    "a later page repeated earlier rows, so the listing cannot go on".to_owned()
                });
            }
        }
        pane.append(fresh);
    }
    // Room for every row the service says there is, once (growing page by page would leave
    // the heap pocked with outgrown copies); a total past any real group is not believed.
    if let Some(total) = batch.total {
        let expected = usize::try_from(total)
            .unwrap_or(usize::MAX)
            .min(MAX_RESERVED);
        pane.reserve(expected);
    }
    if next.is_none() {
        pane.shrink_to_fit();
    }
    pane.total = batch.total;
    pane.next = next;
    pane.stopped = stopped;
    pane.error = None;
    rows_changed(state);
    select_pending(
        &mut state.assets,
        &mut state.select_after_load,
        state.list_rows,
    );
    state.assets.scroll(state.list_rows);
    keep_selected_url(state, signed);
}

/// The signed URLs of `assets`, taken out of them (rows do not keep URLs).
fn take_urls(assets: &mut [Asset]) -> Vec<(String, String)> {
    assets
        .iter_mut()
        .filter(|a| !a.url.is_empty())
        .map(|a| (a.id.clone(), std::mem::take(&mut a.url)))
        .collect()
}

/// Keeps the selected asset's URL when an answer brought it, which saves a GetAsset.
fn keep_selected_url(state: &mut AppState, signed: Vec<(String, String)>) {
    let Some(current) = state.assets.current() else {
        return;
    };
    if let Some((id, url)) = signed.into_iter().find(|(id, _)| *id == *current.id) {
        state.urls.put(&id, Url::Signed(url), state.tick);
    }
}

/// Applies the current state of assets (from a poll or a GetAsset); true if a status changed.
pub(super) fn apply_poll(state: &mut AppState, mut assets: Vec<Asset>) -> bool {
    let signed = take_urls(&mut assets);
    let mut changed = false;
    for asset in assets {
        let Some(at) = state.assets.position(&asset.id) else {
            continue;
        };
        let row = AssetRow::from(asset);
        // Most answers change nothing (a poll of assets still processing, a fetched URL).
        if state.assets.items()[at] == row {
            continue;
        }
        let was = state.assets.items()[at].status;
        replace_asset(state, at, row);
        let asset = &state.assets.items()[at];
        if was == asset.status {
            continue;
        }
        changed = true;
        let id = asset.id.to_string();
        let name = display_name(asset);
        let note = match asset.status {
            Status::Active => Some((
                Level::Success,
                format!("{name} is Active: {}", asset.reference()),
            )),
            Status::Failed => {
                let why = asset
                    .error
                    .as_ref()
                    .map(|e| format!("{}: {}", e.code, e.message))
                    .unwrap_or_else(|| "no reason given".to_owned());
                Some((Level::Error, format!("{name} failed: {why}")))
            }
            _ => None,
        };
        state.flashes.insert(id, state.tick + FLASH_TICKS);
        if let Some((level, text)) = note {
            toast(state, level, text);
        }
    }
    if changed {
        rows_changed(state);
    }
    keep_selected_url(state, signed);
    changed
}

fn schedule_poll_soon(state: &mut AppState) {
    if !state.poll.in_flight {
        state.poll.next_at = state.poll.next_at.min(state.tick + state.poll.interval);
    }
}

/// The UI clock: toasts expire, flashes fade, the poller runs while assets are Processing.
pub(super) fn tick(state: &mut AppState) -> Vec<Effect> {
    state.tick += 1;
    let tick = state.tick;
    if state.toast.as_ref().is_some_and(|t| t.until <= tick) {
        state.toast = None;
        state.redraw = true;
    }
    let before = state.flashes.len();
    state.flashes.retain(|_, until| *until > tick);
    if state.flashes.len() != before {
        state.redraw = true;
    }
    if !state.has_processing() {
        return Vec::new();
    }
    // The spinner moves.
    state.redraw = true;
    match &state.open_group {
        Some(group_id) if !state.poll.in_flight && tick >= state.poll.next_at => {
            state.poll.in_flight = true;
            let processing = state
                .assets
                .items()
                .iter()
                .filter(|a| a.status == Status::Processing)
                .map(|a| Pending {
                    id: a.id.to_string(),
                    update_time: a.updated.time(),
                })
                .collect();
            vec![Effect::Poll {
                group_id: group_id.clone(),
                processing,
            }]
        }
        _ => Vec::new(),
    }
}
