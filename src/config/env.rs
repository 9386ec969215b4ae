//! The environment, read once: every variable the program looks at is named here, and every
//! part of it reads them through [`Env`], so tests and embedders give it exactly the
//! environment they mean.

use std::collections::HashMap;

/// Every environment variable ark-assets reads.
pub const NAMES: &[&str] = &[
    // Credentials and where they go.
    "VOLC_ACCESSKEY",
    "VOLC_SECRETKEY",
    "VOLC_SESSIONTOKEN",
    "ARK_API_KEY",
    "ARK_ENDPOINT",
    "ARK_PROFILE",
    // Where files are, and how the program behaves.
    "ARK_ASSETS_CONFIG",
    "ARK_ASSETS_DATA",
    "ARK_ASSETS_LOG",
    "ARK_ASSETS_PREVIEW",
    "ARK_ASSETS_DEMO_FAULTS",
    "ARK_ASSETS_DEMO_TIER",
    "ARK_ASSETS_DEMO_WAIT",
    "ARK_ASSETS_DEMO_TASK_MS",
    "ARK_ASSETS_FAIL_FOR_TESTS",
    // The terminal.
    "NO_COLOR",
    "TERM",
    "TERM_PROGRAM",
    "COLORTERM",
    "LC_TERMINAL",
    "TMUX",
    "KITTY_WINDOW_ID",
    "WT_SESSION",
    // Programs to hand over to.
    "VISUAL",
    "EDITOR",
    "BROWSER",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    // Time zone of the times shown.
    "TZ",
];

/// The environment variables ark-assets reads (empty ones count as unset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env(HashMap<String, String>);

impl Env {
    /// The variables of [`NAMES`], from the process environment.
    pub fn from_process() -> Self {
        Env(NAMES
            .iter()
            .filter_map(|n| Some((n.to_string(), std::env::var(n).ok()?)))
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
        debug_assert!(NAMES.contains(&name), "{name} is not in env::NAMES");
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
