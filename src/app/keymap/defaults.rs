//! The built-in key table, one binding a line: the panes' keys, then the overlays'.

use crossterm::event::KeyCode;

use super::key::{code, ctrl, k};
use super::{Binding, Command, Keymap, Scope, bind};

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
            bind(&[code(KeyCode::Home)], "Home", C::Top, Global, "first row", None),
            bind(&[k('g')], "g", C::Top, Groups, "first row", None),
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
            bind(&[k('p')], "p", C::SwitchProject, Global, "switch project: one known here, or a name typed", None),
            bind(&[k(':')], ":", C::Palette, Global, "command palette: groups, assets, commands", Some("palette")),
            bind(&[k('?')], "?", C::Help, Global, "help", Some("help")),
            bind(&[k('q')], "q", C::Quit, Global, "quit", Some("quit")),
        ];
        bindings.extend(overlay_bindings());
        bindings.extend(list_bindings());
        Keymap { bindings }
    }
}

/// The built-in bindings of the overlays and typing modes: filter, dialogs, palette,
/// questions, shown text, messages, the detail, the liveness check and help.
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
        bind(&[k('l')], "l", C::NextLanguage, Verify, "the page's language: English, 简体中文, 繁體中文", Some("language")),
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
        bind(&[k('C')], "C", C::CopyTo, Groups, "copy the group to another profile", None),
        bind(&[k('C')], "C", C::CopyTo, Assets, "copy the open group (marked: those assets) to another profile", None),
        bind(&[k('P')], "P", C::Pull, Groups, "pull the group's files into a folder", None),
        bind(&[k('P')], "P", C::Pull, Assets, "pull the open group's files into a folder", None),
        bind(&[k('m')], "m", C::Messages, Global, "every message of the session", Some("messages")),
        bind(&[k('v')], "v", C::VisualSelect, Assets, "mark a range: marks follow the selection (v or Esc ends)", None),
        bind(&[k('b')], "b", C::Back, Global, "back to the group (and project) open before", None),
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
        bind(&[k('g')], "g", C::Generate, Assets, "a Seedance task from the marked assets (else the selected one)", None),
        bind(&[k('T')], "T", C::Tasks, Global, "the Seedance tasks: status, elapsed time, model", None),
        // An asset's whole detail.
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Detail, "the next asset", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Detail, "the asset before", None),
        bind(&[k('y')], "y", C::CopyRef, Detail, "copy Asset://<Id>", Some("copy")),
        bind(&[code(KeyCode::Esc), code(KeyCode::Enter), k('q')], "Esc", C::Cancel, Detail, "back to the list", Some("back")),
    ]
}

/// The built-in bindings of the overlays that show a plan or a list: the sync's and the
/// copy's plans, the profiles and projects picked, the Seedance tasks.
#[rustfmt::skip]
fn list_bindings() -> Vec<Binding> {
    use Command as C;
    use Scope::*;
    vec![
        // A sync's plan: Enter applies it.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Sync, "apply the plan", Some("apply")),
        bind(&[k('d')], "d", C::Delete, Sync, "delete the assets no file matches too (on/off)", Some("delete extra")),
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Sync, "scroll down", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Sync, "scroll up", None),
        bind(&[code(KeyCode::Esc), k('q')], "Esc", C::Cancel, Sync, "cancel", Some("cancel")),
        // A copy: the profile picked, then its plan; Enter applies it.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Profiles, "plan the copy into the profile", Some("plan")),
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Profiles, "next profile", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Profiles, "profile before", None),
        bind(&[code(KeyCode::Esc), k('q')], "Esc", C::Cancel, Profiles, "cancel", Some("cancel")),
        // The project switch: characters edit the name, which narrows the list.
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Projects, "switch to the project (listed, or the name typed)", Some("switch")),
        bind(&[code(KeyCode::Down), ctrl('n')], "↓/^N", C::Down, Projects, "next project", Some("next")),
        bind(&[code(KeyCode::Up), ctrl('p')], "↑/^P", C::Up, Projects, "project before", Some("previous")),
        bind(&[ctrl('u')], "^U", C::ClearInput, Projects, "clear the name", None),
        bind(&[code(KeyCode::Esc)], "Esc", C::Cancel, Projects, "cancel", Some("cancel")),
        bind(&[code(KeyCode::Enter)], "Enter", C::Submit, Copy, "apply the plan", Some("apply")),
        bind(&[k('d')], "d", C::Delete, Copy, "delete the destination's assets no source asset matches too (on/off)", Some("delete extra")),
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Copy, "scroll down", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Copy, "scroll up", None),
        bind(&[code(KeyCode::Esc), k('q')], "Esc", C::Cancel, Copy, "cancel", Some("cancel")),
        // The Seedance tasks.
        bind(&[k('j'), code(KeyCode::Down)], "j", C::Down, Tasks, "the next task", None),
        bind(&[k('k'), code(KeyCode::Up)], "k", C::Up, Tasks, "the task before", None),
        bind(&[k('y')], "y", C::CopyRef, Tasks, "copy the video's link", Some("copy link")),
        bind(&[k('x')], "x", C::OpenFile, Tasks, "open the video ($BROWSER)", Some("open")),
        bind(&[k('D')], "D", C::Download, Tasks, "download the video into the current folder", Some("download")),
        bind(&[k('d')], "d", C::Delete, Tasks, "cancel a queued task", Some("cancel task")),
        bind(&[k('R'), code(KeyCode::F(5))], "R", C::Refresh, Tasks, "list the tasks again", None),
        bind(&[code(KeyCode::Esc), k('q'), k('T')], "Esc", C::Cancel, Tasks, "close", Some("close")),
    ]
}
