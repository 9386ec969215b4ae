//! What a media file is: its kind (image, video, audio), a video's codec and container, and
//! the facts a probe reads of a video or an audio file.

use super::AudioFormat;
use super::ImageInfo;

/// The three asset types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A picture.
    Image,
    /// A video clip.
    Video,
    /// A sound clip.
    Audio,
}

impl MediaKind {
    /// Every kind, in display order.
    pub const ALL: [MediaKind; 3] = [MediaKind::Image, MediaKind::Video, MediaKind::Audio];

    /// The `AssetType` the service uses.
    pub fn asset_type(self) -> &'static str {
        match self {
            MediaKind::Image => "Image",
            MediaKind::Video => "Video",
            MediaKind::Audio => "Audio",
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }

    /// The kind of an `AssetType` value, in any case.
    pub(crate) fn of_asset_type(value: &str) -> Option<MediaKind> {
        MediaKind::ALL
            .into_iter()
            .find(|k| k.asset_type().eq_ignore_ascii_case(value))
    }
}

impl std::str::FromStr for MediaKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        MediaKind::of_asset_type(s)
            .ok_or_else(|| format!("\"{s}\" is not an asset type; use image, video or audio"))
    }
}

impl std::fmt::Display for MediaKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A video or audio codec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codec {
    /// H.264 / AVC (`avc1`, `avc3`).
    H264,
    /// H.265 / HEVC (`hvc1`, `hev1`).
    H265,
    /// AAC (`mp4a` with an AAC object type).
    Aac,
    /// MP3 (`.mp3`, or `mp4a` with an MP3 object type).
    Mp3,
    /// Uncompressed PCM (`sowt`, `twos`, `lpcm`, …).
    Pcm,
    /// Anything else, by its four-character code.
    Other(String),
}

impl Codec {
    pub(super) fn of(code: [u8; 4], object_type: Option<u8>) -> Codec {
        match &code {
            b"avc1" | b"avc3" => Codec::H264,
            b"hvc1" | b"hev1" => Codec::H265,
            b".mp3" => Codec::Mp3,
            b"mp4a" => match object_type {
                Some(0x69 | 0x6B) => Codec::Mp3,
                Some(0x40 | 0x66..=0x68) | None => Codec::Aac,
                Some(other) => Codec::Other(format!("mp4a object type 0x{other:02X}")),
            },
            b"sowt" | b"twos" | b"lpcm" | b"ipcm" | b"in24" | b"in32" | b"fl32" | b"fl64"
            | b"raw " => Codec::Pcm,
            other => Codec::Other(
                String::from_utf8_lossy(other)
                    .trim_end()
                    .chars()
                    .map(|c| if c.is_ascii_graphic() { c } else { '?' })
                    .collect(),
            ),
        }
    }

    /// Display name.
    pub fn name(&self) -> &str {
        match self {
            Codec::H264 => "H.264",
            Codec::H265 => "H.265",
            Codec::Aac => "AAC",
            Codec::Mp3 => "MP3",
            Codec::Pcm => "PCM",
            Codec::Other(code) => code,
        }
    }
}

/// MP4 or QuickTime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// ISO base media (`.mp4`).
    Mp4,
    /// QuickTime (`.mov`).
    Mov,
}

impl Container {
    /// Lower-case name, also the usual extension.
    pub fn name(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::Mov => "mov",
        }
    }
}

/// What a video's bytes say.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoInfo {
    /// Container.
    pub container: Container,
    /// Width as shown (after rotation), pixels.
    pub width: u32,
    /// Height as shown, pixels.
    pub height: u32,
    /// Rotation the player applies, degrees clockwise.
    pub rotation: u16,
    /// Frames a second.
    pub fps: f64,
    /// Duration, seconds.
    pub duration: f64,
    /// Codec of the picture.
    pub video_codec: Codec,
    /// Codec of the sound, when there is a sound track.
    pub audio_codec: Option<Codec>,
    /// File size, when known.
    pub bytes: Option<u64>,
}

/// What an audio file's bytes say.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioInfo {
    /// Format.
    pub format: AudioFormat,
    /// Samples a second.
    pub sample_rate: Option<u32>,
    /// Duration, seconds, when it could be read.
    pub duration: Option<f64>,
    /// File size, when known.
    pub bytes: Option<u64>,
}

/// An image, a video or an audio clip, as probed.
#[derive(Debug, Clone, PartialEq)]
pub enum Media {
    /// A picture.
    Image(ImageInfo),
    /// A video.
    Video(VideoInfo),
    /// A sound.
    Audio(AudioInfo),
}

impl Media {
    /// Its kind.
    pub fn kind(&self) -> MediaKind {
        match self {
            Media::Image(_) => MediaKind::Image,
            Media::Video(_) => MediaKind::Video,
            Media::Audio(_) => MediaKind::Audio,
        }
    }

    /// The usual extension of its format (object keys end with it).
    pub fn extension(&self) -> &'static str {
        match self {
            Media::Image(i) => i.format.extension(),
            Media::Video(v) => v.container.name(),
            Media::Audio(a) => a.format.name(),
        }
    }

    /// File size, when known.
    pub fn bytes(&self) -> Option<u64> {
        match self {
            Media::Image(i) => i.bytes,
            Media::Video(v) => v.bytes,
            Media::Audio(a) => a.bytes,
        }
    }

    /// Named values for a detail view (`assets get --probe`, the TUI's detail pane).
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let seconds = |d: f64| format!("{d:.2} s");
        let mut out = match self {
            Media::Image(i) => vec![
                ("Format", i.format.name().to_owned()),
                ("Resolution", format!("{}x{}", i.width, i.height)),
            ],
            Media::Video(v) => {
                let mut out = vec![
                    ("Format", v.container.name().to_owned()),
                    ("Resolution", format!("{}x{}", v.width, v.height)),
                    ("Frame rate", format!("{} fps", trim_rate(v.fps))),
                    ("Duration", seconds(v.duration)),
                    ("Video codec", v.video_codec.name().to_owned()),
                    (
                        "Audio codec",
                        v.audio_codec
                            .as_ref()
                            .map_or_else(|| "none".to_owned(), |c| c.name().to_owned()),
                    ),
                ];
                if v.rotation != 0 {
                    out.push(("Rotation", format!("{}°", v.rotation)));
                }
                out
            }
            Media::Audio(a) => vec![
                ("Format", a.format.name().to_owned()),
                (
                    "Sample rate",
                    a.sample_rate
                        .map_or_else(|| "unknown".to_owned(), |r| format!("{r} Hz")),
                ),
                (
                    "Duration",
                    a.duration.map_or_else(|| "unknown".to_owned(), seconds),
                ),
            ],
        };
        if let Some(bytes) = self.bytes() {
            out.push(("Size", format!("{bytes} bytes")));
        }
        out
    }

    /// One line: `video mp4, H.264 + AAC, 640x640, 24 fps, 3.0 s`.
    pub fn summary(&self) -> String {
        match self {
            Media::Image(i) => format!("image {}, {}x{}", i.format.name(), i.width, i.height),
            Media::Video(v) => {
                let codecs = match &v.audio_codec {
                    Some(a) => format!("{} + {}", v.video_codec.name(), a.name()),
                    None => v.video_codec.name().to_owned(),
                };
                let rotated = if v.rotation != 0 {
                    format!(" (rotated {}°)", v.rotation)
                } else {
                    String::new()
                };
                format!(
                    "video {}, {codecs}, {}x{}{rotated}, {} fps, {:.1} s",
                    v.container.name(),
                    v.width,
                    v.height,
                    trim_rate(v.fps),
                    v.duration
                )
            }
            Media::Audio(a) => {
                let duration = a
                    .duration
                    .map_or_else(|| "duration unknown".to_owned(), |d| format!("{d:.1} s"));
                match a.sample_rate {
                    Some(rate) => format!("audio {}, {rate} Hz, {duration}", a.format.name()),
                    None => format!("audio {}, {duration}", a.format.name()),
                }
            }
        }
    }
}

/// `24` for 24.0, `29.97` for 29.97.
pub(crate) fn trim_rate(fps: f64) -> String {
    let s = format!("{fps:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
