//! The session: the palette, profiles and projects, what is remembered, liveness checks, slow calls.

use super::*;

#[test]
fn verifying_a_real_person_asks_for_the_result_once_and_offers_a_new_session() {
    use ark_assets::api::model::VisualValidateSession;
    let mut state = with_groups(SIZE);
    assert_eq!(update(&mut state, ch('V')), vec![Effect::StartVerification]);
    update(
        &mut state,
        Msg::VerificationStarted(Ok(VisualValidateSession {
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
    // Enter asks whether the phone has shown success before the token is spent: anything but
    // y goes back to the code.
    for back in [key(KeyCode::Enter), ch('n'), key(KeyCode::Esc)] {
        assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
        assert_eq!(state.scope(), Scope::Confirm);
        assert!(update(&mut state, back).is_empty());
        assert!(
            matches!(
                state.mode,
                Mode::Verify(Verification::Showing { asking: false, .. })
            ),
            "{:?}",
            state.mode
        );
    }
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        update(&mut state, ch('y')),
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
    update(&mut state, Msg::Verified(Err(failed)));
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
        Msg::VerificationStarted(Ok(VisualValidateSession {
            byted_token: "tok-2".into(),
            h5_link: "http://127.0.0.1:8383/h5/verify?token=tok-2".into(),
            callback_url: String::new(),
        })),
    );
    // The advised two minutes pass: the link may still work, so Enter still asks, once.
    for _ in 0..(121 * TICKS_PER_SECOND) {
        update(&mut state, tick());
    }
    assert!(matches!(
        state.mode,
        Mode::Verify(Verification::Showing { .. })
    ));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::FinishVerification("tok-2".into())]
    );
    assert!(matches!(state.mode, Mode::Verify(Verification::Checking)));
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    update(&mut state, ch('V'));
    let effects = update(&mut state, Msg::Verified(Ok("group-person".into())));
    assert_eq!(effects, vec![Effect::LoadGroups]);
    assert!(toast_text(&state).contains("group-person"));
    assert_eq!(state.select_after_load.as_deref(), Some("group-person"));
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
        Msg::AssetsLoaded {
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
fn a_session_is_remembered_and_restored() {
    use ark_assets::app::remembered;
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
    let kept = state.remembered();
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
    let mut restored = fresh(SIZE);
    let effects = restored.restore(&back);
    assert_eq!(effects, vec![Effect::SwitchProject("trailer".into())]);
    assert_eq!(restored.sort, state.sort);
    assert_eq!(restored.status_filter, state.status_filter);
    update(
        &mut restored,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![group(1, "a"), group(2, "b")]))),
    );
    assert_eq!(
        restored.open_group.as_deref(),
        Some(group(2, "").id.as_str())
    );

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
    let mut restored = fresh(SIZE);
    restored.restore(&other);
    assert_eq!(restored.status_filter, StatusFilter::All);
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
        remembered::Remembered::default()
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn the_palette_switches_profiles_and_projects() {
    use ark_assets::app::msg::SwitchedProfile;
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
        Msg::ProfileSwitched(Err(SwitchError::Open(std::sync::Arc::new(
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
        Msg::ProfileSwitched(Ok(SwitchedProfile {
            header: Header {
                profile: "review".into(),
                endpoint: "https://review.example".into(),
                project: "default".into(),
                ..header()
            },
            read_only: true,
            remembered,
            problems: Vec::new(),
            data_plane: None,
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
        ["p7", "default"],
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
fn a_slow_call_is_said_in_the_status_line() {
    let mut state = with_assets(SIZE, 3);
    let note = "waiting for ark.example: ListAssets has had no answer for 5 s (attempt 1)";
    assert!(update(&mut state, Msg::Notice(note.into())).is_empty());
    assert_eq!(toast_text(&state), note);
}

#[test]
fn the_groups_cursor_starts_on_the_restored_open_group() {
    use ark_assets::app::remembered::Remembered;
    let mut state = fresh(SIZE);
    state.restore(&Remembered {
        group: Some(group(3, "").id),
        ..Remembered::default()
    });
    let effects = update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![
            group(1, "a"),
            group(2, "b"),
            group(3, "c"),
        ]))),
    );
    assert_eq!(state.groups.current().unwrap().id, group(3, "").id);
    assert_eq!(state.open_group.as_deref(), Some(&*group(3, "").id));
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { group_id, .. }] if *group_id == group(3, "").id),
        "{effects:?}"
    );
}
