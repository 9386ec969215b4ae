//! The commands of the panes: moving, opening, filtering, copying, and opening dialogs.

use super::super::dialog::{ConfirmDelete, Dialog, Form, Holds};
use super::super::dialog::{
    CreateAssetForm, CreateGroupForm, ImportFolderForm, RenameAssetForm, RenameGroupForm,
    SwitchProjectForm, SyncFolderForm,
};
use super::super::effect::Effect;
use super::super::effect::Target;
use super::super::keymap::{Command, Scope};
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::sort::AssetSort;
use super::super::state::{AppState, Focus, StatusFilter};
use super::super::urls::Wanted;
use super::loaded::{open_selected_group, reload_assets_if_open};
use super::{display_name, focused_filter, load_assets, refilter_assets, refilter_focused, toast};
use crate::api::model::{Status, asset_reference};
use crate::app::asset_row::AssetRow;
use crate::catalog::Cursor;

/// Runs `command` while browsing.
pub(super) fn run(state: &mut AppState, command: Command) -> Vec<Effect> {
    if state.read_only && command.mutates() {
        let text = "read-only session: this would change the account (--read-only or \
                    read_only = true in the profile)";
        toast(state, Level::Info, text.to_owned());
        return Vec::new();
    }
    let page = state.list_rows.max(1) as isize;
    let marked = !state.marks.is_empty();
    let none = Vec::new;
    // A count typed before (`5j`) is for this command only.
    let count = state.count.take();
    let times = count.unwrap_or(1) as isize;
    match command {
        Command::Up => move_focused(state, -times),
        Command::Down => move_focused(state, times),
        Command::PageUp => move_focused(state, -page * times),
        Command::PageDown => move_focused(state, page * times),
        Command::Top | Command::Bottom if count.is_some() => {
            super::pick::to_row(state, count.unwrap_or(1))
        }
        Command::Top => move_focused(state, isize::MIN / 2),
        Command::Bottom => to_bottom(state),
        Command::NextPane if state.focus == Focus::Assets => focus(state, Focus::Groups),
        Command::FocusGroups => focus(state, Focus::Groups),
        Command::Open if state.focus == Focus::Assets => match state.assets.current() {
            Some(_) => set_mode(state, Mode::Detail),
            None => none(),
        },
        Command::NextPane | Command::FocusAssets | Command::Open => open_selected_group(state),
        Command::Create => open_dialog(state, create_dialog),
        Command::ImportFolder => open_dialog(state, import_dialog),
        Command::Rename => open_dialog(state, rename_dialog),
        Command::SwitchProject => open_dialog(state, project_dialog),
        Command::Sort | Command::FlipSort => sort(state, command),
        Command::Palette => {
            super::palette::open(state);
            none()
        }
        Command::Delete if state.focus == Focus::Groups => ask_to_delete_group(state),
        Command::Delete => ask_to_delete_assets(state),
        Command::Filter => set_mode(state, Mode::Filter),
        Command::ClearFilter if super::selected::stop_waiting(state) => none(),
        Command::ClearFilter if state.visual.is_some() => super::pick::visual(state),
        Command::ClearFilter if state.focus == Focus::Assets && marked => clear_marks(state),
        Command::ClearFilter => clear_filter(state),
        Command::CycleStatus => cycle_status(state),
        Command::CopyRef if state.focus == Focus::Groups => super::pick::copy_group_id(state),
        Command::CopyRef | Command::CopySnippet if marked => copy_marked(state, command),
        Command::CopyRef | Command::CopySnippet => copy(state, command),
        Command::ToggleMark => toggle_mark(state),
        Command::MarkAll => mark_all(state),
        Command::ShowUrl => super::selected::use_url(state, Wanted::Show),
        Command::OpenFile => super::selected::use_url(state, Wanted::Open),
        Command::VisualSelect => super::pick::visual(state),
        Command::Back => super::pick::back(state),
        Command::CopyJson => super::pick::copy_json(state),
        Command::Retry => retry(state),
        Command::Sync => open_dialog(state, sync_dialog),
        Command::EditNames => super::sync::edit_names(state),
        Command::Suspend => vec![Effect::Suspend],
        Command::Messages => {
            let newest = state.messages.len().saturating_sub(1);
            set_mode(state, Mode::Messages(newest))
        }
        Command::Refresh => refresh(state),
        Command::Verify => super::verify::open(state),
        Command::Help => {
            state.help_offset = 0;
            set_mode(state, Mode::Help)
        }
        Command::Quit => {
            state.quit = true;
            none()
        }
        // Commands of the other modes mean nothing here.
        Command::Keep
        | Command::Cancel
        | Command::Submit
        | Command::NextField
        | Command::PrevField
        | Command::CopyShown
        | Command::ClearInput => none(),
    }
}

/// Puts the keyboard on pane `focus`.
fn focus(state: &mut AppState, focus: Focus) -> Vec<Effect> {
    state.focus = focus;
    Vec::new()
}

/// Enters `mode`.
fn set_mode(state: &mut AppState, mode: Mode) -> Vec<Effect> {
    state.mode = mode;
    Vec::new()
}

/// Opens the dialog `make` makes, when it makes one (else a toast said why not).
fn open_dialog(state: &mut AppState, make: fn(&mut AppState) -> Option<Form>) -> Vec<Effect> {
    if let Some(form) = make(state) {
        state.mode = Mode::Form(Box::new(Dialog::new(form)));
    }
    Vec::new()
}

/// The last row; in the assets pane with more pages, all of them are loaded first and then
/// the true last row is selected.
fn to_bottom(state: &mut AppState) -> Vec<Effect> {
    let (Focus::Assets, Some(next), Some(group_id)) = (
        state.focus,
        state.assets.next.clone(),
        state.open_group.clone(),
    ) else {
        return move_focused(state, isize::MAX / 2);
    };
    state.load_to_end = true;
    let effects = if state.assets.loading {
        Vec::new()
    } else {
        state.assets.loading = true;
        vec![load_assets(state, group_id, next, 1)]
    };
    move_focused(state, isize::MAX / 2);
    effects
}

/// The next sort column (`Sort`) or the other order (`FlipSort`). Rows not loaded yet may
/// belong first in the service's new order: they are loaded again (an answer still on its way
/// in the old order is dropped when it comes).
fn sort(state: &mut AppState, command: Command) -> Vec<Effect> {
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

/// Asks about deleting the marked assets, or the selected one.
fn ask_to_delete_assets(state: &mut AppState) -> Vec<Effect> {
    let question = if state.marks.is_empty() {
        let Some(a) = state.assets.current() else {
            return Vec::new();
        };
        let targets = vec![Target::Asset(a.id.to_string())];
        ConfirmDelete::new(targets, display_name(a))
    } else {
        let targets: Vec<Target> = state
            .marked_in_order()
            .iter()
            .map(|a| Target::Asset(a.id.to_string()))
            .collect();
        let name = format!("{} marked assets", targets.len());
        ConfirmDelete::new(targets, name)
    };
    set_mode(state, Mode::Confirm(question))
}

fn clear_marks(state: &mut AppState) -> Vec<Effect> {
    state.marks.clear();
    Vec::new()
}

/// Clears the focused pane's name filter, else the status filter.
fn clear_filter(state: &mut AppState) -> Vec<Effect> {
    if !focused_filter(state).is_empty() {
        focused_filter(state).clear();
        refilter_focused(state);
    } else if state.status_filter != StatusFilter::All {
        state.status_filter = StatusFilter::All;
        refilter_assets(state);
    }
    Vec::new()
}

fn cycle_status(state: &mut AppState) -> Vec<Effect> {
    state.status_filter = state.status_filter.next();
    refilter_assets(state);
    Vec::new()
}

/// Marks or unmarks the selected asset and moves on, so Space Space Space marks three rows.
fn toggle_mark(state: &mut AppState) -> Vec<Effect> {
    if let Some(id) = state.assets.current_id()
        && !state.marks.remove(&id)
    {
        state.marks.insert(id);
    }
    move_focused(state, 1)
}

/// Marks every asset shown (the filters respected).
fn mark_all(state: &mut AppState) -> Vec<Effect> {
    let pane = &state.assets;
    let shown: Vec<String> = pane
        .visible
        .iter()
        .map(|&i| pane.items()[i].id.to_string())
        .collect();
    state.marks.extend(shown);
    Vec::new()
}

/// Reloads the groups, and the open group's loaded pages.
fn refresh(state: &mut AppState) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadGroups];
    state.groups.loading = true;
    if let Some(g) = state.open_group.clone() {
        effects.extend(reload_assets_if_open(state, &g));
    }
    effects
}

/// The folder import's dialog, for the open group.
fn import_dialog(state: &mut AppState) -> Option<Form> {
    let group_id = state.open_group.clone()?;
    Some(Form::ImportFolder(ImportFolderForm::new(group_id)))
}

/// The sync dialog, for the open group.
fn sync_dialog(state: &mut AppState) -> Option<Form> {
    let group_id = state.open_group.clone()?;
    Some(Form::SyncFolder(SyncFolderForm::new(group_id)))
}

/// The project dialog (the global endpoint has no projects: a toast says so).
fn project_dialog(state: &mut AppState) -> Option<Form> {
    if !state.header.dialect.can_list() {
        let text = "the global endpoint has no projects".to_owned();
        toast(state, Level::Info, text);
        return None;
    }
    let form = SwitchProjectForm::new(&state.header.project);
    Some(Form::SwitchProject(form))
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

fn copy(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(a) = state.assets.current() else {
        return Vec::new();
    };
    let reference = asset_reference(&a.id);
    let snippet = command == Command::CopySnippet;
    let item = a.content_item();
    let text = if snippet {
        item.to_string()
    } else {
        reference.clone()
    };
    let (level, note) = usable_note(a);
    let what = if snippet {
        format!("{} item for ", item["type"].as_str().unwrap_or("content"))
    } else {
        String::new()
    };
    toast(state, level, format!("copied {what}{reference}{note}"));
    vec![Effect::Copy(text)]
}

/// `y`/`Y` with marks: every marked reference, one per line, or a Seedance `content` array of
/// their type-right items.
fn copy_marked(state: &mut AppState, command: Command) -> Vec<Effect> {
    let marked = state.marked_in_order();
    let waiting = marked.iter().filter(|a| a.status != Status::Active).count();
    let text = if command == Command::CopySnippet {
        serde_json::Value::Array(marked.iter().map(|a| a.content_item()).collect()).to_string()
    } else {
        marked
            .iter()
            .map(|a| a.reference())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let what = if command == Command::CopySnippet {
        format!("a content array of {} items", marked.len())
    } else {
        format!("{} references", marked.len())
    };
    let (level, note) = match waiting {
        0 => (Level::Success, String::new()),
        n => (Level::Info, format!(" ({n} not Active yet)")),
    };
    toast(state, level, format!("copied {what}{note}"));
    vec![Effect::Copy(text)]
}

/// A reminder when the copied asset is not Active yet.
fn usable_note(a: &AssetRow) -> (Level, String) {
    match a.status {
        Status::Active => (Level::Success, String::new()),
        other => (Level::Info, format!(" (it is {other}: usable once Active)")),
    }
}

/// The new group's or new asset's dialog (the global endpoint lists no groups: a toast says
/// where assets are made there).
fn create_dialog(state: &mut AppState) -> Option<Form> {
    if state.focus == Focus::Groups && !state.header.dialect.can_list() {
        let create = state.keys.key(Scope::Assets, Command::Create);
        let text = format!(
            "the global endpoint has no groups: open a label and press {create} there, or use \
             `ark-assets assets create --group LABEL`"
        );
        toast(state, Level::Info, text);
        return None;
    }
    match state.focus {
        Focus::Groups => Some(Form::CreateGroup(CreateGroupForm::default())),
        Focus::Assets => state.open_group.clone().map(|group_id| {
            let offered = state.sample_source.as_deref().unwrap_or_default();
            Form::CreateAsset(CreateAssetForm::new(group_id, offered))
        }),
    }
}

/// The selected group's or asset's rename dialog.
fn rename_dialog(state: &mut AppState) -> Option<Form> {
    match state.focus {
        Focus::Groups => state
            .groups
            .current()
            .map(|g| Form::RenameGroup(RenameGroupForm::new(g))),
        Focus::Assets => state
            .assets
            .current()
            .map(|a| Form::RenameAsset(RenameAssetForm::new(a))),
    }
}

/// `t`: creates the marked Failed assets (without marks: the selected one, if Failed) again
/// from the ledger's record of their source.
fn retry(state: &mut AppState) -> Vec<Effect> {
    let Some(group_id) = state.open_group.clone() else {
        return Vec::new();
    };
    let failed = |a: &&AssetRow| a.status == Status::Failed;
    let ids: Vec<String> = if state.marks.is_empty() {
        state
            .assets
            .current()
            .filter(failed)
            .map(|a| a.id.to_string())
            .into_iter()
            .collect()
    } else {
        let marked = state.marked_in_order();
        marked
            .into_iter()
            .filter(failed)
            .map(|a| a.id.to_string())
            .collect()
    };
    if ids.is_empty() {
        let t = state.keys.key(Scope::Assets, Command::Retry);
        let text = format!(
            "nothing to retry: {t} creates Failed assets again (the marked ones, or the \
             selected one)"
        );
        toast(state, Level::Info, text);
        return Vec::new();
    }
    let what = match ids.len() {
        1 => "the failed asset".to_owned(),
        n => format!("{n} failed assets"),
    };
    toast(
        state,
        Level::Info,
        format!("creating {what} again from the ledger…"),
    );
    vec![Effect::Retry { group_id, ids }]
}

/// Asks about deleting the selected group, naming the assets that go with it: counted from the
/// assets pane when it holds the whole group, else by listing them first.
fn ask_to_delete_group(state: &mut AppState) -> Vec<Effect> {
    let Some(group) = state.groups.current() else {
        return Vec::new();
    };
    let (id, name) = (group.id.clone(), group.name.clone());
    let pane = &state.assets;
    let whole = state.open_group.as_deref() == Some(id.as_str())
        && !pane.loading
        && pane.error.is_none()
        && pane.next.is_none()
        && pane.stopped.is_none();
    let (holds, effects) = if whole {
        let count = pane.items().len();
        (
            Holds::Assets {
                count,
                complete: true,
            },
            Vec::new(),
        )
    } else {
        let count = Effect::CountAssets {
            group_id: id.clone(),
        };
        (Holds::Counting, vec![count])
    };
    state.mode = Mode::Confirm(ConfirmDelete::group(id, name, holds));
    effects
}
