//! The project switch over the screen: the name being typed, the projects known for the
//! profile that hold it (the one open and the profile's own named) after a row for a typed
//! name no project listed is, why a typed name cannot be used, and the keys.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{centered, fit, wrap};
use crate::app::dialog::SwitchProject;
use crate::app::keymap::Scope;
use crate::app::picker::Pick;
use crate::app::state::AppState;
use crate::text::visible;

/// Draws the overlay, the cursor at the end of the name.
pub fn render(
    state: &AppState,
    picker: &SwitchProject,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width.saturating_sub(4).min(72);
    let inner = usize::from(width.saturating_sub(2));
    let typed = crate::text::fit_end(&visible(picker.name.input.value()), inner.saturating_sub(3));
    let typed_width = typed.width() as u16;
    let mut lines = vec![
        Line::from(Span::styled(
            fit("Project: pick one, or type (the list narrows)", inner),
            theme.muted(),
        )),
        Line::from(vec![Span::styled("› ", theme.key()), Span::raw(typed)]),
    ];
    let room = usize::from(area.height.saturating_sub(11));
    let label = |pick: Pick<'_>| match pick {
        Pick::Listed(p) if p == picker.current => format!("{p}  · open now"),
        Pick::Listed(p) if p == state.profile_project => format!("{p}  · the profile's"),
        Pick::Listed(p) => p.to_owned(),
        Pick::Typed(p) => format!("{p}  · typed, not used here yet"),
    };
    lines.extend(super::picker::rows(
        &picker.list,
        theme,
        (inner, room),
        label,
    ));
    if picker.list.rows() == 0 {
        let text = "no project known here: type its name";
        lines.push(Line::from(Span::styled(fit(text, inner), theme.muted())));
    }
    if let Some(error) = &picker.name.error {
        for line in wrap(&visible(error), inner) {
            lines.push(Line::from(Span::styled(line, theme.error())));
        }
    }
    lines.push(Line::default());
    lines.push(super::dialog::hints(state, theme, Scope::Projects, &[]));
    let height = (lines.len() + 2) as u16;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(
        " Switch project · profile {} ",
        visible(&state.header.profile)
    );
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(fit(&title, inner), theme.focused()));
    let inner_area = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    let x = inner_area.x + (2 + typed_width).min(inner_area.width.saturating_sub(1));
    if inner_area.height > 1 {
        frame.set_cursor_position(Position::new(x, inner_area.y + 1));
    }
}
