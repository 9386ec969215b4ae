//! What the benchmarks share: the quick mode, a bound on the commands they run, the files and
//! config of the upload and sync benchmarks ([`files`]), and the TUI in a pseudo-terminal
//! ([`pty`]).
//!
//! The quick mode (`ARK_ASSETS_BENCH_QUICK=1 cargo bench`, which CI runs) makes every
//! benchmark small (a few thousand assets, tens of files, a few samples) so that each runs in
//! seconds. It shows that the benchmark still measures: one that cannot (a wait that runs out,
//! a panic, nothing counted) exits non-zero. Its figures are not the README's: those come from
//! full runs.

pub mod files;
pub mod pty;

use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable that asks for the quick mode: set to anything but `0` or nothing.
pub const QUICK_VAR: &str = "ARK_ASSETS_BENCH_QUICK";

/// The longest any command of a benchmark may take: far over any full run's (the slowest,
/// an import of 1,000 assets at the real limits, takes about 70 s). A command that reaches it
/// is stuck, and the benchmark fails; it is not a judgement on speed.
pub const STUCK: Duration = Duration::from_secs(300);

/// Whether this run is the quick mode (read once).
pub fn quick() -> bool {
    static QUICK: OnceLock<bool> = OnceLock::new();
    *QUICK.get_or_init(|| std::env::var(QUICK_VAR).is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// `full` in a full run, `small` in the quick mode.
pub fn scale<T>(full: T, small: T) -> T {
    if quick() { small } else { full }
}

/// Begins a benchmark's output. A closed standard output (`cargo bench --bench startup |
/// head -1`) ends the benchmark quietly, as it ends a command-line tool, instead of a panic at
/// its next line (Rust ignores SIGPIPE; sockets are written with MSG_NOSIGNAL, so only a pipe
/// is concerned). In the quick mode, the first line says so, so that its figures are never
/// taken for real ones.
pub fn begin() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: no handler of ours runs: the default action is restored.
    unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) }.expect("SIGPIPE's default action");
    if quick() {
        println!("quick mode ({QUICK_VAR}): small counts, to show that it measures; not figures");
    }
}

/// Runs `cmd` to its end (killed after [`STUCK`]) and fails the benchmark unless it succeeded,
/// showing its standard error; `what` names it in the failure.
pub async fn run_ok(what: &str, cmd: &mut tokio::process::Command) -> Output {
    cmd.kill_on_drop(true);
    let out = tokio::time::timeout(STUCK, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{what}: still running after {} s", STUCK.as_secs()))
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
