//! New group: name and description.

use super::TextField;
use crate::app::effect::Effect;
use crate::validate;

/// The fields of a new group.
#[derive(Debug, Clone)]
pub struct CreateGroupForm {
    /// Name (required).
    pub name: TextField,
    /// Description.
    pub description: TextField,
}

impl Default for CreateGroupForm {
    fn default() -> Self {
        CreateGroupForm {
            name: TextField::new("Name", "", |v| validate::name(v, true)),
            description: TextField::new("Description", "", validate::description),
        }
    }
}

impl CreateGroupForm {
    /// Creates the group.
    pub fn request(&self) -> Effect {
        Effect::CreateGroup {
            name: self.name.value(),
            description: self.description.value(),
        }
    }
}
