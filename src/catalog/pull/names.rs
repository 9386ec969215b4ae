//! Where a pull puts each file: safe file names, type folders, and names that would be one
//! file sent to folders of their ids.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::api::model::Asset;

/// Where each asset goes: `<dir>[/<type>]/<name>`; the name made a safe file name; of assets
/// whose places would be the same file, the oldest takes it and each other goes into a folder
/// named by its id (`sync --recursive` names those by the path below the folder, whose stem is
/// still the asset's name).
pub(super) fn places(dir: &Path, mut assets: Vec<Asset>, by_type: bool) -> Vec<Place> {
    assets.sort_by(|a, b| (a.create_time, &a.id).cmp(&(b.create_time, &b.id)));
    let mut taken: HashMap<(PathBuf, String, String), ()> = HashMap::new();
    assets
        .into_iter()
        .map(|asset| {
            let mut folder = dir.to_owned();
            if by_type {
                folder.push(type_folder(&asset.asset_type));
            }
            let stem = file_stem(&asset.name, &asset.id);
            let slot = (
                folder.clone(),
                stem.to_lowercase(),
                asset.asset_type.clone(),
            );
            if taken.insert(slot, ()).is_some() {
                folder.push(file_stem(&asset.id, "asset"));
            }
            Place {
                asset,
                folder,
                stem,
            }
        })
        .collect()
}

/// The sub-folder of a type: `image`, `video`, `audio`, else `other` (the service's word is
/// never a path).
fn type_folder(asset_type: &str) -> &'static str {
    ["image", "video", "audio"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(asset_type))
        .unwrap_or("other")
}

/// The longest stem, in bytes (a file name may have 255, and the extension follows).
const MAX_STEM_BYTES: usize = 240;

/// `name` as a file name's stem: path separators, control characters and a leading dot
/// replaced by `_`, cut to [`MAX_STEM_BYTES`]; `fallback` when nothing is left.
fn file_stem(name: &str, fallback: &str) -> String {
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
    fn names_that_would_be_one_file_go_to_folders_of_their_ids() {
        let dir = Path::new("/d");
        let got = places(
            dir,
            vec![
                asset("asset-b", "hero", "Image", 2),
                asset("asset-a", "hero", "Image", 1),
                asset("asset-c", "hero", "Video", 3),
                asset("asset-d", "a/b", "Image", 4),
                asset("asset-e", ".hidden", "Image", 5),
            ],
            false,
        );
        let shown: Vec<(String, String, String)> = got
            .iter()
            .map(|p| {
                let folder = p.folder.display().to_string();
                (p.asset.id.clone(), folder, p.stem.clone())
            })
            .collect();
        let row = |id: &str, f: &str, s: &str| (id.to_owned(), f.to_owned(), s.to_owned());
        assert_eq!(
            shown,
            vec![
                row("asset-a", "/d", "hero"),
                row("asset-b", "/d/asset-b", "hero"),
                row("asset-c", "/d", "hero"),
                row("asset-d", "/d", "a_b"),
                row("asset-e", "/d", "_hidden"),
            ]
        );
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
