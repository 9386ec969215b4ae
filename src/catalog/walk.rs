//! The media files of folders: each folder and each file visited once, however links loop.
//!
//! A folder is known by its canonical path, so `dir/loop/up -> ..` or `dir/sub/self ->
//! ../../dir` brings nothing twice and ends; a file reached through two links is one file.
//! A link that leads out of the folder given (`dir/up -> ..`, a link to `~`) is not followed,
//! whether to a folder or a file, unless asked ([`Reach::follow_links`]): a folder's files are
//! what it holds. Only regular files are opened (a FIFO would block the walk); what is not
//! taken is said, with the reason, and what could not be read (a folder, a file, a link's
//! target) is told apart from it, with the error. Also: Tab completion of a typed path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One place a walk reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A media file (image, video or audio by its first bytes).
    Media(PathBuf),
    /// Something read and not taken, and why.
    LeftOut(PathBuf, String),
    /// Something that could not be read, and the error (`cannot be read: Permission denied
    /// (os error 13)`): what it holds is unknown.
    Unreadable(PathBuf, String),
}

/// How far a walk goes from a folder it is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Reach {
    /// Into sub-folders.
    pub recursive: bool,
    /// Through links to folders and files outside the folder given.
    pub follow_links: bool,
}

/// Folders and files already walked, by canonical path (with the path each was first reached
/// by); one value for all the folders of a run, so that two paths naming one folder bring its
/// files once.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    reach: Reach,
    folders: HashMap<PathBuf, PathBuf>,
    files: HashMap<PathBuf, PathBuf>,
}

/// What one entry of a folder is to the walk.
enum Entry {
    /// A sub-folder to walk.
    Folder(PathBuf),
    /// Anything else, judged.
    Found(Found),
}

impl Walk {
    /// A walk that has seen nothing yet, going as far as `reach`.
    pub(crate) fn new(reach: Reach) -> Self {
        Walk {
            reach,
            ..Walk::default()
        }
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

    /// What folder `dir` holds (its sub-folders too when the reach is recursive), in name
    /// order; hidden entries are skipped. Blocking: it reads folders and the first bytes of
    /// files.
    pub(crate) fn folder(&mut self, dir: &Path) -> Vec<Found> {
        let mut found = Vec::new();
        let root = match std::fs::canonicalize(dir) {
            Ok(root) => root,
            Err(e) => {
                found.push(unreadable(dir.to_owned(), &e));
                return found;
            }
        };
        let mut pending = vec![dir.to_owned()];
        while let Some(folder) = pending.pop() {
            let mut folders = Vec::new();
            for entry in self.entries(folder, &mut found) {
                match self.entry(entry, (&root, dir)) {
                    Entry::Folder(path) => folders.push(path),
                    Entry::Found(f) => found.push(f),
                }
            }
            // Sub-folders after the files, in name order.
            pending.extend(folders.into_iter().rev());
        }
        found
    }

    /// The entries of `folder` that are not hidden, in name order, when it was not walked
    /// before; a folder walked before, or one that cannot be read (wholly or in part), goes
    /// into `found`.
    fn entries(&mut self, folder: PathBuf, found: &mut Vec<Found>) -> Vec<PathBuf> {
        let real = match std::fs::canonicalize(&folder) {
            Ok(real) => real,
            Err(e) => {
                found.push(unreadable(folder, &e));
                return Vec::new();
            }
        };
        if let Some(first) = self.folders.get(&real) {
            let first = crate::text::visible(&first.display().to_string()).into_owned();
            found.push(Found::LeftOut(
                folder,
                format!("a folder already included as {first}"),
            ));
            return Vec::new();
        }
        self.folders.insert(real, folder.clone());
        let listing = match std::fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(e) => {
                found.push(unreadable(folder, &e));
                return Vec::new();
            }
        };
        let mut entries = Vec::new();
        let mut broken = None;
        for entry in listing {
            match entry {
                Ok(entry) if !entry.file_name().to_string_lossy().starts_with('.') => {
                    entries.push(entry.path());
                }
                Ok(_) => {}
                Err(e) => broken = Some(e),
            }
        }
        if let Some(e) = broken {
            found.push(unreadable(folder, &e));
        }
        entries.sort();
        entries
    }

    /// What `entry` of a folder is: a sub-folder to walk, or a file judged. `root` is the
    /// folder given, canonical and as given, which a link may not leave unless the reach
    /// follows links.
    fn entry(&mut self, entry: PathBuf, (root, given): (&Path, &Path)) -> Entry {
        let is_link = match std::fs::symlink_metadata(&entry) {
            Ok(meta) => meta.file_type().is_symlink(),
            Err(e) => return Entry::Found(unreadable(entry, &e)),
        };
        // Links followed: a link whose target is missing or cannot be reached is unreadable.
        let meta = match std::fs::metadata(&entry) {
            Ok(meta) => meta,
            Err(e) => return Entry::Found(unreadable(entry, &e)),
        };
        if is_link && !self.reach.follow_links {
            match std::fs::canonicalize(&entry) {
                Err(e) => return Entry::Found(unreadable(entry, &e)),
                Ok(real) if !real.starts_with(root) => {
                    let what = if meta.is_dir() { "folder" } else { "file" };
                    let given = crate::text::visible(&given.display().to_string()).into_owned();
                    let why =
                        format!("a link to a {what} outside {given} (--follow-links follows it)");
                    return Entry::Found(Found::LeftOut(entry, why));
                }
                Ok(_) => {}
            }
        }
        match (meta.is_dir(), self.reach.recursive) {
            (true, true) => Entry::Folder(entry),
            (true, false) => Entry::Found(Found::LeftOut(
                entry,
                "folder (--recursive includes it)".to_owned(),
            )),
            (false, _) => Entry::Found(self.file(entry)),
        }
    }

    /// A file found in a folder: taken when it is a regular media file seen for the first time.
    fn file(&mut self, path: PathBuf) -> Found {
        if let Err(e) = crate::files::regular(&path) {
            return if crate::files::is_not_regular(&e) {
                Found::LeftOut(path, crate::files::problem(&e))
            } else {
                unreadable(path, &e)
            };
        }
        if let Err(first) = self.first_sight(&path) {
            let first = crate::text::visible(&first.display().to_string()).into_owned();
            return Found::LeftOut(path, format!("the same file as {first}"));
        }
        match super::local::is_media_file(&path) {
            Ok(true) => Found::Media(path),
            // Named as media but not media now: cut short (a copy still being written), not a
            // file to leave out in silence.
            Ok(false) if crate::media::names_media(&path) => Found::Unreadable(
                path,
                "its name says media but its content is not an image, video or audio (a file \
                 still being written?)"
                    .to_owned(),
            ),
            Ok(false) => Found::LeftOut(
                path,
                "not an image, video or audio (by its content)".to_owned(),
            ),
            Err(e) => unreadable(path, &e),
        }
    }
}

/// `path` could not be read: `cannot be read: <the error>`.
fn unreadable(path: PathBuf, e: &std::io::Error) -> Found {
    Found::Unreadable(path, format!("cannot be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECURSIVE: Reach = Reach {
        recursive: true,
        follow_links: false,
    };

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
        let found = Walk::new(RECURSIVE).folder(&dir);
        let media: Vec<&PathBuf> = found
            .iter()
            .filter_map(|f| match f {
                Found::Media(p) => Some(p),
                _ => None,
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
        let flat = Walk::new(Reach::default()).folder(&dir);
        assert!(flat.contains(&Found::LeftOut(
            dir.join("loop"),
            "folder (--recursive includes it)".to_owned()
        )));
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// The reason given for the entry of `found` whose path ends in `name`, and whether it
    /// was unreadable (else left out).
    fn reason(found: &[Found], name: &str) -> Option<(bool, String)> {
        found.iter().find_map(|f| match f {
            Found::LeftOut(p, why) if p.ends_with(name) => Some((false, why.clone())),
            Found::Unreadable(p, why) if p.ends_with(name) => Some((true, why.clone())),
            _ => None,
        })
    }

    fn media(found: &[Found]) -> Vec<PathBuf> {
        let mut media: Vec<PathBuf> = found
            .iter()
            .filter_map(|f| match f {
                Found::Media(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        media.sort();
        media
    }

    fn png() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn what_cannot_be_read_is_unreadable_with_the_error_never_left_out() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = temp("unreadable");
        std::fs::write(dir.join("a.png"), png()).unwrap();
        // Root reads through permissions, so these fail for anyone: a link to nothing and a
        // link to itself, whose metadata cannot be read.
        symlink("gone.png", dir.join("dangling.png")).unwrap();
        symlink("self.png", dir.join("self.png")).unwrap();
        let found = Walk::new(RECURSIVE).folder(&dir);
        let (unread, why) = reason(&found, "dangling.png").unwrap();
        assert!(unread && why.contains("No such file"), "{why}");
        let (unread, why) = reason(&found, "self.png").unwrap();
        assert!(unread && why.starts_with("cannot be read: "), "{why}");
        // A file that opens and then fails to read (EIO at offset 0), followed by a link.
        #[cfg(target_os = "linux")]
        {
            symlink("/proc/self/mem", dir.join("mem.png")).unwrap();
            let reach = Reach {
                follow_links: true,
                ..RECURSIVE
            };
            let found = Walk::new(reach).folder(&dir);
            let (unread, why) = reason(&found, "mem.png").unwrap();
            assert!(unread && why.contains("os error"), "{why}");
            std::fs::remove_file(dir.join("mem.png")).unwrap();
        }
        assert_eq!(media(&found), [dir.join("a.png")]);
        std::fs::write(dir.join("locked.png"), png()).unwrap();
        std::fs::create_dir(dir.join("shut")).unwrap();
        std::fs::write(dir.join("shut/in.png"), png()).unwrap();
        let mode = |name: &str, mode: u32| {
            std::fs::set_permissions(dir.join(name), PermissionsExt::from_mode(mode)).unwrap()
        };
        mode("locked.png", 0o000);
        mode("shut", 0o000);
        if std::fs::read(dir.join("locked.png")).is_ok() {
            eprintln!("skipped the mode 0000 cases: this user (root) reads through permissions");
        } else {
            let found = Walk::new(RECURSIVE).folder(&dir);
            for locked in ["locked.png", "shut"] {
                let (unread, why) = reason(&found, locked).unwrap();
                assert!(
                    unread && why.contains("Permission denied"),
                    "{locked}: {why}"
                );
            }
            assert_eq!(media(&found), [dir.join("a.png")]);
        }
        mode("shut", 0o755);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_followed_only_when_asked() {
        use std::os::unix::fs::symlink;
        let home = temp("reach");
        let dir = home.join("refs");
        let other = home.join("other");
        for folder in [&dir, &other, &dir.join("sub")] {
            std::fs::create_dir_all(folder).unwrap();
        }
        std::fs::write(home.join("private.png"), png()).unwrap();
        std::fs::write(other.join("o.png"), png()).unwrap();
        std::fs::write(dir.join("sub/s.png"), png()).unwrap();
        symlink("..", dir.join("up")).unwrap();
        symlink(&other, dir.join("ext")).unwrap();
        symlink(other.join("o.png"), dir.join("linked.png")).unwrap();
        symlink("sub", dir.join("alias")).unwrap();
        let found = Walk::new(RECURSIVE).folder(&dir);
        assert_eq!(
            media(&found),
            [dir.join("alias/s.png")],
            "inside, once: {found:#?}"
        );
        let outside = |name: &str, what: &str| {
            let (unread, why) = reason(&found, name).unwrap();
            let want = format!(
                "a link to a {what} outside {} (--follow-links follows it)",
                dir.display()
            );
            assert!(!unread && why == want, "{name}: {why}");
        };
        outside("up", "folder");
        outside("ext", "folder");
        outside("linked.png", "file");
        let (_, why) = reason(&found, "sub").unwrap();
        assert!(why.contains("already included as"), "{why}");

        let reach = Reach {
            follow_links: true,
            ..RECURSIVE
        };
        let found = Walk::new(reach).folder(&dir);
        assert_eq!(
            media(&found),
            [
                dir.join("alias/s.png"),
                dir.join("linked.png"),
                dir.join("up/private.png"),
            ],
            "each file once, however it is reached: {found:#?}"
        );
        std::fs::remove_dir_all(home).unwrap();
    }
}
