//! Image rules: the formats the service accepts, what an image's header tells, and the rules
//! on its sides, aspect ratio and size.

use imagesize::ImageType;

use crate::validate::{Field, Invalid};

/// Each side must be strictly longer than this many pixels…
pub(crate) const MIN_SIDE_EXCLUSIVE: u64 = 300;
/// …and strictly shorter than this many.
pub(crate) const MAX_SIDE_EXCLUSIVE: u64 = 6000;
/// Files must be strictly smaller than this (30 MB).
pub const MAX_FILE_BYTES: u64 = 30 * 1024 * 1024;

/// The image formats the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// BMP.
    Bmp,
    /// TIFF.
    Tiff,
    /// GIF.
    Gif,
    /// HEIC / HEIF.
    Heif,
}

impl ImageFormat {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
            ImageFormat::Bmp => "bmp",
            ImageFormat::Tiff => "tiff",
            ImageFormat::Gif => "gif",
            ImageFormat::Heif => "heif",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Heif => "heic",
            other => other.name(),
        }
    }
}

const ACCEPTED: &str = "jpeg, png, webp, bmp, tiff, gif, heic/heif";

/// What the header of an image tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// Format.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
    /// File size in bytes, when known.
    pub bytes: Option<u64>,
}

/// Reads format and dimensions from the first bytes of an image.
pub fn read_header(header: &[u8]) -> Result<ImageInfo, Invalid> {
    let kind = imagesize::image_type(header).map_err(|_| {
        let start = String::from_utf8_lossy(&header[..header.len().min(64)]).to_ascii_lowercase();
        let rule = if start.trim_start().starts_with("<!doctype html") || start.contains("<html") {
            "is an HTML page, not an image (a login or error page?)".to_owned()
        } else {
            format!("is not a recognised image; accepted formats: {ACCEPTED}")
        };
        Invalid::format(Field::Image, rule)
    })?;
    let format = match kind {
        ImageType::Jpeg => ImageFormat::Jpeg,
        ImageType::Png => ImageFormat::Png,
        ImageType::Webp => ImageFormat::Webp,
        ImageType::Bmp => ImageFormat::Bmp,
        ImageType::Tiff => ImageFormat::Tiff,
        ImageType::Gif => ImageFormat::Gif,
        ImageType::Heif(imagesize::Compression::Hevc | imagesize::Compression::Jpeg) => {
            ImageFormat::Heif
        }
        ImageType::Heif(imagesize::Compression::Av1) => {
            return Err(Invalid::format(
                Field::Image,
                format!("format AVIF is not accepted; accepted formats: {ACCEPTED}"),
            ));
        }
        other => {
            let shown = format!("{other:?}").to_uppercase();
            return Err(Invalid::format(
                Field::Image,
                format!("format {shown} is not accepted; accepted formats: {ACCEPTED}"),
            ));
        }
    };
    let size = imagesize::blob_size(header).map_err(|_| {
        Invalid::format(
            Field::Image,
            format!("the {} header is truncated or corrupt", format.name()),
        )
    })?;
    Ok(ImageInfo {
        format,
        width: size.width as u64,
        height: size.height as u64,
        bytes: None,
    })
}

/// The sides of a `width`×`height` picture that `fits` refuses, said once with `rule`: "width
/// is 299 px; each side must be …", "width and height are 200 px; …"; `None` when both fit.
pub(crate) fn sides_rule(
    width: u64,
    height: u64,
    fits: impl Fn(u64) -> bool,
    rule: &str,
) -> Option<String> {
    let said = match (fits(width), fits(height)) {
        (true, true) => return None,
        (false, true) => format!("width is {width} px"),
        (true, false) => format!("height is {height} px"),
        (false, false) if width == height => format!("width and height are {width} px"),
        (false, false) => format!("width is {width} px and height {height} px"),
    };
    Some(format!("{said}; {rule}"))
}

/// Every image rule `info` breaks (sides, aspect ratio, file size); empty when it is acceptable.
pub fn image_rules(info: &ImageInfo) -> Vec<Invalid> {
    let mut broken = Vec::new();
    let dims = format!("{}x{}", info.width, info.height);
    let rule = format!(
        "each side must be more than {MIN_SIDE_EXCLUSIVE} and less than {MAX_SIDE_EXCLUSIVE} px"
    );
    let fits = |px: u64| px > MIN_SIDE_EXCLUSIVE && px < MAX_SIDE_EXCLUSIVE;
    if let Some(said) = sides_rule(info.width, info.height, fits, &rule) {
        broken.push(Invalid::new(Field::Image, &dims, said));
    }
    // 0.4 < w/h < 2.5, in integers: 5w > 2h and 2w < 5h.
    let (w, h) = (u128::from(info.width), u128::from(info.height));
    if h == 0 || 5 * w <= 2 * h || 2 * w >= 5 * h {
        let ratio = if h == 0 {
            f64::INFINITY
        } else {
            w as f64 / h as f64
        };
        broken.push(Invalid::new(
            Field::Image,
            &dims,
            format!("aspect ratio W/H is {ratio:.3}; it must be more than 0.4 and less than 2.5"),
        ));
    }
    if let Some(bytes) = info.bytes.filter(|b| *b >= MAX_FILE_BYTES) {
        broken.push(Invalid::new(
            Field::Image,
            format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)),
            format!(
                "file is {bytes} bytes; it must be smaller than 30 MB ({MAX_FILE_BYTES} bytes)"
            ),
        ));
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_side_rules_use_exact_arithmetic() {
        let info = |w, h| ImageInfo {
            format: ImageFormat::Png,
            width: w,
            height: h,
            bytes: Some(1),
        };
        assert!(image_rules(&info(1000, 1000)).is_empty());
        // Both sides and the ratio: the sides said once.
        assert_eq!(image_rules(&info(0, 0)).len(), 2);
        let big = ImageInfo {
            bytes: Some(MAX_FILE_BYTES),
            ..info(1000, 1000)
        };
        assert!(image_rules(&big)[0].rule.contains("30 MB"));
    }

    #[test]
    fn what_is_not_an_image_is_a_format_problem_its_figures_are_not() {
        let html = read_header(b"<!DOCTYPE html><html><body>sign in</body></html>").unwrap_err();
        assert!(
            html.is_format_problem() && html.rule.contains("HTML page"),
            "{html}"
        );
        let small = ImageInfo {
            format: ImageFormat::Png,
            width: 100,
            height: 100,
            bytes: None,
        };
        assert!(image_rules(&small).iter().all(|p| !p.is_format_problem()));
    }
}
