//! `assets list|get|create|rename|delete`.

use super::groups::{done, listed};
use std::sync::Arc;

use super::{AssetsCmd, Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output, wait};
use crate::api::AssetsApi;
use crate::api::model::*;
use crate::catalog::GroupLookup;
use crate::catalog::upload::LocalFile;
use crate::catalog::{CreateError, Intent, MadeBy};
use crate::ledger;
use crate::media::fit::FitMode;
use crate::media::{self, Media, MediaKind, Policy};
use crate::validate;

pub(super) async fn run(ctx: &Ctx, cmd: AssetsCmd) -> Result<u8, Failure> {
    let api = ctx.api();
    match cmd {
        AssetsCmd::List {
            group,
            status,
            name,
            kind,
        } => {
            let group = match group {
                Some(text) => Some(resolve_group(ctx, &text).await?),
                None => None,
            };
            let filter = AssetFilter {
                group_ids: group.map(|g| vec![g.id]),
                statuses: (!status.is_empty()).then(|| status.clone()),
                name: name.clone(),
                group_type: None,
            };
            let listing = ctx.catalog.assets(&filter).await?;
            let complete = listed(&listing);
            let mut assets = listing.items;
            assets.retain(|a| status.is_empty() || status.contains(&a.status));
            if let Some(n) = &name {
                assets.retain(|a| a.name.contains(n.as_str()));
            }
            if let Some(kind) = kind {
                assets.retain(|a| a.asset_type.eq_ignore_ascii_case(kind.asset_type()));
            }
            ctx.show(&assets, |v| output::assets(v));
            complete.map(|()| 0)
        }
        AssetsCmd::Get { id, probe } => {
            validate::id("Id", &id)?;
            let a = api.get_asset(&id).await?;
            if !probe {
                ctx.show(&a, output::asset);
                return Ok(0);
            }
            let probed = probe_asset(ctx, &a).await?;
            let fields = probed.fields();
            if ctx.json {
                let mut value = serde_json::to_value(&a).unwrap_or_default();
                let probe: serde_json::Map<String, serde_json::Value> = fields
                    .into_iter()
                    .map(|(k, v)| (pascal_case(k), v.into()))
                    .collect();
                value["Probe"] = probe.into();
                output::json(&value);
            } else {
                output::asset(&a);
                output::fields(&fields);
            }
            Ok(0)
        }
        AssetsCmd::Create {
            group,
            url,
            file,
            name,
            allow_duplicates,
            wait: and_wait,
            timeout,
            no_check,
            checks,
        } => {
            let group = resolve_group(ctx, &group).await?.id;
            let policy = checks.policy();
            let report = match file {
                Some(path) => {
                    let opts = FileCreate {
                        group: &group,
                        path: &path,
                        name,
                        allow_duplicates,
                        policy,
                        fit: checks.fit,
                    };
                    create_from_file(ctx, opts).await?
                }
                None => {
                    let url = url.unwrap_or_default();
                    create_from_url(ctx, &group, &url, name, policy, !no_check).await?
                }
            };
            for w in &report.warnings {
                output::say(format_args!(
                    "warning: {}: {}",
                    crate::text::visible(&report.source),
                    crate::text::visible(w)
                ));
            }
            if and_wait {
                let id = report.id.clone();
                let code = wait::run(ctx, &[id], std::time::Duration::from_secs(timeout)).await?;
                clean_uploads(ctx).await?;
                return Ok(code);
            }
            ctx.show(&report, |r| output::line(crate::text::visible(&r.id)));
            Ok(0)
        }
        AssetsCmd::Rename { id, name } => {
            validate::id("Id", &id)?;
            validate::name(&name, true)?;
            api.update_asset(&UpdateAsset {
                id: id.clone(),
                name,
            })
            .await?;
            done(ctx, "renamed", &id);
            Ok(0)
        }
        AssetsCmd::Delete { id } => {
            validate::id("Id", &id)?;
            api.delete_asset(&id).await?;
            done(ctx, "deleted", &id);
            Ok(0)
        }
        AssetsCmd::Retry { ids, delete_failed } => retry(ctx, &ids, delete_failed).await,
    }
}

/// `assets retry`: each Failed asset created again (and, with `--delete-failed`, the Failed one
/// deleted after); one line or JSON object per asset; exit 1 if any could not be.
async fn retry(ctx: &Ctx, ids: &[String], delete_failed: bool) -> Result<u8, Failure> {
    for id in ids {
        validate::id("Id", id)?;
    }
    let mut failures = 0;
    for id in ids {
        let outcome = match ctx.catalog.retry(id).await {
            Ok(new) if delete_failed => match ctx.api().delete_asset(id).await {
                Ok(()) => Ok((new, true)),
                Err(e) => Err(format!("created again as {new}, but not deleted: {e}")),
            },
            Ok(new) => Ok((new, false)),
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok((new, deleted)) => {
                let value = serde_json::json!({ "Id": id, "NewId": new, "Deleted": deleted });
                ctx.show(&value, |_| {
                    let gone = if deleted {
                        "; the Failed one deleted"
                    } else {
                        ""
                    };
                    output::line(format_args!(
                        "{} created again as {}{gone}",
                        crate::text::visible(id),
                        crate::text::visible(&new)
                    ))
                });
            }
            Err(why) => {
                failures += 1;
                output::say(format_args!(
                    "error: {}: {}",
                    crate::text::visible(id),
                    crate::text::visible_lines(&why)
                ));
            }
        }
    }
    Ok(if failures > 0 { EXIT_FAILED } else { 0 })
}

/// The group `text` names: its id, or its exact name (global dialect: a label). None is an
/// error naming what was looked for (exit 1); a name several groups share is refused with
/// their ids (exit 3).
pub(super) async fn resolve_group(ctx: &Ctx, text: &str) -> Result<AssetGroup, Failure> {
    validate::id("GroupId", text)?;
    ctx.catalog.group(text).await.map_err(|e| match e {
        GroupLookup::List(e) => Failure::from(e),
        GroupLookup::Missing(..) => Failure::new(EXIT_FAILED, e.to_string()),
        GroupLookup::Ambiguous(..) => Failure::new(EXIT_INVALID, e.to_string()),
    })
}

/// `Frame rate` → `FrameRate`: the JSON key of a probed field.
fn pascal_case(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// Probes the file behind an asset's URL.
async fn probe_asset(ctx: &Ctx, a: &Asset) -> Result<Media, Failure> {
    if a.url.is_empty() {
        return Err(Failure::new(
            EXIT_FAILED,
            format!(
                "asset {} has no URL to probe (it is {})",
                crate::text::visible(&a.id),
                a.status
            ),
        ));
    }
    let url = validate::url(&a.url)?;
    let http = validate::check_client(ctx.check);
    media::probe_url(&http, &url, ctx.check)
        .await
        .map(|p| p.media)
        .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))
}

/// Refuses with every broken rule, one a line.
fn refused(problems: &[validate::Invalid]) -> Failure {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Failure::new(EXIT_INVALID, lines.join("\n"))
}

/// Creates an asset from `url`, checked under `policy` when `check`; unchecked, it is sent as
/// the declared type (default: image).
async fn create_from_url(
    ctx: &Ctx,
    group: &str,
    url: &str,
    name: Option<String>,
    policy: Policy,
    check: bool,
) -> Result<Report, Failure> {
    let parsed = validate::url(url)?;
    let name = name.unwrap_or_else(|| ledger::default_name(url));
    validate::name(&name, false)?;
    if let Some(w) = validate::url_warning(&parsed) {
        output::say(format_args!("warning: {}", crate::text::visible(&w)));
    }
    let (kind, warnings) = if check {
        let http = validate::check_client(ctx.check);
        let checked = media::check_url(&http, &parsed, ctx.check, &policy)
            .await
            .map_err(|p| refused(&p))?;
        (checked.media.kind(), checked.warnings)
    } else {
        (policy.declared.unwrap_or(MediaKind::Image), Vec::new())
    };
    let req = CreateAsset::of(kind, group, url, Some(name));
    let key = ledger::one_off_key("cli");
    let intent = Intent::new(&key, group);
    let id = ctx.catalog.create_once(&intent, &req).await?.id;
    Ok(Report {
        source: url.to_owned(),
        asset_type: kind.asset_type(),
        sha256: None,
        bytes: None,
        id,
        status: "created",
        warnings,
    })
}

/// What `assets create --file` was asked to do.
struct FileCreate<'a> {
    group: &'a str,
    path: &'a std::path::Path,
    name: Option<String>,
    allow_duplicates: bool,
    policy: Policy,
    fit: Option<FitMode>,
}

/// What `assets create` did, as `--json` prints it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Report {
    /// The file or URL.
    pub source: String,
    /// `Image`, `Video` or `Audio`.
    pub asset_type: &'static str,
    /// sha256 of a file's content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// A file's size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The asset.
    pub id: String,
    /// `created`, or `existing` when the group already had this content.
    pub status: &'static str,
    /// Model rules broken (and names that lie about the content), one line each.
    pub warnings: Vec<String>,
}

async fn create_from_file(ctx: &Ctx, opts: FileCreate<'_>) -> Result<Report, Failure> {
    let storage = ctx.catalog.storage().ok_or(CreateError::NoStorage)?;
    let file = LocalFile::inspect_fitting(opts.path, &opts.policy, opts.fit)
        .await
        .map_err(|p| refused(&p))?;
    let name = opts.name.unwrap_or_else(|| file.default_name());
    validate::name(&name, false)?;
    storage.check_bucket().await?;
    let outcome = ctx
        .catalog
        .create_from_file(
            &file,
            opts.group,
            &name,
            opts.allow_duplicates,
            Arc::new(|_| {}),
        )
        .await?;
    let existing = outcome.made.by != MadeBy::ThisRun;
    if existing {
        output::say(format_args!(
            "{}: the group already has this content as {} (nothing was created; \
             --allow-duplicates creates another)",
            crate::text::visible(&opts.path.display().to_string()),
            crate::text::visible(&outcome.made.id)
        ));
    }
    Ok(Report {
        source: opts.path.display().to_string(),
        asset_type: file.media.kind().asset_type(),
        sha256: Some(file.content.sha256),
        bytes: Some(file.content.bytes),
        id: outcome.made.id,
        status: if existing { "existing" } else { "created" },
        warnings: file.warnings,
    })
}

/// Deletes the objects of uploaded assets that are done, and says what is left.
pub(super) async fn clean_uploads(ctx: &Ctx) -> Result<(), Failure> {
    let cleaned = ctx.catalog.clean_uploads().await?;
    if cleaned.waiting > 0 {
        output::say(format_args!(
            "{} uploaded objects are kept until their assets leave Processing (a later run \
             deletes them)",
            cleaned.waiting
        ));
    }
    Ok(())
}
