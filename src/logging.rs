//! Logs go to a file, never to the terminal the TUI owns: `<state dir>/ark-assets.log`
//! (or `ARK_ASSETS_DATA/ark-assets.log`); the level comes from `ARK_ASSETS_LOG`
//! (`error`, `warn`, `info` (default), `debug`, `trace`, `off`). Nothing secret is ever logged:
//! requests are logged by action, status and RequestId, never by header or body. The file is
//! rotated by size: at 10 MB it becomes `ark-assets.log.1` (and so on, three kept), so the log
//! never takes more than 40 MB.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::filter::LevelFilter;

use crate::config::{Dirs, Env};

/// The log file's path.
pub fn path(dirs: &Dirs) -> Option<PathBuf> {
    Some(dirs.state.as_ref()?.join("ark-assets.log"))
}

fn level(env: &Env) -> LevelFilter {
    match env
        .get("ARK_ASSETS_LOG")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "off" => LevelFilter::OFF,
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        _ => LevelFilter::INFO,
    }
}

/// The size at which the log is rotated.
pub(crate) const MAX_LOG_BYTES: u64 = 10 * 1024 * 1024;
/// How many rotated logs are kept besides the current one.
pub(crate) const KEPT_LOGS: usize = 3;

/// Starts logging to the file (mode 0600, appended, rotated by size). Logging is best effort:
/// when the file cannot be opened, nothing is logged and the program runs on.
pub fn init(env: &Env) {
    let Some(path) = path(&Dirs::of(env)) else {
        return;
    };
    let Ok(file) = Rotating::open(path, MAX_LOG_BYTES, KEPT_LOGS) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level(env))
        .try_init();
}

/// A file appended to until it reaches its size, then renamed `<name>.1` (the older ones
/// moved up, the oldest past `kept` dropped) and started again.
pub(crate) struct Rotating {
    path: PathBuf,
    file: std::fs::File,
    /// Bytes in the file.
    size: u64,
    max: u64,
    kept: usize,
}

impl Rotating {
    /// Opens `path` for appending (created 0600), rotated at `max` bytes with `kept` old ones.
    pub(crate) fn open(path: PathBuf, max: u64, kept: usize) -> std::io::Result<Rotating> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = append_private(&path)?;
        let size = file.metadata()?.len();
        Ok(Rotating {
            path,
            file,
            size,
            max,
            kept,
        })
    }

    /// `<name>.<n>`.
    fn old(&self, n: usize) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        let _ = std::fs::remove_file(self.old(self.kept));
        for n in (1..self.kept).rev() {
            let _ = std::fs::rename(self.old(n), self.old(n + 1));
        }
        if self.kept > 0 {
            std::fs::rename(&self.path, self.old(1))?;
        } else {
            std::fs::remove_file(&self.path)?;
        }
        self.file = append_private(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for Rotating {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.size > 0 && self.size + buf.len() as u64 > self.max {
            self.rotate()?;
        }
        let n = self.file.write(buf)?;
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn append_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_at_its_size_keeps_a_few_and_stays_private() {
        let dir = std::env::temp_dir().join(format!("ark-log-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("ark-assets.log");
        let mut log = Rotating::open(path.clone(), 1000, 2).unwrap();
        let line = [b'x'; 99];
        for i in 0..55u8 {
            log.write_all(&line).unwrap();
            log.write_all(&[b'0' + i % 10]).unwrap();
        }
        log.flush().unwrap();
        let size = |p: &Path| std::fs::metadata(p).unwrap().len();
        let old = |n| PathBuf::from(format!("{}.{n}", path.display()));
        assert_eq!(
            size(&path),
            500,
            "5,500 bytes: five whole files and this half"
        );
        assert_eq!((size(&old(1)), size(&old(2))), (1000, 1000));
        assert!(!old(3).exists(), "two kept");
        #[cfg(unix)]
        for p in [path.clone(), old(1), old(2)] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
        // Opened again, it goes on from the size it has.
        let mut again = Rotating::open(path.clone(), 1000, 2).unwrap();
        again.write_all(&[b'y'; 600]).unwrap();
        assert_eq!(size(&path), 600);
        assert_eq!(size(&old(1)), 500);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
