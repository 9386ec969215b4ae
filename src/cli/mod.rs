//! The command line: every operation as a subcommand, human tables or `--json` on stdout,
//! errors on stderr, and documented exit codes.

mod assets;
mod config_cmd;
mod groups;
mod import;
mod output;
mod wait;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::api::model::Status;
use crate::api::{Addressing, ApiError, Client, ClientOptions};
use crate::app::state::Header;
use crate::config::{self, Dialect, Env};
use crate::emulator::{self, Emulator, Faults};
use crate::ledger::{self, Ledger};

/// Exit code: an operation failed (API error, a Failed asset, rows that could not be created).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: `wait` timed out (clap also uses 2 for usage errors).
pub const EXIT_TIMEOUT: u8 = 2;
/// Exit code: input broke a rule and nothing was sent.
pub const EXIT_INVALID: u8 = 3;
/// Exit code: the configuration is missing or invalid.
pub const EXIT_CONFIG: u8 = 4;

/// Manage Volcengine Ark / BytePlus ModelArk portrait assets from the terminal.
///
/// With no subcommand, opens the terminal UI.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Run against a local emulator of the Assets API with sample data (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Profile of the config file to use (default: ARK_PROFILE, then the file's default_profile).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Project to scope requests to (domestic), instead of the profile's.
    #[arg(long, global = true)]
    pub project: Option<String>,
    /// Config file (default: ARK_ASSETS_CONFIG, then the platform config dir).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Print JSON on stdout instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Asset groups.
    #[command(subcommand)]
    Groups(GroupsCmd),
    /// Assets.
    #[command(subcommand)]
    Assets(AssetsCmd),
    /// Wait until assets are Active or Failed; prints Asset://<Id> per id.
    ///
    /// Exit code 0 when all are Active, 1 when any Failed, 2 on timeout.
    Wait {
        /// Asset ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// Create many assets from a file of `url[,name]` rows (CSV, JSON lines, or one URL a line).
    ///
    /// Every row is checked first and all bad rows are reported with their line numbers; the
    /// rest are created as fast as the limits allow. Re-running after an interruption creates
    /// only what is missing.
    Import {
        /// Target group.
        #[arg(long)]
        group: String,
        /// The rows.
        file: PathBuf,
        /// Skip downloading each image's header to check it before sending.
        #[arg(long)]
        no_check: bool,
    },
    /// Run the local Assets API emulator on its own.
    Emulator(EmulatorArgs),
    /// Profiles and the config file.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Print shell completions.
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
}

/// `groups` subcommands.
#[derive(Debug, Subcommand)]
pub enum GroupsCmd {
    /// List groups (global dialect: the groups this client created assets under).
    List {
        /// Only names containing this.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one group.
    Get {
        /// Group id.
        id: String,
    },
    /// Create a group.
    Create {
        /// Name (at most 64 characters).
        name: String,
        /// Description (at most 300 characters).
        #[arg(long)]
        description: Option<String>,
    },
    /// Change a group's name or description.
    Rename {
        /// Group id.
        id: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete an (empty) group.
    Delete {
        /// Group id.
        id: String,
    },
}

/// `assets` subcommands.
#[derive(Debug, Subcommand)]
pub enum AssetsCmd {
    /// List assets.
    List {
        /// Only this group.
        #[arg(long)]
        group: Option<String>,
        /// Only these statuses (repeatable).
        #[arg(long, value_parser = parse_status)]
        status: Vec<Status>,
        /// Only names containing this.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one asset.
    Get {
        /// Asset id.
        id: String,
    },
    /// Create an asset from a public image URL.
    Create {
        /// Group id (global dialect: a local label to file it under).
        #[arg(long)]
        group: String,
        /// Public http(s) URL of the image.
        #[arg(long, required_unless_present = "file")]
        url: Option<String>,
        /// A local file: refused, the API only takes public URLs.
        #[arg(long, conflicts_with = "url")]
        file: Option<PathBuf>,
        /// Name (default: the URL's file name).
        #[arg(long)]
        name: Option<String>,
        /// Wait until it is Active or Failed.
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
        /// Skip downloading the image's header to check it before sending.
        #[arg(long)]
        no_check: bool,
    },
    /// Rename an asset.
    Rename {
        /// Asset id.
        id: String,
        /// New name.
        name: String,
    },
    /// Delete an asset.
    Delete {
        /// Asset id.
        id: String,
    },
}

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Write a profile to the config file (asks on a terminal; secrets are read hidden).
    Init(config_cmd::InitArgs),
    /// Show the resolved profile, secrets masked.
    Show,
    /// List the profiles of the config file.
    Profiles,
}

/// `emulator` options.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8383")]
    listen: std::net::SocketAddr,
    /// JSON file that keeps the state across restarts (written atomically, mode 0600).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Start empty instead of with the demo data set.
    #[arg(long)]
    empty: bool,
    /// Processing time of new assets in milliseconds, as MIN-MAX.
    #[arg(long, default_value = "2000-6000", value_parser = parse_range)]
    processing_ms: (u64, u64),
    /// Do not enforce the per-action QPS limits.
    #[arg(long)]
    no_rate_limits: bool,
    /// Latency added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fraction of requests answered with 500/503.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Fraction of requests refused with 429.
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Fraction of responses cut off halfway.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
}

fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let parse = |v: &str| v.trim().parse::<u64>().map_err(|e| format!("{v:?}: {e}"));
    let (a, b) = (parse(a)?, parse(b)?);
    if a > b {
        return Err(format!("{a} is more than {b}"));
    }
    Ok((a, b))
}

fn parse_status(s: &str) -> Result<Status, String> {
    match s.to_ascii_lowercase().as_str() {
        "active" => Ok(Status::Active),
        "processing" => Ok(Status::Processing),
        "failed" => Ok(Status::Failed),
        _ => Err("expected active, processing or failed".to_owned()),
    }
}

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

/// What the commands share: the client, the ledger and the output mode.
pub struct Ctx {
    /// API client.
    pub client: Client,
    /// Dialect.
    pub dialect: Dialect,
    /// Ledger of this profile's creations.
    pub ledger: Ledger,
    /// JSON output.
    pub json: bool,
    /// Title-bar data for the TUI.
    pub header: Header,
    /// The demo emulator, kept alive while the command runs.
    emulator: Option<Emulator>,
}

impl Ctx {
    /// Builds the context for `cli`: the demo emulator, or the configured profile.
    async fn new(cli: &Cli) -> Result<Ctx, Failure> {
        let (profile, endpoint, emulator) = if cli.demo {
            let config = emulator::Config {
                faults: demo_faults()?,
                ..emulator::Config::demo()
            };
            let emu = Emulator::start(config, ([127, 0, 0, 1], 0).into())
                .await
                .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
            let endpoint = emu.domestic_endpoint(Addressing::ActionQuery);
            ("demo".to_owned(), endpoint, Some(emu))
        } else {
            let env = Env::from_process();
            let loaded = config::load(cli.config.as_deref(), cli.profile.as_deref(), &env)?;
            for w in &loaded.warnings {
                eprintln!("warning: {w}");
            }
            (loaded.profile.name, loaded.profile.endpoint, None)
        };
        let mut client = Client::new(endpoint, ClientOptions::default());
        if let Some(project) = &cli.project {
            crate::validate::name(project, true)?;
            client = client.with_project(Some(project.clone()));
        }
        let dialect = match client.endpoint() {
            crate::api::Endpoint::Domestic(_) => Dialect::Domestic,
            crate::api::Endpoint::Global(_) => Dialect::Global,
        };
        let ledger_path = if emulator.is_some() {
            std::env::temp_dir().join(format!("ark-assets-demo-{}.jsonl", std::process::id()))
        } else {
            ledger::default_path(&profile)
                .ok_or_else(|| Failure::new(EXIT_CONFIG, "no data directory for the ledger"))?
        };
        let ledger = Ledger::open(&ledger_path).map_err(|e| {
            Failure::new(
                EXIT_FAILED,
                format!("cannot open the ledger {}: {e}", ledger_path.display()),
            )
        })?;
        let endpoint = client.endpoint();
        let header = Header {
            profile,
            dialect: endpoint.dialect().to_owned(),
            endpoint: endpoint.base().as_str().trim_end_matches('/').to_owned(),
            project: match endpoint {
                crate::api::Endpoint::Domestic(d) => {
                    d.project.clone().unwrap_or_else(|| "default".to_owned())
                }
                crate::api::Endpoint::Global(_) => String::new(),
            },
        };
        Ok(Ctx {
            client,
            dialect,
            ledger,
            json: cli.json,
            header,
            emulator,
        })
    }
}

impl Ctx {
    /// Prints `value` as JSON with `--json`, else in its human form.
    pub fn show<T: serde::Serialize + ?Sized>(&self, value: &T, human: impl FnOnce(&T)) {
        if self.json {
            output::json(value);
        } else {
            human(value);
        }
    }
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
            eprintln!("error: {}", f.message);
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
    match cli.command {
        None => {
            let welcome = ctx.emulator.as_ref().map(|emu| {
                format!(
                    "demo: press n in the assets pane and paste {} (or another sample)",
                    emu.sample_url("portrait.png")
                )
            });
            let Ctx {
                client,
                header,
                ledger,
                emulator: _emulator,
                ..
            } = ctx;
            crate::tui::run(client, header, std::sync::Arc::new(ledger), welcome)
                .await
                .map_err(|e| Failure::new(EXIT_FAILED, format!("{e:#}")))?;
            Ok(0)
        }
        Some(Command::Groups(cmd)) => groups::run(&ctx, cmd).await,
        Some(Command::Assets(cmd)) => assets::run(&ctx, cmd).await,
        Some(Command::Wait { ids, timeout }) => {
            wait::run(&ctx, &ids, Duration::from_secs(timeout)).await
        }
        Some(Command::Import {
            group,
            file,
            no_check,
        }) => import::run(&ctx, &group, &file, !no_check).await,
        Some(Command::Emulator(_) | Command::Completions { .. } | Command::Config(_)) => {
            unreachable!("handled above")
        }
    }
}

async fn run_emulator(args: &EmulatorArgs) -> Result<(), Failure> {
    let config = emulator::Config {
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
        ..emulator::Config::default()
    };
    let emu = Emulator::start(config, args.listen)
        .await
        .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
    println!("{}", emulator::banner(&emu.url, args.data.as_deref()));
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    emu.shutdown().await?;
    eprintln!(
        "emulator stopped{}",
        if args.data.is_some() {
            "; state saved"
        } else {
            ""
        }
    );
    Ok(())
}
