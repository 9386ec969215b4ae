//! `assets list|get|create|rename|delete`.

use super::groups::{done, listed};
use std::sync::Arc;

use super::{AssetsCmd, Ctx, EXIT_CONFIG, EXIT_FAILED, EXIT_INVALID, Failure, output, wait};
use crate::api::AssetsApi;
use crate::api::model::*;
use crate::catalog::GroupLookup;
use crate::catalog::upload::{LocalFile, UploadError};
use crate::ledger;
use crate::validate;

pub(super) async fn run(ctx: &Ctx, cmd: AssetsCmd) -> Result<u8, Failure> {
    let api = ctx.api();
    match cmd {
        AssetsCmd::List {
            group,
            status,
            name,
        } => {
            let filter = AssetFilter {
                group_ids: group.map(|g| vec![g]),
                statuses: (!status.is_empty()).then(|| status.clone()),
                name: name.clone(),
                group_type: None,
            };
            let mut assets = listed(ctx.catalog.assets(&filter, 1, u32::MAX).await?);
            assets.retain(|a| status.is_empty() || status.contains(&a.status));
            if let Some(n) = &name {
                assets.retain(|a| a.name.contains(n.as_str()));
            }
            ctx.show(&assets, |v| output::assets(v));
            Ok(0)
        }
        AssetsCmd::Get { id } => {
            validate::id("Id", &id)?;
            let a = api.get_asset(&id).await?;
            ctx.show(&a, output::asset);
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
        } => {
            let group = resolve_group(ctx, &group).await?;
            let (id, report) = match file {
                Some(path) => {
                    let opts = FileCreate {
                        group: &group,
                        path: &path,
                        name,
                        allow_duplicates,
                    };
                    let report = create_from_file(ctx, opts).await?;
                    (report.id.clone(), Some(report))
                }
                None => {
                    let url = url.unwrap_or_default();
                    (
                        create_from_url(ctx, &group, &url, name, !no_check).await?,
                        None,
                    )
                }
            };
            if and_wait {
                let code = wait::run(ctx, &[id], std::time::Duration::from_secs(timeout)).await?;
                clean_uploads(ctx).await?;
                return Ok(code);
            }
            match report {
                Some(report) => ctx.show(&report, |r| output::line(crate::text::visible(&r.id))),
                None => ctx.show(&Created { id }, |c| {
                    output::line(crate::text::visible(&c.id))
                }),
            }
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
    }
}

/// The id of the group `text` names (an id, or an exact name).
pub(super) async fn resolve_group(ctx: &Ctx, text: &str) -> Result<String, Failure> {
    validate::id("GroupId", text)?;
    ctx.catalog.resolve_group(text).await.map_err(|e| match e {
        GroupLookup::Api(e) => Failure::from(e),
        other => Failure::new(EXIT_INVALID, other.to_string()),
    })
}

async fn create_from_url(
    ctx: &Ctx,
    group: &str,
    url: &str,
    name: Option<String>,
    check: bool,
) -> Result<String, Failure> {
    let parsed = validate::url(url)?;
    let name = name.unwrap_or_else(|| ledger::default_name(url));
    validate::name(&name, false)?;
    if let Some(w) = validate::url_warning(&parsed) {
        eprintln!("warning: {w}");
    }
    if check {
        let http = validate::check_client(ctx.check);
        if let Err(problems) = validate::check_url(&http, &parsed, ctx.check).await {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(Failure::new(EXIT_INVALID, lines.join("\n")));
        }
    }
    let req = CreateAsset::image(group, url, Some(name));
    Ok(ctx
        .catalog
        .create_once(&ledger::one_off_key("cli"), group, &req)
        .await?)
}

/// What `assets create --file` was asked to do.
struct FileCreate<'a> {
    group: &'a str,
    path: &'a std::path::Path,
    name: Option<String>,
    allow_duplicates: bool,
}

/// One file's outcome, as `--json` prints it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct FileReport {
    /// The file.
    pub source: String,
    /// sha256 of its content.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
    /// The asset.
    pub id: String,
    /// `created`, or `existing` when the group already had this content.
    pub status: &'static str,
}

async fn create_from_file(ctx: &Ctx, opts: FileCreate<'_>) -> Result<FileReport, Failure> {
    let storage = ctx
        .catalog
        .storage()
        .ok_or_else(|| upload_failure(UploadError::NoStorage))?;
    let file = LocalFile::inspect(opts.path).await.map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failure::new(EXIT_INVALID, lines.join("\n"))
    })?;
    let name = opts.name.unwrap_or_else(|| file.default_name());
    validate::name(&name, false)?;
    storage
        .check_bucket()
        .await
        .map_err(|e| upload_failure(e.into()))?;
    let outcome = ctx
        .catalog
        .create_from_file(
            &file,
            opts.group,
            &name,
            opts.allow_duplicates,
            Arc::new(|_| {}),
        )
        .await
        .map_err(upload_failure)?;
    if outcome.existing {
        eprintln!(
            "{}: the group already has this content as {} (nothing was created; \
             --allow-duplicates creates another)",
            opts.path.display(),
            crate::text::visible(&outcome.id)
        );
    }
    Ok(FileReport {
        source: opts.path.display().to_string(),
        sha256: file.sha256,
        bytes: file.bytes,
        id: outcome.id,
        status: if outcome.existing {
            "existing"
        } else {
            "created"
        },
    })
}

/// An upload's failure with its exit code (no storage configured: 4).
pub(super) fn upload_failure(e: UploadError) -> Failure {
    let code = match e {
        UploadError::NoStorage => EXIT_CONFIG,
        UploadError::Storage(_) | UploadError::Api(_) => EXIT_FAILED,
    };
    Failure::new(code, e.to_string())
}

/// Deletes the objects of uploaded assets that are done, and says what is left.
pub(super) async fn clean_uploads(ctx: &Ctx) -> Result<(), Failure> {
    let cleaned = ctx.catalog.clean_uploads().await.map_err(upload_failure)?;
    if cleaned.waiting > 0 {
        eprintln!(
            "{} uploaded objects are kept until their assets leave Processing (a later run \
             deletes them)",
            cleaned.waiting
        );
    }
    Ok(())
}
