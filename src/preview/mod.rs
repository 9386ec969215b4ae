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

mod cache;
mod decode;
mod fetch;
mod paint;
mod painter;

use std::sync::Arc;

use ratatui_image::protocol::Protocol;

pub use cache::{PreviewCache, PreviewState};
pub use fetch::fetch;
pub use paint::{render_file, render_image};
pub use painter::Painter;

/// Largest image downloaded for a preview (the service stores images under 30 MB).
pub(crate) const MAX_PREVIEW_BYTES: usize = 30 * 1024 * 1024;

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

/// Why there is no preview.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoPreview {
    /// The bytes are not an image this tool reads (the header's rule).
    #[error("{0}")]
    Header(String),
    /// The image claims sides no asset may have.
    #[error(
        "not previewed: {width}x{height} is beyond the {} px a side an asset may have",
        crate::media::image::MAX_SIDE_EXCLUSIVE
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
