//! Dialogs: create / rename forms with inline validation, delete confirmation, URL display.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{centered, wrap};
use crate::app::state::{AppState, Dialog, DialogKind, Target};
use crate::text::visible;

fn title(kind: &DialogKind) -> &'static str {
    match kind {
        DialogKind::CreateGroup => " New group ",
        DialogKind::CreateAsset { .. } => " New asset ",
        DialogKind::RenameGroup { .. } => " Rename group ",
        DialogKind::RenameAsset { .. } => " Rename asset ",
        DialogKind::ConfirmDelete { .. } => " Delete ",
        DialogKind::ShowUrl { .. } => " Asset URL ",
        DialogKind::SwitchProject => " Switch project ",
    }
}

/// Draws `dialog` over the screen.
pub fn render(state: &AppState, dialog: &Dialog, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let width = area.width.saturating_sub(4).min(72);
    let inner_width = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    match &dialog.kind {
        DialogKind::ConfirmDelete { target, name } => {
            let what = match target {
                Target::Group(_) => "group",
                Target::Asset(_) => "asset",
            };
            lines.push(Line::from(format!("Delete {what} \"{}\"?", visible(name))));
            lines.push(Line::from(Span::styled(
                "This cannot be undone.",
                theme.muted(),
            )));
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("y", theme.key()),
                Span::raw("/"),
                Span::styled("Enter", theme.key()),
                Span::raw(" delete   "),
                Span::styled("n", theme.key()),
                Span::raw("/"),
                Span::styled("Esc", theme.key()),
                Span::raw(" keep"),
            ]));
        }
        DialogKind::ShowUrl { url } => {
            lines.extend(wrap(&visible(url), inner_width).into_iter().map(Line::from));
            lines.push(Line::default());
            let mut keys = vec![Span::styled("Esc", theme.key()), Span::raw(" close")];
            if url.starts_with("http") {
                keys.extend([
                    Span::raw("   "),
                    Span::styled("y", theme.key()),
                    Span::raw(" copy"),
                ]);
            }
            lines.push(Line::from(keys));
        }
        _ => {
            for (i, field) in dialog.fields.iter().enumerate() {
                let focused = i == dialog.focus;
                let label_style = if focused { theme.key() } else { theme.muted() };
                lines.push(Line::from(Span::styled(field.label, label_style)));
                let room = inner_width.saturating_sub(2).max(1);
                let scroll = field.input.visual_scroll(room);
                let shown: String = field
                    .input
                    .value()
                    .chars()
                    .skip(scroll)
                    .take(room)
                    .collect();
                if focused {
                    let x = field.input.visual_cursor().saturating_sub(scroll) + 2;
                    cursor = Some((lines.len(), x));
                }
                lines.push(Line::from(vec![
                    Span::styled(if focused { "› " } else { "  " }, label_style),
                    Span::raw(shown),
                ]));
                if let Some(e) = &field.error {
                    lines.extend(
                        wrap(e, inner_width)
                            .into_iter()
                            .map(|l| Line::from(Span::styled(l, theme.error()))),
                    );
                }
            }
            lines.push(Line::default());
            for (text, style) in [
                (&dialog.note, theme.muted()),
                (&dialog.error, theme.error()),
            ] {
                if let Some(text) = text {
                    lines.extend(
                        wrap(text, inner_width)
                            .into_iter()
                            .map(|l| Line::from(Span::styled(l, style))),
                    );
                }
            }
            lines.push(if dialog.busy {
                Line::from(Span::styled("Working…", theme.muted()))
            } else {
                Line::from(vec![
                    Span::styled("Enter", theme.key()),
                    Span::raw(" save   "),
                    Span::styled("Tab", theme.key()),
                    Span::raw(" next field   "),
                    Span::styled("Esc", theme.key()),
                    Span::raw(" cancel"),
                ])
            });
        }
    }
    let height = (lines.len() + 2) as u16;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title(&dialog.kind), theme.focused()));
    let inner = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some((row, col)) = cursor {
        let x = inner.x + (col as u16).min(inner.width.saturating_sub(1));
        let y = inner.y + row as u16;
        if y < inner.bottom() && !dialog.busy {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
