//! [`Key`]: a key as the table holds it, read from a key event or from the config's text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key press, ignoring Shift (it is already in the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Key code.
    pub code: KeyCode,
    /// Whether Control is held.
    pub ctrl: bool,
}

impl Key {
    /// The key of a crossterm key event.
    pub fn of(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }
}

pub(super) const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

pub(super) const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    /// Parses a key as a `[keys]` table writes it: a character (`D`, `:`), `ctrl-d`, `F5`, or
    /// a name (`enter`, `esc`, `tab`, `space`, `up`, `down`, `left`, `right`, `pageup`,
    /// `pagedown`, `home`, `end`, `backspace`).
    pub fn parse(text: &str) -> Option<Key> {
        if let Some(rest) = text
            .strip_prefix("ctrl-")
            .or_else(|| text.strip_prefix("C-"))
        {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => Some(ctrl(c.to_ascii_lowercase())),
                _ => None,
            };
        }
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return (!c.is_control()).then_some(k(c));
        }
        let lower = text.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            return (1..=12).contains(&n).then_some(code(KeyCode::F(n)));
        }
        Some(code(match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "space" => return Some(k(' ')),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            _ => return None,
        }))
    }
}

impl Key {
    /// How an error message writes the key.
    pub(super) fn shown(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}").to_lowercase(),
        };
        if self.ctrl {
            format!("ctrl-{base}")
        } else {
            format!("\"{base}\"")
        }
    }
}

/// Text from the config file, shown as it can be read and not at any length.
pub(super) fn shown(text: &str) -> String {
    crate::text::visible(&crate::text::cut(text, 40)).into_owned()
}
