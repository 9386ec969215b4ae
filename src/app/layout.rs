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
