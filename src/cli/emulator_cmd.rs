//! `emulator`: the Assets API emulator on its own (and `--s3`, an object store beside it),
//! until Ctrl-C or SIGTERM; `--data` keeps its state.

use std::time::Duration;

use super::{EXIT_FAILED, EmulatorArgs, Failure, output};
use crate::emulator::s3::{S3Options, S3Server};
use crate::emulator::{self, Emulator, Faults};
use crate::open::DEMO_BUCKET;

/// Runs the emulator until it is stopped.
pub(super) async fn run(args: &EmulatorArgs) -> Result<(), Failure> {
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
