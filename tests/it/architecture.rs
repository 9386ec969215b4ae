//! The shape of the code, read from `src/`: the top-level modules use each other without
//! cycles (`crate::<module>` outside test code), nor do the files of any one folder, the
//! command line stays apart from the TUI, and no function or file is too long to read.

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

/// The most lines a source file may have.
const MAX_FILE_LINES: usize = 500;

#[test]
fn no_source_file_is_longer_than_the_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut long = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        if lines > MAX_FILE_LINES {
            long.push(format!("{name} ({lines} lines, at most {MAX_FILE_LINES})"));
        }
    }
    assert!(long.is_empty(), "files too long: {long:?}");
}

/// A file's module path (`app/update/mod.rs` → `app::update`; `lib.rs` → the root).
fn module_path(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    match last.trim_end_matches(".rs") {
        "mod" | "lib" | "main" => {}
        stem => parts.push(stem.to_owned()),
    }
    parts
}

/// The paths a `use` tree names, whole (`a::{b, c::d}` → `a::b`, `a::c::d`).
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let (prefix, inner) = (&tree[..open], &tree[open + 1..tree.len() - 1]);
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand_use(&format!("{prefix}{p}")))
        .collect()
}

/// Every path a file names that starts at `crate` or `super` (in `use` trees and in code;
/// comments left out).
fn named_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            paths.extend(expand_use(&tail[..end]));
        }
        rest = &tail[end.min(tail.len())..];
    }
    for start in ["crate::", "super::"] {
        for (at, _) in code.match_indices(start) {
            if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push(path);
        }
    }
    paths
}

/// The module a path names, as far as it is a module of `modules` (`super` read from `from`).
fn target(path: &str, from: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut at: Vec<String> = match segments.next()? {
        "crate" => Vec::new(),
        "super" => from[..from.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    for segment in segments {
        if segment == "super" {
            at.pop()?;
            continue;
        }
        let mut next = at.clone();
        next.push(segment.to_owned());
        if !modules.contains(&next) {
            break;
        }
        at = next;
    }
    Some(at)
}

/// Within each folder, which of its files and sub-folders use which (a folder's `mod.rs` and
/// its children using each other is no tie: the folder is one module).
fn sibling_edges() -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
    let code = code();
    let modules: BTreeSet<Vec<String>> = code.keys().map(|p| module_path(p)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (path, text) in &code {
        let from = module_path(path);
        for named in named_paths(text) {
            let Some(to) = target(&named, &from, &modules) else {
                continue;
            };
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common >= from.len() || common >= to.len() {
                continue; // a module and what it holds, or what holds it
            }
            edges
                .entry(from[..common].to_vec())
                .or_default()
                .entry(from[common].clone())
                .or_default()
                .insert(to[common].clone());
        }
    }
    edges
}

#[test]
fn no_files_of_one_folder_use_each_other_in_a_circle() {
    let edges = sibling_edges();
    assert!(edges.len() > 10, "the folders were read: {edges:?}");
    let tied = &edges[&vec!["app".to_owned(), "update".to_owned()]];
    assert!(
        tied["commands"].contains("panes"),
        "ties are seen: {tied:?}"
    );
    let mut circles = Vec::new();
    for (folder, ties) in &edges {
        for file in ties.keys() {
            if let Some(cycle) = cycle_through(file, ties) {
                circles.push(format!("{}: {}", folder.join("::"), cycle.join(" → ")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files that use each other: {circles:#?}"
    );
}

/// The command line's subcommands are leaves: each file of `cli/` uses only what they all
/// share (the arguments, output, resolving a group, progress), never another subcommand's
/// file; `mod.rs` dispatches to each.
#[test]
fn no_subcommand_uses_another() {
    const SHARED: [&str; 4] = ["args", "output", "resolve", "progress"];
    let edges = sibling_edges();
    let cli = &edges[&vec!["cli".to_owned()]];
    assert!(cli["sync"].contains("progress"), "ties are seen: {cli:?}");
    let crossing: Vec<String> = cli
        .iter()
        .filter(|(file, _)| *file != "mod" && !SHARED.contains(&file.as_str()))
        .flat_map(|(file, uses)| {
            uses.iter()
                .filter(|to| *to != "mod" && !SHARED.contains(&to.as_str()))
                .map(move |to| format!("{file} → {to}"))
        })
        .collect();
    assert!(
        crossing.is_empty(),
        "subcommands that use another: {crossing:#?}"
    );
}
