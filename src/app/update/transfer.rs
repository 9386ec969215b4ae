//! Moving a group's files elsewhere: copied to another profile (the profile picked from a
//! list, the plan shown, then applied on Enter; deletes only on a `y`) and pulled into a
//! folder. The plan and the work are the catalog's; this shows them.

use std::path::PathBuf;

use super::super::dialog::{Form, PullGroupForm};
use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::messages::Level;
use super::super::mode::{CopyPlanView, CopyStage, CopyView, Mode};
use super::super::msg::{CopyFailed, PlannedCopy};
use super::super::picker::Picker;
use super::super::state::{AppState, Focus};
use super::changed::summary;
use super::{note, toast};
use crate::catalog::copy::CopyReport;
use crate::catalog::import::Refused;
use crate::catalog::pull::{PullError, PullReport};
use crate::text::count;

/// The group a copy or a pull takes: the selected one in the groups pane, the open one in the
/// assets pane; its id and name.
fn group_of(state: &AppState) -> Option<(String, String)> {
    match state.focus {
        Focus::Groups => state
            .groups
            .current()
            .map(|g| (g.id.clone(), g.name.clone())),
        Focus::Assets => {
            let id = state.open_group.clone()?;
            let name = state
                .groups
                .position(&id)
                .map_or_else(|| id.clone(), |at| state.groups.items()[at].name.clone());
            Some((id, name))
        }
    }
}

/// `C`: the profiles the group (in the assets pane: the marked assets, when there are) can
/// be copied to, to pick from.
pub(super) fn open_copy(state: &mut AppState) -> Vec<Effect> {
    let Some((group_id, group_name)) = group_of(state) else {
        return Vec::new();
    };
    let profiles: Vec<String> = state
        .profiles
        .iter()
        .filter(|p| **p != state.header.profile)
        .cloned()
        .collect();
    if profiles.is_empty() {
        let text = "no other profile to copy to: the config file names none (`ark-assets copy \
                    GROUP --to-group NAME` copies within this account)";
        toast(state, Level::Info, text.to_owned());
        return Vec::new();
    }
    let marked = state.focus == Focus::Assets && !state.marks.is_empty();
    state.mode = Mode::Copy(Box::new(CopyView {
        group_id,
        group_name,
        only: marked.then(|| state.marks.clone()),
        profiles: Picker::new(profiles),
        error: None,
        stage: CopyStage::Picking,
    }));
    Vec::new()
}

/// A key on the copy overlay: pick the profile and plan (Enter), or, on the plan, apply it,
/// delete the extra assets too or not, scroll, or cancel.
pub(super) fn key(
    state: &mut AppState,
    mut view: CopyView,
    command: Option<Command>,
) -> Vec<Effect> {
    match std::mem::replace(&mut view.stage, CopyStage::Picking) {
        CopyStage::Plan(plan) => return plan_key(state, view, *plan, command),
        // Esc drops the plan on its way; nothing else is asked meanwhile.
        CopyStage::Planning if command == Some(Command::Cancel) => return Vec::new(),
        CopyStage::Planning => view.stage = CopyStage::Planning,
        CopyStage::Picking => match command {
            Some(Command::Cancel) => return Vec::new(),
            Some(Command::Down) => view.profiles.down(),
            Some(Command::Up) => view.profiles.up(),
            Some(Command::Submit) => {
                view.error = None;
                view.stage = CopyStage::Planning;
                let effect = Effect::PlanCopy {
                    profile: view.profile().to_owned(),
                    group_id: view.group_id.clone(),
                    only: view.only.clone(),
                };
                state.mode = Mode::Copy(Box::new(view));
                return vec![effect];
            }
            _ => {}
        },
    }
    state.mode = Mode::Copy(Box::new(view));
    Vec::new()
}

/// A key on a copy's plan. A plan that deletes asks once more (`y` deletes; anything else
/// goes back to the plan); a read-only destination's plan is only shown.
fn plan_key(
    state: &mut AppState,
    mut view: CopyView,
    mut plan: CopyPlanView,
    command: Option<Command>,
) -> Vec<Effect> {
    if plan.confirming {
        plan.confirming = false;
        if command == Some(Command::Submit) {
            return apply(state, &view, plan);
        }
    } else {
        let [.., delete, extra] = plan.plan.counts();
        match command {
            Some(Command::Submit) if plan.read_only => {
                let text = format!(
                    "profile {} is read-only (--read-only or read_only = true): the plan is \
                     shown, not applied",
                    view.profile()
                );
                note(state, Level::Error, text);
            }
            Some(Command::Submit) if !plan.delete || delete + extra == 0 => {
                return apply(state, &view, plan);
            }
            Some(Command::Submit) => plan.confirming = true,
            Some(Command::Cancel) => return Vec::new(),
            Some(Command::Delete) => plan.delete = !plan.delete,
            Some(Command::Down) => plan.offset = (plan.offset + 1).min(plan.plan.steps.len()),
            Some(Command::Up) => plan.offset = plan.offset.saturating_sub(1),
            _ => {}
        }
    }
    view.stage = CopyStage::Plan(Box::new(plan));
    state.mode = Mode::Copy(Box::new(view));
    Vec::new()
}

/// Applies the plan (with its deletions when they are on); the overlay closes.
fn apply(state: &mut AppState, view: &CopyView, plan: CopyPlanView) -> Vec<Effect> {
    let profile = view.profile().to_owned();
    let text = format!("copying the group into profile {profile}…");
    note(state, Level::Info, text);
    let plan = Box::new(plan.plan.deleting(plan.delete));
    vec![Effect::ApplyCopy { profile, plan }]
}

/// The plan into `profile` came: it is shown, or the list says why there is none. A plan no
/// longer waited for (the overlay closed, another profile picked) is dropped.
pub(super) fn planned(
    state: &mut AppState,
    profile: &str,
    result: Result<PlannedCopy, CopyFailed>,
) -> Vec<Effect> {
    let Mode::Copy(view) = &mut state.mode else {
        return Vec::new();
    };
    if !matches!(view.stage, CopyStage::Planning) || view.profile() != profile {
        return Vec::new();
    }
    match result {
        Ok(PlannedCopy { plan, read_only }) => {
            view.stage = CopyStage::Plan(Box::new(CopyPlanView {
                plan,
                read_only,
                delete: false,
                offset: 0,
                confirming: false,
            }));
        }
        Err(e) => {
            view.stage = CopyStage::Picking;
            view.error = Some(format!("profile {profile}: {e}"));
        }
    }
    Vec::new()
}

/// A copy into `profile` ended: its summary; each failure goes to the log.
pub(super) fn copied(
    state: &mut AppState,
    profile: &str,
    result: Result<CopyReport, CopyFailed>,
) -> Vec<Effect> {
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let text = format!("the copy into profile {profile} did not run: {e}");
            toast(state, Level::Error, text);
            return Vec::new();
        }
    };
    let import = &report.import;
    let made = if report.group_created {
        ", made by this copy"
    } else {
        ""
    };
    let text = format!(
        "copied into profile {profile}: {} created, {} already there, {} deleted (group {}{made})",
        import.created.len() + import.by_other_run.len(),
        import.already.len(),
        report.deleted.len(),
        report.group,
    );
    let not: Vec<&Refused> = import
        .invalid
        .iter()
        .chain(&import.failed)
        .chain(&report.failed)
        .collect();
    summary(state, text, &not);
    Vec::new()
}

/// `P`: the pull's dialog, for the selected group (groups pane) or the open one.
pub(super) fn pull_dialog(state: &mut AppState) -> Option<Form> {
    let (group_id, _) = group_of(state)?;
    Some(Form::PullGroup(PullGroupForm::new(group_id)))
}

/// A pull into `folder` ended: its summary; each failed download goes to the log.
pub(super) fn pulled(
    state: &mut AppState,
    folder: PathBuf,
    result: Result<PullReport, PullError>,
) -> Vec<Effect> {
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            toast(state, Level::Error, format!("the pull did not run: {e}"));
            return Vec::new();
        }
    };
    let mut text = format!(
        "pulled into {}: {} downloaded, {} already there",
        folder.display(),
        report.downloaded.len(),
        report.unchanged.len()
    );
    if !report.skipped.is_empty() {
        let skipped = count(report.skipped.len(), "asset");
        text.push_str(&format!(", {skipped} not Active (skipped)"));
    }
    let not: Vec<&Refused> = report.failed.iter().collect();
    summary(state, text, &not);
    Vec::new()
}
