//! Local files as assets: a file checked against the rules of its type (its bytes decide the
//! type), hashed, optionally fitted, and named; and how listings' sources are read (a URL, or a
//! path relative to the listing).

use std::path::{Path, PathBuf};

use crate::media::fit::{FitMode, fit_image};
use crate::media::{self, Media, Policy};
use crate::storage;
use crate::validate::{self, Invalid};

/// A local file that passed the rules, with its content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its content: sha256, MD5 and size.
    pub content: storage::Content,
    /// What its bytes say.
    pub media: Media,
    /// Model rules it breaks, and a name that lies about its content (one line each).
    pub warnings: Vec<String>,
}

impl LocalFile {
    /// Probes `path`, checks it against the rules of its type under `policy`, and hashes it.
    pub(crate) async fn inspect(path: &Path, policy: &Policy) -> Result<LocalFile, Vec<Invalid>> {
        let checked = media::check_file(path, policy).await?;
        let content = storage::hash_file(path)
            .await
            .map_err(|e| vec![media::file_problem(path, &e)])?;
        Ok(LocalFile {
            path: path.to_owned(),
            content,
            media: checked.media,
            warnings: checked.warnings,
        })
    }

    /// Like [`LocalFile::inspect`]; with `fit`, an image that breaks the size, ratio or byte
    /// rules is fitted into a copy (under the temporary folder, same stem) which is checked and
    /// used instead. What changed is added to the warnings (`fitted: …`).
    pub(crate) async fn inspect_fitting(
        path: &Path,
        policy: &Policy,
        fit: Option<FitMode>,
    ) -> Result<LocalFile, Vec<Invalid>> {
        let problems = match (LocalFile::inspect(path, policy).await, fit) {
            (Err(problems), Some(mode)) if is_fixable(&problems) => (problems, mode),
            (result, _) => return result,
        };
        let (problems, mode) = problems;
        let Media::Image(info) = media::probe_file(path).await.map_err(|e| vec![e])?.media else {
            return Err(problems);
        };
        let dir = std::env::temp_dir()
            .join("ark-assets-fit")
            .join(&crate::api::sign::sha256_hex(path.to_string_lossy().as_bytes())[..16]);
        let source = path.to_owned();
        let fitted = tokio::task::spawn_blocking(move || fit_image(&source, &info, mode, &dir))
            .await
            .map_err(|e| vec![Invalid::file(path, format!("could not be fitted: {e}"))])?
            .map_err(|e| vec![e])?;
        let mut file = LocalFile::inspect(&fitted.path, policy).await?;
        file.warnings
            .extend(fitted.changes.iter().map(|c| format!("fitted: {c}")));
        Ok(file)
    }
}

/// Whether every problem is one of an image's size, ratio or bytes (what `--fit` fixes).
pub(crate) fn is_fixable(problems: &[Invalid]) -> bool {
    problems
        .iter()
        .all(|p| p.field == validate::Field::Image && !p.is_format_problem())
}

/// Whether `text` starts like a URL (`scheme://`): it is then checked as one (only http(s)
/// passes), not taken for a path.
pub(crate) fn has_scheme(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A path from a listing: `~` is the home directory; relative paths start at `base`.
pub(crate) fn local_path(text: &str, base: &Path) -> PathBuf {
    let expanded = match text.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new()
            .map(|d| d.home_dir().join(rest))
            .unwrap_or_else(|| PathBuf::from(text)),
        None => PathBuf::from(text),
    };
    if expanded.is_absolute() {
        expanded
    } else {
        base.join(expanded)
    }
}

/// Whether a file's first bytes are an image, a video or audio (of any format: the rules
/// judge it later); an error when they cannot be read. Blocking.
pub(crate) fn is_media_file(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    crate::files::open(path)?
        .take(1024)
        .read_to_end(&mut head)?;
    Ok(media::sniff(&head).is_some())
}
