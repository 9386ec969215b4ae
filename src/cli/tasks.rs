//! `tasks`: Seedance generation tasks from assets (create, list, get, wait, cancel, download)
//! over the catalog's task use cases.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};

use super::{Ctx, EXIT_CONFIG, EXIT_FAILED, EXIT_INVALID, EXIT_TIMEOUT, Failure, output};
use crate::catalog::tasks::{Downloaded, TaskAsk, TaskError, TaskPoll, Waited};
use crate::seedance::{Task, TaskStatus};
use crate::text;

/// Seedance generation tasks that use assets (the data plane: the profile's ark API key).
#[derive(Debug, Subcommand)]
pub enum TasksCmd {
    /// Create a task from Active assets: every asset is checked first (nothing is sent, and
    /// nothing billed, when one is not Active or the model's limits are passed) and the
    /// legend printed ("Image 1 = hero-front (asset-…)") for the prompt to name them by.
    ///
    /// Exit code 0 when created (and, with --wait, succeeded), 1 on failure, 2 when --wait
    /// timed out, 3 when refused before sending.
    Create(CreateArgs),
    /// The last 7 days' tasks, newest first.
    List {
        /// Only tasks of this status (queued, running, succeeded, failed, expired, cancelled).
        #[arg(long)]
        status: Option<String>,
    },
    /// One task.
    Get {
        /// Task id (`cgt-…`).
        id: String,
    },
    /// Wait until tasks finish (one listing a round for all of them).
    ///
    /// Exit code 0 when all succeeded, 1 when any did not, 2 on timeout.
    Wait {
        /// Task ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
    },
    /// Cancel a queued task (a running one can be neither cancelled nor deleted).
    Cancel {
        /// Task id.
        id: String,
    },
    /// Download a succeeded task's video (an MP4; its link expires 24 h after the task
    /// finished).
    Download {
        /// Task id.
        id: String,
        /// Where to write it (`<id>.mp4` by default).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace a file already there.
        #[arg(long)]
        force: bool,
    },
}

/// What `tasks create` is asked.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Reference assets (images, videos, audios; `asset://<Id>` accepted), in the order the
    /// prompt numbers them within each type.
    #[arg(long = "asset", value_name = "ID")]
    pub assets: Vec<String>,
    /// The video's first frame (an image asset; not mixed with --asset).
    #[arg(long, value_name = "ID")]
    pub first_frame: Option<String>,
    /// The video's last frame (an image asset; not mixed with --asset).
    #[arg(long, value_name = "ID")]
    pub last_frame: Option<String>,
    /// What the video shows; name the references as "Image 1", "Video 1", "Audio 1".
    #[arg(long)]
    pub prompt: String,
    /// The model (the profile's [tasks] model, else the provider's Seedance 2.0).
    #[arg(long)]
    pub model: Option<String>,
    /// `16:9`, `9:16`, `1:1`, `adaptive`, … (the profile's [tasks] ratio, else 16:9).
    #[arg(long)]
    pub ratio: Option<String>,
    /// `480p`, `720p`, … (the profile's [tasks] resolution, else 720p).
    #[arg(long)]
    pub resolution: Option<String>,
    /// Seconds of video (4–15; 2.5: 4–30 or -1 for the model to choose).
    #[arg(long, allow_hyphen_values = true)]
    pub duration: Option<i64>,
    /// A video without sound.
    #[arg(long)]
    pub no_audio: bool,
    /// Wait until the task finishes.
    #[arg(long)]
    pub wait: bool,
    /// With --wait or --out, give up waiting after this many seconds.
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
    /// Download the video here once it is made (waits for it).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

impl From<TaskError> for Failure {
    fn from(e: TaskError) -> Self {
        let code = match &e {
            TaskError::NoDataPlane => EXIT_CONFIG,
            TaskError::Refused(_) => EXIT_INVALID,
            TaskError::Assets(api) => return api.clone().into(),
            _ => EXIT_FAILED,
        };
        Failure::new(code, e.to_string())
    }
}

/// Runs a `tasks` subcommand.
pub(crate) async fn run(ctx: &Ctx, cmd: TasksCmd) -> Result<u8, Failure> {
    ctx.catalog.seedance()?;
    match cmd {
        TasksCmd::Create(args) => create(ctx, args).await,
        TasksCmd::List { status } => {
            let tasks = ctx.catalog.list_tasks(status.as_deref()).await?;
            ctx.show(&tasks, |tasks| table(tasks));
            Ok(0)
        }
        TasksCmd::Get { id } => {
            let task = ctx.catalog.get_task(&id).await?;
            ctx.show(&task, detail);
            Ok(0)
        }
        TasksCmd::Wait { ids, timeout } => {
            let waited = wait(ctx, &ids, Duration::from_secs(timeout)).await?;
            ctx.show(&in_order(&waited, &ids), |tasks| show_waited(tasks, false));
            Ok(exit_code(&waited, &ids))
        }
        TasksCmd::Cancel { id } => {
            refuse_read_only(ctx)?;
            let task = ctx.catalog.cancel_task(&id).await?;
            ctx.show(&task, |t| {
                output::line(format_args!("{}  {}", text::visible(&t.id), t.status))
            });
            Ok(0)
        }
        TasksCmd::Download { id, out, force } => {
            let out = out.unwrap_or_else(|| crate::catalog::tasks::video_file(&id));
            let done = fetch(ctx, &id, &out, force).await?;
            ctx.show(&done, downloaded_line);
            Ok(0)
        }
    }
}

/// A task creates (and may bill), so a read-only profile refuses it.
fn refuse_read_only(ctx: &Ctx) -> Result<(), Failure> {
    if ctx.read_only {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "profile {} is read-only (--read-only or read_only = true): this command changes \
                 its tasks; nothing was sent",
                text::visible(&ctx.profile)
            ),
        ));
    }
    Ok(())
}

/// What `args` ask, the profile's `[tasks]` defaults filling what they leave out.
fn ask_of(args: &CreateArgs, defaults: &crate::config::TasksFile) -> TaskAsk {
    let strip = |id: &String| crate::api::model::strip_reference(id).to_owned();
    TaskAsk {
        assets: args.assets.iter().map(strip).collect(),
        first_frame: args.first_frame.as_ref().map(strip),
        last_frame: args.last_frame.as_ref().map(strip),
        prompt: args.prompt.clone(),
        model: args
            .model
            .clone()
            .or(defaults.model.clone())
            .unwrap_or_default(),
        ratio: Some(args.ratio.clone().unwrap_or(defaults.ratio.clone())),
        resolution: Some(
            args.resolution
                .clone()
                .unwrap_or(defaults.resolution.clone()),
        ),
        duration: Some(args.duration.unwrap_or(defaults.duration)),
        generate_audio: Some(!args.no_audio && defaults.generate_audio),
    }
}

/// `tasks create`: checked, the legend printed, created once, then waited for and
/// downloaded when asked.
async fn create(ctx: &Ctx, args: CreateArgs) -> Result<u8, Failure> {
    refuse_read_only(ctx)?;
    let ask = ask_of(&args, ctx.catalog.task_defaults());
    let plan = ctx.catalog.plan_task(&ask).await?;
    for warning in &plan.warnings {
        output::say(format_args!("warning: {}", text::visible(warning)));
    }
    for reference in &plan.legend {
        output::say(reference.line());
    }
    let submitted = ctx.catalog.create_task(&plan).await?;
    if submitted.looked_up {
        output::say(format_args!(
            "the create's answer was lost; the task was found in the recent tasks (sent once)"
        ));
    }
    let id = submitted.id.clone();
    if !args.wait && args.out.is_none() {
        ctx.show(
            &serde_json::json!({"id": id, "legend": plan.legend}),
            |_| output::line(text::visible(&id)),
        );
        return Ok(0);
    }
    output::say(format_args!(
        "created {}; waiting for it",
        text::visible(&id)
    ));
    let ids = std::slice::from_ref(&id);
    let waited = wait(ctx, ids, Duration::from_secs(args.timeout)).await?;
    let code = exit_code(&waited, ids);
    let downloaded = match &args.out {
        Some(out) if code == 0 => Some(fetch(ctx, &id, out, args.force).await?),
        _ => None,
    };
    let tasks = in_order(&waited, ids);
    if ctx.json {
        output::json(&serde_json::json!({
            "id": id, "legend": plan.legend, "task": tasks.first(), "download": downloaded,
        }));
    } else {
        show_waited(&tasks, downloaded.is_some());
        downloaded.iter().for_each(downloaded_line);
    }
    Ok(code)
}

/// Waits for `ids`, saying on stderr each change short of the end (a finished task's line is
/// the result's, printed once by [`show_waited`]).
async fn wait(ctx: &Ctx, ids: &[String], timeout: Duration) -> Result<Waited, Failure> {
    let poll = TaskPoll::every_seconds(ctx.catalog.task_defaults().poll_seconds);
    let mut changed = |t: &Task| {
        if !t.status.is_finished() {
            output::say(format_args!("{}  {}", text::visible(&t.id), t.status));
        }
    };
    Ok(ctx
        .catalog
        .wait_tasks(ids, timeout, poll, &mut changed)
        .await?)
}

/// The exit code of a wait: 0 when every task succeeded, 2 when it timed out, 1 else.
fn exit_code(waited: &Waited, ids: &[String]) -> u8 {
    let succeeded = |id: &String| {
        waited
            .tasks
            .get(id)
            .is_some_and(|t| t.status == TaskStatus::Succeeded)
    };
    if waited.timed_out {
        EXIT_TIMEOUT
    } else if ids.iter().all(succeeded) {
        0
    } else {
        EXIT_FAILED
    }
}

/// Prints the tasks waited for, a line each (a succeeded one's link expiry said unless it was
/// `downloaded`).
fn show_waited(tasks: &[&Task], downloaded: bool) {
    for t in tasks {
        let why = t
            .error
            .as_ref()
            .map(|e| format!("  {}: {}", e.code, e.message))
            .unwrap_or_default();
        output::line(format_args!(
            "{}  {}{}",
            text::visible(&t.id),
            t.status,
            text::visible(&why)
        ));
        if t.status == TaskStatus::Succeeded && !downloaded {
            output::say(format_args!(
                "{}: the video's link expires 24 h after the task finished: `ark-assets \
                 tasks download {}` before then",
                text::visible(&t.id),
                text::visible(&t.id)
            ));
        }
    }
}

/// The tasks of `ids` as waited for, in order.
fn in_order<'a>(waited: &'a Waited, ids: &[String]) -> Vec<&'a Task> {
    ids.iter().filter_map(|id| waited.tasks.get(id)).collect()
}

/// Downloads task `id`'s video to `out`, with a progress bar on a terminal.
async fn fetch(ctx: &Ctx, id: &str, out: &Path, force: bool) -> Result<Downloaded, Failure> {
    let bar = (std::io::stderr().is_terminal() && !ctx.json).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "[{bar:30}] {bytes}/{total_bytes} · {bytes_per_sec} · eta {eta}",
            )
            .expect("template is valid")
            .progress_chars("=> "),
        );
        bar
    });
    let progress = |written: u64, total: Option<u64>| {
        if let Some(bar) = &bar {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(written);
        }
    };
    let done = ctx.catalog.download_task(id, out, force, &progress).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(done?)
}

/// Where a video was written.
fn downloaded_line(d: &Downloaded) {
    output::line(format_args!("{} ({} bytes)", d.path.display(), d.bytes));
}

/// The tasks table.
fn table(tasks: &[Task]) {
    let columns = [
        output::Column {
            name: "ID",
            max: None,
        },
        output::Column {
            name: "STATUS",
            max: None,
        },
        output::Column {
            name: "MODEL",
            max: Some(32),
        },
        output::Column {
            name: "CREATED",
            max: None,
        },
        output::Column {
            name: "VIDEO",
            max: None,
        },
    ];
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.status.name().to_owned(),
                t.model.clone(),
                created(t),
                if t.video_url().is_some() {
                    "ready (24 h)"
                } else {
                    ""
                }
                .to_owned(),
            ]
        })
        .collect();
    output::table(&columns, &rows);
}

fn created(t: &Task) -> String {
    t.created_at
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| crate::times::Zone::Local.minute(t))
        .unwrap_or_default()
}

/// One task's fields.
fn detail(t: &Task) {
    let mut pairs = vec![
        ("id", t.id.clone()),
        ("status", t.status.name().to_owned()),
        ("model", t.model.clone()),
        ("created", created(t)),
    ];
    for (name, value) in [
        ("ratio", t.ratio.clone()),
        ("resolution", t.resolution.clone()),
        ("duration", t.duration.map(|d| format!("{d} s"))),
        (
            "error",
            t.error
                .as_ref()
                .map(|e| format!("{}: {}", e.code, e.message)),
        ),
        (
            "video",
            t.video_url().map(|_| {
                "ready: `tasks download` (the link expires 24 h after the task finished)".to_owned()
            }),
        ),
    ] {
        if let Some(value) = value {
            pairs.push((name, value));
        }
    }
    output::fields(&pairs);
}
