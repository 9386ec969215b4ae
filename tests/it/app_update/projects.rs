//! The project switch: `p`'s list of the projects known for the profile, typing narrowing it
//! or naming a new one, the projects kept for the next session, and `b` back across a switch.

use super::*;

use ark_assets::app::picker::Pick;
use ark_assets::app::remembered::{self, Remembered};
use proptest::prelude::*;

fn ctrl_key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The picker's rows, a typed one shown as `+name`, and the selected one.
fn picker_rows(state: &AppState) -> (Vec<String>, usize) {
    let Mode::Projects(picker) = &state.mode else {
        panic!("the project picker is open, not {:?}", state.mode)
    };
    let rows = (0..picker.list.rows())
        .map(|r| match picker.list.row(r).unwrap() {
            Pick::Listed(p) => p.to_owned(),
            Pick::Typed(p) => format!("+{p}"),
        })
        .collect();
    (rows, picker.list.selected())
}

/// A session of profile `demo`, whose config names project `team-a`, that used `p9` and `p7`
/// before; `p9` is open again.
fn with_projects() -> AppState {
    let mut state = with_groups(SIZE);
    state.header.project = "team-a".into();
    let effects = state.restore(&Remembered {
        project: Some("p9".into()),
        projects: vec!["p9".into(), "p7".into(), "team-a".into()],
        ..Remembered::default()
    });
    assert_eq!(effects, vec![Effect::SwitchProject("p9".into())]);
    state
}

#[test]
fn p_lists_the_known_projects_most_recent_first_on_the_one_used_before() {
    let mut state = with_projects();
    assert!(update(&mut state, ch('p')).is_empty());
    assert_eq!(state.scope(), Scope::Projects);
    let (rows, selected) = picker_rows(&state);
    assert_eq!(rows, ["p9", "p7", "team-a", "default"]);
    assert_eq!(selected, 1, "on the project used before the open one");
    // ↓ and ↑ (and ^N, ^P) move, bounded at both ends.
    for (msg, want) in [
        (key(KeyCode::Down), 2),
        (ctrl_key('n'), 3),
        (key(KeyCode::Down), 3),
        (key(KeyCode::Up), 2),
        (ctrl_key('p'), 1),
        (key(KeyCode::Up), 0),
        (key(KeyCode::Up), 0),
    ] {
        update(&mut state, msg);
        assert_eq!(picker_rows(&state).1, want);
    }
    // Enter on the open project switches nothing.
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    assert!(toast_text(&state).contains("\"p9\" is open"));
    // Esc cancels.
    update(&mut state, ch('p'));
    assert!(update(&mut state, key(KeyCode::Esc)).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(state.header.project, "p9");
    // p Enter: back to the project used before.
    update(&mut state, ch('p'));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("p7".into()), Effect::LoadGroups]
    );
    assert_eq!(state.projects, ["p7", "p9", "team-a"]);
}

#[test]
fn typing_narrows_the_list_and_a_new_name_is_a_row_of_its_own() {
    let mut state = with_projects();
    update(&mut state, ch('p'));
    // `j`, `k` and `q` are letters of a name here.
    typed(&mut state, "P");
    assert_eq!(
        picker_rows(&state),
        (vec!["+P".into(), "p9".into(), "p7".into()], 0),
        "case aside; the typed name first, Enter takes it"
    );
    update(&mut state, key(KeyCode::Backspace));
    typed(&mut state, "p");
    update(&mut state, key(KeyCode::Down));
    assert_eq!(
        picker_rows(&state),
        (vec!["+p".into(), "p9".into(), "p7".into()], 1)
    );
    typed(&mut state, "9");
    assert_eq!(
        picker_rows(&state),
        (vec!["p9".into()], 0),
        "typed is listed: no row of its own"
    );
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace));
    typed(&mut state, "team");
    let (rows, selected) = picker_rows(&state);
    assert_eq!(
        (rows.as_slice(), selected),
        (&["+team".into(), "team-a".into()][..], 0)
    );
    // A name the API refuses stays in the picker with the rule.
    typed(&mut state, "\u{7}");
    assert_eq!(picker_rows(&state).0, ["+team\u{7}"]);
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let Mode::Projects(picker) = &state.mode else {
        panic!("still open")
    };
    let error = picker.name.error.clone().expect("the rule is said");
    assert!(error.starts_with("Project"), "{error}");
    // ^U clears the name: every project again, no error.
    update(&mut state, ctrl_key('u'));
    let (rows, _) = picker_rows(&state);
    assert_eq!(rows.len(), 4);
    let Mode::Projects(picker) = &state.mode else {
        panic!("still open")
    };
    assert_eq!(picker.name.error, None);
    // A new name: Enter switches to it, and it leads the projects kept.
    typed(&mut state, "qa-jk");
    assert_eq!(picker_rows(&state).0, ["+qa-jk"]);
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("qa-jk".into()), Effect::LoadGroups]
    );
    assert_eq!(state.remembered().projects[..2], ["qa-jk", "p9"]);
    // A paste goes into the name.
    update(&mut state, ch('p'));
    update(&mut state, Msg::Paste("p7\n".into()));
    assert_eq!(picker_rows(&state).0, ["p7"]);
}

#[test]
fn the_global_endpoint_has_no_projects_to_pick() {
    let mut state = with_groups(SIZE);
    state.header.dialect = ark_assets::api::Dialect::Global;
    state.header.project = String::new();
    assert!(update(&mut state, ch('p')).is_empty());
    assert!(matches!(state.mode, Mode::Browse));
    assert!(toast_text(&state).contains("no projects"));
    assert!(state.known_projects().is_empty());
}

/// The groups of a project arrive.
fn groups_arrive(state: &mut AppState, groups: &[usize]) -> Vec<Effect> {
    let listed = groups.iter().map(|&n| group(n, &format!("g{n}"))).collect();
    update(state, Msg::GroupsLoaded(Ok(Listing::complete(listed))))
}

#[test]
fn b_after_a_project_switch_goes_back_to_the_project_and_group_open_before() {
    let mut state = with_groups(SIZE);
    // Group 3 of project default is open.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter));
    let three = group(3, "").id;
    assert_eq!(state.open_group.as_deref(), Some(three.as_str()));
    // Switched to team-b: its first group opens as its groups come.
    update(&mut state, ch('p'));
    typed(&mut state, "team-b");
    update(&mut state, key(KeyCode::Enter));
    groups_arrive(&mut state, &[7, 8]);
    assert_eq!(state.open_group, Some(group(7, "").id));
    // b: project default again, group 3 opening when its groups come.
    let effects = update(&mut state, ch('b'));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("default".into()), Effect::LoadGroups]
    );
    assert_eq!(state.header.project, "default");
    groups_arrive(&mut state, &[1, 2, 3, 4]);
    assert_eq!(state.open_group.as_deref(), Some(three.as_str()));
    assert_eq!(state.groups.current_id().as_deref(), Some(three.as_str()));
    // b again: team-b and its group 7.
    let effects = update(&mut state, ch('b'));
    assert_eq!(effects[0], Effect::SwitchProject("team-b".into()));
    groups_arrive(&mut state, &[7, 8]);
    assert_eq!(state.open_group, Some(group(7, "").id));
    // Within a project, b keeps going back to the group open before.
    update(&mut state, ch('j'));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.open_group, Some(group(8, "").id));
    let effects = update(&mut state, ch('b'));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SwitchProject(_))),
        "{effects:?}"
    );
    assert_eq!(state.open_group, Some(group(7, "").id));
}

#[test]
fn a_profile_switch_leaves_no_way_back_into_the_other_account() {
    let mut state = with_groups(SIZE);
    update(&mut state, ch('p'));
    typed(&mut state, "team-b");
    update(&mut state, key(KeyCode::Enter));
    assert!(state.previous.is_some());
    state.profiles = vec!["demo".into(), "review".into()];
    update(&mut state, ch(':'));
    typed(&mut state, "review");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.previous, None);
    assert!(update(&mut state, ch('b')).is_empty());
}

/// What a session does to the projects kept: use one, or end (kept, read back, restored).
#[derive(Debug, Clone)]
enum Use {
    Visit(usize),
    Restart,
}

/// Names to visit: ordinary ones, and two the API refuses (never offered).
const NAMES: [&str; 14] = [
    "default",
    "p1",
    "p2",
    "p3",
    "p4",
    "p5",
    "p6",
    "p7",
    "p8",
    "p9",
    "p10",
    "p11",
    "bad name",
    "bell\u{7}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_projects_kept_are_bounded_most_recent_first_each_once(
        uses in prop::collection::vec(
            prop_oneof![6 => (0..NAMES.len()).prop_map(Use::Visit), 1 => Just(Use::Restart)],
            1..60,
        )
    ) {
        let dir = std::env::temp_dir().join(format!(
            "ark-projects-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let path = dir.join("demo.json");
        let mut state = with_groups(SIZE);
        state.restore(&Remembered::default());
        // Every valid project used, the last use last.
        let mut used: Vec<&str> = vec!["default"];
        for u in uses {
            match u {
                Use::Visit(i) => {
                    let name = NAMES[i];
                    update(&mut state, ch('p'));
                    update(&mut state, ctrl_key('u'));
                    typed(&mut state, name);
                    update(&mut state, key(KeyCode::Enter));
                    if ark_assets::validate::name(name, true).is_ok() {
                        used.retain(|u| *u != name);
                        used.push(name);
                    }
                    update(&mut state, key(KeyCode::Esc));
                }
                Use::Restart => {
                    remembered::save_to(&path, &state.remembered()).unwrap();
                    let kept = remembered::load_from(&path).unwrap();
                    state = with_groups(SIZE);
                    state.restore(&kept);
                }
            }
            let kept = state.remembered().projects;
            let want: Vec<String> =
                used.iter().rev().take(MAX_PROJECTS).map(|s| s.to_string()).collect();
            prop_assert_eq!(&kept, &want);
            prop_assert_eq!(state.header.project.as_str(), *used.last().unwrap());
            let known = state.known_projects();
            let unique: std::collections::HashSet<&String> = known.iter().collect();
            prop_assert_eq!(unique.len(), known.len(), "each project once: {:?}", known);
            prop_assert!(known.iter().any(|p| p == "default"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_state_file_naming_a_project_twice_keeps_it_once_where_it_first_comes() {
    let path = std::env::temp_dir().join(format!("ark-projects-twice-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"projects": ["p1", "p2", "p1", "p3", "p2"]}"#).unwrap();
    let kept = remembered::load_from(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(kept.projects, ["p1", "p2", "p3"]);
}
