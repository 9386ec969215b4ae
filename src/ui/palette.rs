//! The `:` palette: the input, then the best matches with their kind or key at the right.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use super::{centered, fit};
use crate::app::palette::Palette;
use crate::text::visible;

/// Draws the palette near the top of the screen.
pub fn render(palette: &Palette, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(72);
    let inner = usize::from(width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(6)).clamp(1, 12);
    // Keep the selection in view: the window scrolls with it.
    let first = palette.selected.saturating_sub(rows - 1);
    // What was typed, its end in view, cut by display width (wide characters are two cells).
    let typed = crate::text::fit_end(&visible(&palette.input), inner.saturating_sub(3));
    let typed_width = unicode_width::UnicodeWidthStr::width(typed.as_str()) as u16;
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", theme.key()),
        Span::raw(typed),
    ])];
    for (pos, &i) in palette.matches.iter().enumerate().skip(first).take(rows) {
        let entry = &palette.entries[i];
        let hint = visible(&entry.hint);
        let room = inner.saturating_sub(unicode_width::UnicodeWidthStr::width(&*hint) + 1);
        let label = fit(&visible(&entry.label), room);
        let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
        let style = if pos == palette.selected {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label}{} ", " ".repeat(pad)), style),
            Span::styled(hint.into_owned(), theme.muted()),
        ]));
    }
    if palette.matches.is_empty() {
        lines.push(Line::from(Span::styled("no match", theme.muted())));
    }
    let height = (lines.len() + 2) as u16;
    let mut rect = centered(area, width, height);
    rect.y = area.y + 2.min(area.height.saturating_sub(height));
    frame.render_widget(Clear, rect);
    let title = format!(" {} of {} ", palette.matches.len(), palette.entries.len());
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(" Go to or run ", theme.focused()))
        .title_bottom(Span::styled(title, theme.muted()));
    let inner_area = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    let x = inner_area.x + (2 + typed_width).min(inner_area.width.saturating_sub(1));
    if inner_area.height > 0 {
        frame.set_cursor_position(Position::new(x, inner_area.y));
    }
}
