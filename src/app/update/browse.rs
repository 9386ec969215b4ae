//! The commands of the panes: moving, opening, filtering, copying, and opening dialogs.

use super::super::dialog::{
    CreateAssetForm, CreateGroupForm, ImportFolderForm, RenameAssetForm, RenameGroupForm,
    SwitchProjectForm,
};
use super::super::effects::Effect;
use super::super::keymap::{Command, Scope};
use super::super::state::*;
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
    let rows = state.list_rows;
    let page = rows.max(1) as isize;
    match command {
        Command::Up => move_focused(state, -1),
        Command::Down => move_focused(state, 1),
        Command::PageUp => move_focused(state, -page),
        Command::PageDown => move_focused(state, page),
        Command::Top => move_focused(state, isize::MIN / 2),
        Command::Bottom => match (state.focus, state.assets.next.clone(), &state.open_group) {
            // More pages exist: load them all, then select the true last row.
            (Focus::Assets, Some(next), Some(group)) => {
                let group_id = group.clone();
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
            _ => move_focused(state, isize::MAX / 2),
        },
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
        Command::Sort | Command::FlipSort => {
            let before = state.sort;
            state.sort = if command == Command::Sort {
                before.next_key()
            } else {
                AssetSort {
                    ascending: !before.ascending,
                    ..before
                }
            };
            // Rows not loaded yet may belong first in the service's new order: load again
            // (an answer still on its way in the old order is dropped when it comes).
            let new_order = state.sort.service_order() != before.service_order();
            let reload = new_order && (state.assets.next.is_some() || state.assets.loading);
            match (&state.open_group, reload) {
                (Some(group), true) => {
                    let group_id = group.clone();
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
        Command::Palette => {
            super::palette::open(state);
            Vec::new()
        }
        Command::ImportFolder => {
            if let Some(group_id) = state.open_group.clone() {
                let form = Form::ImportFolder(ImportFolderForm::new(group_id));
                state.mode = Mode::Form(Box::new(Dialog::new(form)));
            }
            Vec::new()
        }
        Command::Rename => {
            open_rename_dialog(state);
            Vec::new()
        }
        Command::Delete if state.focus == Focus::Assets && !state.marks.is_empty() => {
            let targets: Vec<Target> = state.marks.iter().cloned().map(Target::Asset).collect();
            let name = format!("{} marked assets", targets.len());
            state.mode = Mode::Confirm(ConfirmDelete::new(targets, name));
            Vec::new()
        }
        Command::Delete if state.focus == Focus::Groups => ask_to_delete_group(state),
        Command::Delete => {
            if let Some(a) = state.assets.current() {
                let targets = vec![Target::Asset(a.id.to_string())];
                state.mode = Mode::Confirm(ConfirmDelete::new(targets, display_name(a)));
            }
            Vec::new()
        }
        Command::Filter => {
            state.mode = Mode::Filter;
            Vec::new()
        }
        Command::ClearFilter if state.focus == Focus::Assets && !state.marks.is_empty() => {
            state.marks.clear();
            Vec::new()
        }
        Command::ClearFilter => {
            if !focused_filter(state).is_empty() {
                focused_filter(state).clear();
                refilter_focused(state);
            }
            Vec::new()
        }
        Command::CycleStatus => {
            state.status_filter = state.status_filter.next();
            refilter_assets(state);
            Vec::new()
        }
        Command::CopyRef | Command::CopySnippet if !state.marks.is_empty() => {
            copy_marked(state, command)
        }
        Command::CopyRef | Command::CopySnippet => copy(state, command),
        Command::ToggleMark => {
            if let Some(id) = state.assets.current_id()
                && !state.marks.remove(&id)
            {
                state.marks.insert(id);
            }
            // Marking moves on, so Space Space Space marks three rows.
            move_focused(state, 1)
        }
        Command::MarkAll => {
            let pane = &state.assets;
            let shown = pane.visible.iter().map(|&i| pane.items()[i].id.to_string());
            state.marks.extend(shown.collect::<Vec<_>>());
            Vec::new()
        }
        Command::ShowUrl => super::selected::show_url(state),
        Command::Retry => retry(state),
        Command::SwitchProject => {
            if state.header.dialect.can_list() {
                let form = SwitchProjectForm::new(&state.header.project);
                state.mode = Mode::Form(Box::new(Dialog::new(Form::SwitchProject(form))));
            } else {
                let text = "the global endpoint has no projects".to_owned();
                toast(state, Level::Info, text);
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
        Command::Verify => super::verify::open(state),
        Command::Help => {
            state.help_offset = 0;
            state.mode = Mode::Help;
            Vec::new()
        }
        Command::Quit => {
            state.quit = true;
            Vec::new()
        }
        // Commands of the other modes mean nothing here.
        Command::Keep
        | Command::Cancel
        | Command::Submit
        | Command::NextField
        | Command::PrevField
        | Command::CopyShown => Vec::new(),
    }
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
    let marked: Vec<&AssetRow> = state
        .assets
        .items()
        .iter()
        .filter(|a| state.marks.contains(&*a.id))
        .collect();
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

fn open_create_dialog(state: &mut AppState) {
    if state.focus == Focus::Groups && !state.header.dialect.can_list() {
        let create = state.keys.key(Scope::Assets, Command::Create);
        let text = format!(
            "the global endpoint has no groups: open a label and press {create} there, or use \
             `ark-assets assets create --group LABEL`"
        );
        toast(state, Level::Info, text);
        return;
    }
    let form = match state.focus {
        Focus::Groups => Some(Form::CreateGroup(CreateGroupForm::default())),
        Focus::Assets => state.open_group.clone().map(|group_id| {
            let offered = state.sample_source.as_deref().unwrap_or_default();
            Form::CreateAsset(CreateAssetForm::new(group_id, offered))
        }),
    };
    if let Some(form) = form {
        state.mode = Mode::Form(Box::new(Dialog::new(form)));
    }
}

fn open_rename_dialog(state: &mut AppState) {
    let form = match state.focus {
        Focus::Groups => state
            .groups
            .current()
            .map(|g| Form::RenameGroup(RenameGroupForm::new(g))),
        Focus::Assets => state
            .assets
            .current()
            .map(|a| Form::RenameAsset(RenameAssetForm::new(a))),
    };
    if let Some(form) = form {
        state.mode = Mode::Form(Box::new(Dialog::new(form)));
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
        let marks = &state.marks;
        state
            .assets
            .items()
            .iter()
            .filter(failed)
            .filter(|a| marks.contains(&*a.id))
            .map(|a| a.id.to_string())
            .collect()
    };
    if ids.is_empty() {
        let text = "nothing to retry: t creates Failed assets again (the marked ones, or the \
                    selected one)";
        toast(state, Level::Info, text.to_owned());
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
