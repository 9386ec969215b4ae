//! The rules a probed file must meet. The asset service's rules refuse (exit 3, nothing sent);
//! the generation model's rules (durations, Seedance's input pixel window) warn, unless the
//! user asks for strict checks.

mod policy;

use self::policy::megabytes;
pub use self::policy::{Model, Policy, Service};
use super::image::{image_rules, sides_rule};
use super::{AudioInfo, Checked, Codec, Container, Media, VideoInfo, trim_rate};
use crate::validate::{Field, Invalid};

/// Largest video file, bytes (200 MB).
pub const MAX_VIDEO_BYTES: u64 = 200 * 1024 * 1024;
/// Largest audio file, bytes (15 MB).
pub const MAX_AUDIO_BYTES: u64 = 15 * 1024 * 1024;
/// Frame rates accepted, inclusive.
pub(crate) const VIDEO_FPS: (f64, f64) = (24.0, 60.0);
/// Each side of a video, pixels, inclusive.
pub(crate) const VIDEO_SIDE: (u32, u32) = (300, 6000);
/// Width over height of a video, inclusive.
pub(crate) const VIDEO_RATIO: (f64, f64) = (0.4, 2.5);
/// Total pixels of a video frame, inclusive.
pub(crate) const VIDEO_PIXELS: (u64, u64) = (407_696, 8_295_044);
/// Seedance's input window (480p–720p), pixels: outside it the model rescales.
pub(crate) const SEEDANCE_PIXELS: (u64, u64) = (409_600, 927_408);
/// Longest reference audio Seedance takes, seconds.
pub(crate) const AUDIO_SECONDS: f64 = 15.0;

fn broken(field: Field, value: impl std::fmt::Display, rule: String) -> Invalid {
    Invalid::new(field, value, rule)
}

/// Every service rule `v` breaks.
pub(crate) fn video_rules(v: &VideoInfo) -> Vec<Invalid> {
    let mut out = Vec::new();
    let dims = format!("{}x{}", v.width, v.height);
    if !matches!(v.video_codec, Codec::H264 | Codec::H265) {
        out.push(broken(
            Field::Video,
            v.video_codec.name(),
            "video codec is not accepted; it must be H.264 (AVC) or H.265 (HEVC)".to_owned(),
        ));
    }
    if let Some(a) = &v.audio_codec {
        let pcm_ok = v.container == Container::Mov && *a == Codec::Pcm;
        if !matches!(a, Codec::Aac | Codec::Mp3) && !pcm_ok {
            let allowed = "AAC or MP3 (PCM in MOV)";
            out.push(broken(
                Field::Video,
                a.name(),
                format!("audio track codec is not accepted; it must be {allowed}"),
            ));
        }
    }
    if let Some(bytes) = v.bytes.filter(|b| *b > MAX_VIDEO_BYTES) {
        out.push(broken(
            Field::Video,
            megabytes(bytes),
            format!("file is {bytes} bytes; at most 200 MB ({MAX_VIDEO_BYTES} bytes)"),
        ));
    }
    let (lo, hi) = VIDEO_FPS;
    if !(lo..=hi).contains(&v.fps) {
        out.push(broken(
            Field::Video,
            format!("{} fps", trim_rate(v.fps)),
            format!("frame rate must be {lo}–{hi} fps"),
        ));
    }
    let (lo, hi) = VIDEO_SIDE;
    let rule = format!("each side must be {lo}–{hi} px");
    let fits = |px: u64| (u64::from(lo)..=u64::from(hi)).contains(&px);
    if let Some(said) = sides_rule(u64::from(v.width), u64::from(v.height), fits, &rule) {
        out.push(broken(Field::Video, &dims, said));
    }
    let ratio = f64::from(v.width) / f64::from(v.height.max(1));
    // Integer form of 0.4 ≤ w/h ≤ 2.5: 5w ≥ 2h and 2w ≤ 5h.
    let (w, h) = (u64::from(v.width), u64::from(v.height));
    if 5 * w < 2 * h || 2 * w > 5 * h || h == 0 {
        let (lo, hi) = VIDEO_RATIO;
        out.push(broken(
            Field::Video,
            &dims,
            format!("aspect ratio W/H is {ratio:.3}; it must be {lo}–{hi}"),
        ));
    }
    let (lo, hi) = VIDEO_PIXELS;
    if !(lo..=hi).contains(&(w * h)) {
        out.push(broken(
            Field::Video,
            &dims,
            format!("frame has {} pixels; it must have {lo}–{hi}", w * h),
        ));
    }
    out
}

/// Every service rule `a` breaks.
pub(crate) fn audio_rules(a: &AudioInfo) -> Vec<Invalid> {
    let mut out = Vec::new();
    if let Some(bytes) = a.bytes.filter(|b| *b > MAX_AUDIO_BYTES) {
        out.push(broken(
            Field::Audio,
            megabytes(bytes),
            format!("file is {bytes} bytes; at most 15 MB ({MAX_AUDIO_BYTES} bytes)"),
        ));
    }
    out
}

/// The model rules `media` breaks, one line each.
pub(crate) fn model_warnings(media: &Media, model: Model) -> Vec<String> {
    let mut out = Vec::new();
    match media {
        Media::Image(_) => {}
        Media::Video(v) => {
            let (lo, hi) = model.video_seconds();
            if !(lo..=hi).contains(&v.duration) {
                out.push(format!(
                    "video is {:.1} s; {} takes reference videos of {lo}–{hi} s",
                    v.duration,
                    model.name()
                ));
            }
            let pixels = u64::from(v.width) * u64::from(v.height);
            let (lo, hi) = SEEDANCE_PIXELS;
            if !(lo..=hi).contains(&pixels) {
                out.push(format!(
                    "frame has {pixels} pixels; Seedance works at 480p–720p ({lo}–{hi} pixels) and \
                     rescales others"
                ));
            }
        }
        Media::Audio(a) => match a.duration {
            Some(d) if d > AUDIO_SECONDS => out.push(format!(
                "audio is {d:.1} s; {} takes at most {AUDIO_SECONDS} s of reference audio",
                model.name()
            )),
            Some(_) => {}
            None => out.push("the audio's duration could not be read".to_owned()),
        },
    }
    out
}

/// Whether `path`'s extension names a media format (`.png`, `.mp4`, `.wav`…).
pub(crate) fn names_media(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| named_format(e).is_some())
}

/// The format an extension names, in the names [`Media`] uses.
fn named_format(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => "jpeg",
        "tif" | "tiff" => "tiff",
        "heic" | "heif" => "heif",
        "png" => "png",
        "webp" => "webp",
        "bmp" => "bmp",
        "gif" => "gif",
        "mp4" | "m4v" => "mp4",
        "mov" => "mov",
        "mp3" => "mp3",
        "wav" => "wav",
        _ => return None,
    })
}

fn format_name(media: &Media) -> &'static str {
    match media {
        Media::Image(i) => i.format.name(),
        Media::Video(v) => v.container.name(),
        Media::Audio(a) => a.format.name(),
    }
}

/// Checks `media` under `policy`; `ext` is the extension of its file or URL, if any.
pub fn apply(media: Media, policy: &Policy, ext: Option<&str>) -> Result<Checked, Vec<Invalid>> {
    let kind = media.kind();
    if let Some(declared) = policy.declared
        && declared != kind
    {
        return Err(vec![broken(
            Field::Type,
            declared.asset_type(),
            format!(
                "the content is {} ({}); drop --type or pick another file",
                kind.name(),
                media.summary()
            ),
        )]);
    }
    let hard = match &media {
        Media::Image(i) => image_rules(i),
        Media::Video(v) => video_rules(v),
        Media::Audio(a) => audio_rules(a),
    };
    if !hard.is_empty() {
        return Err(hard);
    }
    let mut warnings = model_warnings(&media, policy.model);
    if policy.strict && !warnings.is_empty() {
        return Err(warnings
            .into_iter()
            .map(|w| broken(Field::Model, policy.model.name(), format!("{w} (--strict)")))
            .collect());
    }
    warnings.extend(policy.service.warnings(&media));
    if let Some(ext) = ext
        && let Some(named) = named_format(ext)
        && named != format_name(&media)
    {
        warnings.push(format!(
            "its name ends in .{ext} but the content is {} {}",
            kind.name(),
            format_name(&media)
        ));
    }
    Ok(Checked { media, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::MediaKind;

    fn video(width: u32, height: u32, fps: f64, duration: f64) -> VideoInfo {
        VideoInfo {
            container: Container::Mp4,
            width,
            height,
            rotation: 0,
            fps,
            duration,
            video_codec: Codec::H264,
            audio_codec: Some(Codec::Aac),
            bytes: Some(1000),
        }
    }

    fn rules_of(v: VideoInfo) -> Vec<String> {
        video_rules(&v).into_iter().map(|e| e.rule).collect()
    }

    #[test]
    fn frame_rate_edges() {
        assert!(rules_of(video(640, 640, 24.0, 5.0)).is_empty());
        assert!(rules_of(video(640, 640, 60.0, 5.0)).is_empty());
        assert!(rules_of(video(640, 640, 23.99, 5.0))[0].contains("24–60 fps"));
        assert!(rules_of(video(640, 640, 60.01, 5.0))[0].contains("24–60 fps"));
    }

    #[test]
    fn side_ratio_and_pixel_edges() {
        // Sides: 300 and 6000 are in, 299 and 6001 out (ratio and pixels kept legal).
        assert!(
            rules_of(video(1380, 300, 30.0, 5.0))
                .iter()
                .all(|r| !r.contains("side"))
        );
        assert!(
            rules_of(video(1380, 299, 30.0, 5.0))
                .iter()
                .any(|r| r.contains("height is 299"))
        );
        assert!(
            rules_of(video(6000, 1382, 30.0, 5.0))
                .iter()
                .all(|r| !r.contains("side"))
        );
        assert!(
            rules_of(video(6001, 1382, 30.0, 5.0))
                .iter()
                .any(|r| r.contains("width is 6001"))
        );
        // Ratio: 2.5 in, just above out; 0.4 in, just below out.
        assert!(rules_of(video(1500, 600, 30.0, 5.0)).is_empty());
        assert!(rules_of(video(1501, 600, 30.0, 5.0))[0].contains("aspect ratio"));
        assert!(rules_of(video(600, 1500, 30.0, 5.0)).is_empty());
        assert!(rules_of(video(600, 1501, 30.0, 5.0))[0].contains("aspect ratio"));
        // Pixels: 407,696 = 664 × 614 exactly; one row fewer is out.
        assert!(rules_of(video(664, 614, 30.0, 5.0)).is_empty());
        assert!(rules_of(video(664, 613, 30.0, 5.0))[0].contains("407696"));
        assert!(rules_of(video(2880, 2880, 30.0, 5.0)).is_empty());
        assert!(rules_of(video(2881, 2880, 30.0, 5.0))[0].contains("8295044"));
    }

    #[test]
    fn codecs_and_size() {
        let mut v = video(640, 640, 30.0, 5.0);
        v.video_codec = Codec::Other("mp4v".into());
        v.audio_codec = Some(Codec::Pcm);
        let rules = rules_of(v.clone());
        assert!(rules[0].contains("H.264"), "{rules:?}");
        assert!(rules[1].contains("AAC or MP3"), "{rules:?}");
        v.video_codec = Codec::H265;
        v.container = Container::Mov;
        assert!(rules_of(v.clone()).is_empty(), "PCM is fine in MOV");
        v.bytes = Some(MAX_VIDEO_BYTES);
        assert!(rules_of(v.clone()).is_empty());
        v.bytes = Some(MAX_VIDEO_BYTES + 1);
        assert!(rules_of(v)[0].contains("200 MB"));
        let audio = |bytes| AudioInfo {
            format: super::super::AudioFormat::Wav,
            sample_rate: Some(8000),
            duration: Some(2.0),
            bytes: Some(bytes),
        };
        assert!(audio_rules(&audio(MAX_AUDIO_BYTES)).is_empty());
        assert!(
            audio_rules(&audio(MAX_AUDIO_BYTES + 1))[0]
                .rule
                .contains("15 MB")
        );
    }

    #[test]
    fn model_windows_warn_and_strict_refuses() {
        let at = |d| Media::Video(video(640, 640, 30.0, d));
        for (d, warned_20, warned_25) in [
            (1.99, true, true),
            (2.0, false, false),
            (15.0, false, false),
            (15.01, true, false),
            (30.0, true, false),
            (30.01, true, true),
        ] {
            let w20 = model_warnings(&at(d), Model::Seedance20);
            let w25 = model_warnings(&at(d), Model::Seedance25);
            assert_eq!(
                w20.iter().any(|w| w.contains("reference videos")),
                warned_20,
                "{d}"
            );
            assert_eq!(
                w25.iter().any(|w| w.contains("reference videos")),
                warned_25,
                "{d}"
            );
        }
        let strict = Policy {
            strict: true,
            ..Policy::default()
        };
        let err = apply(at(20.0), &strict, None).unwrap_err();
        assert_eq!(err[0].field, Field::Model);
        assert!(err[0].rule.contains("--strict"));
        let ok = apply(at(20.0), &Policy::default(), None).unwrap();
        assert_eq!(ok.warnings.len(), 1);
    }

    #[test]
    fn each_service_s_reported_figures_warn() {
        let clip = |d: f64, mb: u64| {
            let mut v = video(640, 640, 30.0, d);
            v.bytes = Some(mb * 1024 * 1024);
            Media::Video(v)
        };
        let warned = |service: Service, media: &Media| service.warnings(media);
        assert!(warned(Service::Byteplus, &clip(25.0, 150)).is_empty());
        assert_eq!(
            warned(Service::Byteplus, &clip(31.0, 10)),
            ["video is 31.0 s; BytePlus is reported to take videos of 2–30 s"]
        );
        assert!(warned(Service::Volcengine, &clip(15.0, 50)).is_empty());
        assert_eq!(
            warned(Service::Volcengine, &clip(16.0, 51)),
            [
                "video is 16.0 s; Volcengine is reported to take videos of 2–15 s",
                "video is 51.0 MB; Volcengine is reported to take videos of at most 50.0 MB"
            ]
        );
        let unknown = warned(Service::Unknown, &clip(40.0, 51));
        assert_eq!(unknown.len(), 1, "only the size: {unknown:?}");
        assert!(
            unknown[0].contains("the service is reported"),
            "{unknown:?}"
        );
        let audio = |d| {
            Media::Audio(AudioInfo {
                format: super::super::AudioFormat::Wav,
                sample_rate: Some(8000),
                duration: Some(d),
                bytes: Some(1000),
            })
        };
        assert_eq!(
            warned(Service::Byteplus, &audio(1.5)),
            ["audio is 1.5 s; BytePlus is reported to take audio of 2–30 s"]
        );
        assert!(warned(Service::Volcengine, &audio(1.5)).is_empty());
        // They warn, even under --strict: the service has the last word.
        let strict = Policy {
            strict: true,
            service: Service::Volcengine,
            ..Policy::default()
        };
        let checked = apply(clip(5.0, 60), &strict, None).unwrap();
        assert_eq!(checked.warnings.len(), 1, "{:?}", checked.warnings);
    }

    #[test]
    fn declared_types_and_lying_names() {
        let v = Media::Video(video(640, 640, 30.0, 5.0));
        let as_image = Policy {
            declared: Some(MediaKind::Image),
            ..Policy::default()
        };
        let err = apply(v.clone(), &as_image, None).unwrap_err();
        assert!(err[0].rule.contains("the content is video"), "{err:?}");
        let named_png = apply(v.clone(), &Policy::default(), Some("png")).unwrap();
        assert!(named_png.warnings[0].contains(".png but the content is video mp4"));
        assert!(
            apply(v, &Policy::default(), Some("MP4"))
                .unwrap()
                .warnings
                .is_empty()
        );
        assert_eq!("2.5".parse::<Model>(), Ok(Model::Seedance25));
        assert!("seedance-3".parse::<Model>().is_err());
    }
}
