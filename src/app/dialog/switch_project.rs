//! The project requests are scoped to.

use super::TextField;
use crate::app::effect::Effect;
use crate::validate;

/// The field of the project switch.
#[derive(Debug, Clone)]
pub struct SwitchProjectForm {
    /// Project name (required).
    pub project: TextField,
}

impl SwitchProjectForm {
    /// The form, filled with the current project.
    pub fn new(current: &str) -> Self {
        SwitchProjectForm {
            project: TextField::new("Project", current, |v| {
                validate::name(v, true).map_err(|e| validate::Invalid {
                    field: validate::Field::Project,
                    ..e
                })
            }),
        }
    }

    /// Scopes requests to the project.
    pub fn request(&self) -> Effect {
        Effect::SwitchProject(self.project.value())
    }
}
