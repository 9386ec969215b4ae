//! QR codes in the terminal, drawn with Unicode half blocks (two modules a character cell), so
//! a phone can scan a link off the screen, over SSH too.

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// `text` as a QR code, light modules drawn (it reads on dark terminals, and phones read
/// either way), with a quiet zone; `None` when it is too long for a QR code.
pub fn render(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_typical_h5_link_fits_an_80x24_terminal() {
        let link = "http://127.0.0.1:38383/h5/verify?token=token-20261126101010-ab3de&lng=zh-Hant";
        let code = super::render(link).unwrap();
        let rows = code.lines().count();
        let cols = code.lines().map(|l| l.chars().count()).max().unwrap();
        // With the link and a prompt under it, it fits 24 rows and 80 columns.
        assert!(rows <= 21 && cols <= 80, "{rows} rows x {cols} columns");
        assert!(
            code.chars()
                .all(|c| matches!(c, ' ' | '▀' | '▄' | '█' | '\n'))
        );
    }
}
