//! ISO base media files (MP4, MOV): finds the `moov` box with bounded reads, wherever it sits,
//! and reads from it what the asset rules need: tracks, their codecs, sizes, rotation,
//! durations and frame rates.
//!
//! Only the boxes named here are read; everything else is skipped by its size, so `mdat` (the
//! bulk of a file) is never read. Every length comes from the file and is checked before use:
//! a truncated or hostile file is an error, never a panic, a huge allocation or a long loop.

use super::error::MediaError;
use super::source::Source;

/// The largest `moov` read (a 30 s 60 fps video's is ~100 KB).
pub(crate) const MAX_MOOV_BYTES: u64 = 32 * 1024 * 1024;
/// Top-level boxes looked at before giving up on finding `moov` (each is at least 8 bytes, so
/// this is reached only by a file of many tiny boxes).
const MAX_TOP_LEVEL_BOXES: usize = 1 << 20;

/// Bytes read at a time while walking the top-level boxes: the headers of many small boxes
/// (`free`, `skip`, `wide`) come in one read, a URL's in one ranged GET.
const HEADER_WINDOW: u64 = 64 * 1024;

/// What the movie box says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Movie {
    /// Major brand of `ftyp` (`qt  ` for QuickTime), when there is one.
    pub brand: Option<[u8; 4]>,
    /// Duration of the whole movie, seconds (from `mvhd`).
    pub duration: Option<f64>,
    /// Its tracks.
    pub tracks: Vec<Track>,
}

/// One track.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Track {
    /// Handler: `vide`, `soun`, …
    pub handler: [u8; 4],
    /// Four-character code of the first sample entry (`avc1`, `hvc1`, `mp4a`, `sowt`…).
    pub codec: [u8; 4],
    /// MPEG-4 object type of an `mp4a` entry (0x40 AAC, 0x69/0x6B MP3).
    pub object_type: Option<u8>,
    /// Coded width and height of a visual sample entry, pixels.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Clockwise rotation from the track matrix: 0, 90, 180 or 270.
    pub rotation: u16,
    /// Media timescale (units a second).
    pub timescale: u32,
    /// Media duration in timescale units.
    pub duration: u64,
    /// Samples (frames, for video) and their total duration, from `stts`.
    pub samples: u64,
    /// See `samples`.
    pub sample_time: u64,
}

impl Track {
    /// Duration in seconds.
    pub(crate) fn seconds(&self) -> Option<f64> {
        (self.timescale > 0).then(|| self.duration as f64 / f64::from(self.timescale))
    }

    /// Frames a second (samples over their duration).
    pub(crate) fn rate(&self) -> Option<f64> {
        (self.sample_time > 0 && self.timescale > 0)
            .then(|| self.samples as f64 * f64::from(self.timescale) / self.sample_time as f64)
    }
}

/// Whether `header` starts like an ISO base media file (or an old QuickTime one).
pub(crate) fn looks_like(header: &[u8]) -> bool {
    header.get(4..8).is_some_and(|t| {
        matches!(
            t,
            b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip" | b"pnot"
        )
    })
}

/// The major brand, when the file starts with `ftyp`.
pub(crate) fn brand(header: &[u8]) -> Option<[u8; 4]> {
    (header.get(4..8)? == b"ftyp").then(|| header.get(8..12)?.try_into().ok())?
}

/// Finds `moov` (reading only box headers on the way) and parses it: a read that fails is
/// [`MediaError::Io`], a file that is not a whole movie [`MediaError::Format`].
pub(crate) async fn read<S: Source>(src: &mut S) -> Result<Movie, MediaError> {
    let len = src.size();
    let mut offset = 0u64;
    let mut brand = None;
    // The bytes at hand: `window` starts at byte `window_at`.
    let mut window_at = 0u64;
    let mut window: Vec<u8> = Vec::new();
    for _ in 0..MAX_TOP_LEVEL_BOXES {
        if offset + 8 > len {
            break;
        }
        let wanted = 16.min(len - offset);
        if offset < window_at || offset + wanted > window_at + window.len() as u64 {
            window = src.read(offset, HEADER_WINDOW.min(len - offset)).await?;
            window_at = offset;
        }
        let head = &window[(offset - window_at) as usize..];
        let (kind, size, header) = box_header(head, len - offset).ok_or_else(|| {
            MediaError::format(format!("box at byte {offset} is cut off or has a bad size"))
        })?;
        match &kind {
            b"ftyp" if offset == 0 => {
                let body = src.read(offset + header, (size - header).min(64)).await?;
                brand = body.get(..4).and_then(|b| b.try_into().ok());
            }
            b"moov" => {
                let body_len = size - header;
                if body_len > MAX_MOOV_BYTES {
                    return Err(MediaError::format(format!(
                        "its movie header is {body_len} bytes; more than {MAX_MOOV_BYTES} is not read"
                    )));
                }
                let body = src.read(offset + header, body_len).await?;
                if (body.len() as u64) < body_len {
                    return Err(MediaError::format(
                        "the file is truncated inside its movie header",
                    ));
                }
                let mut movie = parse_moov(&body).map_err(MediaError::Format)?;
                movie.brand = brand;
                return Ok(movie);
            }
            _ => {}
        }
        offset += size;
    }
    Err(MediaError::format(
        "it has no movie header (moov box): truncated, or not a complete MP4/MOV",
    ))
}

/// Type, total size and header length of the box starting `head`, with `left` bytes from its
/// start to the end of the file.
fn box_header(head: &[u8], left: u64) -> Option<([u8; 4], u64, u64)> {
    let size32 = u32::from_be_bytes(head.get(0..4)?.try_into().ok()?);
    let kind: [u8; 4] = head.get(4..8)?.try_into().ok()?;
    let (size, header) = match size32 {
        0 => (left, 8),
        1 => (u64::from_be_bytes(head.get(8..16)?.try_into().ok()?), 16),
        n => (u64::from(n), 8),
    };
    (size >= header && size <= left).then_some((kind, size, header))
}

/// A box: its type and body.
type Child<'a> = ([u8; 4], &'a [u8]);

/// The children of a box body.
fn children(data: &[u8]) -> Result<Vec<Child<'_>>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 8 <= data.len() {
        let (kind, size, header) = box_header(&data[at..], (data.len() - at) as u64)
            .ok_or_else(|| "a box inside the movie header has a bad size".to_owned())?;
        out.push((kind, &data[at + header as usize..at + size as usize]));
        at += size as usize;
    }
    Ok(out)
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, String> {
    Ok(children(data)?
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, b)| b))
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// Timescale and duration of an `mvhd` or `mdhd` body.
fn timing(d: &[u8]) -> Option<(u32, u64)> {
    if d.first()? == &1 {
        Some((u32_at(d, 20)?, u64_at(d, 24)?))
    } else {
        Some((u32_at(d, 12)?, u64::from(u32_at(d, 16)?)))
    }
}

fn parse_moov(moov: &[u8]) -> Result<Movie, String> {
    let mut movie = Movie::default();
    for (kind, body) in children(moov)? {
        match &kind {
            b"mvhd" => {
                movie.duration = timing(body)
                    .filter(|(scale, _)| *scale > 0)
                    .map(|(scale, d)| d as f64 / f64::from(scale));
            }
            b"trak" => movie.tracks.push(parse_trak(body)?),
            _ => {}
        }
    }
    Ok(movie)
}

fn parse_trak(trak: &[u8]) -> Result<Track, String> {
    let bad = |what: &str| format!("its {what} box is cut off");
    let mut track = Track::default();
    if let Some(tkhd) = child(trak, b"tkhd")? {
        let matrix = if tkhd.first() == Some(&1) { 52 } else { 40 };
        let m = |i: usize| u32_at(tkhd, matrix + 4 * i).map(|v| v as i32);
        let (a, b, d) = (m(0), m(1), m(4));
        let (a, b, d) = (
            a.ok_or_else(|| bad("tkhd"))?,
            b.ok_or_else(|| bad("tkhd"))?,
            d.ok_or_else(|| bad("tkhd"))?,
        );
        track.rotation = match (a.signum(), b.signum(), d.signum()) {
            (0, 1, 0) => 90,
            (-1, 0, -1) => 180,
            (0, -1, 0) => 270,
            _ => 0,
        };
    }
    let mdia = child(trak, b"mdia")?.ok_or_else(|| "a track has no media box".to_owned())?;
    if let Some(mdhd) = child(mdia, b"mdhd")? {
        (track.timescale, track.duration) = timing(mdhd).ok_or_else(|| bad("mdhd"))?;
    }
    if let Some(hdlr) = child(mdia, b"hdlr")? {
        track.handler = hdlr
            .get(8..12)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| bad("hdlr"))?;
    }
    let stbl = match child(mdia, b"minf")? {
        Some(minf) => child(minf, b"stbl")?,
        None => None,
    };
    let Some(stbl) = stbl else {
        return Ok(track);
    };
    if let Some(stsd) = child(stbl, b"stsd")? {
        let entries = stsd.get(8..).ok_or_else(|| bad("stsd"))?;
        if let Some((codec, entry)) = children(entries)?.into_iter().next() {
            track.codec = codec;
            if &track.handler == b"vide" {
                track.width = u32::from(u16_at(entry, 24).ok_or_else(|| bad("stsd"))?);
                track.height = u32::from(u16_at(entry, 26).ok_or_else(|| bad("stsd"))?);
            }
            if &codec == b"mp4a" {
                track.object_type = object_type(entry);
            }
        }
    }
    if let Some(stts) = child(stbl, b"stts")? {
        let count = u32_at(stts, 4).ok_or_else(|| bad("stts"))? as usize;
        for i in 0..count.min((stts.len().saturating_sub(8)) / 8) {
            let n = u64::from(u32_at(stts, 8 + 8 * i).unwrap_or(0));
            let delta = u64::from(u32_at(stts, 12 + 8 * i).unwrap_or(0));
            track.samples = track.samples.saturating_add(n);
            track.sample_time = track.sample_time.saturating_add(n.saturating_mul(delta));
        }
    }
    Ok(track)
}

/// The object type of the `esds` box somewhere inside an `mp4a` entry (QuickTime nests it in
/// `wave`, so it is found by its type rather than by walking the boxes).
fn object_type(entry: &[u8]) -> Option<u8> {
    let at = entry.windows(4).position(|w| w == b"esds")?;
    let esds = entry.get(at + 4..)?;
    let mut p = 4; // version and flags
    let (tag, next) = descriptor(esds, p)?;
    if tag != 0x03 {
        return None;
    }
    p = next;
    let flags = *esds.get(p + 2)?;
    p += 3;
    if flags & 0x80 != 0 {
        p += 2;
    }
    if flags & 0x40 != 0 {
        p += 1 + usize::from(*esds.get(p)?);
    }
    if flags & 0x20 != 0 {
        p += 2;
    }
    let (tag, next) = descriptor(esds, p)?;
    (tag == 0x04).then(|| esds.get(next).copied())?
}

/// Tag of the descriptor at `p` and where its body starts.
fn descriptor(d: &[u8], mut p: usize) -> Option<(u8, usize)> {
    let tag = *d.get(p)?;
    p += 1;
    for _ in 0..4 {
        let b = *d.get(p)?;
        p += 1;
        if b & 0x80 == 0 {
            return Some((tag, p));
        }
    }
    Some((tag, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_sizes_are_checked() {
        assert!(box_header(&[0, 0, 0, 4, b'f', b'r', b'e', b'e'], 100).is_none());
        assert!(box_header(&[0, 0, 1, 0, b'f', b'r', b'e', b'e'], 100).is_none());
        assert_eq!(
            box_header(&[0, 0, 0, 0, b'm', b'd', b'a', b't'], 100),
            Some((*b"mdat", 100, 8))
        );
        assert!(children(&[0, 0, 0, 9, b'a', b'b', b'c', b'd']).is_err());
    }

    #[test]
    fn descriptors_with_long_lengths() {
        // ES_Descriptor with a 4-byte length, ES_ID, no flags, then DecoderConfig with AAC.
        let esds = [
            0, 0, 0, 0, 0x03, 0x80, 0x80, 0x80, 0x20, 0, 1, 0, 0x04, 0x80, 0x80, 0x80, 0x12, 0x40,
        ];
        let mut entry = b"....esds".to_vec();
        entry.truncate(4);
        entry.extend_from_slice(b"esds");
        entry.extend_from_slice(&esds);
        assert_eq!(object_type(&entry), Some(0x40));
        assert_eq!(object_type(&entry[..entry.len() - 1]), None);
    }
}
