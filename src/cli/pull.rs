//! `pull GROUP DIR`: the catalog's pull, its progress as a bar on a terminal (a line per file
//! otherwise), the report as a summary line or `--json`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::catalog::pull::{PullError, PullEvent, PullEvents, PullOptions, PullReport};
use crate::text::visible;

/// What `pull` is asked to do.
#[derive(Debug, Clone, Args)]
pub struct PullArgs {
    /// The group: its id, or its exact name.
    pub group: String,
    /// The folder the files go into (made when there is none).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Put images, videos and audio into sub-folders of their own (image/, video/, audio/).
    #[arg(long)]
    pub recursive_by_type: bool,
}

impl From<PullError> for Failure {
    fn from(e: PullError) -> Self {
        match e {
            PullError::Lookup(e) => super::resolve::lookup_failure(e),
            PullError::List(e) => e.into(),
            PullError::Folder { .. } => Failure::new(EXIT_INVALID, e.to_string()),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

pub(super) async fn run(ctx: &Ctx, args: PullArgs) -> Result<u8, Failure> {
    let opts = PullOptions {
        by_type: args.recursive_by_type,
    };
    let bar = (std::io::stderr().is_terminal() && !ctx.json).then(|| {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} pulled · {per_sec} · eta {eta}",
            )
            .expect("template is valid")
            .progress_chars("=> "),
        );
        bar
    });
    let report = ctx
        .catalog
        .pull(&args.group, &args.dir, &opts, events(bar.clone(), ctx.json))
        .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    show_report(ctx, &report);
    Ok(if report.is_complete() { 0 } else { EXIT_FAILED })
}

/// Shows the pull's events: the bar, or a line per file downloaded (without `--json`);
/// failures on stderr.
fn events(bar: Option<indicatif::ProgressBar>, json: bool) -> PullEvents {
    Arc::new(move |event| match event {
        PullEvent::Started { files } => {
            if let Some(b) = &bar {
                b.set_length(files as u64);
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
        PullEvent::Done(pulled, fresh) => {
            if let Some(b) = &bar {
                b.inc(1);
            } else if fresh && !json {
                output::line(format_args!(
                    "pulled {} {}",
                    visible(&pulled.id),
                    visible(&pulled.path.display().to_string())
                ));
            }
        }
        PullEvent::Failed(r) => match &bar {
            Some(b) => b.println(r.to_string()),
            None => output::say(r),
        },
    })
}

/// The summary line (or the report with `--json`).
fn show_report(ctx: &Ctx, report: &PullReport) {
    if ctx.json {
        return output::json(report);
    }
    for r in &report.skipped {
        output::say(r);
    }
    output::line(format_args!(
        "{} pulled, {} already there, {} not Active (skipped), {} failed",
        report.downloaded.len(),
        report.unchanged.len(),
        report.skipped.len(),
        report.failed.len()
    ));
}
