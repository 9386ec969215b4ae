//! Asking before deleting a group or an asset.

use crate::app::state::Target;

/// The question "Delete … ?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDelete {
    /// What is deleted.
    pub target: Target,
    /// Its name, for the question.
    pub name: String,
}
