//! `assets list|get|create|rename|delete`.

use super::groups::{done, listed};
use super::{AssetsCmd, Ctx, EXIT_INVALID, Failure, output, wait};
use crate::api::AssetsApi;
use crate::api::model::*;
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
            wait: and_wait,
            timeout,
            no_check,
        } => {
            if let Some(path) = file {
                return Err(Failure::new(
                    EXIT_INVALID,
                    format!(
                        "--file {}: the Assets API downloads images itself and takes only a public http(s) URL; \
                         put the file somewhere public (object storage, a CDN) and pass --url",
                        path.display()
                    ),
                ));
            }
            let url = url.expect("clap requires --url without --file");
            let parsed = validate::url(&url)?;
            let name = name.unwrap_or_else(|| ledger::default_name(&url));
            validate::name(&name, false)?;
            if ctx.dialect().can_list() {
                validate::id("GroupId", &group)?;
            }
            if let Some(w) = validate::url_warning(&parsed) {
                eprintln!("warning: {w}");
            }
            if !no_check {
                let http = validate::check_client(ctx.check);
                if let Err(problems) = validate::check_url(&http, &parsed, ctx.check).await {
                    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    return Err(Failure::new(EXIT_INVALID, lines.join("\n")));
                }
            }
            let req = CreateAsset::image(&group, url, Some(name));
            let id = ctx
                .catalog
                .create_once(&ledger::one_off_key("cli"), &group, &req)
                .await?;
            if and_wait {
                return wait::run(ctx, &[id], std::time::Duration::from_secs(timeout)).await;
            }
            ctx.show(&Created { id }, |c| {
                output::line(crate::text::visible(&c.id))
            });
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
