//! A picture's bytes (fetched, or a local file's) drawn in cells for a [`Painter`]: half
//! blocks, or encoded for the terminal's graphics protocol. Blocking: run on a worker thread.

use std::sync::Arc;

use ratatui::layout::Rect;
use ratatui_image::picker::Picker;

use super::decode::{decode_bounded, scaled_jpeg};
use super::{Graphic, MAX_PREVIEW_BYTES, NoPreview, Painter, Picture, Preview};

/// Decodes `bytes` and scales the picture to fit `cols × rows` cells, keeping its shape, for
/// `painter`. Blocking: run it on a worker thread.
pub fn render_image(
    painter: &Painter,
    bytes: &[u8],
    cols: u16,
    rows: u16,
) -> Result<Preview, NoPreview> {
    // What a decode would hold is bounded by the header's size before anything is decoded: a
    // 30 KB file may claim 65535x65535 pixels.
    let info = crate::media::read_header(bytes).map_err(|e| NoPreview::Header(e.rule))?;
    let largest = crate::media::image::MAX_SIDE_EXCLUSIVE;
    if info.width >= largest || info.height >= largest {
        return Err(NoPreview::TooLarge {
            width: info.width,
            height: info.height,
        });
    }
    let picker = match painter {
        Painter::HalfBlocks => None,
        Painter::Graphics(picker) => Some(picker),
    };
    // Pixels the cells hold: two a cell in half blocks, the cell size in pixels otherwise.
    let (cell_w, cell_h) = picker.map_or((1, 2), |p| p.font_size());
    let wanted = (
        cols.max(1).saturating_mul(cell_w),
        rows.max(1).saturating_mul(cell_h),
    );
    let img = match scaled_jpeg(bytes, wanted) {
        Some(img) => img,
        None => decode_bounded(bytes)?,
    };
    match picker {
        None => Ok(half_blocks(&img, cols, rows)),
        Some(picker) => graphic(picker, img, cols, rows),
    }
}

/// Reads the local file at `path` (at most [`MAX_PREVIEW_BYTES`]) and draws it in
/// `cols × rows` cells for `painter` when it is an image. Blocking: run it on a worker thread.
pub fn render_file(
    painter: &Painter,
    path: &std::path::Path,
    cols: u16,
    rows: u16,
) -> Result<Preview, NoPreview> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| NoPreview::Unreadable(crate::files::problem(&e));
    let file = crate::files::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_PREVIEW_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_PREVIEW_BYTES {
        return Err(NoPreview::Oversize("file"));
    }
    match crate::media::sniff(&bytes[..bytes.len().min(4096)]) {
        Some(crate::media::MediaKind::Image) => render_image(painter, &bytes, cols, rows),
        Some(kind) => Err(NoPreview::NotAnImage(kind)),
        None => Err(NoPreview::NotMedia),
    }
}

/// `img` encoded for `picker`'s protocol, fitted into `cols × rows` cells.
fn graphic(
    picker: &Picker,
    img: image::DynamicImage,
    cols: u16,
    rows: u16,
) -> Result<Preview, NoPreview> {
    let (cell_w, cell_h) = picker.font_size();
    let area = Rect::new(0, 0, cols.max(1), rows.max(1));
    // The encoder fits only what is larger than the area: a smaller picture is scaled up here
    // so it fills the preview as the half blocks do.
    let (w, h) = (img.width().max(1), img.height().max(1));
    let (max_w, max_h) = (
        u32::from(area.width) * u32::from(cell_w),
        u32::from(area.height) * u32::from(cell_h),
    );
    let img = if w < max_w && h < max_h {
        img.resize(max_w, max_h, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let bytes = (img.width() * img.height() * 4) as usize;
    let protocol = picker
        .new_protocol(img, area, ratatui_image::Resize::Fit(None))
        .map_err(|e| NoPreview::Encode(e.to_string()))?;
    let used = protocol.area();
    Ok(Preview {
        width: used.width,
        height: used.height,
        picture: Picture::Graphic(Graphic {
            protocol: Arc::new(protocol),
            bytes,
        }),
    })
}

/// `img` as half-block cells fitted into `cols × rows`.
fn half_blocks(img: &image::DynamicImage, cols: u16, rows: u16) -> Preview {
    let (w, h) = (img.width().max(1), img.height().max(1));
    let (max_w, max_h) = (u32::from(cols.max(1)), u32::from(rows.max(1)) * 2);
    // Fit inside max_w × max_h pixels (a cell is about twice as tall as wide, and holds two
    // pixel rows, so pixels are square).
    let scale = f64::min(
        f64::from(max_w) / f64::from(w),
        f64::from(max_h) / f64::from(h),
    );
    let tw = ((f64::from(w) * scale).round() as u32).clamp(1, max_w);
    let th = ((f64::from(h) * scale).round() as u32).clamp(2, max_h) & !1;
    // A box-averaging thumbnail: fast for the large factors previews need (6000 px → 46).
    let small = img.thumbnail_exact(tw, th.max(2)).to_rgb8();
    let mut cells = Vec::with_capacity((tw * th / 2) as usize);
    for y in (0..small.height()).step_by(2) {
        for x in 0..small.width() {
            let top = small.get_pixel(x, y).0;
            let bottom = small.get_pixel(x, (y + 1).min(small.height() - 1)).0;
            cells.push((top, bottom));
        }
    }
    Preview {
        width: small.width() as u16,
        height: (small.height() / 2) as u16,
        picture: Picture::Cells(cells),
    }
}

#[cfg(test)]
mod tests {
    use ratatui_image::picker::ProtocolType;

    use super::*;

    #[test]
    fn pictures_keep_their_shape_in_half_blocks() {
        let png =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
        // 800x1000 into 40x20 cells (40x40 pixels): 32x40 pixels, 32x20 cells.
        let half = Painter::HalfBlocks;
        let p = render_image(&half, &png, 40, 20).unwrap();
        assert_eq!((p.width, p.height), (32, 20));
        assert!(matches!(&p.picture, Picture::Cells(cells) if cells.len() == 32 * 20));
        assert!(render_image(&half, b"not an image", 40, 20).is_err());
        // JPEGs take the scaled decoder: 768x1024 into 30x20 cells is 30x40 pixels.
        let jpg =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.jpg")).unwrap();
        assert!(scaled_jpeg(&jpg, (30, 40)).is_some_and(|i| i.width() >= 30 && i.width() < 768));
        let p = render_image(&half, &jpg, 30, 20).unwrap();
        assert_eq!((p.width, p.height), (30, 20));
    }

    #[test]
    fn a_header_that_claims_a_huge_picture_is_not_decoded() {
        let mut jpg =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.jpg")).unwrap();
        // The frame header's height and width, claimed to be 65535 each.
        let sof = jpg
            .windows(2)
            .position(|w| w[0] == 0xFF && matches!(w[1], 0xC0 | 0xC2))
            .unwrap();
        jpg[sof + 5..sof + 9].copy_from_slice(&[0xFF; 4]);
        // Refused by its header, before any decode.
        let err = render_image(&Painter::HalfBlocks, &jpg, 40, 20).unwrap_err();
        assert_eq!(
            err,
            NoPreview::TooLarge {
                width: 65535,
                height: 65535
            }
        );
        assert_eq!(
            err.to_string(),
            "not previewed: 65535x65535 is beyond the 6000 px a side an asset may have"
        );
        // A picture the service may hold is still drawn.
        let png =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
        assert!(decode_bounded(&png).is_ok());
    }

    #[test]
    fn a_graphic_fills_the_preview_and_is_drawn_as_the_protocol_says() {
        let png =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
        let mut picker = Picker::halfblocks();
        picker.set_protocol_type(ProtocolType::Kitty);
        let kitty = Painter::Graphics(Box::new(picker));
        // 800x1000 px into 40x20 cells of 10x20 px (400x400 px): 32x20 cells.
        let p = render_image(&kitty, &png, 40, 20).unwrap();
        assert_eq!((p.width, p.height), (32, 20));
        let Picture::Graphic(g) = &p.picture else {
            panic!("a graphic, not cells")
        };
        let area = Rect::new(0, 0, 40, 20);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(ratatui_image::Image::new(g.protocol()), area, &mut buf);
        // Kitty's protocol: the picture is sent with the first cell; each row's first cell
        // holds the row's placeholders, which the terminal replaces with the picture.
        assert!(
            buf[(0, 0)].symbol().contains("\x1b_G"),
            "{:?}",
            buf[(0, 0)].symbol()
        );
        assert!(buf[(0, 19)].symbol().contains('\u{10EEEE}'));
        // A small picture is scaled up to fill the preview.
        let small = image::RgbImage::from_pixel(8, 10, image::Rgb([70, 130, 180]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(small)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let p = render_image(&kitty, &png, 40, 20).unwrap();
        assert_eq!((p.width, p.height), (32, 20));
    }
}
