//! `--fit`: makes an image that breaks the size, ratio or byte rules acceptable instead of
//! refusing it. Sides ≥ 6000 px are scaled down, a ratio outside (0.4, 2.5) is padded (or
//! cropped), a file ≥ 30 MB is re-encoded; images with a side of 300 px or less are refused,
//! never scaled up. Blocking: decode and encode run off the async threads.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat as Codec, imageops::FilterType};

use super::image::{
    ImageFormat, ImageInfo, MAX_FILE_BYTES, MAX_SIDE_EXCLUSIVE, MIN_SIDE_EXCLUSIVE,
};
use crate::validate::{Field, Invalid};

/// How a ratio outside (0.4, 2.5) is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FitMode {
    /// Extend the short side with black bars.
    #[default]
    Pad,
    /// Cut the long side, keeping the centre.
    Crop,
}

impl std::str::FromStr for FitMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pad" => Ok(FitMode::Pad),
            "crop" => Ok(FitMode::Crop),
            other => Err(format!("\"{other}\" is not a fit; use pad or crop")),
        }
    }
}

/// A fitted copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// Where the copy is (same stem as the original).
    pub path: PathBuf,
    /// What changed, one phrase each (`6400x4000 → 5999x3749`).
    pub changes: Vec<String>,
}

/// The size `(w, h)` takes in `mode` to have a ratio strictly inside (0.4, 2.5), in exact
/// integers: 2w < 5h and 5w > 2h.
fn fixed_ratio(w: u32, h: u32, mode: FitMode) -> (u32, u32) {
    let (w64, h64) = (u64::from(w), u64::from(h));
    if 2 * w64 >= 5 * h64 {
        // Too wide: pad the height up, or crop the width down.
        match mode {
            FitMode::Pad => (w, (2 * w64 / 5 + 1) as u32),
            FitMode::Crop => ((5 * h64).div_ceil(2) as u32 - 1, h),
        }
    } else if 5 * w64 <= 2 * h64 {
        match mode {
            FitMode::Pad => ((2 * h64 / 5 + 1) as u32, h),
            FitMode::Crop => (w, (5 * w64).div_ceil(2) as u32 - 1),
        }
    } else {
        (w, h)
    }
}

/// `(w, h)` scaled so the longer side is below 6000 px.
fn fixed_sides(w: u32, h: u32) -> (u32, u32) {
    let limit = (MAX_SIDE_EXCLUSIVE - 1) as u32;
    let long = w.max(h);
    if long <= limit {
        return (w, h);
    }
    let scale = |side: u32| ((u64::from(side) * u64::from(limit)) / u64::from(long)).max(1) as u32;
    (scale(w), scale(h))
}

fn refused(path: &Path, rule: String) -> Invalid {
    Invalid::new(Field::Image, path.display(), rule)
}

/// Makes a fitted copy of the image at `path` (which broke `info`'s rules) under `dir`, or
/// refuses when it cannot be fixed.
pub(crate) fn fit_image(
    path: &Path,
    info: &ImageInfo,
    mode: FitMode,
    dir: &Path,
) -> Result<Fitted, Invalid> {
    let (w, h) = (info.width as u32, info.height as u32);
    let short = u64::from(w.min(h));
    if short <= MIN_SIDE_EXCLUSIVE {
        return Err(refused(
            path,
            format!(
                "a side is {short} px; images must be more than {MIN_SIDE_EXCLUSIVE} px a side \
                 and are not scaled up"
            ),
        ));
    }
    let codec = match info.format {
        ImageFormat::Jpeg => Codec::Jpeg,
        ImageFormat::Heif => {
            return Err(refused(
                path,
                "HEIC/HEIF images cannot be fitted here; convert it first".into(),
            ));
        }
        _ => Codec::Png,
    };
    let mut img = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| refused(path, format!("cannot be read: {e}")))?
        .decode()
        .map_err(|e| refused(path, format!("cannot be decoded: {e}")))?;
    let mut changes = Vec::new();
    let (rw, rh) = fixed_ratio(w, h, mode);
    if (rw, rh) != (w, h) {
        img = match mode {
            FitMode::Pad => {
                let mut canvas = image::RgbImage::new(rw, rh);
                let (x, y) = ((rw - w) / 2, (rh - h) / 2);
                image::imageops::overlay(&mut canvas, &img.to_rgb8(), x.into(), y.into());
                DynamicImage::ImageRgb8(canvas)
            }
            FitMode::Crop => img.crop_imm((w - rw) / 2, (h - rh) / 2, rw, rh),
        };
        let verb = if mode == FitMode::Pad {
            "padded"
        } else {
            "cropped"
        };
        changes.push(format!("{verb} {w}x{h} → {rw}x{rh}"));
    }
    let (sw, sh) = fixed_sides(rw, rh);
    if (sw, sh) != (rw, rh) {
        if u64::from(sw.min(sh)) <= MIN_SIDE_EXCLUSIVE {
            return Err(refused(
                path,
                format!(
                    "scaled below 6000 px a side it would be {sw}x{sh}, {MIN_SIDE_EXCLUSIVE} px \
                     or less on one side"
                ),
            ));
        }
        img = img.resize_exact(sw, sh, FilterType::Lanczos3);
        changes.push(format!("scaled {rw}x{rh} → {sw}x{sh}"));
    }
    let (bytes, codec) = encode(&img, codec, changes.is_empty())?;
    if bytes.len() as u64 >= MAX_FILE_BYTES {
        return Err(refused(
            path,
            format!(
                "even re-encoded it is {} bytes; it must be smaller than 30 MB",
                bytes.len()
            ),
        ));
    }
    if info.bytes.is_some_and(|b| b >= MAX_FILE_BYTES) {
        changes.push(format!(
            "re-encoded {:.1} MB → {:.1} MB",
            info.bytes.unwrap_or(0) as f64 / (1024.0 * 1024.0),
            bytes.len() as f64 / (1024.0 * 1024.0)
        ));
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "image".into(), |s| s.to_string_lossy());
    let ext = if codec == Codec::Jpeg { "jpg" } else { "png" };
    std::fs::create_dir_all(dir)
        .map_err(|e| refused(path, format!("cannot write the fitted copy: {e}")))?;
    let out = dir.join(format!("{stem}.{ext}"));
    std::fs::write(&out, &bytes)
        .map_err(|e| refused(path, format!("cannot write the fitted copy: {e}")))?;
    Ok(Fitted { path: out, changes })
}

/// Encodes `img` as `codec`; when the result is 30 MB or more (or `size_only`: nothing else
/// changed, so the size was the problem), as JPEG of falling quality until it fits.
fn encode(img: &DynamicImage, codec: Codec, size_only: bool) -> Result<(Vec<u8>, Codec), Invalid> {
    let fail =
        |e: image::ImageError| Invalid::new(Field::Image, "", format!("cannot be encoded: {e}"));
    if !size_only {
        let mut out = Cursor::new(Vec::new());
        if codec == Codec::Jpeg {
            jpeg(img, 92, &mut out).map_err(fail)?;
        } else {
            img.write_to(&mut out, codec).map_err(fail)?;
        }
        if (out.get_ref().len() as u64) < MAX_FILE_BYTES {
            return Ok((out.into_inner(), codec));
        }
    }
    let mut last = Vec::new();
    for quality in [90, 80, 70, 60] {
        let mut out = Cursor::new(Vec::new());
        jpeg(img, quality, &mut out).map_err(fail)?;
        last = out.into_inner();
        if (last.len() as u64) < MAX_FILE_BYTES {
            break;
        }
    }
    Ok((last, Codec::Jpeg))
}

fn jpeg(img: &DynamicImage, quality: u8, out: &mut Cursor<Vec<u8>>) -> image::ImageResult<()> {
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(out, quality);
    DynamicImage::ImageRgb8(img.to_rgb8()).write_with_encoder(encoder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(w: u32, h: u32) -> bool {
        let (w, h) = (u64::from(w), u64::from(h));
        2 * w < 5 * h && 5 * w > 2 * h
    }

    #[test]
    fn ratios_land_strictly_inside_by_the_least_change() {
        for (w, h) in [
            (2500, 1000),
            (3000, 1000),
            (1000, 2500),
            (400, 1000),
            (1000, 1000),
        ] {
            for mode in [FitMode::Pad, FitMode::Crop] {
                let (fw, fh) = fixed_ratio(w, h, mode);
                assert!(ok(fw, fh), "{w}x{h} {mode:?} → {fw}x{fh}");
            }
        }
        assert_eq!(fixed_ratio(2500, 1000, FitMode::Pad), (2500, 1001));
        assert_eq!(fixed_ratio(2500, 1000, FitMode::Crop), (2499, 1000));
        assert_eq!(fixed_ratio(400, 1000, FitMode::Pad), (401, 1000));
        assert_eq!(fixed_ratio(400, 1000, FitMode::Crop), (400, 999));
        assert_eq!(fixed_sides(6000, 3000), (5999, 2999));
        assert_eq!(fixed_sides(5999, 3000), (5999, 3000));
    }
}
