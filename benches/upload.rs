//! Uploading local files at the real limits: `ark-assets import` of 300 local 2 MB images
//! through the in-process S3 server (s3s-fs) and the emulator (30 QPS, at most 30 Processing,
//! 1-3 s processing): `cargo bench --bench upload`. The quick mode: 20 images of 64 KB.
//!
//! The bound is the larger of what the store takes to receive the bytes (300 PUTs of 2 MB, 30
//! at a time, measured in the same run) and what the Processing cap allows (30 at a time for
//! 2 s on average: 15 a second, 20 s for 300).

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::emulator::{Config, Emulator};
use ark_assets::storage::{Storage, hash_file};
use futures::StreamExt;

/// Raw PUT throughput of the store: every file of `files` put, 30 at a time; the time it took.
async fn raw_put(s3: &S3Server, files: &Path) -> Duration {
    let mut config = s3.config("bench");
    config.prefix = "raw/".into();
    let storage = Arc::new(Storage::new(&config, ark_assets::http::client(|b| b)).unwrap());
    let paths: Vec<_> = std::fs::read_dir(files)
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
    start.elapsed()
}

#[tokio::main]
async fn main() {
    support::begin();
    let (count, size) = support::scale((300, 2 * 1024 * 1024), (20, 64 * 1024));
    let work = std::env::temp_dir().join(format!("ark-assets-upload-bench-{}", std::process::id()));
    let files = work.join("files");
    support::files::make_files(&files, count, size, "img");
    let s3 = S3Server::temporary(S3Options::demo(), "bench")
        .await
        .unwrap();
    let raw_put = raw_put(&s3, &files).await;
    let cap_bound = Duration::from_secs_f64(count as f64 / 15.0);
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
    support::files::write_config(&config_path, &emu.url, &s3, "cleanup = \"keep\"\n");
    let command = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", &config_path)
            .env("ARK_ASSETS_DATA", &work)
            .args(args);
        cmd
    };
    support::run_ok(
        "groups create",
        &mut command(&["groups", "create", "bench"]),
    )
    .await;
    let puts_before = s3.stats.puts.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut import = command(&["import", "--group", "bench", files.to_str().unwrap()]);
    support::run_ok("import", &mut import).await;
    let wall = start.elapsed();
    let puts = s3.stats.puts.load(Ordering::Relaxed) - puts_before;
    let created = emu.snapshot().assets.len();
    assert_eq!(
        (created, puts as usize),
        (count, count),
        "assets created and files put"
    );
    let stats = emu.stats();
    println!(
        "raw PUT of {count} x {} KB, 30 at a time: {:.1} s ({:.0} MB/s); Processing-cap bound {:.1} s",
        size / 1024,
        raw_put.as_secs_f64(),
        (count * size) as f64 / 1e6 / raw_put.as_secs_f64(),
        cap_bound.as_secs_f64()
    );
    println!(
        "import of {count} local files: in {:.1} s vs the {:.1} s bound ({:+.1}%); {puts} PUTs; \
         429s seen by the server: {}",
        wall.as_secs_f64(),
        bound.as_secs_f64(),
        (wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        stats.throttled
    );
    drop(s3);
    std::fs::remove_dir_all(work).ok();
}
