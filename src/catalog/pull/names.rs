//! Where a pull puts each file: safe file names, type folders, and distinct file names for
//! assets whose files would be one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::super::names::file_stem;
use super::*;
use crate::api::model::Asset;

/// The longest file name, in bytes.
const MAX_FILE_NAME_BYTES: usize = 255;
/// The longest id a file name takes (an id is some 30 bytes; the service's word is not trusted).
const MAX_TAG_BYTES: usize = 64;

/// A file name before its extension is read from the bytes: what `sync` reads back from each
/// is the asset's name (the stem, or the whole name), so a sync of the folder matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FileName {
    /// `<stem>.<ext>`, or the stem alone when it ends with the extension (`voice.wav`).
    Usual(String),
    /// `<stem>.<ext>` always (`hero.png.png` of an asset named `hero.png`).
    Extended(String),
    /// A whole file name whatever the bytes: `<stem>.<the asset's id>`.
    Fixed(String),
}

impl FileName {
    /// The file name when the bytes are of extension `ext`.
    pub(super) fn with(&self, ext: &str) -> String {
        match self {
            FileName::Usual(stem) => file_name(stem, ext),
            FileName::Extended(stem) => format!("{stem}.{ext}"),
            FileName::Fixed(name) => name.clone(),
        }
    }

    /// Every file name it may become for a file of `asset_type`.
    pub(super) fn all(&self, asset_type: &str) -> Vec<String> {
        let mut all: Vec<String> = (extensions(asset_type).iter())
            .map(|ext| self.with(ext))
            .collect();
        all.dedup();
        all
    }
}

/// Where each asset goes: `<dir>[/<type>]/<name>.<ext>`, the name made a safe file name. Of
/// assets whose files could be one (compared lower-cased, as a folder may not tell case
/// apart), the oldest takes it (one whose name does not end with an extension first: `hero`
/// before `hero.png`); each other is named so that its stem or whole name is still the
/// asset's name, beside the others: `hero.png.png`, else `hero.<id>` (a sub-folder would be
/// left out of a `sync` without `--recursive`, and its asset deleted by `--delete`).
pub(super) fn places(dir: &Path, mut assets: Vec<Asset>, by_type: bool) -> Vec<Place> {
    assets.sort_by_cached_key(|a| {
        let stem = file_stem(&a.name, &a.id);
        (
            ends_with_extension(&stem, &a.asset_type),
            a.create_time,
            a.id.clone(),
        )
    });
    let mut taken: HashSet<(PathBuf, String)> = HashSet::new();
    assets
        .into_iter()
        .map(|asset| {
            let mut folder = dir.to_owned();
            if by_type {
                folder.push(type_folder(&asset.asset_type));
            }
            let names = |name: &FileName| -> Vec<(PathBuf, String)> {
                let all = name.all(&asset.asset_type).into_iter();
                all.map(|n| (folder.clone(), n.to_lowercase())).collect()
            };
            let name = candidates(&asset)
                .find(|name| names(name).iter().all(|n| !taken.contains(n)))
                .expect("the candidates do not end");
            taken.extend(names(&name));
            Place {
                asset,
                folder,
                name,
            }
        })
        .collect()
}

/// The file names `asset` may take, best first: the usual, the extension kept, then names
/// of its id (`<stem>.<id>`, `<stem>.<id>-2`, …), which end.
fn candidates(asset: &Asset) -> impl Iterator<Item = FileName> + '_ {
    let stem = file_stem(&asset.name, &asset.id);
    let mut id = file_stem(&asset.id, "asset").replace('.', "_");
    while id.len() > MAX_TAG_BYTES {
        id.pop();
    }
    let base = stem.clone();
    let fixed = (1u64..).map(move |n| {
        let tag = if n == 1 {
            id.clone()
        } else {
            format!("{id}-{n}")
        };
        let mut stem = base.clone();
        while stem.len() + 1 + tag.len() > MAX_FILE_NAME_BYTES {
            stem.pop();
        }
        FileName::Fixed(format!("{stem}.{tag}"))
    });
    [FileName::Usual(stem.clone()), FileName::Extended(stem)]
        .into_iter()
        .chain(fixed)
}

/// Whether `stem` ends with an extension a file of `asset_type` may have (`hero.png`).
fn ends_with_extension(stem: &str, asset_type: &str) -> bool {
    (extensions(asset_type).iter()).any(|ext| file_name(stem, ext) == stem)
}

/// The sub-folder of a type: `image`, `video`, `audio`, else `other` (the service's word is
/// never a path).
fn type_folder(asset_type: &str) -> &'static str {
    ["image", "video", "audio"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(asset_type))
        .unwrap_or("other")
}

/// The file name of `stem` with extension `ext`: `stem` alone when it ends with it already
/// (an asset named `voice.wav` is `voice.wav`, not `voice.wav.wav`).
pub(super) fn file_name(stem: &str, ext: &str) -> String {
    let has = stem.len() > ext.len() + 1
        && stem.is_char_boundary(stem.len() - ext.len() - 1)
        && stem[stem.len() - ext.len() - 1..].eq_ignore_ascii_case(&format!(".{ext}"));
    if has {
        stem.to_owned()
    } else {
        format!("{stem}.{ext}")
    }
}

/// The extensions a file of `asset_type` may have been given.
pub(super) fn extensions(asset_type: &str) -> &'static [&'static str] {
    match asset_type.to_ascii_lowercase().as_str() {
        "video" => &["mp4", "mov"],
        "audio" => &["wav", "mp3"],
        _ => &["png", "jpg", "webp", "bmp", "gif", "tiff", "heic"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: &str, name: &str, kind: &str, minute: i64) -> Asset {
        serde_json::from_value(serde_json::json!({
            "Id": id,
            "Name": name,
            "AssetType": kind,
            "CreateTime": format!("2026-01-01T00:{minute:02}:00Z"),
        }))
        .unwrap()
    }

    #[test]
    fn names_that_would_be_one_file_lower_cased_are_told_apart_beside_each_other() {
        let dir = Path::new("/d");
        let got = places(
            dir,
            vec![
                asset("asset-f", "hero.png", "Image", 0),
                asset("asset-b", "hero", "Image", 2),
                asset("asset-a", "hero", "Image", 1),
                asset("asset-c", "hero", "Video", 3),
                asset("asset-d", "a/b", "Image", 4),
                asset("asset-e", ".hidden", "Image", 5),
                asset("asset-g", "HERO", "Image", 6),
            ],
            false,
        );
        let shown: Vec<(&str, &Path, String)> = got
            .iter()
            .map(|p| (p.asset.id.as_str(), p.folder.as_path(), p.name.with("png")))
            .collect();
        let row = |id, s: &str| (id, dir, s.to_owned());
        assert_eq!(
            shown,
            vec![
                row("asset-a", "hero.png"),
                row("asset-b", "hero.asset-b"),
                row("asset-c", "hero.png"),
                row("asset-d", "a_b.png"),
                row("asset-e", "_hidden.png"),
                row("asset-g", "HERO.asset-g"),
                // Ends with its extension: after those that do not, its extension kept.
                row("asset-f", "hero.png.png"),
            ]
        );
        assert_eq!(got[2].name.with("mp4"), "hero.mp4");
        // Each file is read back by a sync as its asset's name (its stem or whole name).
        for place in got.iter().filter(|p| p.asset.asset_type == "Image") {
            let path = dir.join(place.name.with("png"));
            let forms = crate::catalog::names::forms(dir, &path);
            assert!(
                forms.contains(&file_stem(&place.asset.name, "")),
                "{forms:?}"
            );
        }
        let long = asset(&"i".repeat(300), &"字".repeat(90), "Image", 1);
        let both = places(dir, vec![long.clone(), long], false);
        assert!(both[1].name.with("png").len() <= MAX_FILE_NAME_BYTES);
        assert_ne!(both[0].name.with("png"), both[1].name.with("png"));
        let typed = places(
            dir,
            vec![
                asset("asset-a", "hero", "Video", 1),
                asset("asset-b", "x", "../../etc", 2),
            ],
            true,
        );
        assert_eq!(typed[0].folder, Path::new("/d/video"));
        assert_eq!(typed[1].folder, Path::new("/d/other"));
        assert_eq!(file_stem(&"字".repeat(90), "x").len(), 240);
        assert_eq!(file_name("voice.WAV", "wav"), "voice.WAV");
        assert_eq!(file_name("voice", "wav"), "voice.wav");
        assert_eq!(file_name(".wav", "wav"), ".wav.wav");
        assert_eq!(file_name("clip.mov", "mp4"), "clip.mov.mp4");
    }
}
