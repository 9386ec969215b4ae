//! The messages log over the screen: every message of the session with its time, whole and
//! wrapped, the selected one marked, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use super::{centered, wrap};
use crate::app::keymap::Scope;
use crate::app::state::{AppState, Level};
use crate::text::visible;

/// Draws the log with message `selected` in view.
pub fn render(state: &AppState, selected: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(2).min(110);
    let height = area.height.saturating_sub(2).max(3);
    let inner = usize::from(width.saturating_sub(2));
    let room = usize::from(height.saturating_sub(3));
    // Each message's lines: its time and mark, then its text wrapped under them.
    let mut lines: Vec<(usize, bool, Line)> = Vec::new();
    for (i, m) in state.messages.iter().enumerate() {
        let mark = match m.level {
            Level::Error => "✗",
            Level::Success => "✓",
            Level::Info => "·",
        };
        let head = format!("{} {mark} ", state.zone.clock(m.at));
        let style = match (i == selected, m.level) {
            (true, _) => theme.selected(),
            (false, Level::Error) => theme.error(),
            (false, _) => Style::new(),
        };
        let body = wrap(
            &visible(&m.text),
            inner.saturating_sub(head.chars().count()),
        );
        for (n, part) in body.into_iter().enumerate() {
            let lead = if n == 0 {
                head.clone()
            } else {
                " ".repeat(head.chars().count())
            };
            let line = Line::from(Span::styled(format!("{lead}{part}"), style));
            lines.push((i, n == 0, line));
        }
    }
    // The selected message's last line in view, as near the bottom as the log allows.
    let end = lines
        .iter()
        .rposition(|(i, _, _)| *i == selected)
        .map_or(lines.len(), |p| p + 1);
    // Whole messages at the top: the first shown line starts one.
    let mut start = end.saturating_sub(room);
    while start < end && !lines[start].1 {
        start += 1;
    }
    let mut shown: Vec<Line> = lines
        .into_iter()
        .skip(start)
        .take(room)
        .map(|(_, _, l)| l)
        .collect();
    if state.messages.is_empty() {
        shown.push(Line::from(Span::styled("No messages yet.", theme.muted())));
    }
    shown.push(Line::default());
    shown.push(super::dialog::hints(state, theme, Scope::Messages, &[]));
    let rect = centered(area, width, (shown.len() as u16 + 2).min(height));
    frame.render_widget(Clear, rect);
    let title = format!(" Messages ({}) ", state.messages.len());
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    frame.render_widget(Paragraph::new(shown).block(block), rect);
}
