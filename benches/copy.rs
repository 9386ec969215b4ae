//! Copying a group between two accounts against the rate bound: `ark-assets copy` of 300
//! assets from one emulator into another running the real limits (30 QPS, at most 30
//! Processing, 1-3 s processing: 15 creations a second, the Processing cap's bound):
//! `cargo bench --bench copy`. The quick mode copies 30.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use ark_assets::api::model::{Asset, Status};
use ark_assets::emulator::copies::AssetFile;
use ark_assets::emulator::store::StoredAsset;
use ark_assets::emulator::{self, Config, Emulator};

/// An emulator on a loopback port.
async fn emulator(processing: (Duration, Duration)) -> Emulator {
    let config = Config {
        processing,
        ..Config::default()
    };
    Emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// `count` Active images in group `group` of `emu`, made from its sample portrait.
fn seed(emu: &Emulator, group: &str, count: usize) {
    emu.edit(|store, now| {
        for i in 0..count {
            let id = format!("asset-20260101000000-copy{i:04}");
            let at = now - chrono::Duration::hours(1) + chrono::Duration::milliseconds(i as i64);
            let asset = Asset {
                id: id.clone(),
                name: format!("copy-{i:04}"),
                url: String::new(),
                asset_type: "Image".into(),
                group_id: group.to_owned(),
                status: Status::Active,
                error: None,
                create_time: Some(at),
                update_time: Some(at),
                project_name: "default".into(),
                moderation: None,
                last_inference_time: None,
            };
            let stored = StoredAsset {
                asset,
                source_url: "https://example.com/portrait.png".into(),
                source: None,
                file: Some(AssetFile::Sample("portrait.png".into())),
            };
            store.assets.insert(id, stored);
        }
    });
}

#[tokio::main]
async fn main() {
    support::begin();
    let count = support::scale(300, 30);
    let source = emulator((Duration::from_millis(5), Duration::from_millis(20))).await;
    let dest = emulator((Duration::from_secs(1), Duration::from_secs(3))).await;
    let dir = std::env::temp_dir().join(format!("ark-assets-copy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = |name: &str, url: &str| {
        format!(
            "[profiles.{name}]\naccess_key = \"{}\"\nsecret_key = \"{}\"\nendpoint = \"{url}\"\n\n",
            emulator::DEMO_ACCESS_KEY,
            emulator::DEMO_SECRET_KEY
        )
    };
    let config = profile("default", &source.url) + &profile("dest", &dest.url);
    ark_assets::files::write_private(&dir.join("config.toml"), config.as_bytes()).unwrap();
    let command = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", dir.join("config.toml"))
            .env("ARK_ASSETS_DATA", &dir)
            .args(args);
        cmd
    };
    let out = support::run_ok(
        "groups create",
        &mut command(&["--json", "groups", "create", "library"]),
    )
    .await;
    let group: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    seed(&source, group["Id"].as_str().unwrap(), count);
    let bound = Duration::from_secs_f64(count as f64 / 15.0);
    let before = dest.stats();
    let start = Instant::now();
    support::run_ok("copy", &mut command(&["copy", "library", "--to", "dest"])).await;
    let wall = start.elapsed();
    let made = dest.snapshot().assets.len();
    assert_eq!(made, count, "assets in the destination after the copy");
    let stats = dest.stats();
    println!(
        "copy of {made} assets in {:.1} s ({:.1}/s) vs the {:.1} s Processing-cap bound ({:+.1}%); \
         429s seen by the destination: {}; its requests {}",
        wall.as_secs_f64(),
        made as f64 / wall.as_secs_f64(),
        bound.as_secs_f64(),
        (wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        stats.throttled - before.throttled,
        stats.total() - before.total()
    );
    std::fs::remove_dir_all(dir).ok();
}
