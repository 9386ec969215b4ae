//! The `:` command palette: groups (open), assets of the open group (jump), every command
//! of the key table (run), and the profiles and projects (switch), matched fuzzily with nucleo's matcher (as in helix). Recent choices
//! come first among equal matches.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use super::keymap::{Command, Scope};

/// Recent choices kept.
pub(crate) const MAX_RECENT: usize = 20;

/// What choosing an entry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Open this group.
    OpenGroup(String),
    /// Select this asset of the open group.
    SelectAsset(String),
    /// Run this command in the pane its scope names.
    Run(Command, Scope),
    /// Work as this configured profile.
    SwitchProfile(String),
    /// Scope requests to this project.
    SwitchProject(String),
}

/// One line of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What is matched and shown: a name or a command's description.
    pub label: String,
    /// Shown at the right: `group`, `asset`, `profile`, `project`, or the command's key.
    pub hint: String,
    /// Matched too, not shown: a command's `[keys]` name (`visual_select`).
    pub keywords: String,
    /// What choosing it does.
    pub choice: Choice,
}

/// The palette's state.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    /// What was typed.
    pub input: String,
    /// Every entry, recent ones first.
    pub entries: Vec<Entry>,
    /// Indexes of the entries that match, best first.
    pub matches: Vec<usize>,
    /// Selected position in `matches`.
    pub selected: usize,
}

impl Palette {
    /// A palette over `entries`, those whose labels are in `recent` first (most recent first).
    pub fn new(mut entries: Vec<Entry>, recent: &[String]) -> Self {
        let rank = |e: &Entry| {
            recent
                .iter()
                .position(|r| *r == e.label)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by_key(rank);
        let mut palette = Palette {
            entries,
            ..Palette::default()
        };
        palette.refilter();
        palette
    }

    /// Matches the entries against the input (a stable sort keeps recent ones first among
    /// equal scores).
    pub fn refilter(&mut self) {
        let pattern = Pattern::parse(&self.input, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let labels = self.entries.iter().enumerate().map(|(i, e)| {
            let text = match e.keywords.as_str() {
                "" => std::borrow::Cow::Borrowed(e.label.as_str()),
                words => std::borrow::Cow::Owned(format!("{} {words}", e.label)),
            };
            Indexed(i, text)
        });
        self.matches = pattern
            .match_list(labels, &mut matcher)
            .into_iter()
            .map(|(Indexed(i, _), _)| i)
            .collect();
        self.selected = 0;
    }

    /// Moves the selection by `delta`, wrapping around the matches.
    pub fn move_by(&mut self, delta: isize) {
        let count = self.matches.len().max(1) as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(count) as usize;
    }

    /// The selected entry.
    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(*self.matches.get(self.selected)?)
    }
}

/// An entry's matched text (its label, then its keywords) with its index, for the matcher.
struct Indexed<'a>(usize, std::borrow::Cow<'a, str>);

impl AsRef<str> for Indexed<'_> {
    fn as_ref(&self) -> &str {
        &self.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry {
        Entry {
            label: label.into(),
            hint: String::new(),
            keywords: String::new(),
            choice: Choice::OpenGroup(label.into()),
        }
    }

    #[test]
    fn fuzzy_matches_best_first_and_recent_first() {
        let entries = vec![
            entry("Crowd extras"),
            entry("主角 Leading cast"),
            entry("Product shots"),
        ];
        let mut p = Palette::new(entries, &["Product shots".to_owned()]);
        assert_eq!(p.current().unwrap().label, "Product shots", "recent first");
        p.input = "lead".into();
        p.refilter();
        assert_eq!(p.matches.len(), 1);
        assert_eq!(p.current().unwrap().label, "主角 Leading cast");
        p.input = "cst".into();
        p.refilter();
        assert_eq!(p.current().unwrap().label, "主角 Leading cast");
        p.input = "zzz".into();
        p.refilter();
        assert!(p.current().is_none());
    }
}
