//! The one table of key bindings, for every mode: it drives input handling, the footer, the
//! hints under dialogs and the `?` help overlay. [`Keymap`] holds it as data; the config's
//! `[keys]` table is merged over [`Keymap::default`] by [`Keymap::with_overrides`].

mod command;
mod defaults;
mod key;
mod scope;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

pub use command::Command;
pub use key::Key;
pub use scope::Scope;

use key::shown;

/// The keys a `[keys]` entry `name` gives (each once), and how they are written.
fn parsed_keys(name: &str, keys: &[String]) -> Result<(Vec<Key>, Cow<'static, str>), KeysError> {
    if keys.is_empty() {
        return Err(KeysError::NoKeys(shown(name)));
    }
    let mut unique: Vec<(Key, &str)> = Vec::new();
    for text in keys {
        let key = Key::parse(text).ok_or_else(|| KeysError::NotAKey {
            name: shown(name),
            key: shown(text),
        })?;
        // A key given twice for one command is one key.
        if !unique.iter().any(|(k, _)| *k == key) {
            unique.push((key, text));
        }
    }
    let (parsed, texts): (Vec<Key>, Vec<&str>) = unique.into_iter().unzip();
    Ok((parsed, Cow::Owned(texts.join("/"))))
}

/// Why a `[keys]` table cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    /// No command has that name.
    #[error("keys.{name}: no such command; commands: {known}")]
    UnknownCommand {
        /// The name given.
        name: String,
        /// The names there are.
        known: String,
    },
    /// An entry gives no key.
    #[error("keys.{0}: give at least one key")]
    NoKeys(String),
    /// A key cannot be read.
    #[error(
        "keys.{name} = \"{key}\": not a key (write a character like \"D\", \"ctrl-d\", \"F5\", \
         or a name like \"enter\", \"space\", \"pagedown\")"
    )]
    NotAKey {
        /// The command.
        name: String,
        /// The key as written.
        key: String,
    },
    /// Two commands would share a key.
    #[error(
        "keys: {key} would be both {first} and {second} ({scope:?}); bind one of them to another key"
    )]
    Conflict {
        /// The key.
        key: String,
        /// One command.
        first: String,
        /// The other.
        second: String,
        /// Where they meet.
        scope: Scope,
    },
}

/// One row of the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Keys that trigger it.
    pub keys: Vec<Key>,
    /// How the keys are written in help, footer and hints.
    pub label: Cow<'static, str>,
    /// What it does.
    pub command: Command,
    /// Where it applies.
    pub scope: Scope,
    /// Description for the help overlay.
    pub help: &'static str,
    /// Short word for the footer or a dialog's hint line, when it earns a place there.
    pub hint: Option<&'static str>,
}

pub(super) fn bind(
    keys: &[Key],
    label: &'static str,
    command: Command,
    scope: Scope,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys: keys.to_vec(),
        label: Cow::Borrowed(label),
        command,
        scope,
        help,
        hint,
    }
}

impl Binding {
    /// Whether a `[keys]` table rebinds it: the panes' commands, and suspending (Ctrl-C's
    /// quit anywhere stays).
    fn rebindable(&self) -> bool {
        match self.scope {
            Scope::Global | Scope::Groups | Scope::Assets => true,
            Scope::Always => self.command == Command::Suspend,
            _ => false,
        }
    }
}

/// The key table in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Keymap {
    /// The built-in table with a `[keys]` table merged over it: each named command gets the
    /// given keys (in every pane it works in) instead of its own. Refuses an unknown command,
    /// a key it cannot read, and a key two commands would share, naming both.
    pub fn with_overrides(
        &self,
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<Keymap, KeysError> {
        let mut merged = self.clone();
        for (name, keys) in overrides {
            let command = merged.command_named(name)?;
            let (parsed, label) = parsed_keys(name, keys)?;
            for b in merged
                .bindings
                .iter_mut()
                .filter(|b| b.command == command && b.rebindable())
            {
                b.keys = parsed.clone();
                b.label = label.clone();
            }
        }
        if let Some((scope, key, a, b)) = merged.conflicts().into_iter().next() {
            let name = |c: Command| c.config_name().unwrap_or_else(|| "a built-in key".into());
            return Err(KeysError::Conflict {
                key: key.shown(),
                first: name(a),
                second: name(b),
                scope,
            });
        }
        Ok(merged)
    }

    /// The command a `[keys]` table calls `name`.
    fn command_named(&self, name: &str) -> Result<Command, KeysError> {
        crate::config::by_name::<Command>(name).map_err(|_| {
            let mut known: Vec<String> = Vec::new();
            for b in &self.bindings {
                if let Some(n) = b.command.config_name().filter(|n| !known.contains(n)) {
                    known.push(n);
                }
            }
            KeysError::UnknownCommand {
                name: shown(name),
                known: known.join(", "),
            }
        })
    }

    /// Every binding, in help order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The key table of the README, in Markdown: the help's sections, one row a key. A test
    /// keeps the README's copy equal to it.
    /// The command `event` triggers while `scope` is active (its [`Scope::chain`]).
    pub(crate) fn lookup(&self, scope: Scope, event: &KeyEvent) -> Option<Command> {
        let key = Key::of(event);
        scope.chain().iter().find_map(|s| {
            self.bindings
                .iter()
                .find(|b| b.scope == *s && b.keys.contains(&key))
                .map(|b| b.command)
        })
    }

    /// The key that does `command` in `scope`, as messages name it (`R`, `Enter`): the first
    /// of its keys, so that a hint names the key a `[keys]` table bound, never the default.
    pub fn key(&self, scope: Scope, command: Command) -> &str {
        scope
            .chain()
            .iter()
            .find_map(|s| {
                self.bindings
                    .iter()
                    .find(|b| b.scope == *s && b.command == command)
            })
            .map_or("?", |b| b.label.split('/').next().unwrap_or(&b.label))
    }

    /// Hints for `scope` (footer, dialog hint lines): (keys, word), in table order.
    pub fn hints(&self, scope: Scope) -> Vec<(&str, &'static str)> {
        self.bindings
            .iter()
            .filter(|b| scope.chain().contains(&b.scope) && b.scope != Scope::Always)
            .filter_map(|b| Some((b.label.as_ref(), b.hint?)))
            .collect()
    }

    /// The names a `[keys]` table rebinds, each once, in the table's order (README's list).
    pub fn rebindable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.rebindable()) {
            if let Some(name) = b.command.config_name()
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// Pairs of bindings that share a key within one scope's chain: (scope, key, both labels).
    pub(crate) fn conflicts(&self) -> Vec<(Scope, Key, Command, Command)> {
        let mut found = Vec::new();
        for scope in Scope::ALL {
            let mut seen: Vec<(Key, &Binding)> = Vec::new();
            for b in self
                .bindings
                .iter()
                .filter(|b| scope.chain().contains(&b.scope))
            {
                for key in &b.keys {
                    match seen.iter().find(|(k, _)| k == key) {
                        // One command may have a key twice (in two scopes of the chain).
                        Some((_, other)) if other.command == b.command => {}
                        // The same key in an earlier scope of the chain is an intended override
                        // only for `Always` (Ctrl-C); anything else is a conflict.
                        Some((_, other)) => found.push((scope, *key, other.command, b.command)),
                        None => seen.push((*key, b)),
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn suspend_is_rebound_and_quit_keeps_ctrl_c() {
        let overrides = BTreeMap::from([
            ("suspend".to_owned(), vec!["ctrl-x".to_owned()]),
            ("quit".to_owned(), vec!["Q".to_owned()]),
        ]);
        let keys = Keymap::default().with_overrides(&overrides).unwrap();
        let ctrl_x = press(KeyCode::Char('x'), KeyModifiers::CONTROL);
        assert_eq!(keys.lookup(Scope::Assets, &ctrl_x), Some(Command::Suspend));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keys.lookup(Scope::Form, &ctrl_c), Some(Command::Quit));
    }

    #[test]
    fn scoped_keys_resolve_per_mode() {
        let keys = Keymap::default();
        let n = press(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(keys.lookup(Scope::Groups, &n), Some(Command::Create));
        assert_eq!(keys.lookup(Scope::Confirm, &n), Some(Command::Cancel));
        assert_eq!(keys.lookup(Scope::Form, &n), None, "typed into the field");
        let y = press(KeyCode::Char('y'), KeyModifiers::NONE);
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(
            keys.lookup(Scope::Groups, &x),
            None,
            "open is the assets pane's"
        );
        assert_eq!(keys.lookup(Scope::Assets, &x), Some(Command::OpenFile));
        assert_eq!(keys.lookup(Scope::Assets, &y), Some(Command::CopyRef));
        let big_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(keys.lookup(Scope::Assets, &big_g), Some(Command::Bottom));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for scope in Scope::ALL {
            assert_eq!(
                keys.lookup(scope, &ctrl_c),
                Some(Command::Quit),
                "{scope:?}"
            );
        }
        let plain_c = press(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(keys.lookup(Scope::Groups, &plain_c), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_any_mode() {
        let keys = Keymap::default();
        assert_eq!(keys.conflicts(), vec![]);
        assert!(keys.hints(Scope::Assets).contains(&("y", "copy")));
        assert!(keys.hints(Scope::Groups).contains(&("y", "copy")));
        assert!(!keys.hints(Scope::Help).contains(&("y", "copy")));
        assert_eq!(
            keys.hints(Scope::Form),
            vec![("Enter", "save"), ("Tab", "next field"), ("Esc", "cancel")]
        );
    }
}
