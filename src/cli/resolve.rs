//! The group a command names: by id or by exact name, and how a failed look-up ends the
//! command.

use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure};
use crate::api::model::AssetGroup;
use crate::catalog::GroupLookup;
use crate::validate;

/// The group `text` names: its id, or its exact name (global dialect: a label). None is an
/// error naming what was looked for (exit 1); a name several groups share is refused with
/// their ids (exit 3).
pub(super) async fn resolve_group(ctx: &Ctx, text: &str) -> Result<AssetGroup, Failure> {
    validate::id(validate::Field::GroupId, text)?;
    ctx.catalog.group(text).await.map_err(lookup_failure)
}

/// How a group that cannot be found ends a command: exit 1 (none, or the listing failed),
/// exit 3 (a name several groups share).
pub(super) fn lookup_failure(e: GroupLookup) -> Failure {
    match e {
        GroupLookup::List(e) => Failure::from(e),
        GroupLookup::Missing(..) => Failure::new(EXIT_FAILED, e.to_string()),
        GroupLookup::Ambiguous(..) => Failure::new(EXIT_INVALID, e.to_string()),
    }
}
