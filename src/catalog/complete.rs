//! Tab's path completion: the last part of a typed path completed from the folder it names.

use std::path::Path;

/// What Tab made of a typed path: the longest unambiguous completion and the choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The text, completed as far as the choices agree (a single directory gets its `/`).
    pub value: String,
    /// The names in its folder that start with what was typed (folders end in `/`), sorted.
    pub choices: Vec<String>,
}

/// Entries of one folder looked at, at most.
const MAX_COMPLETION_ENTRIES: usize = 10_000;

/// Completes the last part of `typed`, a path (`~` is home; relative to `base`), from the
/// folder it names. Blocking: reads the folder.
pub(crate) fn complete_path(typed: &str, base: &Path) -> Completion {
    let (dir_text, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_text.is_empty() {
        base.to_owned()
    } else {
        super::local::local_path(dir_text, base)
    };
    let mut choices: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .take(MAX_COMPLETION_ENTRIES)
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let shown =
                name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'));
            if !shown {
                return None;
            }
            let is_dir = entry.path().is_dir();
            Some(if is_dir { format!("{name}/") } else { name })
        })
        .collect();
    choices.sort();
    let common = choices
        .split_first()
        .map_or_else(String::new, |(first, rest)| {
            let mut common = first.as_str();
            for other in rest {
                let same = common
                    .char_indices()
                    .zip(other.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(common.len().min(other.len()), |((i, _), _)| i);
                common = &common[..same];
            }
            common.to_owned()
        });
    let value = if common.len() > prefix.len() {
        format!("{dir_text}{common}")
    } else {
        typed.to_owned()
    };
    Completion { value, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_complete_as_far_as_the_choices_agree() {
        let dir = std::env::temp_dir().join(format!("ark-complete-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("clips")).unwrap();
        for name in ["hero-01.png", "hero-02.png", ".hidden.png", "villain.jpg"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let c = complete_path("he", &dir);
        assert_eq!(c.value, "hero-0");
        assert_eq!(c.choices, ["hero-01.png", "hero-02.png"]);
        assert_eq!(complete_path("v", &dir).value, "villain.jpg");
        assert_eq!(complete_path("cl", &dir).value, "clips/");
        assert_eq!(complete_path("./vi", &dir).value, "./villain.jpg");
        assert_eq!(complete_path(".h", &dir).value, ".hidden.png");
        let none = complete_path("zzz", &dir);
        assert_eq!((none.value.as_str(), none.choices.len()), ("zzz", 0));
        let all = complete_path("", &dir);
        assert_eq!(
            all.choices.len(),
            4,
            "hidden files only when asked: {:?}",
            all.choices
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
