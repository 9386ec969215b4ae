//! What a file is checked for: the Seedance model whose rules warn, whose asset service it
//! goes to (its reported figures), and the policy that holds them with the strictness asked.

use crate::media::{Media, MediaKind};

/// The Seedance model whose input rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Seedance 2.0: reference videos of 2–15 s.
    #[default]
    Seedance20,
    /// Seedance 2.5: reference videos of 2–30 s.
    Seedance25,
}

impl Model {
    /// Its name, as `--model` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Model::Seedance20 => "seedance-2.0",
            Model::Seedance25 => "seedance-2.5",
        }
    }

    /// Shortest and longest reference video, seconds.
    pub(crate) fn video_seconds(self) -> (f64, f64) {
        match self {
            Model::Seedance20 => (2.0, 15.0),
            Model::Seedance25 => (2.0, 30.0),
        }
    }
}

impl std::str::FromStr for Model {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().trim_start_matches("seedance-") {
            "2.0" | "2" => Ok(Model::Seedance20),
            "2.5" => Ok(Model::Seedance25),
            _ => Err(format!(
                "\"{s}\" is not a known model; use seedance-2.0 or seedance-2.5"
            )),
        }
    }
}

/// Largest video the domestic gateways are reported to relay, bytes (50 MB; spec 12, 13).
pub(crate) const RELAYED_VIDEO_BYTES: u64 = 50 * 1024 * 1024;

/// Whose asset service the file goes to: its own figures for videos and audio where they
/// differ from the documented ones (spec section 13). They are reported rather than
/// published, so breaking them warns; the service has the last word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Service {
    /// Not known (a profile without a provider, a gateway, the demo): a video over 50 MB
    /// warns, as one integration found.
    #[default]
    Unknown,
    /// BytePlus ModelArk: videos and audio of 2–30 s.
    Byteplus,
    /// Volcengine Ark (through its gateways): videos of 2–15 s and at most 50 MB.
    Volcengine,
}

impl Service {
    /// The service's name in warnings.
    fn name(self) -> &'static str {
        match self {
            Service::Unknown => "the service",
            Service::Byteplus => "BytePlus",
            Service::Volcengine => "Volcengine",
        }
    }

    /// Shortest and longest video it is reported to take, seconds, where known.
    fn video_seconds(self) -> Option<(f64, f64)> {
        match self {
            Service::Unknown => None,
            Service::Byteplus => Some((2.0, 30.0)),
            Service::Volcengine => Some((2.0, 15.0)),
        }
    }

    /// Largest video it is reported to take, bytes, under the documented 200 MB.
    fn video_bytes(self) -> Option<u64> {
        match self {
            Service::Byteplus => None,
            Service::Unknown | Service::Volcengine => Some(RELAYED_VIDEO_BYTES),
        }
    }

    /// Shortest and longest audio it is reported to take, seconds, where known.
    fn audio_seconds(self) -> Option<(f64, f64)> {
        match self {
            Service::Byteplus => Some((2.0, 30.0)),
            Service::Unknown | Service::Volcengine => None,
        }
    }

    /// What `media` breaks of the figures reported for this service, one line each.
    pub(crate) fn warnings(self, media: &Media) -> Vec<String> {
        let name = self.name();
        let outside = |d: f64, (lo, hi): (f64, f64)| !(lo..=hi).contains(&d);
        let mut out = Vec::new();
        match media {
            Media::Image(_) => {}
            Media::Video(v) => {
                if let Some((lo, hi)) = self.video_seconds().filter(|w| outside(v.duration, *w)) {
                    out.push(format!(
                        "video is {:.1} s; {name} is reported to take videos of {lo}–{hi} s",
                        v.duration
                    ));
                }
                if let Some(most) = self.video_bytes()
                    && let Some(bytes) = v.bytes.filter(|b| *b > most)
                {
                    out.push(format!(
                        "video is {}; {name} is reported to take videos of at most {}",
                        megabytes(bytes),
                        megabytes(most)
                    ));
                }
            }
            Media::Audio(a) => {
                if let Some((lo, hi)) = self.audio_seconds()
                    && let Some(d) = a.duration.filter(|d| outside(*d, (lo, hi)))
                {
                    out.push(format!(
                        "audio is {d:.1} s; {name} is reported to take audio of {lo}–{hi} s"
                    ));
                }
            }
        }
        out
    }
}

/// How strictly to check, and what the user says the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// Model whose rules warn.
    pub model: Model,
    /// Model rules refuse instead of warning.
    pub strict: bool,
    /// The type the user asked for (`--type`); content of another type is refused.
    pub declared: Option<MediaKind>,
    /// Whose service the file goes to (its reported figures warn).
    pub service: Service,
}

pub(super) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}
