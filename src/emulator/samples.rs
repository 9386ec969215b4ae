//! Sample files compiled into the binary: what the emulator serves at `/assets/<name>` and what
//! the demo's assets are made of.

/// `(name, bytes)` of files under `assets/`, compiled in.
macro_rules! samples {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/", $name)) as &[u8])),*]
    };
}

/// Sample files compiled into the binary, served at `/assets/<name>`: images, and the videos
/// and audio of `assets/media/`.
pub(crate) const SAMPLES: &[(&str, &[u8])] = samples![
    "portrait.png",
    "portrait.jpg",
    "portrait.webp",
    "portrait.gif",
    "portrait.bmp",
    "portrait.tiff",
    "edge-299x400.png",
    "edge-2500x1000.png",
    "unsupported.ico",
    "not-an-image.html",
    "truncated.png",
    "media/h264-aac-24fps.mp4",
    "media/moov-at-end.mp4",
    "media/hevc-pcm.mov",
    "media/hevc-mp3-60fps.mp4",
    "media/rotated.mp4",
    "media/fps-23.mp4",
    "media/mpeg4-part2.mp4",
    "media/long-16s.mp4",
    "media/voice.wav",
    "media/voice-cbr.mp3",
    "media/voice-vbr.mp3",
    "media/voice-16s.mp3",
    "media/voice.m4a",
];

/// The bytes and content type of a sample.
pub(crate) fn sample(name: &str) -> Option<(&'static [u8], &'static str)> {
    let bytes = SAMPLES.iter().find(|(n, _)| *n == name)?.1;
    let kind = match name.rsplit('.').next() {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("tiff") => "image/tiff",
        Some("ico") => "image/x-icon",
        Some("html") => "text/html",
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        Some("m4a") => "audio/mp4",
        _ => "application/octet-stream",
    };
    Some((bytes, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_is_served() {
        for (name, _) in SAMPLES {
            assert!(sample(name).is_some(), "{name}");
        }
    }
}
