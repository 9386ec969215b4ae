//! Bulk create against the rate bound: `ark-assets import` of 1,000 assets into the emulator
//! running the real limits (30 QPS, at most 30 Processing): `cargo bench --bench bulk_create`.
//!
//! Two runs: with 1-3 s processing (the service's cap on assets Processing then bounds the rate
//! at 30 / 2 s average = 15/s), and with near-instant processing (the 30 QPS bound, 33.3 s).
//! The quick mode imports 40 rows each time.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use ark_assets::api::model::Action;
use ark_assets::emulator::{self, Config, Emulator};

/// Imports `rows` rows into a new group of an emulator processing each asset for a time in
/// `processing`, and prints the time against `bound` (what the limits allow).
async fn run(rows: usize, processing: (Duration, Duration), label: &str, bound: Duration) {
    let emu = Emulator::start(
        Config {
            processing,
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("ark-assets-bulk-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rows.csv");
    let listing: String = (0..rows)
        .map(|i| format!("{},bulk-{i}\n", emu.sample_url("portrait.png")))
        .collect();
    std::fs::write(&file, listing).unwrap();
    let command = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("VOLC_ACCESSKEY", emulator::DEMO_ACCESS_KEY)
            .env("VOLC_SECRETKEY", emulator::DEMO_SECRET_KEY)
            .env("ARK_ENDPOINT", &emu.url)
            .env("ARK_ASSETS_CONFIG", dir.join("none.toml"))
            .env("ARK_ASSETS_DATA", &dir)
            .args(args);
        cmd
    };
    let out = support::run_ok(
        "groups create",
        &mut command(&["--json", "groups", "create", "bulk"]),
    )
    .await;
    let group: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let group = group["Id"].as_str().unwrap().to_owned();
    let before = emu.stats();
    let start = Instant::now();
    let mut import = command(&[
        "import",
        "--no-check",
        "--group",
        &group,
        file.to_str().unwrap(),
    ]);
    support::run_ok("import", &mut import).await;
    let wall = start.elapsed();
    let stats = emu.stats();
    let created = emu
        .snapshot()
        .assets
        .values()
        .filter(|a| a.asset.group_id == group)
        .count();
    assert_eq!(
        created, rows,
        "{label}: assets in the group after the import"
    );
    let creates = |stats: &emulator::Stats| {
        stats
            .requests
            .get(&Action::CreateAsset)
            .copied()
            .unwrap_or(0)
    };
    let creates = creates(&stats) - creates(&before);
    println!(
        "{label}: {created} assets in {:.1} s ({:.1}/s) vs the {:.1} s bound ({:+.1}%); CreateAsset requests {creates}; 429s seen by the server: {}; all requests {}",
        wall.as_secs_f64(),
        created as f64 / wall.as_secs_f64(),
        bound.as_secs_f64(),
        (wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        stats.throttled - before.throttled,
        stats.total() - before.total()
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::main]
async fn main() {
    support::begin();
    let rows = support::scale(1000, 40);
    println!("bound at 30 QPS: {:.1} s for {rows}", rows as f64 / 30.0);
    run(
        rows,
        (Duration::from_millis(5), Duration::from_millis(20)),
        "rate-bound (5-20 ms processing)",
        Duration::from_secs_f64(rows as f64 / 30.0),
    )
    .await;
    // 30 Processing for 2 s on average: 15 creations a second.
    run(
        rows,
        (Duration::from_secs(1), Duration::from_secs(3)),
        "real limits (1-3 s processing, 30 Processing)",
        Duration::from_secs_f64(rows as f64 / 15.0),
    )
    .await;
}
