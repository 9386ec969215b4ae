//! What a file or URL holds: image, video or audio, told from its own bytes (never from its
//! name), probed with bounded reads, and checked against the asset service's rules (refusals)
//! and the generation model's (warnings, or refusals with `--strict`).
//!
//! Images are read from their header ([`image::read_header`]); videos are MP4/MOV files whose
//! movie box is found wherever it sits ([`isobmff`]); audio is WAV or MP3 ([`audio`]). URLs are
//! read with ranged GETs ([`source`]): a video whose `moov` is at its end costs a few small
//! reads, not a download. A read that fails is told from a file that is broken
//! ([`MediaError`]): the first is [`Kind::Unreadable`](crate::validate::Kind), worth a retry.

pub mod audio;
mod error;
pub mod fit;
pub mod image;
pub(crate) mod isobmff;
pub(crate) mod kinds;
pub mod rules;
pub mod source;

use std::path::Path;

use url::Url;

pub use self::audio::AudioFormat;
pub use self::error::MediaError;
pub use self::image::{ImageFormat, ImageInfo, MAX_FILE_BYTES, image_rules, read_header};
pub(crate) use self::kinds::trim_rate;
pub use self::kinds::{AudioInfo, Codec, Container, Media, MediaKind, VideoInfo};
pub(crate) use self::rules::names_media;
pub use self::rules::{Model, Policy, Service};
pub use self::source::{CheckTimeouts, check_client};
use self::source::{FileSource, Source, UrlSource};
use crate::validate::{Field, Invalid};

/// Bytes read first from every file or URL: the type, most image headers, and the movie box of
/// short videos written for streaming.
pub(crate) const FIRST_READ: usize = 64 * 1024;
/// The most read to find an image's size (a JPEG's frame header can follow a large EXIF block).
pub(crate) const HEADER_BYTES: usize = 1024 * 1024;
/// The most of an audio URL downloaded to read its duration (the service takes ≤ 15 MB).
const MAX_AUDIO_READ: u64 = 16 * 1024 * 1024;

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

/// Reads what `source` holds; `head` is its first bytes. A read that fails is said of the file
/// ([`Field::File`], no value: the caller names it) as [`Kind::Unreadable`](crate::validate::Kind).
async fn probe<S: Source>(source: &mut S, head: Vec<u8>) -> Result<Media, Invalid> {
    let bytes = Some(source.size());
    if let Some(format) = audio::detect(&head) {
        if source.size() > MAX_AUDIO_READ {
            // Too big for the service anyway: the size rule says so without the duration.
            return Ok(Media::Audio(AudioInfo {
                format,
                sample_rate: None,
                duration: None,
                bytes,
            }));
        }
        let sound = audio::read_source(source, format, head)
            .await
            .map_err(|e| e.into_invalid(Field::Audio))?;
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
            .map_err(|e| e.into_invalid(Field::Video))?;
        return video_of(movie, bytes);
    }
    let info = match image::read_header(&head) {
        Ok(info) => info,
        // The header may go on past the first read: read up to HEADER_BYTES and try again.
        Err(e) if !e.is_format_problem() || (head.len() as u64) >= source.size() => {
            return Err(e);
        }
        Err(_) => {
            let more = source
                .read(0, HEADER_BYTES as u64)
                .await
                .map_err(|e| MediaError::Io(e).into_invalid(Field::Image))?;
            image::read_header(&more)?
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
            Some(s) => Invalid::format(
                Field::Audio,
                format!(
                    "is {} audio in {}; audio assets must be mp3 or wav",
                    Codec::of(s.codec, s.object_type).name(),
                    container.name().to_uppercase()
                ),
            ),
            None => Invalid::format(
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
    let mut source = FileSource::open(path)
        .await
        .map_err(|e| file_problem(path, &e))?;
    let head = source
        .read(0, FIRST_READ as u64)
        .await
        .map_err(|e| file_problem(path, &e))?;
    let read = head.len() as u64;
    let media = probe(&mut source, head)
        .await
        .map_err(|e| of_file(path, e))?;
    Ok(Probed { media, read })
}

/// Why the local file `path` could not be opened or read: not a regular file or too big
/// (rules), else unreadable.
pub(crate) fn file_problem(path: &Path, e: &std::io::Error) -> Invalid {
    let rule = crate::files::problem(e);
    match e.kind() {
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            Invalid::file(path, rule)
        }
        _ => Invalid::unreadable(Field::File, path.display(), rule),
    }
}

/// A problem of the file `path` (one said of [`Field::File`] without a value) named by it.
fn of_file(path: &Path, e: Invalid) -> Invalid {
    if e.field == Field::File && e.value.is_empty() {
        e.said_of(Field::File, path.display())
    } else {
        e
    }
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
        Err(_) => Err(Invalid::unreadable(
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
    let (head, total) = source::fetch_head(http, url, timeouts, FIRST_READ).await?;
    let fail = |e: Invalid| {
        if e.field == Field::File {
            e.said_of(Field::Url, url.as_str())
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
                source::fetch_head(http, url, timeouts, HEADER_BYTES)
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
