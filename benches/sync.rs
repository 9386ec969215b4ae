//! Keeping a group in step with a folder: `cargo bench --bench sync`.
//!
//! 300 local 2 MB images synced into a group through the in-process S3 server (s3s-fs) and the
//! emulator; then the same sync again, nothing changed: what it costs (time, requests by
//! action, uploads). It should list the group once and upload nothing. Then one file renamed:
//! one UpdateAsset, still no upload. Then a folder of 2,000 small images synced, and again
//! unchanged. The quick mode: 20 images of 64 KB, then 40.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use ark_assets::api::model::Action;
use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::emulator::{Config, Emulator, Stats};

/// Requests of each action between two snapshots of the emulator's counts.
fn requests(before: &Stats, after: &Stats) -> String {
    let mut by_action: Vec<(Action, u64)> = after
        .requests
        .iter()
        .map(|(a, n)| (*a, n - before.requests.get(a).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_action.sort_by_key(|(a, _)| a.to_string());
    by_action
        .iter()
        .map(|(a, n)| format!("{a} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::main]
async fn main() {
    support::begin();
    let (count, size) = support::scale((300, 2 * 1024 * 1024), (20, 64 * 1024));
    let work = std::env::temp_dir().join(format!("ark-assets-sync-bench-{}", std::process::id()));
    let files = work.join("files");
    support::files::make_files(&files, count, size, "ref");
    let s3 = S3Server::temporary(S3Options::demo(), "bench")
        .await
        .unwrap();
    let emu = Emulator::start(
        Config {
            processing: (Duration::from_millis(200), Duration::from_millis(600)),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let config_path = work.join("config.toml");
    support::files::write_config(&config_path, &emu.url, &s3, "");
    let sync_of = |dir: &std::path::Path, group: &str| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", &config_path)
            .env("ARK_ASSETS_DATA", &work)
            .args(["sync", dir.to_str().unwrap(), "--group", group])
            .arg("--create-group");
        cmd
    };
    let sync = || sync_of(&files, "bench");
    let puts = || s3.stats.puts.load(Ordering::Relaxed);
    for run in [
        "first sync (creates)",
        "again, nothing changed",
        "one file renamed",
    ] {
        if run == "one file renamed" {
            std::fs::rename(files.join("ref-0000.png"), files.join("lead.png")).unwrap();
        }
        let (before, puts_before) = (emu.stats(), puts());
        let start = Instant::now();
        let out = support::run_ok(run, &mut sync()).await;
        let wall = start.elapsed();
        if run == "first sync (creates)" {
            let created = emu.snapshot().assets.len();
            let put = (puts() - puts_before) as usize;
            assert_eq!(
                (created, put),
                (count, count),
                "assets created and files put"
            );
        }
        let summary = String::from_utf8_lossy(&out.stdout);
        println!(
            "{run}: {:.2} s; {}; {} PUTs; requests: {}",
            wall.as_secs_f64(),
            summary.lines().last().unwrap_or_default(),
            puts() - puts_before,
            requests(&before, &emu.stats())
        );
    }
    // Unchanged at a larger count: what a plan costs when no file is read again.
    let many = support::scale(2_000, 40);
    let dir = work.join("many");
    support::files::make_files(&dir, many, 64 * 1024, "many");
    support::run_ok("the larger folder's first sync", &mut sync_of(&dir, "many")).await;
    let (before, start) = (emu.stats(), Instant::now());
    let out = support::run_ok("the larger folder again", &mut sync_of(&dir, "many")).await;
    println!(
        "{many} files again, nothing changed: {:.2} s; {}; requests: {}",
        start.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default(),
        requests(&before, &emu.stats())
    );
    drop(s3);
    std::fs::remove_dir_all(work).ok();
}
