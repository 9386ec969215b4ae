//! `import`: many assets from local files, folders and listings, through the catalog's import
//! engine; this module shows its progress (a bar on a terminal, a line per asset otherwise)
//! and its report, and waits for uploaded objects to be cleaned up.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::assets::clean_uploads;
use super::{Ctx, EXIT_FAILED, Failure, output};
use crate::catalog::import::{Event, Events, How, Import, Input, Report};
use crate::catalog::upload::CLEANUP_WAIT;
use crate::text;

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

/// Prints a line on stderr above the progress bar, if there is one.
fn note(bar: Option<&indicatif::ProgressBar>, line: &str) {
    let line = text::visible(line);
    match bar {
        Some(b) => b.println(line),
        None => output::say(line),
    }
}

/// The progress bar of the creates, on a terminal (and not with `--json`).
pub(super) fn progress_bar(json: bool) -> Option<indicatif::ProgressBar> {
    (std::io::stderr().is_terminal() && !json).then(|| {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(bar_style());
        bar
    })
}

/// The bar's look, within 80 columns: what is done of what, the bar in the width the
/// terminal leaves, the rate with its unit, the ETA, and the upload (see [`uploaded`]).
fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} [{wide_bar}] {rate} · eta {eta}{msg}",
    )
    .expect("template is valid")
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&rate(state.per_sec()));
        },
    )
    .progress_chars("=> ")
}

/// Creates a second in words with their unit, one decimal: `1.5 assets/s`, or a minute
/// when slower than one a second (`3.0 assets/min`, the entry tier).
fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "– assets/s".to_owned()
    } else if per_sec < 1.0 {
        format!("{:.1} assets/min", per_sec * 60.0)
    } else {
        format!("{per_sec:.1} assets/s")
    }
}

/// The bar's upload note: `· 12.3/456.7 MB, 1.4 MB/s` (`elapsed` since the creates began).
fn uploaded(sent: u64, total: u64, elapsed: std::time::Duration) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    let secs = elapsed.as_secs_f64();
    let speed = if secs > 0.0 {
        format!(", {:.1} MB/s", mb(sent) / secs)
    } else {
        String::new()
    };
    format!(" · {:.1}/{:.1} MB{speed}", mb(sent), mb(total))
}

/// Shows the engine's events: refusals and warnings on stderr, the bar (or a line per asset
/// created on stdout, without `--json`).
pub(super) fn show_events(bar: Option<indicatif::ProgressBar>, json: bool) -> Events {
    let refused = std::sync::atomic::AtomicUsize::new(0);
    let began = std::sync::OnceLock::new();
    Arc::new(move |event| match event {
        Event::LeftOut(r) => note(None, &format!("{}: left out: {}", r.origin, r.error)),
        Event::Refused(r) => {
            refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            note(None, &format!("{}: {}", r.origin, r.error))
        }
        Event::Warning { origin, text } => note(None, &format!("{origin}: warning: {text}")),
        Event::Started {
            rows,
            bytes,
            per_minute,
            ..
        } => {
            let refused = refused.load(std::sync::atomic::Ordering::Relaxed);
            if refused > 0 {
                output::say(format_args!("{refused} invalid rows will not be imported"));
            }
            if let Some(line) = crate::catalog::import::batch_estimate(rows, per_minute) {
                output::say(line);
            }
            let _ = began.set(std::time::Instant::now());
            if let Some(b) = &bar {
                b.set_length(rows as u64);
                if bytes > 0 {
                    b.set_message(uploaded(0, bytes, std::time::Duration::ZERO));
                }
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
        Event::Uploaded { sent, total } => {
            if let Some(b) = &bar {
                let elapsed = began.get().map(std::time::Instant::elapsed);
                b.set_message(uploaded(sent, total, elapsed.unwrap_or_default()));
            }
        }
        Event::Done(done, how) => {
            if let Some(b) = &bar {
                b.inc(1);
            }
            let line = match how {
                How::Already => format!(
                    "{}: already imported as {} (same content)",
                    done.origin, done.id
                ),
                How::ByOtherRun => {
                    format!("{}: created by another run as {}", done.origin, done.id)
                }
                How::Created if bar.is_none() && !json => {
                    return output::line(format_args!(
                        "{}: created {} {}",
                        text::visible(&done.origin),
                        text::visible(&done.id),
                        text::visible(&done.name)
                    ));
                }
                How::Created => return,
            };
            note(bar.as_ref(), &line);
        }
        Event::Failed(r) => note(bar.as_ref(), &format!("{}: {}", r.origin, r.error)),
    })
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

/// With `cleanup = "after-active"`, waits (bounded) until the uploaded assets are done, deleting
/// each object as soon as its assets are; what is left is deleted by a later run.
pub(super) async fn wait_and_clean(ctx: &Ctx) -> Result<(), Failure> {
    clean_uploads(ctx, CLEANUP_WAIT).await
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use unicode_width::UnicodeWidthStr;

    /// A terminal of 80 columns that keeps what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Captured(Arc<Mutex<Vec<String>>>);

    impl indicatif::TermLike for Captured {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push(s.to_owned());
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_bar_fits_80_columns_with_units_and_one_decimal() {
        let term = Captured::default();
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(1000),
            indicatif::ProgressDrawTarget::term_like(Box::new(term.clone())),
        );
        bar.set_style(super::bar_style());
        bar.set_position(999);
        let long = std::time::Duration::from_secs(3);
        bar.set_message(super::uploaded(123_456_789, 456_789_012, long));
        bar.tick();
        let drawn = term.0.lock().unwrap().clone();
        let last = drawn.iter().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert!(last.width() <= 80, "{} columns: {last}", last.width());
        assert!(last.contains("999/1000 ["), "{last}");
        assert!(last.contains(" · 123.5/456.8 MB, 41.2 MB/s"), "{last}");
        assert!(last.contains("assets/"), "{last}");
        assert_eq!(super::rate(0.05), "3.0 assets/min");
        assert_eq!(super::rate(2.345_67), "2.3 assets/s");
        assert_eq!(super::rate(0.0), "– assets/s");
    }
}
