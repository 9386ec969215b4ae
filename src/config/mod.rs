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
mod tests {
    use super::error::without_userinfo;
    use super::*;
    use crate::api::{Addressing, Endpoint, global};

    /// A profile as a front end loads it, and the config's warnings.
    #[derive(Debug)]
    struct Loaded {
        profile: Profile,
        warnings: Vec<String>,
    }

    fn load(
        path: Option<&Path>,
        requested: Option<&str>,
        env: &Env,
    ) -> Result<Loaded, ConfigError> {
        let config = Config::load(path, env.clone())?;
        Ok(Loaded {
            profile: config.profile(requested)?,
            warnings: config.warnings,
        })
    }

    #[test]
    fn a_toml_error_names_its_line_and_column_in_one_line() {
        let dir = tempdir("toml-error");
        let p = write(&dir, "[columns]\nassets = [\"name\", \"size\"]\n");
        let err = Config::load(Some(&p), Env::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("is invalid: line 2, column 19: unknown variant `size`"),
            "{err}"
        );
        assert!(
            !err.contains('|') && !err.contains('^'),
            "no caret art: {err}"
        );
        assert!(
            !err.contains("config init"),
            "a typo is fixed, not started again: {err}"
        );
    }

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
    fn the_data_plane_comes_from_the_provider_the_file_and_the_environment() {
        use secrecy::ExposeSecret;
        let dir = tempdir("data-plane");
        let p = write(
            &dir,
            "[profiles.bp]\nprovider = \"byteplus\"\naccess_key = \"AK\"\nsecret_key = \"s\"\n\
             ark_api_key = \"file-ark-key\"\n[profiles.bp.tasks]\nratio = \"9:16\"\n\
             [profiles.own]\naccess_key = \"AK\"\nsecret_key = \"s\"\n\
             data_endpoint = \"http://127.0.0.1:9/api/v3\"\n\
             [profiles.slow]\naccess_key = \"AK\"\nsecret_key = \"s\"\n[profiles.slow.tasks]\npoll_seconds = 1\n",
        );
        let bp = load(Some(&p), Some("bp"), &Env::default()).unwrap().profile;
        let plane = bp.data_plane.as_ref().expect("a key, a data plane");
        assert_eq!(
            plane.base.as_str(),
            "https://ark.ap-southeast.bytepluses.com/api/v3"
        );
        assert_eq!(plane.key.expose_secret(), "file-ark-key");
        assert_eq!(
            bp.tasks.model.as_deref(),
            Some("dreamina-seedance-2-0-260128")
        );
        assert_eq!((bp.tasks.ratio.as_str(), bp.tasks.duration), ("9:16", 5));
        assert!(!format!("{bp:?}").contains("file-ark-key"));
        let own = load(Some(&p), Some("own"), &Env::default())
            .unwrap()
            .profile;
        assert!(own.data_plane.is_none(), "no key, no data plane");
        let env = Env::from_pairs([("ARK_API_KEY", "env-ark-key")]);
        let own = load(Some(&p), Some("own"), &env).unwrap().profile;
        let plane = own.data_plane.expect("the environment's key");
        assert_eq!(plane.base.as_str(), "http://127.0.0.1:9/api/v3");
        assert_eq!(plane.key.expose_secret(), "env-ark-key");
        let err = load(Some(&p), Some("slow"), &Env::default()).unwrap_err();
        assert!(err.to_string().contains("tasks.poll_seconds"), "{err}");
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
    fn a_tier_sets_the_create_rate_and_create_per_minute_overrides_it() {
        let dir = tempdir("tiers");
        let keys = "access_key = \"a\"\nsecret_key = \"s\"\n";
        let p = write(
            &dir,
            &format!(
                "[profiles.free]\nprovider = \"byteplus\"\ntier = \"entry\"\n{keys}\
                 [profiles.fast]\nprovider = \"byteplus\"\ntier = \"entry\"\ncreate_per_minute = 10\n{keys}\
                 [profiles.plain]\n{keys}\
                 [profiles.volc]\nprovider = \"volcengine\"\ntier = \"premium\"\n{keys}\
                 [profiles.zero]\ncreate_per_minute = 0\n{keys}"
            ),
        );
        let rates = |name| {
            load(Some(&p), Some(name), &Env::default())
                .map(|c| c.profile.rates)
                .map_err(|e| e.to_string())
        };
        let free = rates("free").unwrap();
        assert_eq!(free.create_per_minute(), Some(3));
        assert_eq!(free.quota().map(|q| (q.assets, q.groups)), Some((50, 50)));
        assert_eq!(free.source(), "the entry tier");
        let fast = rates("fast").unwrap();
        assert_eq!(fast.create_per_minute(), Some(10));
        assert_eq!(fast.source(), "the profile's create_per_minute");
        assert_eq!(rates("plain").unwrap().create_per_minute(), None);
        assert_eq!(
            rates("volc").unwrap_err(),
            "tier = premium of profile \"volc\" is for BytePlus accounts (provider = \"byteplus\"); \
             use create_per_minute elsewhere"
        );
        assert!(rates("zero").unwrap_err().contains("create_per_minute = 0"));
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
