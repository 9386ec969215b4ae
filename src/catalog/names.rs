//! The names assets get when none is given: the stem of the file's name (`hero-01` for
//! `hero-01.png` or `https://cdn.example/hero-01.png?sig=…`), so that a create whose answer was
//! lost can be found again by name. When two sources of one run share a stem (`portrait.jpg`
//! and `portrait.png`), each takes its whole file name instead, so the names tell them apart.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::source::Source;
use crate::validate::MAX_NAME_CHARS;

/// What a source's name is made from.
enum Base {
    /// A file name: a path's last part, or a URL's last path segment (decoded).
    File(String),
    /// The host of a URL without a path, kept whole.
    Host(String),
}

impl Base {
    fn of(source: &Source) -> Base {
        match source {
            Source::File(path) => Base::File(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string()),
            ),
            Source::Url(url) => {
                let path = url.split(['?', '#']).next().unwrap_or(url);
                let rest = path.split_once("://").map_or(path, |(_, rest)| rest);
                let mut parts = rest.split('/');
                let host = parts.next().unwrap_or_default();
                match parts.rfind(|s| !s.is_empty()) {
                    Some(last) => Base::File(
                        percent_encoding::percent_decode_str(last)
                            .decode_utf8_lossy()
                            .into_owned(),
                    ),
                    None => Base::Host(host.to_owned()),
                }
            }
        }
    }

    /// The whole of it.
    fn whole(&self) -> &str {
        match self {
            Base::File(name) | Base::Host(name) => name,
        }
    }

    /// A file name without its extension (a name that is all extension, like `.png`, stays);
    /// a host whole.
    fn stem(&self) -> &str {
        match self {
            Base::File(name) => match name.rsplit_once('.') {
                Some((stem, _)) if !stem.is_empty() => stem,
                _ => name,
            },
            Base::Host(host) => host,
        }
    }
}

/// The name an unnamed URL row's ledger key holds: the URL's last path segment as it is
/// written, cut to the longest name (as every version has keyed such rows, so that keys stay
/// the same whatever default name rows are given).
pub(crate) fn key_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let file = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("asset");
    plain_cut(file)
}

/// Its first characters, as many as a name may have: how names too long were cut before
/// [`fitted`] (assets named so are still taken for their files).
fn plain_cut(name: &str) -> String {
    name.chars().take(MAX_NAME_CHARS).collect()
}

/// Characters of a hex digest that end a name cut by [`fitted`].
const TAIL_HEX: usize = 8;

/// `name` as an asset may have it: whole when it fits; else its first characters, `~` and
/// the first [`TAIL_HEX`] hex digits of the SHA-256 of the whole name, in composed form, so
/// that two long names sharing their first characters stay apart, and every machine cuts one
/// name alike.
fn fitted(name: &str) -> String {
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    let name = crate::text::nfc(name);
    let tail = crate::api::sign::sha256_hex(name.as_bytes());
    let head: String = name.chars().take(MAX_NAME_CHARS - TAIL_HEX - 1).collect();
    format!("{head}~{}", &tail[..TAIL_HEX])
}

/// The name `source` gets on its own: its stem.
pub(crate) fn default_name(source: &Source) -> String {
    fitted(Base::of(source).stem())
}

/// The names `sources` get when created in one run: their stems, except where two share one:
/// those take their whole file names.
pub(crate) fn default_names<'a>(sources: impl IntoIterator<Item = &'a Source>) -> Vec<String> {
    let bases: Vec<Base> = sources.into_iter().map(Base::of).collect();
    let mut wholes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for base in &bases {
        let wholes = wholes_of.entry(base.stem()).or_default();
        if !wholes.contains(&base.whole()) {
            wholes.push(base.whole());
        }
    }
    bases
        .iter()
        .map(|base| {
            let shared = wholes_of[base.stem()].len() > 1;
            fitted(if shared { base.whole() } else { base.stem() })
        })
        .collect()
}

/// The names a folder's files get, as `sync` gives them: each file's stem; where two share a
/// stem, their whole file names; where two share that too (the same file name in two
/// sub-folders), their paths below `root` (`a/x.png`, `b/x.png`).
pub(crate) fn folder_names(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    let forms: Vec<[String; 3]> = paths.iter().map(|p| uncut_forms(root, p)).collect();
    let mut stems: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut wholes: HashMap<&str, usize> = HashMap::new();
    for [stem, whole, _] in &forms {
        stems.entry(stem).or_default().insert(whole);
        *wholes.entry(whole).or_default() += 1;
    }
    forms
        .iter()
        .map(|[stem, whole, below]| {
            let name = if wholes[whole.as_str()] > 1 {
                below
            } else if stems[stem.as_str()].len() > 1 {
                whole
            } else {
                stem
            };
            fitted(name)
        })
        .collect()
}

/// Every name a file of a folder may have been given by [`folder_names`]: its stem (first),
/// its whole file name and its path below `root`, each fitted and, where too long, also cut
/// as before [`fitted`]. An asset of any of them is taken as named for the file, so adding
/// `portrait.jpg` beside `portrait.png` does not rename `portrait`'s asset.
pub(crate) fn forms(root: &Path, path: &Path) -> Vec<String> {
    let uncut = uncut_forms(root, path);
    let mut forms: Vec<String> = uncut.iter().map(|n| fitted(n)).collect();
    for cut in uncut.iter().map(|n| plain_cut(n)) {
        if !forms.contains(&cut) {
            forms.push(cut);
        }
    }
    forms
}

/// A file's stem, whole file name and path below `root`, as long as they are.
fn uncut_forms(root: &Path, path: &Path) -> [String; 3] {
    let base = Base::of(&Source::File(path.to_owned()));
    let below = path
        .strip_prefix(root)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|_| base.whole().to_owned());
    [base.stem().to_owned(), base.whole().to_owned(), below]
}

/// The longest stem, in bytes (a file name may have 255, and the extension follows).
const MAX_STEM_BYTES: usize = 240;

/// `name` as a file name's stem (as a pull names an asset's file, and a sync reads it back): path separators, control characters and a leading dot
/// replaced by `_`, cut to [`MAX_STEM_BYTES`]; `fallback` when nothing is left.
pub(crate) fn file_stem(name: &str, fallback: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if stem.starts_with('.') {
        stem.replace_range(0..1, "_");
    }
    while stem.len() > MAX_STEM_BYTES {
        stem.pop();
    }
    if stem.trim().is_empty() {
        fallback.to_owned()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> Source {
        Source::Url(u.to_owned())
    }

    fn file(p: &str) -> Source {
        Source::File(p.into())
    }

    #[test]
    fn a_name_is_the_stem_unless_another_source_shares_it() {
        assert_eq!(
            default_name(&url("https://cdn.x/a/hero-01.png?sig=1")),
            "hero-01"
        );
        assert_eq!(
            default_name(&url("https://cdn.x/hero%20one.webp")),
            "hero one"
        );
        assert_eq!(default_name(&url("https://cdn.x/")), "cdn.x");
        assert_eq!(default_name(&file("/p/.png")), ".png");
        assert_eq!(
            default_name(&url(&format!("https://x/{}.png", "a".repeat(80))))
                .chars()
                .count(),
            64
        );
        let sources = [
            file("/p/portrait.jpg"),
            file("/p/portrait.png"),
            file("/p/villain.png"),
            url("https://cdn.x/portrait.webp"),
            url("https://cdn.x/hero.png?row=1"),
            url("https://cdn.x/hero.png?row=2"),
        ];
        assert_eq!(
            default_names(&sources),
            [
                "portrait.jpg",
                "portrait.png",
                "villain",
                "portrait.webp",
                // One file name twice is one stem: the name stays short.
                "hero",
                "hero"
            ]
        );
    }

    #[test]
    fn a_folder_tells_apart_stems_and_file_names_of_its_sub_folders() {
        let root = Path::new("/r");
        let paths: Vec<PathBuf> = [
            "/r/portrait.jpg",
            "/r/portrait.png",
            "/r/a/x.png",
            "/r/b/x.png",
            "/r/solo.webp",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            folder_names(root, &paths),
            ["portrait.jpg", "portrait.png", "a/x.png", "b/x.png", "solo"]
        );
        assert_eq!(
            forms(root, Path::new("/r/a/x.png")),
            ["x", "x.png", "a/x.png"]
        );
    }

    #[test]
    fn long_names_are_cut_apart_and_keep_their_old_cut_as_a_form() {
        let long = "a".repeat(70);
        let root = Path::new("/r");
        let paths = [format!("/r/{long}1.png"), format!("/r/{long}2.png")].map(PathBuf::from);
        let names = folder_names(root, &paths);
        assert_ne!(names[0], names[1]);
        for name in &names {
            assert_eq!(name.chars().count(), MAX_NAME_CHARS, "{name}");
            assert!(name.starts_with(&"a".repeat(55)), "{name}");
        }
        // Every machine cuts alike, a decomposed name as its composed form.
        let composed = format!("caf\u{e9}{long}");
        assert_eq!(fitted(&composed), fitted(&format!("cafe\u{301}{long}")));
        assert!(fitted(&composed).starts_with("caf\u{e9}aa"));
        let forms = forms(root, &paths[0]);
        assert_eq!(forms[0], names[0]);
        assert!(forms.contains(&"a".repeat(64)), "{forms:?}");
        assert_eq!(fitted("hero"), "hero");
    }
}
