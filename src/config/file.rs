//! The config file as written: TOML with every default declared on its field, and unknown
//! keys refused (a typo is an error, not a setting silently ignored).

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::Deserialize;

use super::provider::Provider;
use crate::api::{Addressing, Dialect};
use crate::storage::StorageFile;

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
    /// The account's BytePlus tier (`entry`, `advanced`, `premium`): its CreateAsset rate and
    /// quota (spec section 13).
    pub tier: Option<crate::api::limits::Tier>,
    /// CreateAsset requests a minute, over the tier's or the domestic 30 a second.
    pub create_per_minute: Option<u32>,
    /// The ark API key of the Seedance data plane (Bearer; `ARK_API_KEY` overrides it).
    pub ark_api_key: Option<SecretString>,
    /// The data plane's base URL (`…/api/v3`), over the provider's.
    pub data_endpoint: Option<String>,
    /// Defaults of `tasks create`.
    #[serde(default)]
    pub tasks: TasksFile,
}

/// `[profiles.NAME.tasks]`: what `tasks create` sends when its options do not say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TasksFile {
    /// The model (the provider's Seedance 2.0 when unset).
    pub model: Option<String>,
    /// `16:9` (default), `9:16`, `1:1`, `adaptive`, …
    pub ratio: String,
    /// `720p` (default), `480p`, …
    pub resolution: String,
    /// Seconds of video (5 by default).
    pub duration: i64,
    /// Whether the video has sound (`true`).
    pub generate_audio: bool,
    /// Seconds between two polls of a task being waited for (10, the gateways' advice; at
    /// least 2).
    pub poll_seconds: u64,
}

impl Default for TasksFile {
    fn default() -> Self {
        TasksFile {
            model: None,
            ratio: "16:9".to_owned(),
            resolution: "720p".to_owned(),
            duration: 5,
            generate_audio: true,
            poll_seconds: 10,
        }
    }
}

/// The whole config file. Every field has its default declared here: a missing key means it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConfigFile {
    /// Profile used when none is named.
    pub default_profile: Option<String>,
    /// How printed references are spelled: `"Asset://"` (default) or `"asset://"`.
    pub asset_scheme: crate::api::model::AssetScheme,
    /// Profiles by name.
    pub profiles: BTreeMap<String, ProfileFile>,
    /// The TUI's keys: command name → key or keys (`delete = "D"`, `down = ["j", "ctrl-n"]`),
    /// merged over the built-in table.
    pub keys: BTreeMap<String, KeyList>,
    /// Image previews in the TUI's detail pane (`auto`).
    pub preview: PreviewSetting,
    /// The TUI reads the mouse (wheel, click, double-click); `false` leaves the terminal's own
    /// text selection alone (`true`).
    pub mouse: bool,
    /// The TUI's colours.
    pub theme: ThemeFile,
    /// The TUI's columns.
    pub columns: ColumnsFile,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            default_profile: None,
            asset_scheme: Default::default(),
            profiles: BTreeMap::new(),
            keys: BTreeMap::new(),
            preview: PreviewSetting::Auto,
            mouse: true,
            theme: ThemeFile::default(),
            columns: ColumnsFile::default(),
        }
    }
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

/// `[columns]`: which columns the assets pane shows, in order. Those that do not fit the
/// terminal go, the last first; the name stays and takes the room left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ColumnsFile {
    /// `assets = ["status", "type", "name", "updated", "created", "id"]` (the default).
    pub assets: Columns,
}

/// Columns of a pane, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Columns(pub Vec<Column>);

impl Default for Columns {
    fn default() -> Self {
        use Column::*;
        Columns(vec![Status, Type, Name, Updated, Created, Id])
    }
}

/// A column of the assets pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    /// The asset's name (always shown).
    Name,
    /// Active, Processing, Failed, by symbol and word.
    Status,
    /// image, video, audio.
    Type,
    /// When it was made: local time, or an age where the pane is narrow.
    Created,
    /// When it last changed: local time, or an age where the pane is narrow.
    Updated,
    /// Its id.
    Id,
    /// The name of its group.
    Group,
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

/// The value of an enum a file or variable names (`"halfblocks"`, `"page_down"`), by the
/// names its serde derive gives it.
pub fn by_name<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, serde::de::value::Error> {
    T::deserialize(serde::de::IntoDeserializer::into_deserializer(name))
}

/// The name a file or variable gives `value` (its serde name), when it has one.
pub fn name_of<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::String(name) => Some(name),
        _ => None,
    }
}
