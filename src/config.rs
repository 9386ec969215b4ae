//! Profiles: a TOML file under the platform config dir, overridden by environment variables.
//!
//! ```toml
//! default_profile = "cn"
//!
//! [profiles.cn]
//! dialect = "domestic"          # or "global"
//! endpoint = "https://open.volcengineapi.com"
//! addressing = "action-query"   # or "open-path"
//! access_key = "AKLT…"
//! secret_key = "…"
//! project = "default"
//!
//! [profiles.global]
//! dialect = "global"
//! api_key = "…"
//! ```
//!
//! Environment: `VOLC_ACCESSKEY`, `VOLC_SECRETKEY`, `ARK_API_KEY`, `ARK_ENDPOINT`, `ARK_PROFILE`,
//! and `ARK_ASSETS_CONFIG` for the file's path. Secrets stay in [`SecretString`]s: Debug output
//! never shows them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::api::sign::Credentials;
use crate::api::{Addressing, Domestic, Endpoint, Global, domestic, global};
use crate::storage::{StorageConfig, StorageFile};

pub use crate::api::Dialect;

/// Who runs the service a profile talks to; it sets the endpoint, region and dialect defaults
/// (spec section 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Volcengine Ark: `https://ark.<region>.volcengineapi.com`, AK/SK, region `cn-beijing`.
    Volcengine,
    /// BytePlus ModelArk: `https://ark.<region>.byteplusapi.com`, AK/SK, region `ap-southeast-1`.
    Byteplus,
    /// The Agentsflare BytePlus proxy: Bearer API key, CreateAsset/GetAsset only.
    Agentsflare,
}

impl Provider {
    /// The dialect the provider speaks.
    pub fn dialect(self) -> Dialect {
        match self {
            Provider::Volcengine | Provider::Byteplus => Dialect::Domestic,
            Provider::Agentsflare => Dialect::Global,
        }
    }

    /// The region when the profile names none.
    pub fn default_region(self) -> &'static str {
        match self {
            Provider::Volcengine | Provider::Agentsflare => "cn-beijing",
            Provider::Byteplus => "ap-southeast-1",
        }
    }

    /// The service's endpoint in `region`.
    pub fn endpoint(self, region: &str) -> String {
        match self {
            Provider::Volcengine => format!("https://ark.{region}.volcengineapi.com"),
            Provider::Byteplus => format!("https://ark.{region}.byteplusapi.com"),
            Provider::Agentsflare => global::DEFAULT_ENDPOINT.to_owned(),
        }
    }

    /// The provider's TOS endpoint (S3-compatible) in `region`.
    pub fn storage_endpoint(self, region: &str) -> String {
        match self {
            Provider::Byteplus => format!("https://tos-s3-{region}.bytepluses.com"),
            Provider::Volcengine | Provider::Agentsflare => {
                crate::storage::config::volcengine_endpoint(region)
            }
        }
    }
}

/// The region of an `ark.<region>.…` host (the signing region must match it).
pub fn region_of_host(host: &str) -> Option<&str> {
    let rest = host.strip_prefix("ark.")?;
    let (region, domain) = rest.split_once('.')?;
    (!region.is_empty() && domain.contains('.')).then_some(region)
}

/// One profile as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// Who runs the service: sets endpoint, region and dialect defaults.
    pub provider: Option<Provider>,
    /// Dialect; from the provider, else inferred from the keys present.
    pub dialect: Option<Dialect>,
    /// Base URL.
    pub endpoint: Option<String>,
    /// Domestic addressing style.
    pub addressing: Option<Addressing>,
    /// Access key id (domestic).
    pub access_key: Option<String>,
    /// Secret access key (domestic).
    pub secret_key: Option<SecretString>,
    /// Session token of temporary (STS) keys (domestic).
    pub session_token: Option<SecretString>,
    /// API key (global).
    pub api_key: Option<SecretString>,
    /// Project name for every request (domestic).
    pub project: Option<String>,
    /// Signing region (domestic), `cn-beijing` by default.
    pub region: Option<String>,
    /// Object storage for local files.
    pub storage: Option<StorageFile>,
    /// Turn every command that changes the account off (TUI and CLI).
    #[serde(default)]
    pub read_only: bool,
}

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profile used when none is named.
    pub default_profile: Option<String>,
    /// How printed references are spelled: `"Asset://"` (default) or `"asset://"`.
    #[serde(default)]
    pub asset_scheme: crate::api::model::AssetScheme,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileFile>,
    /// The TUI's keys: command name → key or keys (`delete = "D"`, `down = ["j", "ctrl-n"]`),
    /// merged over the built-in table.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    /// Image previews in the TUI's detail pane.
    pub preview: Option<PreviewSetting>,
    /// The TUI reads the mouse (wheel, click, double-click); `false` leaves the terminal's own
    /// text selection alone.
    pub mouse: Option<bool>,
    /// The TUI's colours.
    #[serde(default)]
    pub theme: ThemeFile,
}

/// `[theme]`: a built-in base and colours over it (names, `#rrggbb` or 0–255).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    /// `dark` (default) or `light`.
    pub base: Option<ThemeBase>,
    /// Active status.
    pub active: Option<ColourValue>,
    /// Processing status.
    pub processing: Option<ColourValue>,
    /// Failed status and errors.
    pub failed: Option<ColourValue>,
    /// The focused pane's border and keys.
    pub border: Option<ColourValue>,
    /// Other borders and muted text.
    pub muted: Option<ColourValue>,
    /// Background of the selected row (default: reverse video).
    pub selected: Option<ColourValue>,
    /// Title bar and flashing rows.
    pub accent: Option<ColourValue>,
}

/// The built-in colours a `[theme]` starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeBase {
    /// For dark backgrounds.
    #[default]
    Dark,
    /// For light backgrounds: no yellow or light grey on white.
    Light,
}

/// A colour as `[theme]` writes it: a name (`"green"`, `"lightred"`), `"#rrggbb"`, or a
/// 256-colour index, as a number or a string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ColourValue {
    /// `100` (0–255).
    Index(i64),
    /// `"green"`, `"#00aa55"`, `"100"`.
    Text(String),
}

impl From<&str> for ColourValue {
    fn from(text: &str) -> Self {
        ColourValue::Text(text.to_owned())
    }
}

/// `preview = "auto" | "halfblocks" | "off"` (`ARK_ASSETS_PREVIEW` overrides it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PreviewSetting {
    /// The best the terminal supports: its graphics protocol (kitty, iTerm2, sixel) when it
    /// has one, else half blocks, which every colour terminal shows.
    #[default]
    Auto,
    /// Half blocks.
    Halfblocks,
    /// No previews.
    Off,
}

/// What the TUI reads from the config file besides the profile.
#[derive(Debug, Clone)]
pub struct TuiSettings {
    /// `[keys]`: command → keys.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Whether to preview images.
    pub preview: PreviewSetting,
    /// Whether the TUI reads the mouse.
    pub mouse: bool,
    /// `[theme]`.
    pub theme: ThemeFile,
    /// The names of the config file's profiles (the TUI switches between them).
    pub profiles: Vec<String>,
}

/// One key or several, as a `[keys]` entry gives them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    /// `"D"`.
    One(String),
    /// `["D", "x"]`.
    Many(Vec<String>),
}

impl KeyList {
    /// The keys, in order.
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(keys) => keys.clone(),
        }
    }
}

/// The TUI's settings from the config file (`path`, else the default one; none without a
/// file), `ARK_ASSETS_PREVIEW` over its `preview`.
pub fn tui_settings(path: Option<&Path>, env: &Env) -> Result<TuiSettings, ConfigError> {
    let path = path.map(Path::to_owned).or_else(|| default_path(env));
    let file = match &path {
        Some(p) => read_file(p)?,
        None => None,
    };
    let mut settings = TuiSettings {
        keys: file
            .as_ref()
            .map(|f| f.keys.iter().map(|(k, v)| (k.clone(), v.keys())).collect())
            .unwrap_or_default(),
        preview: file.as_ref().and_then(|f| f.preview).unwrap_or_default(),
        mouse: file.as_ref().and_then(|f| f.mouse).unwrap_or(true),
        profiles: file
            .as_ref()
            .map(|f| f.profiles.keys().cloned().collect())
            .unwrap_or_default(),
        theme: file.map(|f| f.theme).unwrap_or_default(),
    };
    if let Some(value) = env.get("ARK_ASSETS_PREVIEW") {
        settings.preview = match value {
            "auto" => PreviewSetting::Auto,
            "halfblocks" => PreviewSetting::Halfblocks,
            "off" => PreviewSetting::Off,
            other => {
                return Err(ConfigError::Parse {
                    path: PathBuf::from("ARK_ASSETS_PREVIEW"),
                    message: format!(
                        "\"{}\" is not a preview setting; use auto, halfblocks or off",
                        crate::text::visible(other)
                    ),
                });
            }
        };
    }
    Ok(settings)
}

/// A profile resolved into everything the client needs.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Profile name.
    pub name: String,
    /// Endpoint with credentials.
    pub endpoint: Endpoint,
    /// Object storage for local files, when configured.
    pub storage: Option<StorageConfig>,
    /// Every command that changes the account is off.
    pub read_only: bool,
}

impl Profile {
    /// The dialect of the endpoint.
    pub fn dialect(&self) -> Dialect {
        self.endpoint.dialect()
    }

    /// The project requests are scoped to (domestic only).
    pub fn project(&self) -> Option<&str> {
        match &self.endpoint {
            Endpoint::Domestic(d) => d.project.as_deref(),
            Endpoint::Global(_) => None,
        }
    }
}

/// A loaded profile and what the user should know about the config.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The resolved profile.
    pub profile: Profile,
    /// The file read, if one existed.
    pub path: Option<PathBuf>,
    /// Non-fatal problems (e.g. a config file readable by other users).
    pub warnings: Vec<String>,
    /// How printed references are spelled.
    pub asset_scheme: crate::api::model::AssetScheme,
}

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// File path.
        path: PathBuf,
        /// I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    #[error("config file {path} is invalid: {message}")]
    Parse {
        /// File path.
        path: PathBuf,
        /// Parser message (line and column included).
        message: String,
    },
    /// A profile was named that the file does not have.
    #[error("unknown profile \"{}\"; {known}", crate::text::visible(name))]
    UnknownProfile {
        /// Requested name.
        name: String,
        /// What there is instead (the file's profiles, or that there is no file).
        known: String,
    },
    /// A required setting is missing.
    #[error("profile {profile:?} has no {what}: {hint}")]
    Missing {
        /// Profile name.
        profile: String,
        /// What is missing.
        what: &'static str,
        /// How to provide it.
        hint: &'static str,
    },
    /// The endpoint is not a usable URL.
    #[error(
        "endpoint \"{}\" of profile {profile:?} is not an http(s) URL",
        crate::text::visible(value)
    )]
    BadEndpoint {
        /// Profile name.
        profile: String,
        /// Configured value, any `user:password@` removed.
        value: String,
    },
    /// A storage setting breaks a rule.
    #[error("storage {field}{} of profile {profile:?} {rule}", quoted(value))]
    Storage {
        /// Profile name.
        profile: String,
        /// The setting.
        field: &'static str,
        /// Its value (empty when missing).
        value: String,
        /// The rule.
        rule: String,
    },
    /// The endpoint carries a user name or password, which belong in the keys.
    #[error(
        "endpoint \"{}\" of profile {profile:?} carries credentials (user:password@); \
         remove them: keys belong in access_key/secret_key or api_key",
        crate::text::visible(value)
    )]
    CredentialsInEndpoint {
        /// Profile name.
        profile: String,
        /// Configured value, the credentials removed.
        value: String,
    },
}

/// Environment variables that override the file.
#[derive(Debug, Clone, Default)]
pub struct Env(HashMap<String, String>);

impl Env {
    /// The variables this module reads, from the process environment.
    pub fn from_process() -> Self {
        let names = [
            "VOLC_ACCESSKEY",
            "VOLC_SECRETKEY",
            "VOLC_SESSIONTOKEN",
            "ARK_API_KEY",
            "ARK_ENDPOINT",
            "ARK_PROFILE",
            "ARK_ASSETS_CONFIG",
        ];
        Env(names
            .iter()
            .filter_map(|n| Some((n.to_string(), std::env::var(n).ok()?)))
            .filter(|(_, v)| !v.is_empty())
            .collect())
    }

    /// An environment with exactly these variables (for tests and embedding).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Env(pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// The platform's directories for ark-assets.
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "ark-assets")
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

/// Where local files (ledger, log) live: `ARK_ASSETS_DATA` when set, else the platform directory
/// `pick` chooses.
pub fn local_dir(pick: impl FnOnce(&directories::ProjectDirs) -> &Path) -> Option<PathBuf> {
    match std::env::var_os("ARK_ASSETS_DATA") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => project_dirs().map(|d| pick(&d).to_owned()),
    }
}

/// Where the config file lives: `ARK_ASSETS_CONFIG`, else `<config dir>/ark-assets/config.toml`.
pub fn default_path(env: &Env) -> Option<PathBuf> {
    if let Some(p) = env.get("ARK_ASSETS_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
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
        let message = e.to_string().trim().replace('\n', " ");
        parse_error(crate::text::cut(&message, MAX_MESSAGE_CHARS))
    })
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

/// Loads profile `requested` (or `ARK_PROFILE`, the file's default, `default`) from the file at
/// `path` (or the default path) with environment overrides.
pub fn load(
    path: Option<&Path>,
    requested: Option<&str>,
    env: &Env,
) -> Result<Loaded, ConfigError> {
    let path = path.map(Path::to_owned).or_else(|| default_path(env));
    let file = match &path {
        Some(p) => read_file(p)?,
        None => None,
    };
    let mut warnings = Vec::new();
    if let (Some(p), Some(_)) = (&path, &file) {
        warnings.extend(permission_warning(p));
    }
    let file = file.map(|f| (f, path.clone()));
    let explicit = requested.or_else(|| env.get("ARK_PROFILE"));
    let name = explicit
        .map(str::to_owned)
        .or_else(|| file.as_ref().and_then(|(f, _)| f.default_profile.clone()))
        .unwrap_or_else(|| "default".to_owned());
    let stored = file
        .as_ref()
        .and_then(|(f, _)| f.profiles.get(&name).cloned());
    let stored = match (stored, &file) {
        (Some(p), _) => p,
        // No profile named at all: the environment alone may be enough.
        (None, None) if name == "default" => ProfileFile::default(),
        (None, Some((f, _))) if name == "default" && f.profiles.is_empty() => {
            ProfileFile::default()
        }
        (None, None) => {
            let at = path
                .as_ref()
                .map(|p| format!(" at {}", p.display()))
                .unwrap_or_default();
            return Err(ConfigError::UnknownProfile {
                name,
                known: format!(
                    "there is no config file{at}: run `ark-assets config init`, or leave out \
                     --profile / ARK_PROFILE to use environment variables alone"
                ),
            });
        }
        (None, Some((f, p))) => {
            let from = if explicit.is_some() {
                String::new()
            } else {
                let shown = p
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                format!("it is the default_profile of {shown}; ")
            };
            return Err(ConfigError::UnknownProfile {
                known: format!(
                    "{from}profiles in the config file: {}",
                    f.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
                name,
            });
        }
    };
    let profile = resolve(&name, stored, env)?;
    Ok(Loaded {
        profile,
        asset_scheme: file
            .as_ref()
            .map(|(f, _)| f.asset_scheme)
            .unwrap_or_default(),
        path: file.and_then(|(_, p)| p),
        warnings,
    })
}

/// Applies environment overrides to a stored profile and checks it is complete.
pub fn resolve(name: &str, stored: ProfileFile, env: &Env) -> Result<Profile, ConfigError> {
    let access_key = env
        .get("VOLC_ACCESSKEY")
        .map(str::to_owned)
        .or(stored.access_key);
    let secret_key = env
        .get("VOLC_SECRETKEY")
        .map(SecretString::from)
        .or(stored.secret_key);
    let session_token = env
        .get("VOLC_SESSIONTOKEN")
        .map(SecretString::from)
        .or(stored.session_token);
    let api_key = env
        .get("ARK_API_KEY")
        .map(SecretString::from)
        .or(stored.api_key);
    let provider = stored.provider;
    let dialect = stored
        .dialect
        .or(provider.map(Provider::dialect))
        .unwrap_or(if api_key.is_some() && access_key.is_none() {
            Dialect::Global
        } else {
            Dialect::Domestic
        });
    let endpoint = env
        .get("ARK_ENDPOINT")
        .map(str::to_owned)
        .or(stored.endpoint)
        .unwrap_or_else(|| match (provider, dialect) {
            (Some(p), _) => p.endpoint(
                stored
                    .region
                    .as_deref()
                    .unwrap_or_else(|| p.default_region()),
            ),
            (None, Dialect::Domestic) => domestic::DEFAULT_ENDPOINT.to_owned(),
            (None, Dialect::Global) => global::DEFAULT_ENDPOINT.to_owned(),
        });
    let base = Url::parse(&endpoint)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| ConfigError::BadEndpoint {
            profile: name.to_owned(),
            value: without_userinfo(&endpoint),
        })?;
    if !base.username().is_empty() || base.password().is_some() {
        return Err(ConfigError::CredentialsInEndpoint {
            profile: name.to_owned(),
            value: without_userinfo(&endpoint),
        });
    }
    let missing = |what, hint| ConfigError::Missing {
        profile: name.to_owned(),
        what,
        hint,
    };
    // The signing region must be the host's: named, or read off `ark.<region>.…`, or the
    // provider's.
    let region = stored
        .region
        .clone()
        .or_else(|| base.host_str().and_then(region_of_host).map(str::to_owned))
        .unwrap_or_else(|| {
            provider
                .unwrap_or(Provider::Volcengine)
                .default_region()
                .to_owned()
        });
    let endpoint = match dialect {
        Dialect::Domestic => Endpoint::Domestic(Domestic {
            base,
            credentials: Credentials {
                access_key_id: access_key.ok_or_else(|| {
                    missing(
                        "access key",
                        "set VOLC_ACCESSKEY or access_key in the profile (or run `ark-assets config init`)",
                    )
                })?,
                secret_access_key: secret_key.ok_or_else(|| {
                    missing(
                        "secret key",
                        "set VOLC_SECRETKEY or secret_key in the profile (or run `ark-assets config init`)",
                    )
                })?,
                region,
                service: "ark".to_owned(),
                session_token,
            },
            addressing: stored.addressing.unwrap_or_default(),
            project: stored.project,
        }),
        Dialect::Global => Endpoint::Global(Global {
            base,
            api_key: api_key.ok_or_else(|| {
                missing(
                    "API key",
                    "set ARK_API_KEY or api_key in the profile (or run `ark-assets config init`)",
                )
            })?,
        }),
    };
    let storage = match stored.storage {
        Some(file) => Some(resolve_storage(
            name,
            file,
            &endpoint,
            provider.unwrap_or(Provider::Volcengine),
        )?),
        None => None,
    };
    Ok(Profile {
        name: name.to_owned(),
        endpoint,
        storage,
        read_only: stored.read_only,
    })
}

/// Fills a storage table's defaults from the profile: the region's TOS endpoint, the region,
/// the AK/SK; refuses what cannot work (no bucket, no keys, a lifetime over 7 days).
fn resolve_storage(
    profile: &str,
    file: StorageFile,
    endpoint: &Endpoint,
    provider: Provider,
) -> Result<StorageConfig, ConfigError> {
    let bad = |field: &'static str, value: String, rule: String| ConfigError::Storage {
        profile: profile.to_owned(),
        field,
        value,
        rule,
    };
    let (profile_region, profile_keys) = match endpoint {
        Endpoint::Domestic(d) => (
            Some(d.credentials.region.clone()),
            Some((
                d.credentials.access_key_id.clone(),
                d.credentials.secret_access_key.clone(),
                d.credentials.session_token.clone(),
            )),
        ),
        Endpoint::Global(_) => (None, None),
    };
    let region = file.region.or(profile_region).ok_or_else(|| {
        bad(
            "region",
            String::new(),
            "is required with an API-key profile".into(),
        )
    })?;
    let bucket = file
        .bucket
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| bad("bucket", String::new(), "is required".into()))?;
    if let Some(rule) = crate::storage::config::bucket_rule(&bucket) {
        return Err(bad("bucket", bucket, rule));
    }
    let prefix = file
        .prefix
        .unwrap_or_else(|| crate::storage::config::DEFAULT_PREFIX.to_owned());
    if let Some(rule) = crate::storage::config::prefix_rule(&prefix) {
        return Err(bad("prefix", prefix, rule));
    }
    let shown_endpoint = file
        .endpoint
        .clone()
        .unwrap_or_else(|| provider.storage_endpoint(&region));
    let url = Url::parse(&shown_endpoint)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| {
            bad(
                "endpoint",
                without_userinfo(&shown_endpoint),
                "is not an http(s) URL".into(),
            )
        })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "endpoint",
            without_userinfo(&shown_endpoint),
            "carries credentials (user:password@); keys belong in access_key/secret_key".into(),
        ));
    }
    let (access_key, secret_key, session_token) =
        match (file.access_key, file.secret_key, profile_keys) {
            (Some(a), Some(s), _) => (a, s, file.session_token),
            (None, None, Some(keys)) => keys,
            _ => {
                return Err(bad(
                    "access_key",
                    String::new(),
                    "and secret_key are both required (an API-key profile has no keys to lend)"
                        .into(),
                ));
            }
        };
    let url_expiry = match file.url_expiry {
        Some(text) => crate::storage::config::parse_expiry(&text)
            .map_err(|rule| bad("url_expiry", text.clone(), rule))?,
        None => std::time::Duration::from_secs(24 * 3600),
    };
    Ok(StorageConfig {
        endpoint: url,
        bucket,
        region,
        prefix,
        path_style: file.path_style.unwrap_or(false),
        access_key,
        secret_key,
        session_token,
        url_expiry,
        cleanup: file.cleanup.unwrap_or_default(),
    })
}

/// ` "value"` (made visible), or nothing when the value is empty.
fn quoted(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(
            " \"{}\"",
            crate::text::visible(&crate::text::cut(value, 80))
        )
    }
}

/// `url` with anything between `scheme://` and an `@` of the authority removed, so a password
/// written into an endpoint is never echoed.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("config.toml");
        crate::files::write_private(&p, text.as_bytes()).unwrap();
        p
    }

    fn tempdir(tag: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("ark-assets-config-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn env_overrides_the_file_and_debug_hides_secrets() {
        let dir = tempdir("env");
        let p = write(
            &dir,
            "default_profile = \"cn\"\n[profiles.cn]\naccess_key = \"AKfile\"\nsecret_key = \"file-secret-123\"\nproject = \"p1\"\naddressing = \"open-path\"\n",
        );
        let env = Env::from_pairs([("VOLC_SECRETKEY", "env-secret-456")]);
        let loaded = load(Some(&p), None, &env).unwrap();
        assert_eq!(loaded.profile.name, "cn");
        assert_eq!(loaded.profile.project(), Some("p1"));
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let Endpoint::Domestic(d) = &loaded.profile.endpoint else {
            panic!("domestic expected")
        };
        assert_eq!(d.credentials.access_key_id, "AKfile");
        assert_eq!(d.addressing, Addressing::OpenPath);
        use secrecy::ExposeSecret;
        assert_eq!(
            d.credentials.secret_access_key.expose_secret(),
            "env-secret-456"
        );
        let shown = format!("{loaded:?}");
        assert!(!shown.contains("env-secret-456") && !shown.contains("file-secret-123"));
    }

    #[test]
    fn api_key_alone_means_global() {
        let env = Env::from_pairs([("ARK_API_KEY", "tok-789")]);
        let loaded = load(Some(Path::new("/nonexistent/x.toml")), None, &env).unwrap();
        assert_eq!(loaded.profile.dialect(), Dialect::Global);
        assert_eq!(
            loaded.profile.endpoint.base().as_str(),
            format!("{}", global::DEFAULT_ENDPOINT)
        );
        assert!(!format!("{loaded:?}").contains("tok-789"));
    }

    #[test]
    fn clear_errors_for_bad_files_and_profiles() {
        let dir = tempdir("errors");
        let p = write(&dir, "[profiles.a]\naccess_key = \"x\"\n");
        let err = load(Some(&p), Some("b"), &Env::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown profile \"b\"; profiles in the config file: a"
        );
        let err = load(Some(&p), Some("a"), &Env::default()).unwrap_err();
        assert!(err.to_string().contains("no secret key"), "{err}");
        let p = write(&dir, "[profiles.a\n");
        assert!(matches!(
            load(Some(&p), None, &Env::default()),
            Err(ConfigError::Parse { .. })
        ));
        let p = write(&dir, "[profiles.a]\nsecret = \"x\"\n");
        let err = load(Some(&p), None, &Env::default()).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        // A long bad line is quoted cut, not whole.
        let p = write(
            &dir,
            &format!("[profiles.a]\naccess_key = 1{}\n", "x".repeat(1 << 19)),
        );
        let err = load(Some(&p), None, &Env::default())
            .unwrap_err()
            .to_string();
        assert!(err.len() < 600, "{} bytes: {err}", err.len());
        // A file too large to be a config is not read.
        let p = write(&dir, &format!("# {}\n", "x".repeat(2 << 20)));
        let err = load(Some(&p), None, &Env::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("at most 1048576 are read"), "{err}");
    }

    #[test]
    fn providers_set_endpoint_region_and_dialect() {
        let dir = tempdir("providers");
        let p = write(
            &dir,
            "[profiles.v]\nprovider = \"volcengine\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.b]\nprovider = \"byteplus\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.bj]\nprovider = \"byteplus\"\nregion = \"ap-southeast-3\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.a]\nprovider = \"agentsflare\"\napi_key = \"k\"\n\
             [profiles.host]\nendpoint = \"https://ark.cn-shanghai.volcengineapi.com\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.old]\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.s]\nprovider = \"byteplus\"\naccess_key = \"a\"\nsecret_key = \"s\"\n[profiles.s.storage]\nbucket = \"refs\"\n",
        );
        let load_as = |name| load(Some(&p), Some(name), &Env::default()).unwrap().profile;
        let domestic = |name| match load_as(name).endpoint {
            Endpoint::Domestic(d) => (d.base.to_string(), d.credentials.region),
            Endpoint::Global(_) => panic!("{name}: domestic expected"),
        };
        assert_eq!(
            domestic("v"),
            (
                "https://ark.cn-beijing.volcengineapi.com/".into(),
                "cn-beijing".into()
            )
        );
        assert_eq!(
            domestic("b"),
            (
                "https://ark.ap-southeast-1.byteplusapi.com/".into(),
                "ap-southeast-1".into()
            )
        );
        assert_eq!(
            domestic("bj"),
            (
                "https://ark.ap-southeast-3.byteplusapi.com/".into(),
                "ap-southeast-3".into()
            )
        );
        assert_eq!(
            domestic("host").1,
            "cn-shanghai",
            "region read off the host"
        );
        assert_eq!(
            domestic("old"),
            (
                "https://open.volcengineapi.com/".into(),
                "cn-beijing".into()
            ),
            "profiles without a provider keep working as before"
        );
        assert_eq!(load_as("a").dialect(), Dialect::Global);
        assert_eq!(
            load_as("s").storage.unwrap().endpoint.as_str(),
            "https://tos-s3-ap-southeast-1.bytepluses.com/"
        );
        assert_eq!(
            region_of_host("ark.cn-beijing.volcengineapi.com"),
            Some("cn-beijing")
        );
        assert_eq!(region_of_host("open.volcengineapi.com"), None);
    }

    #[test]
    fn missing_profiles_and_credentials_in_endpoints_are_refused_in_one_line() {
        let dir = tempdir("missing");
        let p = write(
            &dir,
            "default_profile = \"gone\"\n[profiles.a]\naccess_key = \"x\"\n",
        );
        let err = load(Some(&p), None, &Env::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown profile \"gone\"; it is the default_profile"),
            "{err}"
        );
        assert!(err.ends_with("profiles in the config file: a"), "{err}");
        let env = Env::from_pairs([("VOLC_ACCESSKEY", "AK"), ("VOLC_SECRETKEY", "SK")]);
        let none = dir.join("absent.toml");
        let err = load(Some(&none), Some("typo"), &env)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown profile \"typo\"; there is no config file"),
            "{err}"
        );
        assert!(
            load(Some(&none), None, &env).is_ok(),
            "environment alone still works"
        );
        let env = Env::from_pairs([
            ("VOLC_ACCESSKEY", "AK"),
            ("VOLC_SECRETKEY", "SK"),
            ("ARK_ENDPOINT", "https://me:hunter2@ark.example.com/"),
        ]);
        let err = load(Some(&none), None, &env).unwrap_err().to_string();
        assert!(
            err.contains("carries credentials") && !err.contains("hunter2"),
            "{err}"
        );
        assert_eq!(without_userinfo("htp://u:pw@x/a@b"), "htp://x/a@b");
    }

    #[cfg(unix)]
    #[test]
    fn world_readable_files_are_warned_about_and_writes_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempdir("perm");
        let p = write(&dir, "[profiles.default]\napi_key = \"k\"\n");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loaded = load(Some(&p), None, &Env::default()).unwrap();
        assert!(
            loaded.warnings[0].contains("chmod 600"),
            "{:?}",
            loaded.warnings
        );
    }
}
