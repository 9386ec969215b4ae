//! Names the commit a release binary is built from, for `--version` (`ark-assets 0.3.0 (1a2b3c4
//! 2026-11-29)`) and the man page's date; outside a git checkout both are left out. Other
//! profiles (tests, `cargo run`) are not stamped, so a commit does not rebuild them.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() != Ok("release") {
        println!("cargo:rustc-env=ARK_ASSETS_VERSION_SUFFIX=");
        println!("cargo:rustc-env=ARK_ASSETS_COMMIT_DATE=");
        return;
    }
    let commit = git(&["rev-parse", "--short=7", "HEAD"]);
    let date = git(&["log", "-1", "--format=%cs"]);
    let suffix = match (&commit, &date) {
        (Some(commit), Some(date)) => format!(" ({commit} {date})"),
        _ => String::new(),
    };
    println!("cargo:rustc-env=ARK_ASSETS_VERSION_SUFFIX={suffix}");
    println!(
        "cargo:rustc-env=ARK_ASSETS_COMMIT_DATE={}",
        date.unwrap_or_default()
    );
    // A new commit or another branch: named again.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        for watched in ["HEAD", "refs/heads", "packed-refs"] {
            let path = Path::new(&dir).join(watched);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
