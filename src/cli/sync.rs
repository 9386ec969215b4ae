//! `sync DIR --group GROUP`: the catalog's sync plan printed (one line a step, and the
//! counts), then applied, creates through the import engine with its progress bar; the
//! report as a summary line, or `--json`.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use serde_json::json;

use super::output::confirm;
use super::progress::{progress_bar, show_events, wait_and_clean};
use super::resolve::resolve_group;
use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, MediaChecks, output};
use crate::catalog::GroupLookup;
use crate::catalog::groups::GroupError;
use crate::catalog::import::{Checks, reasons};
use crate::catalog::sync::{Counts, Plan, Step, SyncError, SyncOptions, SyncReport};
use crate::text::visible;

/// What `sync` is asked to do.
#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// The folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The group: its id, or its exact name.
    #[arg(long)]
    pub group: String,
    /// Create the group (of virtual portraits, named GROUP) when there is none. The global
    /// dialect, which cannot list, needs it for a label this machine's ledger knows no asset
    /// of (its first sync), so that another machine's label is not filled again.
    #[arg(long)]
    pub create_group: bool,
    /// Include the media files of sub-folders.
    #[arg(long, short)]
    pub recursive: bool,
    /// Follow links to folders and files outside DIR (they are left out otherwise, and
    /// listed).
    #[arg(long)]
    pub follow_links: bool,
    /// Delete the group's assets that match no file (listed in the plan; asks once at the
    /// terminal, and refuses without one unless --yes).
    #[arg(long)]
    pub delete: bool,
    /// Print the plan and change nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Do not ask before deleting (needed to delete where there is no terminal to ask at).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// With --delete: allow a plan that deletes every asset of the group (refused otherwise).
    #[arg(long, requires = "delete")]
    pub delete_all: bool,
    /// With --delete: refuse the deletion whole when it would delete more than N assets.
    #[arg(long, value_name = "N", requires = "delete")]
    pub max_delete: Option<usize>,
    /// Create again a file whose assets ended Failed twice already.
    #[arg(long)]
    pub retry_failed: bool,
    /// On an account with a known quota (the entry tier's 50 assets), create the files that
    /// fit instead of refusing every create.
    #[arg(long)]
    pub partial: bool,
    /// Read every file whole to hash it (otherwise a file whose size, times and inode are as
    /// when it was last read keeps the hash the ledger has for it).
    #[arg(long, short = 'c')]
    pub checksum: bool,
    /// Match by name even assets this ledger knows as another content (an asset it does not
    /// know is matched by name always; files are matched by content first).
    #[arg(long = "match", value_enum, value_name = "HOW")]
    pub match_by: Option<MatchBy>,
    #[command(flatten)]
    pub checks: MediaChecks,
}

/// How `sync` matches files to assets besides by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchBy {
    /// By name.
    Name,
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::List(e) => e.into(),
            SyncError::Create(e) => e.into(),
            SyncError::Import(e) => e.into(),
            SyncError::Folder { .. } | SyncError::UnknownLabel { .. } => {
                Failure::new(super::EXIT_INVALID, e.to_string())
            }
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

/// The group `text` names, made when there is none and `create` asks for it.
async fn group_id(ctx: &Ctx, text: &str, create: bool) -> Result<String, Failure> {
    if !create {
        return Ok(resolve_group(ctx, text).await?.id);
    }
    match ctx.catalog.group(text).await {
        Ok(group) => Ok(group.id),
        Err(GroupLookup::Missing(..)) => match ctx.catalog.group_made_once(text, None).await {
            Ok((id, made)) => {
                let how = if made {
                    "created"
                } else {
                    "another run created"
                };
                output::say(format_args!(
                    "{how} group {} ({})",
                    visible(text),
                    visible(&id)
                ));
                Ok(id)
            }
            // Several groups of the name: the look-up's answer, without the advice of
            // `groups create`.
            Err(e @ GroupError::Exists { .. }) => Err(Failure::new(EXIT_INVALID, e.to_string())),
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(super::resolve::lookup_failure(e)),
    }
}

pub(super) async fn run(ctx: &Ctx, args: SyncArgs) -> Result<u8, Failure> {
    let checks = Checks {
        remote: None,
        policy: args.checks.policy(),
        fit: args.checks.fit,
    };
    let opts = SyncOptions {
        recursive: args.recursive,
        follow_links: args.follow_links,
        delete: args.delete,
        delete_all: args.delete_all,
        max_delete: args.max_delete,
        match_names: args.match_by == Some(MatchBy::Name),
        retry_failed: args.retry_failed,
        checksum: args.checksum,
        checks: checks.clone(),
        new_group: args.create_group,
    };
    let group = group_id(ctx, &args.group, args.create_group && !args.dry_run).await?;
    let plan = ctx.catalog.plan_sync(&group, &args.dir, &opts).await?;
    let refusal = plan.delete_refusal(&opts);
    if args.dry_run {
        show_plan(ctx, &plan, refusal.as_deref());
        let clean = plan.refused.is_empty() && refusal.is_none();
        return Ok(if clean { 0 } else { EXIT_FAILED });
    }
    if let Some(why) = refusal {
        return Err(Failure::new(EXIT_INVALID, why));
    }
    if !ctx.json {
        plan.steps
            .iter()
            .filter_map(step_line)
            .for_each(output::line);
        say_held_back(&plan);
    }
    let Some(plan) = confirmed(ctx, &args, &opts, plan).await? else {
        output::say("nothing was changed");
        return Ok(EXIT_FAILED);
    };
    let bar = progress_bar(ctx.json);
    let report = ctx
        .catalog
        .apply_sync(
            plan.fitting(args.partial),
            checks,
            show_events(bar.clone(), ctx.json),
        )
        .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if report.created.iter().any(|d| d.sha256.is_some()) {
        wait_and_clean(ctx).await?;
    }
    show_report(ctx, &report);
    Ok(if report.is_complete() { 0 } else { EXIT_FAILED })
}

/// The plan to apply once its deletions are agreed to: at once when it deletes nothing or
/// `--yes` says so; else after a yes at the terminal, planned again (the folder or the group
/// may have changed while the question waited), and refused when it would now delete anything
/// the question did not name. `None` when the answer was no.
async fn confirmed(
    ctx: &Ctx,
    args: &SyncArgs,
    opts: &SyncOptions,
    plan: Plan,
) -> Result<Option<Plan>, Failure> {
    let doomed = plan.doomed().len();
    if doomed == 0 || args.yes {
        return Ok(Some(plan));
    }
    let noun = if doomed == 1 { "asset" } else { "assets" };
    let question = format!("Delete {doomed} {noun} of the group that match no file?");
    if !confirm(&question)? {
        return Ok(None);
    }
    let (again, held_back) = ctx.catalog.plan_again(&plan, opts).await?;
    if held_back > 0 || again.delete_refusal(opts).is_some() {
        return Err(Failure::new(
            EXIT_FAILED,
            "the folder or the group changed while the question waited, and the plan now \
             deletes assets it did not name; nothing was changed: run the sync again",
        ));
    }
    Ok(Some(again))
}

/// What the plan leaves out or holds back, on stderr: files that are not media, paths that
/// could not be read, and what it will not do.
fn say_held_back(plan: &Plan) {
    for r in &plan.left_out {
        output::say(format_args!("left out  {r}"));
    }
    for r in &plan.refused {
        output::say(format_args!("refused   {r}"));
    }
    for note in &plan.notes {
        output::say(format_args!("note: {note}"));
    }
}

/// How a step reads in the plan: `--delete` named for the assets it would delete; `None` for
/// an unchanged file (the counts say how many).
fn step_line(step: &Step) -> Option<String> {
    match step {
        Step::Unchanged { .. } | Step::Duplicate { .. } => None,
        Step::Extra { delete: false, .. } => Some(format!("{}; --delete deletes it", step.line())),
        _ => Some(step.line()),
    }
}

/// The counts as the summary says them.
fn counts_line(c: &Counts, refused: usize) -> String {
    let extra = if c.extra > 0 {
        format!(", {} not in the folder (kept)", c.extra)
    } else {
        String::new()
    };
    format!(
        "{} to create, {} to rename, {} to delete, {} unchanged, {refused} refused{extra}",
        c.create, c.rename, c.delete, c.unchanged
    )
}

/// One plan row as `--json` shows it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlanRow {
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
}

fn plan_row(step: &Step) -> PlanRow {
    let file = |p: &std::path::Path| Some(p.display().to_string());
    let row = |action, file, id: Option<&String>, name: Option<&String>| PlanRow {
        action,
        file,
        id: id.cloned(),
        name: name.cloned(),
        from: None,
        why: None,
    };
    match step {
        Step::Create { file: f, name } => row("create", file(f), None, Some(name)),
        Step::Rename {
            file: f, change, ..
        } => PlanRow {
            from: Some(change.from.clone()),
            ..row("rename", file(f), Some(&change.id), Some(&change.to))
        },
        Step::Unchanged { file: f, id, .. } => row("unchanged", file(f), Some(id), None),
        Step::Duplicate { file: f, of } => PlanRow {
            from: file(of),
            ..row("duplicate", file(f), None, None)
        },
        Step::Extra {
            id,
            name,
            delete: true,
        } => row("delete", None, Some(id), Some(name)),
        Step::Extra { id, name, .. } => row("extra", None, Some(id), Some(name)),
        Step::Kept { id, name, why } => PlanRow {
            why: Some(why.clone()),
            ..row("keep", None, Some(id), Some(name))
        },
        Step::Recreate {
            file: f,
            name,
            failed,
            why,
        } => PlanRow {
            why: Some(why.clone()),
            ..row("recreate", file(f), Some(failed), Some(name))
        },
        Step::Busy {
            file: f,
            name,
            owner,
        } => PlanRow {
            why: Some(format!("{owner} is creating it")),
            ..row("wait", file(f), None, Some(name))
        },
    }
}

/// The plan of `--dry-run`: every step (unchanged ones too), what is left out, refused and
/// held back, and the counts.
fn show_plan(ctx: &Ctx, plan: &Plan, refusal: Option<&str>) {
    let counts = plan.counts();
    if ctx.json {
        let rows: Vec<PlanRow> = plan.steps.iter().map(plan_row).collect();
        output::json(&json!({
            "DryRun": true, "Create": counts.create, "Rename": counts.rename,
            "Delete": counts.delete, "Unchanged": counts.unchanged, "Extra": counts.extra,
            "Refused": reasons::to_json(&plan.refused, reasons::INVALID),
            "LeftOut": reasons::to_json(&plan.left_out, reasons::LEFT_OUT), "Notes": plan.notes,
            "DeleteRefused": refusal, "Rows": rows,
        }));
        return;
    }
    for step in &plan.steps {
        output::line(step_line(step).unwrap_or_else(|| step.line()));
    }
    say_held_back(plan);
    if let Some(why) = refusal {
        output::say(format_args!("refused: {why}"));
    }
    let line = counts_line(&counts, plan.refused.len());
    output::say(format_args!("dry run: {line}; nothing was changed"));
}

/// What the sync did: the refused and failed steps on stderr, then the summary.
fn show_report(ctx: &Ctx, report: &SyncReport) {
    for r in report.refused.iter().chain(&report.failed) {
        output::say(r);
    }
    for r in &report.kept {
        output::say(format_args!("kept {r}"));
    }
    let summary = format!(
        "{} created, {} renamed, {} deleted, {} unchanged, {} refused{}",
        report.created.len(),
        report.renamed.len(),
        report.deleted.len(),
        report.unchanged,
        report.refused.len(),
        match report.failed.len() {
            0 => String::new(),
            n => format!(", {n} failed"),
        }
    );
    if !ctx.json {
        return output::line(&summary);
    }
    let mut rows: Vec<serde_json::Value> = Vec::new();
    for d in &report.created {
        rows.push(json!({"Action": "created", "File": d.source, "Id": d.id, "Name": d.name}));
    }
    for r in &report.renamed {
        rows.push(json!({"Action": "renamed", "Id": r.id, "From": r.from, "To": r.to}));
    }
    for d in &report.deleted {
        rows.push(json!({"Action": "deleted", "Id": d.id, "Name": d.name}));
    }
    output::json(&json!({
        "Created": report.created.len(), "Renamed": report.renamed.len(),
        "Deleted": report.deleted.len(), "Unchanged": report.unchanged,
        "Refused": reasons::to_json(&report.refused, reasons::INVALID),
        "Failed": reasons::to_json(&report.failed, reasons::FAILED),
        "Kept": reasons::to_json(&report.kept, reasons::KEPT), "Rows": rows,
    }));
}
