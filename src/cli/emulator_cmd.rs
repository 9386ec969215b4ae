//! `emulator`: the Assets API emulator on its own (and `--s3`, an object store beside it),
//! until Ctrl-C or SIGTERM; `--data` keeps its state.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{EXIT_FAILED, Failure, output};
use crate::emulator::s3::{S3Options, S3Server};
use crate::emulator::{self, Emulator, Faults};
use crate::open::DEMO_BUCKET;

/// `emulator` options.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8383")]
    pub listen: std::net::SocketAddr,
    /// JSON file that keeps the state across restarts (written atomically, mode 0600).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Start empty instead of with the demo data set.
    #[arg(long)]
    pub empty: bool,
    /// Processing time of new assets in milliseconds, as MIN-MAX.
    #[arg(long, default_value = "2000-6000", value_parser = parse_range)]
    pub processing_ms: (u64, u64),
    /// Do not enforce the per-action QPS limits.
    #[arg(long)]
    pub no_rate_limits: bool,
    /// Play a BytePlus tier: its CreateAsset rate a minute (entry 3, advanced 120, premium
    /// 300; 429 RequestLimitExceeded with Retry-After past it) and entry's quota of 50 assets
    /// and 50 groups (400 QuotaExceeded).
    #[arg(long, value_parser = crate::api::limits::Tier::parse)]
    pub tier: Option<crate::api::limits::Tier>,
    /// How listings page: by `NextToken` as the live service does, or by page number.
    #[arg(long, value_enum, default_value = "token")]
    pub paging: crate::emulator::paging::PagingStyle,
    /// Also accept temporary (STS) keys: prints them with a session token requests must carry.
    #[arg(long)]
    pub sts: bool,
    /// How long a Seedance task takes, in milliseconds (a quarter queued, the rest running).
    #[arg(long, default_value_t = 8000)]
    pub task_ms: u64,
    /// Latency added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Seconds the emulator's clock is set off from this machine's (negative: behind): its
    /// `Date` headers and its signature checks use it, as a server with another clock would.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub clock_offset: i64,
    /// Fraction of requests answered with 500/503.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub error_rate: f64,
    /// Fraction of requests refused with 429.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle_rate: f64,
    /// Fraction of responses cut off halfway.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub drop_rate: f64,
    /// Also run an S3-compatible object store (bucket `demo`, the demo keys) for local files,
    /// keeping its objects in this folder (a temporary one when not given).
    #[arg(
        long,
        value_name = "DIR",
        num_args = 0..=1,
        default_missing_value = "",
        value_parser = folder_or_none
    )]
    pub s3: Option<PathBuf>,
    /// The object store's address (with `--s3`), so a profile's storage snippet outlives a
    /// restart; a free port when not given.
    #[arg(long, value_name = "ADDR", requires = "s3")]
    pub s3_listen: Option<std::net::SocketAddr>,
}

/// Runs the emulator until it is stopped; its snippet names `config`, the file in use.
pub(super) async fn run(
    args: &EmulatorArgs,
    config_file: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let mut config = emulator::Config {
        processing: (
            Duration::from_millis(args.processing_ms.0),
            Duration::from_millis(args.processing_ms.1),
        ),
        rate_limits: !args.no_rate_limits,
        tier: args.tier,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: args.error_rate,
            throttle_rate: args.throttle_rate,
            drop_rate: args.drop_rate,
            ..Faults::default()
        },
        data: args.data.clone(),
        clock_offset: chrono::TimeDelta::seconds(args.clock_offset),
        seed_demo: !args.empty,
        paging: args.paging,
        task_time: Duration::from_millis(args.task_ms),
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
        config_file,
    ));
    // The object store lives as long as the emulator.
    let _s3 = match &args.s3 {
        None => None,
        Some(dir) => {
            let mut options = S3Options::demo();
            if let Some(listen) = args.s3_listen {
                options.listen = listen;
            }
            let s3 = if dir.as_os_str().is_empty() {
                S3Server::temporary(options, DEMO_BUCKET).await
            } else {
                let s3 = S3Server::start(dir, options).await;
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

/// A folder, or none (empty: `--s3` without one, which clap's path parser would refuse).
fn folder_or_none(s: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(s))
}

/// A fraction of requests: a number from 0 to 1.
fn parse_rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?} is not a fraction from 0 to 1")),
    }
}

/// A range of whole numbers, `MIN-MAX` or one number for both.
fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let parse = |v: &str| v.trim().parse::<u64>().map_err(|e| format!("{v:?}: {e}"));
    let (a, b) = (parse(a)?, parse(b)?);
    if a > b {
        return Err(format!("{a} is more than {b}"));
    }
    Ok((a, b))
}
