//! `update`: the only place app state changes. Pure: input and results in, effects out.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::backend::crossterm::to_input_request;

use super::action::Action;
use super::effects::Effect;
use super::state::*;
use crate::api::ErrorKind;
use crate::api::model::{Asset, MAX_PAGE_SIZE, Status, asset_reference};
use crate::catalog::Listing;
use crate::text::visible;
use crate::ui::keymap::{self, Command, Scope};
use crate::validate;

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
    match action {
        Action::Key(key) => on_key(state, key),
        Action::Paste(text) => {
            on_paste(state, &text);
            Vec::new()
        }
        Action::Resize(w, h) => {
            state.viewport = (w, h);
            let rows = crate::ui::list_rows(state.viewport);
            state.groups.scroll(rows);
            state.assets.scroll(rows);
            Vec::new()
        }
        Action::Tick => on_tick(state),
        Action::GroupsLoaded(result) => {
            state.groups.loading = false;
            match result {
                Ok(listing) => {
                    if let Some(why) = listing.stopped {
                        toast(state, Level::Error, why);
                    }
                    state.groups.total = listing.items.len() as u64;
                    state.groups.items = listing.items;
                    state.groups.error = None;
                    state.groups.refilter(|_| true);
                    select_pending(&mut state.groups, &mut state.select_after_load);
                    state.groups.scroll(crate::ui::list_rows(state.viewport));
                    // Show the first group's assets at once; the keyboard stays on the groups.
                    if state.open_group.is_none() && state.groups.current().is_some() {
                        let effects = open_selected_group(state);
                        state.focus = Focus::Groups;
                        return effects;
                    }
                }
                Err(e) => {
                    state.groups.error = Some(e.to_string());
                    toast(state, Level::Error, format!("{e} — R retries"));
                }
            }
            Vec::new()
        }
        Action::AssetsLoaded {
            group_id,
            first_page,
            result,
        } => {
            if state.open_group.as_deref() != Some(&group_id) {
                return Vec::new();
            }
            state.assets.loading = false;
            match result {
                Ok(batch) => apply_batch(state, first_page, batch),
                Err(e) => {
                    state.assets.error = Some(e.to_string());
                    toast(state, Level::Error, format!("{e} — R retries"));
                }
            }
            schedule_poll_soon(state);
            Vec::new()
        }
        Action::Polled { group_id, result } => {
            state.poll.in_flight = false;
            if state.open_group.as_deref() != Some(&group_id) {
                return Vec::new();
            }
            let changed = match result {
                Ok(assets) => apply_poll(state, assets),
                Err(e) => {
                    toast(state, Level::Error, format!("status poll: {e}"));
                    false
                }
            };
            let interval = std::time::Duration::from_secs(state.poll.interval / TICKS_PER_SECOND);
            state.poll.interval =
                crate::catalog::poll::next_interval(interval, changed).as_secs() * TICKS_PER_SECOND;
            state.poll.next_at = state.tick + state.poll.interval;
            Vec::new()
        }
        Action::GroupCreated(result) => match result {
            Ok(id) => {
                state.dialog = None;
                toast(state, Level::Success, format!("created group {id}"));
                state.select_after_load = Some(id);
                state.groups.loading = true;
                vec![Effect::LoadGroups]
            }
            Err(e) => {
                dialog_failed(state, e.to_string());
                Vec::new()
            }
        },
        Action::AssetCreated { group_id, result } => match result {
            Ok(id) => {
                state.dialog = None;
                toast(
                    state,
                    Level::Info,
                    format!("created {id}: Processing — its status updates here"),
                );
                state.select_after_load = Some(id);
                state.poll.interval = POLL_MIN_TICKS;
                reload_assets_if_open(state, &group_id)
            }
            Err(e) => {
                let message = e.to_string();
                dialog_failed(state, message);
                // An ambiguous create may exist after all: show the group as it is now.
                if e.kind == ErrorKind::Ambiguous {
                    reload_assets_if_open(state, &group_id)
                } else {
                    Vec::new()
                }
            }
        },
        Action::AssetRejected(problems) => {
            if let Some(d) = &mut state.dialog {
                d.busy = false;
                if let Some(f) = d.fields.first_mut() {
                    f.error = Some(problems.join("; "));
                }
            }
            Vec::new()
        }
        Action::GroupUpdated {
            id,
            name,
            description,
            result,
        } => {
            if let Err(e) = result {
                dialog_failed(state, e.to_string());
                return Vec::new();
            }
            state.dialog = None;
            if let Some(g) = state.groups.items.iter_mut().find(|g| g.id == id) {
                g.name = name.clone();
                g.description = description;
            }
            state.groups.refilter(|_| true);
            toast(state, Level::Success, format!("group renamed to {name:?}"));
            Vec::new()
        }
        Action::AssetRenamed { id, name, result } => {
            if let Err(e) = result {
                dialog_failed(state, e.to_string());
                return Vec::new();
            }
            state.dialog = None;
            if let Some(a) = state.assets.items.iter_mut().find(|a| a.id == id) {
                a.name = name.clone();
            }
            refilter_assets(state);
            toast(state, Level::Success, format!("asset renamed to {name:?}"));
            Vec::new()
        }
        Action::Deleted { target, result } => {
            match result {
                Ok(()) => {
                    let id = match &target {
                        Target::Group(id) => {
                            state.groups.items.retain(|g| &g.id != id);
                            state.groups.refilter(|_| true);
                            if state.open_group.as_ref() == Some(id) {
                                close_group(state);
                            }
                            id
                        }
                        Target::Asset(id) => {
                            state.assets.items.retain(|a| &a.id != id);
                            state.assets.total = state.assets.total.saturating_sub(1);
                            refilter_assets(state);
                            id
                        }
                    };
                    toast(state, Level::Success, format!("deleted {id}"));
                }
                Err(e) => toast(state, Level::Error, e.to_string()),
            }
            Vec::new()
        }
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

fn dialog_failed(state: &mut AppState, message: String) {
    match &mut state.dialog {
        Some(d) => {
            d.busy = false;
            d.error = Some(message);
        }
        None => toast(state, Level::Error, message),
    }
}

fn select_pending<T: Row>(pane: &mut ListPane<T>, pending: &mut Option<String>) {
    if let Some(id) = pending.as_deref()
        && pane.items.iter().any(|t| t.id() == id)
    {
        pane.select_id(Some(id));
        pane.wanted = Some(id.to_owned());
        *pending = None;
    }
}

fn refilter_assets(state: &mut AppState) {
    let status = state.status_filter;
    state.assets.refilter(|a| status.admits(a.status));
    state.assets.scroll(crate::ui::list_rows(state.viewport));
}

fn apply_batch(state: &mut AppState, first_page: u32, batch: Listing<Asset>) {
    if let Some(why) = &batch.stopped {
        toast(state, Level::Error, why.clone());
    }
    let pane = &mut state.assets;
    let mut next_page = batch.next_page;
    if first_page <= 1 {
        pane.items = batch.items;
    } else {
        let known: std::collections::HashSet<&str> =
            pane.items.iter().map(|a| a.id.as_str()).collect();
        let fresh: Vec<Asset> = batch
            .items
            .into_iter()
            .filter(|a| !known.contains(a.id.as_str()))
            .collect();
        // A later page that brings nothing new means the service's paging cannot be trusted:
        // stop loading rather than asking for the same page forever.
        if fresh.is_empty() {
            next_page = None;
        }
        pane.items.extend(fresh);
    }
    pane.total = batch.total;
    pane.next_page = next_page;
    pane.error = None;
    refilter_assets(state);
    select_pending(&mut state.assets, &mut state.select_after_load);
    state.assets.scroll(crate::ui::list_rows(state.viewport));
}

fn apply_poll(state: &mut AppState, assets: Vec<Asset>) -> bool {
    let mut changed = false;
    for asset in assets {
        let Some(old) = state.assets.items.iter_mut().find(|a| a.id == asset.id) else {
            continue;
        };
        let was = old.status;
        *old = asset.clone();
        if was == asset.status {
            continue;
        }
        changed = true;
        state
            .flashes
            .insert(asset.id.clone(), state.tick + FLASH_TICKS);
        let name = display_name(&asset);
        match asset.status {
            Status::Active => toast(
                state,
                Level::Success,
                format!("✓ {name} is Active — y copies {}", asset.reference()),
            ),
            Status::Failed => {
                let why = asset
                    .error
                    .as_ref()
                    .map(|e| format!("{}: {}", e.code, e.message))
                    .unwrap_or_else(|| "no reason given".to_owned());
                toast(state, Level::Error, format!("✗ {name} failed: {why}"));
            }
            _ => {}
        }
    }
    if changed {
        refilter_assets(state);
    }
    changed
}

fn schedule_poll_soon(state: &mut AppState) {
    if !state.poll.in_flight {
        state.poll.next_at = state.poll.next_at.min(state.tick + state.poll.interval);
    }
}

fn on_tick(state: &mut AppState) -> Vec<Effect> {
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
                .items
                .iter()
                .filter(|a| a.status == Status::Processing)
                .cloned()
                .collect();
            vec![Effect::Poll {
                group_id: group_id.clone(),
                processing,
            }]
        }
        _ => Vec::new(),
    }
}

fn loaded_pages(pane: &ListPane<Asset>) -> u32 {
    (pane.items.len() as u32).div_ceil(MAX_PAGE_SIZE).max(1)
}

fn reload_assets_if_open(state: &mut AppState, group_id: &str) -> Vec<Effect> {
    if state.open_group.as_deref() != Some(group_id) {
        return Vec::new();
    }
    state.assets.loading = true;
    vec![Effect::LoadAssets {
        group_id: group_id.to_owned(),
        first_page: 1,
        last_page: loaded_pages(&state.assets),
    }]
}

fn close_group(state: &mut AppState) {
    state.open_group = None;
    state.assets = ListPane::default();
    state.focus = Focus::Groups;
}

fn open_selected_group(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.groups.current_id() else {
        return Vec::new();
    };
    state.focus = Focus::Assets;
    if state.open_group.as_deref() == Some(&id) {
        return Vec::new();
    }
    state.open_group = Some(id.clone());
    state.assets = ListPane {
        loading: true,
        ..ListPane::default()
    };
    state.poll = PollSchedule::default();
    state.flashes.clear();
    vec![Effect::LoadAssets {
        group_id: id,
        first_page: 1,
        last_page: 1,
    }]
}

fn on_paste(state: &mut AppState, text: &str) {
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    if let Some(d) = &mut state.dialog {
        if let Some(f) = d.fields.get_mut(d.focus)
            && !d.busy
        {
            let value = format!("{}{}", f.input.value(), text);
            f.input = tui_input::Input::new(value);
            f.error = None;
        }
    } else if state.editing_filter {
        focused_filter(state).push_str(&text);
        refilter_focused(state);
    }
}

fn focused_filter(state: &mut AppState) -> &mut String {
    match state.focus {
        Focus::Groups => &mut state.groups.filter,
        Focus::Assets => &mut state.assets.filter,
    }
}

fn refilter_focused(state: &mut AppState) {
    match state.focus {
        Focus::Groups => {
            state.groups.refilter(|_| true);
            state.groups.scroll(crate::ui::list_rows(state.viewport));
        }
        Focus::Assets => refilter_assets(state),
    }
}

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        return Vec::new();
    }
    if state.help {
        if matches!(
            key.code,
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q')
        ) {
            state.help = false;
        }
        return Vec::new();
    }
    if state.dialog.is_some() {
        return dialog_key(state, key);
    }
    if state.editing_filter {
        match key.code {
            KeyCode::Esc => {
                focused_filter(state).clear();
                state.editing_filter = false;
            }
            KeyCode::Enter => state.editing_filter = false,
            KeyCode::Backspace => {
                focused_filter(state).pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                focused_filter(state).push(c);
            }
            _ => return Vec::new(),
        }
        refilter_focused(state);
        return Vec::new();
    }
    let scope = match state.focus {
        Focus::Groups => Scope::Groups,
        Focus::Assets => Scope::Assets,
    };
    if key.code == KeyCode::Esc {
        // Esc clears a filter in effect.
        if !focused_filter(state).is_empty() {
            focused_filter(state).clear();
            refilter_focused(state);
        }
        return Vec::new();
    }
    match keymap::lookup(scope, &key) {
        Some(command) => run_command(state, command),
        None => Vec::new(),
    }
}

fn run_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let rows = crate::ui::list_rows(state.viewport);
    let page = rows.max(1) as isize;
    match command {
        Command::Up => move_focused(state, -1, rows),
        Command::Down => move_focused(state, 1, rows),
        Command::PageUp => move_focused(state, -page, rows),
        Command::PageDown => move_focused(state, page, rows),
        Command::Top => move_focused(state, isize::MIN / 2, rows),
        Command::Bottom => move_focused(state, isize::MAX / 2, rows),
        Command::NextPane => match state.focus {
            Focus::Groups => open_selected_group(state),
            Focus::Assets => {
                state.focus = Focus::Groups;
                Vec::new()
            }
        },
        Command::FocusGroups => {
            state.focus = Focus::Groups;
            Vec::new()
        }
        Command::FocusAssets | Command::Open => open_selected_group(state),
        Command::Create => {
            open_create_dialog(state);
            Vec::new()
        }
        Command::Rename => {
            open_rename_dialog(state);
            Vec::new()
        }
        Command::Delete => {
            let target = match state.focus {
                Focus::Groups => state
                    .groups
                    .current()
                    .map(|g| (Target::Group(g.id.clone()), g.name.clone())),
                Focus::Assets => state
                    .assets
                    .current()
                    .map(|a| (Target::Asset(a.id.clone()), display_name(a))),
            };
            if let Some((target, name)) = target {
                state.dialog = Some(Dialog::new(
                    DialogKind::ConfirmDelete { target, name },
                    Vec::new(),
                ));
            }
            Vec::new()
        }
        Command::Filter => {
            state.editing_filter = true;
            Vec::new()
        }
        Command::CycleStatus => {
            state.status_filter = state.status_filter.next();
            refilter_assets(state);
            Vec::new()
        }
        Command::CopyRef | Command::CopySnippet => copy(state, command),
        Command::ShowUrl => {
            if let Some(a) = state.assets.current() {
                let url = if a.url.is_empty() {
                    format!(
                        "{} has no URL yet: the service signs one when it is Active",
                        a.id
                    )
                } else {
                    a.url.clone()
                };
                state.dialog = Some(Dialog::new(DialogKind::ShowUrl { url }, Vec::new()));
            }
            Vec::new()
        }
        Command::SwitchProject => {
            if !state.header.dialect.can_list() {
                toast(
                    state,
                    Level::Info,
                    "the global endpoint has no projects".to_owned(),
                );
            } else {
                let current = state.header.project.clone();
                state.dialog = Some(Dialog::new(
                    DialogKind::SwitchProject,
                    vec![Field::new("Project", &current)],
                ));
            }
            Vec::new()
        }
        Command::Refresh => {
            let mut effects = vec![Effect::LoadGroups];
            state.groups.loading = true;
            if let Some(g) = state.open_group.clone() {
                effects.extend(reload_assets_if_open(state, &g));
            }
            effects
        }
        Command::Help => {
            state.help = true;
            Vec::new()
        }
        Command::Quit => {
            state.quit = true;
            Vec::new()
        }
    }
}

fn display_name(a: &Asset) -> String {
    if a.name.is_empty() {
        a.id.clone()
    } else {
        a.name.clone()
    }
}

fn move_focused(state: &mut AppState, delta: isize, rows: usize) -> Vec<Effect> {
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
            match (near_end, pane.next_page, &state.open_group) {
                (true, Some(page), Some(group)) if !pane.loading => {
                    let group_id = group.clone();
                    state.assets.loading = true;
                    vec![Effect::LoadAssets {
                        group_id,
                        first_page: page,
                        last_page: page,
                    }]
                }
                _ => Vec::new(),
            }
        }
    }
}

fn copy(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(a) = state.assets.current() else {
        return Vec::new();
    };
    let reference = asset_reference(&a.id);
    let text = if command == Command::CopySnippet {
        serde_json::json!({"type": "image_url", "image_url": {"url": reference}, "role": "reference_image"})
            .to_string()
    } else {
        reference.clone()
    };
    let note = match a.status {
        Status::Active => String::new(),
        other => format!(" (it is {other}: usable once Active)"),
    };
    let what = if command == Command::CopySnippet {
        "image_url item for "
    } else {
        ""
    };
    let level = if note.is_empty() {
        Level::Success
    } else {
        Level::Info
    };
    toast(state, level, format!("copied {what}{reference}{note}"));
    vec![Effect::Copy(text)]
}

fn open_create_dialog(state: &mut AppState) {
    if state.focus == Focus::Groups && !state.header.dialect.can_list() {
        let text = "the global endpoint has no groups: open a label and press n there, \
                    or use `ark-assets assets create --group LABEL`";
        toast(state, Level::Info, text.to_owned());
        return;
    }
    state.dialog = match state.focus {
        Focus::Groups => Some(Dialog::new(
            DialogKind::CreateGroup,
            vec![Field::new("Name", ""), Field::new("Description", "")],
        )),
        Focus::Assets => state.open_group.clone().map(|group_id| {
            Dialog::new(
                DialogKind::CreateAsset { group_id },
                vec![Field::new("Image URL", ""), Field::new("Name", "")],
            )
        }),
    };
}

fn open_rename_dialog(state: &mut AppState) {
    state.dialog = match state.focus {
        Focus::Groups => state.groups.current().map(|g| {
            Dialog::new(
                DialogKind::RenameGroup { id: g.id.clone() },
                vec![
                    Field::new("Name", &visible(&g.name)),
                    Field::new("Description", &visible(&g.description)),
                ],
            )
        }),
        Focus::Assets => state.assets.current().map(|a| {
            Dialog::new(
                DialogKind::RenameAsset { id: a.id.clone() },
                vec![Field::new("Name", &visible(&a.name))],
            )
        }),
    };
}

fn dialog_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(dialog) = &mut state.dialog else {
        return Vec::new();
    };
    if key.code == KeyCode::Esc {
        state.dialog = None;
        return Vec::new();
    }
    if dialog.busy {
        return Vec::new();
    }
    match &dialog.kind {
        DialogKind::ConfirmDelete { target, .. } => {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Enter => {
                    let target = target.clone();
                    state.dialog = None;
                    vec![Effect::Delete(target)]
                }
                KeyCode::Char('n') => {
                    state.dialog = None;
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        DialogKind::ShowUrl { url } => {
            return match key.code {
                KeyCode::Char('y') if url.starts_with("http") => {
                    let url = url.clone();
                    state.dialog = None;
                    toast(state, Level::Success, "copied the URL".to_owned());
                    vec![Effect::Copy(url)]
                }
                KeyCode::Enter | KeyCode::Char('q') => {
                    state.dialog = None;
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        _ => {}
    }
    let count = dialog.fields.len();
    match key.code {
        KeyCode::Tab | KeyCode::Down => dialog.focus = (dialog.focus + 1) % count,
        KeyCode::BackTab | KeyCode::Up => dialog.focus = (dialog.focus + count - 1) % count,
        KeyCode::Enter => return submit(state),
        _ => {
            if let Some(req) = to_input_request(&Event::Key(key))
                && let Some(field) = dialog.fields.get_mut(dialog.focus)
            {
                field.input.handle(req);
                if field.error.is_some() {
                    field.error =
                        check_field(&dialog.kind, dialog.focus, field.input.value()).err();
                }
            }
        }
    }
    Vec::new()
}

/// The rule a dialog field's value must follow.
fn check_field(kind: &DialogKind, index: usize, value: &str) -> Result<(), String> {
    let value = value.trim();
    let result = match (kind, index) {
        (DialogKind::CreateAsset { .. }, 0) => validate::url(value).map(drop),
        (DialogKind::CreateAsset { .. }, _) => validate::name(value, false),
        (DialogKind::CreateGroup | DialogKind::RenameGroup { .. }, 0) => {
            validate::name(value, true)
        }
        (DialogKind::CreateGroup | DialogKind::RenameGroup { .. }, _) => {
            validate::description(value)
        }
        (DialogKind::RenameAsset { .. }, _) => validate::name(value, true),
        (DialogKind::SwitchProject, _) => {
            validate::name(value, true).map_err(|e| validate::Invalid {
                field: "Project",
                ..e
            })
        }
        (DialogKind::ConfirmDelete { .. } | DialogKind::ShowUrl { .. }, _) => Ok(()),
    };
    result.map_err(|e| e.to_string())
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    let Some(dialog) = &mut state.dialog else {
        return Vec::new();
    };
    let kind = dialog.kind.clone();
    let mut ok = true;
    for (i, field) in dialog.fields.iter_mut().enumerate() {
        field.error = check_field(&kind, i, field.input.value()).err();
        ok &= field.error.is_none();
    }
    if !ok {
        dialog.focus = dialog
            .fields
            .iter()
            .position(|f| f.error.is_some())
            .unwrap_or(0);
        return Vec::new();
    }
    let (v0, v1) = (dialog.value(0), dialog.value(1));
    dialog.busy = true;
    dialog.error = None;
    match kind {
        DialogKind::CreateGroup => vec![Effect::CreateGroup {
            name: v0,
            description: v1,
        }],
        DialogKind::CreateAsset { group_id } => {
            // A private image URL is worth a warning, unless the API itself is local (emulator).
            let local_api = validate::url(&state.header.endpoint)
                .ok()
                .and_then(|u| validate::url_warning(&u))
                .is_some();
            dialog.note = validate::url(&v0)
                .ok()
                .and_then(|u| validate::url_warning(&u))
                .filter(|_| !local_api);
            vec![Effect::CreateAsset {
                group_id,
                url: v0,
                name: v1,
            }]
        }
        DialogKind::RenameGroup { id } => vec![Effect::UpdateGroup {
            id,
            name: v0,
            description: v1,
        }],
        DialogKind::RenameAsset { id } => vec![Effect::RenameAsset { id, name: v0 }],
        DialogKind::SwitchProject => {
            state.dialog = None;
            state.header.project = v0.clone();
            close_group(state);
            state.groups = ListPane {
                loading: true,
                ..ListPane::default()
            };
            toast(state, Level::Info, format!("switched to project {v0:?}"));
            vec![Effect::SwitchProject(v0), Effect::LoadGroups]
        }
        DialogKind::ConfirmDelete { .. } | DialogKind::ShowUrl { .. } => Vec::new(),
    }
}
