//! Daily work in the TUI: a group kept in step with a folder (its plan shown, then applied),
//! names edited in the editor, and Ctrl-Z.

use super::*;
use ark_assets::catalog::rename::{NameChange, Named};
use ark_assets::catalog::sync::{Matched, Plan, Step, SyncReport};

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
                by: Matched::Content,
            },
            Step::Extra {
                id: "asset-2".into(),
                name: "gone".into(),
                delete: false,
            },
        ],
        listed: 2,
        contents: [("/refs/lead.png".into(), "a1b2".into())].into(),
        ..Plan::default()
    }
}

#[test]
fn a_sync_plan_that_would_empty_the_group_is_not_applied() {
    let mut state = with_assets(SIZE, 5);
    let only_extra = Plan {
        steps: vec![plan().steps.remove(2)],
        listed: 1,
        ..plan()
    };
    state.mode = Mode::Sync(Box::new(ark_assets::app::mode::SyncView {
        folder: "/refs".into(),
        plan: only_extra,
        delete: true,
        offset: 0,
        confirming: false,
    }));
    assert_eq!(update(&mut state, key(KeyCode::Enter)), vec![]);
    assert!(matches!(&state.mode, Mode::Sync(v) if !v.confirming));
    assert!(
        toast_text(&state).contains("every asset of the group"),
        "{}",
        toast_text(&state)
    );
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
    // `d` deletes them too; Enter asks once more, and only a yes applies the deletions.
    update(&mut state, ch('d'));
    assert_eq!(update(&mut state, key(KeyCode::Enter)), vec![]);
    assert!(matches!(&state.mode, Mode::Sync(v) if v.confirming));
    assert_eq!(update(&mut state, ch('n')), vec![]);
    assert!(matches!(&state.mode, Mode::Sync(v) if !v.confirming && v.delete));
    update(&mut state, key(KeyCode::Enter));
    let effects = update(&mut state, ch('y'));
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
        Msg::Progress {
            work: ark_assets::app::msg::Work::Import,
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
        Msg::GroupDeleted {
            id: group(2, "").id,
            result: Err(GroupNotDeleted {
                error: ApiError {
                    action: ark_assets::api::model::Action::DeleteAssetGroup,
                    kind: ErrorKind::Service,
                    http_status: Some(400),
                    code: "InvalidParameter".into(),
                    message: long.clone(),
                    request_id: None,
                    retry_after: None,
                },
                real_person: false,
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

#[test]
fn counts_move_many_rows_and_reach_a_row() {
    let mut state = with_assets(SIZE, 30);
    for c in "5j".chars() {
        update(&mut state, ch(c));
    }
    assert_eq!(state.assets.selected, 5);
    assert_eq!(state.count, None, "a count is for one movement");
    update(&mut state, ch('j'));
    assert_eq!(state.assets.selected, 6);
    for c in "12G".chars() {
        update(&mut state, ch(c));
    }
    assert_eq!(state.assets.selected, 11, "row 12, counted from 1");
    for c in "3k".chars() {
        update(&mut state, ch(c));
    }
    assert_eq!(state.assets.selected, 8);
    update(&mut state, key(KeyCode::Home));
    assert_eq!(
        state.assets.selected, 0,
        "Home: the first row (g makes a task here)"
    );
    // A lone 0 is not a count.
    update(&mut state, ch('0'));
    assert_eq!(state.count, None);
}

#[test]
fn v_marks_a_range_that_copies_in_the_order_shown() {
    let mut state = with_assets(SIZE, 10);
    update(&mut state, ch('j'));
    update(&mut state, ch('v'));
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let range: Vec<String> = state.assets.visible[1..4]
        .iter()
        .map(|&i| state.assets.items()[i].id.to_string())
        .collect();
    let marked: Vec<String> = state
        .marked_in_order()
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(marked, range);
    // Back up: the range shrinks with the selection.
    update(&mut state, ch('k'));
    assert_eq!(state.marks.len(), 2);
    update(&mut state, ch('v'));
    assert!(state.visual.is_none());
    update(&mut state, ch('j'));
    assert_eq!(state.marks.len(), 2, "the marks stay when v ends");
    let Effect::Copy(text) = &update(&mut state, ch('y'))[0] else {
        panic!("a copy")
    };
    let expected: Vec<String> = range[..2]
        .iter()
        .map(|id| format!("Asset://{id}"))
        .collect();
    assert_eq!(text, &expected.join("\n"), "in the order shown");
    // Sorted by name the other way, the copy follows the screen.
    update(&mut state, ch('o'));
    update(&mut state, ch('o'));
    update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "name ↑");
    update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "name ↓");
    let Effect::Copy(flipped) = &update(&mut state, ch('y'))[0] else {
        panic!("a copy")
    };
    let reversed: Vec<String> = expected.iter().rev().cloned().collect();
    assert_eq!(flipped, &reversed.join("\n"));
}

#[test]
fn b_goes_back_and_y_and_big_j_copy_ids_and_json() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('h'));
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::Copy(group(1, "").id)],
        "y on a group copies its id"
    );
    let Effect::Copy(json) = &update(&mut state, ch('J'))[0] else {
        panic!("a copy")
    };
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["Id"], group(1, "").id);
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.open_group.as_deref(), Some(group(2, "").id.as_str()));
    let effects = update(&mut state, ch('b'));
    assert_eq!(state.open_group.as_deref(), Some(group(1, "").id.as_str()));
    assert_eq!(effects, vec![first_page(1)]);
    deliver(&mut state, mixed_assets(5), 5, None);
    let Effect::Copy(json) = &update(&mut state, ch('J'))[0] else {
        panic!("a copy")
    };
    let asset: serde_json::Value = serde_json::from_str(json).unwrap();
    let current = state.assets.current().unwrap();
    assert_eq!(asset["Id"], &*current.id);
    assert_eq!(asset["GroupId"], group(1, "").id);
    assert_eq!(asset["Status"], current.status.name());
}

#[test]
fn x_opens_the_file_where_something_can_and_shows_the_link_where_nothing_can() {
    let mut state = with_assets(SIZE, 5);
    let url = "https://cdn.example.com/assets/0.png?X-Expires=20260602T230000Z&X-Signature=abc";
    // The URL came with the listing: no fetch.
    state.can_open = true;
    assert_eq!(update(&mut state, ch('x')), vec![Effect::Open(url.into())]);
    state.can_open = false;
    assert!(update(&mut state, ch('x')).is_empty());
    assert!(matches!(&state.mode, Mode::Shown(s) if s.text == url && s.copyable));
    update(&mut state, key(KeyCode::Esc));
    // Not known yet: fetched first; Esc stops waiting for it.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let id = state.assets.current().unwrap().id.to_string();
    let asked = update(&mut state, ch('u'));
    assert_eq!(asked, vec![Effect::FetchUrl { id: id.clone() }]);
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(toast_text(&state), "stopped waiting for the URL");
    let mut asset = asset(2, "extra-002", ark_assets::api::model::Status::Active);
    asset.id = id.clone();
    update(
        &mut state,
        Msg::UrlFetched {
            id,
            result: Ok(asset),
        },
    );
    assert!(
        matches!(state.mode, Mode::Browse),
        "nothing pops up after Esc"
    );
}
