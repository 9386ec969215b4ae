//! Daily work in the TUI: a group kept in step with a folder (its plan shown, then applied),
//! names edited in the editor, and Ctrl-Z.

use super::*;
use ark_assets::catalog::rename::{NameChange, Named};
use ark_assets::catalog::sync::{Plan, Step, SyncReport};

/// A plan for group 1: one file to create, one rename, one asset no file matches.
fn plan() -> Plan {
    Plan {
        group: group(1, "").id,
        steps: vec![
            Step::Create {
                file: "/refs/new.png".into(),
                name: "new".into(),
            },
            Step::Rename {
                file: "/refs/lead.png".into(),
                change: NameChange {
                    id: "asset-1".into(),
                    from: "hero".into(),
                    to: "lead".into(),
                },
            },
            Step::Extra {
                id: "asset-2".into(),
                name: "gone".into(),
                delete: false,
            },
        ],
        ..Plan::default()
    }
}

#[test]
fn a_sync_shows_its_plan_and_applies_it_with_or_without_deletes() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('S'));
    assert!(matches!(&state.mode, Mode::Form(d) if d.form.title() == " Sync with a folder "));
    let folder = std::env::temp_dir();
    typed(&mut state, folder.to_str().unwrap());
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::PlanSync {
            group_id: group(1, "").id,
            folder: folder.clone()
        }]
    );
    update(
        &mut state,
        Msg::SyncPlanned {
            folder: folder.clone(),
            result: Ok(plan()),
        },
    );
    let Mode::Sync(view) = &state.mode else {
        panic!("the plan is shown: {:?}", state.mode)
    };
    assert!(!view.delete, "assets no file matches are kept unless asked");
    // `d` deletes them too; Enter applies.
    update(&mut state, ch('d'));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::ApplySync(Box::new(plan().deleting(true)))]
    );
    assert!(matches!(state.mode, Mode::Browse));
    let effects = update(
        &mut state,
        Msg::Synced {
            group_id: group(1, "").id,
            result: Ok(SyncReport {
                unchanged: 4,
                ..SyncReport::default()
            }),
        },
    );
    assert!(
        toast_text(&state).starts_with("synced: 0 created"),
        "{}",
        toast_text(&state)
    );
    assert_eq!(effects, vec![first_page(1)]);

    // A plan for a dialog closed meanwhile is dropped.
    update(
        &mut state,
        Msg::SyncPlanned {
            folder,
            result: Ok(plan()),
        },
    );
    assert!(matches!(state.mode, Mode::Browse));
}

#[test]
fn the_plan_overlay_at_80x24() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('S'));
    typed(&mut state, std::env::temp_dir().to_str().unwrap());
    update(&mut state, key(KeyCode::Enter));
    update(
        &mut state,
        Msg::SyncPlanned {
            folder: "/home/me/refs".into(),
            result: Ok(plan()),
        },
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| ark_assets::ui::render(&state, &ark_assets::ui::Theme::default(), f))
        .unwrap();
    let shown = terminal.backend().to_string();
    assert!(
        shown.contains("1 to create, 1 to rename, 0 to delete"),
        "{shown}"
    );
    assert!(shown.contains("extra     asset-2"), "{shown}");
    insta::assert_snapshot!("sync_plan_80x24", shown);
}

#[test]
fn names_are_edited_for_the_marked_assets_in_the_order_shown() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('j'));
    update(&mut state, ch(' '));
    update(&mut state, ch(' '));
    let shown: Vec<Named> = state.assets.visible[1..3]
        .iter()
        .map(|&i| {
            let a = &state.assets.items()[i];
            Named {
                id: a.id.to_string(),
                name: a.name.to_string(),
            }
        })
        .collect();
    assert_eq!(
        update(&mut state, ch('e')),
        vec![Effect::EditNames(shown.clone())]
    );
    let change = NameChange {
        id: shown[0].id.clone(),
        from: shown[0].name.clone(),
        to: "renamed in the editor".into(),
    };
    let effects = update(&mut state, Msg::NamesEdited(Ok(vec![change.clone()])));
    assert_eq!(effects, vec![Effect::RenameMany(vec![change.clone()])]);
    update(&mut state, Msg::Renamed(vec![(change.clone(), Ok(()))]));
    let at = state.assets.position(&change.id).unwrap();
    assert_eq!(&*state.assets.items()[at].name, "renamed in the editor");
    assert_eq!(toast_text(&state), "1 asset renamed");
    // Nothing marked: the assets shown.
    update(&mut state, key(KeyCode::Esc));
    let Effect::EditNames(all) = &update(&mut state, ch('e'))[0] else {
        panic!("an edit")
    };
    assert_eq!(all.len(), state.assets.visible.len());
}

#[test]
fn ctrl_z_asks_the_terminal_owner_to_suspend_from_anywhere() {
    let mut state = with_assets(SIZE, 5);
    let ctrl_z = Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut state, ctrl_z.clone()), vec![Effect::Suspend]);
    update(&mut state, ch('?'));
    assert_eq!(update(&mut state, ctrl_z), vec![Effect::Suspend]);
    assert!(matches!(state.mode, Mode::Help), "the overlay stays");
}

#[test]
fn every_message_is_kept_in_the_log_whole_and_progress_is_not() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, tick());
    update(
        &mut state,
        Msg::Importing {
            done: 1,
            total: 3,
            failed: 0,
        },
    );
    assert!(state.messages.is_empty(), "progress is not kept");
    let long = format!(
        "DeleteAssetGroup failed: InvalidParameter (HTTP 400): {}",
        "x".repeat(300)
    );
    update(
        &mut state,
        Msg::Deleted {
            target: Target::Group(group(2, "").id),
            result: Err(ApiError {
                action: ark_assets::api::model::Action::DeleteAssetGroup,
                kind: ErrorKind::Service,
                http_status: Some(400),
                code: "InvalidParameter".into(),
                message: long.clone(),
                request_id: None,
                retry_after: None,
            }),
        },
    );
    update(
        &mut state,
        Msg::Imported {
            group_id: group(1, "").id,
            result: Ok(import_report(1, 0, ("/clips/fps-23.mp4", "Video: 23 fps"))),
        },
    );
    let texts: Vec<String> = state.messages.iter().map(|m| m.text.clone()).collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].contains(&long), "whole, not cut");
    assert_eq!(
        texts[1], "/clips/fps-23.mp4: Video: 23 fps",
        "each refused file"
    );
    assert!(texts[2].starts_with("folder imported: 1 created"));
    assert!(state.messages.iter().all(|m| m.at == time(60)));
    // `m` opens the log on the newest; `k` goes back; `y` copies one whole.
    update(&mut state, ch('m'));
    assert!(matches!(state.mode, Mode::Messages(2)));
    update(&mut state, ch('k'));
    update(&mut state, ch('k'));
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects, vec![Effect::Copy(texts[0].clone())]);
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    for i in 0..MAX_MESSAGES + 5 {
        update(&mut state, Msg::TaskFailed(format!("failure {i}")));
    }
    assert_eq!(state.messages.len(), MAX_MESSAGES, "the oldest go first");
    assert!(
        state
            .messages
            .get(0)
            .unwrap()
            .text
            .starts_with("failure 5;")
    );
}

#[test]
fn the_messages_log_at_80x24_and_40x12() {
    for size in [(80, 24), (40, 12)] {
        let mut state = with_assets(size, 5);
        update(&mut state, tick());
        for i in 0..12 {
            let text = format!(
                "message {i}: the service answered InvalidParameter (HTTP 400) for asset \
                 asset-20260602110000-a{i:04}, whose file is a video of 23 fps"
            );
            update(&mut state, Msg::TaskFailed(text));
        }
        update(&mut state, ch('m'));
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1)).unwrap();
        terminal
            .draw(|f| ark_assets::ui::render(&state, &ark_assets::ui::Theme::default(), f))
            .unwrap();
        let shown = terminal.backend().to_string();
        assert!(shown.contains("Messages (12)"), "{shown}");
        assert!(shown.contains("12:00:00 ✗ message 11"), "{shown}");
        insta::assert_snapshot!(format!("messages_{}x{}", size.0, size.1), shown);
    }
}
