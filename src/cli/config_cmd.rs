//! `config init|show|profiles`.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Cli, ConfigCmd, EXIT_CONFIG, EXIT_INVALID, Failure, output};
use crate::api::Endpoint;
use crate::api::limits::Tier;
use crate::config::{self, Config, Dialect, Env};

/// Options of `config init`; what is missing is asked for on a terminal.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Who runs the service: sets endpoint, region and dialect.
    #[arg(long, value_enum, conflicts_with = "dialect")]
    provider: Option<ProviderArg>,
    /// Dialect of the new profile (instead of a provider).
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// Object storage bucket for local files (TOS of the provider's region, the profile's keys).
    #[arg(long)]
    bucket: Option<String>,
    /// Base URL (default: the dialect's public endpoint).
    #[arg(long)]
    endpoint: Option<String>,
    /// Access key id (domestic). The secret key is asked for hidden, or read from VOLC_SECRETKEY.
    #[arg(long)]
    access_key: Option<String>,
    /// Project requests are scoped to (domestic).
    #[arg(long)]
    project_name: Option<String>,
    /// The BytePlus account's tier (its CreateAsset rate and quota): entry (the free tier),
    /// advanced or premium. Asked for on a terminal when the provider is BytePlus.
    #[arg(long, value_parser = crate::api::limits::Tier::parse)]
    tier: Option<Tier>,
    /// Make it the default profile.
    #[arg(long)]
    default: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DialectArg {
    Domestic,
    Global,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ProviderArg {
    Volcengine,
    Byteplus,
    Agentsflare,
}

impl ProviderArg {
    fn name(self) -> &'static str {
        match self {
            ProviderArg::Volcengine => "volcengine",
            ProviderArg::Byteplus => "byteplus",
            ProviderArg::Agentsflare => "agentsflare",
        }
    }
}

/// Asks for a line on the terminal (`default` when it is left empty).
fn ask(prompt: &str, default: Option<&str>) -> Result<String, Failure> {
    let shown = default.map(|d| format!(" [{d}]")).unwrap_or_default();
    eprint!("{prompt}{shown}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim().to_owned();
    Ok(if line.is_empty() {
        default.unwrap_or_default().to_owned()
    } else {
        line
    })
}

/// A secret: from `env_name`, else asked for hidden on a terminal; required.
fn secret(
    prompt: &str,
    env_name: &str,
    interactive: bool,
    env: &Env,
) -> Result<SecretString, Failure> {
    if let Some(v) = env.get(env_name) {
        return Ok(SecretString::from(v.to_owned()));
    }
    if !interactive {
        return Err(Failure::new(
            EXIT_INVALID,
            format!("not on a terminal: set {env_name} to pass the secret"),
        ));
    }
    let value = rpassword::prompt_password(format!("{prompt} (hidden): "))?;
    if value.trim().is_empty() {
        return Err(Failure::new(EXIT_INVALID, format!("{prompt} is required")));
    }
    Ok(SecretString::from(value.trim().to_owned()))
}

/// The session token of temporary (STS) keys, when there is one: from `VOLC_SESSIONTOKEN`, or
/// asked for (hidden; empty for long-lived keys).
fn session_token(interactive: bool, env: &Env) -> Result<Option<SecretString>, Failure> {
    optional_secret(
        env.get("VOLC_SESSIONTOKEN"),
        interactive,
        "Session token, for temporary (STS) keys only (hidden; empty: none): ",
    )
}

/// The Seedance data plane's ark API key, when there is one (the `tasks` need it): from
/// `ARK_API_KEY` for a domestic profile (where that variable means only this key), else asked
/// for hidden on a terminal (empty: none).
fn ark_api_key(
    dialect: Dialect,
    interactive: bool,
    env: &Env,
) -> Result<Option<SecretString>, Failure> {
    let from_env = env
        .get("ARK_API_KEY")
        .filter(|_| dialect == Dialect::Domestic);
    optional_secret(
        from_env,
        interactive,
        "Seedance ark API key, for `tasks` (the data plane's; hidden; empty: none): ",
    )
}

/// A secret that may be left out: `from_env` when set, else asked for hidden with `prompt` on
/// a terminal (empty: none), else none.
fn optional_secret(
    from_env: Option<&str>,
    interactive: bool,
    prompt: &str,
) -> Result<Option<SecretString>, Failure> {
    if let Some(v) = from_env {
        return Ok(Some(SecretString::from(v.trim().to_owned())));
    }
    if !interactive {
        return Ok(None);
    }
    let value = rpassword::prompt_password(prompt)?;
    Ok(Some(value.trim().to_owned())
        .filter(|v| !v.is_empty())
        .map(SecretString::from))
}

/// Masks a secret: its length and last two characters only.
pub(crate) fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    let tail: String = if n >= 12 {
        secret.chars().skip(n - 2).collect()
    } else {
        String::new()
    };
    format!("****{tail} ({n} characters)")
}

/// The provider of the new profile: given, asked for, or Volcengine (none: a bare dialect).
fn provider_of(args: &InitArgs, interactive: bool) -> Result<Option<ProviderArg>, Failure> {
    Ok(match (args.provider, args.dialect) {
        (Some(p), _) => Some(p),
        (None, Some(_)) => None,
        (None, None) if interactive => {
            let answer = ask(
                "Provider (volcengine/byteplus/agentsflare)",
                Some("volcengine"),
            )?;
            Some(
                <ProviderArg as clap::ValueEnum>::from_str(&answer, true).map_err(|_| {
                    Failure::new(EXIT_INVALID, format!("unknown provider {answer:?}"))
                })?,
            )
        }
        (None, None) => Some(ProviderArg::Volcengine),
    })
}

/// The BytePlus tier of the new profile: given, or asked for on a terminal (entry when left
/// empty); none for other providers, where a tier given is refused before anything is
/// written.
fn tier_of(
    args: &InitArgs,
    provider: Option<ProviderArg>,
    interactive: bool,
) -> Result<Option<Tier>, Failure> {
    if provider != Some(ProviderArg::Byteplus) {
        return match args.tier {
            Some(t) => Err(Failure::new(
                EXIT_INVALID,
                format!(
                    "--tier {} is for BytePlus accounts (--provider byteplus); nothing was written",
                    t.name()
                ),
            )),
            None => Ok(None),
        };
    }
    match args.tier {
        Some(t) => Ok(Some(t)),
        None if interactive => {
            let answer = ask(
                "Account tier (entry: the free 3 creates a minute and 50 assets; advanced; premium)",
                Some("entry"),
            )?;
            Tier::parse(&answer)
                .map(Some)
                .map_err(|why| Failure::new(EXIT_INVALID, why))
        }
        None => Ok(None),
    }
}

/// Puts the keys of `dialect` into `profile`: given, from the environment, or asked for.
fn put_keys(
    profile: &mut toml::Table,
    dialect: Dialect,
    args: &InitArgs,
    interactive: bool,
    env: &Env,
) -> Result<(), Failure> {
    let mut put = |key: &str, value: &str| profile.insert(key.into(), value.into());
    match dialect {
        Dialect::Domestic => {
            let ak = match (&args.access_key, env.get("VOLC_ACCESSKEY")) {
                (Some(ak), _) => ak.clone(),
                (None, _) if interactive => ask("Access key id (AK)", None)?,
                (None, Some(ak)) => ak.to_owned(),
                (None, None) => {
                    return Err(Failure::new(
                        EXIT_INVALID,
                        "give --access-key or set VOLC_ACCESSKEY",
                    ));
                }
            };
            put("access_key", &ak);
            let sk = secret("Secret access key (SK)", "VOLC_SECRETKEY", interactive, env)?;
            put("secret_key", sk.expose_secret());
            if let Some(token) = session_token(interactive, env)? {
                put("session_token", token.expose_secret());
            }
            if let Some(p) = &args.project_name {
                put("project", p);
            }
        }
        Dialect::Global => {
            let key = secret("API key", "ARK_API_KEY", interactive, env)?;
            put("api_key", key.expose_secret());
        }
    }
    Ok(())
}

/// The `[storage]` table of the new profile: the bucket given or asked for (TOS of the
/// provider's region with the profile's keys), when there is one.
fn storage_table(
    args: &InitArgs,
    dialect: Dialect,
    interactive: bool,
) -> Result<Option<toml::Table>, Failure> {
    let bucket = match &args.bucket {
        Some(b) => Some(b.clone()),
        None if interactive && dialect == Dialect::Domestic => Some(ask(
            "Object storage bucket for local files (TOS, the profile's keys; empty: none)",
            Some(""),
        )?),
        None => None,
    };
    Ok(bucket.filter(|b| !b.trim().is_empty()).map(|bucket| {
        let mut storage = toml::Table::new();
        storage.insert("bucket".into(), bucket.trim().into());
        storage
    }))
}

/// Writes `profile` as `[profiles.<name>]` into the config file at `path` (mode 0600), keeping
/// what else it holds; it becomes the default profile when `default` or when there is none.
fn write_profile(
    path: &std::path::Path,
    name: &str,
    profile: toml::Table,
    default: bool,
) -> Result<(), Failure> {
    let invalid = |why: String| Failure::new(EXIT_CONFIG, format!("{} {why}", path.display()));
    let mut file: toml::Table = match crate::files::read_bounded(path, config::MAX_CONFIG_BYTES) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| invalid("is not UTF-8 text".into()))?;
            text.parse().map_err(|e| {
                let problem = config::toml_problem(&text, &e);
                invalid(format!(
                    "is invalid: {problem}; fix it, then run this again"
                ))
            })?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
        Err(e) => return Err(invalid(crate::files::problem(&e))),
    };
    let profiles = file
        .entry("profiles")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let Some(profiles) = profiles.as_table_mut() else {
        return Err(invalid("has a `profiles` that is not a table".into()));
    };
    profiles.insert(name.to_owned(), toml::Value::Table(profile));
    if default || !file.contains_key("default_profile") {
        file.insert("default_profile".into(), name.into());
    }
    let text = toml::to_string_pretty(&file).expect("TOML serialises");
    crate::files::write_private(path, text.as_bytes())?;
    Ok(())
}

fn init(cli: &Cli, args: &InitArgs, env: &Env) -> Result<u8, Failure> {
    let path = super::config_path(cli, env)
        .ok_or_else(|| Failure::new(EXIT_CONFIG, "no config directory; pass --config FILE"))?;
    let interactive = std::io::stdin().is_terminal();
    let name = match &cli.profile {
        Some(p) => p.clone(),
        None if interactive => ask("Profile name", Some("default"))?,
        None => "default".to_owned(),
    };
    crate::validate::name(&name, true)?;
    let provider = provider_of(args, interactive)?;
    let tier = tier_of(args, provider, interactive)?;
    let dialect = match (provider, args.dialect) {
        (Some(ProviderArg::Agentsflare), _) | (None, Some(DialectArg::Global)) => Dialect::Global,
        _ => Dialect::Domestic,
    };
    let mut profile = toml::Table::new();
    match provider {
        Some(p) => profile.insert("provider".into(), p.name().into()),
        None => profile.insert("dialect".into(), dialect.name().into()),
    };
    if let Some(t) = tier {
        profile.insert("tier".into(), t.name().into());
    }
    if let Some(e) = &args.endpoint {
        profile.insert("endpoint".into(), e.clone().into());
    }
    put_keys(&mut profile, dialect, args, interactive, env)?;
    if let Some(key) = ark_api_key(dialect, interactive, env)? {
        profile.insert("ark_api_key".into(), key.expose_secret().into());
    }
    if let Some(storage) = storage_table(args, dialect, interactive)? {
        profile.insert("storage".into(), toml::Value::Table(storage));
    }
    write_profile(&path, &name, profile, args.default)?;
    // Prove the profile resolves (from the file alone) before saying it was written.
    Config::load(Some(&path), Env::default())?.profile(Some(&name))?;
    output::say(format_args!(
        "wrote profile {name:?} to {} (mode 0600)",
        crate::text::visible(&path.display().to_string())
    ));
    Ok(0)
}

/// The settings of a profile, secrets masked, as `config show` prints them.
fn shown_settings(config: &Config, p: &config::Profile) -> Vec<(&'static str, String)> {
    let file = config
        .path()
        .map_or_else(|| "(none)".into(), |p| p.display().to_string());
    let mut pairs = vec![
        ("profile", p.name.clone()),
        ("file", file),
        ("dialect", p.endpoint.dialect().to_string()),
        ("endpoint", p.endpoint.base().to_string()),
    ];
    match &p.endpoint {
        Endpoint::Domestic(d) => {
            let c = &d.credentials;
            pairs.push(("addressing", format!("{:?}", d.addressing)));
            let project = d.project.clone().unwrap_or_else(|| "default".into());
            pairs.push(("project", project));
            pairs.push(("region", c.region.clone()));
            pairs.push(("access_key", c.access_key_id.clone()));
            pairs.push(("secret_key", mask(c.secret_access_key.expose_secret())));
            if let Some(token) = &c.session_token {
                pairs.push(("session_token", mask(token.expose_secret())));
            }
        }
        Endpoint::Global(g) => pairs.push(("api_key", mask(g.api_key.expose_secret()))),
    }
    if let Some(plane) = &p.data_plane {
        pairs.push(("data_endpoint", plane.base.to_string()));
        pairs.push(("ark_api_key", mask(plane.key.expose_secret())));
    }
    if let Some(s) = &p.storage {
        pairs.push(("storage", s.endpoint.to_string()));
        pairs.push(("bucket", s.bucket.clone()));
        pairs.push(("storage_region", s.region.clone()));
        pairs.push(("storage_key", s.access_key.clone()));
        pairs.push(("storage_secret", mask(s.secret_key.expose_secret())));
        pairs.push(("url_expiry", format!("{} s", s.url_expiry.as_secs())));
    }
    pairs
}

fn show(cli: &Cli, env: &Env) -> Result<u8, Failure> {
    let config = Config::load(cli.config.as_deref(), env.clone())?;
    for w in &config.warnings {
        output::say(format_args!("warning: {}", crate::text::visible(w)));
    }
    let profile = config.profile(cli.profile.as_deref())?;
    let pairs = shown_settings(&config, &profile);
    if cli.json {
        let map: serde_json::Map<String, serde_json::Value> = pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into()))
            .collect();
        output::json(&map);
    } else {
        output::fields(&pairs);
    }
    Ok(0)
}

fn profiles(cli: &Cli, env: &Env) -> Result<u8, Failure> {
    let path = super::config_path(cli, env);
    let file = match &path {
        Some(p) => config::read_file(p)?.unwrap_or_default(),
        None => Default::default(),
    };
    let default = file
        .default_profile
        .clone()
        .unwrap_or_else(|| "default".into());
    let names: Vec<String> = file.profiles.keys().cloned().collect();
    if cli.json {
        output::json(&json!({"file": path, "default": default, "profiles": names}));
    } else {
        for n in names {
            let mark = if n == default { "*" } else { " " };
            super::output::line(format_args!("{mark} {n}"));
        }
    }
    Ok(0)
}

pub(super) fn run(cli: &Cli, cmd: &ConfigCmd, env: &Env) -> Result<u8, Failure> {
    match cmd {
        ConfigCmd::Init(args) => init(cli, args, env),
        ConfigCmd::Show => show(cli, env),
        ConfigCmd::Profiles => profiles(cli, env),
    }
}
