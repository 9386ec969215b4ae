//! Local files as this tool opens them: regular files only, and reads of a known bound.
//!
//! A FIFO blocks its reader until something writes to it, a device may never end, and a
//! directory cannot be read as a file: opening any of them where a file is expected would hang
//! the command (or the TUI's worker, and with it its exit). Every path from outside (a
//! `--file`, a folder's entries, a dialog's path, the remembered state, the config file) is
//! opened through [`open`] or [`read_bounded`], which refuse them with what they are. Files
//! holding secrets or state are written through [`write_private`].

use std::fs::{File, FileType, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// What a file type is, in words (`a FIFO`, `a folder`).
pub fn kind(file_type: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// [`regular`]'s refusal: what the path is instead of a regular file.
#[derive(Debug, thiserror::Error)]
#[error("is {0}, not a regular file")]
struct NotRegular(&'static str);

/// The metadata of `path` (links followed) when it is a regular file; else an error saying
/// what it is.
pub(crate) fn regular(path: &Path) -> io::Result<Metadata> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        Ok(meta)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            NotRegular(kind(meta.file_type())),
        ))
    }
}

/// Whether `e` is [`regular`]'s refusal of something that is not a regular file (it was read,
/// and is a FIFO, a folder…), rather than an error reading it.
pub(crate) fn is_not_regular(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<NotRegular>())
}

/// What went wrong with a file, as the rest of a sentence that starts with its path:
/// `is a FIFO (named pipe), not a regular file`, or `cannot be read: <why>`.
pub(crate) fn problem(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => e.to_string(),
        _ => format!("cannot be read: {e}"),
    }
}

/// Opens `path` for reading when it is a regular file.
pub fn open(path: &Path) -> io::Result<File> {
    regular(path)?;
    File::open(path)
}

/// The whole of the regular file `path`, when it holds at most `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let size = regular(path)?.len();
    if size > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("is {size} bytes; at most {max} are read"),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A file that grew since is cut at the bound, never read on without end.
    File::open(path)?.take(max).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes `contents` to `path` readable by the owner only (0600), atomically (temp file + rename).
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // A name of this write alone: two writers of one file (threads too) never share it.
    let tmp = path.with_extension(format!(
        "tmp{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
}

/// Creates folder `path` (and its parents) readable by the owner only (0700) when missing.
pub(crate) fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn fifos_and_folders_are_refused_without_being_opened() {
        let dir = std::env::temp_dir().join(format!("ark-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe");
        let _ = std::fs::remove_file(&fifo);
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        // Opening it would block this test forever: the refusal proves it was not opened.
        let err = open(&fifo).unwrap_err().to_string();
        assert!(err.contains("FIFO"), "{err}");
        assert!(read_bounded(&fifo, 10).is_err());
        assert!(open(&dir).unwrap_err().to_string().contains("a folder"));
        let file = dir.join("f.txt");
        std::fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_bounded(&file, 10).unwrap(), b"0123456789");
        let err = read_bounded(&file, 9).unwrap_err().to_string();
        assert!(err.contains("10 bytes; at most 9"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
