//! Commands over many assets at once: `assets delete ID...` (or `-`, ids on standard input)
//! and `assets rename --group GROUP --editor`. Each asks once on a terminal where it deletes,
//! lets the client pace its requests, and reports every asset.

use std::io::{BufRead, IsTerminal, Write};

use futures::StreamExt;
use serde_json::json;

use super::assets::resolve_group;
use super::groups::listed;
use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::api::AssetsApi;
use crate::api::model::{AssetFilter, strip_reference};
use crate::catalog::rename;
use crate::config::Env;
use crate::text::visible;
use crate::validate;

/// Asks `question` on the terminal (`/dev/tty`, so it works when standard input is a pipe);
/// true when the answer starts with `y`. Without a terminal there is no one to ask: true.
pub(super) fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stderr().is_terminal() {
        return Ok(true);
    }
    let Ok(tty) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    else {
        return Ok(true);
    };
    let mut writer = &tty;
    write!(writer, "{} [y/N] ", visible(question))?;
    writer.flush()?;
    let mut answer = String::new();
    std::io::BufReader::new(&tty).read_line(&mut answer)?;
    Ok(answer.trim_start().starts_with(['y', 'Y']))
}

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
    ids.dedup();
    Ok(ids)
}

/// `assets delete ID...`: asks once on a terminal (unless `yes`), deletes a few at a time,
/// reports each (an asset already gone counts as deleted); exit 1 if any could not be.
pub(super) async fn delete(ctx: &Ctx, args: &[String], yes: bool) -> Result<u8, Failure> {
    let ids = ids_of(args)?;
    if ids.is_empty() {
        return Err(Failure::new(EXIT_INVALID, "no asset ids were given"));
    }
    let noun = if ids.len() == 1 { "asset" } else { "assets" };
    if !yes && !confirm(&format!("Delete {} {noun}?", ids.len()))? {
        output::say("nothing was deleted");
        return Ok(EXIT_FAILED);
    }
    let api = ctx.api();
    let mut results = futures::stream::iter(&ids)
        .map(|id| async move { (id, api.delete_asset(id).await) })
        .buffered(8);
    let mut report = Vec::new();
    let mut failed = 0;
    while let Some((id, result)) = results.next().await {
        let (word, error) = match result {
            Ok(()) => ("deleted", None),
            Err(e) if e.is_not_found() => ("gone", None),
            Err(e) => {
                failed += 1;
                ("failed", Some(e.to_string()))
            }
        };
        if !ctx.json {
            match (word, &error) {
                ("gone", _) => output::line(format_args!("gone {} (already deleted)", visible(id))),
                (_, None) => output::line(format_args!("{word} {}", visible(id))),
                (_, Some(why)) => output::say(format_args!("error: {}: {why}", visible(id))),
            }
        }
        report.push(json!({ "Id": id, "Result": word, "Error": error }));
    }
    match (ctx.json, report.as_slice()) {
        // One id given: one object, as `assets delete ID` has always printed.
        (true, [one]) if args.len() == 1 && args[0] != "-" => output::json(one),
        (true, _) => output::json(&report),
        (false, _) => {}
    }
    Ok(if failed > 0 { EXIT_FAILED } else { 0 })
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
    let edited = crate::programs::edit(&rename::buffer(&assets), "tsv", env)
        .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
    let changes = rename::changes(&assets, &edited).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failure::new(
            EXIT_INVALID,
            format!(
                "the edit was not used; nothing was sent:\n{}",
                lines.join("\n")
            ),
        )
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
            "Error": result.err().map(|e| e.to_string()),
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
