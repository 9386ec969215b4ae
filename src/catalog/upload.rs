//! Local files → assets: check and hash the file, upload it once per content to the user's
//! object storage, create the asset from a presigned GET through create-once, and delete the
//! object once the asset is done (`cleanup = "after-active"`).
//!
//! The ledger key of a file is `file:<group>:<sha256>`, so the same content imported into the
//! same group again creates nothing: the existing asset is returned. Every step is journalled
//! or idempotent: an object already in the bucket with the file's size is not sent again, and
//! the create goes through [`super::create::create_once`], so a run killed at any moment and
//! started again uploads and creates only what is missing.

use std::path::{Path, PathBuf};

use super::{Catalog, CreateError, Intent, Made, MadeBy};
use crate::api::AssetsApi;
use crate::api::model::CreateAsset;
use crate::ledger::{self, EntryState};
use crate::media::fit::{FitMode, fit_image};
use crate::media::{self, Media, Policy};
use crate::storage::{self, Cleanup, Progress};
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
    pub async fn inspect(path: &Path, policy: &Policy) -> Result<LocalFile, Vec<Invalid>> {
        let checked = media::check_file(path, policy).await?;
        let content = storage::hash_file(path)
            .await
            .map_err(|e| vec![Invalid::file(path, crate::files::problem(&e))])?;
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
    pub async fn inspect_fitting(
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

    /// The asset name a file gets when none is given: its stem.
    pub fn default_name(&self) -> String {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "asset".to_owned());
        stem.chars().take(validate::MAX_NAME_CHARS).collect()
    }
}

/// Whether every problem is one of an image's size, ratio or bytes (what `--fit` fixes).
fn is_fixable(problems: &[Invalid]) -> bool {
    problems
        .iter()
        .all(|p| p.field == "Image" && !p.is_format_problem())
}

/// Whether `text` starts like a URL (`scheme://`): it is then checked as one (only http(s)
/// passes), not taken for a path.
pub fn has_scheme(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A path from a listing: `~` is the home directory; relative paths start at `base`.
pub fn local_path(text: &str, base: &Path) -> PathBuf {
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

/// What became of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOutcome {
    /// The asset, and who made it (another run or an earlier one: the group had this content).
    pub made: Made,
    /// Whether the object was uploaded now (false: it was in the bucket already).
    pub uploaded: bool,
}

/// Files cleaned up, and files whose assets are still Processing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Objects deleted.
    pub deleted: usize,
    /// Objects kept because an asset made from them is still Processing.
    pub waiting: usize,
}

impl Catalog {
    /// Uploads `file` (unless its content is there already) and creates an asset of it in
    /// `group`, at most once per content and group unless `allow_duplicates`.
    pub async fn create_from_file(
        &self,
        file: &LocalFile,
        group: &str,
        name: &str,
        allow_duplicates: bool,
        sent: Progress,
    ) -> Result<FileOutcome, CreateError> {
        let storage = self.storage().ok_or(CreateError::NoStorage)?;
        let sha256 = &file.content.sha256;
        let key = if allow_duplicates {
            ledger::one_off_key(&format!("file:{group}:{sha256}"))
        } else {
            format!("file:{group}:{sha256}")
        };
        if let Some(made) = self.existing_content(&key).await? {
            return Ok(FileOutcome {
                made,
                uploaded: false,
            });
        }
        let object = storage.object_key(sha256, file.media.extension());
        let uploaded = storage
            .upload(&object, &file.path, &file.content, sent)
            .await?;
        let url = storage.presigned_get(&object);
        let req = CreateAsset::of(
            file.media.kind(),
            group,
            url.to_string(),
            Some(name.to_owned()),
        );
        let intent = Intent::new(&key, group).from_file(&object, sha256);
        let made = self.create_once(&intent, &req).await?;
        Ok(FileOutcome { made, uploaded })
    }

    /// The asset the ledger says `key`'s content already is, unless that asset failed or is
    /// gone: then its record says so, and the content is created again.
    async fn existing_content(&self, key: &str) -> Result<Option<Made>, CreateError> {
        let Some(entry) = self.ledger().get(key)? else {
            return Ok(None);
        };
        let Some(id) = entry
            .id
            .clone()
            .filter(|_| entry.state == EntryState::Created)
        else {
            return Ok(None);
        };
        let gone = match self.client().get_asset(&id).await {
            Ok(asset) if asset.status == crate::api::model::Status::Failed => "is Failed",
            Ok(_) => {
                let by = MadeBy::EarlierRun;
                return Ok(Some(Made { id, by }));
            }
            Err(e) if e.is_not_found() => "was deleted",
            Err(e) => return Err(e.into()),
        };
        self.ledger().record(&ledger::Entry {
            state: EntryState::Failed,
            error: Some(format!("{id} {gone}: created again")),
            ..entry
        })?;
        Ok(None)
    }

    /// Deletes the uploaded objects whose assets have all left Processing (with
    /// `cleanup = "after-active"`), including those of earlier runs.
    pub async fn clean_uploads(&self) -> Result<Cleaned, CreateError> {
        let Some(storage) = self.storage() else {
            return Ok(Cleaned::default());
        };
        if storage.cleanup == Cleanup::Keep {
            return Ok(Cleaned::default());
        }
        let mut by_object: std::collections::BTreeMap<String, Vec<ledger::Entry>> =
            Default::default();
        for e in self.ledger().uncleaned()? {
            if let Some(object) = e.object.clone() {
                by_object.entry(object).or_default().push(e);
            }
        }
        let mut cleaned = Cleaned::default();
        for (object, entries) in by_object {
            let mut done = true;
            for e in &entries {
                let Some(id) = &e.id else { continue };
                match self.client().get_asset(id).await {
                    Ok(a) if a.status == crate::api::model::Status::Processing => done = false,
                    Ok(_) => {}
                    Err(err) if err.is_not_found() => {}
                    Err(err) => return Err(err.into()),
                }
            }
            if !done {
                cleaned.waiting += 1;
                continue;
            }
            storage.delete(&object).await?;
            for e in entries {
                self.ledger()
                    .record(&ledger::Entry { cleaned: true, ..e })?;
            }
            cleaned.deleted += 1;
        }
        Ok(cleaned)
    }
}

/// Whether a file's first bytes are an image, a video or audio (of any format: the rules
/// judge it later). Blocking.
pub fn is_media_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    crate::files::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .is_ok()
        && media::sniff(&head).is_some()
}

/// The media files of `dir` (not of its sub-folders, not hidden ones), sorted. Blocking.
pub fn media_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::read_dir(dir)?;
    Ok(super::walk::Walk::new()
        .folder(dir, false)
        .into_iter()
        .filter_map(|found| match found {
            super::walk::Found::Media(path) => Some(path),
            super::walk::Found::LeftOut(..) => None,
        })
        .collect())
}

/// What a folder import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderImport {
    /// Assets created.
    pub created: usize,
    /// Files whose content the group already had.
    pub existing: usize,
    /// `file: reason` of each file refused or failed.
    pub failed: Vec<String>,
}

impl Catalog {
    /// Checks, uploads and creates each of `files` in `group` (a few at a time; the client's
    /// limits pace them), telling `progress` the files finished and failed so far.
    pub async fn import_files(
        &self,
        files: Vec<PathBuf>,
        group: &str,
        progress: impl Fn(usize, usize),
    ) -> FolderImport {
        use futures::StreamExt;
        let mut outcome = FolderImport::default();
        let mut done = 0;
        let mut results = futures::stream::iter(files)
            .map(|path| async move {
                let shown = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                let file = LocalFile::inspect(&path, &Policy::default())
                    .await
                    .map_err(|problems| {
                        let problems: Vec<String> =
                            problems.iter().map(ToString::to_string).collect();
                        format!("{shown}: {}", problems.join("; "))
                    })?;
                let name = file.default_name();
                self.create_from_file(&file, group, &name, false, std::sync::Arc::new(|_| {}))
                    .await
                    .map_err(|e| format!("{shown}: {e}"))
            })
            .buffer_unordered(4);
        while let Some(result) = results.next().await {
            done += 1;
            match result {
                Ok(o) if o.made.by != MadeBy::ThisRun => outcome.existing += 1,
                Ok(_) => outcome.created += 1,
                Err(e) => outcome.failed.push(e),
            }
            progress(done, outcome.failed.len());
        }
        outcome
    }
}

/// What Tab made of a typed path: the longest unambiguous completion and the choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The text, completed as far as the choices agree (a single directory gets its `/`).
    pub value: String,
    /// The names in its folder that start with what was typed (folders end in `/`), sorted.
    pub choices: Vec<String>,
}

/// Entries of one folder looked at, at most.
const MAX_COMPLETION_ENTRIES: usize = 10_000;

/// Completes the last part of `typed`, a path (`~` is home; relative to `base`), from the
/// folder it names. Blocking: reads the folder.
pub fn complete_path(typed: &str, base: &Path) -> Completion {
    let (dir_text, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_text.is_empty() {
        base.to_owned()
    } else {
        local_path(dir_text, base)
    };
    let mut choices: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .take(MAX_COMPLETION_ENTRIES)
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let shown =
                name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'));
            if !shown {
                return None;
            }
            let is_dir = entry.path().is_dir();
            Some(if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    choices.sort();
    let common = choices
        .split_first()
        .map_or_else(String::new, |(first, rest)| {
            let mut common = first.as_str();
            for other in rest {
                let same = common
                    .char_indices()
                    .zip(other.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(common.len().min(other.len()), |((i, _), _)| i);
                common = &common[..same];
            }
            common.to_owned()
        });
    let value = if common.len() > prefix.len() {
        format!("{dir_text}{common}")
    } else {
        typed.to_owned()
    };
    Completion { value, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_complete_as_far_as_the_choices_agree() {
        let dir = std::env::temp_dir().join(format!("ark-complete-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("clips")).unwrap();
        for name in ["hero-01.png", "hero-02.png", ".hidden.png", "villain.jpg"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let c = complete_path("he", &dir);
        assert_eq!(c.value, "hero-0");
        assert_eq!(c.choices, ["hero-01.png", "hero-02.png"]);
        assert_eq!(complete_path("v", &dir).value, "villain.jpg");
        assert_eq!(complete_path("cl", &dir).value, "clips/");
        assert_eq!(complete_path("./vi", &dir).value, "./villain.jpg");
        assert_eq!(complete_path(".h", &dir).value, ".hidden.png");
        let none = complete_path("zzz", &dir);
        assert_eq!((none.value.as_str(), none.choices.len()), ("zzz", 0));
        let all = complete_path("", &dir);
        assert_eq!(
            all.choices.len(),
            4,
            "hidden files only when asked: {:?}",
            all.choices
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
