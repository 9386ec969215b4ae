//! The `ark-assets` binary: parses arguments and hands over to the CLI (or the TUI).

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("warning: {e}");
    }
    ark_assets::logging::init();
    ark_assets::cli::run(ark_assets::cli::Cli::parse()).await
}
