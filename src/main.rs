use clap::Parser;

/// Manage Volcengine Ark / BytePlus ModelArk portrait assets from the terminal.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Run the whole product against a local emulator of the Assets API (no account needed).
    #[arg(long)]
    demo: bool,
    /// Profile of the config file to use.
    #[arg(long, global = true)]
    profile: Option<String>,
}

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    if cli.demo {
        eprintln!("demo not yet available: the local emulator has not landed yet");
        std::process::exit(2);
    }
    let env = ark_assets::config::Env::from_process();
    let loaded = ark_assets::config::load(None, cli.profile.as_deref(), &env)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "profile {} ({} endpoint {})",
        loaded.profile.name,
        loaded.profile.endpoint.dialect(),
        loaded.profile.endpoint.base()
    );
    Ok(())
}
