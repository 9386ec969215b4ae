//! Copies to the clipboard: an asset's reference or its content item (`y`, `Y`, the marked
//! ones together), a group's id, a group or an asset as JSON (`J`).

use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::messages::Level;
use super::super::state::{AppState, Focus};
use super::toast;
use crate::api::model::{Status, asset_reference};
use crate::app::asset_row::AssetRow;

pub(super) fn copy(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(a) = state.assets.current() else {
        return Vec::new();
    };
    let reference = asset_reference(&a.id);
    let snippet = command == Command::CopySnippet;
    let item = a.content_item();
    let text = if snippet {
        item.to_string()
    } else {
        reference.clone()
    };
    let (level, note) = usable_note(a);
    let what = if snippet {
        format!("{} item for ", item["type"].as_str().unwrap_or("content"))
    } else {
        String::new()
    };
    toast(state, level, format!("copied {what}{reference}{note}"));
    vec![Effect::Copy(text)]
}

/// `y`/`Y` with marks: every marked reference, one per line, or a Seedance `content` array of
/// their type-right items.
pub(super) fn copy_marked(state: &mut AppState, command: Command) -> Vec<Effect> {
    let marked = state.marked_in_order();
    let waiting = marked.iter().filter(|a| a.status != Status::Active).count();
    let text = if command == Command::CopySnippet {
        serde_json::Value::Array(marked.iter().map(|a| a.content_item()).collect()).to_string()
    } else {
        marked
            .iter()
            .map(|a| a.reference())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let what = if command == Command::CopySnippet {
        format!("a content array of {} items", marked.len())
    } else {
        format!("{} references", marked.len())
    };
    let (level, note) = match waiting {
        0 => (Level::Success, String::new()),
        n => (Level::Info, format!(" ({n} not Active yet)")),
    };
    toast(state, level, format!("copied {what}{note}"));
    vec![Effect::Copy(text)]
}

/// A reminder when the copied asset is not Active yet.
fn usable_note(a: &AssetRow) -> (Level, String) {
    match a.status {
        Status::Active => (Level::Success, String::new()),
        other => (Level::Info, format!(" (it is {other}: usable once Active)")),
    }
}

/// `y` on a group: its id.
pub(super) fn copy_group_id(state: &mut AppState) -> Vec<Effect> {
    let Some(g) = state.groups.current() else {
        return Vec::new();
    };
    let id = g.id.clone();
    toast(state, Level::Success, format!("copied {id}"));
    vec![Effect::Copy(id)]
}

/// `J`: the selected group or asset as JSON, as `--json` prints it.
pub(super) fn copy_json(state: &mut AppState) -> Vec<Effect> {
    let (what, json) = match state.focus {
        Focus::Groups => match state.groups.current() {
            Some(g) => (g.id.clone(), serde_json::to_value(g)),
            None => return Vec::new(),
        },
        Focus::Assets => match state.assets.current() {
            Some(a) => {
                let group = state.open_group.clone().unwrap_or_default();
                let url = state.urls.signed(&a.id, state.tick).map(str::to_owned);
                let asset = a.to_asset(&group, &state.header.project, url);
                (a.id.to_string(), serde_json::to_value(asset))
            }
            None => return Vec::new(),
        },
    };
    let text = json.map_or_else(|e| e.to_string(), |v| v.to_string());
    toast(state, Level::Success, format!("copied {what} as JSON"));
    vec![Effect::Copy(text)]
}
