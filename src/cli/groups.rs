//! `groups list|get|create|rename|delete`.

use serde_json::json;

use super::{Ctx, EXIT_INVALID, Failure, GroupsCmd, output};
use crate::api::AssetsApi;
use crate::api::model::{CreateAssetGroup, UpdateAssetGroup};
use crate::catalog::Listing;
use crate::validate;

pub(super) async fn run(ctx: &Ctx, cmd: GroupsCmd) -> Result<u8, Failure> {
    let api = ctx.api();
    match cmd {
        GroupsCmd::List { name, group_type } => {
            let mut groups = listed(ctx.catalog.groups().await?);
            if let Some(n) = &name {
                groups.retain(|g| g.name.contains(n.as_str()));
            }
            if let Some(t) = &group_type {
                groups.retain(|g| g.group_type.eq_ignore_ascii_case(t));
            }
            ctx.show(&groups, |v| output::groups(v));
        }
        GroupsCmd::Get { id } => {
            validate::id("Id", &id)?;
            let g = api.get_asset_group(&id).await?;
            ctx.show(&g, output::group);
        }
        GroupsCmd::Create { name, description } => {
            validate::name(&name, true)?;
            if let Some(d) = &description {
                validate::description(d)?;
            }
            let created = api
                .create_asset_group(&CreateAssetGroup {
                    name,
                    description,
                    group_type: Some("AIGC".to_owned()),
                })
                .await?;
            ctx.show(&created, |c| output::line(crate::text::visible(&c.id)));
        }
        GroupsCmd::Rename {
            id,
            name,
            description,
        } => {
            validate::id("Id", &id)?;
            if name.is_none() && description.is_none() {
                return Err(Failure::new(
                    EXIT_INVALID,
                    "nothing to change: give --name and/or --description",
                ));
            }
            if let Some(n) = &name {
                validate::name(n, true)?;
            }
            if let Some(d) = &description {
                validate::description(d)?;
            }
            api.update_asset_group(&UpdateAssetGroup {
                id: id.clone(),
                name,
                description,
            })
            .await?;
            done(ctx, "updated", &id);
        }
        GroupsCmd::Verify { lang } => return super::verify::run(ctx, lang).await,
        GroupsCmd::Delete { id } => {
            validate::id("Id", &id)?;
            api.delete_asset_group(&id).await?;
            done(ctx, "deleted", &id);
        }
    }
    Ok(0)
}

/// The items of a listing; when it stopped early, says why on stderr.
pub(super) fn listed<T>(listing: Listing<T>) -> Vec<T> {
    if let Some(why) = &listing.stopped {
        super::output::say(format_args!("warning: {}", crate::text::visible(why)));
    }
    listing.items
}

/// Reports a change to one resource.
pub(super) fn done(ctx: &Ctx, what: &str, id: &str) {
    ctx.show(&json!({ "Id": id, "Result": what }), |_| {
        output::line(format_args!("{what} {}", crate::text::visible(id)))
    });
}
