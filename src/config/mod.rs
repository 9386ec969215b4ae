//! Configuration: a TOML file of profiles and TUI settings, read once, with the environment
//! over it. [`Config::load`] reads and parses the file; [`Config::profile`] completes one
//! profile ([`profile::complete`]: environment, provider defaults, checks) and
//! [`Config::tui`] the TUI's settings, so each front end asks for what it needs of one read.
//!
//! ```toml
//! default_profile = "cn"
//!
//! [profiles.cn]
//! provider = "volcengine"       # or byteplus, agentsflare; sets endpoint, region, dialect
//! access_key = "AKLT…"
//! secret_key = "…"
//! project = "default"
//! ```
//!
//! Every environment variable the program reads is in [`env::VARIABLES`] and read through
//! [`Env`]. Secrets stay in [`secrecy::SecretString`]s: Debug output never shows them.

pub mod env;
mod error;
pub mod file;
mod paths;
pub mod profile;
mod provider;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::api::Dialect;
pub use env::Env;
pub use error::ConfigError;
pub use file::{
    ColourValue, Column, Columns, ColumnsFile, ConfigFile, KeyList, PreviewSetting, ProfileFile,
    TasksFile, ThemeBase, ThemeFile, by_name, name_of,
};
pub use paths::{
    Dirs, MAX_CONFIG_BYTES, file_name_of, permission_warning, read_file, toml_problem,
};
pub use profile::{DataPlane, Profile, Provider, Rates, region_of_host};

/// The config file, read once, with the environment it is completed with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file's contents (empty when there is no file).
    file: ConfigFile,
    /// The file, when one was read.
    path: Option<PathBuf>,
    /// Where it was looked for (the file may not exist).
    looked_at: Option<PathBuf>,
    /// The environment over it.
    env: Env,
    /// Non-fatal problems (e.g. a config file readable by other users).
    pub warnings: Vec<String>,
}

/// What the TUI reads from the config file besides the profile.
#[derive(Debug, Clone)]
pub struct TuiSettings {
    /// `[keys]`: command → keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Whether to preview images (`ARK_ASSETS_PREVIEW` over the file's `preview`).
    pub preview: PreviewSetting,
    /// Whether the TUI reads the mouse.
    pub mouse: bool,
    /// `[theme]`.
    pub theme: ThemeFile,
    /// `[columns]`'s assets pane: checked, the name among them, none twice.
    pub columns: Columns,
    /// The names of the config file's profiles (the TUI switches between them).
    pub profiles: Vec<String>,
}

impl Config {
    /// Reads the config file at `path` (else where `env` or the platform says it is); a missing
    /// file is an empty config.
    pub fn load(path: Option<&Path>, env: Env) -> Result<Config, ConfigError> {
        let looked_at = path
            .map(Path::to_owned)
            .or_else(|| Dirs::of(&env).config_file);
        let file = match &looked_at {
            Some(p) => read_file(p)?,
            None => None,
        };
        let path = file.as_ref().and(looked_at.clone());
        let warnings = path
            .as_deref()
            .and_then(permission_warning)
            .into_iter()
            .collect();
        Ok(Config {
            file: file.unwrap_or_default(),
            path,
            looked_at,
            env,
            warnings,
        })
    }

    /// The file read, when one existed.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The environment the config is completed with.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// How printed references are spelled.
    pub fn asset_scheme(&self) -> crate::api::model::AssetScheme {
        self.file.asset_scheme
    }

    /// `[columns]`'s assets pane, checked: the name among them, none twice.
    fn columns(&self) -> Result<Columns, ConfigError> {
        let columns = &self.file.columns.assets.0;
        let broken = |message: String| ConfigError::Parse {
            path: self.path.clone().unwrap_or_else(|| PathBuf::from("config")),
            message,
        };
        let name = |c: &Column| format!("\"{}\"", name_of(c).unwrap_or_default());
        if !columns.contains(&Column::Name) {
            let listed: Vec<String> = columns.iter().map(name).collect();
            return Err(broken(format!(
                "columns.assets = [{}] lacks \"name\": the name is always shown",
                listed.join(", ")
            )));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = columns.iter().find(|c| !seen.insert(**c)) {
            return Err(broken(format!(
                "columns.assets names {} twice: each column once",
                name(twice)
            )));
        }
        Ok(self.file.columns.assets.clone())
    }

    /// The names of the file's profiles.
    pub(crate) fn profile_names(&self) -> Vec<String> {
        self.file.profiles.keys().cloned().collect()
    }

    /// Profile `requested` (else `ARK_PROFILE`, the file's default, `default`), completed with
    /// the environment.
    pub fn profile(&self, requested: Option<&str>) -> Result<Profile, ConfigError> {
        let explicit = requested.or_else(|| self.env.get("ARK_PROFILE"));
        let name = explicit
            .map(str::to_owned)
            .or_else(|| self.file.default_profile.clone())
            .unwrap_or_else(|| "default".to_owned());
        let stored = match self.file.profiles.get(&name) {
            Some(p) => p.clone(),
            // No profile named at all: the environment alone may be enough.
            None if name == "default" && self.file.profiles.is_empty() => ProfileFile::default(),
            None => return Err(self.unknown(name, explicit.is_some())),
        };
        profile::complete(&name, stored, &self.env)
    }

    /// Why profile `name` is not there: the file's profiles, or that there is no file.
    fn unknown(&self, name: String, explicit: bool) -> ConfigError {
        let known = match (&self.path, &self.looked_at) {
            (None, looked_at) => {
                let at = looked_at
                    .as_ref()
                    .map(|p| format!(" at {}", p.display()))
                    .unwrap_or_default();
                format!(
                    "there is no config file{at}: run `ark-assets config init`, or leave out \
                     --profile / ARK_PROFILE to use environment variables alone"
                )
            }
            (Some(path), _) => {
                let from = if explicit {
                    String::new()
                } else {
                    format!("it is the default_profile of {}; ", path.display())
                };
                format!(
                    "{from}profiles in the config file: {}",
                    self.profile_names().join(", ")
                )
            }
        };
        ConfigError::UnknownProfile { name, known }
    }

    /// The TUI's settings.
    pub fn tui(&self) -> Result<TuiSettings, ConfigError> {
        let preview = match self.env.get("ARK_ASSETS_PREVIEW") {
            None => self.file.preview,
            Some(value) => by_name::<PreviewSetting>(value).map_err(|_| ConfigError::Parse {
                path: PathBuf::from("ARK_ASSETS_PREVIEW"),
                message: format!(
                    "\"{}\" is not a preview setting; use auto, halfblocks or off",
                    crate::text::visible(value)
                ),
            })?,
        };
        Ok(TuiSettings {
            keys: self
                .file
                .keys
                .iter()
                .map(|(k, v)| (k.clone(), v.keys()))
                .collect(),
            preview,
            mouse: self.file.mouse,
            theme: self.file.theme.clone(),
            columns: self.columns()?,
            profiles: self.profile_names(),
        })
    }
}

#[cfg(test)]
mod tests;
