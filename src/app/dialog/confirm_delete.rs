//! Asking before deleting a group or an asset.

use crate::app::state::Target;

/// The question "Delete … ?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDelete {
    /// What is deleted: one group or asset, or the marked assets.
    pub targets: Vec<Target>,
    /// What the question calls it: its name, or "3 marked assets".
    pub name: String,
}
