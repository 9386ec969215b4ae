//! `groups list|get|create|rename|delete|verify`. Every `GROUP` is an id or an exact name.

use serde_json::json;

use super::output::{done, listed};
use super::resolve::resolve_group;
use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, GroupsCmd, output};
use crate::api::model::AssetGroup;

pub(super) async fn run(ctx: &Ctx, cmd: GroupsCmd) -> Result<u8, Failure> {
    match cmd {
        GroupsCmd::List { name, group_type } => {
            let listing = ctx.catalog.groups().await?;
            let complete = listed(&listing);
            let mut groups = listing.items;
            if let Some(n) = &name {
                groups.retain(|g| g.name.contains(n.as_str()));
            }
            if let Some(t) = &group_type {
                groups.retain(|g| g.group_type.eq_ignore_ascii_case(t));
            }
            ctx.show(&groups, |v| output::groups(v));
            complete?;
        }
        GroupsCmd::Get { group } => {
            let g = resolve_group(ctx, &group).await?;
            ctx.show(&g, output::group);
        }
        GroupsCmd::Create {
            name,
            description,
            allow_duplicate_name,
        } => {
            let id = if allow_duplicate_name {
                ctx.catalog
                    .create_group_named_again(name, description)
                    .await?
            } else {
                ctx.catalog.create_group(name, description).await?
            };
            ctx.show(&json!({ "Id": id }), |_| {
                output::line(crate::text::visible(&id))
            });
        }
        GroupsCmd::Rename {
            group,
            name,
            description,
        } => {
            if name.is_none() && description.is_none() {
                return Err(Failure::new(
                    EXIT_INVALID,
                    "nothing to change: give --name and/or --description",
                ));
            }
            let id = resolve_group(ctx, &group).await?.id;
            ctx.catalog.change_group(&id, name, description).await?;
            done(ctx, "updated", &id);
        }
        // A real person's check is a dialog of its own, dispatched to `verify.rs`.
        GroupsCmd::Verify { .. } => unreachable!("dispatched to verify.rs"),
        GroupsCmd::Delete { group, with_assets } => {
            let group = resolve_group(ctx, &group).await?;
            delete(ctx, &group, with_assets).await?;
        }
    }
    Ok(0)
}

/// Deletes `group`, which deletes its assets too (the service does): refused (exit 3, nothing
/// sent) while it holds assets, unless `with_assets`.
async fn delete(ctx: &Ctx, group: &AssetGroup, with_assets: bool) -> Result<(), Failure> {
    let shown = crate::text::visible(&group.name).into_owned();
    if !with_assets {
        let holding = ctx.catalog.count_assets(&group.id).await?;
        let count = holding.count;
        if let Some(why) = &holding.stopped {
            return Err(Failure::new(
                EXIT_FAILED,
                format!(
                    "the assets of group \"{shown}\" could not be counted ({count} listed, then \
                     {}); nothing was sent",
                    crate::text::visible(why)
                ),
            ));
        }
        if count > 0 {
            return Err(Failure::new(
                EXIT_INVALID,
                format!(
                    "group \"{shown}\" holds {count} assets, and deleting a group deletes its \
                     assets too; nothing was sent: pass --with-assets to delete the group and \
                     its {count} assets"
                ),
            ));
        }
    }
    ctx.catalog.delete_group(&group.id).await?;
    done(ctx, "deleted", &group.id);
    Ok(())
}
