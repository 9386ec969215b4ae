//! The help overlay's text, generated from the key table: one section per scope (the panes,
//! then each overlay), wrapped to the overlay's width and split into columns where it is wide.
//! The renderer styles it; the update function scrolls it by [`HelpText::height`].

use unicode_width::UnicodeWidthStr;

use crate::text::wrap;

use super::keymap::{Keymap, Scope};

/// The sections of the help, in order: a title and the scopes whose keys it lists.
const SECTIONS: [(&str, Scope); 19] = [
    ("Both panes", Scope::Global),
    ("Groups pane", Scope::Groups),
    ("Assets pane", Scope::Assets),
    ("Anywhere", Scope::Always),
    ("Filter (typing)", Scope::Filter),
    ("Palette (typing)", Scope::Palette),
    ("Dialogs (typing)", Scope::Form),
    ("Questions", Scope::Confirm),
    ("Questions (typing)", Scope::Typed),
    ("Shown text", Scope::Shown),
    ("Sync plan", Scope::Sync),
    ("Copy: profiles", Scope::Profiles),
    ("Switch project (typing)", Scope::Projects),
    ("Copy plan", Scope::Copy),
    ("Messages", Scope::Messages),
    ("Asset detail", Scope::Detail),
    ("Seedance tasks", Scope::Tasks),
    ("Liveness check", Scope::Verify),
    ("Help", Scope::Help),
];

/// Rows of the help that no single binding makes: counts before movements.
const COUNTS: (&str, &str) = (
    "5j",
    "a count repeats a move: 5j, 3PgDn; 10G goes to row 10",
);

/// The widest a key column gets; a longer label wraps into its text.
const KEY_COLUMN: usize = 8;
/// The narrowest a column of the help is when there are several.
const COLUMN: u16 = 50;
/// The most columns the help is laid out in.
const MOST_COLUMNS: u16 = 3;

/// One section of the help: its title and its rows (keys, what they do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What the section is about (`Assets pane`).
    pub title: &'static str,
    /// One row per key label, the meanings of a label bound twice joined.
    pub rows: Vec<(String, String)>,
}

/// Every section of the help for the key table `keys`.
pub fn sections(keys: &Keymap) -> Vec<Section> {
    SECTIONS
        .iter()
        .map(|&(title, scope)| {
            let mut rows: Vec<(String, String)> = Vec::new();
            for b in keys.bindings().iter().filter(|b| b.scope == scope) {
                match rows.iter_mut().find(|(label, _)| *label == *b.label) {
                    Some((_, text)) => {
                        text.push_str(" · ");
                        text.push_str(b.help);
                    }
                    None => rows.push((b.label.to_string(), b.help.to_owned())),
                }
            }
            if scope == Scope::Global {
                rows.push((COUNTS.0.to_owned(), COUNTS.1.to_owned()));
            }
            Section { title, rows }
        })
        .filter(|s| !s.rows.is_empty())
        .collect()
}

/// A line of the laid-out help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HelpLine {
    /// A section's title.
    Title(&'static str),
    /// A key's row, or a wrapped part of it (no key then).
    Row {
        /// The key label, on a row's first line.
        key: Option<String>,
        /// What it does: the part that fits on this line.
        text: String,
    },
    /// Space between sections.
    Blank,
}

/// The help laid out for an overlay of a given width: its columns of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HelpText {
    /// Up to three columns, each read top to bottom.
    pub columns: Vec<Vec<HelpLine>>,
    /// Cells of the key column (labels padded to it).
    pub key_width: usize,
}

impl HelpText {
    /// The help of `keys` for an overlay whose inside is `width` cells wide.
    pub(crate) fn new(keys: &Keymap, width: u16) -> HelpText {
        let sections = sections(keys);
        let key_width = sections
            .iter()
            .flat_map(|s| s.rows.iter().map(|(k, _)| k.width()))
            .max()
            .unwrap_or(1)
            .min(KEY_COLUMN);
        let count = usize::from((width / COLUMN).clamp(1, MOST_COLUMNS));
        let column_width = usize::from(width) / count;
        let text_width = column_width.saturating_sub(key_width + 2).max(8);
        let blocks: Vec<Vec<HelpLine>> = sections.iter().map(|s| lay_out(s, text_width)).collect();
        HelpText {
            columns: split(blocks, count),
            key_width,
        }
    }

    /// Lines of the longest column: what the overlay would need to show everything.
    pub(crate) fn height(&self) -> usize {
        self.columns.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// A section's lines: its title, its rows wrapped to `text_width`, a blank line after.
fn lay_out(section: &Section, text_width: usize) -> Vec<HelpLine> {
    let mut lines = vec![HelpLine::Title(section.title)];
    for (key, text) in &section.rows {
        let mut parts = wrap(text, text_width).into_iter();
        lines.push(HelpLine::Row {
            key: Some(key.clone()),
            text: parts.next().unwrap_or_default(),
        });
        lines.extend(parts.map(|text| HelpLine::Row { key: None, text }));
    }
    lines.push(HelpLine::Blank);
    lines
}

/// Sections shared out over `count` columns in order, the first taking sections until it
/// holds about its share of the lines.
fn split(blocks: Vec<Vec<HelpLine>>, count: usize) -> Vec<Vec<HelpLine>> {
    let total: usize = blocks.iter().map(Vec::len).sum();
    let share = total.div_ceil(count.max(1));
    let mut columns: Vec<Vec<HelpLine>> = vec![Vec::new()];
    for block in blocks {
        let room = columns.len() < count;
        let last = columns.last_mut().expect("one column at least");
        if room && !last.is_empty() && last.len() + block.len() / 2 > share {
            columns.push(block);
        } else {
            last.extend(block);
        }
    }
    for column in &mut columns {
        if column.last() == Some(&HelpLine::Blank) {
            column.pop();
        }
    }
    columns
}

pub fn markdown(keys: &Keymap) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace('<', "\\<");
    let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
    for section in sections(keys) {
        for (label, help) in &section.rows {
            let title = section.title;
            out.push_str(&format!("| {title} | `{}` | {} |\n", label, cell(help)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_share_the_sections_and_each_fits_its_width() {
        let keys = Keymap::default();
        let one = HelpText::new(&keys, 76);
        let three = HelpText::new(&keys, 154);
        assert_eq!((one.columns.len(), three.columns.len()), (1, 3));
        assert!(three.height() * 2 < one.height(), "{}", three.height());
        let titles = |t: &HelpText| {
            let all = t.columns.iter().flatten();
            all.filter(|l| matches!(l, HelpLine::Title(_))).count()
        };
        assert_eq!(titles(&one), SECTIONS.len());
        assert_eq!(titles(&three), SECTIONS.len());
        for line in three.columns.iter().flatten() {
            if let HelpLine::Row { text, .. } = line {
                assert!(text.width() + three.key_width + 2 <= 154 / 3, "{text:?}");
            }
        }
    }
}
