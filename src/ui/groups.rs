//! The groups pane.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

use super::theme::Theme;
use super::{empty_message, pane_block, visible_window};
use crate::app::keymap::{Command, Scope};
use crate::app::state::{AppState, Focus};
use crate::text::visible;

/// Draws the groups list.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.groups;
    let filter = if pane.filter.is_empty() {
        String::new()
    } else {
        format!(" /{}", pane.filter)
    };
    let title = format!(" Groups ({}){filter} ", pane.visible.len());
    let block = pane_block(theme, title, state.focus == Focus::Groups);
    let create = state.keys.key(Scope::Groups, Command::Create);
    let empty = format!("No groups yet: press {create} to create one");
    // A narrow pane says in one line that the listing failed; the error itself is the status
    // line's and the messages' (a service's error wrapped at 22 columns reads as nothing).
    let failed = pane.error.as_ref().map(|_| {
        let why = state.keys.key(Scope::Global, Command::Messages);
        let retry = state.keys.key(Scope::Global, Command::Refresh);
        format!("Not listed: {why} shows why, {retry} retries.")
    });
    let message = failed.or_else(|| empty_message(pane, &state.keys, "Loading groups…", &empty));
    if let Some(message) = message {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        super::render_message(theme, frame, inner, &message, pane.error.is_some());
        return;
    }
    let width = usize::from(area.width.saturating_sub(2));
    let rows = visible_window(pane, area).map(|(pos, g)| {
        let open = state.open_group.as_deref() == Some(g.id.as_str());
        let marker = if open { "▸ " } else { "  " };
        // A verified real person's group reads as such by symbol, not colour alone.
        let person = if g.is_real_person() { "◉ " } else { "" };
        let name = format!("{marker}{person}{}", visible(&g.name));
        let mut row = Row::new([Line::from(super::fit(&name, width))]);
        if pos == pane.selected {
            row = row.style(theme.selected());
        }
        row
    });
    let table = Table::new(rows, [Constraint::Fill(1)])
        .header(Row::new(["Name"]).style(theme.muted()))
        .block(block);
    frame.render_widget(table, area);
}
