//! Image rules on both sides of every boundary, with real image files from `assets/`.

use crate::support::stub;

use std::path::{Path, PathBuf};

use ark_assets::media::{self, ImageFormat, ImageInfo, MAX_FILE_BYTES, Media, Policy};
use ark_assets::validate::Invalid;

fn image(media: Media) -> ImageInfo {
    match media {
        Media::Image(info) => info,
        other => panic!("not an image: {other:?}"),
    }
}

fn check_file(path: &Path) -> Result<ImageInfo, Vec<Invalid>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(media::check_file(path, &Policy::default()))
        .map(|c| image(c.media))
}

async fn check_url(http: &reqwest::Client, url: &url::Url) -> Result<ImageInfo, Vec<Invalid>> {
    let timeouts = media::CheckTimeouts::default();
    media::check_url(http, url, timeouts, &Policy::default())
        .await
        .map(|c| image(c.media))
}

fn asset(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

fn rules_broken(name: &str) -> Vec<String> {
    match check_file(&asset(name)) {
        Ok(_) => Vec::new(),
        Err(broken) => broken.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn every_accepted_format_is_read_from_its_header() {
    let cases = [
        ("portrait.png", ImageFormat::Png, 800, 1000),
        ("portrait.jpg", ImageFormat::Jpeg, 768, 1024),
        ("portrait.webp", ImageFormat::Webp, 720, 960),
        ("portrait.gif", ImageFormat::Gif, 640, 800),
        ("portrait.tiff", ImageFormat::Tiff, 640, 800),
        ("portrait.bmp", ImageFormat::Bmp, 320, 400),
        ("really-a-png.jpg", ImageFormat::Png, 800, 1000),
    ];
    for (name, format, w, h) in cases {
        let info = check_file(&asset(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            (info.format, info.width, info.height),
            (format, w, h),
            "{name}"
        );
        assert!(info.bytes.is_some_and(|b| b > 0));
    }
}

#[test]
fn sides_must_be_strictly_between_300_and_6000() {
    assert!(rules_broken("edge-299x400.png")[0].contains("width is 299 px"));
    assert!(rules_broken("edge-300x400.png")[0].contains("width is 300 px"));
    assert!(rules_broken("edge-301x400.png").is_empty());
    assert!(rules_broken("edge-5999x3000.png").is_empty());
    let broken = rules_broken("edge-6000x3000.png");
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("width is 6000 px") && broken[0].starts_with("Image \"6000x3000\""));
    // Both sides out: the rule is said once, naming both.
    let square = rules_broken("edge-6000x6000.png");
    assert_eq!(square.len(), 1, "{square:?}");
    assert!(
        square[0].contains("width and height are 6000 px; each side must be")
            && square[0].matches("each side").count() == 1,
        "{square:?}"
    );
}

#[test]
fn aspect_ratio_must_be_strictly_between_0_4_and_2_5() {
    let at_min = rules_broken("edge-400x1000.png");
    assert_eq!(at_min.len(), 1);
    assert!(
        at_min[0].contains("aspect ratio W/H is 0.400"),
        "{at_min:?}"
    );
    assert!(rules_broken("edge-401x1000.png").is_empty());
    assert!(rules_broken("edge-2499x1000.png").is_empty());
    assert!(rules_broken("edge-2500x1000.png")[0].contains("aspect ratio W/H is 2.500"));
}

#[test]
fn files_must_be_smaller_than_30_mb() {
    let dir = std::env::temp_dir().join(format!("ark-assets-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = std::fs::read(asset("portrait.png")).unwrap();
    for (len, ok) in [
        (MAX_FILE_BYTES - 1, true),
        (MAX_FILE_BYTES, false),
        (MAX_FILE_BYTES + 1, false),
    ] {
        let path = dir.join(format!("big-{len}.png"));
        std::fs::write(&path, &png).unwrap();
        // Sparse: a real PNG header followed by a hole up to the wanted size.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len)
            .unwrap();
        let result = check_file(&path);
        assert_eq!(result.is_ok(), ok, "{len} bytes: {result:?}");
        if let Err(broken) = result {
            assert!(
                broken[0].to_string().contains("smaller than 30 MB"),
                "{broken:?}"
            );
        }
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn unsupported_and_broken_inputs_are_named() {
    let ico = rules_broken("unsupported.ico");
    assert!(ico[0].contains("format ICO is not accepted"), "{ico:?}");
    let html = rules_broken("not-an-image.html");
    assert!(html[0].contains("HTML page"), "{html:?}");
    let truncated = rules_broken("truncated.png");
    assert!(
        truncated[0].contains("truncated or corrupt"),
        "{truncated:?}"
    );
    let missing = rules_broken("no-such-file.png");
    assert!(
        missing[0].starts_with("File ") && missing[0].contains("cannot be read"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn urls_are_checked_from_their_first_bytes() {
    let png = std::fs::read(asset("portrait.png")).unwrap();
    let ok = stub::Reply {
        status: 200,
        headers: vec![("content-type", "image/png".into())],
        body: png.clone(),
        delay: std::time::Duration::ZERO,
    };
    let stub = stub::Stub::start(ok).await;
    let http = ark_assets::http::client(|b| b);
    let url = url::Url::parse(&format!("{}/a.png", stub.url)).unwrap();
    let info = check_url(&http, &url).await.unwrap();
    assert_eq!(
        (info.width, info.height, info.bytes),
        (800, 1000, Some(png.len() as u64))
    );
    assert!(stub.requests()[0].header("range").starts_with("bytes=0-"));

    stub.push(stub::Reply::json(404, "{}"));
    let err = check_url(&http, &url).await.unwrap_err();
    assert!(err[0].to_string().contains("HTTP 404"), "{err:?}");

    let mut huge = stub::Reply::json(206, "");
    huge.body = png;
    huge.headers.push((
        "content-range",
        format!("bytes 0-5654/{}", 31 * 1024 * 1024),
    ));
    stub.push(huge);
    let err = check_url(&http, &url).await.unwrap_err();
    assert!(err[0].rule.contains("smaller than 30 MB"), "{err:?}");

    stub.push(stub::Reply::json(
        200,
        "<!DOCTYPE html><html><body>login</body></html>",
    ));
    let err = check_url(&http, &url).await.unwrap_err();
    assert!(err[0].rule.contains("HTML page"), "{err:?}");
}
