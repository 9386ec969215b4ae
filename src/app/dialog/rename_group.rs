//! A group's name and description.

use super::TextField;
use crate::api::model::AssetGroup;
use crate::app::effect::Effect;
use crate::validate;

/// The fields of a group being renamed.
#[derive(Debug, Clone)]
pub struct RenameGroupForm {
    /// Group id.
    pub id: String,
    /// New name (required).
    pub name: TextField,
    /// New description.
    pub description: TextField,
}

impl RenameGroupForm {
    /// The form for `group`, filled with its current values (see [`TextField::editing`]).
    pub fn new(group: &AssetGroup) -> Self {
        RenameGroupForm {
            id: group.id.clone(),
            name: TextField::editing("Name", &group.name, |v| validate::name(v, true)),
            description: TextField::editing(
                "Description",
                &group.description,
                validate::description,
            ),
        }
    }

    /// Updates the group.
    pub fn request(&self) -> Effect {
        Effect::UpdateGroup {
            id: self.id.clone(),
            name: self.name.value(),
            description: self.description.value(),
        }
    }
}
