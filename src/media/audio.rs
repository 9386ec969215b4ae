//! WAV and MP3: format, sample rate and duration from the container (RIFF header; MP3 Xing or
//! VBRI header, or an estimate from the frames), read by symphonia's demuxers without decoding.

use std::io::Cursor;

use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream};

use super::error::MediaError;
use super::source::Source;

/// The audio formats the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    /// MPEG-1/2 Layer III.
    Mp3,
    /// RIFF WAVE.
    Wav,
}

impl AudioFormat {
    /// Lower-case name, also the usual extension.
    pub fn name(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Wav => "wav",
        }
    }
}

/// Whether `header` starts like a WAV or MP3 file.
pub(crate) fn detect(header: &[u8]) -> Option<AudioFormat> {
    if header.len() >= 12 && &header[..4] == b"RIFF" && &header[8..12] == b"WAVE" {
        return Some(AudioFormat::Wav);
    }
    if header.starts_with(b"ID3") {
        return Some(AudioFormat::Mp3);
    }
    // An MPEG audio frame: 11 sync bits, a version that exists, layer III, a usable bitrate.
    match header {
        [0xFF, b1, b2, ..] => (b1 & 0xE0 == 0xE0
            && b1 & 0x18 != 0x08
            && b1 & 0x06 == 0x02
            && b2 & 0xF0 != 0xF0
            && b2 & 0x0C != 0x0C)
            .then_some(AudioFormat::Mp3),
        _ => None,
    }
}

/// What the container says of the sound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sound {
    /// Samples a second.
    pub sample_rate: Option<u32>,
    /// Duration, seconds, when the container tells (or the frames let it be estimated).
    pub duration: Option<f64>,
}

/// The `fmt ` chunk of a WAV file: what the decoder is told of the samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavFormat {
    /// Channels.
    pub channels: u16,
    /// Samples a second.
    pub sample_rate: u32,
    /// Bits a sample.
    pub bits: u16,
}

/// Highest sample rate a WAV header may claim (ultrasonic recorders write 384 kHz).
const MAX_SAMPLE_RATE: u32 = 768_000;

/// Reads and checks the `fmt ` chunk of RIFF WAVE `bytes` (its chunks are walked by their
/// sizes, bounded by the bytes at hand), and that a `data` chunk follows: a decoder is only
/// given a header whose numbers it can work with.
pub fn wav_format(bytes: &[u8]) -> Result<WavFormat, String> {
    let le16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let le32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut at = 12;
    let mut format = None;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), le32(at + 4)) {
        let body = at + 8;
        match id {
            b"fmt " => {
                let (Some(channels), Some(rate), Some(bits)) =
                    (le16(body + 2), le32(body + 4), le16(body + 14))
                else {
                    return Err("its WAV fmt chunk is cut off".to_owned());
                };
                if channels == 0 {
                    return Err("its WAV header says it has 0 channels".to_owned());
                }
                if rate == 0 || rate > MAX_SAMPLE_RATE {
                    return Err(format!(
                        "its WAV header says a sample rate of {rate} Hz (1 to {MAX_SAMPLE_RATE} \
                         is readable)"
                    ));
                }
                if bits == 0 {
                    return Err("its WAV header says 0 bits a sample".to_owned());
                }
                format = Some(WavFormat {
                    channels,
                    sample_rate: rate,
                    bits,
                });
            }
            b"data" => {
                return format.ok_or_else(|| "its WAV data comes before any fmt chunk".to_owned());
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        at = body
            .saturating_add(size as usize)
            .saturating_add(size as usize & 1);
    }
    Err(match format {
        None => "it is a WAV file without a fmt chunk (no sample format)".to_owned(),
        Some(_) => "it is a WAV file without a data chunk (no sound)".to_owned(),
    })
}

/// Reads `source` (a whole file, seekable) as `format`. Blocking: run it off the async threads.
pub fn read(format: AudioFormat, source: Box<dyn MediaSource>) -> Result<Sound, String> {
    let stream = MediaSourceStream::new(source, Default::default());
    let opts = FormatOptions::default();
    let reader: Box<dyn FormatReader> = match format {
        AudioFormat::Wav => Box::new(
            symphonia::default::formats::WavReader::try_new(stream, &opts)
                .map_err(|e| format!("its WAV header cannot be read: {e}"))?,
        ),
        AudioFormat::Mp3 => Box::new(
            symphonia::default::formats::MpaReader::try_new(stream, &opts)
                .map_err(|e| format!("its MP3 frames cannot be read: {e}"))?,
        ),
    };
    let track = reader
        .default_track()
        .ok_or_else(|| "it holds no audio track".to_owned())?;
    let params = &track.codec_params;
    let duration = match (params.n_frames, params.time_base, params.sample_rate) {
        (Some(n), Some(base), _) => {
            let t = base.calc_time(n);
            Some(t.seconds as f64 + t.frac)
        }
        (Some(n), None, Some(rate)) if rate > 0 => Some(n as f64 / f64::from(rate)),
        _ => None,
    };
    Ok(Sound {
        sample_rate: params.sample_rate,
        duration,
    })
}

/// Reads audio held in memory: a WAV header is checked first; a decoder that fails in a way
/// it did not foresee (a panic) is an error for this file, never the end of the program. Every
/// error is a [`MediaError::Format`]: the bytes are at hand.
pub fn read_bytes(format: AudioFormat, bytes: Vec<u8>) -> Result<Sound, MediaError> {
    if format == AudioFormat::Wav {
        wav_format(&bytes).map_err(MediaError::Format)?;
    }
    std::panic::catch_unwind(|| read(format, Box::new(Cursor::new(bytes))))
        .unwrap_or_else(|_| Err("it cannot be read (its decoder gave up on it)".to_owned()))
        .map_err(MediaError::Format)
}

/// Reads the whole of `source` (`head` is its first bytes) as `format`, off the async threads:
/// a read that fails is [`MediaError::Io`], what the bytes do not hold [`MediaError::Format`].
pub(crate) async fn read_source<S: Source>(
    source: &mut S,
    format: AudioFormat,
    head: Vec<u8>,
) -> Result<Sound, MediaError> {
    let len = source.size();
    let whole = if len as usize <= head.len() {
        head
    } else {
        source.read(0, len).await?
    };
    tokio::task::spawn_blocking(move || read_bytes(format, whole))
        .await
        .map_err(|_| MediaError::format("could not be read (the reader failed)"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_needs_a_real_frame_header() {
        assert_eq!(detect(b"RIFF\0\0\0\0WAVEfmt "), Some(AudioFormat::Wav));
        assert_eq!(detect(b"RIFF\0\0\0\0WEBPVP8 "), None);
        assert_eq!(detect(b"ID3\x04\0"), Some(AudioFormat::Mp3));
        assert_eq!(detect(&[0xFF, 0xFB, 0x90, 0x64]), Some(AudioFormat::Mp3));
        // Layer I, a free-format bitrate, and JPEG's FF D8 are not MP3.
        assert_eq!(detect(&[0xFF, 0xFF, 0x90, 0x64]), None);
        assert_eq!(detect(&[0xFF, 0xFB, 0xF0, 0x64]), None);
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0]), None);
    }

    /// A WAV file of `fmt` (channels, rate, bits) chunks and a `data` chunk when asked.
    fn wav(fmt: Option<(u16, u32, u16)>, data: bool) -> Vec<u8> {
        let mut out = b"RIFF\0\0\0\0WAVE".to_vec();
        out.extend_from_slice(b"LIST\x03\0\0\0abc\0");
        if let Some((channels, rate, bits)) = fmt {
            out.extend_from_slice(b"fmt \x10\0\0\0\x01\0");
            out.extend_from_slice(&channels.to_le_bytes());
            out.extend_from_slice(&rate.to_le_bytes());
            out.extend_from_slice(&(rate * 2).to_le_bytes());
            out.extend_from_slice(&2u16.to_le_bytes());
            out.extend_from_slice(&bits.to_le_bytes());
        }
        if data {
            out.extend_from_slice(b"data\x04\0\0\0\0\0\0\0");
        }
        out
    }

    #[test]
    fn wav_headers_are_checked_before_a_decoder_sees_them() {
        let ok = wav(Some((1, 16_000, 16)), true);
        assert_eq!(
            wav_format(&ok),
            Ok(WavFormat {
                channels: 1,
                sample_rate: 16_000,
                bits: 16
            })
        );
        let zero_rate = wav(Some((1, 0, 16)), true);
        assert!(
            wav_format(&zero_rate)
                .unwrap_err()
                .contains("sample rate of 0 Hz")
        );
        assert!(read_bytes(AudioFormat::Wav, zero_rate).is_err(), "no panic");
        assert!(
            wav_format(&wav(Some((0, 8000, 16)), true))
                .unwrap_err()
                .contains("0 channels")
        );
        assert!(
            wav_format(&wav(None, true))
                .unwrap_err()
                .contains("before any fmt")
        );
        assert!(
            wav_format(&wav(None, false))
                .unwrap_err()
                .contains("without a fmt chunk")
        );
        assert!(
            wav_format(&wav(Some((1, 8000, 16)), false))
                .unwrap_err()
                .contains("without a data")
        );
        let mut huge = wav(Some((1, 8000, 16)), true);
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            wav_format(&huge).is_err(),
            "a chunk size past the end stops the walk"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [vec![], b"RIFF\0\0\0\0WAVE".to_vec(), vec![0xFF, 0xFB, 0x90]] {
            let format = detect(&bytes).unwrap_or(AudioFormat::Mp3);
            assert!(read_bytes(format, bytes).is_err());
        }
    }
}
