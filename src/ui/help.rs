//! The `?` overlay: the help text of [`crate::app::help`], styled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::help::HelpLine;
use crate::app::keymap::{Command, Scope};
use crate::app::layout::{HelpOverlay, help};
use crate::app::state::AppState;

/// Draws the help overlay.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let overlay = help(&state.keys, (area.width, area.height));
    let offset = state.help_offset.min(overlay.scroll_max());
    let title = title(state, offset, &overlay);
    let (rect, text) = (overlay.rect, overlay.text);
    let rect = Rect::new(area.x + rect.x, area.y + rect.y, rect.width, rect.height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let count = u32::try_from(text.columns.len()).unwrap_or(1);
    let areas =
        Layout::horizontal(vec![Constraint::Ratio(1, count); text.columns.len()]).split(inner);
    let scroll = u16::try_from(offset).unwrap_or(u16::MAX);
    for (column, lines) in areas.iter().zip(&text.columns) {
        let lines: Vec<Line> = lines
            .iter()
            .map(|line| styled(line, text.key_width, theme))
            .collect();
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), *column);
    }
}

/// The overlay's title: how to close it, and how to scroll it when it does not fit.
fn title(state: &AppState, offset: usize, overlay: &HelpOverlay) -> String {
    let keys = &state.keys;
    let close = keys.key(Scope::Help, Command::Cancel);
    let (shown, height) = (overlay.shown(), overlay.text.height());
    if overlay.scroll_max() == 0 {
        return format!(" Keys · {close} or Esc closes ");
    }
    let (down, up) = (
        keys.key(Scope::Help, Command::Down),
        keys.key(Scope::Help, Command::Up),
    );
    let end = (offset + shown).min(height);
    format!(
        " Keys {}-{end}/{height} · {down}/{up} · {close} closes ",
        offset + 1
    )
}

fn styled<'a>(line: &'a HelpLine, key_width: usize, theme: &Theme) -> Line<'a> {
    match line {
        HelpLine::Title(title) => Line::from(Span::styled(*title, theme.muted())),
        HelpLine::Row { key, text } => {
            let key = key.as_deref().unwrap_or("");
            Line::from(vec![
                Span::styled(format!(" {key:<key_width$} "), theme.key()),
                Span::raw(text.as_str()),
            ])
        }
        HelpLine::Blank => Line::default(),
    }
}
