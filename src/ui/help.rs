//! The `?` overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::centered;
use super::theme::Theme;
use crate::app::keymap::{Command, Scope};
use crate::app::layout::help_height;
use crate::app::state::AppState;

/// Draws the help overlay.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let nav = state.keys.help_rows(true);
    let act = state.keys.help_rows(false);
    let height = help_height(&state.keys);
    let rect = centered(area, 96.min(area.width.saturating_sub(2)), height);
    let offset = state.help_offset.min(crate::app::layout::help_scroll_max(
        &state.keys,
        area.height,
    ));
    frame.render_widget(Clear, rect);
    let keys = &state.keys;
    let close = keys.key(Scope::Help, Command::Cancel);
    let title = if rect.height < height {
        let (down, up) = (
            keys.key(Scope::Help, Command::Down),
            keys.key(Scope::Help, Command::Up),
        );
        format!(" Keys ({down}/{up} scroll · {close} or Esc closes) ")
    } else {
        format!(" Keys ({close} or Esc closes) ")
    };
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(inner);
    for (column, entries, heading) in [(left, nav, "Move"), (right, act, "Act")] {
        let mut lines = vec![
            Line::from(Span::styled(heading, theme.muted())),
            Line::default(),
        ];
        lines.extend(entries.into_iter().map(|(label, text)| {
            Line::from(vec![
                Span::styled(format!("{label:<7}"), theme.key()),
                Span::raw(text),
            ])
        }));
        let scroll = u16::try_from(offset).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), column);
    }
}
