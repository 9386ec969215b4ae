//! What a batch shows while it runs (a progress bar on a terminal, a line per event
//! otherwise), the bounded wait for its uploaded objects to be cleaned up, and the wait for
//! assets to settle (`wait`): shared by `import`, `sync`, `copy` and `assets create`.

use std::io::IsTerminal;
use std::sync::Arc;

use std::time::Duration;

use serde::Serialize;

use super::{Ctx, EXIT_FAILED, EXIT_TIMEOUT, Failure, output};
use crate::api::model::{AssetError, Status, asset_reference};
use crate::catalog::import::{Event, Events, How};
use crate::catalog::upload::CLEANUP_WAIT;
use crate::text;

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

/// With `cleanup = "after-active"`, waits (bounded) until the uploaded assets are done, deleting
/// each object as soon as its assets are; what is left is deleted by a later run.
pub(super) async fn wait_and_clean(ctx: &Ctx) -> Result<(), Failure> {
    clean_uploads(ctx, CLEANUP_WAIT).await
}

/// Deletes the objects of uploaded assets that are done, waiting at most `bound` (saying so)
/// for those still Processing, and says what is left.
pub(super) async fn clean_uploads(ctx: &Ctx, bound: std::time::Duration) -> Result<(), Failure> {
    let told = |waiting| {
        output::say(format_args!(
            "waiting for {waiting} uploaded assets to finish processing, to delete their objects \
             (Ctrl-C keeps them for the next run)"
        ))
    };
    // The assets are made: objects left in the bucket are the next run's to delete, not a
    // failure of this one (another run may be deleting the same ones).
    let cleaned = match ctx.catalog.clean_uploads_when_done(bound, told).await {
        Ok(cleaned) => cleaned,
        Err(e) => {
            output::say(format_args!(
                "warning: the uploaded objects could not all be deleted ({e}); a later run \
                 deletes them"
            ));
            return Ok(());
        }
    };
    if cleaned.waiting > 0 {
        output::say(format_args!(
            "{} uploaded objects are kept until their assets leave Processing (a later run \
             deletes them)",
            cleaned.waiting
        ));
    }
    Ok(())
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

/// One line of `wait`'s output.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Outcome {
    id: String,
    reference: String,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<AssetError>,
}

/// `wait` (and `assets create --wait`): polls until every asset in `ids` is Active or Failed,
/// or `timeout` passes (`Catalog::wait`: the one schedule, batched per group and inside the
/// limits), and prints each one's reference and status.
pub(super) async fn wait_settled(
    ctx: &Ctx,
    ids: &[String],
    timeout: Duration,
) -> Result<u8, Failure> {
    for id in ids {
        crate::validate::asset_id(id)?;
    }
    let known = ctx.catalog.wait(ids, timeout).await?;
    let outcomes: Vec<Outcome> = ids
        .iter()
        .filter_map(|id| known.get(id))
        .map(|a| Outcome {
            id: a.id.clone(),
            reference: asset_reference(&a.id),
            status: a.status,
            error: a.error.clone(),
        })
        .collect();
    ctx.show(&outcomes, |outcomes| {
        for o in outcomes {
            match &o.error {
                Some(e) => output::line(format_args!(
                    "{}  {}  {}: {}",
                    text::visible(&o.reference),
                    o.status,
                    text::visible(&e.code),
                    text::visible(&e.message)
                )),
                None => output::line(format_args!(
                    "{}  {}",
                    text::visible(&o.reference),
                    o.status
                )),
            }
        }
    });
    Ok(if outcomes.iter().any(|o| o.status == Status::Failed) {
        EXIT_FAILED
    } else if outcomes.iter().any(|o| o.status != Status::Active) {
        EXIT_TIMEOUT
    } else {
        0
    })
}
