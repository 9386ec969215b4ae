//! Asking before deleting a group or an asset.

use crate::app::effect::Target;
use crate::text::visible;

/// The question "Delete … ?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDelete {
    /// What is deleted: one group or asset, or the marked assets.
    pub targets: Vec<Target>,
    /// What the question calls it: its name, or "3 marked assets".
    pub name: String,
    /// For a group: the assets it holds, which the service deletes with it.
    pub holds: Option<Holds>,
    /// What was typed, for a group that holds assets: its name or its count deletes it.
    pub typed: String,
    /// Whether Enter was pressed on something that is neither.
    pub mistyped: bool,
    /// What Seedance's recent use of the assets means, when it used any in the last day.
    pub in_use: Option<String>,
}

/// The assets a group about to be deleted holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    /// Being counted (the question waits for the count).
    Counting,
    /// Counted: `count` assets, or at least that many when the listing stopped early.
    Assets {
        /// How many.
        count: usize,
        /// Whether that is all of them.
        complete: bool,
    },
    /// They could not be counted, and why.
    Unknown(String),
}

impl ConfirmDelete {
    /// Asks about deleting `targets`, called `name`.
    pub fn new(targets: Vec<Target>, name: String) -> Self {
        ConfirmDelete {
            targets,
            name,
            holds: None,
            typed: String::new(),
            mistyped: false,
            in_use: None,
        }
    }

    /// The same question saying `in_use`: how Seedance used the assets in the last day.
    pub fn in_use(self, in_use: Option<String>) -> Self {
        ConfirmDelete { in_use, ..self }
    }

    /// Asks about deleting a group, whose assets go with it.
    pub fn group(id: String, name: String, holds: Holds) -> Self {
        ConfirmDelete {
            targets: vec![Target::Group(id)],
            name,
            holds: Some(holds),
            typed: String::new(),
            mistyped: false,
            in_use: None,
        }
    }

    /// Whether the answer is typed: a group that holds assets (or may) is deleted only once its
    /// name or its count is typed, never on one reflex key.
    pub(crate) fn needs_typing(&self) -> bool {
        matches!(
            self.holds,
            Some(Holds::Assets { count: 1.., .. } | Holds::Unknown(_))
        )
    }

    /// What deletes the group when typed: its name, or its count when that is known.
    pub fn answers(&self) -> (String, Option<usize>) {
        let count = match self.holds {
            Some(Holds::Assets { count, .. }) => Some(count),
            _ => None,
        };
        (visible(&self.name).into_owned(), count)
    }

    /// Whether what was typed is the group's name or its count.
    pub(crate) fn typed_right(&self) -> bool {
        let (name, count) = self.answers();
        let typed = self.typed.trim();
        !typed.is_empty() && (typed == name.trim() || count.is_some_and(|c| typed == c.to_string()))
    }

    /// The line asking for the answer to be typed.
    pub(crate) fn typing_prompt(&self) -> String {
        match self.answers() {
            (_, Some(count)) => format!("Type the group's name or {count} to delete it:"),
            (_, None) => "Type the group's name to delete it:".to_owned(),
        }
    }

    /// Whether an answer can be given: not while the group's assets are being counted.
    pub(crate) fn ready(&self) -> bool {
        self.holds != Some(Holds::Counting)
    }

    /// The question, and a line on what goes with it.
    pub fn question(&self) -> (String, String) {
        let name = visible(&self.name);
        let undone = match &self.in_use {
            Some(used) => {
                let mut chars = used.chars();
                let first: String = chars
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .collect();
                format!("{first}{}. This cannot be undone.", chars.as_str())
            }
            None => "This cannot be undone.".to_owned(),
        };
        match (self.targets.as_slice(), &self.holds) {
            ([Target::Group(_)], Some(holds)) => match holds {
                Holds::Counting => (
                    format!("Delete group \"{name}\"?"),
                    "Counting its assets (the service deletes them with it)…".to_owned(),
                ),
                Holds::Assets { count: 0, .. } => (
                    format!("Delete group \"{name}\"?"),
                    format!("It holds no assets. {undone}"),
                ),
                Holds::Assets { count, complete } => {
                    let more = if *complete { "" } else { "+" };
                    let noun = if *count == 1 { "asset" } else { "assets" };
                    (
                        format!("Delete group \"{name}\" and its {count}{more} {noun}?"),
                        undone,
                    )
                }
                Holds::Unknown(why) => (
                    format!("Delete group \"{name}\" and all its assets?"),
                    format!("They could not be counted ({}). {undone}", visible(why)),
                ),
            },
            ([Target::Group(_)], None) => (format!("Delete group \"{name}\"?"), undone),
            ([Target::Asset(_)], _) => (format!("Delete asset \"{name}\"?"), undone),
            _ => (format!("Delete the {name}?"), undone),
        }
    }
}
