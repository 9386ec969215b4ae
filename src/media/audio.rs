//! WAV and MP3: format, sample rate and duration from the container (RIFF header; MP3 Xing or
//! VBRI header, or an estimate from the frames), read by symphonia's demuxers without decoding.

use std::io::Cursor;

use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream};

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
pub fn detect(header: &[u8]) -> Option<AudioFormat> {
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

/// Reads audio held in memory.
pub fn read_bytes(format: AudioFormat, bytes: Vec<u8>) -> Result<Sound, String> {
    read(format, Box::new(Cursor::new(bytes)))
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

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [vec![], b"RIFF\0\0\0\0WAVE".to_vec(), vec![0xFF, 0xFB, 0x90]] {
            let format = detect(&bytes).unwrap_or(AudioFormat::Mp3);
            assert!(read_bytes(format, bytes).is_err());
        }
    }
}
