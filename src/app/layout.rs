//! The screen's layout as far as behaviour depends on it: where the panes are ([`areas`], which
//! the renderer draws into and the mouse is read against), how many rows a list pane shows (a
//! page for PgUp/PgDn, the scroll window), the preview's cells.

use ratatui::layout::{Constraint, Layout, Rect};

use super::help::HelpText;
use super::keymap::Keymap;

/// Columns from which the detail pane stands beside the lists.
pub(crate) const WIDE: u16 = 110;
/// Height of the detail strip under the lists on narrow terminals.
pub(crate) const STRIP: u16 = 4;

/// Rows a list pane shows for a terminal of `size` (borders and header excluded).
pub fn list_rows(size: (u16, u16)) -> usize {
    let (w, h) = size;
    let chrome = 3 + 3 + if w < WIDE { STRIP } else { 0 };
    usize::from(h.saturating_sub(chrome)).max(1)
}

/// Cells of the image preview in the detail pane for a terminal of `size` (width, rows): the
/// lower half of the pane's inside; `None` when the detail pane is a strip.
pub fn preview_cells(size: (u16, u16)) -> Option<(u16, u16)> {
    detail_preview_cells(size, false)
}

/// Cells of the image preview in the detail pane (`whole`: in the whole detail over the panes,
/// Enter on an asset, as wide as the screen at any width).
pub fn detail_preview_cells(size: (u16, u16), whole: bool) -> Option<(u16, u16)> {
    let (w, h) = size;
    if w < WIDE && !whole {
        return None;
    }
    let pane = if whole { w } else { (w / 3).clamp(36, 48) };
    let inner_width = pane.saturating_sub(2);
    let inner_height = h.saturating_sub(3 + 2);
    let rows = inner_height / 2;
    (rows >= 4).then_some((inner_width, rows))
}

/// Rows the new-asset dialog needs besides a preview: its two fields, a note, its hints and
/// borders, and the screen's title and footer.
const FORM_ROWS: u16 = 12;

/// Cells of a local image's preview in the new-asset dialog on a terminal of `size`: the
/// dialog's inside width and up to 12 rows under its fields; `None` when too small.
pub fn dialog_preview_cells(size: (u16, u16)) -> Option<(u16, u16)> {
    let (w, h) = size;
    let width = w.saturating_sub(4).min(72).saturating_sub(2);
    let rows = h.saturating_sub(FORM_ROWS).min(12);
    (rows >= 4 && width >= 8).then_some((width, rows))
}

/// The widest the help overlay gets.
const HELP_WIDTH: u16 = 156;

/// The help overlay placed on a screen: where it is and its text laid out for it.
pub(crate) struct HelpOverlay {
    /// Where it is drawn, its borders included.
    pub rect: Rect,
    /// Its text, laid out for the inside's width.
    pub text: HelpText,
}

impl HelpOverlay {
    /// Lines of text the overlay shows at once.
    pub(crate) fn shown(&self) -> usize {
        usize::from(self.rect.height.saturating_sub(2))
    }

    /// How far it scrolls: the lines it cannot show.
    pub(crate) fn scroll_max(&self) -> usize {
        self.text.height().saturating_sub(self.shown())
    }
}

/// The help overlay on a screen of `size`.
pub(crate) fn help(keys: &Keymap, size: (u16, u16)) -> HelpOverlay {
    let (w, h) = size;
    let width = w.saturating_sub(2).min(HELP_WIDTH);
    let text = HelpText::new(keys, width.saturating_sub(2));
    let height = u16::try_from(text.height() + 2).unwrap_or(u16::MAX).min(h);
    let rect = Rect::new((w - width) / 2, (h - height) / 2, width, height);
    HelpOverlay { rect, text }
}

/// Where everything goes on a screen of `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The title bar.
    pub title: Rect,
    /// The groups pane.
    pub groups: Rect,
    /// The assets pane.
    pub assets: Rect,
    /// The detail pane (wide screens) or strip (narrow ones).
    pub detail: Rect,
    /// The status line.
    pub status: Rect,
    /// The footer of keys.
    pub footer: Rect,
}

/// The layout of a screen of `area`: the detail pane beside the lists from [`WIDE`] columns,
/// a strip under them below.
pub fn areas(area: Rect) -> Areas {
    let [title, main, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (groups, assets, detail) = if area.width >= WIDE {
        let [g, a, d] = Layout::horizontal([
            Constraint::Length((area.width / 5).clamp(20, 36)),
            Constraint::Fill(1),
            Constraint::Length((area.width / 3).clamp(36, 48)),
        ])
        .areas(main);
        (g, a, d)
    } else {
        let [lists, strip] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(STRIP)]).areas(main);
        let groups_width = (area.width * 3 / 10).clamp(16, 40);
        let [g, a] = Layout::horizontal([Constraint::Length(groups_width), Constraint::Fill(1)])
            .areas(lists);
        (g, a, strip)
    };
    Areas {
        title,
        groups,
        assets,
        detail,
        status,
        footer,
    }
}

/// The row of a list pane at screen row `y`, counted from the first row shown (under the
/// border and the header), when `y` is on one.
pub(crate) fn list_row(pane: Rect, y: u16) -> Option<usize> {
    let first = pane.y + 2;
    (y >= first && y < pane.bottom().saturating_sub(1)).then(|| usize::from(y - first))
}

/// Lines of text the tasks view's detail shows above the last frame.
pub(crate) const TASK_DETAIL_LINES: u16 = 9;

/// Where the tasks view draws inside `area` (between the title bar and the status line): the
/// list, and the selected task's detail beside it from [`WIDE`] columns, under it below.
pub(crate) fn tasks_areas(area: Rect) -> (Rect, Rect) {
    let [list, detail] = if area.width >= WIDE {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area)
    };
    (list, detail)
}

/// Cells of a task's last frame in the tasks view's detail, under its lines of text, on a
/// terminal of `size`; `None` when too small.
pub fn task_frame_cells(size: (u16, u16)) -> Option<(u16, u16)> {
    let (w, h) = size;
    let over = Rect::new(0, 1, w, h.saturating_sub(3));
    let (_, detail) = tasks_areas(over);
    let width = detail.width.saturating_sub(2);
    let rows = detail.height.saturating_sub(2 + TASK_DETAIL_LINES);
    (rows >= 4 && width >= 8).then_some((width, rows))
}
