//! Bulk create against the rate bound: `ark-assets import` of 1,000 assets into the emulator
//! running the real limits (30 QPS, at most 30 Processing): `cargo bench --bench bulk_create`.
//!
//! Two runs: with 1-3 s processing (the service's cap on assets Processing then bounds the rate
//! at 30 / 2 s average = 15/s), and with near-instant processing (the 30 QPS bound, 33.3 s).
//! The processing times are drawn at random, and 1,000 draws average 2 s only within about
//! ±1% (a spread of ±0.7 s in the bound): the first run also says the bound of the times
//! drawn (their sum over 30 slots), read from the emulator once every asset finished.
//! The quick mode imports 40 rows each time.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use chrono::TimeDelta;

use ark_assets::api::LimitConfig;
use ark_assets::api::model::{Action, Status};
use ark_assets::emulator::{self, Config, Emulator};

/// Imports `rows` rows into a new group of an emulator processing each asset for a time in
/// `processing`, and prints the time against `bound` (what the limits allow) and, when
/// `capped`, against the bound of the processing times drawn.
async fn run(
    rows: usize,
    processing: (Duration, Duration),
    (label, capped): (&str, Capped),
    bound: Duration,
) {
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
    let over = |bound: Duration| (wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0;
    let drawn = match capped {
        Capped::No => String::new(),
        Capped::Yes => {
            let (mean, drawn) = drawn_bound(&emu, &group).await;
            format!(
                ", {:.1} s for the processing times drawn (mean {:.3} s): {:+.1}%",
                drawn.as_secs_f64(),
                mean.as_secs_f64(),
                over(drawn)
            )
        }
    };
    println!(
        "{label}: {created} assets in {:.1} s ({:.1}/s) vs the {:.1} s bound ({:+.1}%){drawn}; CreateAsset requests {creates}; 429s seen by the server: {}; all requests {}",
        wall.as_secs_f64(),
        created as f64 / wall.as_secs_f64(),
        bound.as_secs_f64(),
        over(bound),
        stats.throttled - before.throttled,
        stats.total() - before.total()
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Whether the cap on assets Processing bounds a run (its bound then depends on the
/// processing times drawn).
#[derive(Clone, Copy)]
enum Capped {
    Yes,
    No,
}

/// The mean processing time of `group`'s assets, from creation to Active, and the bound the
/// Processing cap sets for those times (their sum over the 30 slots), once every one
/// finished (waited for up to a minute).
async fn drawn_bound(emu: &Emulator, group: &str) -> (Duration, Duration) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let store = emu.snapshot();
        let assets: Vec<_> = store
            .assets
            .values()
            .map(|s| &s.asset)
            .filter(|a| a.group_id == group)
            .collect();
        if assets.iter().all(|a| a.status != Status::Processing) {
            let times: Vec<TimeDelta> = assets
                .iter()
                .map(|a| {
                    let (created, ended) = (a.create_time.unwrap(), a.update_time.unwrap());
                    ended - created
                })
                .collect();
            let total: TimeDelta = times.iter().sum();
            let total = total.to_std().unwrap();
            let mean = total / times.len() as u32;
            let slots = LimitConfig::default().max_creations as u32;
            return (mean, total / slots);
        }
        assert!(
            Instant::now() < deadline,
            "assets of the group still Processing a minute after the import"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::main]
async fn main() {
    support::begin();
    let rows = support::scale(1000, 40);
    println!("bound at 30 QPS: {:.1} s for {rows}", rows as f64 / 30.0);
    run(
        rows,
        (Duration::from_millis(5), Duration::from_millis(20)),
        ("rate-bound (5-20 ms processing)", Capped::No),
        Duration::from_secs_f64(rows as f64 / 30.0),
    )
    .await;
    // 30 Processing for 2 s on average: 15 creations a second.
    run(
        rows,
        (Duration::from_secs(1), Duration::from_secs(3)),
        ("real limits (1-3 s processing, 30 Processing)", Capped::Yes),
        Duration::from_secs_f64(rows as f64 / 15.0),
    )
    .await;
}
