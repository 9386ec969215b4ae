//! The one table of key bindings: it drives input handling, the footer and the `?` help overlay.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for; `update` decides what it means in the current context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Move the selection up one row.
    Up,
    /// Move the selection down one row.
    Down,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Move a page up.
    PageUp,
    /// Move a page down.
    PageDown,
    /// Toggle focus between the panes.
    NextPane,
    /// Focus the groups pane.
    FocusGroups,
    /// Focus the assets pane.
    FocusAssets,
    /// Open the selected group.
    Open,
    /// Create a group (groups pane) or an asset (assets pane).
    Create,
    /// Rename the selected group or asset.
    Rename,
    /// Reload from the service.
    Refresh,
    /// Delete the selected group or asset (asks first).
    Delete,
    /// Filter the focused pane by name.
    Filter,
    /// Cycle the status filter (All, Active, Processing, Failed).
    CycleStatus,
    /// Copy `Asset://<Id>`.
    CopyRef,
    /// Copy a Seedance `image_url` content item.
    CopySnippet,
    /// Show the asset's URL.
    ShowUrl,
    /// Switch project.
    SwitchProject,
    /// Toggle the help overlay.
    Help,
    /// Quit.
    Quit,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (outside dialogs).
    Global,
    /// The groups pane.
    Groups,
    /// The assets pane.
    Assets,
}

/// A key press, ignoring Shift (it is already in the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Key code.
    pub code: KeyCode,
    /// Whether Control is held.
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Keys that trigger it.
    pub keys: &'static [Key],
    /// How the keys are written in help and footer.
    pub label: &'static str,
    /// What it does.
    pub command: Command,
    /// Where it applies.
    pub scope: Scope,
    /// Description for the help overlay.
    pub help: &'static str,
    /// Short word for the footer, when it earns a place there.
    pub footer: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    command: Command,
    scope: Scope,
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        label,
        command,
        scope,
        help,
        footer,
    }
}

use Command as C;
use Scope::{Assets, Global, Groups};

/// Every binding, in help order.
pub const KEYMAP: &[Binding] = &[
    bind(
        &[k('j'), code(KeyCode::Down)],
        "j/↓",
        C::Down,
        Global,
        "move down",
        None,
    ),
    bind(
        &[k('k'), code(KeyCode::Up)],
        "k/↑",
        C::Up,
        Global,
        "move up",
        None,
    ),
    bind(
        &[k('g'), code(KeyCode::Home)],
        "g",
        C::Top,
        Global,
        "first row",
        None,
    ),
    bind(
        &[k('G'), code(KeyCode::End)],
        "G",
        C::Bottom,
        Global,
        "last row",
        None,
    ),
    bind(
        &[code(KeyCode::PageUp), ctrl('u')],
        "PgUp",
        C::PageUp,
        Global,
        "page up",
        None,
    ),
    bind(
        &[code(KeyCode::PageDown), ctrl('d')],
        "PgDn",
        C::PageDown,
        Global,
        "page down",
        None,
    ),
    bind(
        &[code(KeyCode::Tab), code(KeyCode::BackTab)],
        "Tab",
        C::NextPane,
        Global,
        "switch pane",
        None,
    ),
    bind(
        &[k('h'), code(KeyCode::Left)],
        "h/←",
        C::FocusGroups,
        Global,
        "focus groups",
        None,
    ),
    bind(
        &[k('l'), code(KeyCode::Right)],
        "l/→",
        C::FocusAssets,
        Global,
        "focus assets",
        None,
    ),
    bind(
        &[code(KeyCode::Enter)],
        "Enter",
        C::Open,
        Groups,
        "open the group",
        Some("open"),
    ),
    bind(&[k('n')], "n", C::Create, Groups, "new group", Some("new")),
    bind(
        &[k('n')],
        "n",
        C::Create,
        Assets,
        "new asset from a URL",
        Some("new"),
    ),
    bind(
        &[k('r')],
        "r",
        C::Rename,
        Groups,
        "rename group",
        Some("rename"),
    ),
    bind(
        &[k('r')],
        "r",
        C::Rename,
        Assets,
        "rename asset",
        Some("rename"),
    ),
    bind(
        &[k('d')],
        "d",
        C::Delete,
        Groups,
        "delete group",
        Some("del"),
    ),
    bind(
        &[k('d')],
        "d",
        C::Delete,
        Assets,
        "delete asset",
        Some("del"),
    ),
    bind(
        &[k('y')],
        "y",
        C::CopyRef,
        Assets,
        "copy Asset://<Id>",
        Some("copy"),
    ),
    bind(
        &[k('Y')],
        "Y",
        C::CopySnippet,
        Assets,
        "copy Seedance image_url item",
        None,
    ),
    bind(
        &[k('o')],
        "o",
        C::ShowUrl,
        Assets,
        "show the asset's URL",
        Some("url"),
    ),
    bind(
        &[k('s')],
        "s",
        C::CycleStatus,
        Global,
        "cycle the status filter",
        Some("status"),
    ),
    bind(
        &[k('/')],
        "/",
        C::Filter,
        Global,
        "filter by name",
        Some("filter"),
    ),
    bind(
        &[k('R'), code(KeyCode::F(5))],
        "R/F5",
        C::Refresh,
        Global,
        "refresh",
        Some("refresh"),
    ),
    bind(
        &[k('p')],
        "p",
        C::SwitchProject,
        Global,
        "switch project",
        None,
    ),
    bind(&[k('?')], "?", C::Help, Global, "help", Some("help")),
    bind(
        &[k('q'), ctrl('c')],
        "q",
        C::Quit,
        Global,
        "quit",
        Some("quit"),
    ),
];

/// Normalises a crossterm key event.
pub fn key_of(event: &KeyEvent) -> Key {
    Key {
        code: event.code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
    }
}

/// The command `event` triggers in pane `scope`.
pub fn lookup(scope: Scope, event: &KeyEvent) -> Option<Command> {
    let key = key_of(event);
    KEYMAP
        .iter()
        .filter(|b| b.scope == scope || b.scope == Scope::Global)
        .find(|b| b.keys.contains(&key))
        .map(|b| b.command)
}

/// Footer entries for pane `scope`: (keys, word).
pub fn footer(scope: Scope) -> Vec<(&'static str, &'static str)> {
    KEYMAP
        .iter()
        .filter(|b| b.scope == scope || b.scope == Scope::Global)
        .filter_map(|b| Some((b.label, b.footer?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn scoped_keys_resolve_per_pane() {
        let n = press(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Groups, &n), Some(Command::Create));
        assert_eq!(lookup(Scope::Assets, &n), Some(Command::Create));
        let y = press(KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Groups, &y), None);
        assert_eq!(lookup(Scope::Assets, &y), Some(Command::CopyRef));
        let big_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Scope::Assets, &big_g), Some(Command::Bottom));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Scope::Groups, &ctrl_c), Some(Command::Quit));
        let plain_c = press(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup(Scope::Groups, &plain_c), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_pane() {
        for scope in [Scope::Groups, Scope::Assets] {
            let mut seen = Vec::new();
            for b in KEYMAP
                .iter()
                .filter(|b| b.scope == scope || b.scope == Scope::Global)
            {
                for key in b.keys {
                    assert!(!seen.contains(key), "{key:?} bound twice in {scope:?}");
                    seen.push(*key);
                }
            }
        }
        assert!(footer(Scope::Assets).contains(&("y", "copy")));
        assert!(!footer(Scope::Groups).contains(&("y", "copy")));
    }
}
