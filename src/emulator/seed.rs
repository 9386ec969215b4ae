//! Sample images served by the emulator and the demo data set.

use chrono::{DateTime, Duration, Utc};

use super::copies::AssetFile;
use super::samples::sample;
use super::store::{DEFAULT_PROJECT, Store, StoredAsset, new_id};
use crate::api::model::{Asset, AssetError, AssetGroup, GroupType, Status};

const VALID: [&str; 6] = [
    "portrait.png",
    "portrait.jpg",
    "portrait.webp",
    "portrait.gif",
    "portrait.bmp",
    "portrait.tiff",
];

fn failure(i: usize) -> (&'static str, AssetError) {
    let cases = [
        (
            "missing.png",
            "InvalidParameter.DownloadFailed",
            "downloading the image failed: HTTP 404 Not Found",
        ),
        (
            "unsupported.ico",
            "InvalidParameter.FormatUnsupported",
            "image format ICO is not supported",
        ),
        (
            "edge-299x400.png",
            "InvalidParameter",
            "image width 299 px is outside (300, 6000)",
        ),
        (
            "edge-2500x1000.png",
            "InvalidParameter",
            "aspect ratio 2.500 is outside (0.4, 2.5)",
        ),
    ];
    let (file, code, message) = cases[i % cases.len()];
    (
        file,
        AssetError {
            code: code.to_owned(),
            message: message.to_owned(),
        },
    )
}

/// Code and message of a demo asset's failure.
type Failure = Option<(&'static str, &'static str)>;

/// The demo's videos and audio: `(sample, type, status, failure)`, so that each type shows in
/// every status.
const CLIPS: &[(&str, &str, Status, Failure)] = &[
    ("media/h264-aac-24fps.mp4", "Video", Status::Active, None),
    ("media/hevc-pcm.mov", "Video", Status::Active, None),
    ("media/voice.wav", "Audio", Status::Active, None),
    ("media/voice-vbr.mp3", "Audio", Status::Active, None),
    ("media/moov-at-end.mp4", "Video", Status::Processing, None),
    ("media/voice-cbr.mp3", "Audio", Status::Processing, None),
    (
        "media/fps-23.mp4",
        "Video",
        Status::Failed,
        Some((
            "InvalidParameter",
            "Video \"23 fps\": frame rate must be 24–60 fps",
        )),
    ),
    (
        "media/voice.m4a",
        "Audio",
        Status::Failed,
        Some((
            "InvalidParameter.FormatUnsupported",
            "Audio: is AAC audio in MP4; audio assets must be mp3 or wav",
        )),
    ),
];

/// Stores one demo asset made from the sample `file`, which is its copy once it is Active
/// and what its processing reads (never the URL, whose port is this run's only).
fn put(store: &mut Store, base: &str, asset: Asset, file: &str) {
    let source_url = format!("{base}/assets/{file}");
    let sample = sample(file).map(|_| AssetFile::Sample(file.to_owned()));
    let copy = sample.clone().filter(|_| asset.status == Status::Active);
    store.assets.insert(
        asset.id.clone(),
        StoredAsset {
            asset,
            source_url,
            source: sample,
            file: copy,
        },
    );
}

fn group(
    store: &mut Store,
    kind: GroupType,
    name: &str,
    description: &str,
    created: DateTime<Utc>,
) -> String {
    let id = new_id("group", created);
    store.groups.insert(
        id.clone(),
        AssetGroup {
            id: id.clone(),
            name: name.to_owned(),
            description: description.to_owned(),
            group_type: kind.name().to_owned(),
            project_name: DEFAULT_PROJECT.to_owned(),
            create_time: Some(created),
            update_time: Some(created),
        },
    );
    id
}

/// Fills `store` with the demo set: four groups of images (one with 240 assets), one of videos
/// and audio, a real person's group, Active, Failed and Processing assets, Chinese and long
/// names. File URLs point at
/// `base` (the emulator itself); Processing assets are left for the emulator to process.
pub fn demo(store: &mut Store, base: &str, now: DateTime<Utc>) {
    let groups = [
        (
            "主角 Leading cast",
            "Main characters for the Seedance trailer",
            12,
        ),
        (
            "Crowd extras for the festival scene, second unit, night shoot",
            "Background people; many assets, so scrolling and paging matter",
            240,
        ),
        ("产品 Product shots", "Packshots and props", 7),
        ("Empty group", "", 0),
    ];
    let image_groups = groups.len();
    let mut minute = 0;
    for (g, (name, description, count)) in groups.into_iter().enumerate() {
        // Listed first, created last: lists are newest first.
        let created = now - Duration::days(1) - Duration::hours(g as i64);
        let group_id = group(store, GroupType::Aigc, name, description, created);
        for i in 0..count {
            minute += 1;
            let created = now - Duration::days(3) + Duration::minutes(minute);
            // Every 11th asset failed; the product group has two still processing.
            let (status, file, error) = if g == 2 && i >= count - 2 {
                (Status::Processing, VALID[i % VALID.len()], None)
            } else if i % 11 == 5 {
                let (file, error) = failure(i / 11);
                (Status::Failed, file, Some(error))
            } else {
                (Status::Active, VALID[i % VALID.len()], None)
            };
            let asset_name = match g {
                0 => format!("角色 {:02} / hero", i + 1),
                1 => format!("extra-{:03}", i + 1),
                _ => format!("product-{}", i + 1),
            };
            let asset = demo_asset(&group_id, asset_name, "Image", status, error, created);
            put(store, base, asset, file);
        }
    }
    let created = now - Duration::days(1) - Duration::hours(image_groups as i64);
    let group_id = group(
        store,
        GroupType::Aigc,
        "Reference clips 参考视频与音频",
        "Reference videos and voice lines for Seedance",
        created,
    );
    for (i, (file, kind, status, error)) in CLIPS.iter().enumerate() {
        let created = now - Duration::days(2) + Duration::minutes(i as i64);
        let error = error.map(|(code, message)| AssetError {
            code: code.to_owned(),
            message: message.to_owned(),
        });
        let name = file.trim_start_matches("media/").to_owned();
        let asset = demo_asset(&group_id, name, kind, *status, error, created);
        put(store, base, asset, file);
    }
    // A verified real person (made by a liveness check), listed apart by the service.
    let created = now - Duration::days(1) - Duration::hours(image_groups as i64 + 1);
    let group_id = group(
        store,
        GroupType::LivenessFace,
        "Lin Yue (verified)",
        "A real person's group, made by a liveness check",
        created,
    );
    for (i, file) in VALID.iter().take(3).enumerate() {
        let created = now - Duration::days(2) + Duration::minutes(30 + i as i64);
        let name = format!("lin-yue-{:02}", i + 1);
        let asset = demo_asset(&group_id, name, "Image", Status::Active, None, created);
        put(store, base, asset, file);
    }
}

fn demo_asset(
    group_id: &str,
    name: String,
    kind: &str,
    status: Status,
    error: Option<AssetError>,
    created: DateTime<Utc>,
) -> Asset {
    Asset {
        id: new_id("asset", created),
        name,
        url: String::new(),
        asset_type: kind.to_owned(),
        group_id: group_id.to_owned(),
        status,
        error,
        create_time: Some(created),
        update_time: Some(created),
        project_name: DEFAULT_PROJECT.to_owned(),
        moderation: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_has_a_large_group_and_every_status() {
        let mut s = Store::default();
        demo(&mut s, "http://127.0.0.1:1", Utc::now());
        assert_eq!(s.groups.len(), 6);
        let people = s.groups.values().filter(|g| g.is_real_person()).count();
        assert_eq!(people, 1, "one real person's group");
        assert!(
            s.assets
                .values()
                .all(|a| (a.asset.status == Status::Active) == a.file.is_some()),
            "exactly the Active assets have their file"
        );
        assert!(
            s.assets
                .values()
                .filter(|a| a.asset.status == Status::Processing)
                .all(
                    |a| matches!(&a.source, Some(AssetFile::Sample(name)) if sample(name).is_some())
                ),
            "what is Processing is processed from its sample, not from a URL"
        );
        for kind in ["Image", "Video", "Audio"] {
            for status in [Status::Active, Status::Processing, Status::Failed] {
                assert!(
                    s.assets
                        .values()
                        .any(|a| a.asset.asset_type == kind && a.asset.status == status),
                    "{kind} {status}"
                );
            }
        }
        assert!(s.assets.len() > 250);
        for status in [Status::Active, Status::Processing, Status::Failed] {
            assert!(
                s.assets.values().any(|a| a.asset.status == status),
                "{status}"
            );
        }
        assert!(
            s.assets
                .values()
                .all(|a| a.asset.status != Status::Failed || a.asset.error.is_some())
        );
    }
}
