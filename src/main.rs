//! The `ark-assets` binary: parses arguments and dispatches to the TUI, the CLI or the emulator.

use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use ark_assets::api::{Addressing, Client, ClientOptions};
use ark_assets::app::state::Header;
use ark_assets::emulator::{self, Emulator, Faults};

/// Manage Volcengine Ark / BytePlus ModelArk portrait assets from the terminal.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Run against a local emulator of the Assets API with sample data (no account needed).
    #[arg(long, global = true)]
    demo: bool,
    /// Profile of the config file to use.
    #[arg(long, global = true, env = "ARK_PROFILE")]
    profile: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the local Assets API emulator on its own (both dialects, real signatures and limits).
    Emulator(EmulatorArgs),
}

#[derive(Debug, Args)]
struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8383")]
    listen: std::net::SocketAddr,
    /// JSON file that keeps the state across restarts (written atomically, mode 0600).
    #[arg(long)]
    data: Option<std::path::PathBuf>,
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

#[tokio::main]
async fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Emulator(args)) => run_emulator(args).await,
        None if cli.demo => {
            let emu = Emulator::start(emulator::Config::demo(), "127.0.0.1:0".parse()?).await?;
            let endpoint = emu.domestic_endpoint(Addressing::ActionQuery);
            let header = Header {
                profile: "demo".to_owned(),
                dialect: endpoint.dialect().to_owned(),
                endpoint: emu.url.clone(),
                project: "default".to_owned(),
            };
            ark_assets::tui::run(Client::new(endpoint, ClientOptions::default()), header).await
        }
        None => {
            let env = ark_assets::config::Env::from_process();
            let loaded = ark_assets::config::load(None, cli.profile.as_deref(), &env)?;
            for w in &loaded.warnings {
                eprintln!("warning: {w}");
            }
            let profile = loaded.profile;
            let header = Header {
                profile: profile.name.clone(),
                dialect: profile.endpoint.dialect().to_owned(),
                endpoint: profile.endpoint.base().to_string(),
                project: profile.project().unwrap_or("default").to_owned(),
            };
            let client = Client::new(profile.endpoint, ClientOptions::default());
            ark_assets::tui::run(client, header).await
        }
    }
}

async fn run_emulator(args: EmulatorArgs) -> color_eyre::Result<()> {
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
    let emu = Emulator::start(config, args.listen).await?;
    println!("{}", emulator::banner(&emu.url, args.data.as_deref()));
    tokio::signal::ctrl_c().await?;
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
