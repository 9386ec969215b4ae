//! The commands of the panes, in one table ([`run`]): every key while browsing, the detail's
//! keys and the palette's choices come here; dialogs and delete questions open from here.

use super::super::dialog::{
    ConfirmDelete, CreateAssetForm, CreateGroupForm, Dialog, Form, Holds, ImportFolderForm,
    RenameAssetForm, RenameGroupForm, SyncFolderForm,
};
use super::super::effect::{Effect, Target};
use super::super::keymap::{Command, Scope};
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::state::{AppState, Focus};
use super::super::urls::Wanted;
use super::panes::reload_assets_if_open;
use super::{copies, display_name, panes, toast};
use crate::api::model::Status;
use crate::app::asset_row::AssetRow;
use crate::catalog::changes;

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
        Command::Up => panes::move_focused(state, -times),
        Command::Down => panes::move_focused(state, times),
        Command::PageUp => panes::move_focused(state, -page * times),
        Command::PageDown => panes::move_focused(state, page * times),
        Command::Top | Command::Bottom if count.is_some() => {
            panes::to_row(state, count.unwrap_or(1))
        }
        Command::Top => panes::move_focused(state, isize::MIN / 2),
        Command::Bottom => panes::to_bottom(state),
        Command::NextPane if state.focus == Focus::Assets => panes::focus(state, Focus::Groups),
        Command::FocusGroups => panes::focus(state, Focus::Groups),
        Command::Open if state.focus == Focus::Assets => match state.assets.current() {
            Some(_) => set_mode(state, Mode::Detail),
            None => none(),
        },
        Command::NextPane | Command::FocusAssets | Command::Open => {
            panes::open_selected_group(state)
        }
        Command::Create => open_dialog(state, create_dialog),
        Command::ImportFolder => open_dialog(state, import_dialog),
        Command::Rename => open_dialog(state, rename_dialog),
        Command::SwitchProject => super::switch::open_projects(state),
        Command::Sort | Command::FlipSort => panes::sort(state, command),
        Command::Palette => {
            super::palette::open(state);
            none()
        }
        Command::Delete if state.focus == Focus::Groups => ask_to_delete_group(state),
        Command::Delete => ask_to_delete_assets(state),
        Command::Filter => set_mode(state, Mode::Filter),
        Command::ClearFilter if super::selected::stop_waiting(state) => none(),
        Command::ClearFilter if state.visual.is_some() => panes::visual(state),
        Command::ClearFilter if state.focus == Focus::Assets && marked => panes::clear_marks(state),
        Command::ClearFilter => panes::clear_filter(state),
        Command::CycleStatus => panes::cycle_status(state),
        Command::CopyRef if state.focus == Focus::Groups => copies::copy_group_id(state),
        Command::CopyRef | Command::CopySnippet if marked => copies::copy_marked(state, command),
        Command::CopyRef | Command::CopySnippet => copies::copy(state, command),
        Command::ToggleMark => panes::toggle_mark(state),
        Command::MarkAll => panes::mark_all(state),
        Command::ShowUrl => super::selected::use_url(state, Wanted::Show),
        Command::OpenFile => super::selected::use_url(state, Wanted::Open),
        Command::VisualSelect => panes::visual(state),
        Command::Back => panes::back(state),
        Command::CopyJson => copies::copy_json(state),
        Command::Retry => retry(state),
        Command::Sync => open_dialog(state, sync_dialog),
        Command::CopyTo => super::transfer::open_copy(state),
        Command::Pull => open_dialog(state, super::transfer::pull_dialog),
        Command::EditNames => super::sync::edit_names(state),
        Command::Suspend => vec![Effect::Suspend],
        Command::Messages => {
            let newest = state.messages.len().saturating_sub(1);
            set_mode(state, Mode::Messages(newest))
        }
        Command::Refresh => refresh(state),
        Command::Generate => super::tasks::generate(state),
        Command::Tasks => super::tasks::open(state),
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
        | Command::NextLanguage
        | Command::ClearInput
        | Command::Download => none(),
    }
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

/// Asks about deleting the marked assets, or the selected one.
fn ask_to_delete_assets(state: &mut AppState) -> Vec<Effect> {
    let question = if state.marks.is_empty() {
        let Some(a) = state.assets.current() else {
            return Vec::new();
        };
        let targets = vec![Target::Asset(a.id.to_string())];
        let in_use = changes::recent_use(a.used(), state.now);
        ConfirmDelete::new(targets, display_name(a)).in_use(in_use)
    } else {
        let marked = state.marked_in_order();
        let targets: Vec<Target> = marked
            .iter()
            .map(|a| Target::Asset(a.id.to_string()))
            .collect();
        let recent = marked
            .iter()
            .filter(|a| changes::recent_use(a.used(), state.now).is_some())
            .count();
        let name = format!("{} marked assets", targets.len());
        ConfirmDelete::new(targets, name).in_use(changes::recent_uses(recent))
    };
    set_mode(state, Mode::Confirm(question))
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

/// Reloads the groups, and the open group's loaded pages.
fn refresh(state: &mut AppState) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadGroups];
    state.groups.loading = true;
    if let Some(g) = state.open_group.clone() {
        effects.extend(reload_assets_if_open(state, &g));
    }
    effects
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
