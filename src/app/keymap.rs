//! The one table of key bindings, for every mode: it drives input handling, the footer, the
//! hints under dialogs and the `?` help overlay. [`Keymap`] holds it as data; the config's
//! `[keys]` table is merged over [`Keymap::default`] by [`Keymap::with_overrides`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for; `update` decides what it means in the current context. A `[keys]`
/// table names the commands it rebinds in snake case (`page_down`, `copy_ref`); those of
/// dialogs and overlays (`keep`, `cancel`, `submit`, fields, copying shown text) keep their
/// keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Open the selected group, or the selected asset's whole detail.
    Open,
    /// Create a group (groups pane) or an asset (assets pane).
    Create,
    /// Import a folder's media files into the open group.
    ImportFolder,
    /// Rename the selected group or asset.
    Rename,
    /// Reload from the service.
    Refresh,
    /// Delete the selected group or asset (asks first).
    Delete,
    /// Filter the focused pane by name.
    Filter,
    /// Clear the name filter of the focused pane.
    ClearFilter,
    /// Cycle the status filter (All, Active, Processing, Failed).
    CycleStatus,
    /// Copy `Asset://<Id>`.
    CopyRef,
    /// Copy a Seedance `image_url` content item.
    CopySnippet,
    /// Show the asset's URL.
    ShowUrl,
    /// Sort the assets by the next column (created, updated, name, status).
    Sort,
    /// Flip the sort order.
    FlipSort,
    /// Switch project.
    SwitchProject,
    /// Open the `:` command palette.
    Palette,
    /// Show the help overlay.
    Help,
    /// Quit.
    Quit,
    /// Keep what was typed and leave the mode (filter).
    #[serde(skip)]
    Keep,
    /// Leave the mode without acting (close a dialog, clear a filter being typed).
    #[serde(skip)]
    Cancel,
    /// Send a form, or confirm a question.
    #[serde(skip)]
    Submit,
    /// Next field of a form.
    #[serde(skip)]
    NextField,
    /// Previous field of a form.
    #[serde(skip)]
    PrevField,
    /// Copy what the dialog shows.
    #[serde(skip)]
    CopyShown,
    /// Clear what was typed (the palette's input).
    #[serde(skip)]
    ClearInput,
    /// Verify a real person: a liveness check on their phone, its link shown as a QR code.
    Verify,
    /// Mark or unmark the selected asset.
    ToggleMark,
    /// Mark every asset shown (filters respected).
    MarkAll,
    /// Create the marked Failed assets (or the selected one) again from the ledger's record.
    Retry,
    /// Keep the open group in step with a folder: a plan first, applied on Enter.
    Sync,
    /// Edit the names of the marked assets (or of those shown) in `$VISUAL` / `$EDITOR`.
    EditNames,
    /// Give the terminal back and stop, as a shell job (`fg` resumes).
    Suspend,
    /// Show every message of the session.
    Messages,
    /// Mark a range: marks follow the selection until `v` again (or `Esc`).
    VisualSelect,
    /// Open the group that was open before this one.
    Back,
    /// Copy the selected group or asset as JSON (the `--json` shape).
    CopyJson,
    /// Open the selected asset's file (`$BROWSER`, else the desktop's opener).
    OpenFile,
}

impl Command {
    /// The name a `[keys]` table uses for it, when it can be rebound.
    pub(crate) fn config_name(self) -> Option<String> {
        crate::config::name_of(&self)
    }

    /// Whether it changes the account (off in read-only sessions).
    pub(crate) fn mutates(self) -> bool {
        matches!(
            self,
            Command::Create
                | Command::ImportFolder
                | Command::Rename
                | Command::Delete
                | Command::Verify
                | Command::Retry
                | Command::Sync
                | Command::EditNames
        )
    }
}

/// Where a binding applies. Each mode of the UI reads its own scopes, so a key means one thing
/// in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In every mode, before anything else.
    Always,
    /// Browsing, in both panes.
    Global,
    /// Browsing the groups pane.
    Groups,
    /// Browsing the assets pane.
    Assets,
    /// Typing the `/` filter.
    Filter,
    /// A form (create, rename, switch project).
    Form,
    /// A yes/no question: only `y` says yes.
    Confirm,
    /// A question answered by typing (deleting a group that holds assets): characters edit the
    /// answer.
    Typed,
    /// A dialog showing text (the asset's URL).
    Shown,
    /// The help overlay.
    Help,
    /// The liveness check's QR code.
    Verify,
    /// The `:` command palette (characters edit its input).
    Palette,
    /// A sync's plan, before it is applied.
    Sync,
    /// The messages log.
    Messages,
    /// An asset's whole detail.
    Detail,
}

impl Scope {
    /// The scopes a key is looked up in, in order, while this one is active.
    pub fn chain(self) -> &'static [Scope] {
        match self {
            Scope::Groups => &[Scope::Always, Scope::Groups, Scope::Global],
            Scope::Assets => &[Scope::Always, Scope::Assets, Scope::Global],
            Scope::Global => &[Scope::Always, Scope::Global],
            Scope::Filter => &[Scope::Always, Scope::Filter],
            Scope::Form => &[Scope::Always, Scope::Form],
            Scope::Confirm => &[Scope::Always, Scope::Confirm],
            Scope::Typed => &[Scope::Always, Scope::Typed],
            Scope::Shown => &[Scope::Always, Scope::Shown],
            Scope::Help => &[Scope::Always, Scope::Help],
            Scope::Verify => &[Scope::Always, Scope::Verify],
            Scope::Palette => &[Scope::Always, Scope::Palette],
            Scope::Sync => &[Scope::Always, Scope::Sync],
            Scope::Messages => &[Scope::Always, Scope::Messages],
            Scope::Detail => &[Scope::Always, Scope::Detail],
            Scope::Always => &[Scope::Always],
        }
    }

    /// Every scope, for checks over the whole table.
    pub const ALL: [Scope; 15] = [
        Scope::Always,
        Scope::Global,
        Scope::Groups,
        Scope::Assets,
        Scope::Filter,
        Scope::Form,
        Scope::Confirm,
        Scope::Typed,
        Scope::Shown,
        Scope::Help,
        Scope::Verify,
        Scope::Palette,
        Scope::Sync,
        Scope::Messages,
        Scope::Detail,
    ];
}

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
    fn shown(&self) -> String {
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
fn shown(text: &str) -> String {
    crate::text::visible(&crate::text::cut(text, 40)).into_owned()
}

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

fn bind(
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

impl Default for Keymap {
    /// The built-in table, one binding a line.
    #[rustfmt::skip]
    fn default() -> Self {
        use Command as C;
        use Scope::*;
        let mut bindings = vec![
            bind(&[ctrl('c')], "Ctrl-C", C::Quit, Always, "quit", None),
            bind(&[ctrl('z')], "Ctrl-Z", C::Suspend, Always, "suspend (the shell's fg resumes)", None),
            bind(&[k('j'), code(KeyCode::Down)], "j/↓", C::Down, Global, "move down", None),
            bind(&[k('k'), code(KeyCode::Up)], "k/↑", C::Up, Global, "move up", None),
            bind(&[k('g'), code(KeyCode::Home)], "g", C::Top, Global, "first row", None),
            bind(&[k('G'), code(KeyCode::End)], "G", C::Bottom, Global, "last row", None),
            bind(&[code(KeyCode::PageUp), ctrl('u')], "PgUp/^U", C::PageUp, Global, "page up", None),
            bind(&[code(KeyCode::PageDown), ctrl('d')], "PgDn/^D", C::PageDown, Global, "page down", None),
            bind(&[code(KeyCode::Tab), code(KeyCode::BackTab)], "Tab", C::NextPane, Global, "switch pane", None),
            bind(&[k('h'), code(KeyCode::Left)], "h/←", C::FocusGroups, Global, "focus groups", None),
            bind(&[k('l'), code(KeyCode::Right)], "l/→", C::FocusAssets, Global, "focus assets", None),
            bind(&[code(KeyCode::Enter)], "Enter", C::Open, Groups, "open the group", Some("open")),
            bind(&[code(KeyCode::Enter)], "Enter", C::Open, Assets, "the asset's whole detail, its picture too", None),
            bind(&[k('n')], "n", C::Create, Groups, "new group", Some("new")),
            bind(&[k('n')], "n", C::Create, Assets, "new asset (URL or file)", Some("new")),
            bind(&[k('I')], "I", C::ImportFolder, Assets, "import a folder of files", None),
            bind(&[k('r')], "r", C::Rename, Groups, "rename group", Some("rename")),
            bind(&[k('r')], "r", C::Rename, Assets, "rename asset", Some("rename")),
            bind(&[k('d')], "d", C::Delete, Groups, "delete group", Some("del")),
            bind(&[k('d')], "d", C::Delete, Assets, "delete asset", Some("del")),
            bind(&[k('y')], "y", C::CopyRef, Assets, "copy Asset://<Id> (marked: all)", Some("copy")),
            bind(&[k('Y')], "Y", C::CopySnippet, Assets, "copy Seedance content (marked: array)", None),
            bind(&[k('u')], "u", C::ShowUrl, Assets, "show the asset's URL", Some("url")),
            bind(&[k('o')], "o", C::Sort, Assets, "sort by created, updated, name, status", Some("sort")),
            bind(&[k('O')], "O", C::FlipSort, Assets, "flip the sort order", None),
            bind(&[k('s')], "s", C::CycleStatus, Global, "cycle the status filter", Some("status")),
            bind(&[k('/')], "/", C::Filter, Global, "filter by name", Some("filter")),
            bind(&[code(KeyCode::Esc)], "Esc", C::ClearFilter, Global, "clear the marks, then the name filter, then the status filter", None),
            bind(&[k('R'), code(KeyCode::F(5))], "R/F5", C::Refresh, Global, "refresh", Some("refresh")),
            bind(&[k('p')], "p", C::SwitchProject, Global, "switch project", None),
            bind(&[k(':')], ":", C::Palette, Global, "command palette: groups, assets, commands", Some("palette")),
            bind(&[k('?')], "?", C::Help, Global, "help", Some("help")),
            bind(&[k('q')], "q", C::Quit, Global, "quit", Some("quit")),
        ];
        bindings.extend(overlay_bindings());
        Keymap { bindings }
    }
}

/// The built-in bindings of the overlays and typing modes: filter, dialogs, palette,
/// questions, shown text, the sync plan, messages, the liveness check and help.
#[rustfmt::skip]
fn overlay_bindings() -> Vec<Binding> {
    use Command as C;
    use Scope::*;
    vec![
        // Typing the filter: characters edit it.
        bind(&[code(KeyCode::Enter)], "Enter", C::Keep, Filter, "keep the filter", Some("keeps")),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Filter, "clear the filter", Some("clears")),
        // Forms: characters edit the focused field.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Form, "do what the dialog names (create, rename, import…)", Some("save")),
        bind(&[code(KeyCode::Tab), code(KeyCode::Down)], "Tab", C::NextField, Form, "next field", Some("next field")),
        bind(&[code(KeyCode::BackTab), code(KeyCode::Up)], "S-Tab", C::PrevField, Form, "previous field", None),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Form, "cancel", Some("cancel")),
        // A question: only y says yes, so a reflex Enter keeps.
        bind(&[k('y')], "y", C::Submit, Confirm, "yes (delete, check the result)", Some("yes")),
        bind(&[k('n'), code(KeyCode::Esc), code(KeyCode::Enter)], "n/Esc/Enter", C::Cancel, Confirm, "no (keep, go back)", Some("no")),
        // A typed answer: characters edit it.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Typed, "delete, once the name or the count is typed", Some("delete")),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Typed, "keep", Some("keep")),
        bind(&[code(KeyCode::Esc), code(KeyCode::Enter), k('q')], "Esc", C::Cancel, Shown, "close", Some("close")),
        bind(&[k('y')], "y", C::CopyShown, Shown, "copy", Some("copy")),
        bind(&[k('?'), code(KeyCode::Esc), k('q')], "?", C::Cancel, Help, "close help", None),
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Help, "scroll down", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Help, "scroll up", None),
        bind(&[code(KeyCode::PageDown)], "PgDn", C::PageDown, Help, "scroll a page down", None),
        bind(&[code(KeyCode::PageUp)], "PgUp", C::PageUp, Help, "scroll a page up", None),
        bind(&[k('V')], "V", C::Verify, Groups, "verify a real person", None),
        // The liveness check: Enter once the phone shows success (a question comes first).
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Verify, "ask for the result (once the phone shows success)", Some("result")),
        bind(&[k('y')], "y", C::CopyShown, Verify, "copy the link", Some("copy link")),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Verify, "cancel", Some("cancel")),
        // The palette: characters edit its input.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Palette, "run the choice", Some("run")),
        bind(&[code(KeyCode::Down), ctrl('n')], "↓/^N", C::Down, Palette, "next match", None),
        bind(&[code(KeyCode::Up), ctrl('p')], "↑/^P", C::Up, Palette, "previous match", None),
        bind(&[ctrl('u')], "^U", C::ClearInput, Palette, "clear the input", None),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Palette, "close", Some("close")),
        bind(&[k(' ')], "Space", C::ToggleMark, Assets, "mark / unmark", Some("mark")),
        bind(&[k('*')], "*", C::MarkAll, Assets, "mark every asset shown", None),
        bind(&[k('t')], "t", C::Retry, Assets, "retry Failed assets (marked: all)", None),
        bind(&[k('S')], "S", C::Sync, Assets, "sync the group with a folder", None),
        bind(&[k('m')], "m", C::Messages, Global, "every message of the session", Some("messages")),
        bind(&[k('v')], "v", C::VisualSelect, Assets, "mark a range: marks follow the selection (v or Esc ends)", None),
        bind(&[k('b')], "b", C::Back, Global, "back to the group open before", None),
        bind(&[k('y')], "y", C::CopyRef, Groups, "copy the group's id", Some("copy")),
        bind(&[k('J')], "J", C::CopyJson, Global, "copy as JSON (the --json shape)", None),
        bind(&[k('x')], "x", C::OpenFile, Assets, "open the asset's file ($BROWSER)", None),
        // The messages log.
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Messages, "older… newer message", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Messages, "newer… older message", None),
        bind(&[code(KeyCode::PageDown)], "PgDn", C::PageDown, Messages, "a page down", None),
        bind(&[code(KeyCode::PageUp)], "PgUp", C::PageUp, Messages, "a page up", None),
        bind(&[k('g'), code(KeyCode::Home)], "g", C::Top, Messages, "the oldest", None),
        bind(&[k('G'), code(KeyCode::End)], "G", C::Bottom, Messages, "the newest", None),
        bind(&[k('y')], "y", C::CopyShown, Messages, "copy the message", Some("copy")),
        bind(&[code(KeyCode::Esc), k('q'), k('m')], "Esc", C::Cancel, Messages, "close", Some("close")),
        bind(&[k('e')], "e", C::EditNames, Assets, "edit names in $EDITOR (marked, else shown)", None),
        // An asset's whole detail.
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Detail, "the next asset", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Detail, "the asset before", None),
        bind(&[k('y')], "y", C::CopyRef, Detail, "copy Asset://<Id>", Some("copy")),
        bind(&[code(KeyCode::Esc), code(KeyCode::Enter), k('q')], "Esc", C::Cancel, Detail, "back to the list", Some("back")),
        // A sync's plan: Enter applies it.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Sync, "apply the plan", Some("apply")),
        bind(&[k('d')], "d", C::Delete, Sync, "delete the assets no file matches too (on/off)", Some("delete extra")),
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Sync, "scroll down", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Sync, "scroll up", None),
        bind(&[code(KeyCode::Esc), k('q')], "Esc", C::Cancel, Sync, "cancel", Some("cancel")),
    ]
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
    pub fn markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "\\|").replace('<', "\\<");
        let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
        for section in super::help::sections(self) {
            for (label, help) in &section.rows {
                let title = section.title;
                out.push_str(&format!("| {title} | `{}` | {} |\n", label, cell(help)));
            }
        }
        out
    }

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
