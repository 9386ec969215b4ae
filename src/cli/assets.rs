//! `assets list|get|create|rename|delete`.

use std::sync::Arc;

use futures::StreamExt;

use super::output::{done, listed};
use super::resolve::resolve_group;
use super::{AssetsCmd, Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::api::AssetsApi;
use crate::api::model::*;
use crate::catalog::add::{Add, AddError};
use crate::catalog::import::{Checks, Source};
use crate::media::{self, Media};
use crate::validate;

pub(super) async fn run(ctx: &Ctx, cmd: AssetsCmd) -> Result<u8, Failure> {
    let api = ctx.api();
    match cmd {
        AssetsCmd::List {
            group,
            status,
            name,
            kind,
        } => list(ctx, group, &status, name, kind).await,
        AssetsCmd::Get { id, probe } => get(ctx, &id, probe).await,
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
            let source = match file {
                Some(path) => Source::File(path),
                None => Source::Url(url.unwrap_or_default()),
            };
            let add = Add {
                checks: Checks {
                    remote: (!no_check).then_some(ctx.check),
                    policy: checks.policy(),
                    fit: checks.fit,
                },
                source,
                name,
                allow_duplicates,
            };
            let report = create(ctx, &group, add).await?;
            if and_wait {
                let id = report.id.clone();
                let timeout = std::time::Duration::from_secs(timeout);
                let code = super::progress::wait_settled(ctx, &[id], timeout).await?;
                super::progress::clean_uploads(ctx, std::time::Duration::ZERO).await?;
                return Ok(code);
            }
            ctx.show(&report, |r| output::line(crate::text::visible(&r.id)));
            Ok(0)
        }
        AssetsCmd::Rename {
            id: Some(id),
            name: Some(name),
            ..
        } => {
            validate::asset_id(&id)?;
            validate::name(&name, true)?;
            api.update_asset(&UpdateAsset {
                id: id.clone(),
                name,
            })
            .await?;
            done(ctx, "renamed", &id);
            Ok(0)
        }
        // The editor's renames and deletes are batches, dispatched to `batch.rs` beside this.
        AssetsCmd::Rename { .. } | AssetsCmd::Delete { .. } => {
            unreachable!("clap requires an id and a name, or --editor; batches go to batch.rs")
        }
        AssetsCmd::Retry { ids, delete_failed } => retry(ctx, &ids, delete_failed).await,
    }
}

/// `assets list`: the assets of a group (or all), filtered by status, name and type.
async fn list(
    ctx: &Ctx,
    group: Option<String>,
    status: &[Status],
    name: Option<String>,
    kind: Option<crate::media::MediaKind>,
) -> Result<u8, Failure> {
    let group = match group {
        Some(text) => Some(resolve_group(ctx, &text).await?),
        None => None,
    };
    let filter = AssetFilter {
        group_ids: group.map(|g| vec![g.id]),
        statuses: (!status.is_empty()).then(|| status.to_vec()),
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

/// `assets get ID [--probe]`: one asset, and with `probe` what its file holds.
async fn get(ctx: &Ctx, id: &str, probe: bool) -> Result<u8, Failure> {
    validate::asset_id(id)?;
    let a = ctx.api().get_asset(id).await?;
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

/// Deletes asset `id` (gone already counts); why it was not, when it was not.
async fn delete_one(ctx: &Ctx, id: &str) -> Option<String> {
    let deleted = ctx
        .catalog
        .delete_assets(vec![id.to_owned()], &|_: &str| None);
    let (_, outcome) = std::pin::pin!(deleted).next().await?;
    outcome.reason()
}

/// `assets retry`: each Failed asset created again (and, with `--delete-failed`, the Failed one
/// deleted after); one line or JSON object per asset; exit 1 if any could not be.
async fn retry(ctx: &Ctx, ids: &[String], delete_failed: bool) -> Result<u8, Failure> {
    for id in ids {
        validate::asset_id(id)?;
    }
    let mut failures = 0;
    for id in ids {
        let outcome = match ctx.catalog.retry(id).await {
            Ok(new) if delete_failed => match delete_one(ctx, id).await {
                None => Ok((new, true)),
                Some(why) => Err(format!("created again as {new}, but not deleted: {why}")),
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
    let http = crate::media::check_client(ctx.check);
    media::probe_url(&http, &url, ctx.check)
        .await
        .map(|p| p.media)
        .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))
}

/// Creates `add` in `group`; says what the group already had, and each warning.
async fn create(ctx: &Ctx, group: &str, add: Add) -> Result<Report, Failure> {
    let http = crate::media::check_client(ctx.check);
    let added = ctx
        .catalog
        .add(group, add, &http, Arc::new(|_, _| {}))
        .await
        .map_err(|e| match e {
            AddError::Refused(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                Failure::new(EXIT_INVALID, lines.join("\n"))
            }
            AddError::Create(e) => e.into(),
        })?;
    let source = crate::text::visible(&added.source).into_owned();
    for w in &added.warnings {
        output::say(format_args!(
            "warning: {source}: {}",
            crate::text::visible(w)
        ));
    }
    if added.existing {
        output::say(format_args!(
            "{source}: the group already has this content as {} (nothing was created; \
             --allow-duplicates creates another)",
            crate::text::visible(&added.id)
        ));
    }
    Ok(Report {
        asset_type: added.kind.asset_type(),
        status: if added.existing {
            "existing"
        } else {
            "created"
        },
        source: added.source,
        sha256: added.sha256,
        bytes: added.bytes,
        id: added.id,
        warnings: added.warnings,
    })
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
