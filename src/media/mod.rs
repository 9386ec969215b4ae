//! What a file or URL holds: image, video or audio, told from its own bytes (never from its
//! name), probed with bounded reads, and checked against the asset service's rules (refusals)
//! and the generation model's (warnings, or refusals with `--strict`).
//!
//! Images are read from their header ([`crate::validate::read_header`]); videos are MP4/MOV
//! files whose movie box is found wherever it sits ([`isobmff`]); audio is WAV or MP3
//! ([`audio`]). URLs are read with ranged GETs: a video whose `moov` is at its end costs a few
//! small reads, not a download.

pub mod audio;
pub mod fit;
pub(crate) mod isobmff;
pub mod rules;
pub mod source;

use std::path::Path;

use url::Url;

pub use self::audio::AudioFormat;
pub(crate) use self::rules::names_media;
pub use self::rules::{Model, Policy, Service};
use self::source::{FileSource, Source, UrlSource};
use crate::validate::{self, CheckTimeouts, Field, ImageInfo, Invalid};

/// Bytes read first from every file or URL: the type, most image headers, and the movie box of
/// short videos written for streaming.
pub(crate) const FIRST_READ: usize = 64 * 1024;
/// The most read to find an image's size (a JPEG's frame header can follow a large EXIF block).
pub(crate) const HEADER_BYTES: usize = 1024 * 1024;
/// The most of an audio URL downloaded to read its duration (the service takes ≤ 15 MB).
const MAX_AUDIO_READ: u64 = 16 * 1024 * 1024;

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
    fn of(code: [u8; 4], object_type: Option<u8>) -> Codec {
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

/// A probe's result and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Probed {
    /// What the bytes say.
    pub media: Media,
    /// Bytes read (over the network, for a URL).
    pub read: u64,
}

/// A file or URL that passed the rules, with the warnings of the model rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// What it is.
    pub media: Media,
    /// Model rules it breaks (and a name that lies about the content), one line each.
    pub warnings: Vec<String>,
}

fn format_problem(kind_field: Field, rule: impl Into<String>) -> Invalid {
    Invalid::new(kind_field, "", rule)
}

/// The kind the first bytes of a file suggest (the full probe decides).
pub(crate) fn sniff(head: &[u8]) -> Option<MediaKind> {
    if audio::detect(head).is_some() {
        Some(MediaKind::Audio)
    } else if isobmff::looks_like(head) && !is_image_brand(head) {
        Some(MediaKind::Video)
    } else {
        imagesize::image_type(head)
            .is_ok()
            .then_some(MediaKind::Image)
    }
}

/// Whether an ISO base media file is a HEIF/AVIF image rather than a movie.
fn is_image_brand(head: &[u8]) -> bool {
    isobmff::brand(head).is_some_and(|b| {
        matches!(
            &b,
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" | b"avif"
        )
    })
}

/// Reads what `source` holds; `head` is its first bytes.
async fn probe<S: Source>(source: &mut S, head: Vec<u8>) -> Result<Media, Invalid> {
    let bytes = Some(source.size());
    if let Some(format) = audio::detect(&head) {
        let len = source.size();
        if len > MAX_AUDIO_READ {
            // Too big for the service anyway: the size rule says so without the duration.
            return Ok(Media::Audio(AudioInfo {
                format,
                sample_rate: None,
                duration: None,
                bytes,
            }));
        }
        let whole = if len as usize <= head.len() {
            head
        } else {
            source
                .read(0, len)
                .await
                .map_err(|e| format_problem(Field::Audio, format!("cannot be read: {e}")))?
        };
        let sound = tokio::task::spawn_blocking(move || audio::read_bytes(format, whole))
            .await
            .map_err(|_| format_problem(Field::Audio, "could not be read (the reader failed)"))?
            .map_err(|e| format_problem(Field::Audio, e))?;
        return Ok(Media::Audio(AudioInfo {
            format,
            sample_rate: sound.sample_rate,
            duration: sound.duration,
            bytes,
        }));
    }
    if isobmff::looks_like(&head) && !is_image_brand(&head) {
        let movie = isobmff::read(source)
            .await
            .map_err(|e| format_problem(Field::Video, e))?;
        return video_of(movie, bytes);
    }
    let info = match validate::read_header(&head) {
        Ok(info) => info,
        // The header may go on past the first read: read up to HEADER_BYTES and try again.
        Err(e) if !e.is_format_problem() || (head.len() as u64) >= source.size() => {
            return Err(e);
        }
        Err(first) => {
            let more = source
                .read(0, HEADER_BYTES as u64)
                .await
                .map_err(|_| first)?;
            validate::read_header(&more)?
        }
    };
    Ok(Media::Image(ImageInfo { bytes, ..info }))
}

/// The video (or, for a sound-only MP4, the audio) a movie box describes.
fn video_of(movie: isobmff::Movie, bytes: Option<u64>) -> Result<Media, Invalid> {
    let container = if movie.brand.is_none_or(|b| &b == b"qt  ") {
        Container::Mov
    } else {
        Container::Mp4
    };
    let sound = movie.tracks.iter().find(|t| &t.handler == b"soun");
    let Some(picture) = movie.tracks.iter().find(|t| &t.handler == b"vide") else {
        return Err(match sound {
            Some(s) => format_problem(
                Field::Audio,
                format!(
                    "is {} audio in {}; audio assets must be mp3 or wav",
                    Codec::of(s.codec, s.object_type).name(),
                    container.name().to_uppercase()
                ),
            ),
            None => format_problem(
                Field::Video,
                format!(
                    "is an {} file that holds no video or audio track",
                    container.name().to_uppercase()
                ),
            ),
        });
    };
    let (width, height) = if picture.rotation % 180 == 90 {
        (picture.height, picture.width)
    } else {
        (picture.width, picture.height)
    };
    Ok(Media::Video(VideoInfo {
        container,
        width,
        height,
        rotation: picture.rotation,
        fps: picture.rate().unwrap_or(0.0),
        duration: picture.seconds().or(movie.duration).unwrap_or(0.0),
        video_codec: Codec::of(picture.codec, picture.object_type),
        audio_codec: sound.map(|s| Codec::of(s.codec, s.object_type)),
        bytes,
    }))
}

/// Probes a local file (no rules applied).
pub async fn probe_file(path: &Path) -> Result<Probed, Invalid> {
    let io = |e: std::io::Error| Invalid::file(path, crate::files::problem(&e));
    let mut source = FileSource::open(path).await.map_err(io)?;
    let head = source.read(0, FIRST_READ as u64).await.map_err(io)?;
    let read = head.len() as u64;
    let media = probe(&mut source, head).await?;
    Ok(Probed { media, read })
}

/// Probes a URL with ranged GETs within `timeouts.total` (no rules applied).
pub async fn probe_url(
    http: &reqwest::Client,
    url: &Url,
    timeouts: CheckTimeouts,
) -> Result<Probed, Invalid> {
    let host = url.host_str().unwrap_or_default();
    match tokio::time::timeout(timeouts.total, probe_url_unbounded(http, url, timeouts)).await {
        Ok(result) => result,
        Err(_) => Err(Invalid::new(
            Field::Url,
            url.as_str(),
            format!(
                "host {host} did not send the file's bytes within {} s (the check's limit; \
                 --check-timeout sets it)",
                timeouts.total.as_secs_f32()
            ),
        )),
    }
}

async fn probe_url_unbounded(
    http: &reqwest::Client,
    url: &Url,
    timeouts: CheckTimeouts,
) -> Result<Probed, Invalid> {
    let (head, total) = validate::fetch_head(http, url, timeouts, FIRST_READ).await?;
    let fail = |e: Invalid| {
        if e.field == Field::File {
            Invalid::new(Field::Url, url.as_str(), e.rule)
        } else {
            e
        }
    };
    match total {
        Some(len) => {
            let mut source = UrlSource::new(http, url, head.clone(), len);
            let media = probe(&mut source, head).await.map_err(fail)?;
            Ok(Probed {
                media,
                read: source.fetched,
            })
        }
        None => {
            // No length, so no ranged reads: what can be read is in the first bytes; take up to
            // HEADER_BYTES of them (an image header after a large EXIF block still fits).
            let head = if head.len() >= FIRST_READ {
                validate::fetch_head(http, url, timeouts, HEADER_BYTES)
                    .await?
                    .0
            } else {
                head
            };
            let read = head.len() as u64;
            let len = head.len() as u64;
            let mut source = source::MemorySource(head.clone());
            let mut media = probe(&mut source, head).await.map_err(fail)?;
            if len as usize >= HEADER_BYTES {
                media = without_size(media);
            }
            Ok(Probed { media, read })
        }
    }
}

/// `media` with its size unknown.
fn without_size(media: Media) -> Media {
    match media {
        Media::Image(i) => Media::Image(ImageInfo { bytes: None, ..i }),
        Media::Video(v) => Media::Video(VideoInfo { bytes: None, ..v }),
        Media::Audio(a) => Media::Audio(AudioInfo { bytes: None, ..a }),
    }
}

/// Probes and checks a local file: hard rules refuse, model rules warn (or refuse under
/// `policy.strict`), a name that lies about the content is reported.
pub async fn check_file(path: &Path, policy: &Policy) -> Result<Checked, Vec<Invalid>> {
    let probed = probe_file(path).await.map_err(|e| vec![e])?;
    rules::apply(
        probed.media,
        policy,
        path.extension().and_then(|e| e.to_str()),
    )
}

/// Probes and checks `bytes` held in memory (a sample compiled in), named `name`, like
/// [`check_file`].
pub(crate) async fn check_bytes(
    bytes: &[u8],
    name: &str,
    policy: &Policy,
) -> Result<Checked, Vec<Invalid>> {
    let head = bytes[..bytes.len().min(FIRST_READ)].to_vec();
    let mut source = source::MemorySource(bytes.to_vec());
    let media = probe(&mut source, head).await.map_err(|e| vec![e])?;
    rules::apply(media, policy, name.rsplit_once('.').map(|(_, ext)| ext))
}

/// Probes and checks a URL, like [`check_file`].
pub async fn check_url(
    http: &reqwest::Client,
    url: &Url,
    timeouts: CheckTimeouts,
    policy: &Policy,
) -> Result<Checked, Vec<Invalid>> {
    let probed = probe_url(http, url, timeouts).await.map_err(|e| vec![e])?;
    let ext = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .and_then(|last| last.rsplit_once('.'))
        .map(|(_, ext)| ext);
    rules::apply(probed.media, policy, ext)
}
