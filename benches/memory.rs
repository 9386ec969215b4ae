//! Peak resident memory holding 100k assets in the app state: `cargo bench --bench memory`.

#[path = "../tests/support/fixtures.rs"]
mod fixtures;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let before = status_kib("VmRSS:");
    let state = fixtures::with_assets((160, 48), 100_000);
    let after = status_kib("VmRSS:");
    let peak = status_kib("VmHWM:");
    println!("assets held: {}", state.assets.items.len());
    println!(
        "RSS before: {:.1} MB, holding: {:.1} MB, peak: {:.1} MB",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}
