//! Dialogs: forms with inline validation, the delete confirmation, shown text. The key hints
//! under each come from the key table's scope for that mode.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{centered, wrap};
use crate::app::dialog::{ConfirmDelete, Dialog, Form, GenerateTaskForm, TextField};
use crate::app::keymap::Scope;
use crate::app::mode::Mode;
use crate::app::state::AppState;
use crate::preview::{Graphic, PreviewState};
use crate::text::visible;

/// The hint line of `scope`: `Enter save   Tab next field   Esc cancel`.
pub(crate) fn hints(state: &AppState, theme: &Theme, scope: Scope, skip: &[&str]) -> Line<'static> {
    hints_worded(state, theme, scope, |word| {
        (!skip.contains(&word)).then_some(word)
    })
}

/// A form's hint line: Enter named for what it does (`Enter import`), Tab only where it moves
/// to another field or completes a path.
fn form_hints(state: &AppState, theme: &Theme, form: &Form) -> Line<'static> {
    let one_field = form.fields().len() == 1;
    hints_worded(state, theme, Scope::Form, |word| match word {
        "save" => Some(form.action()),
        "next field" if one_field => form.lone_tab(),
        word => Some(word),
    })
}

/// The hint line of `scope`, each hint's word as `word` makes it (`None`: left out).
fn hints_worded<'w>(
    state: &'w AppState,
    theme: &Theme,
    scope: Scope,
    word: impl Fn(&'w str) -> Option<&'w str>,
) -> Line<'static> {
    let mut spans = Vec::new();
    for (keys, word) in state
        .keys
        .hints(scope)
        .into_iter()
        .filter_map(|(k, w)| Some((k, word(w)?)))
    {
        if !spans.is_empty() {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(keys.to_owned(), theme.key()));
        spans.push(Span::raw(format!(" {word}")));
    }
    Line::from(spans)
}

/// The typed answer of a delete question: the prompt, the field, and a line when Enter was
/// pressed on something else; where the cursor is (line, column).
fn typed_answer(
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
    question: &ConfirmDelete,
    inner_width: usize,
) -> (usize, usize) {
    lines.push(Line::from(question.typing_prompt()));
    let room = inner_width.saturating_sub(3).max(1);
    let typed = visible(&question.typed);
    // The end of a long answer shows, where the cursor is.
    let shown = crate::text::fit_end(&typed, room);
    let cursor = (lines.len(), 2 + UnicodeWidthStr::width(shown.as_str()));
    lines.push(Line::from(vec![
        Span::styled("> ", theme.key()),
        Span::raw(shown),
    ]));
    if question.mistyped {
        let (name, count) = question.answers();
        let want = match count {
            Some(c) => format!("\"{name}\" or {c}"),
            None => format!("\"{name}\""),
        };
        lines.push(Line::from(Span::styled(
            crate::text::fit(&format!("Not deleted: type {want}"), inner_width),
            theme.error(),
        )));
    }
    lines.push(Line::default());
    cursor
}

/// The lines of a form, and where its cursor is (line, column).
fn form_lines(
    state: &AppState,
    theme: &Theme,
    dialog: &Dialog,
    inner_width: usize,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, field) in dialog.form.fields().into_iter().enumerate() {
        let focused = i == dialog.focus;
        let label_style = if focused { theme.key() } else { theme.muted() };
        lines.push(Line::from(Span::styled(field.label, label_style)));
        let room = inner_width.saturating_sub(2).max(1);
        let rows = dialog.form.rows_of(i);
        let (shown, at) = if rows > 1 {
            wrapped_input(field, room, rows)
        } else {
            let scroll = field.input.visual_scroll(room);
            let shown: String = field
                .input
                .value()
                .chars()
                .skip(scroll)
                .take(room)
                .collect();
            let x = field.input.visual_cursor().saturating_sub(scroll);
            (vec![shown], (0, x))
        };
        if focused {
            cursor = Some((lines.len() + at.0, at.1 + 2));
        }
        for (n, part) in shown.iter().enumerate() {
            let lead = if focused && n == 0 { "› " } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(lead, label_style),
                Span::raw(visible(part).into_owned()),
            ]));
        }
        if let Some(e) = &field.error {
            lines.extend(
                wrap(e, inner_width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.error()))),
            );
        } else if let Some(note) = field.note() {
            lines.extend(
                wrap(note, inner_width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted()))),
            );
        }
    }
    lines.push(Line::default());
    if let Form::GenerateTask(form) = &dialog.form {
        legend_lines(&mut lines, theme, form, inner_width);
    }
    for (text, style) in [
        (&dialog.note, theme.muted()),
        (&dialog.error, theme.error()),
    ] {
        if let Some(text) = text {
            lines.extend(
                wrap(&visible(text), inner_width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, style))),
            );
        }
    }
    match file_preview(state, dialog) {
        Some(PreviewState::Loading) => lines.push(Line::from(Span::styled(
            "Reading the file for a preview…",
            theme.muted(),
        ))),
        Some(PreviewState::Failed(why)) => lines.extend(
            wrap(&visible(&format!("No preview: {why}")), inner_width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.muted()))),
        ),
        Some(PreviewState::Ready(_)) | None => {}
    }
    lines.push(if dialog.busy {
        Line::from(Span::styled("Working…", theme.muted()))
    } else {
        form_hints(state, theme, &dialog.form)
    });
    (lines, cursor.filter(|_| !dialog.busy))
}

/// A field shown over `rows` rows of `room` cells: its value cut into rows (the rows around
/// the cursor when it holds more), and where the cursor is (row, column).
fn wrapped_input(field: &TextField, room: usize, rows: usize) -> (Vec<String>, (usize, usize)) {
    let chars: Vec<char> = field.input.value().chars().collect();
    let all: Vec<String> = chars.chunks(room).map(|c| c.iter().collect()).collect();
    let at = field.input.visual_cursor();
    let (row, col) = (at / room, at % room);
    let first = (row + 1).saturating_sub(rows);
    let mut shown: Vec<String> = all.into_iter().skip(first).take(rows).collect();
    shown.resize(rows, String::new());
    (shown, (row - first, col))
}

/// The task form's legend: which asset is which, or that they are being read.
fn legend_lines(
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
    form: &GenerateTaskForm,
    inner_width: usize,
) {
    lines.push(Line::from(Span::styled(
        format!("References ({} assets)", form.assets.len()),
        theme.muted(),
    )));
    match &form.legend {
        None => lines.push(Line::from(Span::styled(
            "  reading the assets…",
            theme.muted(),
        ))),
        Some(legend) => lines.extend(legend.iter().map(|l| {
            Line::from(format!(
                "  {}",
                super::fit(l, inner_width.saturating_sub(2))
            ))
        })),
    }
    lines.push(Line::default());
}

/// The preview of the local file the new-asset dialog names, once asked for.
fn file_preview<'a>(state: &'a AppState, dialog: &Dialog) -> Option<&'a PreviewState> {
    let Form::CreateAsset(form) = &dialog.form else {
        return None;
    };
    state.previews.get(form.preview.as_deref()?)
}

/// Draws the open dialog over the screen; a preview in a graphics protocol goes into
/// `graphics`.
pub fn render<'a>(
    state: &'a AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    graphics: &mut Option<(&'a Graphic, Rect)>,
) {
    let widest = match &state.mode {
        Mode::Form(d) if matches!(d.form, Form::GenerateTask(_)) => 100,
        _ => 72,
    };
    let width = area.width.saturating_sub(4).min(widest);
    let inner_width = usize::from(width.saturating_sub(2));
    let mut picture = None;
    let (title, lines, cursor) = match &state.mode {
        Mode::Form(dialog) => {
            let (lines, cursor) = form_lines(state, theme, dialog, inner_width);
            if let Some(PreviewState::Ready(p)) = file_preview(state, dialog)
                && theme.color
            {
                picture = Some(p);
            }
            (dialog.form.title(), lines, cursor)
        }
        Mode::Confirm(question) => {
            let (asked, consequence) = question.question();
            let mut lines: Vec<Line> = wrap(&asked, inner_width)
                .into_iter()
                .map(Line::from)
                .collect();
            lines.extend(
                wrap(&consequence, inner_width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted()))),
            );
            lines.push(Line::default());
            let mut cursor = None;
            if question.needs_typing() {
                cursor = Some(typed_answer(&mut lines, theme, question, inner_width));
            }
            // No answer while the group's assets are being counted.
            let skip: &[&str] = if question.ready() { &[] } else { &["yes"] };
            lines.push(hints(state, theme, state.scope(), skip));
            (" Delete ", lines, cursor)
        }
        Mode::Shown(shown) => {
            let mut lines: Vec<Line> = wrap(&visible(&shown.text), inner_width)
                .into_iter()
                .map(Line::from)
                .collect();
            lines.push(Line::default());
            let skip: &[&str] = if shown.copyable { &[] } else { &["copy"] };
            lines.push(hints(state, theme, Scope::Shown, skip));
            (shown.title, lines, None)
        }
        Mode::Browse
        | Mode::Filter
        | Mode::Help
        | Mode::Verify(_)
        | Mode::Palette(_)
        | Mode::Sync(_)
        | Mode::Copy(_)
        | Mode::Projects(_)
        | Mode::Messages(_)
        | Mode::Detail
        | Mode::Tasks => return,
    };
    // A local image's picture goes under the form.
    let height = (lines.len() + 2) as u16 + picture.map_or(0, |p| p.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    let inner = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some(p) = picture {
        super::detail::draw_preview(p, p.height, frame, inner, graphics);
    }
    if let Some((row, col)) = cursor {
        let x = inner.x + (col as u16).min(inner.width.saturating_sub(1));
        let y = inner.y + row as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
