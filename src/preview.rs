//! Image previews in half blocks: each terminal cell shows two pixels, the upper one as the
//! foreground of `▀` and the lower one as its background. Works in every colour terminal, over
//! SSH and in tmux; nothing is sent but ordinary coloured cells.
//!
//! Fetching, decoding and scaling run off the UI loop ([`fetch`] and [`render_image`]); the
//! loop only copies the finished cells into its frame. Finished previews are kept in a
//! [`PreviewCache`] bounded by bytes.

use std::collections::{HashMap, VecDeque};

/// Largest image downloaded for a preview (the service stores images under 30 MB).
pub const MAX_PREVIEW_BYTES: usize = 30 * 1024 * 1024;
/// The most the cache holds, in bytes of cells.
pub const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// A picture as rows of half-block cells: `(upper, lower)` RGB per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Width in cells.
    pub width: u16,
    /// Height in cells (two pixel rows each).
    pub height: u16,
    /// `width × height` cells, row by row.
    pub cells: Vec<([u8; 3], [u8; 3])>,
}

impl Preview {
    /// Bytes it takes in the cache.
    pub fn bytes(&self) -> usize {
        self.cells.len() * 6 + std::mem::size_of::<Preview>()
    }
}

/// Decodes `bytes` and scales the picture to fit `cols × rows` cells, keeping its shape.
/// Blocking: run it on a worker thread.
pub fn render_image(bytes: &[u8], cols: u16, rows: u16) -> Result<Preview, String> {
    let wanted = (cols.max(1), rows.max(1).saturating_mul(2));
    let img = match scaled_jpeg(bytes, wanted) {
        Some(img) => img,
        None => image::load_from_memory(bytes).map_err(|e| format!("cannot be decoded: {e}"))?,
    };
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
    Ok(Preview {
        width: small.width() as u16,
        height: (small.height() / 2) as u16,
        cells,
    })
}

/// A JPEG decoded at the smallest DCT scale (1/8, 1/4, 1/2 or full) still at least `wanted`
/// pixels: a 6000 px photo is decoded as 750 px, several times faster. `None` for anything
/// else (or a JPEG this decoder cannot read), which the general decoder then takes.
fn scaled_jpeg(bytes: &[u8], (w, h): (u16, u16)) -> Option<image::DynamicImage> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    decoder.scale(w, h).ok()?;
    let pixels = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(width, height, pixels).map(image::DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(width, height, pixels).map(image::DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => None,
    }
}

/// Downloads the image at `url`, at most [`MAX_PREVIEW_BYTES`].
pub async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let mut resp = http.get(url).send().await.map_err(|e| {
        format!(
            "cannot be downloaded: {}",
            crate::api::wire::error_chain(&e.without_url())
        )
    })?;
    if !resp.status().is_success() {
        return Err(format!("download answered HTTP {}", resp.status()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| {
        format!(
            "download broke off: {}",
            crate::api::wire::error_chain(&e.without_url())
        )
    })? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_PREVIEW_BYTES {
            return Err("the image is larger than 30 MB".to_owned());
        }
    }
    Ok(bytes)
}

/// Reads the local file at `path` (at most [`MAX_PREVIEW_BYTES`]) and draws it in
/// `cols × rows` cells when it is an image. Blocking: run it on a worker thread.
pub fn render_file(path: &std::path::Path, cols: u16, rows: u16) -> Result<Preview, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_PREVIEW_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() > MAX_PREVIEW_BYTES {
        return Err("the file is larger than 30 MB".to_owned());
    }
    match crate::media::sniff(&bytes[..bytes.len().min(4096)]) {
        Some(crate::media::MediaKind::Image) => render_image(&bytes, cols, rows),
        Some(kind) => Err(format!(
            "a {} file: its rules are checked when it is sent",
            kind.asset_type().to_lowercase()
        )),
        None => Err("not an image, video or audio file".to_owned()),
    }
}

/// What is known of an asset's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewState {
    /// Being fetched and drawn.
    Loading,
    /// Ready.
    Ready(Preview),
    /// It could not be made.
    Failed(String),
}

/// Previews by asset id, the least recently stored dropped past [`CACHE_BYTES`].
#[derive(Debug, Clone, Default)]
pub struct PreviewCache {
    entries: HashMap<String, PreviewState>,
    order: VecDeque<String>,
    bytes: usize,
}

impl PreviewCache {
    /// The state of `id`'s preview, if it was asked for.
    pub fn get(&self, id: &str) -> Option<&PreviewState> {
        self.entries.get(id)
    }

    /// Records `state` for `id`, dropping the oldest entries while over the bound.
    pub fn put(&mut self, id: String, state: PreviewState) {
        if let Some(old) = self.entries.remove(&id) {
            self.bytes -= size(&old);
            self.order.retain(|o| *o != id);
        }
        self.bytes += size(&state);
        self.entries.insert(id.clone(), state);
        self.order.push_back(id);
        while self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.entries.remove(&oldest) {
                self.bytes -= size(&gone);
            }
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

fn size(state: &PreviewState) -> usize {
    match state {
        PreviewState::Ready(p) => p.bytes(),
        PreviewState::Loading | PreviewState::Failed(_) => 64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_keep_their_shape_in_half_blocks() {
        let png =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
        // 800x1000 into 40x20 cells (40x40 pixels): 32x40 pixels, 32x20 cells.
        let p = render_image(&png, 40, 20).unwrap();
        assert_eq!((p.width, p.height), (32, 20));
        assert_eq!(p.cells.len(), 32 * 20);
        assert!(render_image(b"not an image", 40, 20).is_err());
        // JPEGs take the scaled decoder: 768x1024 into 30x20 cells is 30x40 pixels.
        let jpg =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.jpg")).unwrap();
        assert!(scaled_jpeg(&jpg, (30, 40)).is_some_and(|i| i.width() >= 30 && i.width() < 768));
        let p = render_image(&jpg, 30, 20).unwrap();
        assert_eq!((p.width, p.height), (30, 20));
    }

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let mut cache = PreviewCache::default();
        let big = Preview {
            width: 1000,
            height: 1000,
            cells: vec![([0; 3], [0; 3]); 1_000_000],
        };
        for i in 0..10 {
            cache.put(format!("a{i}"), PreviewState::Ready(big.clone()));
        }
        assert!(cache.bytes() <= CACHE_BYTES);
        assert!(cache.get("a9").is_some() && cache.get("a0").is_none());
    }
}
