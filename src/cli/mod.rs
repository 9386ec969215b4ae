//! The command line: every operation as a subcommand, human tables or `--json` on stdout,
//! errors on stderr, and documented exit codes.

mod assets;
mod batch;
mod config_cmd;
mod copy;
mod doctor;
mod emulator_cmd;
mod groups;
mod import;
mod man;
pub mod output;
mod progress;
mod pull;
mod resolve;
mod sync;
pub mod tasks;
mod verify;

pub mod args;

use std::process::ExitCode;
use std::time::Duration;

pub use args::*;

use crate::api::{ApiError, Client};
use crate::catalog::Catalog;
use crate::config::{self, Config, Env};
use crate::media::CheckTimeouts;
use crate::open::{self, Demo, OpenError};

/// The TUI's key table as the man page lists it, `(where, keys, what)` rows: given by the
/// binary, which knows the TUI (this module does not).
pub(crate) type KeyRows = fn() -> Vec<(String, String, String)>;

/// Exit code: an operation failed (API error, a Failed asset, rows that could not be created).
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit code: `wait` timed out (clap also uses 2 for usage errors).
pub(crate) const EXIT_TIMEOUT: u8 = 2;
/// Exit code: input broke a rule and nothing was sent.
pub(crate) const EXIT_INVALID: u8 = 3;
/// Exit code: the configuration is missing or invalid.
pub(crate) const EXIT_CONFIG: u8 = 4;

/// A failure with its exit code; the message goes to stderr.
#[derive(Debug)]
pub(crate) struct Failure {
    /// Exit code.
    pub code: u8,
    /// What went wrong.
    pub message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        let message = match e.advice() {
            Some(next) => format!("{e}\n  next step: {next}"),
            None => e.to_string(),
        };
        Failure::new(EXIT_FAILED, message)
    }
}

impl From<crate::catalog::ListError> for Failure {
    fn from(e: crate::catalog::ListError) -> Self {
        match e {
            crate::catalog::ListError::Api(e) => e.into(),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

impl From<crate::catalog::CreateError> for Failure {
    fn from(e: crate::catalog::CreateError) -> Self {
        use crate::catalog::CreateError;
        match e {
            CreateError::Api(e) => e.into(),
            CreateError::NoStorage => Failure::new(EXIT_CONFIG, e.to_string()),
            other => Failure::new(EXIT_FAILED, other.to_string()),
        }
    }
}

impl From<crate::storage::StorageError> for Failure {
    fn from(e: crate::storage::StorageError) -> Self {
        Failure::new(EXIT_FAILED, e.to_string())
    }
}

impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Self {
        let code = match &e {
            OpenError::Project(_) | OpenError::DemoFaults(_) | OpenError::DemoWait(_) => {
                EXIT_INVALID
            }
            e if e.is_config() => EXIT_CONFIG,
            _ => EXIT_FAILED,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<crate::catalog::groups::GroupError> for Failure {
    fn from(e: crate::catalog::groups::GroupError) -> Self {
        use crate::catalog::groups::GroupError;
        match e {
            GroupError::Invalid(e) => e.into(),
            GroupError::Api(e) => e.into(),
            GroupError::Exists { .. } => Failure::new(
                EXIT_INVALID,
                format!("{e}: give another name, or pass --allow-duplicate-name to make it anyway"),
            ),
            GroupError::Unchecked { .. }
            | GroupError::NotAlone { .. }
            | GroupError::HeldElsewhere { .. }
            | GroupError::Ledger(_) => Failure::new(EXIT_FAILED, e.to_string()),
        }
    }
}

impl From<crate::catalog::changes::GroupNotDeleted> for Failure {
    fn from(e: crate::catalog::changes::GroupNotDeleted) -> Self {
        let mut failure = Failure::from(e.error.clone());
        if let Some(next) = e.next_step() {
            failure.message.push_str(&format!("\n  next step: {next}"));
        }
        failure
    }
}

impl From<config::ConfigError> for Failure {
    fn from(e: config::ConfigError) -> Self {
        Failure::new(EXIT_CONFIG, e.to_string())
    }
}

impl From<crate::validate::Invalid> for Failure {
    fn from(e: crate::validate::Invalid) -> Self {
        Failure::new(EXIT_INVALID, e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::new(EXIT_FAILED, e.to_string())
    }
}

/// Standard input, read whole the first time it is asked for (ids to delete, a listing to
/// import). A command that reads it does so before it opens the demo, so that a `--demo`
/// earlier in the pipeline (`--demo assets create … | --demo assets delete -`) can finish
/// first rather than wait for the demo this one would hold.
pub(crate) fn standard_input() -> Result<&'static str, Failure> {
    static READ: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    let read = READ.get_or_init(|| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map(|_| text)
            .map_err(|e| format!("cannot read standard input: {e}"))
    });
    read.as_deref()
        .map_err(|e| Failure::new(EXIT_FAILED, e.clone()))
}

/// A command's demo: reset with `--demo-reset`; a wait for another demo is said on stderr.
fn demo_run(cli: &Cli) -> open::DemoRun<'static> {
    open::DemoRun {
        reset: cli.demo_reset,
        what: "a command",
        waiting: &|line| output::say(line),
    }
}

/// What the commands share: the catalog (client and ledger), the output mode and the bounds.
pub(crate) struct Ctx {
    /// The service, the ledger and create-once.
    pub catalog: Catalog,
    /// JSON output.
    pub json: bool,
    /// The profile's name.
    pub profile: String,
    /// Bounds of image URL checks.
    pub check: CheckTimeouts,
    /// Commands that change the account are off (`--read-only`, or the profile's
    /// `read_only = true`).
    pub read_only: bool,
    /// `--read-only` was given: every profile the command opens is read-only (`copy --to`'s
    /// destination too).
    pub read_only_asked: bool,
    /// The environment (the editor, for one).
    pub env: Env,
    /// The config file named on the command line (another profile of it is opened by `copy`).
    pub config: Option<std::path::PathBuf>,
    /// The demo, kept alive while the command runs.
    demo: Option<Demo>,
}

impl Ctx {
    /// Builds the context for `cli`: the demo, or the configured profile.
    async fn new(cli: &Cli, env: &Env) -> Result<Ctx, Failure> {
        let (opened, demo) = if cli.demo || cli.demo_reset {
            let demo = Demo::start(open::demo_faults(env)?, env, demo_run(cli)).await?;
            if let Some(note) = &demo.note {
                output::say(format_args!("{note}"));
            }
            (demo.open(cli.project.as_deref())?, Some(demo))
        } else {
            let config = Config::load(cli.config.as_deref(), env.clone())?;
            for w in &config.warnings {
                output::say(format_args!("warning: {}", crate::text::visible(w)));
            }
            let opened = open::profile(&config, cli.profile.as_deref(), cli.project.as_deref())?;
            (opened, None)
        };
        let wait = Duration::from_secs(cli.other_run_wait);
        Ok(Ctx {
            catalog: opened.catalog.with_other_run_wait(wait),
            json: cli.json,
            profile: opened.name,
            check: CheckTimeouts::within(Duration::from_secs(cli.check_timeout)),
            read_only: opened.read_only || cli.read_only,
            read_only_asked: cli.read_only,
            env: env.clone(),
            config: cli.config.clone(),
            demo,
        })
    }

    /// The API client.
    pub(crate) fn api(&self) -> &Client {
        self.catalog.client()
    }

    /// Prints `value` as JSON with `--json`, else in its human form.
    pub(crate) fn show<T: serde::Serialize + ?Sized>(&self, value: &T, human: impl FnOnce(&T)) {
        if self.json {
            output::json(value);
        } else {
            human(value);
        }
    }
}

/// Runs a subcommand (the TUI starts without one), `keys` giving the man page the TUI's key
/// table; returns the process exit code.
pub async fn run(cli: Cli, env: Env, keys: KeyRows) -> ExitCode {
    let code = match dispatch(cli, &env, keys).await {
        Ok(code) => code,
        Err(f) => {
            output::say(format_args!("error: {}", f.message));
            f.code
        }
    };
    ExitCode::from(match output::cut_short() {
        Some((kind, why)) => {
            output::say(format_args!(
                "warning: the output was cut short (standard output: {why}); the command went \
                 on with its work all the same"
            ));
            // A reader that left (`| head`) asked for no more; a failing output lost lines.
            if kind == std::io::ErrorKind::BrokenPipe || code != 0 {
                code
            } else {
                EXIT_FAILED
            }
        }
        None => code,
    })
}

/// The config file in use: `--config`, else `ARK_ASSETS_CONFIG`, else the platform's (none
/// where there is no config directory).
fn config_path(cli: &Cli, env: &Env) -> Option<std::path::PathBuf> {
    cli.config
        .clone()
        .or_else(|| crate::config::Dirs::of(env).config_file)
}

async fn dispatch(cli: Cli, env: &Env, keys: KeyRows) -> Result<u8, Failure> {
    let command = match &cli.command {
        None => return Err(Failure::new(EXIT_INVALID, "no command given")),
        Some(Cmd::Emulator(args)) => {
            let config = config_path(&cli, env);
            return emulator_cmd::run(args, config.as_deref()).await.map(|()| 0);
        }
        Some(Cmd::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "ark-assets", &mut script);
            output::bytes(&script);
            return Ok(0);
        }
        Some(Cmd::Config(cmd)) => return config_cmd::run(&cli, cmd, env),
        Some(Cmd::Doctor) => return doctor::run(&cli, env).await,
        Some(Cmd::Man) => return man::run(&keys),
        Some(command) => command,
    };
    if command.mutation().is_some() {
        output::finish_work_when_cut();
    }
    if command.reads_stdin() {
        // Before the demo is claimed: a demo that writes into this pipe may be waiting for it.
        standard_input()?;
    }
    let ctx = Ctx::new(&cli, env).await?;
    if let Some(what) = command.mutation()
        && ctx.read_only
    {
        return Err(Failure::new(
            EXIT_CONFIG,
            format!(
                "profile {} is read-only (--read-only or read_only = true): this command changes \
                 its {what}; nothing was sent",
                crate::text::visible(&ctx.profile)
            ),
        ));
    }
    let done = account_command(&ctx, cli.command.expect("a command")).await;
    if let Some(warning) = ctx.catalog.ledger().migration().and_then(|m| m.warning()) {
        output::say(format_args!("warning: {warning}"));
    }
    if let Some(demo) = &ctx.demo {
        demo.save()?;
    }
    done
}

/// Runs a command against the account.
async fn account_command(ctx: &Ctx, command: Cmd) -> Result<u8, Failure> {
    match command {
        Cmd::Groups(GroupsCmd::Verify { lang }) => verify::run(ctx, lang).await,
        Cmd::Groups(cmd) => groups::run(ctx, cmd).await,
        Cmd::Assets(AssetsCmd::Rename {
            group: Some(group),
            editor: true,
            ..
        }) => batch::rename_in_editor(ctx, &group, &ctx.env).await,
        Cmd::Assets(AssetsCmd::Delete {
            ids,
            yes,
            ignore_missing,
        }) => batch::delete(ctx, &ids, (yes, ignore_missing)).await,
        Cmd::Assets(cmd) => assets::run(ctx, cmd).await,
        Cmd::Wait { ids, timeout } => {
            progress::wait_settled(ctx, &ids, Duration::from_secs(timeout)).await
        }
        Cmd::Import {
            group,
            paths,
            recursive,
            follow_links,
            allow_duplicates,
            no_check,
            checks,
            skip_existing,
            partial,
        } => {
            let group = resolve::resolve_group(ctx, &group).await?.id;
            let job = crate::catalog::import::Import {
                recursive,
                follow_links,
                checks: crate::catalog::import::Checks {
                    remote: (!no_check).then_some(ctx.check),
                    policy: checks.policy(),
                    fit: checks.fit,
                },
                skip_existing,
                allow_duplicates,
                partial,
                ..Default::default()
            };
            let opts = import::Options {
                group: &group,
                paths: &paths,
                job,
            };
            import::run(ctx, opts).await
        }
        Cmd::Sync(args) => sync::run(ctx, args).await,
        Cmd::Copy(args) => copy::run(ctx, args).await,
        Cmd::Pull(args) => pull::run(ctx, args).await,
        Cmd::Tasks(cmd) => tasks::run(ctx, cmd).await,
        Cmd::Emulator(_) | Cmd::Completions { .. } | Cmd::Config(_) | Cmd::Doctor | Cmd::Man => {
            unreachable!("handled before a profile is opened")
        }
    }
}
