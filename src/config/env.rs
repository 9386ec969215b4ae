//! The environment, read once: every variable the program looks at is named here, and every
//! part of it reads them through [`Env`], so tests and embedders give it exactly the
//! environment they mean.

use std::collections::HashMap;

/// Every environment variable ark-assets reads, with what it does (the man page's
/// ENVIRONMENT section lists them, but for those marked for tests).
pub(crate) const VARIABLES: &[(&str, &str)] = &[
    // Credentials and where they go.
    (
        "VOLC_ACCESSKEY",
        "the access key id (AK) of a domestic profile, over the file's",
    ),
    (
        "VOLC_SECRETKEY",
        "the secret access key (SK), over the file's",
    ),
    (
        "VOLC_SESSIONTOKEN",
        "the session token of temporary (STS) keys",
    ),
    (
        "ARK_API_KEY",
        "the Bearer API key of a global (gateway) profile",
    ),
    (
        "ARK_ENDPOINT",
        "the endpoint's base URL, over the profile's",
    ),
    (
        "ARK_PROFILE",
        "the profile used when --profile is not given",
    ),
    // Where files are, and how the program behaves.
    (
        "ARK_ASSETS_CONFIG",
        "the config file (a file, not a folder)",
    ),
    (
        "ARK_ASSETS_DATA",
        "the data folder: ledgers, remembered state, the demo, the log",
    ),
    ("ARK_ASSETS_LOG", "the log's level (debug for more)"),
    (
        "ARK_ASSETS_PREVIEW",
        "image previews: auto, halfblocks or off",
    ),
    (
        "ARK_ASSETS_DEMO_FAULTS",
        "faults the demo plays (error_rate=0.1,latency_ms=300,…)",
    ),
    (
        "ARK_ASSETS_DEMO_TIER",
        "the BytePlus tier the demo plays (entry, advanced, premium)",
    ),
    (
        "ARK_ASSETS_DEMO_WAIT",
        "seconds a second --demo waits for the first (60)",
    ),
    (
        "ARK_ASSETS_DEMO_TASK_MS",
        "milliseconds a demo's Seedance task takes",
    ),
    ("ARK_ASSETS_FAIL_FOR_TESTS", "for tests only"),
    // The terminal.
    ("NO_COLOR", "no colours"),
    ("TERM", "the terminal, for colours and graphics"),
    (
        "TERM_PROGRAM",
        "the terminal program, for its graphics protocol",
    ),
    ("COLORTERM", "whether the terminal has true colour"),
    (
        "LC_TERMINAL",
        "the terminal program (iTerm2), for its graphics protocol",
    ),
    ("TMUX", "inside tmux: previews in half blocks"),
    ("KITTY_WINDOW_ID", "inside kitty: its graphics protocol"),
    ("WT_SESSION", "inside Windows Terminal"),
    // Programs to hand over to.
    ("VISUAL", "the editor of names (before EDITOR)"),
    ("EDITOR", "the editor of names (vi when neither is set)"),
    ("BROWSER", "the program that opens an asset's file"),
    ("DISPLAY", "a graphical session (xdg-open opens files)"),
    (
        "WAYLAND_DISPLAY",
        "a graphical session (xdg-open opens files)",
    ),
    // Time zone of the times shown.
    ("TZ", "the time zone of the times shown"),
];

/// The environment variables ark-assets reads (empty ones count as unset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env(HashMap<String, String>);

impl Env {
    /// The variables of [`VARIABLES`], from the process environment.
    pub fn from_process() -> Self {
        Env(VARIABLES
            .iter()
            .filter_map(|(n, _)| Some((n.to_string(), std::env::var(n).ok()?)))
            .filter(|(_, v)| !v.is_empty())
            .collect())
    }

    /// An environment with exactly these variables (for tests).
    #[cfg(test)]
    pub(crate) fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Env(pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }

    /// The value of `name`, when it is set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        debug_assert!(
            VARIABLES.iter().any(|(n, _)| *n == name),
            "{name} is not in env::VARIABLES"
        );
        self.0.get(name).map(String::as_str)
    }

    /// Whether `NO_COLOR` asks for no colours.
    pub(crate) fn no_color(&self) -> bool {
        self.get("NO_COLOR").is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_unset() {
        let env = Env::from_pairs([("NO_COLOR", ""), ("TERM", "xterm")]);
        assert!(!env.no_color());
        assert_eq!(env.get("TERM"), Some("xterm"));
    }
}
