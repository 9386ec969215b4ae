//! QR codes in the terminal, drawn with Unicode half blocks (two modules a character cell), so
//! a phone can scan a link off the screen, over SSH too.

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code. The standard asks for 4; 2 still scan, and keep a code for a
/// typical link within 19 rows, so it fits a 24-row terminal with a line of text and keys.
const QUIET: usize = 2;

/// `text` as a QR code, light modules drawn (it reads on dark terminals, and phones read
/// either way), two modules a character cell; `None` when it is too long for a QR code.
pub(crate) fn render(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let light = |x: usize, y: usize| {
        if y >= size {
            return false;
        }
        let inside = (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
        !inside || colors[(y - QUIET) * width + (x - QUIET)] == Color::Light
    };
    let mut out = String::with_capacity(size * size / 2 * 3);
    for y in (0..size).step_by(2) {
        for x in 0..size {
            out.push(match (light(x, y), light(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    out.pop();
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_typical_h5_link_fits_an_80x24_terminal() {
        let link = "http://127.0.0.1:38383/h5/verify?token=token-20261126101010-ab3de&lng=zh-Hant";
        let code = super::render(link).unwrap();
        let rows = code.lines().count();
        let cols = code.lines().map(|l| l.chars().count()).max().unwrap();
        // With the link, a countdown, the keys and a border, it fits 24 rows and 80 columns.
        assert!(rows <= 19 && cols <= 80, "{rows} rows x {cols} columns");
        assert!(
            code.chars()
                .all(|c| matches!(c, ' ' | '▀' | '▄' | '█' | '\n'))
        );
    }
}
