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
use crate::app::messages::Level;
use crate::app::state::AppState;
use crate::text::visible;

/// The widest the log gets; on a screen narrower than that it takes the panes' place whole.
const WIDEST: u16 = 112;

/// Draws the log with message `selected` in view, over `area` (the panes' place).
pub fn render(state: &AppState, selected: usize, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(WIDEST);
    let height = area.height.max(3);
    let inner = usize::from(width.saturating_sub(2));
    // Under the messages: a blank line and the keys, inside the borders.
    let room = usize::from(height.saturating_sub(4));
    // Each message's lines: its time and mark, then its text wrapped under them.
    let mut lines: Vec<(usize, bool, Line)> = Vec::new();
    for (i, m) in state.messages.iter().enumerate() {
        let mark = match m.level {
            Level::Error => "✗",
            Level::Success => "✓",
            Level::Info => "·",
        };
        // The cursor: `y` copies the message it is on.
        let cursor = if i == selected { "▸" } else { " " };
        let head = format!("{cursor}{} {mark} ", state.zone.clock(m.at));
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
    // Whole messages at the top: the first shown line starts one (the selected one's start
    // when it alone is longer than the room).
    let mut start = end.saturating_sub(room);
    while start < end && !lines[start].1 {
        start += 1;
    }
    if start == end {
        start = lines
            .iter()
            .position(|(i, _, _)| *i == selected)
            .unwrap_or(end);
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
    // The keys at the bottom of the panes' place, which the log takes whole in height.
    shown.resize(room + 1, Line::default());
    shown.push(super::dialog::hints(state, theme, Scope::Messages, &[]));
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(" Messages ({}) ", state.messages.len());
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    frame.render_widget(Paragraph::new(shown).block(block), rect);
}
