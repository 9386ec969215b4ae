//! Rendering: a pure function from [`AppState`] to a frame.
//!
//! Layout: title bar, then groups | assets | detail (the detail pane becomes a strip under the
//! lists below [`WIDE`] columns), then the status line and the key footer. Only the visible
//! window of each list is built, so a frame costs the same for 100 or 100,000 assets.

pub(crate) use crate::text::{fit, wrap};

pub mod assets;
pub mod columns;
pub mod copy;
pub mod detail;
pub mod dialog;
pub mod groups;
pub mod help;
pub mod messages;
pub mod palette;
pub(crate) mod picker;
pub mod projects;
pub mod sync;
pub mod tasks;
pub mod theme;
pub mod verify;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::keymap::{Command, Keymap, Scope};
use crate::app::layout::{WIDE, areas};
use crate::app::list_pane::{ListPane, Row};
use crate::app::messages::Level;
use crate::app::mode::Mode;
use crate::app::state::{AppState, Focus};
use crate::text::visible;
pub use theme::Theme;

/// Draws the whole screen: the state as it is, in `theme`'s styles.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let at = areas(area);
    let mut graphics = None;
    render_title(state, theme, frame, at.title);
    groups::render(state, theme, frame, at.groups);
    assets::render(state, theme, frame, at.assets);
    if area.width >= WIDE {
        detail::render(state, theme, frame, at.detail, &mut graphics);
    } else {
        detail::render_strip(state, theme, frame, at.detail);
    }
    render_status(state, theme, frame, at.status);
    render_footer(state, theme, frame, at.footer);
    match &state.mode {
        Mode::Browse | Mode::Filter => {}
        Mode::Help => help::render(state, theme, frame, area),
        Mode::Verify(check) => verify::render(state, check, theme, frame, area),
        Mode::Palette(palette) => palette::render(palette, theme, frame, area),
        Mode::Sync(view) => sync::render(state, view, theme, frame, area),
        Mode::Copy(view) => copy::render(state, view, theme, frame, area),
        Mode::Projects(picker) => projects::render(state, picker, theme, frame, area),
        Mode::Messages(selected) => {
            messages::render(state, *selected, theme, frame, over_panes(&at, area))
        }
        Mode::Detail => {
            let over = over_panes(&at, area);
            frame.render_widget(ratatui::widgets::Clear, over);
            detail::render(state, theme, frame, over, &mut graphics);
        }
        Mode::Tasks => tasks::render(state, theme, frame, over_panes(&at, area), &mut graphics),
        Mode::Form(_) | Mode::Confirm(_) | Mode::Shown(_) => {
            dialog::render(state, theme, frame, area, &mut graphics)
        }
    }
    guard(frame);
    // A picture in the terminal's graphics protocol holds escape sequences the guard would
    // stop: it is drawn after it (made here from decoded pixels, never from the service's text).
    if let Some((graphic, rect)) = graphics {
        frame.render_widget(ratatui_image::Image::new(graphic.protocol()), rect);
    }
}

/// Where an overlay that takes the panes' place goes: between the title bar and the status
/// line, the whole width (so no pane's border shows through beside it).
fn over_panes(at: &crate::app::layout::Areas, area: Rect) -> Rect {
    Rect {
        y: at.groups.y,
        height: at.status.y.saturating_sub(at.groups.y),
        ..area
    }
}

/// The last line of defence: a cell that still holds a character a terminal would obey (every
/// string from the service is already made [`visible`] where it is drawn) shows U+FFFD.
/// A wide character whose second cell an overlay drew over (a CJK name under a dialog's
/// border) gives way to a space, or the terminal would draw it over the border.
fn guard(frame: &mut Frame) {
    let buffer = frame.buffer_mut();
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(crate::text::is_unsafe) {
            cell.set_symbol("\u{fffd}");
        }
    }
    let width = usize::from(buffer.area.width);
    for row in buffer.content.chunks_mut(width.max(1)) {
        for x in 1..row.len() {
            let covered = !matches!(row[x].symbol(), " " | "");
            if covered && unicode_width::UnicodeWidthStr::width(row[x - 1].symbol()) > 1 {
                row[x - 1].set_symbol(" ");
            }
        }
    }
}

fn render_title(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let h = &state.header;
    let busy = state.groups.loading || state.assets.loading || state.poll.in_flight;
    let activity = if busy {
        Theme::spinner(state.tick)
    } else {
        " "
    };
    let mut text = format!(
        " ark-assets │ {} │ {} │ {}",
        h.profile, h.dialect, h.endpoint
    );
    if !h.project.is_empty() {
        text.push_str(&format!(" │ project {}", h.project));
    }
    let width = usize::from(area.width);
    let text = fit(&visible(&text), width.saturating_sub(2));
    let pad = width.saturating_sub(text.chars().count() + 2);
    let line = format!("{text}{} {activity}", " ".repeat(pad));
    frame.render_widget(Paragraph::new(line).style(theme.title()), area);
}

fn render_status(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = if matches!(state.mode, Mode::Filter) {
        let filter = match state.focus {
            Focus::Groups => &state.groups.filter,
            Focus::Assets => &state.assets.filter,
        };
        Line::from(vec![
            Span::styled("/", theme.key()),
            Span::raw(visible(filter).into_owned()),
            Span::styled("█", theme.muted()),
        ])
    } else if let Some(t) = &state.toast {
        let style = match t.level {
            Level::Info => Style::new(),
            Level::Success => theme.success(),
            Level::Error => theme.error(),
        };
        Line::from(Span::styled(status_line(state, t, area.width), style))
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The status line's message, whole when it fits; else cut, ending in `… (m)`: the log holds
/// it whole.
fn status_line(state: &AppState, toast: &crate::app::messages::Toast, width: u16) -> String {
    let line = toast.line();
    if toast.fits(width) {
        return line;
    }
    let more = format!(" ({})", state.keys.key(Scope::Global, Command::Messages));
    let room = usize::from(width).saturating_sub(more.chars().count());
    format!("{}{more}", fit(&line, room))
}

/// The footer: the keys of what has the keyboard (the pane, the filter being typed, the
/// detail), after what the session is in (read-only, a visual selection, a count typed).
fn render_footer(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let scope = match (&state.mode, state.focus) {
        (Mode::Filter | Mode::Detail | Mode::Tasks, _) => state.scope(),
        (_, Focus::Groups) => Scope::Groups,
        (_, Focus::Assets) => Scope::Assets,
    };
    let mut spans = Vec::new();
    let mut used = 0;
    let flags = [
        (state.read_only, "READ-ONLY", theme.error()),
        (state.visual.is_some(), "VISUAL", theme.key()),
    ];
    for (_, flag, style) in flags.into_iter().filter(|(on, ..)| *on) {
        spans.push(Span::styled(flag, style));
        spans.push(Span::raw(" "));
        used += flag.len() + 1;
    }
    if let Some(n) = state.count {
        let shown = format!("{n} ");
        used += shown.chars().count();
        spans.push(Span::styled(shown, theme.key()));
    }
    // `? help` always has its place at the end, where it works: the rest fit before it.
    let help = matches!(scope, Scope::Groups | Scope::Assets)
        .then(|| state.keys.key(scope, Command::Help).to_owned());
    let help_width = help
        .as_ref()
        .map_or(0, |h| h.chars().count() + " help".len());
    let room = usize::from(area.width).saturating_sub(help_width);
    for (keys, word) in state.keys.hints(scope) {
        if word == "help" {
            continue;
        }
        if state.read_only
            && state
                .keys
                .bindings()
                .iter()
                .any(|b| b.label == keys && b.hint == Some(word) && b.command.mutates())
        {
            continue;
        }
        // "R/F5" shows as "R": the footer is for the short form.
        let keys = keys
            .split('/')
            .next()
            .filter(|k| !k.is_empty())
            .unwrap_or(keys);
        let width = keys.chars().count() + word.chars().count() + 2;
        if used + width > room {
            break;
        }
        used += width;
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {word} ")));
    }
    if let Some(help) = help {
        spans.push(Span::styled(help, theme.key()));
        spans.push(Span::raw(" help"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered pane, highlighted when focused.
pub(crate) fn pane_block(theme: &Theme, title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        theme.focused()
    } else {
        theme.muted()
    };
    Block::bordered()
        .border_style(style)
        .title(Span::styled(title, style))
}

/// What to show instead of rows: loading, the error, or an empty-state hint (keys named as
/// `keys` binds them).
pub(crate) fn empty_message<T>(
    pane: &ListPane<T>,
    keys: &Keymap,
    loading: &str,
    empty: &str,
) -> Option<String> {
    if let Some(e) = &pane.error {
        let retry = keys.key(Scope::Global, Command::Refresh);
        return Some(format!("{e}\n\nPress {retry} to retry."));
    }
    if pane.visible.is_empty() {
        return Some(if pane.loading {
            loading.to_owned()
        } else if pane.items().is_empty() {
            empty.to_owned()
        } else {
            let clear = keys.key(Scope::Global, Command::ClearFilter);
            format!("Nothing matches the filter ({clear} clears it)")
        });
    }
    None
}

/// A wrapped message inside a pane.
pub(crate) fn render_message(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    text: &str,
    error: bool,
) {
    let style = if error { theme.error() } else { theme.muted() };
    frame.render_widget(
        Paragraph::new(text.to_owned())
            .style(style)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The rows of `pane` that fit in `area` (bordered, one header line), with their positions.
pub(crate) fn visible_window<'a, T: Row>(
    pane: &'a ListPane<T>,
    area: Rect,
) -> impl Iterator<Item = (usize, &'a T)> + 'a {
    let rows = usize::from(area.height.saturating_sub(3)).max(1);
    let mut offset = pane.offset.min(pane.visible.len().saturating_sub(1));
    if pane.selected >= offset + rows {
        offset = pane.selected + 1 - rows;
    } else if pane.selected < offset {
        offset = pane.selected;
    }
    pane.visible
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(pos, &i)| (pos, &pane.items()[i]))
}

/// `line` cut to `width` cells, ending in `…` where it was cut; its spans keep their styles.
pub(crate) fn fit_line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let mut left = width;
    let mut spans = Vec::new();
    for span in line.spans {
        let cells = span.width();
        if cells < left {
            left -= cells;
            spans.push(span);
            continue;
        }
        // The span where the room ends is cut to it with a `…` (a cell added so that a span
        // exactly as wide as the room is cut too: spans follow it).
        let kept = fit(&format!("{} ", span.content), left);
        spans.push(Span::styled(kept, span.style));
        break;
    }
    Line::from(spans)
}

/// A rectangle of at most `width` x `height` centred in `area` (clamped to it).
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
