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
//! keys are listed by kind. The quick mode: 2,000 assets and 50 keys.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ark_assets::api::model::{Asset, AssetGroup, Status};
use ark_assets::emulator::copies::AssetFile;
use ark_assets::emulator::store::StoredAsset;
use ark_assets::emulator::{Config, Emulator};
use chrono::TimeDelta;
use rand::{Rng, SeedableRng};
use secrecy::ExposeSecret;
use support::pty::{SIZE, Tui};

const GROUP: &str = "group-20260602110000-big";
const END_OF_FRAME: &[u8] = b"\x1b[?2026l";

/// Frames as they end: when, and the [`signature`] of what they show.
type Frames = mpsc::Receiver<(Instant, String)>;

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

/// The assets pane's count as its title shows it: the rows loaded, with `+` while pages are to
/// come (token paging gives no total), e.g. `100+`; `100000` once every page is in.
fn listed(signature: &str) -> Option<&str> {
    let (_, rest) = signature.split_once(" Assets (")?;
    let shown = rest.split([')', ',']).next()?;
    // `12/240`: the selection's position, then how many.
    Some(shown.rsplit('/').next().unwrap_or(shown))
}

/// The id of the `i`th asset (0 the newest).
fn asset_id(i: usize) -> String {
    format!("asset-20260602110000-{i:08}")
}

/// One group of `count` assets, the oldest three Processing.
fn seed(emu: &Emulator, count: usize) {
    emu.edit(|store, now| {
        let time = |minutes: usize| Some(now - TimeDelta::minutes(minutes as i64));
        store.groups.insert(
            GROUP.into(),
            AssetGroup {
                id: GROUP.into(),
                name: "Everything".into(),
                description: String::new(),
                group_type: "AIGC".into(),
                project_name: "default".into(),
                create_time: time(count + 10),
                update_time: time(count + 10),
            },
        );
        for i in 0..count {
            // The oldest three are Processing and the most recently updated: far from the rows
            // the keys visit, first in the poller's listing.
            let processing = i >= count - 3;
            let id = asset_id(i);
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
                create_time: time(i),
                update_time: if processing { time(0) } else { time(i) },
                project_name: "default".into(),
                moderation: None,
                last_inference_time: None,
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

/// Frames as they end, from the terminal's `output`.
fn watch(mut output: Box<dyn Read + Send>) -> Frames {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(SIZE.1, SIZE.0, 0);
        let mut buf = [0u8; 65536];
        let mut tail: Vec<u8> = Vec::new();
        while let Ok(n) = output.read(&mut buf) {
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

/// Waits for a frame whose signature passes `done`; `None` when `bound` runs out first (or
/// the program ended).
fn wait_for(
    frames: &Frames,
    bound: Duration,
    done: impl Fn(&str) -> bool,
) -> Option<(Instant, String)> {
    let deadline = Instant::now() + bound;
    let mut last = String::new();
    while let Ok(frame) = frames.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if done(&frame.1) {
            return Some(frame);
        }
        last = frame.1;
    }
    eprintln!("the last frame seen: {last}");
    None
}

/// Opens the group, loads every page with `G` (timed) and goes back to the first row with
/// `g`. Fails the benchmark when a step is not seen.
fn load(tui: &mut Tui, frames: &Frames, count: usize) {
    wait_for(frames, Duration::from_secs(20), |s| {
        s.contains("Everything")
    })
    .expect("the group is listed");
    tui.send(b"\r");
    // The first page in: `100+` (or every row, when one page holds them), not `loading…`.
    wait_for(frames, Duration::from_secs(20), |s| {
        listed(s).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()) && n != "0")
    })
    .expect("the group opens");
    let start = Instant::now();
    tui.send(b"G");
    let all = count.to_string();
    let last = asset_id(count - 1);
    wait_for(frames, support::STUCK, |s| {
        listed(s) == Some(all.as_str()) && !s.contains("loading") && s.contains(&last)
    })
    .expect("every page loads and G reaches the last row");
    println!(
        "loaded {count} assets in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    tui.send(b"\x1b[H");
    wait_for(frames, Duration::from_secs(5), |s| s.contains(&asset_id(0)))
        .expect("Home reaches the first row");
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

/// What a person does next, from the selected `row`: one key, or a filter typed and cleared.
fn next_keys(rng: &mut impl Rng, row: usize) -> Vec<&'static [u8]> {
    match rng.random_range(0..100) {
        0..35 => vec![b"j"],
        35..50 if row > 0 => vec![b"k"],
        35..50 => vec![b"j"],
        50..65 => vec![b"\x1b[6~"],
        65..70 if row > 50 => vec![b"\x1b[5~"],
        65..70 => vec![b"\x1b[6~"],
        70..90 => vec![b"/", b"e", b"x", b"t", b"\x1b"],
        90..95 => vec![b"o"],
        _ => vec![b"O"],
    }
}

/// The times measured, in milliseconds.
#[derive(Default)]
struct Times {
    /// Every key that changed the screen, to its first frame.
    all: Vec<f64>,
    /// The same by kind of key (a kind whose keys all changed nothing has none).
    by_kind: BTreeMap<&'static str, Vec<f64>>,
    /// Sorts sent to a worker, to the frame that shows the order.
    sorted: Vec<f64>,
    /// Keys after which no frame changed the screen within 1 s.
    unchanged: usize,
}

impl Times {
    /// Times one key: from its write to the first frame that shows it (and for a sort sent to
    /// a worker, to the frame with the order too). `last` is the screen before it, and after.
    fn key(&mut self, tui: &mut Tui, frames: &Frames, key: &'static [u8], last: &mut String) {
        let written = Instant::now();
        tui.send(key);
        let before = last.clone();
        let Some((at, s)) = wait_for(frames, Duration::from_secs(1), |s| s != before) else {
            self.unchanged += 1;
            self.by_kind.entry(kind(key)).or_default();
            return;
        };
        let ms = |at: Instant| at.duration_since(written).as_secs_f64() * 1000.0;
        self.all.push(ms(at));
        self.by_kind.entry(kind(key)).or_default().push(ms(at));
        *last = s;
        // A large sort answers at once ("sorting…" in the title) and shows the order when its
        // worker is done: that wait is reported on its own line.
        if last.contains("sorting…") {
            let (at, s) = wait_for(frames, Duration::from_secs(5), |s| !s.contains("sorting…"))
                .expect("the sort finishes");
            self.sorted.push(ms(at));
            *last = s;
        }
    }
}

/// Types `keys` keys at random intervals of 0–300 ms and times each.
fn type_keys(tui: &mut Tui, frames: &Frames, keys: usize) -> Times {
    let mut rng = rand::rngs::StdRng::seed_from_u64(17);
    let mut times = Times::default();
    let mut last = String::new();
    let mut row = 0usize;
    let mut script: Vec<&[u8]> = Vec::new();
    while times.all.len() + times.unchanged < keys {
        if script.is_empty() {
            script = next_keys(&mut rng, row);
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
        times.key(tui, frames, key, &mut last);
    }
    if !script.is_empty() {
        // Stopped in the middle of typing a filter: cleared, and drawn so, before the `q` that
        // quits (sent at once after it, Esc q would read as Alt-q).
        tui.send(b"\x1b");
        wait_for(frames, Duration::from_secs(5), |s| {
            s.split('|')
                .next()
                .is_some_and(|title| !title.contains(" /"))
        })
        .expect("Esc clears the filter");
    }
    times
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

/// Prints the times by kind, the slowest 1% and the summary line.
fn print(times: Times, keys: usize, count: usize) {
    let Times {
        mut all,
        by_kind,
        sorted,
        unchanged,
    } = times;
    let mut slowest: Vec<(f64, &str)> = by_kind
        .iter()
        .flat_map(|(kind, times)| times.iter().map(move |ms| (*ms, *kind)))
        .collect();
    for (kind, times) in by_kind {
        report(&format!("{kind:<8} {:>4} keys", times.len()), times);
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = slowest
        .iter()
        .take(keys.div_ceil(100))
        .map(|(ms, kind)| format!("{kind} {ms:.1}"))
        .collect();
    println!("  the slowest 1%: {}", slowest.join(", "));
    report(
        &format!("sort until the sorted rows show, {} sorts", sorted.len()),
        sorted,
    );
    all.sort_by(f64::total_cmp);
    println!(
        "{} keys at {count} assets, poller running: p50 {:.2} ms p99 {:.2} ms max {:.2} ms \
         ({unchanged} keys changed nothing)",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(0.0),
    );
}

fn main() {
    support::begin();
    let (count, keys) = support::scale((100_000, 1_000), (2_000, 50));
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
    seed(&emu, count);
    let data = std::env::temp_dir().join(format!("ark-assets-latency-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let mut cmd = support::pty::command(&data);
    cmd.env("VOLC_ACCESSKEY", &account.access_key);
    cmd.env("VOLC_SECRETKEY", account.secret_key.expose_secret());
    cmd.env("ARK_ENDPOINT", &emu.url);
    let mut tui = Tui::start(cmd);
    let frames = watch(tui.output());
    load(&mut tui, &frames, count);
    let times = type_keys(&mut tui, &frames, keys);
    tui.quit();
    let _ = std::fs::remove_dir_all(&data);
    // Most keys change what is shown; a run in which most did not saw no frames.
    assert!(
        times.all.len() * 2 > keys,
        "only {} of {keys} keys showed a frame",
        times.all.len()
    );
    print(times, keys, count);
    runtime.block_on(emu.shutdown()).unwrap();
}
