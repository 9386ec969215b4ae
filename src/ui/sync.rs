//! A sync's plan over the screen: the counts, one line a step (scrollable), and the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use super::{centered, fit};
use crate::app::keymap::{Command, Scope};
use crate::app::mode::SyncView;
use crate::app::state::AppState;
use crate::catalog::sync::Step;
use crate::text::visible;

/// Draws the plan.
pub fn render(state: &AppState, view: &SyncView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(100);
    let inner = usize::from(width.saturating_sub(2));
    let plan = view.plan.clone().deleting(view.delete);
    let c = plan.counts();
    let mut lines = vec![Line::from(format!(
        "{} to create, {} to rename, {} to delete, {} unchanged, {} refused",
        c.create,
        c.rename,
        c.delete,
        c.unchanged,
        plan.refused.len()
    ))];
    if c.extra + c.delete > 0 {
        let d = state.keys.key(Scope::Sync, Command::Delete);
        let n = c.extra + c.delete;
        let what = match (view.delete, n) {
            (true, 1) => "is deleted",
            (true, _) => "are deleted",
            (false, 1) => "is kept",
            (false, _) => "are kept",
        };
        let assets = crate::text::count(n, "asset");
        let text = format!("{assets} no file matches {what} ({d} switches)");
        lines.push(Line::from(Span::styled(text, theme.muted())));
    }
    lines.push(Line::default());
    let room = usize::from(area.height.saturating_sub(8)).max(1);
    let changes: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| !matches!(s, Step::Unchanged { .. } | Step::Duplicate { .. }))
        .map(Step::line)
        .chain(plan.refused.iter().map(|r| format!("refused   {r}")))
        .collect();
    let offset = view.offset.min(changes.len().saturating_sub(room));
    for line in changes.iter().skip(offset).take(room) {
        let style = if line.starts_with("delete") || line.starts_with("refused") {
            theme.error()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(Span::styled(fit(line, inner), style)));
    }
    if changes.is_empty() {
        lines.push(Line::from("Nothing to do: the group matches the folder."));
    }
    for note in &plan.notes {
        lines.push(Line::from(Span::styled(
            fit(&visible(note), inner),
            theme.muted(),
        )));
    }
    lines.push(Line::default());
    if view.confirming {
        let assets = crate::text::count(c.delete, "asset");
        let text = format!("Delete {assets} no file matches? This cannot be undone.");
        lines.push(Line::from(Span::styled(fit(&text, inner), theme.error())));
        lines.push(super::dialog::hints(state, theme, Scope::Confirm, &[]));
    } else {
        lines.push(super::dialog::hints(state, theme, Scope::Sync, &[]));
    }
    let height = (lines.len() + 2) as u16;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(
        " Sync with {} ",
        visible(&view.folder.display().to_string())
    );
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(fit(&title, inner), theme.focused()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
