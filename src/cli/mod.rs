//! The command line: every operation as a subcommand, human tables or `--json` on stdout,
//! errors on stderr, and documented exit codes.

mod assets;
mod config_cmd;
mod groups;
mod import;
pub mod output;
mod verify;
mod wait;

pub mod args;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub use args::*;

use crate::api::{Addressing, ApiError, Client, ClientOptions, Dialect};
use crate::catalog::Catalog;
use crate::config::{self, Env};
use crate::emulator::s3::{S3Options, S3Server};
use crate::emulator::{self, Emulator, Faults};
use crate::ledger::{self, Ledger};
use crate::storage::Storage;
use crate::validate::CheckTimeouts;

/// Exit code: an operation failed (API error, a Failed asset, rows that could not be created).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: `wait` timed out (clap also uses 2 for usage errors).
pub const EXIT_TIMEOUT: u8 = 2;
/// Exit code: input broke a rule and nothing was sent.
pub const EXIT_INVALID: u8 = 3;
/// Exit code: the configuration is missing or invalid.
pub const EXIT_CONFIG: u8 = 4;

/// A failure with its exit code; the message goes to stderr.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// What went wrong.
    pub message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        let message = match e.advice() {
            Some(next) => format!("{e}\n  next step: {next}"),
            None => e.to_string(),
        };
        Failure::new(EXIT_FAILED, message)
    }
}

impl From<crate::catalog::ListError> for Failure {
    fn from(e: crate::catalog::ListError) -> Self {
        match e {
            crate::catalog::ListError::Api(e) => e.into(),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

impl From<crate::catalog::CreateError> for Failure {
    fn from(e: crate::catalog::CreateError) -> Self {
        use crate::catalog::CreateError;
        match e {
            CreateError::Api(e) => e.into(),
            CreateError::NoStorage => Failure::new(EXIT_CONFIG, e.to_string()),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

impl From<crate::storage::StorageError> for Failure {
    fn from(e: crate::storage::StorageError) -> Self {
        Failure::new(EXIT_FAILED, e.to_string())
    }
}

impl From<config::ConfigError> for Failure {
    fn from(e: config::ConfigError) -> Self {
        Failure::new(EXIT_CONFIG, e.to_string())
    }
}

impl From<crate::validate::Invalid> for Failure {
    fn from(e: crate::validate::Invalid) -> Self {
        Failure::new(EXIT_INVALID, e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::new(EXIT_FAILED, e.to_string())
    }
}

/// What the commands share: the catalog (client and ledger), the output mode and the bounds.
pub struct Ctx {
    /// The service, the ledger and create-once.
    pub catalog: Catalog,
    /// JSON output.
    pub json: bool,
    /// The profile's name.
    pub profile: String,
    /// Bounds of image URL checks.
    pub check: CheckTimeouts,
    /// Commands that change the account are off.
    pub read_only: bool,
    /// The demo emulator and its object storage, kept alive while the command runs.
    demo: Option<(Emulator, S3Server)>,
}

impl Ctx {
    /// Builds the context for `cli`: the demo emulator, or the configured profile.
    async fn new(cli: &Cli) -> Result<Ctx, Failure> {
        let (opened, demo) = if cli.demo {
            let config = emulator::Config {
                faults: demo_faults()?,
                ..emulator::Config::demo()
            };
            let emu = Emulator::start(config, ([127, 0, 0, 1], 0).into())
                .await
                .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
            let endpoint = emu.domestic_endpoint(Addressing::ActionQuery);
            let s3 = S3Server::temporary(S3Options::demo(), DEMO_BUCKET)
                .await
                .map_err(|e| Failure::new(EXIT_FAILED, format!("demo storage: {e}")))?;
            let ledger =
                std::env::temp_dir().join(format!("ark-assets-demo-{}.sqlite", std::process::id()));
            let place = Place {
                endpoint,
                storage: Some(s3.config(DEMO_BUCKET)),
                project: cli.project.as_deref(),
                ledger: Some(ledger),
            };
            let opened = Opened {
                name: "demo".to_owned(),
                catalog: place.catalog("demo")?,
                read_only: cli.read_only,
            };
            (opened, Some((emu, s3)))
        } else {
            let opened = open_profile(
                cli.config.as_deref(),
                cli.profile.as_deref(),
                cli.project.as_deref(),
            )?;
            for w in &opened.warnings {
                output::say(format_args!("warning: {}", crate::text::visible(w)));
            }
            let mut opened = opened.profile;
            opened.read_only |= cli.read_only;
            (opened, None)
        };
        Ok(Ctx {
            catalog: opened.catalog,
            json: cli.json,
            profile: opened.name,
            check: CheckTimeouts::within(Duration::from_secs(cli.check_timeout)),
            read_only: opened.read_only,
            demo,
        })
    }

    /// The API client.
    pub fn api(&self) -> &Client {
        self.catalog.client()
    }

    /// The dialect of the profile.
    pub fn dialect(&self) -> Dialect {
        self.catalog.dialect()
    }

    /// Prints `value` as JSON with `--json`, else in its human form.
    pub fn show<T: serde::Serialize + ?Sized>(&self, value: &T, human: impl FnOnce(&T)) {
        if self.json {
            output::json(value);
        } else {
            human(value);
        }
    }
}

/// A profile ready to use: its name, its catalog (client, ledger, object storage) and whether
/// it is read-only.
pub struct Opened {
    /// The profile's name.
    pub name: String,
    /// Its service, ledger and object storage.
    pub catalog: Catalog,
    /// `read_only = true` in the profile.
    pub read_only: bool,
}

/// [`open_profile`]'s answer: the profile and the config's non-fatal problems.
pub struct OpenedWithWarnings {
    /// The profile.
    pub profile: Opened,
    /// Warnings to show (e.g. a config file readable by other users).
    pub warnings: Vec<String>,
}

/// Opens profile `name` (the default one when none) of the config file at `config` (the
/// default path when none), with requests scoped to `project` when given. Reads files (the
/// config, the ledger) and sends nothing.
pub fn open_profile(
    config: Option<&std::path::Path>,
    name: Option<&str>,
    project: Option<&str>,
) -> Result<OpenedWithWarnings, Failure> {
    let loaded = config::load(config, name, &Env::from_process())?;
    loaded.asset_scheme.install();
    let profile = loaded.profile;
    let place = Place {
        endpoint: profile.endpoint,
        storage: profile.storage,
        project,
        ledger: None,
    };
    Ok(OpenedWithWarnings {
        profile: Opened {
            catalog: place.catalog(&profile.name)?,
            name: profile.name,
            read_only: profile.read_only,
        },
        warnings: loaded.warnings,
    })
}

/// Where a profile's requests, records and files go.
struct Place<'a> {
    endpoint: crate::api::Endpoint,
    storage: Option<crate::storage::StorageConfig>,
    project: Option<&'a str>,
    /// The ledger's file; none: the profile's own under the data directory.
    ledger: Option<std::path::PathBuf>,
}

impl Place<'_> {
    /// The catalog of `profile` here: client, ledger (opened), object storage.
    fn catalog(self, profile: &str) -> Result<Catalog, Failure> {
        let notice: crate::api::Notice =
            Arc::new(|message: &str| eprintln!("{}", crate::text::visible(message)));
        let options = ClientOptions {
            notice: Some(notice.clone()),
            ..ClientOptions::default()
        };
        let mut client = Client::new(self.endpoint, options);
        if let Some(project) = self.project {
            crate::validate::name(project, true)?;
            client = client.with_project(Some(project.to_owned()));
        }
        let ledger_path = match self.ledger {
            Some(path) => path,
            None => ledger::default_path(profile, &client.endpoint().account_identity())
                .ok_or_else(|| Failure::new(EXIT_CONFIG, "no data directory for the ledger"))?,
        };
        // Opened when a command first needs it: reads do not pay for it.
        let mut catalog = Catalog::new(client, Arc::new(Ledger::at(&ledger_path)));
        if let Some(config) = self.storage {
            let storage = Storage::new(&config, storage_client())
                .map_err(|e| Failure::new(EXIT_CONFIG, e.to_string()))?
                .with_notice(notice);
            catalog = catalog.with_storage(storage);
        }
        Ok(catalog)
    }
}

/// The bucket of `--demo`'s in-process object storage.
const DEMO_BUCKET: &str = "demo";

/// The HTTP client of uploads, made on first use: bounded connects and reads (each request is
/// bounded as a whole by the storage itself), and no redirect followed: a presigned request
/// is never sent to another host.
fn storage_client() -> crate::http::Http {
    crate::http::Http::lazy(|| {
        crate::http::client(|b| {
            b.connect_timeout(Duration::from_secs(10))
                .read_timeout(Duration::from_secs(60))
                .redirect(reqwest::redirect::Policy::none())
        })
    })
}

/// Faults for `--demo` from `ARK_ASSETS_DEMO_FAULTS`, e.g.
/// `error_rate=0.1,drop_rate=0.05,throttle_rate=0.1,latency_ms=300`, to watch the product cope
/// with a flaky service.
fn demo_faults() -> Result<Faults, Failure> {
    let mut faults = Faults::default();
    let spec = std::env::var("ARK_ASSETS_DEMO_FAULTS").unwrap_or_default();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Failure::new(
                EXIT_INVALID,
                format!(
                    "ARK_ASSETS_DEMO_FAULTS: {part:?} is not one of error_rate=F, drop_rate=F, \
                     throttle_rate=F, latency_ms=N"
                ),
            )
        };
        let (key, value) = part.split_once('=').ok_or_else(bad)?;
        let rate = || {
            value
                .parse::<f64>()
                .ok()
                .filter(|r| (0.0..=1.0).contains(r))
        };
        match key {
            "error_rate" => faults.error_rate = rate().ok_or_else(bad)?,
            "drop_rate" => faults.drop_rate = rate().ok_or_else(bad)?,
            "throttle_rate" => faults.throttle_rate = rate().ok_or_else(bad)?,
            "latency_ms" => {
                faults.latency = Duration::from_millis(value.parse().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        }
    }
    Ok(faults)
}

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> ExitCode {
    match dispatch(cli).await {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            output::say(format_args!("error: {}", f.message));
            ExitCode::from(f.code)
        }
    }
}

async fn dispatch(cli: Cli) -> Result<u8, Failure> {
    match &cli.command {
        Some(Command::Emulator(args)) => return run_emulator(args).await.map(|()| 0),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "ark-assets", &mut std::io::stdout());
            return Ok(0);
        }
        Some(Command::Config(cmd)) => return config_cmd::run(&cli, cmd),
        _ => {}
    }
    let ctx = Ctx::new(&cli).await?;
    if let Some(what) = cli.command.as_ref().and_then(Command::mutation)
        && ctx.read_only
    {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "profile {} is read-only (--read-only or read_only = true): this command changes \
                 its {what}; nothing was sent",
                crate::text::visible(&ctx.profile)
            ),
        ));
    }
    match cli.command {
        None => {
            let sample = ctx
                .demo
                .as_ref()
                .map(|(emu, _)| emu.sample_url("portrait.png"));
            let Ctx {
                catalog,
                profile,
                read_only,
                demo,
                ..
            } = ctx;
            let settings = config::tui_settings(cli.config.as_deref(), &Env::from_process())?;
            let keymap = crate::app::keymap::Keymap::default()
                .with_overrides(&settings.keys)
                .map_err(|e| Failure::new(EXIT_CONFIG, e))?;
            // The demo is one profile; a config's profiles can be switched to inside the TUI.
            let profiles = demo.is_none().then(|| {
                let config = cli.config.clone();
                let read_only_flag = cli.read_only;
                let open: crate::app::effects::OpenProfile = Arc::new(move |name: &str| {
                    let opened = open_profile(config.as_deref(), Some(name), None)
                        .map_err(|f| f.message)?
                        .profile;
                    Ok((opened.catalog, opened.read_only || read_only_flag))
                });
                (settings.profiles.clone(), open)
            });
            let session = crate::tui::Session {
                profile,
                profiles,
                sample,
                read_only,
                keymap,
                preview: settings.preview,
                mouse: settings.mouse,
                theme: crate::ui::Theme::from_env()
                    .with(&settings.theme)
                    .map_err(|e| Failure::new(EXIT_CONFIG, e))?,
            };
            crate::tui::run(catalog, session)
                .await
                .map_err(|e| Failure::new(EXIT_FAILED, format!("{e:#}")))?;
            drop(demo);
            Ok(0)
        }
        Some(Command::Groups(cmd)) => groups::run(&ctx, cmd).await,
        Some(Command::Assets(cmd)) => assets::run(&ctx, cmd).await,
        Some(Command::Wait { ids, timeout }) => {
            wait::run(&ctx, &ids, Duration::from_secs(timeout)).await
        }
        Some(Command::Import {
            group,
            paths,
            recursive,
            allow_duplicates,
            no_check,
            checks,
            skip_existing,
        }) => {
            let group = assets::resolve_group(&ctx, &group).await?.id;
            let opts = import::Options {
                group: &group,
                paths: &paths,
                recursive,
                check: (!no_check).then_some(ctx.check),
                policy: checks.policy(),
                fit: checks.fit,
                skip_existing,
                allow_duplicates,
            };
            import::run(&ctx, opts).await
        }
        Some(Command::Emulator(_) | Command::Completions { .. } | Command::Config(_)) => {
            unreachable!("handled above")
        }
    }
}

async fn run_emulator(args: &EmulatorArgs) -> Result<(), Failure> {
    let mut config = emulator::Config {
        processing: (
            Duration::from_millis(args.processing_ms.0),
            Duration::from_millis(args.processing_ms.1),
        ),
        rate_limits: !args.no_rate_limits,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: args.error_rate,
            throttle_rate: args.throttle_rate,
            drop_rate: args.drop_rate,
            ..Faults::default()
        },
        data: args.data.clone(),
        seed_demo: !args.empty,
        paging: args.paging,
        ..emulator::Config::default()
    };
    let sts = args.sts.then(emulator::demo_sts_account);
    if let Some(account) = &sts {
        config.accounts.push(account.clone());
    }
    let emu = Emulator::start(config, args.listen)
        .await
        .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
    output::line(emulator::banner(
        &emu.url,
        args.data.as_deref(),
        sts.as_ref(),
    ));
    // The object store lives as long as the emulator.
    let _s3 = match &args.s3 {
        None => None,
        Some(dir) => {
            let s3 = if dir.as_os_str().is_empty() {
                S3Server::temporary(S3Options::demo(), DEMO_BUCKET).await
            } else {
                let s3 = S3Server::start(dir, S3Options::demo()).await;
                s3.and_then(|s3| s3.create_bucket(DEMO_BUCKET).map(|()| s3))
            }
            .map_err(|e| Failure::new(EXIT_FAILED, format!("object storage: {e}")))?;
            output::line(format!(
                "\nS3-compatible object storage on {} (objects in {}); add to the profile:\n\n{}",
                s3.url,
                s3.root.display(),
                s3.snippet(DEMO_BUCKET)
            ));
            Some(s3)
        }
    };
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    emu.shutdown().await?;
    output::say(format_args!(
        "emulator stopped{}",
        if args.data.is_some() {
            "; state saved"
        } else {
            ""
        }
    ));
    Ok(())
}
