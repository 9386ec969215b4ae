//! `import`: many assets from local files, folders and listings, through the catalog's import
//! engine; its progress and the wait for uploaded objects to be cleaned up are
//! `progress.rs`'s, its report a summary line or `--json`.

use std::path::{Path, PathBuf};

use super::progress::{progress_bar, show_events, wait_and_clean};
use super::{Ctx, EXIT_FAILED, Failure, output};
use crate::catalog::import::{Import, Input, Report};

/// What `import` was asked to do.
pub(super) struct Options<'a> {
    /// Target group (id, or the global dialect's label).
    pub group: &'a str,
    /// Files, folders and listings (`-`: a listing on standard input).
    pub paths: &'a [PathBuf],
    /// The engine's settings besides the inputs.
    pub job: Import,
}

impl From<crate::catalog::import::ImportError> for Failure {
    fn from(e: crate::catalog::import::ImportError) -> Self {
        use crate::catalog::import::ImportError;
        match e {
            ImportError::Create(e) => e.into(),
            ImportError::List(e) => e.into(),
            e @ ImportError::OverQuota { .. } => Failure::new(super::EXIT_INVALID, e.to_string()),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

/// The inputs of `paths`: `-` is a listing read from standard input.
fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    paths
        .iter()
        .map(|path| {
            if path.as_os_str() != "-" {
                return Ok(Input::Path(path.clone()));
            }
            Ok(Input::Listing {
                name: "<stdin>".to_owned(),
                text: super::standard_input()?.to_owned(),
                base: Path::new(".").to_owned(),
            })
        })
        .collect()
}

/// The summary line of `report`.
fn summary(report: &Report, skip_existing: bool) -> String {
    let skipped = if skip_existing {
        format!(
            ", {} skipped (name already in the group)",
            report.skipped.len()
        )
    } else {
        String::new()
    };
    let left_out = match report.left_out.len() {
        0 => String::new(),
        n => format!(", {n} left out"),
    };
    let other = match report.by_other_run.len() {
        0 => String::new(),
        n => format!(", {n} created by another run"),
    };
    format!(
        "{} created{other}, {} already imported{skipped}, {} invalid, {} failed{left_out}",
        report.created.len(),
        report.already.len(),
        report.invalid.len(),
        report.failed.len()
    )
}

pub(super) async fn run(ctx: &Ctx, opts: Options<'_>) -> Result<u8, Failure> {
    let skip_existing = opts.job.skip_existing;
    let job = Import {
        inputs: inputs(opts.paths)?,
        ..opts.job
    };
    let bar = progress_bar(ctx.json);
    let events = show_events(bar.clone(), ctx.json);
    let report = ctx.catalog.import(opts.group, job, events).await?;
    if let Some(b) = bar {
        b.finish();
    }
    if report.created.iter().any(|d| d.sha256.is_some()) {
        wait_and_clean(ctx).await?;
    }
    ctx.show(&report, |r| output::line(summary(r, skip_existing)));
    Ok(if report.is_complete() { 0 } else { EXIT_FAILED })
}
