//! Dialogs: creating, renaming and deleting, inline checks, local paths, folder imports, read-only sessions.

use super::*;

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
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "https://example.com/a.png");
    assert!(dialog(&state).form.fields()[0].error.is_none());
    update(&mut state, key(KeyCode::Tab));
    typed(&mut state, "new hero");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::AddAsset {
            group_id: group(1, "").id,
            source: Source::Url("https://example.com/a.png".into()),
            name: "new hero".into(),
            fit: None,
        }]
    );
    assert!(dialog(&state).busy);
    update(
        &mut state,
        Msg::AssetCreated {
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
    update(&mut state, Msg::Paste("https://example.com/new.png".into()));
    update(&mut state, key(KeyCode::Enter));
    let effects = update(
        &mut state,
        Msg::AssetCreated {
            group_id: group(1, "").id,
            result: Ok(added("asset-new", Vec::new())),
        },
    );
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(effects, vec![first_page(1)]);
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
        Msg::Paste("https://example.com/clip.mp4".into()),
    );
    update(&mut state, key(KeyCode::Enter));
    let warning = "video is 16.0 s; seedance-2.0 takes reference videos of 2–15 s".to_owned();
    update(
        &mut state,
        Msg::AssetCreated {
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
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
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
    let effects = update(
        &mut state,
        Msg::AssetRenamed {
            id: id.clone(),
            name: "renamed".into(),
            result: Ok(()),
        },
    );
    assert_eq!(selected_asset(&state), "renamed");
    // The record is read again: the row takes its times from the service's answer.
    assert_eq!(effects, vec![Effect::FetchUrl { id: id.clone() }]);
    let mut answer = asset_of(&id);
    answer.name = "renamed".into();
    answer.update_time = Some(time(9_000));
    update(
        &mut state,
        Msg::UrlFetched {
            id: id.clone(),
            result: Ok(answer),
        },
    );
    let row = state.assets.current().unwrap();
    assert_eq!(
        (&*row.name, row.updated.time()),
        ("renamed", Some(time(9_000)))
    );

    update(&mut state, ch('d'));
    assert!(update(&mut state, ch('n')).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    update(&mut state, ch('d'));
    let effects = update(&mut state, ch('y'));
    assert_eq!(effects, vec![Effect::DeleteAssets(vec![id.clone()])]);
    update(
        &mut state,
        Msg::AssetsDeleted(vec![(id.clone(), Deletion::Deleted)]),
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
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "https://example.com/a.png");
    update(&mut state, key(KeyCode::Enter));
    assert!(dialog(&state).busy);
    state.assets.loading = true;
    update(
        &mut state,
        Msg::TaskFailed("a background task failed".into()),
    );
    let d = dialog(&state);
    assert!(!d.busy, "the form can be sent again or closed");
    assert_eq!(
        d.error.as_deref(),
        Some("a background task failed; R reloads")
    );
    assert!(!state.assets.loading);
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, Msg::TaskFailed("again".into()));
    assert_eq!(state.toast.as_ref().unwrap().text, "again; R reloads");
}

#[test]
fn a_value_a_field_cannot_show_is_kept_unless_it_is_edited() {
    let mut state = fresh(SIZE);
    let mut multiline = group(1, "tab\there");
    multiline.description = "line one\nline two".into();
    update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![multiline]))),
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
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
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
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, sample);
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::AddAsset {
            group_id: group(1, "").id,
            source: Source::File(sample.into()),
            name: String::new(),
            fit: None,
        }]
    );
    update(
        &mut state,
        Msg::Uploading {
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
    update(&mut state, Msg::Paste("https://example.com/a.png".into()));
    assert!(update(&mut state, key(KeyCode::Tab)).is_empty());
    assert_eq!(dialog(&state).focus, 1);
}

#[test]
fn a_folder_import_takes_sub_folders_when_asked_and_lists_what_it_left_out() {
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('I'));
    let folder = env!("CARGO_MANIFEST_DIR").to_owned() + "/assets";
    update(&mut state, Msg::Paste(folder.clone()));
    // Tab completes the path; S-Tab goes round to the sub-folders' field.
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(dialog(&state).focus, 1);
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, ch('x'));
    assert!(
        update(&mut state, key(KeyCode::Enter)).is_empty(),
        "x is no answer"
    );
    let error = dialog(&state).form.fields()[1].error.clone().unwrap();
    assert!(error.contains("type y"), "{error}");
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, ch('y'));
    assert_eq!(
        update(&mut state, key(KeyCode::Enter)),
        vec![Effect::ImportFolder {
            group_id: group(1, "").id,
            path: folder.into(),
            recursive: true,
        }]
    );
    let mut report = import_report(2, 0, ("/refs/bad.png", "Image: too small"));
    report.left_out.push(Refused {
        origin: "/refs/notes.txt".into(),
        line: 0,
        error: "not an image, video or audio file".into(),
    });
    update(
        &mut state,
        Msg::Imported {
            group_id: group(1, "").id,
            result: Ok(report),
        },
    );
    assert!(
        toast_text(&state).contains("1 left out (m lists them and why)"),
        "{}",
        toast_text(&state)
    );
    assert!(
        state
            .messages
            .iter()
            .any(|m| m.text == "left out /refs/notes.txt: not an image, video or audio file"),
        "the reason is kept in the messages"
    );
}

#[test]
fn a_folder_import_runs_in_the_background_and_reports_in_the_status_line() {
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('I'));
    assert_eq!(dialog(&state).form.title(), " Import a folder ");
    let folder = env!("CARGO_MANIFEST_DIR").to_owned() + "/assets/media";
    update(&mut state, Msg::Paste(folder.clone()));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::ImportFolder {
            group_id: group(1, "").id,
            path: folder.into(),
            recursive: false,
        }]
    );
    assert!(matches!(state.mode, Mode::Browse), "the dialog closes");
    update(
        &mut state,
        Msg::Progress {
            work: ark_assets::app::msg::Work::Import,
            done: 3,
            total: 19,
            failed: 1,
        },
    );
    assert_eq!(
        toast_text(&state),
        "importing the folder: 3 of 19 files done, 1 refused or failed…"
    );
    // A batch longer than a minute at the rate in force says so, as the CLI does, and its
    // progress keeps saying it.
    update(
        &mut state,
        Msg::Estimated("60 creates at 3 a minute: about 20 minutes".into()),
    );
    assert_eq!(
        toast_text(&state),
        "60 creates at 3 a minute: about 20 minutes"
    );
    assert!(
        state
            .messages
            .iter()
            .any(|m| m.text.contains("about 20 minutes")),
        "kept in the messages"
    );
    update(
        &mut state,
        Msg::Progress {
            work: ark_assets::app::msg::Work::Import,
            done: 4,
            total: 19,
            failed: 1,
        },
    );
    assert_eq!(
        toast_text(&state),
        "importing the folder: 4 of 19 files done, 1 refused or failed… \
         (60 creates at 3 a minute: about 20 minutes)"
    );
    let effects = update(
        &mut state,
        Msg::Imported {
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
    assert_eq!(state.estimate, None, "said only while it runs");
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { .. }]),
        "{effects:?}"
    );
    // Not a folder: refused on the field.
    update(&mut state, ch('I'));
    update(&mut state, Msg::Paste("/no/such/folder".into()));
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

/// A local image refused for what `--fit` fixes (its size, ratio or bytes) is offered a fit:
/// `f`, the next key, sends it again fitted; any other key withdraws the offer and types. A
/// URL, or a fault fitting cannot fix, is not offered one.
#[test]
fn a_refused_image_that_fitting_fixes_is_offered_the_fit_with_f() {
    use ark_assets::media::fit::FitMode;
    use ark_assets::validate::Field;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png");
    let refuse = |state: &mut AppState, value: &str| {
        // An empty value stands for a format fault here.
        let problem = if value.is_empty() {
            Invalid::format(Field::Image, "is not a recognised image")
        } else {
            Invalid::new(Field::Image, value, "the rule")
        };
        let result = Err(AddError::Refused(vec![problem]));
        let group_id = group(1, "").id;
        update(state, Msg::AssetCreated { group_id, result });
    };
    // The sample sent from the dialog and refused for `value` ("" is a format fault).
    let refused = |value: &str| {
        let mut state = with_assets(SIZE, 5);
        update(&mut state, ch('n'));
        typed(&mut state, sample);
        update(&mut state, key(KeyCode::Enter));
        refuse(&mut state, value);
        state
    };
    let mut state = refused("9000x300");
    let note = dialog(&state).note.clone().unwrap();
    assert!(note.starts_with("f fits it"), "{note}");
    let effects = update(&mut state, ch('f'));
    assert_eq!(
        effects,
        vec![Effect::AddAsset {
            group_id: group(1, "").id,
            source: Source::File(sample.into()),
            name: String::new(),
            fit: Some(FitMode::Pad),
        }]
    );
    assert!(dialog(&state).busy);
    // Refused again even so: no second offer.
    refuse(&mut state, "9000x300");
    assert!(dialog(&state).note.is_none());

    // Another key withdraws the offer and is typed.
    let mut state = refused("9000x300");
    assert!(update(&mut state, key(KeyCode::Backspace)).is_empty());
    assert!(dialog(&state).note.is_none());
    assert!(update(&mut state, ch('f')).is_empty(), "typed, not taken");
    assert!(dialog(&state).form.fields()[0].value().ends_with(".pnf"));

    // A fault fitting cannot fix (the format) is only said.
    let state = refused("");
    assert!(dialog(&state).note.is_none());
}
