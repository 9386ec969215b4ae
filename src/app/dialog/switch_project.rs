//! The project switch: the projects known for the profile to pick from, narrowed by a name
//! being typed, which is a row of its own (the first) when no project listed is it.

use crossterm::event::KeyEvent;

use super::TextField;
use crate::app::picker::{Pick, Picker};
use crate::validate;

/// The project picker.
#[derive(Debug, Clone)]
pub struct SwitchProject {
    /// The name typed (narrows the list; one not listed is offered as a new project).
    pub name: TextField,
    /// The projects known for the profile, most recent first.
    pub list: Picker,
    /// The project requests are scoped to now.
    pub current: String,
}

impl SwitchProject {
    /// The projects `known` (most recent first, `current` among them); the selection on the
    /// first other than `current`, so Enter goes back to the project used before it.
    pub fn new(known: Vec<String>, current: &str) -> Self {
        let first_other = known.iter().find(|p| *p != current).cloned();
        let mut list = Picker::typing(known);
        if let Some(other) = first_other {
            list.select(&other);
        }
        SwitchProject {
            name: TextField::new("Project", "", |v| {
                validate::name(v, true).map_err(|e| validate::Invalid {
                    field: validate::Field::Project,
                    ..e
                })
            }),
            list,
            current: current.to_owned(),
        }
    }

    /// An editing key on the name; the list shows the projects holding it.
    pub fn edit(&mut self, key: KeyEvent) {
        self.name.edit(key);
        self.narrowed();
    }

    /// Pasted text goes into the name.
    pub fn paste(&mut self, text: &str) {
        self.name.paste(text);
        self.narrowed();
    }

    /// The name emptied: every project shows again.
    pub fn clear(&mut self) {
        self.name.input = tui_input::Input::default();
        self.name.error = None;
        self.narrowed();
    }

    fn narrowed(&mut self) {
        self.list.narrow(self.name.input.value());
        if !matches!(self.list.picked(), Some(Pick::Typed(_))) {
            self.name.error = None;
        }
    }

    /// The project picked: a listed one, or the name typed once it follows the rule (else
    /// the field says why, and none is picked).
    pub fn chosen(&mut self) -> Option<String> {
        match self.list.picked()? {
            Pick::Listed(project) => Some(project.to_owned()),
            Pick::Typed(_) => self.name.check().then(|| self.name.value()),
        }
    }
}
