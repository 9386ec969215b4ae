//! Keys and pastes while an overlay has the keyboard: the filter being typed, a form, a
//! confirmation, shown text, the help overlay.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::dialog::{ConfirmDelete, Dialog};
use super::super::effect::Effect;
use super::super::effect::Target;
use super::super::keymap::Command;
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::state::AppState;
use super::{Keyed, focused_filter, refilter_focused, toast};
use crate::catalog::complete::complete_path;
use crate::catalog::import::Source;
use crate::validate;

/// Handles a key in the current (non-browse) mode; `command` is what the key table says.
pub(super) fn key(state: &mut AppState, command: Option<Command>, key: KeyEvent) -> Keyed {
    match std::mem::take(&mut state.mode) {
        // The detail follows the selection; anything that opens another mode goes there.
        Mode::Detail => match command {
            Some(Command::Cancel) | None => {
                state.mode = if command.is_none() {
                    Mode::Detail
                } else {
                    Mode::Browse
                };
                Keyed::Done(Vec::new())
            }
            Some(command) => {
                state.mode = Mode::Detail;
                Keyed::Run(command)
            }
        },
        Mode::Palette(palette) => super::palette::key(state, palette, command, key),
        mode => {
            state.mode = mode;
            Keyed::Done(overlay_key(state, command, key))
        }
    }
}

/// A key in an overlay other than the detail and the palette.
fn overlay_key(state: &mut AppState, command: Option<Command>, key: KeyEvent) -> Vec<Effect> {
    match std::mem::take(&mut state.mode) {
        Mode::Detail | Mode::Palette(_) => Vec::new(),
        Mode::Browse => Vec::new(),
        Mode::Help => {
            let max = super::super::layout::help(&state.keys, state.viewport).scroll_max();
            let page = usize::from(state.viewport.1 / 2).max(1);
            let offset = state.help_offset.min(max);
            state.help_offset = match command {
                Some(Command::Down) => (offset + 1).min(max),
                Some(Command::Up) => offset.saturating_sub(1),
                Some(Command::PageDown) => (offset + page).min(max),
                Some(Command::PageUp) => offset.saturating_sub(page),
                _ => offset,
            };
            if command != Some(Command::Cancel) {
                state.mode = Mode::Help;
            }
            Vec::new()
        }
        Mode::Filter => {
            filter_key(state, command, key);
            Vec::new()
        }
        Mode::Sync(view) => super::sync::key(state, *view, command),
        Mode::Copy(view) => super::transfer::key(state, *view, command),
        Mode::Projects(picker) => super::switch::key(state, *picker, command, key),
        Mode::Messages(selected) => messages_key(state, selected, command),
        Mode::Confirm(question) => confirm_key(state, question, command, key),
        Mode::Shown(shown) => match command {
            Some(Command::Cancel) => Vec::new(),
            Some(Command::CopyShown) if shown.copyable => {
                toast(state, Level::Success, "copied the URL".to_owned());
                vec![Effect::Copy(shown.text)]
            }
            _ => {
                state.mode = Mode::Shown(shown);
                Vec::new()
            }
        },
        Mode::Form(dialog) => form_key(state, *dialog, command, key),
        Mode::Verify(check) => super::verify::key(state, check, command),
        Mode::Tasks => super::tasks::key(state, command),
    }
}

/// A key on a delete question: only its yes deletes (`y`, or Enter once a group's name or
/// count is typed); Cancel keeps; a typed answer takes characters.
fn confirm_key(
    state: &mut AppState,
    mut question: ConfirmDelete,
    command: Option<Command>,
    key: KeyEvent,
) -> Vec<Effect> {
    match command {
        Some(Command::Cancel) => return Vec::new(),
        Some(Command::Submit) if question.ready() && !question.needs_typing() => {
            state.marks.clear();
            return deletes(question.targets);
        }
        Some(Command::Submit) if question.needs_typing() && question.typed_right() => {
            state.marks.clear();
            return deletes(question.targets);
        }
        Some(Command::Submit) => question.mistyped = question.needs_typing(),
        _ if question.needs_typing() => match key.code {
            KeyCode::Backspace => {
                question.typed.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                question.typed.push(c);
            }
            _ => {}
        },
        _ => {}
    }
    state.mode = Mode::Confirm(question);
    Vec::new()
}

/// The effects that delete `targets`: a group each, the assets all in one.
fn deletes(targets: Vec<Target>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut assets = Vec::new();
    for target in targets {
        match target {
            Target::Group(id) => effects.push(Effect::DeleteGroup(id)),
            Target::Asset(id) => assets.push(id),
        }
    }
    if !assets.is_empty() {
        effects.push(Effect::DeleteAssets(assets));
    }
    effects
}

fn filter_key(state: &mut AppState, command: Option<Command>, key: KeyEvent) {
    match command {
        Some(Command::Keep) => return,
        Some(Command::Cancel) => focused_filter(state).clear(),
        _ => {
            state.mode = Mode::Filter;
            match key.code {
                KeyCode::Backspace => {
                    focused_filter(state).pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    focused_filter(state).push(c);
                }
                _ => return,
            }
        }
    }
    refilter_focused(state);
}

fn form_key(
    state: &mut AppState,
    mut dialog: Dialog,
    command: Option<Command>,
    key: KeyEvent,
) -> Vec<Effect> {
    if command == Some(Command::Cancel) {
        return Vec::new();
    }
    let mut effects = Vec::new();
    if dialog.take_fit_offer(&key) {
        effects = submit(state, &mut dialog);
    } else if !dialog.busy {
        match command {
            // Completing a path reads one folder (bounded) right here, like a shell: keys typed
            // after Tab must land in the completed field, not race a background answer.
            Some(Command::NextField) => match dialog.path_to_complete() {
                Some(typed) if !typed.is_empty() => {
                    let completion = complete_path(&typed, std::path::Path::new("."));
                    dialog.complete(&typed, completion);
                }
                _ => dialog.move_focus(1),
            },
            Some(Command::PrevField) => dialog.move_focus(-1),
            Some(Command::Submit) => effects = submit(state, &mut dialog),
            _ => dialog.edit(key),
        }
    }
    // A folder import and a pull report in the status line: their forms are done. Every
    // other form stays open (busy) until the answer arrives.
    if !effects
        .iter()
        .any(|e| matches!(e, Effect::ImportFolder { .. } | Effect::Pull { .. }))
    {
        state.mode = Mode::Form(Box::new(dialog));
    }
    effects
}

fn submit(state: &mut AppState, dialog: &mut Dialog) -> Vec<Effect> {
    if !dialog.validate() {
        return Vec::new();
    }
    dialog.busy = true;
    dialog.error = None;
    match dialog.form.request() {
        Effect::AddAsset {
            group_id,
            source: Source::Url(url),
            name,
            fit,
        } => {
            // A private image URL is worth a warning, unless the API itself is local (emulator).
            let private = |u: &str| {
                validate::url(u)
                    .ok()
                    .and_then(|u| validate::url_warning(&u))
            };
            let local_api = private(&state.header.endpoint).is_some();
            dialog.note = private(&url).filter(|_| !local_api);
            vec![Effect::AddAsset {
                group_id,
                source: Source::Url(url),
                name,
                fit,
            }]
        }
        pull @ Effect::Pull { .. } => {
            let text = "pulling the group's files…".to_owned();
            super::note(state, Level::Info, text);
            vec![pull]
        }
        other => vec![other],
    }
}

/// Pasted text goes into the focused field or the filter being typed.
pub(super) fn paste(state: &mut AppState, text: &str) {
    match &mut state.mode {
        Mode::Form(d) if !d.busy => d.paste(text),
        Mode::Projects(picker) => picker.paste(text),
        Mode::Filter => {
            let text: String = text.chars().filter(|c| !c.is_control()).collect();
            focused_filter(state).push_str(&text);
            refilter_focused(state);
        }
        Mode::Confirm(q) if q.needs_typing() => {
            q.typed.extend(text.chars().filter(|c| !c.is_control()));
        }
        _ => {}
    }
}

/// A key in the messages log: move through the messages, copy one, or close.
fn messages_key(state: &mut AppState, selected: usize, command: Option<Command>) -> Vec<Effect> {
    let last = state.messages.len().saturating_sub(1);
    let page = usize::from(state.viewport.1 / 2).max(1);
    let selected = match command {
        Some(Command::Cancel) => return Vec::new(),
        Some(Command::CopyShown) => {
            let text = state.messages.get(selected).map(|m| m.text.clone());
            state.mode = Mode::Messages(selected);
            return match text {
                Some(text) => {
                    super::note(state, Level::Success, "copied the message".to_owned());
                    vec![Effect::Copy(text)]
                }
                None => Vec::new(),
            };
        }
        Some(Command::Down) => selected + 1,
        Some(Command::Up) => selected.saturating_sub(1),
        Some(Command::PageDown) => selected + page,
        Some(Command::PageUp) => selected.saturating_sub(page),
        Some(Command::Top) => 0,
        Some(Command::Bottom) => last,
        _ => selected,
    };
    state.mode = Mode::Messages(selected.min(last));
    Vec::new()
}
