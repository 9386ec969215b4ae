//! `man`: the manual of the whole command tree in roff, from the clap command tree
//! (clap_mangen), with the sections clap does not know: ENVIRONMENT (from the variables the
//! program reads), FILES, EXIT STATUS and, when the caller gives them, KEYS (the TUI's key
//! table).

use super::{Cli, EXIT_CONFIG, EXIT_FAILED, EXIT_INVALID, EXIT_TIMEOUT, Failure, KeyRows, output};

/// What each exit code means.
const EXIT_CODES: &[(u8, &str)] = &[
    (0, "success"),
    (
        EXIT_FAILED,
        "an operation failed: an API error, a Failed asset, rows or steps that could not be done",
    ),
    (
        EXIT_TIMEOUT,
        "wait timed out (clap also uses 2 for a command line it cannot read)",
    ),
    (
        EXIT_INVALID,
        "input broke a rule, or a question was refused: nothing was sent",
    ),
    (EXIT_CONFIG, "the configuration is missing or invalid"),
];

/// Where the files are.
const FILES: &[(&str, &str)] = &[
    (
        "~/.config/ark-assets/config.toml",
        "profiles, keys, theme, columns (mode 0600); ARK_ASSETS_CONFIG or --config names another",
    ),
    (
        "~/.local/share/ark-assets/",
        "ledger/ (every create, per profile), state/ (what a TUI session leaves), demo/ (the \
         demo's account); ARK_ASSETS_DATA moves it",
    ),
    (
        "~/.local/state/ark-assets/ark-assets.log",
        "the log, rotated at 10 MB, three kept; in ARK_ASSETS_DATA when it is set",
    ),
    (
        "~/Library/Application Support/ark-assets/",
        "on macOS, config, data and log alike",
    ),
];

/// `text` safe in roff: backslashes written as `\e`, and a line that would start with a
/// control character (`.` or `'`) kept as text.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    text.lines()
        .map(|l| {
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A section of tagged paragraphs: `term` in bold, `text` under it.
fn section<'a>(title: &str, items: impl IntoIterator<Item = (String, &'a str)>) -> String {
    let mut out = format!(".SH \"{title}\"\n");
    for (term, text) in items {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(&term), roff(text)));
    }
    out
}

/// The sections the tool's own page gains: KEYS (when `keys` gives rows), ENVIRONMENT,
/// FILES, EXIT STATUS.
fn extra_sections(keys: &KeyRows) -> String {
    let mut out = String::new();
    let rows = keys();
    if !rows.is_empty() {
        out.push_str(
            ".SH KEYS\nThe terminal UI's keys (a [keys] table in the config file changes them).\n",
        );
        let mut shown = None;
        for (scope, keys, what) in &rows {
            if shown != Some(scope) {
                out.push_str(&format!(".SS \"{}\"\n", roff(scope)));
                shown = Some(scope);
            }
            out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(keys), roff(what)));
        }
    }
    let variables = crate::config::env::VARIABLES
        .iter()
        .filter(|(_, what)| *what != "for tests only")
        .map(|(name, what)| (name.to_string(), *what));
    out.push_str(&section("ENVIRONMENT", variables));
    out.push_str(&section(
        "FILES",
        FILES.iter().map(|(path, what)| (path.to_string(), *what)),
    ));
    out.push_str(&section(
        "EXIT STATUS",
        EXIT_CODES
            .iter()
            .map(|(code, what)| (code.to_string(), *what)),
    ));
    out
}

/// The manual on stdout, one page a command (the tool's first, with the extra sections, then
/// each subcommand's, as `ark-assets-groups-create`) in one roff stream.
pub(super) fn run(keys: &KeyRows) -> Result<u8, Failure> {
    fn pages(cmd: &clap::Command, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        clap_mangen::Man::new(cmd.clone())
            .date(env!("ARK_ASSETS_COMMIT_DATE"))
            .render(out)?;
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            pages(sub, out)?;
        }
        Ok(())
    }
    let mut cmd = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    let mut page = Vec::new();
    let failed = |e: std::io::Error| Failure::new(EXIT_FAILED, format!("man: {e}"));
    clap_mangen::Man::new(cmd.clone())
        .date(env!("ARK_ASSETS_COMMIT_DATE"))
        .render(&mut page)
        .map_err(failed)?;
    page.extend_from_slice(extra_sections(keys).as_bytes());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages(sub, &mut page).map_err(failed)?;
    }
    output::bytes(&page);
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_kept_as_text_in_roff() {
        assert_eq!(super::roff(r"a\b"), r"a\eb");
        assert_eq!(super::roff(".not a macro"), r"\&.not a macro");
        assert_eq!(super::roff("--json"), r"\-\-json");
    }

    #[test]
    fn the_tool_s_page_gains_keys_environment_files_and_exit_status() {
        fn keys() -> Vec<(String, String, String)> {
            vec![("Both panes".into(), "j/↓".into(), "move down".into())]
        }
        let text = super::extra_sections(&(keys as super::KeyRows));
        for title in [
            ".SH KEYS",
            ".SH \"ENVIRONMENT\"",
            ".SH \"FILES\"",
            ".SH \"EXIT STATUS\"",
        ] {
            assert!(text.contains(title), "{title}: {text}");
        }
        assert!(text.contains(".SS \"Both panes\"\n.TP\n\\fBj/↓\\fR\nmove down\n"));
        assert!(text.contains("\\fBARK_ASSETS_CONFIG\\fR"), "{text}");
        assert!(!text.contains("ARK_ASSETS_FAIL_FOR_TESTS"), "{text}");
        assert!(text.contains("\\fB3\\fR\ninput broke a rule"), "{text}");
    }
}
