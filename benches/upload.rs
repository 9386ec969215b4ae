//! Uploading local files at the real limits: `ark-assets import` of 300 local 2 MB images
//! through the in-process S3 server (s3s-fs) and the emulator (30 QPS, at most 30 Processing,
//! 1-3 s processing): `cargo bench --bench upload`.
//!
//! The bound is the larger of what the store takes to receive the bytes (300 PUTs of 2 MB, 30
//! at a time, measured in the same run) and what the Processing cap allows (30 at a time for
//! 2 s on average: 15 a second, 20 s for 300).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::emulator::{Config, Emulator};
use ark_assets::storage::{Storage, hash_file};
use futures::StreamExt;

const FILES: usize = 300;
const SIZE: usize = 2 * 1024 * 1024;

#[tokio::main]
async fn main() {
    let work = std::env::temp_dir().join(format!("ark-assets-upload-bench-{}", std::process::id()));
    let files = work.join("files");
    support::make_files(&files, FILES, SIZE, "img");
    let s3 = S3Server::temporary(S3Options::demo(), "bench")
        .await
        .unwrap();

    // Raw PUT throughput of the store, 30 at a time.
    let mut config = s3.config("bench");
    config.prefix = "raw/".into();
    let storage = Arc::new(Storage::new(&config, ark_assets::http::client(|b| b)).unwrap());
    let paths: Vec<_> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let start = Instant::now();
    futures::stream::iter(paths)
        .map(|path| {
            let storage = storage.clone();
            async move {
                let content = hash_file(&path).await.unwrap();
                let key = storage.object_key(&content.sha256, "png");
                storage
                    .upload(&key, &path, &content, Arc::new(|_| {}))
                    .await
                    .unwrap();
            }
        })
        .buffer_unordered(30)
        .collect::<Vec<_>>()
        .await;
    let raw_put = start.elapsed();
    let cap_bound = Duration::from_secs_f64(FILES as f64 / 15.0);
    let bound = raw_put.max(cap_bound);

    let emu = Emulator::start(
        Config {
            processing: (Duration::from_secs(1), Duration::from_secs(3)),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let config_path = work.join("config.toml");
    support::write_config(&config_path, &emu.url, &s3, "cleanup = \"keep\"\n");
    let command = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", &config_path)
            .env("ARK_ASSETS_DATA", &work)
            .args(args);
        cmd
    };
    let out = command(&["groups", "create", "bench"])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let puts_before = s3.stats.puts.load(std::sync::atomic::Ordering::Relaxed);
    let start = Instant::now();
    let out = command(&["import", "--group", "bench", files.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let puts = s3.stats.puts.load(std::sync::atomic::Ordering::Relaxed) - puts_before;
    let stats = emu.stats();
    println!(
        "raw PUT of {FILES} x {} MB, 30 at a time: {:.1} s ({:.0} MB/s); Processing-cap bound {:.1} s",
        SIZE / (1024 * 1024),
        raw_put.as_secs_f64(),
        (FILES * SIZE) as f64 / 1e6 / raw_put.as_secs_f64(),
        cap_bound.as_secs_f64()
    );
    println!(
        "import of {FILES} local files: in {:.1} s vs the {:.1} s bound ({:+.1}%); {puts} PUTs; \
         429s seen by the server: {}",
        wall.as_secs_f64(),
        bound.as_secs_f64(),
        (wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        stats.throttled
    );
    drop(s3);
    std::fs::remove_dir_all(work).ok();
}
