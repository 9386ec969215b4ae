//! Start-up time of `ark-assets --demo` in a pseudo-terminal, and the binary's size:
//! `cargo bench --bench startup`.
//!
//! "First frame" is the first screen showing the title bar; "groups shown" adds the emulator's
//! start, its sample data and the first ListAssetGroups round trip. Ten runs (three in the
//! quick mode) after one that warms the page cache.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::pty::{Screen, Tui};

/// One start: the time to the first frame and to the groups shown.
fn once(data: &Path) -> (Duration, Duration) {
    // The demo's account in a folder of the bench's own: made from the sample data by the first
    // run, read back by the others, as a user's second and later runs do.
    let mut cmd = support::pty::command(data);
    cmd.arg("--demo");
    let start = Instant::now();
    let tui = Tui::start(cmd);
    let screen = Screen::follow(tui.output());
    let (mut first, mut groups) = (None, None);
    screen.wait_until("the demo's six groups", Duration::from_secs(20), |text| {
        if first.is_none() && text.contains("ark-assets │") {
            first = Some(start.elapsed());
        }
        if text.contains("Groups (6)") {
            groups = Some(start.elapsed());
        }
        groups.is_some()
    });
    tui.quit();
    let groups = groups.unwrap();
    (first.unwrap_or(groups), groups)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    support::begin();
    let binary = env!("CARGO_BIN_EXE_ark-assets");
    let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
    println!("binary: {binary}: {:.1} MB", size as f64 / 1e6);
    let data = std::env::temp_dir().join(format!("ark-assets-startup-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    once(&data); // warm the page cache
    let runs: Vec<(Duration, Duration)> = (0..support::scale(10, 3)).map(|_| once(&data)).collect();
    let first = median(runs.iter().map(|r| r.0).collect());
    let groups = median(runs.iter().map(|r| r.1).collect());
    println!(
        "--demo to first frame: median {:.1} ms over {} runs",
        first.as_secs_f64() * 1e3,
        runs.len()
    );
    println!(
        "--demo to groups shown: median {:.1} ms",
        groups.as_secs_f64() * 1e3
    );
    std::fs::remove_dir_all(&data).ok();
}
