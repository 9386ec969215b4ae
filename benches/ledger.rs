//! The ledger with a long history: `cargo bench --bench ledger`.
//!
//! 1. Open + one look-up + one claim (begin and record), with 200,000 entries and with none:
//!    time (median of fresh opens) and the resident memory the first one adds.
//! 2. 30 concurrent claims of the same keys from two processes (this binary started again as
//!    a worker): every key created once.
//! 3. The TUI (the real binary in a pty, against an in-process emulator) with a 200,000-entry
//!    ledger and with none: its resident memory once the groups are shown.
//!
//! The quick mode: 2,000 entries, one TUI run of each.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ark_assets::ledger::{Begin, Entry, EntryState, Ledger};
use chrono::Utc;
use support::pty::{Screen, Tui};

const CLAIMS: usize = 30;

/// Entries of the long history (the ledger of 100,000 assets), and the cases: with it and
/// with an empty ledger.
fn cases() -> [(String, usize); 2] {
    let entries = support::scale(200_000, 2_000);
    [
        (format!("{entries} entries"), entries),
        ("empty".to_owned(), 0),
    ]
}

fn status_kib(pid: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn entry(key: String, state: EntryState, id: Option<String>) -> Entry {
    Entry {
        name: format!("name-{}", key.len()),
        key,
        group: "group-20260602110000-g0001".into(),
        url: "https://cdn.example.com/refs/portrait.png".into(),
        state,
        id,
        error: None,
        at: Utc::now(),
        object: None,
        cleaned: false,
        sha256: None,
    }
}

/// A ledger of `n` created entries at `path` (made once; kept between runs of the bench).
fn history(path: &Path, n: usize) {
    if path.exists() || n == 0 {
        return;
    }
    // One JSON-lines ledger of the earlier kind, imported on first open: the migration's cost.
    let jsonl = path.with_extension("jsonl");
    let mut text = String::with_capacity(n * 260);
    for i in 0..n / 2 {
        let key = format!("import:{i:032x}:1");
        for (state, id) in [
            (EntryState::Pending, None),
            (
                EntryState::Created,
                Some(format!("asset-20260602110000-{i:05}")),
            ),
        ] {
            text.push_str(&serde_json::to_string(&entry(key.clone(), state, id)).unwrap());
            text.push('\n');
        }
    }
    std::fs::write(&jsonl, text).unwrap();
    let started = Instant::now();
    Ledger::open(path).unwrap();
    println!(
        "import of a {n}-line JSON-lines ledger ({} assets): {:.2} s",
        n / 2,
        started.elapsed().as_secs_f64()
    );
    // And as many rows again, made directly: 200,000 rows in all.
    let ledger = Ledger::open(path).unwrap();
    for i in n / 2..n {
        let id = Some(format!("asset-20260602110000-{i:05}"));
        ledger
            .record(&entry(format!("file:g:{i:064x}"), EntryState::Created, id))
            .unwrap();
    }
}

/// Opens the ledger at `path`, looks one key up and claims a new one; the time it took.
fn open_look_claim(path: &Path, n: usize) -> Duration {
    let started = Instant::now();
    let ledger = Ledger::open(path).unwrap();
    let found = ledger.get(&format!("import:{:032x}:1", n / 4)).unwrap();
    assert!(n == 0 || found.is_some());
    let key = format!("bench:{:08x}", rand::random::<u32>());
    let begun = ledger
        .begin(&entry(key.clone(), EntryState::Pending, None))
        .unwrap();
    assert_eq!(begun, Begin::Fresh);
    ledger
        .record(&entry(key, EntryState::Created, Some("asset-x".into())))
        .unwrap();
    started.elapsed()
}

fn claims(dir: &Path) {
    let mut rows = Vec::new();
    for (label, n) in cases() {
        let path = dir.join(format!("ledger-{n}.sqlite"));
        history(&path, n);
        let rss = status_kib("self", "VmRSS:");
        let first = open_look_claim(&path, n);
        let added = status_kib("self", "VmRSS:").saturating_sub(rss);
        let mut times: Vec<Duration> = (0..20).map(|_| open_look_claim(&path, n)).collect();
        times.sort();
        rows.push((label, times[times.len() / 2], first, added));
    }
    for (label, median, first, added) in rows {
        println!(
            "open + look-up + claim, {label}: median {:.2} ms (first {:.2} ms), RSS added by \
             the first {:.1} MB",
            median.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3,
            added as f64 / 1024.0
        );
    }
}

/// The worker: from the Unix time `start_ms` on, claims keys `k0..k29` of the ledger at `path`
/// (a thread each, one starting every 3 ms, in `order`: the other worker goes the other way, so
/// they meet in the middle), waiting for those another process holds; prints how many it
/// created.
fn worker(path: &Path, start_ms: i64, order: &str) {
    let ledger = Arc::new(Ledger::open(path).unwrap());
    let wait = start_ms - Utc::now().timestamp_millis();
    std::thread::sleep(Duration::from_millis(wait.max(0) as u64));
    let threads: Vec<_> = (0..CLAIMS)
        .map(|position| {
            let k = if order == "reverse" {
                CLAIMS - 1 - position
            } else {
                position
            };
            let ledger = ledger.clone();
            std::thread::sleep(Duration::from_millis(3));
            std::thread::spawn(move || {
                loop {
                    let key = format!("k{k}");
                    match ledger
                        .begin(&entry(key.clone(), EntryState::Pending, None))
                        .unwrap()
                    {
                        Begin::Fresh | Begin::Abandoned(_) => {
                            std::thread::sleep(Duration::from_millis(5));
                            let id = Some(format!("asset-{}-{k}", std::process::id()));
                            ledger.record(&entry(key, EntryState::Created, id)).unwrap();
                            return 1;
                        }
                        Begin::Busy { .. } => std::thread::sleep(Duration::from_millis(2)),
                        Begin::Created(_) => return 0,
                    }
                }
            })
        })
        .collect();
    let made: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    println!("{made}");
}

fn two_processes(dir: &Path) {
    let path = dir.join("shared.sqlite");
    let _ = std::fs::remove_file(&path);
    Ledger::open(&path).unwrap();
    // Both start claiming at the same moment, once both are up.
    let start_ms = (Utc::now().timestamp_millis() + 500).to_string();
    let started = Instant::now();
    let spawn = |order: &str| {
        std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--ledger-worker", path.to_str().unwrap(), &start_ms, order])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("forward"), spawn("reverse"));
    let made = |child: std::process::Child| -> usize {
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    };
    let (made_a, made_b) = (made(a), made(b));
    let ledger = Ledger::open(&path).unwrap();
    let created = (0..CLAIMS)
        .filter(|k| {
            ledger
                .get(&format!("k{k}"))
                .unwrap()
                .is_some_and(|e| e.state == EntryState::Created)
        })
        .count();
    assert_eq!(
        made_a + made_b,
        CLAIMS,
        "each key created by exactly one process"
    );
    assert_eq!(created, CLAIMS);
    println!(
        "{CLAIMS} concurrent claims from two processes: {made_a} + {made_b} created, 0 \
         duplicates, {:.0} ms (500 ms of it waiting for both to start)",
        started.elapsed().as_secs_f64() * 1e3
    );
}

/// The TUI's resident memory once its groups are shown, with the data dir `data`.
fn tui_rss(emulator: &str, data: &Path) -> u64 {
    let mut cmd = support::pty::command(data);
    cmd.env("VOLC_ACCESSKEY", ark_assets::emulator::DEMO_ACCESS_KEY);
    cmd.env("VOLC_SECRETKEY", ark_assets::emulator::DEMO_SECRET_KEY);
    cmd.env("ARK_ENDPOINT", emulator);
    let tui = Tui::start(cmd);
    let screen = Screen::follow(tui.output());
    screen.wait_until("the groups", Duration::from_secs(20), |text| {
        text.contains("Groups (")
    });
    // Settled: the first page of assets loaded.
    std::thread::sleep(Duration::from_millis(500));
    let rss = status_kib(&tui.pid().to_string(), "VmRSS:");
    assert!(rss > 0, "no resident memory read for the TUI");
    tui.quit();
    rss
}

fn tui(dir: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = runtime.block_on(async {
        use ark_assets::emulator::{Config, Emulator};
        Emulator::start(
            Config {
                seed_demo: true,
                ..Config::default()
            },
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap()
    });
    let endpoint = emu.domestic_endpoint(ark_assets::api::Addressing::ActionQuery);
    let identity = endpoint.account_identity();
    let mut rss = Vec::new();
    for (label, n) in cases() {
        let data = dir.join(format!("tui-{n}"));
        let ledger = data
            .join("ledger")
            .join(format!("default-{identity}.sqlite"));
        std::fs::create_dir_all(ledger.parent().unwrap()).unwrap();
        if n > 0 && !ledger.exists() {
            std::fs::copy(dir.join(format!("ledger-{n}.sqlite")), &ledger).unwrap();
        }
        let kib: Vec<u64> = (0..support::scale(3, 1))
            .map(|_| tui_rss(&emu.url, &data))
            .collect();
        rss.push((label, *kib.iter().min().unwrap()));
    }
    for (label, kib) in &rss {
        println!(
            "TUI RSS, groups shown, ledger {label}: {:.1} MB",
            *kib as f64 / 1024.0
        );
    }
    println!(
        "difference: {:.1} MB (bound 5 MB)",
        (rss[0].1 as f64 - rss[1].1 as f64) / 1024.0
    );
    drop(emu);
}

fn main() {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("--ledger-worker") {
        let path = PathBuf::from(args.next().unwrap());
        let start_ms = args.next().unwrap().parse().unwrap();
        return worker(&path, start_ms, &args.next().unwrap());
    }
    support::begin();
    let dir = std::env::temp_dir().join("ark-assets-bench-ledger");
    std::fs::create_dir_all(&dir).unwrap();
    claims(&dir);
    two_processes(&dir);
    tui(&dir);
}
