//! [`Picker`]: a list to pick one line from (the profiles a copy goes to, the projects to
//! switch to), narrowed by what is typed when the list takes typing, with a first row for a
//! typed value it does not hold.

/// A row of a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick<'a> {
    /// One of the list's lines.
    Listed(&'a str),
    /// What was typed, which no line of the list is.
    Typed(&'a str),
}

impl<'a> Pick<'a> {
    /// The value picked.
    pub fn value(self) -> &'a str {
        match self {
            Pick::Listed(v) | Pick::Typed(v) => v,
        }
    }
}

/// A list of lines, the ones shown (those holding the typed text, case aside) and the one
/// selected; when it takes typing, a typed value no line is comes first as a row of its own
/// (Enter takes what was typed; the lines holding it are a move away).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    items: Vec<String>,
    /// Positions in `items` of the lines shown, in order.
    shown: Vec<usize>,
    /// What was typed (trimmed), offered as a row when no line is it; none: no typing.
    typed: Option<String>,
    /// The selected row: the typed row, then those of `shown`.
    selected: usize,
}

impl Picker {
    /// A list of `items` to pick from, nothing typed.
    pub fn new(items: Vec<String>) -> Self {
        Picker {
            shown: (0..items.len()).collect(),
            items,
            typed: None,
            selected: 0,
        }
    }

    /// A list that takes typing: [`Picker::narrow`] shows the lines holding what is typed.
    pub fn typing(items: Vec<String>) -> Self {
        Picker {
            typed: Some(String::new()),
            ..Picker::new(items)
        }
    }

    /// Shows the lines holding `typed` (case aside), after `typed` itself when no line is it;
    /// the selection goes to the line that is `typed`, else to the first row.
    pub fn narrow(&mut self, typed: &str) {
        if self.typed.is_none() {
            return;
        }
        let typed = typed.trim();
        self.typed = Some(typed.to_owned());
        let needle = typed.to_lowercase();
        self.shown = (0..self.items.len())
            .filter(|&i| self.items[i].to_lowercase().contains(&needle))
            .collect();
        self.selected = (self.shown.iter())
            .position(|&i| self.items[i] == typed)
            .map_or(0, |r| r + self.first_shown());
    }

    /// Selects the row of `value`, when one is it.
    pub fn select(&mut self, value: &str) {
        if let Some(r) = (0..self.rows()).find(|&r| self.row(r).map(Pick::value) == Some(value)) {
            self.selected = r;
        }
    }

    /// How many rows there are: the typed row and the lines shown.
    pub fn rows(&self) -> usize {
        self.first_shown() + self.shown.len()
    }

    /// The row of the first line shown: 1 after a typed row, else 0.
    fn first_shown(&self) -> usize {
        usize::from(self.typed_row().is_some())
    }

    /// Row `r`.
    pub fn row(&self, r: usize) -> Option<Pick<'_>> {
        match (self.typed_row(), r) {
            (Some(typed), 0) => Some(Pick::Typed(typed)),
            _ => {
                let i = *self.shown.get(r - self.first_shown())?;
                Some(Pick::Listed(&self.items[i]))
            }
        }
    }

    /// The typed value when no line is it.
    fn typed_row(&self) -> Option<&str> {
        let typed = self.typed.as_deref().filter(|t| !t.is_empty())?;
        (!self.items.iter().any(|i| i == typed)).then_some(typed)
    }

    /// The selected row's position.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected row, if there is any row.
    pub fn picked(&self) -> Option<Pick<'_>> {
        self.row(self.selected)
    }

    /// The next row (the last stays).
    pub fn down(&mut self) {
        self.selected = (self.selected + 1).min(self.rows().saturating_sub(1));
    }

    /// The row before (the first stays).
    pub fn up(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }
}
