//! [`Source`]: where an asset's content comes from (a public URL, or a local file).

use std::path::PathBuf;

/// Where a row's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A public URL the service downloads.
    Url(String),
    /// A local file, uploaded first.
    File(PathBuf),
}

impl Source {
    /// How the source is shown.
    pub fn shown(&self) -> String {
        match self {
            Source::Url(u) => u.clone(),
            Source::File(p) => p.display().to_string(),
        }
    }
}
