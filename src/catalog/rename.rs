//! Renaming many assets in an editor, the one use case behind `assets rename --editor` and
//! the TUI's `e`: a buffer of one line per asset, `<Id><TAB><Name>`, given to the user's
//! editor, and the changes read back from it. Only lines whose name changed become requests;
//! an edit that changed an id, lost or added a line, or gave a name the rules refuse is refused
//! whole, each problem named with its line (the first [`PROBLEMS_SHOWN`], then how many more),
//! and nothing is sent.

use std::sync::Arc;

use crate::api::model::UpdateAsset;
use crate::api::{ApiError, AssetsApi};
use crate::config::Env;
use crate::programs::EditError;
use crate::text;

use super::Catalog;

/// Problems of an edit named one by one, at most; the rest are counted.
pub(crate) const PROBLEMS_SHOWN: usize = 20;

/// One asset's new name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameChange {
    /// The asset.
    pub id: String,
    /// Its name before.
    pub from: String,
    /// Its new name.
    pub to: String,
}

/// A line of an edited buffer that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LineProblem {
    /// 1-based line of the buffer.
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

/// Why an edit's lines cannot be used: the first [`PROBLEMS_SHOWN`] problems, and how many
/// more there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// The first problems, in line order.
    pub first: Vec<LineProblem>,
    /// How many more.
    pub more: usize,
}

impl Problems {
    fn push(&mut self, problem: LineProblem) {
        if self.first.len() < PROBLEMS_SHOWN {
            self.first.push(problem);
        } else {
            self.more += 1;
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// One line a problem, then the count of the rest (`and 1200 more problems`).
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.first.iter().map(ToString::to_string).collect();
        if self.more > 0 {
            let noun = if self.more == 1 {
                "problem"
            } else {
                "problems"
            };
            lines.push(format!("and {} more {noun}", self.more));
        }
        lines
    }
}

/// Why an edit of names is not used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditRefused {
    /// The editor did not give the text back.
    #[error(transparent)]
    Editor(Arc<EditError>),
    /// Lines of the edit break the rules; nothing is sent.
    #[error("the edit was not used: {}", .0.lines().join("; "))]
    Lines(Problems),
}

/// Lets the user edit the names of `assets` in their editor: the names changed, or why the
/// edit is not used. Blocking: the editor has the terminal meanwhile.
pub(crate) fn edit_names(assets: &[Named], env: &Env) -> Result<Vec<NameChange>, EditRefused> {
    let edited = crate::programs::edit(&buffer(assets), "tsv", env)
        .map_err(|e| EditRefused::Editor(Arc::new(e)))?;
    changes(assets, &edited).map_err(EditRefused::Lines)
}

/// How a name is written in the buffer: made visible, so a line is always one line.
fn written(name: &str) -> String {
    text::visible(name).into_owned()
}

/// An asset as the buffer holds it: its id and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The asset.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl From<&crate::api::model::Asset> for Named {
    fn from(a: &crate::api::model::Asset) -> Self {
        Named {
            id: a.id.clone(),
            name: a.name.clone(),
        }
    }
}

/// The buffer the editor gets for `assets`: comments saying what to do, then one line per
/// asset.
pub fn buffer(assets: &[Named]) -> String {
    let mut text = String::from(
        "# Rename assets: change the names after the tab, then save and quit.\n\
         # Keep every line and its id; lines starting with # are ignored.\n\
         # Quitting without saving (or with an error, `:cq` in vi) changes nothing.\n",
    );
    for a in assets {
        text.push_str(&format!("{}\t{}\n", a.id, written(&a.name)));
    }
    text
}

/// The names `edited` (a [`buffer`] of `assets`, edited) changes, or its problems.
pub fn changes(assets: &[Named], edited: &str) -> Result<Vec<NameChange>, Problems> {
    let mut problems = Problems::default();
    let mut found = Vec::new();
    let lines = edited
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let mut expected = assets.iter();
    for (line, text) in lines {
        let problem = |problem: String| LineProblem { line, problem };
        let Some(asset) = expected.next() else {
            problems.push(problem("a line more than there are assets".to_owned()));
            continue;
        };
        let Some((id, name)) = text.split_once('\t') else {
            problems.push(problem("no tab between the id and the name".to_owned()));
            continue;
        };
        if id != asset.id {
            problems.push(problem(format!(
                "the id was changed to \"{}\" (it is {}); ids cannot be edited",
                text::cut(&text::visible(id), 64),
                asset.id
            )));
            continue;
        }
        if name == written(&asset.name) {
            continue;
        }
        match crate::validate::name(name, true) {
            Ok(()) => found.push(NameChange {
                id: asset.id.clone(),
                from: asset.name.clone(),
                to: name.to_owned(),
            }),
            Err(e) => problems.push(problem(e.to_string())),
        }
    }
    let missing: Vec<&str> = expected.map(|a| a.id.as_str()).collect();
    if !missing.is_empty() {
        let mut named = missing[..missing.len().min(PROBLEMS_SHOWN)].join(", ");
        if missing.len() > PROBLEMS_SHOWN {
            named.push_str(&format!(" and {} more", missing.len() - PROBLEMS_SHOWN));
        }
        problems.push(LineProblem {
            line: edited.lines().count() + 1,
            problem: format!("the lines of {named} are missing"),
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

impl Catalog {
    /// Sends each change (the client paces them), in order; each with its outcome.
    pub(crate) async fn rename_all(
        &self,
        changes: Vec<NameChange>,
    ) -> Vec<(NameChange, Result<(), ApiError>)> {
        let mut done = Vec::with_capacity(changes.len());
        for change in changes {
            let req = UpdateAsset {
                id: change.id.clone(),
                name: change.to.clone(),
            };
            let result = self.client().update_asset(&req).await;
            done.push((change, result));
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: &str, name: &str) -> Named {
        Named {
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    #[test]
    fn only_changed_names_count_and_any_broken_line_refuses_all() {
        let assets = [
            asset("a-1", "hero"),
            asset("a-2", "bell\u{7}"),
            asset("a-3", "x"),
        ];
        let text = buffer(&assets);
        assert!(text.contains("a-2\tbell\\x07\n"), "{text}");
        assert_eq!(
            changes(&assets, &text),
            Ok(Vec::new()),
            "untouched: nothing"
        );
        let edited = text.replace("a-1\thero", "a-1\thero v2");
        assert_eq!(
            changes(&assets, &edited).unwrap(),
            [NameChange {
                id: "a-1".into(),
                from: "hero".into(),
                to: "hero v2".into()
            }]
        );
        let problems = |edited: &str| changes(&assets, edited).unwrap_err().lines();
        let broken = text
            .replace("a-3\tx", "a-9\tx")
            .replace("a-1\thero", &format!("a-1\t{}", "n".repeat(65)));
        let found = problems(&broken);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("line 4: Name") && found[0].contains("65 characters"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("line 6: the id was changed"),
            "{found:?}"
        );
        let dropped = text.replace("a-3\tx\n", "");
        assert!(problems(&dropped)[0].contains("the lines of a-3 are missing"));
        let extra = format!("{text}a-4\tnew\n");
        assert!(problems(&extra)[0].ends_with("a line more than there are assets"));
        assert!(problems(&text.replace("a-1\thero", "a-1 hero"))[0].contains("no tab"));
    }
}
