//! Keeping the open group in step with a folder (its plan shown, then applied) and renaming
//! many assets in the user's editor.

use super::super::dialog::Form;
use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::messages::Level;
use super::super::mode::{Mode, SyncView};
use super::super::msg::EditRefused;
use super::super::state::AppState;
use super::panes::reload_assets_if_open;
use super::{dialog_failed, note, replace_asset, rows_changed, toast};
use crate::api::ApiError;
use crate::catalog::rename::{NameChange, Named};
use crate::catalog::sync::{Plan, SyncError, SyncOptions, SyncReport};
use crate::text::count;

/// The plan came: it is shown (the dialog closes), or the dialog says why there is none.
pub(super) fn planned(
    state: &mut AppState,
    folder: std::path::PathBuf,
    result: Result<Plan, SyncError>,
) -> Vec<Effect> {
    let waiting = matches!(&state.mode, Mode::Form(d) if matches!(d.form, Form::SyncFolder(_)));
    match result {
        // The dialog was closed meanwhile: the plan is not wanted any more.
        _ if !waiting => {}
        Ok(plan) => {
            state.mode = Mode::Sync(Box::new(SyncView {
                folder,
                plan,
                delete: false,
                offset: 0,
                confirming: false,
            }));
        }
        Err(e) => dialog_failed(state, e.to_string()),
    }
    Vec::new()
}

/// A key on the plan: apply it, delete the extra assets too or not, scroll, or cancel. A plan
/// that deletes asks once more (`y` deletes; anything else goes back to the plan), and one that
/// would empty the group is refused.
pub(super) fn key(
    state: &mut AppState,
    mut view: SyncView,
    command: Option<Command>,
) -> Vec<Effect> {
    if view.confirming {
        view.confirming = false;
        if command == Some(Command::Submit) {
            return apply(state, view);
        }
        state.mode = Mode::Sync(Box::new(view));
        return Vec::new();
    }
    match command {
        Some(Command::Submit) => {
            let plan = view.plan.clone().deleting(view.delete);
            let opts = SyncOptions {
                delete: true,
                ..SyncOptions::default()
            };
            if let Some(why) = plan.delete_refusal(&opts) {
                note(state, Level::Error, format!("not applied: {why}"));
            } else if plan.doomed().is_empty() {
                return apply(state, view);
            } else {
                view.confirming = true;
            }
        }
        Some(Command::Cancel) => return Vec::new(),
        Some(Command::Delete) => view.delete = !view.delete,
        Some(Command::Down) => view.offset = (view.offset + 1).min(view.plan.steps.len()),
        Some(Command::Up) => view.offset = view.offset.saturating_sub(1),
        _ => {}
    }
    state.mode = Mode::Sync(Box::new(view));
    Vec::new()
}

/// Applies the plan of `view` (with its deletions when they are on).
fn apply(state: &mut AppState, mut view: SyncView) -> Vec<Effect> {
    let plan = std::mem::take(&mut view.plan).deleting(view.delete);
    let text = "syncing the group with the folder…".to_owned();
    note(state, Level::Info, text);
    vec![Effect::ApplySync(Box::new(plan))]
}

/// The sync of `group_id` ended: its summary, and the group reloaded.
pub(super) fn synced(
    state: &mut AppState,
    group_id: &str,
    result: Result<SyncReport, SyncError>,
) -> Vec<Effect> {
    state.estimate = None;
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            toast(state, Level::Error, format!("the sync did not run: {e}"));
            return Vec::new();
        }
    };
    let text = format!(
        "synced: {} created, {} renamed, {} deleted, {} unchanged",
        report.created.len(),
        report.renamed.len(),
        report.deleted.len(),
        report.unchanged
    );
    let not: Vec<_> = report.refused.iter().chain(&report.failed).collect();
    super::changed::summary(state, text, &not);
    state.poll.hurry();
    reload_assets_if_open(state, group_id)
}

/// `e`: the names of the marked assets (in the order shown), else of those shown, to edit.
pub(super) fn edit_names(state: &mut AppState) -> Vec<Effect> {
    let pane = &state.assets;
    let rows: Vec<&crate::app::asset_row::AssetRow> = if state.marks.is_empty() {
        pane.visible.iter().map(|&i| &pane.items()[i]).collect()
    } else {
        state.marked_in_order()
    };
    let named: Vec<Named> = rows
        .into_iter()
        .map(|a| Named {
            id: a.id.to_string(),
            name: a.name.to_string(),
        })
        .collect();
    if named.is_empty() {
        return Vec::new();
    }
    vec![Effect::EditNames(named)]
}

/// The editor gave the names back: the changes are sent, or the status line says why not.
pub(super) fn names_edited(
    state: &mut AppState,
    result: Result<Vec<NameChange>, EditRefused>,
) -> Vec<Effect> {
    match result {
        Ok(changes) if changes.is_empty() => {
            toast(state, Level::Info, "no name was changed".to_owned());
            Vec::new()
        }
        Ok(changes) => {
            let text = format!("renaming {}…", count(changes.len(), "asset"));
            note(state, Level::Info, text);
            vec![Effect::RenameMany(changes)]
        }
        Err(e) => {
            toast(state, Level::Error, e.to_string());
            Vec::new()
        }
    }
}

/// Assets were renamed: their rows show the new names; the status line counts them.
pub(super) fn renamed(
    state: &mut AppState,
    renamed: Vec<(NameChange, Result<(), ApiError>)>,
) -> Vec<Effect> {
    let mut failed = Vec::new();
    let mut done = 0;
    for (change, result) in renamed {
        if let Err(e) = result {
            failed.push(format!("{}: {e}", change.id));
            continue;
        }
        done += 1;
        if let Some(at) = state.assets.position(&change.id) {
            let mut row = state.assets.items()[at].clone();
            row.name = change.to.as_str().into();
            replace_asset(state, at, row);
        }
    }
    rows_changed(state);
    match failed.first() {
        None => toast(
            state,
            Level::Success,
            format!("{} renamed", count(done, "asset")),
        ),
        Some(first) => {
            let text = format!(
                "{} renamed, {} not: {first}",
                count(done, "asset"),
                failed.len()
            );
            toast(state, Level::Error, text)
        }
    }
    Vec::new()
}
