//! `C` (a copy to another profile: the profile picked, the plan shown, applied on Enter, its
//! deletes only on a `y`) and `P` (a pull into a folder, Tab completing it; its progress and
//! report in the status line).

use super::*;
use crate::support::plans::{THERE, copy_plan};
use ark_assets::app::mode::{CopyStage, CopyView};
use ark_assets::app::msg::{CopyFailed, PlannedCopy, Work};
use ark_assets::catalog::copy::{CopyError, CopyPlan, CopyReport};
use ark_assets::catalog::pull::{PullReport, Pulled};

/// The open copy overlay (there must be one).
fn copy_view(state: &AppState) -> &CopyView {
    match &state.mode {
        Mode::Copy(view) => view,
        other => panic!("no copy open: {other:?}"),
    }
}

/// Group 1 open, three profiles configured (the session's own, `demo`, among them).
fn with_profiles() -> AppState {
    let mut state = with_assets(SIZE, 5);
    state.profiles = vec!["staging".into(), "demo".into(), "other".into()];
    state
}

/// The plan into `profile` arriving.
fn planned(profile: &str, plan: &CopyPlan, read_only: bool) -> Msg {
    Msg::CopyPlanned {
        profile: profile.into(),
        result: Ok(PlannedCopy {
            plan: plan.clone(),
            read_only,
        }),
    }
}

/// `C`, then `j` and Enter: the plan into `other` asked for.
fn plan_into_other(state: &mut AppState, only: Option<std::collections::BTreeSet<String>>) {
    update(state, ch('C'));
    update(state, ch('j'));
    let effects = update(state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::PlanCopy {
            profile: "other".into(),
            group_id: group(1, "").id,
            only,
        }]
    );
    assert!(matches!(copy_view(state).stage, CopyStage::Planning));
}

#[tokio::test(flavor = "multi_thread")]
async fn c_picks_a_profile_shows_the_plan_and_deletes_only_on_a_yes() {
    let plan = copy_plan().await;
    assert_eq!(plan.counts(), [1, 1, 1, 0, 1], "{plan:?}");
    let mut state = with_profiles();
    update(&mut state, ch('C'));
    let view = copy_view(&state);
    assert_eq!(
        (0..view.profiles.rows())
            .map(|r| view.profiles.row(r).unwrap().value())
            .collect::<Vec<_>>(),
        ["staging", "other"],
        "the session's own is left out"
    );
    assert_eq!(view.only, None);
    assert_eq!(state.scope(), Scope::Profiles);
    update(&mut state, key(KeyCode::Esc));
    plan_into_other(&mut state, None);
    // An answer for a profile no longer picked is dropped.
    update(&mut state, planned("staging", &plan, false));
    assert!(matches!(copy_view(&state).stage, CopyStage::Planning));
    update(&mut state, planned("other", &plan, false));
    assert_eq!(state.scope(), Scope::Copy);
    // `d` deletes the extra asset too: Enter asks first, and Enter there keeps.
    update(&mut state, ch('d'));
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert_eq!(state.scope(), Scope::Confirm);
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert_eq!(state.scope(), Scope::Copy, "back to the plan");
    update(&mut state, key(KeyCode::Enter));
    let effects = update(&mut state, ch('y'));
    let applied = plan.clone().deleting(true);
    assert_eq!(applied.doomed(), ["asset-20260101000000-d0001"]);
    assert_eq!(
        effects,
        vec![Effect::ApplyCopy {
            profile: "other".into(),
            plan: Box::new(applied),
        }]
    );
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(toast_text(&state), "copying the group into profile other…");
    update(
        &mut state,
        Msg::Progress {
            work: Work::Copy,
            done: 1,
            total: 2,
            failed: 0,
        },
    );
    assert_eq!(toast_text(&state), "copying the group: 1 of 2 files done…");
    let report = CopyReport {
        group: THERE.into(),
        import: import_report(1, 0, ("asset-20260101000000-s0001 (side)", "answered 403")),
        deleted: vec!["asset-20260101000000-d0001".into()],
        ..CopyReport::default()
    };
    let effects = update(
        &mut state,
        Msg::Copied {
            profile: "other".into(),
            result: Ok(report),
        },
    );
    assert!(effects.is_empty(), "nothing of this profile changed");
    assert_eq!(
        toast_text(&state),
        format!(
            "copied into profile other: 1 created, 0 already there, 1 deleted (group {THERE}), \
             1 not: asset-20260101000000-s0001 (side): answered 403"
        )
    );
    assert_eq!(state.toast.as_ref().unwrap().level, Level::Error);
    let logged: Vec<&str> = state.messages.iter().map(|m| m.text.as_str()).collect();
    assert!(
        logged.contains(&"asset-20260101000000-s0001 (side): answered 403"),
        "{logged:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_keeps_and_a_plan_that_deletes_nothing_applies_at_once() {
    let plan = copy_plan().await;
    let mut state = with_profiles();
    plan_into_other(&mut state, None);
    update(&mut state, planned("other", &plan, false));
    assert!(update(&mut state, key(KeyCode::Esc)).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    // A plan that comes once the overlay is closed is dropped.
    update(&mut state, planned("other", &plan, false));
    assert!(matches!(state.mode, Mode::Browse));
    plan_into_other(&mut state, None);
    update(&mut state, planned("other", &plan, false));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::ApplyCopy {
            profile: "other".into(),
            plan: Box::new(plan.clone()),
        }]
    );
    assert!(plan.doomed().is_empty(), "the extra asset is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_destinations_plan_is_shown_not_applied() {
    let plan = copy_plan().await;
    let mut state = with_profiles();
    plan_into_other(&mut state, None);
    update(&mut state, planned("other", &plan, true));
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert!(
        toast_text(&state).starts_with("profile other is read-only"),
        "{}",
        toast_text(&state)
    );
    assert_eq!(state.scope(), Scope::Copy, "the plan stays");
}

#[test]
fn c_copies_the_marked_assets_and_the_groups_pane_the_selected_group() {
    let mut state = with_profiles();
    update(&mut state, ch(' '));
    update(&mut state, ch(' '));
    let marks = state.marks.clone();
    assert_eq!(marks.len(), 2);
    plan_into_other(&mut state, Some(marks));
    // Why there is no plan shows under the list, which stays to pick again.
    update(
        &mut state,
        Msg::CopyPlanned {
            profile: "other".into(),
            result: Err(CopyFailed::Copy(CopyError::RealPerson("Me".into()))),
        },
    );
    let view = copy_view(&state);
    assert!(matches!(view.stage, CopyStage::Picking));
    let error = view.error.as_deref().unwrap();
    assert!(
        error.starts_with("profile other: group \"Me\" is a real person's"),
        "{error}"
    );
    update(&mut state, key(KeyCode::Esc));
    // In the groups pane: the selected group, whole.
    update(&mut state, ch('h'));
    update(&mut state, ch('j'));
    update(&mut state, ch('C'));
    let view = copy_view(&state);
    assert_eq!(view.group_id, group(2, "").id);
    assert_eq!(view.only, None);
}

#[test]
fn c_without_other_profiles_says_so() {
    let mut state = with_assets(SIZE, 5);
    state.profiles = vec!["demo".into()];
    assert!(update(&mut state, ch('C')).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    assert!(
        toast_text(&state).starts_with("no other profile to copy to"),
        "{}",
        toast_text(&state)
    );
}

#[test]
fn p_pulls_into_a_folder_tab_completes_and_the_report_is_a_message() {
    let base = std::env::temp_dir().join(format!(
        "ark-assets-pull-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(base.join("refs-back")).unwrap();
    std::fs::write(base.join("notes.txt"), b"x").unwrap();
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('P'));
    assert!(matches!(dialog(&state).form, Form::PullGroup(_)));
    // A file is not a folder.
    typed(&mut state, base.join("notes.txt").to_str().unwrap());
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let error = dialog(&state).form.fields()[0].error.clone().unwrap();
    assert!(error.contains("is not a folder"), "{error}");
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, ch('P'));
    typed(&mut state, &format!("{}/ref", base.display()));
    update(&mut state, key(KeyCode::Tab));
    let completed = format!("{}/refs-back/", base.display());
    assert_eq!(dialog(&state).form.fields()[0].value(), completed);
    let effects = update(&mut state, key(KeyCode::Enter));
    let folder = base.join("refs-back");
    assert_eq!(
        effects,
        vec![Effect::Pull {
            group_id: group(1, "").id,
            folder: folder.clone(),
        }]
    );
    assert!(matches!(state.mode, Mode::Browse), "the dialog closes");
    assert_eq!(toast_text(&state), "pulling the group's files…");
    update(
        &mut state,
        Msg::Progress {
            work: Work::Pull,
            done: 2,
            total: 3,
            failed: 0,
        },
    );
    assert_eq!(toast_text(&state), "pulling the group: 2 of 3 files done…");
    assert!(state.messages.is_empty(), "progress is not kept");
    let pulled = |i: usize| Pulled {
        id: format!("asset-{i}"),
        name: format!("ref-{i}"),
        path: folder.join(format!("ref-{i}.png")),
        bytes: 10,
        sha256: "0".repeat(64),
    };
    let report = PullReport {
        group: group(1, "").id,
        downloaded: vec![pulled(0), pulled(1)],
        unchanged: vec![pulled(2)],
        failed: vec![Refused {
            origin: "asset-3 (ref-3)".into(),
            line: 0,
            error: "the download stalled for 30 s".into(),
        }],
        ..PullReport::default()
    };
    let effects = update(
        &mut state,
        Msg::Pulled {
            folder: folder.clone(),
            result: Ok(report),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(
        toast_text(&state),
        format!(
            "pulled into {}: 2 downloaded, 1 already there, 1 not: asset-3 (ref-3): the \
             download stalled for 30 s",
            folder.display()
        )
    );
    let logged: Vec<&str> = state.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(logged[0], "asset-3 (ref-3): the download stalled for 30 s");
    std::fs::remove_dir_all(&base).unwrap();
}
