//! Where ark-assets keeps its files ([`Dirs`]), and reading the config file.

use std::path::{Path, PathBuf};

use super::env::Env;
use super::error::ConfigError;
use super::file::ConfigFile;

/// The folders ark-assets uses, from the environment and the platform's conventions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dirs {
    /// The config file: `ARK_ASSETS_CONFIG`, else `<config dir>/ark-assets/config.toml`.
    pub config_file: Option<PathBuf>,
    /// Ledgers, remembered state, the demo's state: `ARK_ASSETS_DATA`, else the platform's
    /// data directory.
    pub data: Option<PathBuf>,
    /// The log: `ARK_ASSETS_DATA`, else the platform's state directory (its data directory
    /// where there is none).
    pub state: Option<PathBuf>,
}

impl Dirs {
    /// The folders `env` names, else the platform's.
    pub fn of(env: &Env) -> Dirs {
        let platform = directories::ProjectDirs::from("", "", "ark-assets");
        let own = env.get("ARK_ASSETS_DATA").map(PathBuf::from);
        let pick = |f: fn(&directories::ProjectDirs) -> PathBuf| {
            own.clone().or_else(|| platform.as_ref().map(f))
        };
        Dirs {
            config_file: env.get("ARK_ASSETS_CONFIG").map(PathBuf::from).or_else(|| {
                platform
                    .as_ref()
                    .map(|d| d.config_dir().join("config.toml"))
            }),
            data: pick(|d| d.data_dir().to_owned()),
            state: pick(|d| d.state_dir().unwrap_or_else(|| d.data_dir()).to_owned()),
        }
    }
}

/// `profile` as a file name: ASCII letters, digits, `-` and `_` kept, anything else `_`.
pub fn file_name_of(profile: &str) -> String {
    profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The largest config file read (a config with dozens of profiles is a few kilobytes).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The most of a parser message shown: it quotes the line it stopped at, which may be long.
const MAX_MESSAGE_CHARS: usize = 300;

/// Reads the config file at `path`; a missing file is an empty config.
pub fn read_file(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let bytes = match crate::files::read_bounded(path, MAX_CONFIG_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    let parse_error = |message: String| ConfigError::Parse {
        path: path.to_owned(),
        message,
    };
    let text =
        String::from_utf8(bytes).map_err(|e| parse_error(format!("it is not UTF-8 text ({e})")))?;
    toml::from_str(&text).map(Some).map_err(|e| {
        parse_error(crate::text::cut(
            &toml_problem(&text, &e),
            MAX_MESSAGE_CHARS,
        ))
    })
}

/// A TOML error in one line: `line 2, column 19: unknown variant …`, the place counted from
/// the error's span (without the caret drawing the parser's own message puts around it).
pub fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else {
        return message;
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("line {line}, column {column}: {message}")
}

/// A warning when `path` can be read by users other than its owner.
pub fn permission_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| {
            format!(
                "{} holds secrets but is readable by other users (mode {mode:o}); run: chmod 600 {}",
                path.display(),
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
