//! A picker's rows (the profiles a copy goes to, the projects to switch to): a window that
//! keeps the selection in view, the selected row highlighted across the width.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::fit;
use super::theme::Theme;
use crate::app::picker::{Pick, Picker};
use crate::text::visible;

/// At most `room` rows of `picker`, `inner` cells wide, each as `label` words it.
pub(super) fn rows(
    picker: &Picker,
    theme: &Theme,
    (inner, room): (usize, usize),
    label: impl Fn(Pick<'_>) -> String,
) -> Vec<Line<'static>> {
    let room = room.max(1);
    let first = picker.selected().saturating_sub(room - 1);
    (first..picker.rows().min(first + room))
        .filter_map(|r| {
            let pick = picker.row(r)?;
            let (marker, style) = if r == picker.selected() {
                ("▸ ", theme.selected())
            } else {
                ("  ", Style::new())
            };
            let shown = fit(&format!("{marker}{}", visible(&label(pick))), inner);
            let pad = " ".repeat(inner.saturating_sub(shown.width()));
            Some(Line::from(Span::styled(format!("{shown}{pad}"), style)))
        })
        .collect()
}
