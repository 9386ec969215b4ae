//! Sample images served by the emulator and the demo data set.

use chrono::{DateTime, Duration, Utc};

use super::store::{DEFAULT_PROJECT, Store, StoredAsset, new_id};
use crate::api::model::{Asset, AssetError, AssetGroup, Status};

/// Sample images compiled into the binary, served at `/assets/<name>`.
pub const SAMPLES: &[(&str, &[u8])] = &[
    ("portrait.png", include_bytes!("../../assets/portrait.png")),
    ("portrait.jpg", include_bytes!("../../assets/portrait.jpg")),
    (
        "portrait.webp",
        include_bytes!("../../assets/portrait.webp"),
    ),
    ("portrait.gif", include_bytes!("../../assets/portrait.gif")),
    ("portrait.bmp", include_bytes!("../../assets/portrait.bmp")),
    (
        "portrait.tiff",
        include_bytes!("../../assets/portrait.tiff"),
    ),
    (
        "edge-299x400.png",
        include_bytes!("../../assets/edge-299x400.png"),
    ),
    (
        "edge-2500x1000.png",
        include_bytes!("../../assets/edge-2500x1000.png"),
    ),
    (
        "unsupported.ico",
        include_bytes!("../../assets/unsupported.ico"),
    ),
    (
        "not-an-image.html",
        include_bytes!("../../assets/not-an-image.html"),
    ),
    (
        "truncated.png",
        include_bytes!("../../assets/truncated.png"),
    ),
];

/// The bytes and content type of a sample.
pub fn sample(name: &str) -> Option<(&'static [u8], &'static str)> {
    let bytes = SAMPLES.iter().find(|(n, _)| *n == name)?.1;
    let kind = match name.rsplit('.').next() {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("tiff") => "image/tiff",
        Some("ico") => "image/x-icon",
        Some("html") => "text/html",
        _ => "application/octet-stream",
    };
    Some((bytes, kind))
}

/// The URL an Active asset is served under: the source with a 12-hour expiry signature.
pub fn signed_url(source: &str, now: DateTime<Utc>) -> String {
    let sep = if source.contains('?') { '&' } else { '?' };
    let expires = (now + Duration::hours(12)).format("%Y%m%dT%H%M%SZ");
    let signature = crate::api::sign::sha256_hex(format!("{source}{expires}").as_bytes());
    format!(
        "{source}{sep}X-Expires={expires}&X-Signature={}",
        &signature[..32]
    )
}

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

/// Fills `store` with the demo set: four groups (one with 240 assets), Active, Failed and
/// Processing assets, Chinese and long names. Image URLs point at `base` (the emulator itself);
/// Processing assets are left for the emulator to process.
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
    let mut minute = 0;
    for (g, (name, description, count)) in groups.into_iter().enumerate() {
        // Listed first, created last: lists are newest first.
        let created = now - Duration::days(1) - Duration::hours(g as i64);
        let group_id = new_id("group", created);
        store.groups.insert(
            group_id.clone(),
            AssetGroup {
                id: group_id.clone(),
                name: name.to_owned(),
                description: description.to_owned(),
                group_type: "AIGC".to_owned(),
                project_name: DEFAULT_PROJECT.to_owned(),
                create_time: Some(created),
                update_time: Some(created),
            },
        );
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
            let source_url = format!("{base}/assets/{file}");
            let asset_name = match g {
                0 => format!("角色 {:02} / hero", i + 1),
                1 => format!("extra-{:03}", i + 1),
                _ => format!("product-{}", i + 1),
            };
            let id = new_id("asset", created);
            let url = if status == Status::Active {
                signed_url(&source_url, now)
            } else {
                String::new()
            };
            store.assets.insert(
                id.clone(),
                StoredAsset {
                    asset: Asset {
                        id,
                        name: asset_name,
                        url,
                        asset_type: "Image".to_owned(),
                        group_id: group_id.clone(),
                        status,
                        error,
                        create_time: Some(created),
                        update_time: Some(created),
                        project_name: DEFAULT_PROJECT.to_owned(),
                        moderation: None,
                    },
                    source_url,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_has_a_large_group_and_every_status() {
        let mut s = Store::default();
        demo(&mut s, "http://127.0.0.1:1", Utc::now());
        assert_eq!(s.groups.len(), 4);
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
        for (name, _) in SAMPLES {
            assert!(sample(name).is_some());
        }
    }
}
