//! The `ark-assets` binary: parses arguments and starts the TUI (no subcommand) or runs the
//! subcommand.

use std::process::ExitCode;

use ark_assets::cli::Cli;
use ark_assets::config::Env;
use ark_assets::tui::{Launch, LaunchError};
use clap::Parser;

/// The TUI's built-in keys as the man page lists them: the help's sections, one row a key.
fn key_rows() -> Vec<(String, String, String)> {
    let keys = ark_assets::app::keymap::Keymap::default();
    ark_assets::app::help::sections(&keys)
        .into_iter()
        .flat_map(|s| {
            let title = s.title;
            s.rows
                .into_iter()
                .map(move |(label, what)| (title.to_owned(), label, what))
        })
        .collect()
}

#[tokio::main]
async fn main() -> ExitCode {
    let env = Env::from_process();
    ark_assets::logging::init(&env);
    let cli = Cli::parse();
    if cli.command.is_some() {
        return ark_assets::cli::run(cli, env, key_rows).await;
    }
    let launch = Launch {
        config: cli.config,
        profile: cli.profile,
        project: cli.project,
        demo: cli.demo,
        demo_reset: cli.demo_reset,
        read_only: cli.read_only,
    };
    match ark_assets::tui::launch(launch, env).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", ark_assets::text::visible_lines(&e.to_string()));
            ExitCode::from(LaunchError::exit_code(&e))
        }
    }
}
