//! `update` for every key of the keymap, dialogs, and poller results.

use crate::support::fixtures;

use ark_assets::api::model::{Asset, SortBy, SortOrder, Status};
use ark_assets::api::{ApiError, ErrorKind};
use ark_assets::app::action::Action;
use ark_assets::app::action::SwitchError;
use ark_assets::app::keymap::{Binding, Command, Key, Keymap, Scope};
use ark_assets::app::layout::list_rows;
use ark_assets::app::state::*;
use ark_assets::app::{Effect, update};
use ark_assets::catalog::add::{AddError, Added};
use ark_assets::catalog::import::{Done, Refused, Report};
use ark_assets::catalog::poll::Pending;
use ark_assets::catalog::retry::RetryError;
use ark_assets::catalog::{Cursor, ListError, Listing};
use ark_assets::validate::Invalid;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fixtures::*;

const SIZE: (u16, u16) = (80, 24);
/// The order assets load in by default.
const NEWEST_FIRST: (SortBy, SortOrder) = (SortBy::CreateTime, SortOrder::Desc);

/// The status-line message (there must be one).
fn toast_text(state: &AppState) -> &str {
    &state
        .toast
        .as_ref()
        .expect("a message in the status line")
        .text
}

fn selected_asset(state: &AppState) -> String {
    state.assets.current().unwrap().name.to_string()
}

/// A state where `binding` has something to do: mid-list, in the pane or mode it is meant for.
fn state_for(binding: &Binding) -> AppState {
    let mut state = with_assets(SIZE, 40);
    state.assets.selected = 20;
    state.assets.scroll(list_rows(SIZE));
    if binding.scope == Scope::Groups || binding.command == Command::FocusAssets {
        state.focus = Focus::Groups;
        state.groups.selected = 1;
    }
    if binding.command == Command::ClearFilter {
        state.assets.filter = "e".into();
    }
    let opener = match binding.scope {
        Scope::Filter => Some('/'),
        Scope::Form => Some('n'),
        Scope::Confirm => Some('d'),
        Scope::Help => {
            // Short enough that the overlay scrolls.
            update(&mut state, Action::Resize(80, 16));
            Some('?')
        }
        Scope::Palette => Some(':'),
        Scope::Shown => {
            state.assets.selected = 0;
            Some('u')
        }
        Scope::Verify => {
            state.mode = Mode::Verify(Verification::Showing {
                link: "http://127.0.0.1:8383/h5/verify?token=t".into(),
                token: "t".into(),
                since: state.tick,
            });
            None
        }
        _ => None,
    };
    if let Some(c) = opener {
        update(&mut state, ch(c));
    }
    if binding.scope == Scope::Help {
        // Scrolled a little, so it can scroll either way.
        state.help_offset = 1;
    }
    state
}

/// The open form (there must be one).
fn dialog(state: &AppState) -> &Dialog {
    match &state.mode {
        Mode::Form(d) => d,
        other => panic!("no form open: {other:?}"),
    }
}

#[test]
fn every_binding_changes_state_or_starts_work() {
    for binding in Keymap::default().bindings() {
        for key in &binding.keys {
            let mut state = state_for(binding);
            let before = format!("{state:?}");
            let effects = update(&mut state, key_action(key));
            let after = format!("{state:?}");
            assert!(
                !effects.is_empty() || before != after,
                "{:?} ({}) did nothing",
                key,
                binding.label
            );
        }
    }
}

fn key_action(key: &Key) -> Action {
    let modifiers = if key.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    Action::Key(KeyEvent::new(key.code, modifiers))
}

#[test]
fn movement_keys_move_and_scroll() {
    let mut state = with_assets(SIZE, 100);
    let rows = list_rows(SIZE);
    assert_eq!(state.focus, Focus::Assets);
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Down));
    assert_eq!(state.assets.selected, 2);
    update(&mut state, ch('k'));
    assert_eq!(state.assets.selected, 1);
    update(&mut state, ch('G'));
    assert_eq!(state.assets.selected, 99);
    assert_eq!(state.assets.offset, 100 - rows);
    update(&mut state, key(KeyCode::PageUp));
    assert_eq!(state.assets.selected, 99 - rows);
    update(&mut state, ch('g'));
    assert_eq!((state.assets.selected, state.assets.offset), (0, 0));
    update(&mut state, key(KeyCode::PageDown));
    assert_eq!(state.assets.selected, rows);
    update(&mut state, ch('k'));
    update(&mut state, ch('k'));
    assert!(state.assets.offset <= state.assets.selected);
}

#[test]
fn panes_and_opening_groups() {
    let mut state = with_groups(SIZE);
    assert_eq!(state.focus, Focus::Groups);
    update(&mut state, ch('j'));
    let effects = update(&mut state, key(KeyCode::Enter));
    let id = group(2, "").id;
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: id.clone(),
            from: Cursor::FIRST,
            pages: 1,
            order: NEWEST_FIRST,
        }]
    );
    assert_eq!(
        (state.focus, state.open_group.as_deref()),
        (Focus::Assets, Some(id.as_str()))
    );
    assert!(state.assets.loading);
    update(&mut state, ch('h'));
    assert_eq!(state.focus, Focus::Groups);
    // Back to the open group: no reload.
    assert!(update(&mut state, ch('l')).is_empty());
    assert_eq!(state.focus, Focus::Assets);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.focus, Focus::Groups);
}

#[test]
fn lazy_paging_loads_the_next_page_near_the_end() {
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    let items: Vec<Asset> = mixed_assets(100);
    deliver(&mut state, items, 250, Some(2));
    let mut loads = Vec::new();
    for _ in 0..100 {
        loads.extend(update(&mut state, ch('j')));
    }
    assert_eq!(
        loads,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::Page(2),
            pages: 1,
            order: NEWEST_FIRST,
        }],
        "exactly one page load while the user scrolls"
    );
}

#[test]
fn filter_keys_filter_live_and_esc_clears() {
    let mut state = with_assets(SIZE, 30);
    update(&mut state, ch('/'));
    assert!(matches!(state.mode, Mode::Filter));
    typed(&mut state, "角色");
    assert_eq!(state.assets.filter, "角色");
    assert_eq!(state.assets.visible.len(), 10);
    assert!(
        state
            .assets
            .visible
            .iter()
            .all(|&i| state.assets.items()[i].name.contains("角色"))
    );
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace));
    assert_eq!(state.assets.visible.len(), 30);
    typed(&mut state, "hero");
    update(&mut state, key(KeyCode::Enter));
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(state.assets.filter, "hero");
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(
        (state.assets.filter.as_str(), state.assets.visible.len()),
        ("", 30)
    );
}

#[test]
fn status_filter_cycles_and_keeps_the_selection() {
    let mut state = with_assets(SIZE, 30);
    update(&mut state, ch('j'));
    let picked = selected_asset(&state);
    assert_eq!(state.assets.current().unwrap().status, Status::Processing);
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::Only(Status::Active));
    assert!(
        state
            .assets
            .visible
            .iter()
            .all(|&i| state.assets.items()[i].status == Status::Active)
    );
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::Only(Status::Processing));
    assert_eq!(selected_asset(&state), picked, "selection found again");
    update(&mut state, ch('s'));
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::All);
}

#[test]
fn create_dialogs_validate_inline_before_sending() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('n'));
    assert!(matches!(dialog(&state).form, Form::CreateAsset(_)));
    typed(&mut state, "ftp://example.com/a.png");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let error = dialog(&state).form.fields()[0].error.clone().unwrap();
    assert!(error.contains("ftp://"), "{error}");
    // Fixing the field clears its error as you type.
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "https://example.com/a.png");
    assert!(dialog(&state).form.fields()[0].error.is_none());
    update(&mut state, key(KeyCode::Tab));
    typed(&mut state, "new hero");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::CreateAsset {
            group_id: group(1, "").id,
            url: "https://example.com/a.png".into(),
            name: "new hero".into()
        }]
    );
    assert!(dialog(&state).busy);
    update(
        &mut state,
        Action::AssetCreated {
            group_id: group(1, "").id,
            result: Err(AddError::Refused(vec![Invalid::new(
                ark_assets::validate::Field::Image,
                "299x400",
                "width is 299 px",
            )])),
        },
    );
    let d = dialog(&state);
    assert!(
        !d.busy
            && d.form.fields()[0]
                .error
                .as_deref()
                .unwrap()
                .contains("299 px")
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));

    update(&mut state, ch('h'));
    update(&mut state, ch('n'));
    typed(&mut state, &"x".repeat(65));
    update(&mut state, key(KeyCode::Enter));
    assert!(
        dialog(&state).form.fields()[0]
            .error
            .as_deref()
            .unwrap()
            .contains("65 characters")
    );
}

#[test]
fn creating_an_asset_reloads_selects_and_polls_it() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('n'));
    update(
        &mut state,
        Action::Paste("https://example.com/new.png".into()),
    );
    update(&mut state, key(KeyCode::Enter));
    let effects = update(
        &mut state,
        Action::AssetCreated {
            group_id: group(1, "").id,
            result: Ok(added("asset-new", Vec::new())),
        },
    );
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            pages: 1,
            order: NEWEST_FIRST,
        }]
    );
    let mut items = mixed_assets(5);
    let mut fresh = asset(99, "new", Status::Processing);
    fresh.id = "asset-new".into();
    items.insert(0, fresh);
    deliver(&mut state, items, 6, None);
    assert_eq!(&*state.assets.current().unwrap().id, "asset-new");
}

#[test]
fn a_created_asset_with_warnings_says_them() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('n'));
    update(
        &mut state,
        Action::Paste("https://example.com/clip.mp4".into()),
    );
    update(&mut state, key(KeyCode::Enter));
    let warning = "video is 16.0 s; seedance-2.0 takes reference videos of 2–15 s".to_owned();
    update(
        &mut state,
        Action::AssetCreated {
            group_id: group(1, "").id,
            result: Ok(added("asset-new", vec![warning.clone()])),
        },
    );
    let toast = state.toast.as_ref().expect("a toast");
    assert!(toast.text.contains(&warning), "{}", toast.text);
}

#[test]
fn rename_and_delete_dialogs() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('r'));
    let d = dialog(&state);
    assert_eq!(d.form.fields()[0].input.value(), selected_asset(&state));
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "renamed");
    let effects = update(&mut state, key(KeyCode::Enter));
    let id = state.assets.current().unwrap().id.to_string();
    assert_eq!(
        effects,
        vec![Effect::RenameAsset {
            id: id.clone(),
            name: "renamed".into()
        }]
    );
    update(
        &mut state,
        Action::AssetRenamed {
            id: id.clone(),
            name: "renamed".into(),
            result: Ok(()),
        },
    );
    assert_eq!(selected_asset(&state), "renamed");

    update(&mut state, ch('d'));
    assert!(update(&mut state, ch('n')).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    update(&mut state, ch('d'));
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects, vec![Effect::Delete(Target::Asset(id.clone()))]);
    update(
        &mut state,
        Action::Deleted {
            target: Target::Asset(id.clone()),
            result: Ok(()),
        },
    );
    assert!(state.assets.items().iter().all(|a| *a.id != id));

    update(&mut state, ch('h'));
    update(&mut state, ch('r'));
    let d = dialog(&state);
    assert_eq!(
        d.form.fields()[1].input.value(),
        "description of 主角 Leading cast"
    );
    update(&mut state, key(KeyCode::Tab));
    typed(&mut state, " (v2)");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(
        matches!(&effects[0], Effect::UpdateGroup { description, .. } if description.ends_with("(v2)"))
    );
}

#[test]
fn a_task_that_failed_without_an_answer_frees_what_waited_for_it() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('n'));
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "https://example.com/a.png");
    update(&mut state, key(KeyCode::Enter));
    assert!(dialog(&state).busy);
    state.assets.loading = true;
    update(
        &mut state,
        Action::TaskFailed("a background task failed".into()),
    );
    let d = dialog(&state);
    assert!(!d.busy, "the form can be sent again or closed");
    assert_eq!(
        d.error.as_deref(),
        Some("a background task failed; R reloads")
    );
    assert!(!state.assets.loading);
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, Action::TaskFailed("again".into()));
    assert_eq!(state.toast.as_ref().unwrap().text, "again; R reloads");
}

#[test]
fn a_value_a_field_cannot_show_is_kept_unless_it_is_edited() {
    let mut state = AppState::new(header(), SIZE);
    let mut multiline = group(1, "tab\there");
    multiline.description = "line one\nline two".into();
    update(
        &mut state,
        Action::GroupsLoaded(Ok(Listing::complete(vec![multiline]))),
    );
    update(&mut state, ch('r'));
    let fields = dialog(&state).form.fields();
    assert_eq!(fields[0].input.value(), "tab\\there", "shown escaped");
    assert_eq!(fields[1].input.value(), "line one\\nline two");
    assert!(fields[1].note().unwrap().contains("kept as it is"));
    // Saved unedited: both as they were, the real newline and tab included.
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::UpdateGroup {
            id: group(1, "").id,
            name: "tab\there".into(),
            description: "line one\nline two".into(),
        }]
    );
    // Edited: what was typed, under the field's rules.
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, ch('r'));
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "plain");
    assert!(dialog(&state).form.fields()[0].note().is_none());
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::UpdateGroup { name, description, .. }]
            if name == "plain" && description == "line one\nline two"),
        "{effects:?}"
    );
}

/// Deletes what the confirmation names, as the service would.
fn confirm_deletes(state: &mut AppState) {
    for effect in update(state, ch('y')) {
        let Effect::Delete(target) = effect else {
            panic!("{effect:?}")
        };
        update(
            state,
            Action::Deleted {
                target,
                result: Ok(()),
            },
        );
    }
}

#[test]
fn deleting_the_last_rows_selects_the_row_before_them() {
    // G d y on the last row.
    let mut state = with_assets(SIZE, 11);
    update(&mut state, ch('G'));
    update(&mut state, ch('d'));
    confirm_deletes(&mut state);
    assert_eq!(state.assets.items().len(), 10);
    assert_eq!(state.assets.selected, 9);
    assert!(state.assets.current().is_some());
    // G k Space Space d y: the last two rows, marked.
    update(&mut state, ch('G'));
    update(&mut state, ch('k'));
    update(&mut state, ch(' '));
    update(&mut state, ch(' '));
    update(&mut state, ch('d'));
    confirm_deletes(&mut state);
    assert_eq!(state.assets.items().len(), 8);
    assert_eq!(state.assets.selected, 7);
    update(&mut state, ch('k'));
    assert_eq!(state.assets.selected, 6);
}

#[test]
fn copy_keys_copy_the_reference_and_the_snippet() {
    let mut state = with_assets(SIZE, 5);
    let id = state.assets.current().unwrap().id.to_string();
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::Copy(format!("Asset://{id}"))]
    );
    assert!(toast_text(&state).contains(&format!("Asset://{id}")));
    let effects = update(&mut state, ch('Y'));
    let Effect::Copy(snippet) = &effects[0] else {
        panic!("{effects:?}")
    };
    let v: serde_json::Value = serde_json::from_str(snippet).unwrap();
    assert_eq!(v["image_url"]["url"], format!("Asset://{id}"));
    assert_eq!(v["role"], "reference_image");
    update(&mut state, ch('j'));
    update(&mut state, ch('y'));
    assert!(toast_text(&state).contains("usable once Active"));
}

#[test]
fn url_help_project_refresh_and_quit_keys() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('u'));
    let Mode::Shown(shown) = &state.mode else {
        panic!()
    };
    assert!(shown.text.starts_with("https://cdn.example.com/"));
    assert_eq!(update(&mut state, ch('y')).len(), 1);
    update(&mut state, ch('?'));
    assert!(matches!(state.mode, Mode::Help));
    update(&mut state, ch('j'));
    assert_eq!(
        state.assets.selected, 0,
        "keys are swallowed by the help overlay"
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    let effects = update(&mut state, ch('R'));
    assert_eq!(effects[0], Effect::LoadGroups);
    assert!(matches!(effects[1], Effect::LoadAssets { .. }));
    assert_eq!(update(&mut state, key(KeyCode::F(5))).len(), 2);
    update(&mut state, ch('p'));
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "team-b");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("team-b".into()), Effect::LoadGroups]
    );
    assert_eq!(
        (state.header.project.as_str(), state.open_group.as_ref()),
        ("team-b", None)
    );
    update(&mut state, ch('q'));
    assert!(state.quit);
    let mut state = with_groups(SIZE);
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(state.quit);
}

fn polled(state: &mut AppState, assets: Vec<Asset>) {
    update(
        state,
        Action::Polled {
            group_id: group(1, "").id,
            result: Ok(assets),
        },
    );
}

fn run_ticks(state: &mut AppState, n: u64) -> Vec<Effect> {
    (0..n).flat_map(|_| update(state, Action::Tick)).collect()
}

#[test]
fn the_poller_runs_while_assets_process_and_moves_them() {
    let mut state = with_assets(SIZE, 10);
    update(&mut state, ch('j'));
    let processing: Vec<Asset> = mixed_assets(10)
        .into_iter()
        .filter(|a| a.status == Status::Processing)
        .collect();
    assert_eq!(processing.len(), 2);
    let selected = state.assets.current().unwrap().id.to_string();
    let effects = run_ticks(&mut state, POLL_MIN_TICKS + 1);
    assert_eq!(
        effects,
        vec![Effect::Poll {
            group_id: group(1, "").id,
            processing: processing.iter().map(Pending::from).collect()
        }]
    );
    assert!(
        run_ticks(&mut state, 20).is_empty(),
        "one poll in flight at a time"
    );

    // One of them became Active, the other is still Processing.
    let mut done = processing[0].clone();
    done.status = Status::Active;
    let still = processing[1].clone();
    polled(&mut state, vec![done.clone(), still.clone()]);
    assert_eq!(
        state
            .assets
            .items()
            .iter()
            .find(|a| *a.id == done.id)
            .unwrap()
            .status,
        Status::Active
    );
    assert!(state.flashes.contains_key(&done.id));
    assert!(toast_text(&state).contains("is Active"));
    assert_eq!(
        &*state.assets.current().unwrap().id,
        selected,
        "selection kept"
    );
    assert_eq!(state.poll.interval, POLL_MIN_TICKS);

    // Nothing changes: the poller backs off.
    let mut intervals = Vec::new();
    for _ in 0..5 {
        let effects = run_ticks(&mut state, POLL_MAX_TICKS + 1);
        let polls = effects.iter().filter(|e| matches!(e, Effect::Poll { .. }));
        assert_eq!(polls.count(), 1);
        polled(&mut state, vec![still.clone()]);
        intervals.push(state.poll.interval);
    }
    assert_eq!(
        intervals,
        vec![
            2 * POLL_MIN_TICKS,
            POLL_MAX_TICKS,
            POLL_MAX_TICKS,
            POLL_MAX_TICKS,
            POLL_MAX_TICKS
        ]
    );

    // The last one fails: its error is shown, and polling stops.
    let mut failed = still.clone();
    failed.status = Status::Failed;
    failed.error = Some(ark_assets::api::model::AssetError {
        code: "InvalidParameter.DownloadFailed".into(),
        message: "HTTP 404".into(),
    });
    run_ticks(&mut state, POLL_MAX_TICKS + 1);
    polled(&mut state, vec![failed]);
    let toast = state.toast.clone().unwrap();
    assert_eq!(toast.level, Level::Error);
    assert!(
        toast.text.contains("DownloadFailed: HTTP 404"),
        "{}",
        toast.text
    );
    assert!(!state.has_processing());
    assert!(
        run_ticks(&mut state, 100).is_empty(),
        "no polling once nothing is pending"
    );
}

#[test]
fn errors_show_in_the_status_line_and_panes_without_crashing() {
    let mut state = AppState::new(header(), SIZE);
    let err = ApiError {
        action: ark_assets::api::model::Action::ListAssetGroups,
        kind: ErrorKind::Service,
        http_status: Some(401),
        code: "SignatureDoesNotMatch".into(),
        message: "bad signature".into(),
        request_id: Some("req-42".into()),
        retry_after: None,
    };
    update(&mut state, Action::GroupsLoaded(Err(err.clone().into())));
    assert!(
        state
            .groups
            .error
            .as_deref()
            .unwrap()
            .contains("RequestId: req-42")
    );
    assert_eq!(state.toast.as_ref().unwrap().level, Level::Error);
    let effects = update(&mut state, ch('R'));
    assert_eq!(effects, vec![Effect::LoadGroups]);
    update(
        &mut state,
        Action::GroupsLoaded(Ok(Listing::complete(vec![group(1, "g")]))),
    );
    assert!(state.groups.error.is_none());

    // A poll failure backs off instead of hammering.
    let mut state = with_assets(SIZE, 3);
    run_ticks(&mut state, POLL_MIN_TICKS + 1);
    update(
        &mut state,
        Action::Polled {
            group_id: group(1, "").id,
            result: Err(err),
        },
    );
    assert_eq!(state.poll.interval, 2 * POLL_MIN_TICKS);
    assert!(toast_text(&state).starts_with("status poll"));
}

#[test]
fn toasts_and_flashes_expire() {
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('y'));
    assert!(state.toast.is_some());
    run_ticks(&mut state, 30);
    assert!(state.toast.is_none());
}

#[test]
fn the_first_group_opens_when_groups_first_load() {
    let mut state = AppState::new(header(), SIZE);
    let effects = update(
        &mut state,
        Action::GroupsLoaded(Ok(Listing::complete(vec![group(1, "a"), group(2, "b")]))),
    );
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            pages: 1,
            order: NEWEST_FIRST,
        }]
    );
    assert_eq!(
        (state.focus, state.open_group.as_deref()),
        (Focus::Groups, Some(group(1, "").id.as_str()))
    );
    // A later reload leaves the open group alone.
    assert!(
        update(
            &mut state,
            Action::GroupsLoaded(Ok(Listing::complete(vec![group(2, "b"), group(1, "a")])))
        )
        .is_empty()
    );
    assert_eq!(state.open_group.as_deref(), Some(group(1, "").id.as_str()));
}

#[test]
fn the_global_dialect_explains_that_groups_are_local_labels() {
    let mut state = with_groups(SIZE);
    state.header.dialect = ark_assets::api::Dialect::Global;
    update(&mut state, ch('n'));
    assert!(matches!(state.mode, Mode::Browse));
    assert!(toast_text(&state).contains("no groups"));
    update(&mut state, ch('l'));
    update(&mut state, ch('n'));
    assert!(matches!(dialog(&state).form, Form::CreateAsset(_)));
}

#[test]
fn a_local_path_in_the_create_dialog_uploads_the_file() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('n'));
    typed(&mut state, "/nonexistent/hero.png");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let error = dialog(&state).form.fields()[0].error.clone().unwrap();
    assert!(error.contains("is not a file here"), "{error}");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png");
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, sample);
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::CreateFromFile {
            group_id: group(1, "").id,
            path: sample.into(),
            name: String::new(),
        }]
    );
    update(
        &mut state,
        Action::Uploading {
            sent: 2_500_000,
            total: 5_000_000,
        },
    );
    assert_eq!(
        dialog(&state).note.as_deref(),
        Some("uploading 50% (2.5 of 5.0 MB)")
    );
}

#[test]
fn verifying_a_real_person_asks_for_the_result_once_and_offers_a_new_session() {
    use ark_assets::api::model::VisualValidateSession;
    let mut state = with_groups(SIZE);
    assert_eq!(update(&mut state, ch('V')), vec![Effect::StartVerification]);
    update(
        &mut state,
        Action::VerificationStarted(Ok(VisualValidateSession {
            byted_token: "tok-1".into(),
            h5_link: "http://127.0.0.1:8383/h5/verify?token=tok-1&lng=zh".into(),
            callback_url: String::new(),
        })),
    );
    assert!(matches!(
        state.mode,
        Mode::Verify(Verification::Showing { .. })
    ));
    let copied = update(&mut state, ch('y'));
    assert!(matches!(&copied[0], Effect::Copy(l) if l.contains("tok-1")));
    assert_eq!(
        update(&mut state, key(KeyCode::Enter)),
        vec![Effect::FinishVerification("tok-1".into())]
    );
    assert!(
        update(&mut state, key(KeyCode::Enter)).is_empty(),
        "asked once"
    );
    let failed = ApiError {
        code: "OperationDenied.VerificationFailed".into(),
        ..ApiError::local(
            ark_assets::api::model::Action::GetVisualValidateResult,
            ErrorKind::Service,
            "x",
            "the liveness check did not pass",
        )
    };
    update(&mut state, Action::Verified(Err(failed)));
    let Mode::Verify(Verification::Failed(why)) = &state.mode else {
        panic!("{:?}", state.mode)
    };
    assert!(why.contains("token is spent"), "{why}");
    assert_eq!(
        update(&mut state, key(KeyCode::Enter)),
        vec![Effect::StartVerification]
    );
    update(
        &mut state,
        Action::VerificationStarted(Ok(VisualValidateSession {
            byted_token: "tok-2".into(),
            h5_link: "http://127.0.0.1:8383/h5/verify?token=tok-2".into(),
            callback_url: String::new(),
        })),
    );
    // The advised two minutes pass: the link may still work, so Enter still asks, once.
    for _ in 0..(121 * TICKS_PER_SECOND) {
        update(&mut state, Action::Tick);
    }
    assert!(matches!(
        state.mode,
        Mode::Verify(Verification::Showing { .. })
    ));
    assert_eq!(
        update(&mut state, key(KeyCode::Enter)),
        vec![Effect::FinishVerification("tok-2".into())]
    );
    assert!(matches!(state.mode, Mode::Verify(Verification::Checking)));
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    update(&mut state, ch('V'));
    let effects = update(&mut state, Action::Verified(Ok("group-person".into())));
    assert_eq!(effects, vec![Effect::LoadGroups]);
    assert!(toast_text(&state).contains("group-person"));
    assert_eq!(state.select_after_load.as_deref(), Some("group-person"));
}

#[test]
fn marks_drive_bulk_copy_and_delete() {
    let mut state = with_assets(SIZE, 10);
    for _ in 0..3 {
        update(&mut state, ch(' '));
    }
    assert_eq!(state.marks.len(), 3);
    assert_eq!(state.assets.selected, 3, "marking moves on");
    let Effect::Copy(lines) = &update(&mut state, ch('y'))[0] else {
        panic!()
    };
    assert_eq!(lines.lines().count(), 3);
    assert!(lines.lines().all(|l| l.starts_with("Asset://asset-")));
    let Effect::Copy(array) = &update(&mut state, ch('Y'))[0] else {
        panic!()
    };
    let items: serde_json::Value = serde_json::from_str(array).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 3);
    assert_eq!(items[0]["role"], "reference_image");
    assert!(toast_text(&state).contains("content array of 3 items"));

    update(&mut state, ch('d'));
    let Mode::Confirm(question) = &state.mode else {
        panic!("{:?}", state.mode)
    };
    assert_eq!(question.name, "3 marked assets");
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects.len(), 3);
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::Delete(Target::Asset(_))))
    );
    assert!(state.marks.is_empty());

    // * marks what is shown (filters respected); Esc clears marks before the filter.
    update(&mut state, ch('s'));
    update(&mut state, ch('*'));
    let active = state
        .assets
        .items()
        .iter()
        .filter(|a| a.status == Status::Active)
        .count();
    assert_eq!(state.marks.len(), active);
    update(&mut state, key(KeyCode::Esc));
    assert!(state.marks.is_empty());
}

#[test]
fn g_reaches_the_true_last_row_across_pages() {
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    let page = |n: usize| -> Vec<Asset> {
        (n * 100..(n * 100 + 100).min(250))
            .map(|i| asset(i, &format!("a{i}"), Status::Active))
            .collect()
    };
    deliver(&mut state, page(0), 250, Some(2));
    let load = |p| Effect::LoadAssets {
        group_id: group(1, "").id,
        from: Cursor::Page(p),
        pages: 1,
        order: NEWEST_FIRST,
    };
    assert_eq!(update(&mut state, ch('G')), vec![load(2)]);
    let more = |state: &mut AppState, first, items, next: Option<u32>| {
        update(
            state,
            Action::AssetsLoaded {
                group_id: group(1, "").id,
                from: Cursor::Page(first),
                order: NEWEST_FIRST,
                result: Ok(Listing {
                    items,
                    total: Some(250),
                    next: next.map(Cursor::Page),
                    stopped: None,
                    left_out: 0,
                }),
            },
        )
    };
    assert_eq!(more(&mut state, 2, page(1), Some(3)), vec![load(3)]);
    assert!(more(&mut state, 3, page(2), None).is_empty());
    assert_eq!(state.assets.items().len(), 250);
    assert_eq!(&*state.assets.current().unwrap().name, "a249");
    update(&mut state, ch('g'));
    assert_eq!(&*state.assets.current().unwrap().name, "a0");
}

#[test]
fn selecting_a_video_or_audio_asset_reads_its_file_once() {
    let mut state = with_assets(SIZE, 3);
    let mut items = mixed_assets(3);
    for (a, kind) in items.iter_mut().zip(["Video", "Image", "Audio"]) {
        a.asset_type = kind.into();
        a.status = Status::Active;
        a.url = format!("https://cdn.example.com/{}.bin?X-Signature=s", a.id);
    }
    let (video, audio) = (items[0].id.clone(), items[2].clone());
    // Loading the page selects the video, whose URL came with it: its read starts; later
    // actions do not repeat it.
    deliver(&mut state, items, 3, None);
    assert_eq!(&*state.assets.current().unwrap().id, video);
    assert_eq!(state.probes.get(&video), Some(&Probe::Reading));
    assert!(update(&mut state, Action::Tick).is_empty());
    // The image is not read for the detail pane; the audio is, once GetAsset brings its URL
    // (rows keep none), asked for when the selection rests.
    let image = update(&mut state, ch('j'));
    assert!(!image.iter().any(|e| matches!(e, Effect::Probe { .. })));
    assert!(update(&mut state, ch('j')).is_empty());
    let fetch = update(&mut state, Action::Tick);
    assert_eq!(
        fetch,
        vec![Effect::FetchUrl {
            id: audio.id.clone()
        }]
    );
    let next = update(
        &mut state,
        Action::UrlFetched {
            id: audio.id.clone(),
            result: Ok(audio.clone()),
        },
    );
    assert_eq!(
        next,
        vec![Effect::Probe {
            id: audio.id.clone(),
            url: audio.url.clone()
        }]
    );
    let fields = vec![("Duration", "3.00 s".to_owned())];
    update(
        &mut state,
        Action::Probed {
            id: video.clone(),
            result: Ok(fields.clone()),
        },
    );
    assert_eq!(state.probes.get(&video), Some(&Probe::Read(fields)));
}

#[test]
fn tab_completes_a_typed_path_and_moves_on_from_a_url() {
    // Tests run in the crate's folder: `./ass` completes to `./assets/`.
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('n'));
    typed(&mut state, "./ass");
    assert!(update(&mut state, key(KeyCode::Tab)).is_empty());
    assert_eq!(dialog(&state).form.fields()[0].value(), "./assets/");
    // Several choices and nothing to add: they are shown, the cursor stays.
    typed(&mut state, "edge-2");
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(dialog(&state).form.fields()[0].value(), "./assets/edge-2");
    assert_eq!(
        dialog(&state).note.as_deref(),
        Some("edge-2499x1000.png  edge-2500x1000.png  edge-299x400.png")
    );
    assert_eq!(dialog(&state).focus, 0);
    // One choice: completed; Tab again on the whole name moves to the next field.
    typed(&mut state, "99x");
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(
        dialog(&state).form.fields()[0].value(),
        "./assets/edge-299x400.png"
    );
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(dialog(&state).focus, 1);
    // A URL is not a path: Tab moves to the name.
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('n'));
    update(
        &mut state,
        Action::Paste("https://example.com/a.png".into()),
    );
    assert!(update(&mut state, key(KeyCode::Tab)).is_empty());
    assert_eq!(dialog(&state).focus, 1);
}

#[test]
fn a_folder_import_runs_in_the_background_and_reports_in_the_status_line() {
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('I'));
    assert_eq!(dialog(&state).form.title(), " Import a folder ");
    let folder = env!("CARGO_MANIFEST_DIR").to_owned() + "/assets/media";
    update(&mut state, Action::Paste(folder.clone()));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::ImportFolder {
            group_id: group(1, "").id,
            path: folder.into(),
        }]
    );
    assert!(matches!(state.mode, Mode::Browse), "the dialog closes");
    update(
        &mut state,
        Action::Importing {
            done: 3,
            total: 19,
            failed: 1,
        },
    );
    assert_eq!(
        toast_text(&state),
        "importing the folder: 3 of 19 files done, 1 refused or failed…"
    );
    let effects = update(
        &mut state,
        Action::Imported {
            group_id: group(1, "").id,
            result: Ok(import_report(
                12,
                1,
                (
                    "/clips/fps-23.mp4",
                    "Video \"23 fps\": frame rate must be 24–60 fps",
                ),
            )),
        },
    );
    assert!(
        toast_text(&state)
            .starts_with("folder imported: 12 created, 1 already there, 1 not: fps-23.mp4")
    );
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { .. }]),
        "{effects:?}"
    );
    // Not a folder: refused on the field.
    update(&mut state, ch('I'));
    update(&mut state, Action::Paste("/no/such/folder".into()));
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert!(
        dialog(&state).form.fields()[0]
            .error
            .as_deref()
            .unwrap()
            .contains("is not a folder")
    );
}

#[test]
fn o_cycles_the_sort_and_big_o_flips_it() {
    let mut state = with_assets(SIZE, 30);
    let names = |state: &AppState| -> Vec<String> {
        state
            .assets
            .visible
            .iter()
            .map(|&i| state.assets.items()[i].name.to_string())
            .collect()
    };
    assert_eq!(state.sort.label(), "created ↓");
    // Everything is loaded: the rows are sorted here, nothing is asked of the service.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "updated ↓");
    update(&mut state, ch('o'));
    assert_eq!(state.sort.label(), "name ↓");
    let shown = names(&state);
    let mut sorted = shown.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(shown, sorted);
    update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "name ↑");
    assert_eq!(names(&state).first(), sorted.last());
    update(&mut state, ch('o'));
    assert_eq!(state.sort.label(), "status ↑");
    let statuses: Vec<Status> = state
        .assets
        .visible
        .iter()
        .map(|&i| state.assets.items()[i].status)
        .collect();
    let first_active = statuses.iter().position(|s| *s == Status::Active).unwrap();
    assert!(
        statuses[..first_active]
            .iter()
            .all(|s| *s != Status::Active)
    );
    assert_eq!(statuses[0], Status::Failed, "problems first");

    // With pages not loaded yet, a new time order asks the service again from page 1.
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    deliver(&mut state, mixed_assets(100), 250, Some(2));
    let effects = update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "created ↑");
    assert!(matches!(
        &effects[..],
        [Effect::LoadAssets {
            order: (SortBy::CreateTime, SortOrder::Asc),
            ..
        }]
    ));
    // Sorting again before that answer: the new order is asked for, the old answer dropped.
    let effects = update(&mut state, ch('o'));
    let stale = state.assets.items().len();
    update(
        &mut state,
        Action::AssetsLoaded {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            order: (SortBy::CreateTime, SortOrder::Asc),
            result: Ok(Listing::complete(mixed_assets(3))),
        },
    );
    assert_eq!(
        state.assets.items().len(),
        stale,
        "the stale answer is dropped"
    );
    assert!(state.assets.loading);
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            pages: 1,
            order: (SortBy::UpdateTime, SortOrder::Asc),
        }]
    );
    deliver(&mut state, mixed_assets(100), 250, Some(2));
    assert!(!state.assets.loading);
    assert_eq!(state.assets.items().len(), 100);
}

#[test]
fn the_palette_opens_groups_selects_assets_and_runs_commands() {
    let mut state = with_assets(SIZE, 30);
    update(&mut state, ch(':'));
    assert!(matches!(state.mode, Mode::Palette(_)));
    typed(&mut state, "prodsh");
    let Mode::Palette(p) = &state.mode else {
        unreachable!()
    };
    assert_eq!(p.current().unwrap().label, "产品 Product shots");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(state.open_group.as_deref(), Some(group(3, "").id.as_str()));
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { group_id, .. }] if *group_id == group(3, "").id)
    );
    assert_eq!(state.focus, Focus::Assets);

    // Recent choices come first next time; an asset of the open group is a jump.
    update(
        &mut state,
        Action::AssetsLoaded {
            group_id: group(3, "").id,
            from: Cursor::FIRST,
            order: NEWEST_FIRST,
            result: Ok(Listing::complete(mixed_assets(30))),
        },
    );
    update(&mut state, ch(':'));
    let Mode::Palette(p) = &state.mode else {
        unreachable!()
    };
    assert_eq!(p.current().unwrap().label, "产品 Product shots");
    typed(&mut state, "extra-017");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(selected_asset(&state), "extra-017");

    // A command runs in its pane: "new group" opens the group form from the assets pane.
    update(&mut state, ch(':'));
    typed(&mut state, "new group");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(dialog(&state).form.title(), " New group ");
    assert_eq!(state.focus, Focus::Groups);

    // Esc closes; arrows move; nothing matching runs nothing.
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch(':'));
    update(&mut state, key(KeyCode::Down));
    let Mode::Palette(p) = &state.mode else {
        unreachable!()
    };
    assert_eq!(p.selected, 1);
    update(&mut state, key(KeyCode::Up));
    update(&mut state, key(KeyCode::Up));
    let Mode::Palette(p) = &state.mode else {
        unreachable!()
    };
    assert_eq!(p.selected, p.matches.len() - 1, "wraps around");
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    update(&mut state, ch(':'));
    typed(&mut state, "qqqqzzzz");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert!(matches!(state.mode, Mode::Palette(_)));
}

#[test]
fn in_demo_mode_the_new_asset_dialog_offers_the_sample() {
    let mut state = with_assets(SIZE, 3);
    state.sample_source = Some("http://127.0.0.1:8383/assets/portrait.png".into());
    update(&mut state, ch('n'));
    assert_eq!(
        dialog(&state).form.fields()[0].value(),
        "http://127.0.0.1:8383/assets/portrait.png"
    );
    // Without a sample (a real account) the field starts empty.
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('n'));
    assert_eq!(dialog(&state).form.fields()[0].value(), "");
}

#[test]
fn a_read_only_session_turns_every_mutating_command_off() {
    let mut state = with_assets(SIZE, 5);
    state.read_only = true;
    for c in ['n', 'r', 'd', 'I'] {
        assert!(update(&mut state, ch(c)).is_empty(), "{c}");
        assert!(matches!(state.mode, Mode::Browse), "{c} opened nothing");
        assert!(toast_text(&state).starts_with("read-only session"), "{c}");
    }
    update(&mut state, key(KeyCode::Left));
    update(&mut state, ch('V'));
    assert!(matches!(state.mode, Mode::Browse), "no liveness check");
    // Reading goes on: the palette opens, without the mutating commands.
    update(&mut state, ch(':'));
    typed(&mut state, "delete");
    let Mode::Palette(p) = &state.mode else {
        unreachable!()
    };
    assert!(
        p.matches
            .iter()
            .all(|&i| !p.entries[i].label.contains("delete group")),
        "hidden from the palette"
    );
}

#[test]
fn a_keys_table_remaps_commands_and_refuses_conflicts() {
    use std::collections::BTreeMap;
    let table = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    let keys = Keymap::default()
        .with_overrides(&table(&[("delete", &["D"]), ("down", &["j", "ctrl-n"])]))
        .unwrap();
    let mut state = with_assets(SIZE, 5);
    state.keys = keys;
    update(&mut state, ch('d'));
    assert!(matches!(state.mode, Mode::Browse), "d is free now");
    update(&mut state, ch('D'));
    assert!(matches!(state.mode, Mode::Confirm(_)), "D deletes");
    update(&mut state, key(KeyCode::Esc));
    let before = state.assets.selected;
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
    );
    assert_eq!(state.assets.selected, before + 1, "ctrl-n moves down");
    assert!(
        state.keys.hints(Scope::Assets).contains(&("D", "del")),
        "the footer shows the new key"
    );

    let err = |pairs: &[(&str, &[&str])]| {
        Keymap::default()
            .with_overrides(&table(pairs))
            .unwrap_err()
            .to_string()
    };
    let clash = err(&[("refresh", &["d"])]);
    assert!(
        clash.contains("\"d\" would be both")
            && clash.contains("delete")
            && clash.contains("refresh"),
        "{clash}"
    );
    let unknown = err(&[("explode", &["x"])]);
    assert!(
        unknown.starts_with("keys.explode: no such command"),
        "{unknown}"
    );
    assert!(
        unknown.contains("page_down") && unknown.contains("retry") && !unknown.contains("submit"),
        "the commands a table may bind, by their names: {unknown}"
    );
    assert!(
        err(&[("submit", &["x"])]).contains("no such command"),
        "a dialog's keys are not rebound"
    );
    assert!(err(&[("delete", &["ctrl-"])]).contains("not a key"));
    let long = "x".repeat(1 << 20);
    let refused = err(&[("delete", &[long.as_str()])]);
    assert!(refused.len() < 300, "cut, not echoed whole");
    assert!(err(&[(long.as_str(), &["x"])]).len() < 600);
    assert!(err(&[("delete", &[])]).contains("at least one key"));
    // A key given twice for one command is that key once.
    let twice = Keymap::default()
        .with_overrides(&table(&[("down", &["j", "j"])]))
        .unwrap();
    assert!(twice.help_rows(true).iter().any(|(label, _)| *label == "j"));
    // Swapping two keys is fine when both move.
    assert!(
        Keymap::default()
            .with_overrides(&table(&[("delete", &["r"]), ("rename", &["d"])]))
            .is_ok()
    );
}

#[test]
fn image_previews_start_when_the_selection_rests_and_are_kept() {
    use ark_assets::preview::{Picture, Preview, PreviewState};
    let mut state = with_assets((160, 48), 10);
    state.preview_on = true;
    // Selecting marks the image; the next tick, still on it, starts its preview.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let current = state.assets.current().unwrap().id.to_string();
    let effects: Vec<Effect> = update(&mut state, Action::Tick)
        .into_iter()
        .filter(|e| !matches!(e, Effect::Poll { .. }))
        .collect();
    // Rows keep no URL: the rested selection asks GetAsset for it, then previews at once.
    assert_eq!(
        effects,
        vec![Effect::FetchUrl {
            id: current.clone()
        }]
    );
    let (cols, rows) = ark_assets::app::layout::preview_cells((160, 48)).unwrap();
    assert_eq!(
        update(&mut state, url_answer(&current)),
        vec![Effect::Preview {
            id: current.clone(),
            url: asset_of(&current).url,
            cols,
            rows,
        }]
    );
    // Moving on before a tick starts nothing for the rows passed over.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let passed = state.assets.items()[3].id.to_string();
    assert!(state.previews.get(&passed).is_none());
    let preview = Preview {
        width: 2,
        height: 1,
        picture: Picture::Cells(vec![([255, 0, 0], [0, 0, 255]); 2]),
    };
    update(
        &mut state,
        Action::Previewed {
            id: current.clone(),
            result: Ok(preview.clone()),
        },
    );
    assert_eq!(
        state.previews.get(&current),
        Some(&PreviewState::Ready(preview))
    );
    // Off: nothing is fetched; narrow terminals have no room for it either.
    let previews = |state: &mut AppState| {
        update(state, ch('j'));
        update(state, ch('j'));
        let mut effects = update(state, Action::Tick);
        let id = state.assets.current().unwrap().id.to_string();
        effects.extend(update(state, url_answer(&id)));
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Preview { .. }))
            .count()
    };
    let mut on = with_assets((160, 48), 10);
    on.preview_on = true;
    assert_eq!(previews(&mut on), 1);
    assert_eq!(previews(&mut with_assets((160, 48), 10)), 0);
    let mut narrow = with_assets((80, 24), 10);
    narrow.preview_on = true;
    assert_eq!(previews(&mut narrow), 0);
}

#[test]
fn the_mouse_scrolls_selects_and_opens() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Action::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut state = with_assets((160, 48), 40);
    let at = ark_assets::app::layout::areas(ratatui::layout::Rect::new(0, 0, 160, 48));
    // The wheel over the assets pane moves three rows.
    update(
        &mut state,
        mouse(MouseEventKind::ScrollDown, at.assets.x + 5, at.assets.y + 5),
    );
    assert_eq!(state.assets.selected, 3);
    // A click on the groups pane's third row selects it and gives the pane the keyboard.
    let third = at.groups.y + 2 + 2;
    update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            at.groups.x + 3,
            third,
        ),
    );
    assert_eq!(state.focus, Focus::Groups);
    assert_eq!(state.groups.selected, 2);
    // A second click on it opens the group.
    let effects = update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            at.groups.x + 3,
            third,
        ),
    );
    assert_eq!(state.open_group.as_deref(), Some(group(3, "").id.as_str()));
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { .. }]),
        "{effects:?}"
    );
    // Clicks on borders, headers or past the last row do nothing.
    let before = state.groups.selected;
    for row in [1, 30] {
        let click = mouse(
            MouseEventKind::Down(MouseButton::Left),
            at.groups.x + 3,
            at.groups.y + row,
        );
        update(&mut state, click);
    }
    assert_eq!(state.groups.selected, before);
}

#[test]
fn a_session_is_remembered_and_restored() {
    use ark_assets::app::remembered::{self, Remembered};
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('o'));
    update(&mut state, ch('o'));
    update(&mut state, ch('O'));
    update(&mut state, ch('s'));
    update(&mut state, ch('s'));
    update(&mut state, ch('h'));
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter));
    state.header.project = "trailer".into();
    let kept = Remembered::of(&state);
    assert_eq!(kept.group.as_deref(), Some(group(2, "").id.as_str()));

    // Through the file (0600), and back into a fresh session.
    let path =
        std::env::temp_dir().join(format!("ark-remembered-{}/state.json", std::process::id()));
    remembered::save_to(&path, &kept).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let back = remembered::load_from(&path).unwrap();
    assert_eq!(back, kept);
    let mut fresh = AppState::new(header(), SIZE);
    let effects = back.apply(&mut fresh);
    assert_eq!(effects, vec![Effect::SwitchProject("trailer".into())]);
    assert_eq!(fresh.sort, state.sort);
    assert_eq!(fresh.status_filter, state.status_filter);
    update(
        &mut fresh,
        Action::GroupsLoaded(Ok(Listing::complete(vec![group(1, "a"), group(2, "b")]))),
    );
    assert_eq!(fresh.open_group.as_deref(), Some(group(2, "").id.as_str()));

    // A damaged file, a huge one and a FIFO are a fresh start, and say so.
    std::fs::write(&path, b"{not json").unwrap();
    assert!(
        remembered::load_from(&path)
            .unwrap_err()
            .to_string()
            .contains("not a state")
    );
    let huge = format!("{{\"projects\": [{}\"p\"]}}", "\"p\",".repeat(100_000));
    std::fs::write(&path, huge).unwrap();
    let err = remembered::load_from(&path).unwrap_err().to_string();
    assert!(err.contains("at most 65536 are read"), "{err}");
    std::fs::remove_file(&path).unwrap();
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let err = remembered::load_from(&path).unwrap_err().to_string();
    assert!(err.contains("FIFO"), "{err}");
    // Values another version wrote are forgotten, one by one, not the whole state.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(
        &path,
        r#"{"sort":"colour","status":"Frozen","group":"g-1"}"#,
    )
    .unwrap();
    let other = remembered::load_from(&path).unwrap();
    assert_eq!((other.sort, other.group.as_deref()), (None, Some("g-1")));
    let mut fresh = AppState::new(header(), SIZE);
    other.apply(&mut fresh);
    assert_eq!(fresh.status_filter, StatusFilter::All);
    // Long lists and values are cut to what a session can leave.
    std::fs::remove_file(&path).unwrap();
    let many = serde_json::json!({
        "projects": (0..50).map(|i| format!("p{i}")).collect::<Vec<_>>(),
        "group": "g".repeat(1000),
    });
    std::fs::write(&path, many.to_string()).unwrap();
    let cut = remembered::load_from(&path).unwrap();
    assert_eq!(cut.projects.len(), MAX_PROJECTS);
    assert_eq!(cut.group, None);
    assert_eq!(
        remembered::load_from(&path.with_extension("absent")).unwrap(),
        Remembered::default()
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn the_readme_key_tables_are_the_key_table() {
    const START: &str = "<!-- keys: generated from the key table (src/app/keymap.rs); \
                         `UPDATE_README=1 cargo test --test it readme` rewrites it -->\n";
    const END: &str = "<!-- keys end -->";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let from = readme.find(START).expect("README marks its key tables") + START.len();
    let to = from
        + readme[from..]
            .find(END)
            .expect("README ends its key tables");
    let tables = Keymap::default().markdown();
    if readme[from..to] == tables {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{tables}{}", &readme[..from], &readme[to..]);
        std::fs::write(path, updated).unwrap();
    } else {
        panic!(
            "README's key tables are not the key table's: UPDATE_README=1 cargo test --test \
             it readme\n{tables}"
        );
    }
}

#[test]
fn a_large_pane_is_sorted_on_a_worker_one_sort_at_a_time() {
    use ark_assets::app::sort::SORT_AT_ONCE_ROWS;
    let mut state = with_assets(SIZE, SORT_AT_ONCE_ROWS + 500);
    state.assets.move_by(7, state.list_rows);
    let chosen = state.assets.current_id();
    let sort_effect = |effects: &[Effect]| match effects {
        [Effect::Sort { epoch, job }] => (*epoch, job.clone()),
        other => panic!("one sort on a worker, not {other:?}"),
    };
    // `o`: the update times are in one run (as loaded): sorted at once.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "updated ↓");
    assert!(!state.sorting.pending());
    let before = state.assets.visible.clone();
    let updated = |i: &usize| state.assets.items()[*i].updated;
    assert!(before.windows(2).all(|w| updated(&w[0]) >= updated(&w[1])));
    // `o`: the names go to a worker; the rows stay as they are meanwhile.
    let (epoch, by_name) = sort_effect(&update(&mut state, ch('o')));
    assert!(state.sorting.pending());
    assert_eq!(state.assets.visible, before);
    // `o` again while it runs starts nothing more: the newer sort is due when it is back,
    // and sorting statuses is cheap: done at once then.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "status ↓");
    assert!(
        update(
            &mut state,
            Action::Sorted {
                epoch,
                order: by_name.run(),
            },
        )
        .is_empty()
    );
    assert!(!state.sorting.pending());
    // Round to the names again (created and updated at once on the way).
    let mut effects = Vec::new();
    while state.sort.label() != "name ↓" {
        effects = update(&mut state, ch('o'));
    }
    let (epoch, by_name) = sort_effect(&effects);
    // A row deleted while the name sort runs: its answer names rows that moved, so it is
    // dropped and the rows are sorted again.
    let gone = state.assets.items()[0].id.to_string();
    update(
        &mut state,
        Action::Deleted {
            target: Target::Asset(gone.clone()),
            result: Ok(()),
        },
    );
    let stale = by_name.run();
    let (fresh_epoch, by_name) = sort_effect(&update(
        &mut state,
        Action::Sorted {
            epoch,
            order: stale,
        },
    ));
    assert_ne!(fresh_epoch, epoch);
    assert!(
        update(
            &mut state,
            Action::Sorted {
                epoch: fresh_epoch,
                order: by_name.run(),
            },
        )
        .is_empty()
    );
    assert!(!state.sorting.pending());
    let shown: Vec<String> = state
        .assets
        .visible
        .iter()
        .map(|&i| state.assets.items()[i].name.to_lowercase())
        .collect();
    assert_eq!(shown.len(), SORT_AT_ONCE_ROWS + 499);
    assert!(shown.windows(2).all(|w| w[0] >= w[1]), "names, Z to A");
    assert!(!state.assets.shows(&gone));
    assert_eq!(
        state.assets.current_id(),
        chosen,
        "the selection stays on its asset"
    );
}

#[test]
fn the_palette_switches_profiles_and_projects() {
    use ark_assets::app::action::SwitchedProfile;
    use ark_assets::app::remembered::Remembered;
    let mut state = with_assets(SIZE, 30);
    state.profiles = vec!["demo".into(), "review".into()];
    let entries = |state: &mut AppState, hint: &str| -> Vec<String> {
        update(state, ch(':'));
        let Mode::Palette(p) = &state.mode else {
            panic!("the palette is open")
        };
        let labels = p
            .entries
            .iter()
            .filter(|e| e.hint == hint)
            .map(|e| e.label.clone())
            .collect();
        update(state, key(KeyCode::Esc));
        labels
    };
    assert_eq!(
        entries(&mut state, "profile"),
        ["review"],
        "not the one in use"
    );
    assert!(
        entries(&mut state, "project").is_empty(),
        "default is in use"
    );

    // Choosing a profile keeps this one's state and opens the other on a worker.
    update(&mut state, ch(':'));
    typed(&mut state, "review");
    let effects = update(&mut state, key(KeyCode::Enter));
    let [Effect::SwitchProfile { to, leaving }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(to, "review");
    let (left, kept) = leaving.as_ref().expect("the profile left keeps its state");
    assert_eq!(left, "demo");
    assert_eq!(kept.group.as_deref(), Some(&*group(1, "").id));
    assert!(state.open_group.is_none() && state.groups.loading);

    // It cannot be opened: the session stays, and the same group opens again.
    let effects = update(
        &mut state,
        Action::ProfileSwitched(Err(SwitchError::Open(std::sync::Arc::new(
            ark_assets::open::OpenError::Config(ark_assets::config::ConfigError::UnknownProfile {
                name: "review".into(),
                known: "profiles in the config file: demo".into(),
            }),
        )))),
    );
    assert_eq!(effects, vec![Effect::LoadGroups]);
    assert!(toast_text(&state).starts_with("profile not switched: unknown profile"));
    assert_eq!(state.select_after_load.as_deref(), Some(&*group(1, "").id));
    assert_eq!(state.header.profile, "demo");

    // It opens: its own endpoint, read-only setting, and what its last session left.
    update(&mut state, ch(':'));
    typed(&mut state, "review");
    update(&mut state, key(KeyCode::Enter));
    let remembered = Remembered {
        project: Some("p9".into()),
        group: Some(group(3, "").id),
        sort: Some(ark_assets::app::sort::SortKey::Name),
        ascending: true,
        status: None,
        projects: vec!["p9".into(), "p7".into(), "bell\u{7}".into()],
    };
    let effects = update(
        &mut state,
        Action::ProfileSwitched(Ok(SwitchedProfile {
            header: Header {
                profile: "review".into(),
                endpoint: "https://review.example".into(),
                project: "default".into(),
                ..header()
            },
            read_only: true,
            remembered,
            problems: Vec::new(),
        })),
    );
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("p9".into()), Effect::LoadGroups]
    );
    assert!(state.read_only);
    assert_eq!(state.header.project, "p9");
    assert_eq!(state.sort.label(), "name ↑");
    assert_eq!(state.select_after_load.as_deref(), Some(&*group(3, "").id));
    assert!(toast_text(&state).contains("profile review: https://review.example, read-only"));
    assert_eq!(entries(&mut state, "profile"), ["demo"]);
    assert_eq!(
        entries(&mut state, "project"),
        ["default", "p7"],
        "the projects used there, a name the API refuses left out"
    );

    // A project from the palette: requests are scoped to it and the groups load again.
    update(&mut state, ch(':'));
    typed(&mut state, "p7");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("p7".into()), Effect::LoadGroups]
    );
    assert_eq!(state.projects.first().map(String::as_str), Some("p7"));
}

#[test]
fn t_creates_marked_failed_assets_again_and_offers_to_delete_them() {
    let mut state = with_assets(SIZE, 30);
    assert_ne!(state.assets.current().unwrap().status, Status::Failed);
    assert!(update(&mut state, ch('t')).is_empty());
    assert!(toast_text(&state).starts_with("nothing to retry"));
    // Every row marked: only the Failed ones are created again.
    update(&mut state, ch('*'));
    let effects = update(&mut state, ch('t'));
    let [Effect::Retry { group_id, ids }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let failed: Vec<String> = state
        .assets
        .items()
        .iter()
        .filter(|a| a.status == Status::Failed)
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!((ids, failed.len()), (&failed, 4));
    let retried = failed
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let result = if i < 3 {
                Ok(format!("asset-new-{i}"))
            } else {
                Err(RetryError::NoRecord(id.clone()))
            };
            (id.clone(), result)
        })
        .collect();
    let effects = update(
        &mut state,
        Action::Retried {
            group_id: group_id.clone(),
            retried,
        },
    );
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { .. }]),
        "{effects:?}"
    );
    assert_eq!(
        toast_text(&state),
        format!(
            "3 created again, 1 not ({} was not created through this profile (its ledger has \
             no record): create it again from its source)",
            failed[3]
        )
    );
    // The three stay marked, and deleting them is asked at once.
    let marked: Vec<&String> = state.marks.iter().collect();
    let mut first_three: Vec<&String> = failed[..3].iter().collect();
    first_three.sort();
    assert_eq!(marked, first_three);
    let Mode::Confirm(question) = &state.mode else {
        panic!("a question, not {:?}", state.mode)
    };
    assert_eq!(question.name, "3 failed assets just created again");
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects.len(), 3, "{effects:?}");
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::Delete(Target::Asset(id)) if failed[..3].contains(id)))
    );

    // Read-only: nothing is created.
    let mut state = with_assets(SIZE, 30);
    state.read_only = true;
    update(&mut state, ch('*'));
    assert!(update(&mut state, ch('t')).is_empty());
    assert!(toast_text(&state).contains("read-only"));
}

#[test]
fn a_slow_call_is_said_in_the_status_line() {
    let mut state = with_assets(SIZE, 3);
    let note = "waiting for ark.example: ListAssets has had no answer for 5 s (attempt 1)";
    assert!(update(&mut state, Action::Notice(note.into())).is_empty());
    assert_eq!(toast_text(&state), note);
}

#[test]
fn deleting_a_group_names_the_assets_that_go_with_it() {
    let mut state = with_assets(SIZE, 240);
    update(&mut state, ch('h'));
    let open = state.groups.current().unwrap().id.clone();
    // The open group is loaded whole: counted from the pane, nothing to ask the service.
    assert!(update(&mut state, ch('d')).is_empty());
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert!(
        question.question().0.ends_with("and its 240 assets?"),
        "{question:?}"
    );
    update(&mut state, key(KeyCode::Esc));

    // Another group is counted first, and the question cannot be answered until it is.
    update(&mut state, ch('j'));
    let other = state.groups.current().unwrap().id.clone();
    assert_ne!(other, open);
    let effects = update(&mut state, ch('d'));
    assert_eq!(
        effects,
        vec![Effect::CountAssets {
            group_id: other.clone()
        }]
    );
    assert!(update(&mut state, ch('y')).is_empty(), "not while counting");
    assert!(matches!(state.mode, Mode::Confirm(_)));
    // A count for a group not asked about changes nothing.
    update(
        &mut state,
        Action::AssetsCounted {
            group_id: open.clone(),
            result: Ok((1, true)),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert_eq!(question.holds, Some(Holds::Counting));
    update(
        &mut state,
        Action::AssetsCounted {
            group_id: other.clone(),
            result: Ok((300, false)),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert!(
        question.question().0.ends_with("and its 300+ assets?"),
        "{question:?}"
    );
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects, vec![Effect::Delete(Target::Group(other.clone()))]);

    // A count that fails still lets the user decide, saying what is unknown.
    update(&mut state, ch('d'));
    update(
        &mut state,
        Action::AssetsCounted {
            group_id: other.clone(),
            result: Err(ListError::Api(ApiError {
                action: ark_assets::api::model::Action::ListAssets,
                kind: ErrorKind::Service,
                http_status: Some(500),
                code: "InternalError".into(),
                message: "HTTP 500".into(),
                request_id: None,
                retry_after: None,
            })),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    let (asked, why) = question.question();
    assert!(
        asked.ends_with("and all its assets?") && why.contains("HTTP 500"),
        "{asked} {why}"
    );
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::Delete(Target::Group(other))]
    );
}

/// A new asset `id`, made now, with `warnings`.
fn added(id: &str, warnings: Vec<String>) -> Added {
    Added {
        id: id.to_owned(),
        source: "https://example.com/new.png".to_owned(),
        kind: ark_assets::media::MediaKind::Image,
        sha256: None,
        bytes: None,
        existing: false,
        warnings,
    }
}

/// An import's report: `created` assets made, `already` there, and one file refused.
fn import_report(created: usize, already: usize, (file, why): (&str, &str)) -> Report {
    let done = |i: usize| Done {
        source: format!("/clips/{i}.mp4"),
        line: 0,
        origin: format!("/clips/{i}.mp4"),
        id: format!("asset-{i}"),
        name: i.to_string(),
        sha256: None,
        bytes: None,
        asset_type: "Video",
        warnings: Vec::new(),
    };
    Report {
        created: (0..created).map(done).collect(),
        already: (created..created + already).map(done).collect(),
        invalid: vec![Refused {
            origin: file.to_owned(),
            line: 0,
            error: why.to_owned(),
        }],
        ..Report::default()
    }
}
