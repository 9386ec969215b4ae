//! The media files of folders: each folder and each file visited once, however links loop.
//!
//! A folder is known by its canonical path, so `dir/loop/up -> ..` or `dir/sub/self ->
//! ../../dir` brings nothing twice and ends; a file reached through two links is one file.
//! Only regular files are opened (a FIFO would block the walk); what is not taken is said, with
//! the reason. Also: a folder's media files, and Tab completion of a typed path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One place a walk reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A media file (image, video or audio by its first bytes).
    Media(PathBuf),
    /// Something not taken, and why.
    LeftOut(PathBuf, String),
}

/// Folders and files already walked, by canonical path; one value for all the folders of a
/// run, so that two paths naming one folder bring its files once.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    folders: HashSet<PathBuf>,
    files: HashMap<PathBuf, PathBuf>,
}

impl Walk {
    /// A walk that has seen nothing yet.
    pub fn new() -> Self {
        Walk::default()
    }

    /// Whether `file` (a regular file) was not seen before; when it was, the path it was seen
    /// under.
    pub(crate) fn first_sight(&mut self, file: &Path) -> Result<(), PathBuf> {
        let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
        match self.files.get(&real) {
            Some(first) => Err(first.clone()),
            None => {
                self.files.insert(real, file.to_owned());
                Ok(())
            }
        }
    }

    /// What folder `dir` holds (with `recursive`, its sub-folders too), in name order; hidden
    /// entries are skipped. Blocking: it reads folders and the first bytes of files.
    pub fn folder(&mut self, dir: &Path, recursive: bool) -> Vec<Found> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_owned()];
        while let Some(dir) = pending.pop() {
            let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            if !self.folders.insert(real) {
                found.push(Found::LeftOut(
                    dir,
                    "a link to a folder already included".to_owned(),
                ));
                continue;
            }
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(&dir) {
                Ok(entries) => entries.filter_map(|e| Some(e.ok()?.path())).collect(),
                Err(e) => {
                    found.push(Found::LeftOut(dir, format!("cannot be read: {e}")));
                    continue;
                }
            };
            entries.sort();
            let mut folders = Vec::new();
            for entry in entries {
                let hidden = entry
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if hidden {
                    continue;
                }
                match std::fs::metadata(&entry) {
                    Ok(meta) if meta.is_dir() && recursive => folders.push(entry),
                    Ok(meta) if meta.is_dir() => found.push(Found::LeftOut(
                        entry,
                        "folder (--recursive includes it)".to_owned(),
                    )),
                    Ok(_) => found.push(self.file(entry)),
                    Err(e) => found.push(Found::LeftOut(entry, format!("cannot be read: {e}"))),
                }
            }
            // Sub-folders after the files, in name order.
            pending.extend(folders.into_iter().rev());
        }
        found
    }

    /// A file found in a folder: taken when it is a regular media file seen for the first time.
    fn file(&mut self, path: PathBuf) -> Found {
        if let Err(e) = crate::files::regular(&path) {
            return Found::LeftOut(path, crate::files::problem(&e));
        }
        if let Err(first) = self.first_sight(&path) {
            let first = crate::text::visible(&first.display().to_string()).into_owned();
            return Found::LeftOut(path, format!("the same file as {first}"));
        }
        if super::local::is_media_file(&path) {
            Found::Media(path)
        } else {
            Found::LeftOut(
                path,
                "not an image, video or audio (by its content)".to_owned(),
            )
        }
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
pub(crate) fn complete_path(typed: &str, base: &Path) -> Completion {
    let (dir_text, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_text.is_empty() {
        base.to_owned()
    } else {
        super::local::local_path(dir_text, base)
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

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ark-walk-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_end_and_each_file_is_taken_once() {
        use std::os::unix::fs::symlink;
        let dir = temp("loops");
        let png =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
        std::fs::create_dir_all(dir.join("loop")).unwrap();
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.png"), &png).unwrap();
        std::fs::write(dir.join("notes.txt"), b"not media").unwrap();
        symlink("..", dir.join("loop/up")).unwrap();
        symlink(
            "../../".to_owned() + dir.file_name().unwrap().to_str().unwrap(),
            dir.join("sub/self"),
        )
        .unwrap();
        symlink("a.png", dir.join("b.png")).unwrap();
        nix::unistd::mkfifo(&dir.join("pipe.png"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let found = Walk::new().folder(&dir, true);
        let media: Vec<&PathBuf> = found
            .iter()
            .filter_map(|f| match f {
                Found::Media(p) => Some(p),
                Found::LeftOut(..) => None,
            })
            .collect();
        assert_eq!(media, [&dir.join("a.png")], "{found:#?}");
        let why = |name: &str| {
            found.iter().find_map(|f| match f {
                Found::LeftOut(p, why) if p.ends_with(name) => Some(why.clone()),
                _ => None,
            })
        };
        assert!(why("b.png").unwrap().contains("the same file as"));
        assert!(why("pipe.png").unwrap().contains("FIFO"));
        assert!(why("notes.txt").unwrap().contains("not an image"));
        assert!(why("up").unwrap().contains("already included"));
        assert!(why("self").unwrap().contains("already included"));
        // Without --recursive the folders are named, not walked.
        let flat = Walk::new().folder(&dir, false);
        assert!(flat.contains(&Found::LeftOut(
            dir.join("loop"),
            "folder (--recursive includes it)".to_owned()
        )));
        std::fs::remove_dir_all(dir).unwrap();
    }

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
