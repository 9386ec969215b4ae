//! Logs go to a file, never to the terminal the TUI owns: `<state dir>/ark-assets.log`
//! (or `ARK_ASSETS_DATA/ark-assets.log`); the level comes from `ARK_ASSETS_LOG`
//! (`error`, `warn`, `info` (default), `debug`, `trace`, `off`). Nothing secret is ever logged:
//! requests are logged by action, status and RequestId, never by header or body.

use std::path::PathBuf;
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

/// Starts logging to the file (mode 0600, appended). Logging is best effort: when the file
/// cannot be opened, nothing is logged and the program runs on.
pub fn init(env: &Env) {
    let Some(path) = path(&Dirs::of(env)) else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(&path) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level(env))
        .try_init();
}
