//! Decoding within bounds: a JPEG at the smallest DCT scale that still fills the cells, any
//! other picture within the decoder's allocation and the service's largest sides.

use super::NoPreview;

/// A JPEG decoded at the smallest DCT scale (1/8, 1/4, 1/2 or full) still at least `wanted`
/// pixels: a 6000 px photo is decoded as 750 px, several times faster. `None` for anything
/// else (or a JPEG this decoder cannot read), which the general decoder then takes.
pub(super) fn scaled_jpeg(bytes: &[u8], (w, h): (u16, u16)) -> Option<image::DynamicImage> {
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
pub(super) fn decode_bounded(bytes: &[u8]) -> Result<image::DynamicImage, NoPreview> {
    let side = (crate::media::image::MAX_SIDE_EXCLUSIVE - 1) as u32;
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
