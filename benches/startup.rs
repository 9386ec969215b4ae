//! Start-up time of `ark-assets --demo` in a pseudo-terminal, and the binary's size:
//! `cargo bench --bench startup`.
//!
//! "First frame" is the first screen showing the title bar; "groups shown" adds the emulator's
//! start, its sample data and the first ListAssetGroups round trip.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn once(binary: &str) -> (Duration, Duration) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 48,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(binary);
    // The demo's account in a folder of the bench's own: made from the sample data by the first
    // run, read back by the others, as a user's second and later runs do.
    cmd.arg("--demo");
    let data = std::env::temp_dir().join(format!("ark-assets-startup-{}", std::process::id()));
    cmd.env("ARK_ASSETS_DATA", &data);
    cmd.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let screen = Arc::new(Mutex::new(vt100::Parser::new(48, 160, 0)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let s = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut first = None;
    let groups = loop {
        let text = screen.lock().unwrap().screen().contents();
        if first.is_none() && text.contains("ark-assets │") {
            first = Some(start.elapsed());
        }
        if text.contains("Groups (6)") {
            break start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no frame:\n{text}"
        );
        std::thread::sleep(Duration::from_micros(200));
    };
    let mut writer = pair.master.take_writer().unwrap();
    std::io::Write::write_all(&mut writer, b"q").unwrap();
    child.wait().unwrap();
    (first.unwrap_or(groups), groups)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let binary = env!("CARGO_BIN_EXE_ark-assets");
    let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
    println!("binary: {binary}: {:.1} MB", size as f64 / 1e6);
    once(binary); // warm the page cache
    let runs: Vec<(Duration, Duration)> = (0..10).map(|_| once(binary)).collect();
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
}
