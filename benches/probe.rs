//! Probing a 200 MB MP4 whose movie box sits at its end, over loopback through a presigned GET
//! of the in-process S3 server: bytes read and time per probe (`cargo bench --bench probe`).
//!
//! The file is the sample `moov-at-end.mp4` with its media data grown to 200 MB (sparse on
//! disk): the probe must find `moov` from box headers alone, not by downloading the file. The
//! quick mode: 20 MB, 10 probes.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::media::{self, Media};
use ark_assets::media::{CheckTimeouts, check_client};
use ark_assets::storage::{Storage, hash_file};

/// The sample's boxes with `mdat` grown so the whole file is `target` bytes.
fn write_big_mp4(path: &std::path::Path, target: u64) {
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/media/moov-at-end.mp4"
    ))
    .unwrap();
    let mut boxes = Vec::new();
    let mut at = 0;
    while at < sample.len() {
        let size = u32::from_be_bytes(sample[at..at + 4].try_into().unwrap()) as usize;
        boxes.push((&sample[at + 4..at + 8], &sample[at..at + size]));
        at += size;
    }
    let (before, moov): (u64, u64) =
        boxes
            .iter()
            .fold((0, 0), |(b, m), (kind, bytes)| match *kind {
                b"moov" => (b, m + bytes.len() as u64),
                b"mdat" => (b, m),
                _ => (b + bytes.len() as u64, m),
            });
    let mdat_len = target - before - moov;
    let mut file = std::fs::File::create(path).unwrap();
    for (kind, bytes) in &boxes {
        match *kind {
            b"mdat" => {
                // A 64-bit size header, then a hole (sparse) up to the moov box.
                file.write_all(&1u32.to_be_bytes()).unwrap();
                file.write_all(b"mdat").unwrap();
                file.write_all(&mdat_len.to_be_bytes()).unwrap();
                let pos = before + mdat_len;
                file.set_len(pos).unwrap();
                std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(pos)).unwrap();
            }
            b"moov" => {}
            _ => file.write_all(bytes).unwrap(),
        }
    }
    for (kind, bytes) in &boxes {
        if *kind == b"moov" {
            file.write_all(bytes).unwrap();
        }
    }
    assert_eq!(file.metadata().unwrap().len(), target);
}

#[tokio::main]
async fn main() {
    support::begin();
    let (target, runs) = support::scale((200 * 1024 * 1024, 50), (20 * 1024 * 1024, 10));
    let root = std::env::temp_dir().join(format!("ark-assets-probe-bench-{}", std::process::id()));
    let s3 = S3Server::start(&root, S3Options::demo()).await.unwrap();
    s3.create_bucket("bench").unwrap();
    let config = s3.config("bench");
    let key = format!("{}big.mp4", config.prefix);
    let path = root.join("big.mp4");
    write_big_mp4(&path, target);
    // Stored through a real PUT, so the server keeps its ETag (and does not hash the file on
    // every GET).
    let storage = Storage::new(&config, ark_assets::http::client(|b| b)).unwrap();
    let content = hash_file(&path).await.unwrap();
    storage
        .upload(&key, &path, &content, std::sync::Arc::new(|_| {}))
        .await
        .unwrap();
    let url = storage.presigned_get(&key);

    let http = check_client(CheckTimeouts::default());
    let mut times = Vec::with_capacity(runs);
    let mut read = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let probed = media::probe_url(&http, &url, CheckTimeouts::default())
            .await
            .expect("the big file probes");
        times.push(start.elapsed());
        read = probed.read;
        let Media::Video(v) = &probed.media else {
            panic!("not a video: {:?}", probed.media);
        };
        assert_eq!((v.width, v.height, v.bytes), (640, 640, Some(target)));
    }
    assert!(read > 0, "the probe read nothing");
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "probe of a {} MB MP4 with moov at its end over loopback: read {} KB ({:.3}% of the file); \
         median {:.1} ms, max {:.1} ms over {runs} probes (bound: < 1 MB, < 50 ms)",
        target / (1024 * 1024),
        read / 1024,
        read as f64 * 100.0 / target as f64,
        ms(times[runs / 2]),
        ms(times[runs - 1]),
    );
    drop(s3);
    std::fs::remove_dir_all(&root).ok();
}
