//! The checks of this machine: the config file, the data folder, the ledger, the log, and the
//! terminal.

use super::Check;
use crate::config::{Config, ConfigError, Dirs, Env};
use crate::ledger::Ledger;

/// The config file: found, and readable by its owner only.
pub fn config_file(config: &Result<Config, ConfigError>, dirs: &Dirs) -> Check {
    let config = match config {
        Ok(config) => config,
        Err(e) => {
            return Check::fail(
                "config file",
                e.to_string(),
                "fix the line and column it names (`ark-assets config show` reads it again)",
            );
        }
    };
    let Some(path) = config.path() else {
        let looked = dirs
            .config_file
            .as_ref()
            .map_or("no config folder".to_owned(), |p| p.display().to_string());
        return Check::info(
            "config file",
            format!("none ({looked}): the profile comes from the environment"),
        );
    };
    match crate::config::permission_warning(path) {
        Some(warning) => Check::fail(
            "config file",
            warning,
            format!("chmod 600 {}", path.display()),
        ),
        None => Check::pass("config file", format!("{} (private)", path.display())),
    }
}

/// The data folder (ledgers, remembered state, the demo): a file can be made there.
pub fn data_dir(dirs: &Dirs) -> Check {
    let Some(dir) = &dirs.data else {
        return Check::fail(
            "data folder",
            "there is none",
            "set ARK_ASSETS_DATA to a folder this user can write",
        );
    };
    let probe = dir.join(format!(".doctor-{}", std::process::id()));
    let written = crate::files::write_private(&probe, b"ok");
    let _ = std::fs::remove_file(&probe);
    match written {
        Ok(()) => Check::pass("data folder", format!("{} (writable)", dir.display())),
        Err(e) => Check::fail(
            "data folder",
            format!("{}: {e}", dir.display()),
            "make it writable by this user, or set ARK_ASSETS_DATA to one that is",
        ),
    }
}

/// The profile's ledger, when there is one (a check never makes it): readable, and how many
/// attempts have no known outcome yet.
pub fn ledger(ledger: &Ledger) -> Check {
    let path = ledger.path().display();
    // A ledger of an earlier version, as JSON lines, is taken over when the database opens.
    let earlier = ledger.path().with_extension("jsonl");
    if !ledger.path().exists() && !earlier.exists() {
        return Check::info(
            "ledger",
            format!("none yet ({path}: the first create makes it)"),
        );
    }
    match ledger.counts() {
        Ok([0, created, failed]) => Check::pass(
            "ledger",
            format!("{path}: {created} created, {failed} failed, none pending"),
        ),
        Ok([pending, created, failed]) => Check::pass(
            "ledger",
            format!(
                "{path}: {created} created, {failed} failed, {pending} pending (an import \
                 or create was stopped: run it again and it ends exactly)"
            ),
        ),
        Err(e) => Check::fail(
            "ledger",
            e.to_string(),
            "is another version's or a damaged file? Move it aside: the service keeps the assets",
        ),
    }
}

/// Where the log is, and how big.
pub fn log_file(dirs: &Dirs) -> Check {
    let Some(path) = crate::logging::path(dirs) else {
        return Check::info("log", "no state folder: nothing is logged");
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Check::info(
        "log",
        format!(
            "{} ({:.1} MB; rotated at {} MB, {} kept; ARK_ASSETS_LOG sets the level)",
            path.display(),
            size as f64 / 1e6,
            crate::logging::MAX_LOG_BYTES / (1024 * 1024),
            crate::logging::KEPT_LOGS
        ),
    )
}

/// The terminal: its size (when standard input and output are one: the TUI needs both), its
/// colours, how previews would be drawn, and inside tmux whether copies and links reach the
/// outer terminal.
pub fn terminal(env: &Env) -> Vec<Check> {
    use std::io::IsTerminal;
    let size = if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        crossterm::terminal::size()
    } else {
        Err(std::io::ErrorKind::NotConnected.into())
    };
    let mut checks = vec![match size {
        Ok((w, h)) if w >= 80 && h >= 24 => Check::pass("terminal", format!("{w}x{h}")),
        Ok((w, h)) => Check::info(
            "terminal",
            format!("{w}x{h}: the TUI works, 80x24 or more shows the times and hints"),
        ),
        Err(_) => Check::info(
            "terminal",
            "not a terminal: standard input or output is not one (the CLI works; the TUI needs \
             one, e.g. `ssh -t`)",
        ),
    }];
    checks.push(Check::info("colours", colours(env)));
    checks.push(Check::info("previews", previews(env)));
    if env.get("TMUX").is_some() {
        checks.extend(tmux());
    }
    checks
}

fn colours(env: &Env) -> String {
    if env.no_color() {
        return "none (NO_COLOR): statuses read by symbol".to_owned();
    }
    let term = env.get("TERM").unwrap_or_default();
    match env.get("COLORTERM").unwrap_or_default() {
        "truecolor" | "24bit" => "24-bit".to_owned(),
        _ if term.contains("256color") => "256".to_owned(),
        _ => format!("16 at least (TERM={term})"),
    }
}

fn previews(env: &Env) -> String {
    if crate::preview::Painter::worth_asking(|name| env.get(name).map(str::to_owned)) {
        "the terminal's graphics protocol (asked at start), else half blocks".to_owned()
    } else {
        "half blocks (no graphics protocol is asked for in this terminal)".to_owned()
    }
}

/// tmux's `set-clipboard` (copies reach the outer terminal) and its hyperlinks feature.
fn tmux() -> Vec<Check> {
    let option = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let clipboard = match option(&["show-options", "-gv", "set-clipboard"]).as_deref() {
        Some("on" | "external") => Check::pass("tmux clipboard", "set-clipboard is on: y copies"),
        Some(other) => Check::fail(
            "tmux clipboard",
            format!("set-clipboard is {other}: copies (y, Y, J) stop at tmux"),
            "add `set -g set-clipboard on` to ~/.tmux.conf and run `tmux source ~/.tmux.conf`",
        ),
        None => Check::info("tmux clipboard", "tmux could not be asked"),
    };
    let features = option(&["show-options", "-sv", "terminal-features"]).unwrap_or_default();
    let links = if features.contains("hyperlinks") {
        Check::pass("tmux links", "hyperlinks reach the outer terminal")
    } else {
        Check::info(
            "tmux links",
            "no hyperlinks feature: links show as text (`set -as terminal-features \
             ',*:hyperlinks'` turns them on)",
        )
    };
    vec![clipboard, links]
}
