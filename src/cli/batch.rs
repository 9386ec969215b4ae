//! Commands over many assets at once: `assets delete ID...` (or `-`, ids on standard input)
//! and `assets rename --group GROUP --editor`. Each asks once at the terminal where it
//! deletes, lets the client pace its requests, and reports every asset.

use futures::StreamExt;
use serde_json::json;

use super::output::listed;
use super::resolve::resolve_group;
use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::api::AssetsApi;
use crate::api::model::{AssetError, AssetFilter, strip_reference};
use crate::catalog::changes::{self, Deletion};
use crate::catalog::rename;
use crate::config::Env;
use crate::text::visible;
use crate::validate;

/// The ids of `args`, `-` read from standard input (one a line; blank lines and `#` comments
/// skipped), each checked: any bad one refuses them all before anything is sent.
fn ids_of(args: &[String]) -> Result<Vec<String>, Failure> {
    let mut ids = Vec::new();
    for arg in args {
        if arg != "-" {
            ids.push(arg.clone());
            continue;
        }
        for line in super::standard_input()?.lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                ids.push(strip_reference(line).to_owned());
            }
        }
    }
    for id in &ids {
        validate::asset_id(id)?;
    }
    Ok(ids)
}

/// What the delete question adds about assets of `ids` Seedance used in the last day (read
/// with GetAsset, a few at a time; none asked when `yes` skips the question).
async fn recently_used(ctx: &Ctx, ids: &[String], yes: bool) -> String {
    if yes {
        return String::new();
    }
    let now = chrono::Utc::now();
    let used: Vec<(String, String)> = futures::stream::iter(ids)
        .map(|id| async move {
            let asset = ctx.api().get_asset(id).await.ok()?;
            Some((
                id.clone(),
                changes::recent_use(asset.last_inference_time, now)?,
            ))
        })
        .buffered(8)
        .filter_map(std::future::ready)
        .collect()
        .await;
    match used.as_slice() {
        [] => String::new(),
        [(_, why)] if ids.len() == 1 => format!(" It was {why}."),
        [(id, why)] => format!(" {} was {why}.", visible(id)),
        _ => format!(" {}.", changes::recent_uses(used.len()).unwrap_or_default()),
    }
}

/// `assets delete ID...`: asks once at the terminal (unless `yes`), deletes each id once, a
/// few at a time, and reports each: deleted, not found, held by another run, or failed. Exit 1
/// when any was not deleted, but for ids not found when `ignore_missing` accepts them.
pub(super) async fn delete(
    ctx: &Ctx,
    args: &[String],
    (yes, ignore_missing): (bool, bool),
) -> Result<u8, Failure> {
    let ids = changes::distinct(ids_of(args)?);
    if ids.is_empty() {
        return Err(Failure::new(EXIT_INVALID, "no asset ids were given"));
    }
    let noun = if ids.len() == 1 { "asset" } else { "assets" };
    let question = format!(
        "Delete {} {noun}?{}",
        ids.len(),
        recently_used(ctx, &ids, yes).await
    );
    if !yes && !output::confirm(&question)? {
        output::say("nothing was deleted");
        return Ok(EXIT_FAILED);
    }
    let mut results = std::pin::pin!(ctx.catalog.delete_assets(ids, &|_: &str| None));
    let mut outcomes = Vec::new();
    while let Some((id, outcome)) = results.next().await {
        let shown = visible(&id);
        if !ctx.json {
            match &outcome {
                Deletion::Deleted | Deletion::NotFound => {
                    output::line(format_args!("{} {shown}", outcome.word()));
                }
                Deletion::Held(why) => output::say(format_args!("held {shown}: {why}")),
                Deletion::Failed(e) => output::say(format_args!("error: {shown}: {e}")),
            }
        }
        outcomes.push((id, outcome));
    }
    let report: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|(id, o)| json!({ "Id": id, "Result": o.word(), "Error": o.error() }))
        .collect();
    match (ctx.json, report.as_slice()) {
        // One id given: one object, as `assets delete ID` has always printed.
        (true, [one]) if args.len() == 1 && args[0] != "-" => output::json(one),
        (true, _) => output::json(&report),
        (false, _) => {}
    }
    let count = |word: &str| outcomes.iter().filter(|(_, o)| o.word() == word).count();
    let (deleted, missing) = (count("deleted"), count("not found"));
    let (held, failed) = (count("held"), count("failed"));
    if deleted < outcomes.len() {
        let accept = if missing > 0 && !ignore_missing {
            " (mistyped, or deleted already: --ignore-missing accepts ids that are not found)"
        } else {
            ""
        };
        output::say(format_args!(
            "{deleted} deleted, {missing} not found{accept}, {held} held by another run, \
             {failed} failed"
        ));
    }
    let missed = missing > 0 && !ignore_missing;
    Ok(if missed || held > 0 || failed > 0 {
        EXIT_FAILED
    } else {
        0
    })
}

/// `assets rename --group GROUP --editor`: the group's names in the user's editor; only the
/// changed ones are sent. A broken edit (an id changed, a line lost or added, a name the
/// rules refuse) is refused whole, each problem named by its line (exit 3).
pub(super) async fn rename_in_editor(ctx: &Ctx, group: &str, env: &Env) -> Result<u8, Failure> {
    let group = resolve_group(ctx, group).await?;
    let listing = ctx.catalog.assets(&AssetFilter::group(&group.id)).await?;
    listed(&listing)?;
    let assets: Vec<rename::Named> = listing.items.iter().map(rename::Named::from).collect();
    if assets.is_empty() {
        output::say(format_args!(
            "group {} holds no assets",
            visible(&group.name)
        ));
        return Ok(0);
    }
    let changes = rename::edit_names(&assets, env).map_err(|refused| match refused {
        rename::EditRefused::Editor(e) => Failure::new(EXIT_FAILED, e.to_string()),
        rename::EditRefused::Lines(problems) => Failure::new(
            EXIT_INVALID,
            format!(
                "the edit was not used; nothing was sent:\n{}",
                problems.lines().join("\n")
            ),
        ),
    })?;
    let unchanged = assets.len() - changes.len();
    let mut report = Vec::new();
    let mut failed = 0;
    for (change, result) in ctx.catalog.rename_all(changes.clone()).await {
        if !ctx.json {
            match &result {
                Ok(()) => output::line(format_args!(
                    "renamed {}: {} → {}",
                    visible(&change.id),
                    visible(&change.from),
                    visible(&change.to)
                )),
                Err(e) => output::say(format_args!("error: {}: {e}", visible(&change.id))),
            }
        }
        failed += usize::from(result.is_err());
        report.push(json!({
            "Id": change.id, "From": change.from, "To": change.to,
            "Error": result.err().map(|e| AssetError::new(e.code.clone(), e.to_string())),
        }));
    }
    if ctx.json {
        output::json(&report);
    }
    output::say(format_args!(
        "{} renamed, {unchanged} unchanged, {failed} failed",
        changes.len() - failed
    ));
    Ok(if failed > 0 { EXIT_FAILED } else { 0 })
}
