//! The `:` palette: opening it over the current state, typing, and running the choice.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::keymap::{Command, Scope};
use super::super::mode::Mode;
use super::super::palette::{Choice, Entry, MAX_RECENT, Palette};
use super::super::state::{AppState, Focus, StatusFilter};
use super::panes::open_selected_group;
use super::{Keyed, display_name, refilter_assets};

/// Commands the palette leaves out: moving the selection is what the palette's own keys do.
const NOT_LISTED: [Command; 5] = [
    Command::Up,
    Command::Down,
    Command::PageUp,
    Command::PageDown,
    Command::Palette,
];

/// Opens the palette: the groups, the open group's assets, the browse commands, the other
/// profiles and the projects known for the profile but the one open
/// ([`AppState::known_projects`]).
pub(super) fn open(state: &mut AppState) {
    let groups = state.groups.items().iter().map(|g| Entry {
        label: if g.name.is_empty() {
            g.id.clone()
        } else {
            g.name.clone()
        },
        hint: "group".to_owned(),
        keywords: String::new(),
        choice: Choice::OpenGroup(g.id.clone()),
    });
    let assets = state.assets.items().iter().map(|a| Entry {
        label: display_name(a),
        hint: "asset".to_owned(),
        keywords: String::new(),
        choice: Choice::SelectAsset(a.id.to_string()),
    });
    let commands = state
        .keys
        .bindings()
        .iter()
        .filter(|b| matches!(b.scope, Scope::Global | Scope::Groups | Scope::Assets))
        .filter(|b| !NOT_LISTED.contains(&b.command))
        .filter(|b| !(state.read_only && b.command.mutates()))
        .map(|b| Entry {
            label: b.help.to_owned(),
            hint: b.label.to_string(),
            keywords: b.command.config_name().unwrap_or_default(),
            choice: Choice::Run(b.command, b.scope),
        });
    let profiles = state
        .profiles
        .iter()
        .filter(|p| **p != state.header.profile)
        .map(|p| Entry {
            label: p.clone(),
            hint: "profile".to_owned(),
            keywords: String::new(),
            choice: Choice::SwitchProfile(p.clone()),
        });
    // Projects are the domestic API's (the global one has none).
    let projects = state
        .known_projects()
        .into_iter()
        .filter(|p| *p != state.header.project)
        .map(|p| Entry {
            label: p.clone(),
            hint: "project".to_owned(),
            keywords: String::new(),
            choice: Choice::SwitchProject(p.clone()),
        });
    let entries = groups
        .chain(assets)
        .chain(commands)
        .chain(profiles)
        .chain(projects)
        .collect();
    state.mode = Mode::Palette(Box::new(Palette::new(entries, &state.palette_recent)));
}

/// A key while the palette is open.
pub(super) fn key(
    state: &mut AppState,
    mut palette: Box<Palette>,
    command: Option<Command>,
    key: KeyEvent,
) -> Keyed {
    match command {
        Some(Command::Cancel) => return Keyed::Done(Vec::new()),
        Some(Command::Submit) => {
            if let Some(entry) = palette.current().cloned() {
                return choose(state, entry);
            }
        }
        Some(Command::ClearInput) => {
            palette.input.clear();
            palette.refilter();
        }
        Some(Command::Down) => palette.move_by(1),
        Some(Command::Up) => palette.move_by(-1),
        _ => match key.code {
            KeyCode::Backspace => {
                palette.input.pop();
                palette.refilter();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                palette.input.push(c);
                palette.refilter();
            }
            _ => {}
        },
    }
    state.mode = Mode::Palette(palette);
    Keyed::Done(Vec::new())
}

/// Takes `entry` (the palette is closed) and remembers it; a command is run by the caller.
fn choose(state: &mut AppState, entry: Entry) -> Keyed {
    state.palette_recent.retain(|r| *r != entry.label);
    state.palette_recent.insert(0, entry.label.clone());
    state.palette_recent.truncate(MAX_RECENT);
    match entry.choice {
        Choice::OpenGroup(id) => {
            state.focus = Focus::Groups;
            if !state.groups.shows(&id) {
                state.groups.filter.clear();
                state.groups.refilter(|_| true);
            }
            state.groups.choose(&id, state.list_rows);
            Keyed::Done(open_selected_group(state))
        }
        Choice::SelectAsset(id) => {
            state.focus = Focus::Assets;
            if !state.assets.shows(&id) {
                state.assets.filter.clear();
                state.status_filter = StatusFilter::All;
                refilter_assets(state);
            }
            state.assets.choose(&id, state.list_rows);
            Keyed::Done(Vec::new())
        }
        Choice::Run(command, scope) => {
            match scope {
                Scope::Groups => state.focus = Focus::Groups,
                Scope::Assets => state.focus = Focus::Assets,
                _ => {}
            }
            Keyed::Run(command)
        }
        Choice::SwitchProfile(name) => Keyed::Done(super::switch::profile(state, name)),
        Choice::SwitchProject(project) => Keyed::Done(super::switch::project(state, project, None)),
    }
}
