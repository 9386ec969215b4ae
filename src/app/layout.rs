//! The screen's layout as far as behaviour depends on it: how many rows a list pane shows (a
//! page for PgUp/PgDn, the scroll window). The renderer follows the same arithmetic.

/// Columns from which the detail pane stands beside the lists.
pub const WIDE: u16 = 110;
/// Height of the detail strip under the lists on narrow terminals.
pub const STRIP: u16 = 4;

/// Rows a list pane shows for a terminal of `size` (borders and header excluded).
pub fn list_rows(size: (u16, u16)) -> usize {
    let (w, h) = size;
    let chrome = 3 + 3 + if w < WIDE { STRIP } else { 0 };
    usize::from(h.saturating_sub(chrome)).max(1)
}

/// Cells of the image preview in the detail pane for a terminal of `size` (width, rows): the
/// lower half of the pane's inside; `None` when the detail pane is a strip.
pub fn preview_cells(size: (u16, u16)) -> Option<(u16, u16)> {
    let (w, h) = size;
    if w < WIDE {
        return None;
    }
    let inner_width = (w / 3).clamp(36, 48).saturating_sub(2);
    let inner_height = h.saturating_sub(3 + 2);
    let rows = inner_height / 2;
    (rows >= 4).then_some((inner_width, rows))
}
