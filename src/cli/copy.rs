//! `copy GROUP --to PROFILE`: the catalog's copy plan printed (one line a step, and the
//! counts), then applied into the destination through its import engine with the import's
//! progress bar; deletes (`--delete`) only on a yes at the terminal or `--yes`.

use clap::Args;
use serde_json::json;

use super::output::confirm;
use super::progress::{progress_bar, show_events, wait_and_clean};
use super::{Ctx, EXIT_CONFIG, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::catalog::Catalog;
use crate::catalog::copy::{CopyError, CopyOptions, CopyPlan, CopyReport, CopyStep, Target};
use crate::catalog::import::Checks;
use crate::config::Config;
use crate::text::visible;

/// What `copy` is asked to do.
#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The group: its id, or its exact name.
    pub group: String,
    /// The destination profile (default: this one, into another project or group).
    #[arg(long, value_name = "PROFILE")]
    pub to: Option<String>,
    /// The destination project (domestic; default: the destination profile's).
    #[arg(long, value_name = "PROJECT")]
    pub to_project: Option<String>,
    /// The destination group's name (default: the source group's; made when there is none,
    /// with the source's description).
    #[arg(long, value_name = "NAME")]
    pub to_group: Option<String>,
    /// Download each file here and upload it through the destination profile's object
    /// storage, for a destination that cannot reach the source's links.
    #[arg(long)]
    pub via_storage: bool,
    /// Print the plan and change nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Delete the destination group's assets that no source asset matches (listed in the plan;
    /// asks once at the terminal, and refuses without one unless --yes).
    #[arg(long)]
    pub delete: bool,
    /// Do not ask before deleting.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl From<CopyError> for Failure {
    fn from(e: CopyError) -> Self {
        match e {
            CopyError::Lookup(e) => super::resolve::lookup_failure(e),
            CopyError::List(e) => e.into(),
            CopyError::Group(e) => e.into(),
            CopyError::Import(e) => e.into(),
            CopyError::RealPerson(_) | CopyError::Itself => {
                Failure::new(EXIT_INVALID, e.to_string())
            }
            CopyError::NoStorage => Failure::new(EXIT_CONFIG, e.to_string()),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

/// The destination: another profile of the config file (`--to`), or this one, scoped to
/// `--to-project` when given; refused, before anything is sent, when it is read-only (its
/// `read_only = true`, or `--read-only`) and the copy would change it.
fn destination(ctx: &Ctx, args: &CopyArgs) -> Result<Catalog, Failure> {
    let (catalog, name, read_only) = match &args.to {
        None => {
            let catalog = match &args.to_project {
                Some(p) => ctx.catalog.with_project(Some(p.clone())),
                None => ctx.catalog.clone(),
            };
            (catalog, ctx.profile.clone(), ctx.read_only)
        }
        Some(_) if ctx.demo.is_some() => {
            return Err(Failure::new(
                EXIT_INVALID,
                "the demo has one account: copy within it with --to-group or --to-project",
            ));
        }
        Some(profile) => {
            let config = Config::load(ctx.config.as_deref(), ctx.env.clone())?;
            let opened = crate::open::profile(&config, Some(profile), args.to_project.as_deref())?;
            let read_only = opened.read_only || ctx.read_only_asked;
            (opened.catalog, opened.name, read_only)
        }
    };
    if read_only && !args.dry_run {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "profile {} is read-only (--read-only or read_only = true): a copy changes its \
                 assets; nothing was sent",
                visible(&name)
            ),
        ));
    }
    Ok(catalog)
}

pub(super) async fn run(ctx: &Ctx, args: CopyArgs) -> Result<u8, Failure> {
    let to = destination(ctx, &args)?;
    let opts = CopyOptions {
        to_group: args.to_group.clone(),
        delete: args.delete,
        via_storage: args.via_storage,
        checks: Checks {
            remote: Some(ctx.check),
            ..Checks::default()
        },
        only: None,
    };
    let plan = ctx.catalog.plan_copy(&args.group, &to, &opts).await?;
    if args.dry_run {
        show_plan(ctx, &plan);
        return Ok(0);
    }
    if !ctx.json {
        plan.steps
            .iter()
            .filter(|s| !matches!(s, CopyStep::Unchanged { .. }))
            .for_each(|s| output::line(s.line()));
    }
    let doomed = plan.doomed().len();
    if doomed > 0 && !args.yes {
        let noun = if doomed == 1 { "asset" } else { "assets" };
        let question = format!(
            "Delete {doomed} {noun} of the destination group that no source asset matches?"
        );
        if !confirm(&question)? {
            output::say("nothing was changed");
            return Ok(EXIT_FAILED);
        }
    }
    let bar = progress_bar(ctx.json);
    let report = ctx
        .catalog
        .apply_copy(plan, &to, &opts, show_events(bar.clone(), ctx.json))
        .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if report.import.created.iter().any(|d| d.sha256.is_some()) {
        let at = Ctx {
            catalog: to,
            json: ctx.json,
            profile: args.to.clone().unwrap_or_else(|| ctx.profile.clone()),
            check: ctx.check,
            read_only: false,
            read_only_asked: false,
            env: ctx.env.clone(),
            config: ctx.config.clone(),
            demo: None,
        };
        wait_and_clean(&at).await?;
    }
    show_report(ctx, &report);
    Ok(if report.is_complete() { 0 } else { EXIT_FAILED })
}

/// The counts as the summary says them.
fn counts_line(plan: &CopyPlan) -> String {
    let [create, unchanged, skipped, delete, extra] = plan.counts();
    let kept = match extra {
        0 => String::new(),
        n => format!(", {n} only in the destination (kept)"),
    };
    format!(
        "{create} to create, {unchanged} unchanged, {delete} to delete, {skipped} not Active \
         (skipped){kept}"
    )
}

/// The plan of `--dry-run`: the groups, every step and the counts.
fn show_plan(ctx: &Ctx, plan: &CopyPlan) {
    let into = match &plan.target {
        Target::Existing(g) => format!("group {} ({})", visible(&g.name), visible(&g.id)),
        Target::New { name, .. } => format!("a new group {}", visible(name)),
    };
    if ctx.json {
        let [create, unchanged, skipped, delete, extra] = plan.counts();
        output::json(&json!({
            "DryRun": true, "Source": plan.source.id, "Target": plan.target,
            "Create": create, "Unchanged": unchanged, "Skipped": skipped, "Delete": delete,
            "Extra": extra, "Steps": plan.steps,
        }));
        return;
    }
    output::say(format_args!(
        "copy of group {} ({}) into {into}",
        visible(&plan.source.name),
        visible(&plan.source.id)
    ));
    for step in &plan.steps {
        output::line(step.line());
    }
    output::say(format_args!(
        "dry run: {}; nothing was changed",
        counts_line(plan)
    ));
}

/// What the copy did: failures on stderr, then the summary (or the report with `--json`).
fn show_report(ctx: &Ctx, report: &CopyReport) {
    let import = &report.import;
    for r in import
        .invalid
        .iter()
        .chain(&import.failed)
        .chain(&report.failed)
    {
        output::say(r);
    }
    if ctx.json {
        return output::json(report);
    }
    output::line(format_args!(
        "{} created, {} already there, {} deleted, {} invalid, {} failed (group {}{})",
        import.created.len() + import.by_other_run.len(),
        import.already.len(),
        report.deleted.len(),
        import.invalid.len(),
        import.failed.len() + report.failed.len(),
        visible(&report.group),
        if report.group_created {
            ", made by this copy"
        } else {
            ""
        }
    ));
}
