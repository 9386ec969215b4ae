//! Why a reader (MP4/MOV boxes, WAV/MP3 headers) could not tell what a file holds: its bytes
//! could not be read, or they were read and are not a file of that kind. The two are said
//! apart, so a timeout is never taken for a broken file.

use std::io;

use crate::validate::{Field, Invalid};

/// A reader's failure.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The bytes could not be read (a timeout, a lost connection, a file that cannot be read):
    /// nothing is known of the file, and trying again may work.
    #[error("could not be read: {0}")]
    Io(#[source] io::Error),
    /// The bytes were read and are not a file of the kind (not an MP4, no movie header, a
    /// cut-off or nonsensical header): the file is broken.
    #[error("{0}")]
    Format(String),
}

impl MediaError {
    /// A format problem said in `rule`.
    pub(crate) fn format(rule: impl Into<String>) -> Self {
        MediaError::Format(rule.into())
    }

    /// As a rule broken by what `field` holds: a format problem of `field`, or a file that
    /// could not be read (said of the file; the caller names it).
    pub(crate) fn into_invalid(self, field: Field) -> Invalid {
        match self {
            MediaError::Io(_) => Invalid::unreadable(Field::File, "", unreadable_rule(&self)),
            MediaError::Format(rule) => Invalid::format(field, rule),
        }
    }
}

impl From<io::Error> for MediaError {
    fn from(e: io::Error) -> Self {
        MediaError::Io(e)
    }
}

/// How a file that could not be read is said: not judged, worth another try.
fn unreadable_rule(e: &MediaError) -> String {
    format!("{e} (the read failed, not the file: try again)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_is_unreadable_and_a_bad_header_is_a_format_problem() {
        let timeout = io::Error::new(io::ErrorKind::TimedOut, "operation timed out");
        let read = MediaError::from(timeout).into_invalid(Field::Video);
        assert!(
            read.is_unreadable() && !read.is_format_problem(),
            "{read:?}"
        );
        assert_eq!(read.field, Field::File);
        assert!(
            read.rule
                .starts_with("could not be read: operation timed out"),
            "{read}"
        );
        let broken = MediaError::format("it has no movie header").into_invalid(Field::Video);
        assert!(broken.is_format_problem() && !broken.is_unreadable());
        assert_eq!(broken.to_string(), "Video: it has no movie header");
    }
}
