//! The `?` overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::centered;
use super::theme::Theme;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::app::state::AppState;

fn is_navigation(c: Command) -> bool {
    matches!(
        c,
        Command::Up
            | Command::Down
            | Command::Top
            | Command::Bottom
            | Command::PageUp
            | Command::PageDown
            | Command::NextPane
            | Command::FocusGroups
            | Command::FocusAssets
            | Command::Open
    )
}

/// Help rows for browsing: one per label, the pane-specific meanings joined. (Dialogs show
/// their own keys under their fields.)
fn rows(keys: &Keymap, navigation: bool) -> Vec<(&str, String)> {
    let mut rows: Vec<(&str, String)> = Vec::new();
    for b in keys
        .bindings()
        .iter()
        .filter(|b| matches!(b.scope, Scope::Global | Scope::Groups | Scope::Assets))
        .filter(|b| b.command != Command::ClearFilter)
        .filter(|b| is_navigation(b.command) == navigation)
    {
        let text = b.help.to_owned();
        match rows.iter_mut().find(|(label, _)| *label == b.label) {
            Some((_, existing)) => {
                existing.push_str(" · ");
                existing.push_str(&text);
            }
            None => rows.push((&b.label, text)),
        }
    }
    rows
}

/// Draws the help overlay.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let nav = rows(&state.keys, true);
    let act = rows(&state.keys, false);
    let height = (nav.len().max(act.len()) + 4) as u16;
    let rect = centered(area, 96.min(area.width.saturating_sub(2)), height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(" Keys (? or Esc closes) ", theme.focused()));
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
        frame.render_widget(Paragraph::new(lines), column);
    }
}
