//! The shape of the code, read from `src/`: the top-level modules use each other without
//! cycles (`crate::<module>` outside test code), the command line stays apart from the TUI,
//! and no function is too long to read at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a function may be, in lines.
const MAX_FUNCTION_LINES: usize = 120;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file's text without its test module, by path under `src/`.
fn code() -> BTreeMap<PathBuf, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            (path.strip_prefix(&src).unwrap().to_owned(), code)
        })
        .collect()
}

/// The top-level module a file belongs to (`app` for `app/update/mod.rs`).
fn module_of(path: &Path) -> String {
    let first = path
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules each module names as `crate::<module>`.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in code() {
        let from = module_of(&path);
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let to: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !to.is_empty() && to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A cycle through `start`, when there is one.
fn cycle_through(start: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in edges.get(last).into_iter().flatten() {
            if next == start {
                return Some([path.clone(), vec![next.clone()]].concat());
            }
            if seen.insert(next.clone()) {
                stack.push([path.clone(), vec![next.clone()]].concat());
            }
        }
    }
    None
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let edges = edges();
    assert!(edges.len() > 10, "the sources were read: {edges:?}");
    for module in edges.keys() {
        if let Some(cycle) = cycle_through(module, &edges) {
            panic!("a cycle between modules: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_command_line_does_not_reach_into_the_tui() {
    let edges = edges();
    let cli = &edges["cli"];
    for tui_side in ["app", "ui", "tui"] {
        assert!(!cli.contains(tui_side), "cli uses {tui_side}: {cli:?}");
    }
}

#[test]
fn no_function_is_longer_than_it_can_be_read() {
    let mut long = Vec::new();
    for (path, text) in code() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "async fn ",
            ]
            .iter()
            .chain(&[
                "pub async fn ",
                "pub(crate) async fn ",
                "pub(super) async fn ",
            ])
            .any(|p| trimmed.starts_with(p));
            if !is_fn || trimmed.ends_with(';') {
                continue;
            }
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.starts_with(&format!("{indent}}}")));
            if let Some(end) = end
                && end + 2 > MAX_FUNCTION_LINES
            {
                long.push(format!("{}:{} ({} lines)", path.display(), i + 1, end + 2));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines: {long:?}"
    );
}
