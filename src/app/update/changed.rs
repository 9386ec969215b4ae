//! The results of changing the account: groups created and changed, assets created, uploaded
//! and imported, retried, renamed and deleted, and a group's assets counted before a delete.

use super::super::dialog::{ConfirmDelete, Holds};
use super::super::effect::Effect;
use super::super::effect::Target;
use super::super::keymap::{Command, Scope};
use super::super::messages::{Level, Message};
use super::super::mode::Mode;
use super::super::msg::Work;
use super::super::state::AppState;
use super::panes::{reload_assets_if_open, show_new_group};
use super::{
    close_dialog, close_group, dialog_failed, display_name, note, refilter_assets, replace_asset,
    rows_changed, toast,
};
use std::collections::HashSet;

use crate::api::ApiError;
use crate::catalog::ListError;
use crate::catalog::add::{AddError, Added};
use crate::catalog::changes::{Deletion, GroupNotDeleted};
use crate::catalog::groups::GroupError;
use crate::catalog::import::{ImportError, Report};
use crate::catalog::retry::RetryError;

/// A group was created, or why not.
pub(super) fn group_created(
    state: &mut AppState,
    result: Result<String, GroupError>,
) -> Vec<Effect> {
    match result {
        Ok(id) => {
            let text = format!("created group {id}");
            show_new_group(state, id, text)
        }
        Err(e) => {
            dialog_failed(state, e.to_string());
            Vec::new()
        }
    }
}

/// An asset was created in `group_id` (or the group had its content), or why not.
pub(super) fn asset_created(
    state: &mut AppState,
    group_id: &str,
    result: Result<Added, AddError>,
) -> Vec<Effect> {
    let added = match result {
        Ok(added) => added,
        Err(AddError::Refused(problems)) => {
            if let Mode::Form(d) = &mut state.mode {
                d.refused(&problems);
            }
            return Vec::new();
        }
        Err(AddError::Create(e)) => {
            dialog_failed(state, e.to_string());
            // An ambiguous create may exist after all: show the group as it is now.
            return if e.is_ambiguous() {
                reload_assets_if_open(state, group_id)
            } else {
                Vec::new()
            };
        }
    };
    close_dialog(state);
    let id = &added.id;
    let text = match (added.existing, added.warnings.is_empty()) {
        (true, _) => format!("the group already has this content as {id}; nothing was created"),
        (false, true) => format!("created {id}: Processing — its status updates here"),
        (false, false) => format!("created {id}; warning: {}", added.warnings.join("; ")),
    };
    toast(state, Level::Info, text);
    state.select_after_load = Some(added.id);
    state.poll.hurry();
    reload_assets_if_open(state, group_id)
}

/// A new asset's file is being uploaded: `sent` of `total` bytes.
pub(super) fn uploading(state: &mut AppState, sent: u64, total: u64) -> Vec<Effect> {
    if let Mode::Form(d) = &mut state.mode {
        let percent = (sent * 100).checked_div(total).unwrap_or(100);
        d.note = Some(format!(
            "uploading {percent}% ({:.1} of {:.1} MB)",
            sent as f64 / 1e6,
            total as f64 / 1e6
        ));
    }
    Vec::new()
}

/// An import, a sync, a copy or a pull moved on.
pub(super) fn progress(
    state: &mut AppState,
    work: Work,
    (done, total, failed): (usize, usize, usize),
) -> Vec<Effect> {
    let failed = if failed > 0 {
        format!(", {failed} refused or failed")
    } else {
        String::new()
    };
    let estimate = state
        .estimate
        .as_ref()
        .map(|e| format!(" ({e})"))
        .unwrap_or_default();
    let text = format!(
        "{}: {done} of {total} files done{failed}…{estimate}",
        work.doing()
    );
    note(state, Level::Info, text);
    Vec::new()
}

/// An import's or a sync's creates take more than a minute at the rate in force: said now
/// (and kept in the messages), and with its progress until it ends.
pub(super) fn estimated(state: &mut AppState, text: String) -> Vec<Effect> {
    toast(state, Level::Info, text.clone());
    state.estimate = Some(text);
    Vec::new()
}

/// A folder import into `group_id` ended.
pub(super) fn imported(
    state: &mut AppState,
    group_id: &str,
    result: Result<Report, ImportError>,
) -> Vec<Effect> {
    state.estimate = None;
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            toast(
                state,
                Level::Error,
                format!("the folder was not imported: {e}"),
            );
            return Vec::new();
        }
    };
    let existing = report.already.len() + report.by_other_run.len();
    let summary = format!(
        "folder imported: {} created, {existing} already there",
        report.created.len()
    );
    let summary = match report.left_out.len() {
        0 => summary,
        n => format!(
            "{summary}, {n} left out ({} lists them and why)",
            state.keys.key(Scope::Global, Command::Messages)
        ),
    };
    for r in &report.left_out {
        state.messages.push(Message {
            at: state.now,
            level: Level::Info,
            text: format!("left out {r}"),
        });
    }
    let not: Vec<_> = report.invalid.iter().chain(&report.failed).collect();
    log_each(state, &not);
    match not.first() {
        None => toast(state, Level::Success, summary),
        Some(first) => {
            let file = std::path::Path::new(&first.origin).file_name().map_or_else(
                || first.origin.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            let text = format!("{summary}, {} not: {file}: {}", not.len(), first.error);
            toast(state, Level::Error, text)
        }
    }
    state.poll.hurry();
    reload_assets_if_open(state, group_id)
}

/// Group `id` has a new name and description, or why not.
pub(super) fn group_updated(
    state: &mut AppState,
    id: &str,
    (name, description): (String, String),
    result: Result<(), GroupError>,
) -> Vec<Effect> {
    if let Err(e) = result {
        dialog_failed(state, e.to_string());
        return Vec::new();
    }
    close_dialog(state);
    if let Some(at) = state.groups.position(id) {
        let mut group = state.groups.items()[at].clone();
        group.name = name.clone();
        group.description = description;
        state.groups.replace(at, group);
    }
    state.groups.refilter(|_| true);
    toast(state, Level::Success, format!("group renamed to {name:?}"));
    Vec::new()
}

/// Asset `id` has a new name, or why not.
pub(super) fn asset_renamed(
    state: &mut AppState,
    id: &str,
    name: String,
    result: Result<(), ApiError>,
) -> Vec<Effect> {
    if let Err(e) = result {
        dialog_failed(state, e.to_string());
        return Vec::new();
    }
    close_dialog(state);
    if let Some(at) = state.assets.position(id) {
        let mut asset = state.assets.items()[at].clone();
        asset.name = name.as_str().into();
        replace_asset(state, at, asset);
    }
    rows_changed(state);
    toast(state, Level::Success, format!("asset renamed to {name:?}"));
    // UpdateAsset answers nothing of the asset: its record, read again, gives the row the
    // times the service now has (and a fresh URL).
    if state.urls.fetching.is_some() {
        return Vec::new();
    }
    state.urls.fetching = Some(id.to_owned());
    vec![Effect::FetchUrl { id: id.to_owned() }]
}

/// Group `id` was deleted (its assets with it), or why not.
pub(super) fn group_deleted(
    state: &mut AppState,
    id: &str,
    result: Result<(), GroupNotDeleted>,
) -> Vec<Effect> {
    if let Err(e) = result {
        toast(state, Level::Error, e.to_string());
        return Vec::new();
    }
    state.groups.retain(|g| g.id != id);
    state.groups.refilter(|_| true);
    if state.open_group.as_deref() == Some(id) {
        close_group(state);
    }
    toast(state, Level::Success, format!("deleted {id}"));
    Vec::new()
}

/// Assets were asked to be deleted: those deleted, and those not found (deleted already),
/// leave the pane; of several, each is kept in the messages log with its name (a kept or
/// failed one with its reason), and the status line sums them up.
pub(super) fn assets_deleted(
    state: &mut AppState,
    outcomes: Vec<(String, Deletion)>,
) -> Vec<Effect> {
    let names: std::collections::HashMap<String, String> = (state.assets.items().iter())
        .map(|a| (a.id.to_string(), display_name(a)))
        .collect();
    let named = |id: &String| match names.get(id) {
        Some(name) => format!("{id} \"{name}\""),
        None => id.clone(),
    };
    let gone: HashSet<&str> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Deletion::Deleted | Deletion::NotFound))
        .map(|(id, _)| id.as_str())
        .collect();
    state.marks.retain(|id| !gone.contains(id.as_str()));
    let before = state.assets.items().len();
    state.assets.retain(|a| !gone.contains(&*a.id));
    let removed = (before - state.assets.items().len()) as u64;
    state.assets.total = state.assets.total.map(|t| t.saturating_sub(removed));
    refilter_assets(state);
    let not: Vec<(&String, String)> = outcomes
        .iter()
        .filter_map(|(id, o)| o.reason().map(|why| (id, why)))
        .collect();
    for (id, outcome) in outcomes.iter().filter(|_| outcomes.len() > 1) {
        let (level, text) = match outcome.reason() {
            Some(why) => (Level::Error, format!("{} not deleted: {why}", named(id))),
            None => (Level::Success, format!("{} {}", named(id), outcome.word())),
        };
        state.messages.push(Message {
            at: state.now,
            level,
            text,
        });
    }
    let count = |word| outcomes.iter().filter(|(_, o)| o.word() == word).count();
    let (deleted, missing) = (count("deleted"), count("not found"));
    let mut parts = Vec::new();
    match &outcomes[..] {
        [(id, Deletion::Deleted)] => parts.push(format!("deleted {}", named(id))),
        [(id, Deletion::NotFound)] => {
            parts.push(format!("{} not found (already deleted?)", named(id)))
        }
        _ => {
            parts.push(format!("{deleted} deleted"));
            if missing > 0 {
                parts.push(format!("{missing} not found (already deleted?)"));
            }
        }
    }
    if let Some((id, why)) = not.first() {
        let more = match not.len() {
            1 => String::new(),
            n => format!(" ({n} not deleted in all; see the messages)"),
        };
        parts.push(format!("{} not deleted: {why}{more}", named(id)));
    }
    let level = match (not.is_empty(), missing) {
        (false, _) => Level::Error,
        (true, 0) => Level::Success,
        (true, _) => Level::Info,
    };
    let text = parts.join("; ");
    toast(state, level, text);
    Vec::new()
}

/// The count of `group_id`'s assets, for the question about deleting it.
pub(super) fn counted(
    state: &mut AppState,
    group_id: &str,
    result: Result<(usize, bool), ListError>,
) -> Vec<Effect> {
    let holds = match result {
        Ok((count, complete)) => Holds::Assets { count, complete },
        Err(why) => Holds::Unknown(why.to_string()),
    };
    set_holds(state, Some(group_id), holds);
    Vec::new()
}

/// Puts what a group holds into the question about deleting it, while it is being counted
/// (`None`: whichever group that is).
pub(super) fn set_holds(state: &mut AppState, group_id: Option<&str>, holds: Holds) {
    if let Mode::Confirm(question) = &mut state.mode
        && question.holds == Some(Holds::Counting)
        && group_id.is_none_or(|id| question.targets == [Target::Group(id.to_owned())])
    {
        question.holds = Some(holds);
    }
}

/// After a retry: the new assets show (Processing), the failed ones created again stay marked,
/// and deleting them is offered.
pub(super) fn retried(
    state: &mut AppState,
    group_id: &str,
    retried: Vec<(String, Result<String, RetryError>)>,
) -> Vec<Effect> {
    let (done, refused): (Vec<_>, Vec<_>) = retried.into_iter().partition(|(_, r)| r.is_ok());
    let mut text = format!("{} created again", done.len());
    if let Some((id, Err(why))) = refused.first() {
        // Most reasons name the asset already.
        let why = why.to_string();
        let why = if why.contains(id.as_str()) {
            why
        } else {
            format!("{id}: {why}")
        };
        text.push_str(&format!(", {} not ({why})", refused.len()));
    }
    let level = if refused.is_empty() {
        Level::Success
    } else {
        Level::Error
    };
    toast(state, level, text);
    if done.is_empty() || state.open_group.as_deref() != Some(group_id) {
        return Vec::new();
    }
    state.marks = done.iter().map(|(old, _)| old.clone()).collect();
    if matches!(state.mode, Mode::Browse) {
        let name = match &done[..] {
            [(old, _)] => {
                state
                    .assets
                    .position(old)
                    .map_or_else(|| old.clone(), |at| display_name(&state.assets.items()[at]))
                    + " (Failed; created again)"
            }
            many => format!("{} failed assets just created again", many.len()),
        };
        let targets = done
            .into_iter()
            .map(|(old, _)| Target::Asset(old))
            .collect();
        state.mode = Mode::Confirm(ConfirmDelete::new(targets, name));
    }
    state.poll.hurry();
    reload_assets_if_open(state, group_id)
}

/// Keeps each file an import or a sync refused (or failed on) in the messages log, one a
/// message, with its reason.
pub(super) fn log_each(state: &mut AppState, refused: &[&crate::catalog::import::Refused]) {
    for r in refused {
        state.messages.push(Message {
            at: state.now,
            level: Level::Error,
            text: r.to_string(),
        });
    }
}

/// Says `text`, and the first of what failed (each is logged), in the status line.
pub(super) fn summary(
    state: &mut AppState,
    mut text: String,
    not: &[&crate::catalog::import::Refused],
) {
    log_each(state, not);
    let level = match not.first() {
        None => Level::Success,
        Some(first) => {
            text.push_str(&format!(
                ", {} not: {}: {}",
                not.len(),
                first.origin,
                first.error
            ));
            Level::Error
        }
    };
    toast(state, level, text);
}
