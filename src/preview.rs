//! Image previews, painted in half blocks or in the terminal's own graphics protocol.
//!
//! Half blocks: each terminal cell shows two pixels, the upper one as the foreground of `▀` and
//! the lower one as its background. Works in every colour terminal, over SSH and in tmux;
//! nothing is sent but ordinary coloured cells. Terminals that say (by their environment) they
//! speak kitty's or iTerm2's graphics protocol, and tell their cell size in pixels, get the
//! picture at full resolution through ratatui-image's encoders ([`Painter::detect`]).
//!
//! Fetching, decoding and scaling run off the UI loop ([`fetch`] and [`render_image`]); the
//! loop only copies the finished cells into its frame. Finished previews are kept in a
//! [`PreviewCache`] bounded by bytes.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use ratatui::layout::Rect;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;

/// Largest image downloaded for a preview (the service stores images under 30 MB).
pub(crate) const MAX_PREVIEW_BYTES: usize = 30 * 1024 * 1024;
/// The most the cache holds, in bytes of cells.
pub(crate) const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// How pictures reach the terminal, chosen once at start.
#[derive(Clone, Default)]
pub enum Painter {
    /// Two pixels a cell, in coloured `▀`.
    #[default]
    HalfBlocks,
    /// The terminal's graphics protocol, at its cell size in pixels.
    Graphics(Box<Picker>),
}

impl std::fmt::Debug for Painter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The longest wait for the terminal to say which graphics protocol it speaks.
pub(crate) const QUERY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(200);

impl Painter {
    /// What the terminal speaks: asked (once, at most [`QUERY_TIMEOUT`]) only when its
    /// environment (`var`) names a terminal known to speak a graphics protocol and to answer
    /// at once (kitty, Ghostty, iTerm2, WezTerm, foot, mlterm, Windows Terminal), not inside
    /// tmux or screen (which would have to pass the pictures through). Half blocks anywhere
    /// else, and when the answer names no protocol. Run it in raw mode before reading input.
    pub(crate) fn detect(var: impl Fn(&str) -> Option<String>) -> Painter {
        if !Painter::worth_asking(var) {
            return Painter::HalfBlocks;
        }
        let mut options = ratatui_image::picker::cap_parser::QueryStdioOptions::default();
        options.timeout = QUERY_TIMEOUT;
        match Picker::from_query_stdio_with_options(options) {
            Ok(picker) if picker.protocol_type() != ProtocolType::Halfblocks => {
                Painter::Graphics(Box::new(picker))
            }
            _ => Painter::HalfBlocks,
        }
    }

    /// Whether the environment names a graphics-capable terminal outside a multiplexer. Never
    /// inside tmux: asking there would have ratatui-image turn tmux's `allow-passthrough` on
    /// (for good, in the user's server), so the query is not made at all.
    pub(crate) fn worth_asking(var: impl Fn(&str) -> Option<String>) -> bool {
        let has = |name: &str, test: &dyn Fn(&str) -> bool| var(name).is_some_and(|v| test(&v));
        let multiplexed = var("TMUX").is_some()
            || has("TERM_PROGRAM", &|t| t == "tmux")
            || has("TERM", &|t| {
                t.starts_with("tmux") || t.starts_with("screen")
            });
        let graphical = has("TERM", &|t| {
            [
                "xterm-kitty",
                "xterm-ghostty",
                "foot",
                "foot-extra",
                "mlterm",
            ]
            .contains(&t)
        }) || var("KITTY_WINDOW_ID").is_some()
            || var("WT_SESSION").is_some()
            || has("TERM_PROGRAM", &|t| {
                ["ghostty", "iTerm.app", "WezTerm"].contains(&t)
            })
            || has("LC_TERMINAL", &|t| t == "iTerm2");
        graphical && !multiplexed
    }

    /// Its name, as the status line tells it.
    pub fn name(&self) -> &'static str {
        match self {
            Painter::HalfBlocks => "half blocks",
            Painter::Graphics(p) => match p.protocol_type() {
                ProtocolType::Kitty => "kitty graphics",
                ProtocolType::Iterm2 => "iTerm2 graphics",
                ProtocolType::Sixel => "sixel graphics",
                ProtocolType::Halfblocks => "half blocks",
            },
        }
    }
}

/// A picture ready for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Width in cells.
    pub width: u16,
    /// Height in cells.
    pub height: u16,
    /// What fills them.
    pub picture: Picture,
}

/// What fills a preview's cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// `width × height` half-block cells, row by row: `(upper, lower)` RGB per cell.
    Cells(Vec<([u8; 3], [u8; 3])>),
    /// The picture encoded in the terminal's graphics protocol.
    Graphic(Graphic),
}

/// A picture encoded for a graphics protocol (shared, never copied).
#[derive(Clone)]
pub struct Graphic {
    protocol: Arc<Protocol>,
    bytes: usize,
}

impl Graphic {
    /// The encoded picture, for ratatui-image's `Image` widget.
    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }
}

impl PartialEq for Graphic {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.protocol, &other.protocol)
    }
}

impl Eq for Graphic {}

impl std::fmt::Debug for Graphic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Graphic({} bytes)", self.bytes)
    }
}

impl Preview {
    /// Bytes it takes in the cache.
    pub fn bytes(&self) -> usize {
        let picture = match &self.picture {
            Picture::Cells(cells) => cells.len() * 6,
            Picture::Graphic(g) => g.bytes,
        };
        picture + std::mem::size_of::<Preview>()
    }
}

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
    let info = crate::validate::read_header(bytes).map_err(|e| NoPreview::Header(e.rule))?;
    let largest = crate::validate::MAX_SIDE_EXCLUSIVE;
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

/// The most a decoder may allocate for one preview (a 6000x5999 RGBA picture is 144 MB).
const MAX_DECODE_BYTES: u64 = 160 * 1024 * 1024;

/// Decodes `bytes` within [`MAX_DECODE_BYTES`] and the service's largest sides, whatever the
/// format's headers claim.
fn decode_bounded(bytes: &[u8]) -> Result<image::DynamicImage, NoPreview> {
    let side = (crate::validate::MAX_SIDE_EXCLUSIVE - 1) as u32;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| NoPreview::Decode(e.to_string()))?;
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| NoPreview::Decode(e.to_string()))
}

/// Downloads the image at `url`, at most [`MAX_PREVIEW_BYTES`].
pub async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, NoPreview> {
    let chain = |e: reqwest::Error| crate::http::error_chain(&e.without_url());
    let mut resp = http
        .get(url)
        .send()
        .await
        .map_err(|e| NoPreview::Download(chain(e)))?;
    if !resp.status().is_success() {
        return Err(NoPreview::Status(resp.status().as_u16()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| NoPreview::BrokeOff(chain(e)))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_PREVIEW_BYTES {
            return Err(NoPreview::Oversize("image"));
        }
    }
    Ok(bytes)
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

/// Why there is no preview.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoPreview {
    /// The bytes are not an image this tool reads (the header's rule).
    #[error("{0}")]
    Header(String),
    /// The image claims sides no asset may have.
    #[error(
        "not previewed: {width}x{height} is beyond the {} px a side an asset may have",
        crate::validate::MAX_SIDE_EXCLUSIVE
    )]
    TooLarge {
        /// Claimed width.
        width: u64,
        /// Claimed height.
        height: u64,
    },
    /// The picture could not be decoded.
    #[error("cannot be decoded: {0}")]
    Decode(String),
    /// The picture could not be encoded for the terminal's graphics protocol.
    #[error("cannot be encoded for the terminal: {0}")]
    Encode(String),
    /// The download failed.
    #[error("cannot be downloaded: {0}")]
    Download(String),
    /// The download was refused.
    #[error("download answered HTTP {0}")]
    Status(u16),
    /// The download broke off.
    #[error("download broke off: {0}")]
    BrokeOff(String),
    /// The image or file is larger than previews read.
    #[error("the {0} is larger than 30 MB")]
    Oversize(&'static str),
    /// The local file cannot be read.
    #[error("{0}")]
    Unreadable(String),
    /// A video or audio file (its rules are checked when it is sent).
    #[error("a {} file: its rules are checked when it is sent", .0.asset_type().to_lowercase())]
    NotAnImage(crate::media::MediaKind),
    /// Not a media file at all.
    #[error("not an image, video or audio file")]
    NotMedia,
    /// The worker drawing it stopped.
    #[error("the preview stopped: {0}")]
    Stopped(String),
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
    fn only_terminals_that_speak_graphics_and_answer_are_asked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(Painter::worth_asking(env(&[("TERM", "xterm-kitty")])));
        assert!(Painter::worth_asking(env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(Painter::worth_asking(env(&[
            ("TERM", "foot"),
            ("WT_SESSION", "1")
        ])));
        // A multiplexer, or a terminal not known to answer: not asked (an unanswered query
        // would leave a reader on the input).
        const IN_TMUX: [(&str, &str); 2] =
            [("TERM", "xterm-kitty"), ("TMUX", "/tmp/tmux-0/default,1,0")];
        assert!(!Painter::worth_asking(env(&IN_TMUX)));
        // Every environment in which ratatui-image's query would turn tmux's
        // allow-passthrough on (TERM tmux*, or TERM_PROGRAM tmux) is one not asked in.
        const TMUX_TERM: [(&str, &str); 2] = [("TERM", "tmux-256color"), ("KITTY_WINDOW_ID", "1")];
        const TMUX_PROGRAM: [(&str, &str); 2] =
            [("TERM_PROGRAM", "tmux"), ("KITTY_WINDOW_ID", "1")];
        assert!(!Painter::worth_asking(env(&TMUX_TERM)));
        assert!(!Painter::worth_asking(env(&TMUX_PROGRAM)));
        assert!(!Painter::worth_asking(env(&[
            ("TERM", "screen-256color"),
            ("KITTY_WINDOW_ID", "1")
        ])));
        assert!(!Painter::worth_asking(env(&[("TERM", "xterm-256color")])));
        assert_eq!(
            Painter::detect(env(&[("TERM", "xterm-256color")])).name(),
            "half blocks"
        );
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

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let mut cache = PreviewCache::default();
        let big = Preview {
            width: 1000,
            height: 1000,
            picture: Picture::Cells(vec![([0; 3], [0; 3]); 1_000_000]),
        };
        for i in 0..10 {
            cache.put(format!("a{i}"), PreviewState::Ready(big.clone()));
        }
        assert!(cache.bytes() <= CACHE_BYTES);
        assert!(cache.get("a9").is_some() && cache.get("a0").is_none());
    }
}
