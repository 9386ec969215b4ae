//! Key bindings: every binding does something, movement, the `[keys]` table, the mouse, and the README's key tables.

use super::*;

/// A state where `binding` has something to do: mid-list, in the pane or mode it is meant for.
fn state_for(binding: &Binding) -> AppState {
    let mut state = with_tasks(SIZE, 40);
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
        Scope::Typed => {
            // The open group, loaded whole, holds assets: its name or count is typed.
            state.focus = Focus::Groups;
            state.groups.selected = state
                .groups
                .visible
                .iter()
                .position(|&i| Some(&state.groups.items()[i].id) == state.open_group.as_ref())
                .unwrap();
            Some('d')
        }
        Scope::Help => {
            // Short enough that the overlay scrolls.
            update(&mut state, Msg::Resize(80, 16));
            Some('?')
        }
        Scope::Palette => Some(':'),
        Scope::Detail => {
            update(&mut state, key(KeyCode::Enter));
            assert!(matches!(state.mode, Mode::Detail));
            None
        }
        Scope::Tasks => {
            update(&mut state, ch('T'));
            update(&mut state, Msg::TasksLoaded(Ok(seedance_tasks())));
            // On the running task: every key has something to say or do.
            state.tasks.selected = 1;
            None
        }
        Scope::Shown => {
            state.assets.selected = 0;
            Some('u')
        }
        Scope::Verify => {
            state.mode = Mode::Verify(Verification::Showing {
                link: "http://127.0.0.1:8383/h5/verify?token=t".into(),
                token: "t".into(),
                since: state.tick,
                asking: false,
            });
            None
        }
        _ => None,
    };
    if let Some(c) = opener {
        update(&mut state, ch(c));
    }
    if binding.command == Command::ClearInput {
        typed(&mut state, "new");
    }
    if binding.scope == Scope::Help {
        // Scrolled a little, so it can scroll either way.
        state.help_offset = 1;
    }
    state
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

fn key_action(key: &Key) -> Msg {
    let modifiers = if key.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(key.code, modifiers))
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
    update(&mut state, key(KeyCode::Home));
    assert_eq!((state.assets.selected, state.assets.offset), (0, 0));
    update(&mut state, key(KeyCode::PageDown));
    assert_eq!(state.assets.selected, rows);
    update(&mut state, ch('k'));
    update(&mut state, ch('k'));
    assert!(state.assets.offset <= state.assets.selected);
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
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
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
    let sections = ark_assets::app::help::sections(&twice);
    assert!(sections[0].rows.iter().any(|(label, _)| *label == "j"));
    // Swapping two keys is fine when both move.
    assert!(
        Keymap::default()
            .with_overrides(&table(&[("delete", &["r"]), ("rename", &["d"])]))
            .is_ok()
    );
}

#[test]
fn the_mouse_scrolls_selects_and_opens() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
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
fn the_readme_key_tables_are_the_key_table() {
    const START: &str = "<!-- keys: generated from the key table (src/app/keymap/defaults.rs); \
                         `UPDATE_README=1 cargo test --test it readme` rewrites it -->\n";
    const END: &str = "<!-- keys end -->";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let from = readme.find(START).expect("README marks its key tables") + START.len();
    let to = from
        + readme[from..]
            .find(END)
            .expect("README ends its key tables");
    let tables = ark_assets::app::help::markdown(&Keymap::default());
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

/// README's list of the commands a `[keys]` table names is the key table's.
#[test]
fn the_readme_keys_command_list_is_the_command_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let from = readme
        .find("\nCommands: `")
        .expect("README lists the commands")
        + 1;
    let to = from + readme[from..].find(". ").unwrap();
    let listed: Vec<&str> = readme[from..to].split('`').skip(1).step_by(2).collect();
    let table = Keymap::default().rebindable_names();
    assert_eq!(
        listed,
        table,
        "README's [keys] commands; the table's: `{}`",
        table.join("`, `")
    );
}
