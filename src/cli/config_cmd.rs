//! `config init|show|profiles`.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::{Cli, ConfigCmd, EXIT_CONFIG, EXIT_INVALID, Failure, output};
use crate::api::Endpoint;
use crate::config::{self, Dialect, Env};

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

fn secret(prompt: &str, env_name: &str, interactive: bool) -> Result<SecretString, Failure> {
    if let Ok(v) = std::env::var(env_name)
        && !v.is_empty()
    {
        return Ok(SecretString::from(v));
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
fn session_token(interactive: bool) -> Result<Option<SecretString>, Failure> {
    if let Ok(v) = std::env::var("VOLC_SESSIONTOKEN")
        && !v.trim().is_empty()
    {
        return Ok(Some(SecretString::from(v.trim().to_owned())));
    }
    if !interactive {
        return Ok(None);
    }
    let value = rpassword::prompt_password(
        "Session token, for temporary (STS) keys only (hidden; empty: none): ",
    )?;
    Ok(Some(value.trim().to_owned())
        .filter(|v| !v.is_empty())
        .map(SecretString::from))
}

/// Masks a secret: its length and last two characters only.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    let tail: String = if n >= 12 {
        secret.chars().skip(n - 2).collect()
    } else {
        String::new()
    };
    format!("****{tail} ({n} characters)")
}

fn init(cli: &Cli, args: &InitArgs) -> Result<u8, Failure> {
    let env = Env::from_process();
    let path = cli
        .config
        .clone()
        .or_else(|| config::default_path(&env))
        .ok_or_else(|| Failure::new(EXIT_CONFIG, "no config directory; pass --config FILE"))?;
    let interactive = std::io::stdin().is_terminal();
    let name = match &cli.profile {
        Some(p) => p.clone(),
        None if interactive => ask("Profile name", Some("default"))?,
        None => "default".to_owned(),
    };
    crate::validate::name(&name, true)?;
    let provider = match (args.provider, args.dialect) {
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
    };
    let dialect = match (provider, args.dialect) {
        (Some(ProviderArg::Agentsflare), _) | (None, Some(DialectArg::Global)) => Dialect::Global,
        _ => Dialect::Domestic,
    };
    let mut profile = toml::Table::new();
    match provider {
        Some(p) => profile.insert("provider".into(), p.name().into()),
        None => profile.insert("dialect".into(), dialect.name().into()),
    };
    if let Some(e) = &args.endpoint {
        profile.insert("endpoint".into(), e.clone().into());
    }
    match dialect {
        Dialect::Domestic => {
            let ak = match &args.access_key {
                Some(ak) => ak.clone(),
                None if interactive => ask("Access key id (AK)", None)?,
                None => std::env::var("VOLC_ACCESSKEY").map_err(|_| {
                    Failure::new(EXIT_INVALID, "give --access-key or set VOLC_ACCESSKEY")
                })?,
            };
            profile.insert("access_key".into(), ak.into());
            let sk = secret("Secret access key (SK)", "VOLC_SECRETKEY", interactive)?;
            profile.insert("secret_key".into(), sk.expose_secret().into());
            if let Some(token) = session_token(interactive)? {
                profile.insert("session_token".into(), token.expose_secret().into());
            }
            if let Some(p) = &args.project_name {
                profile.insert("project".into(), p.clone().into());
            }
        }
        Dialect::Global => {
            let key = secret("API key", "ARK_API_KEY", interactive)?;
            profile.insert("api_key".into(), key.expose_secret().into());
        }
    }
    // Object storage for local files: TOS of the provider's region with the profile's keys.
    let bucket = match &args.bucket {
        Some(b) => Some(b.clone()),
        None if interactive && dialect == Dialect::Domestic => Some(ask(
            "Object storage bucket for local files (TOS, the profile's keys; empty: none)",
            Some(""),
        )?),
        None => None,
    };
    if let Some(bucket) = bucket.filter(|b| !b.trim().is_empty()) {
        let mut storage = toml::Table::new();
        storage.insert("bucket".into(), bucket.trim().into());
        profile.insert("storage".into(), toml::Value::Table(storage));
    }
    let mut file: toml::Table = match std::fs::read_to_string(&path) {
        Ok(text) => text.parse().map_err(|e| {
            Failure::new(EXIT_CONFIG, format!("{} is invalid: {e}", path.display()))
        })?,
        Err(_) => toml::Table::new(),
    };
    let profiles = file
        .entry("profiles")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let Some(profiles) = profiles.as_table_mut() else {
        return Err(Failure::new(
            EXIT_CONFIG,
            "`profiles` in the config file is not a table",
        ));
    };
    profiles.insert(name.clone(), toml::Value::Table(profile));
    if args.default || !file.contains_key("default_profile") {
        file.insert("default_profile".into(), name.clone().into());
    }
    let text = toml::to_string_pretty(&file).expect("TOML serialises");
    crate::files::write_private(&path, text.as_bytes())?;
    // Prove the profile resolves before saying it was written.
    config::load(Some(&path), Some(&name), &Env::default())?;
    output::say(format_args!(
        "wrote profile {name:?} to {} (mode 0600)",
        crate::text::visible(&path.display().to_string())
    ));
    Ok(0)
}

fn show(cli: &Cli) -> Result<u8, Failure> {
    let env = Env::from_process();
    let loaded = config::load(cli.config.as_deref(), cli.profile.as_deref(), &env)?;
    for w in &loaded.warnings {
        output::say(format_args!("warning: {}", crate::text::visible(w)));
    }
    let p = &loaded.profile;
    let mut pairs = vec![
        ("profile", p.name.clone()),
        (
            "file",
            loaded
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(none)".into()),
        ),
        ("dialect", p.endpoint.dialect().to_string()),
        ("endpoint", p.endpoint.base().to_string()),
    ];
    match &p.endpoint {
        Endpoint::Domestic(d) => {
            pairs.push(("addressing", format!("{:?}", d.addressing)));
            pairs.push((
                "project",
                d.project.clone().unwrap_or_else(|| "default".into()),
            ));
            pairs.push(("region", d.credentials.region.clone()));
            pairs.push(("access_key", d.credentials.access_key_id.clone()));
            pairs.push((
                "secret_key",
                mask(d.credentials.secret_access_key.expose_secret()),
            ));
            if let Some(token) = &d.credentials.session_token {
                pairs.push(("session_token", mask(token.expose_secret())));
            }
        }
        Endpoint::Global(g) => pairs.push(("api_key", mask(g.api_key.expose_secret()))),
    }
    if let Some(s) = &p.storage {
        pairs.push(("storage", s.endpoint.to_string()));
        pairs.push(("bucket", s.bucket.clone()));
        pairs.push(("storage_region", s.region.clone()));
        pairs.push(("storage_key", s.access_key.clone()));
        pairs.push(("storage_secret", mask(s.secret_key.expose_secret())));
        pairs.push(("url_expiry", format!("{} s", s.url_expiry.as_secs())));
    }
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

fn profiles(cli: &Cli) -> Result<u8, Failure> {
    let env = Env::from_process();
    let path = cli.config.clone().or_else(|| config::default_path(&env));
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

pub(super) fn run(cli: &Cli, cmd: &ConfigCmd) -> Result<u8, Failure> {
    match cmd {
        ConfigCmd::Init(args) => init(cli, args),
        ConfigCmd::Show => show(cli),
        ConfigCmd::Profiles => profiles(cli),
    }
}
