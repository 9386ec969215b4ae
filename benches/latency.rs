//! Keypress to frame at 100,000 assets with the poller running: `cargo bench --bench latency`.
//!
//! The release binary runs in a 160x48 pseudo-terminal against an in-process emulator whose one
//! group holds 100,000 assets, three of them Processing (so the poller and the spinner run all
//! along). `G` loads every page; then 1,000 keys (j/k, PgDn/PgUp, filter typing, sort) go in at
//! random intervals of 0–300 ms, like a person. Each is timed from its write to the end of the
//! first frame that shows its effect (frames are synchronized updates; a frame that only moves
//! the spinner or fills in the detail pane does not count as the key's). A sort that goes to a
//! worker (names, at 100,000 rows) shows "sorting…" at once and its order when the worker is
//! done: the time to that second frame is reported on a line of its own. The slowest 1% of
//! keys are listed by kind.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ark_assets::api::model::{Asset, AssetGroup, Status};
use ark_assets::emulator::copies::AssetFile;
use ark_assets::emulator::store::StoredAsset;
use ark_assets::emulator::{Config, Emulator};
use chrono::TimeDelta;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use rand::{Rng, SeedableRng};
use secrecy::ExposeSecret;

const COUNT: usize = 100_000;
const KEYS: usize = 1_000;
const SIZE: (u16, u16) = (160, 48);
const GROUP: &str = "group-20260602110000-big";
const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

/// What a key changes on screen: the assets pane's title (filter, sort), the selected asset's
/// id in the detail pane, and the footer (mode).
fn signature(screen: &vt100::Screen) -> String {
    let text = screen.contents();
    let title = text.lines().find(|l| l.contains(" Assets (")).unwrap_or("");
    let id = text
        .lines()
        .find_map(|l| l.split_once("Id          "))
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .unwrap_or("");
    let footer = text.lines().last().unwrap_or("");
    format!("{title}|{id}|{footer}|{:?}", screen.cursor_position())
}

fn seed(emu: &Emulator) {
    emu.edit(|store, now| {
        let time = |minutes: i64| Some(now - TimeDelta::minutes(minutes));
        store.groups.insert(
            GROUP.into(),
            AssetGroup {
                id: GROUP.into(),
                name: "Everything".into(),
                description: String::new(),
                group_type: "AIGC".into(),
                project_name: "default".into(),
                create_time: time(COUNT as i64 + 10),
                update_time: time(COUNT as i64 + 10),
            },
        );
        for i in 0..COUNT {
            // The oldest three are Processing and the most recently updated: far from the rows
            // the keys visit, first in the poller's listing.
            let processing = i >= COUNT - 3;
            let id = format!("asset-20260602110000-{i:08}");
            let asset = Asset {
                url: if processing {
                    String::new()
                } else {
                    format!("https://cdn.example.com/{id}.png?X-Tos-Signature={i:064x}")
                },
                id: id.clone(),
                name: if i % 3 == 0 {
                    format!("角色 {i} / hero")
                } else {
                    format!("extra-{i:06}")
                },
                asset_type: "Image".into(),
                group_id: GROUP.into(),
                status: if processing {
                    Status::Processing
                } else {
                    Status::Active
                },
                error: None,
                create_time: time(i as i64),
                update_time: if processing { time(0) } else { time(i as i64) },
                project_name: "default".into(),
                moderation: None,
            };
            let stored = StoredAsset {
                asset,
                source_url: "https://example.com/a.png".into(),
                source: None,
                file: (!processing).then(|| AssetFile::Sample("portrait.png".into())),
            };
            store.assets.insert(id, stored);
        }
    });
}

/// Frames as they end: when, and what they show.
fn watch(mut reader: Box<dyn Read + Send>) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(SIZE.1, SIZE.0, 0);
        let mut buf = [0u8; 65536];
        let mut tail: Vec<u8> = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let at = Instant::now();
            parser.process(&buf[..n]);
            tail.extend_from_slice(&buf[..n]);
            if tail.windows(END_OF_FRAME.len()).any(|w| w == END_OF_FRAME) {
                tail.clear();
                if tx.send((at, signature(parser.screen()))).is_err() {
                    break;
                }
            } else if tail.len() > END_OF_FRAME.len() {
                tail.drain(..tail.len() - END_OF_FRAME.len());
            }
        }
    });
    rx
}

/// Waits for a frame whose signature passes `done`; the last one seen otherwise.
fn wait_for(
    frames: &mpsc::Receiver<(Instant, String)>,
    bound: Duration,
    done: impl Fn(&str) -> bool,
) -> Option<(Instant, String)> {
    let deadline = Instant::now() + bound;
    while let Ok(frame) = frames.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if done(&frame.1) {
            return Some(frame);
        }
    }
    None
}

/// The kind of key, for the breakdown.
fn kind(key: &[u8]) -> &'static str {
    match key {
        b"j" | b"k" => "j/k",
        b"\x1b[6~" | b"\x1b[5~" => "PgDn/PgUp",
        b"o" | b"O" => "sort",
        b"/" | b"\x1b" => "filter on/off",
        _ => "typing",
    }
}

/// Prints `label: p50 … p99 … max …` of `times` (nothing when there are none).
fn report(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    if let Some(max) = times.last() {
        println!(
            "  {label}: p50 {:.2} ms p99 {:.2} ms max {max:.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
        );
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config = Config::default();
    let account = config.accounts[0].clone();
    let emu = runtime
        .block_on(Emulator::start(config, "127.0.0.1:0".parse().unwrap()))
        .unwrap();
    seed(&emu);
    let data = std::env::temp_dir().join(format!("ark-assets-latency-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: SIZE.1,
            cols: SIZE.0,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ark-assets"));
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("ARK_ASSETS_CONFIG", data.join("config.toml"));
    cmd.env("ARK_ASSETS_DATA", &data);
    cmd.env("VOLC_ACCESSKEY", &account.access_key);
    cmd.env("VOLC_SECRETKEY", account.secret_key.expose_secret());
    cmd.env("ARK_ENDPOINT", &emu.url);
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let frames = watch(pair.master.try_clone_reader().unwrap());
    let mut keys = pair.master.take_writer().unwrap();
    let mut send = |bytes: &[u8]| {
        keys.write_all(bytes).unwrap();
        keys.flush().unwrap();
    };

    wait_for(&frames, Duration::from_secs(20), |s| {
        s.contains("Everything")
    })
    .expect("the group is listed");
    send(b"\r");
    wait_for(&frames, Duration::from_secs(20), |s| {
        s.contains("Assets (100000)")
    })
    .expect("the group opens");
    let start = Instant::now();
    send(b"G");
    wait_for(&frames, Duration::from_secs(300), |s| {
        s.contains("Assets (100000)") && !s.contains("loading") && s.contains("-00099999")
    })
    .expect("every page loads and G reaches the last row");
    println!(
        "loaded {COUNT} assets in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    send(b"g");
    wait_for(&frames, Duration::from_secs(5), |s| s.contains("-00000000"))
        .expect("g reaches the first row");

    let mut rng = rand::rngs::StdRng::seed_from_u64(17);
    let mut latencies: Vec<f64> = Vec::new();
    let mut slowest: Vec<(f64, &str)> = Vec::new();
    let mut by_kind: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut sorted: Vec<f64> = Vec::new();
    let mut unchanged = 0;
    let mut last = String::new();
    let mut row = 0usize;
    let mut script: Vec<&[u8]> = Vec::new();
    while latencies.len() + unchanged < KEYS {
        if script.is_empty() {
            script = match rng.random_range(0..100) {
                0..35 => vec![b"j"],
                35..50 if row > 0 => vec![b"k"],
                35..50 => vec![b"j"],
                50..65 => vec![b"\x1b[6~"],
                65..70 if row > 50 => vec![b"\x1b[5~"],
                65..70 => vec![b"\x1b[6~"],
                70..90 => vec![b"/", b"e", b"x", b"t", b"\x1b"],
                90..95 => vec![b"o"],
                _ => vec![b"O"],
            };
        }
        let key = script.remove(0);
        match key {
            b"j" => row += 1,
            b"k" => row -= 1,
            b"\x1b[6~" => row += 40,
            b"\x1b[5~" => row = row.saturating_sub(40),
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(0..300)));
        // The screen as it is before the key.
        while let Ok((_, s)) = frames.try_recv() {
            last = s;
        }
        let written = Instant::now();
        send(key);
        let before = last.clone();
        match wait_for(&frames, Duration::from_secs(1), |s| s != before) {
            Some((at, s)) => {
                let ms = at.duration_since(written).as_secs_f64() * 1000.0;
                latencies.push(ms);
                slowest.push((ms, kind(key)));
                by_kind.entry(kind(key)).or_default().push(ms);
                last = s;
                // A large sort answers at once ("sorting…" in the title) and shows the order
                // when its worker is done: that wait is reported on its own line.
                if last.contains("sorting…") {
                    let (at, s) =
                        wait_for(&frames, Duration::from_secs(5), |s| !s.contains("sorting…"))
                            .expect("the sort finishes");
                    let ms = at.duration_since(written).as_secs_f64() * 1000.0;
                    sorted.push(ms);
                    last = s;
                }
            }
            None => {
                unchanged += 1;
                by_kind.entry(kind(key)).or_default();
            }
        }
    }
    send(b"q");
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
    latencies.sort_by(f64::total_cmp);
    for (kind, times) in by_kind {
        report(&format!("{kind:<8} {:>4} keys", times.len()), times);
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = slowest
        .iter()
        .take(KEYS / 100)
        .map(|(ms, kind)| format!("{kind} {ms:.1}"))
        .collect();
    println!("  the slowest 1%: {}", slowest.join(", "));
    report(
        &format!("sort until the sorted rows show, {} sorts", sorted.len()),
        sorted,
    );
    println!(
        "{} keys at {COUNT} assets, poller running: p50 {:.2} ms p99 {:.2} ms max {:.2} ms \
         ({unchanged} keys changed nothing)",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
    );
    runtime.block_on(emu.shutdown()).unwrap();
}
