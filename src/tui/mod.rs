//! The terminal front end: setup and guaranteed restore, and the event loop.
//!
//! One `tokio::select!` loop waits on terminal events, results from background tasks and a
//! tick; it redraws only when the state asks for it. Terminal events arrive in batches of all
//! that are ready (`ready_chunks`, which polls the stream with the loop's own waker, so a key
//! wakes the loop at once), so key repeats and resize storms cost one frame.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::signal::unix::{SignalKind, signal};

use crate::app::clock::TICKS_PER_SECOND;
use crate::app::effects::OpenProfile;
use crate::app::keymap::{Command, Scope};
use crate::app::messages::Level;
use crate::app::msg::EditRefused;
use crate::app::remembered::StateFiles;
use crate::app::{AppState, Effect, Msg, Runner, update};
use crate::catalog::Catalog;
use crate::catalog::rename::{self, Named};
use crate::clipboard::Osc52;
use crate::config::{Config, ConfigError, Dirs, Env, PreviewSetting};
use crate::open::{self, Demo, OpenError};
use crate::preview::Painter;
use crate::ui::Theme;

mod terminal;

use terminal::TerminalGuard;
pub use terminal::restore;

fn to_action(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        _ => None,
    }
}

/// What the command line asks of the TUI.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// The config file (else where the environment or the platform says).
    pub config: Option<std::path::PathBuf>,
    /// The profile (else the default one).
    pub profile: Option<String>,
    /// The project requests are scoped to.
    pub project: Option<String>,
    /// The demo instead of a profile.
    pub demo: bool,
    /// The demo, its kept account erased first.
    pub demo_reset: bool,
    /// Commands that change the account are off.
    pub read_only: bool,
}

/// Why the TUI could not start or ended in error.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The config file is missing or wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The profile or the demo could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// `[keys]` is wrong.
    #[error(transparent)]
    Keys(#[from] crate::app::keymap::KeysError),
    /// `[theme]` is wrong.
    #[error(transparent)]
    Theme(#[from] crate::ui::theme::ThemeError),
    /// Standard input or output is not a terminal (`ssh host ark-assets` without `-t`, a pipe).
    #[error(
        "the terminal UI needs a terminal, and standard input or output is not one: over SSH \
         run `ssh -t HOST ark-assets`, or use a subcommand, e.g. `ark-assets groups list` \
         (`ark-assets --help` lists them)"
    )]
    NoTerminal,
    /// The terminal failed (reading its events, drawing, giving it back or taking it again).
    #[error("the terminal failed: {0}")]
    Terminal(#[from] std::io::Error),
}

impl LaunchError {
    /// The process exit code: 4 when the configuration is at fault, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            LaunchError::Config(_) | LaunchError::Keys(_) | LaunchError::Theme(_) => 4,
            LaunchError::Open(e) if e.is_config() => 4,
            LaunchError::Open(crate::open::OpenError::Project(_)) => 3,
            _ => 1,
        }
    }
}

/// Starts the TUI as `launch` asks, with `env`; returns when the user quits. The settings are
/// checked first, then that there is a terminal, then the profile or the demo is opened.
pub async fn launch(launch: Launch, env: Env) -> Result<(), LaunchError> {
    use std::io::IsTerminal;
    let config = Config::load(launch.config.as_deref(), env.clone())?;
    let settings = Session::with_settings(&config)?;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(LaunchError::NoTerminal);
    }
    let (session, catalog, demo) = if launch.demo || launch.demo_reset {
        let run = open::DemoRun {
            reset: launch.demo_reset,
            what: "the terminal UI",
            // Said before the terminal is taken.
            waiting: &|line| eprintln!("{line}"),
        };
        let demo = Demo::start(open::demo_faults(&env)?, &env, run).await?;
        let opened = demo.open(launch.project.as_deref())?;
        let session = Session {
            profile: opened.name,
            sample: Some(demo.sample_url()),
            note: demo.note.clone(),
            read_only: launch.read_only,
            ..settings
        };
        (session, opened.catalog, Some(demo))
    } else {
        let opened = open::profile(
            &config,
            launch.profile.as_deref(),
            launch.project.as_deref(),
        )?;
        let session = Session {
            profile: opened.name,
            read_only: opened.read_only || launch.read_only,
            states: StateFiles::in_data_dir(Dirs::of(&env).data.as_deref()),
            profiles: Some((
                config.profile_names(),
                opener(config.clone(), launch.read_only),
            )),
            ..settings
        };
        (session, opened.catalog, None)
    };
    run(catalog, session).await?;
    if let Some(demo) = demo {
        demo.save()?;
    }
    Ok(())
}

/// Opens the profiles of `config` by name (the TUI's profile switch), read-only with
/// `read_only` as well as when they say so.
fn opener(config: Config, read_only: bool) -> OpenProfile {
    Arc::new(move |name: &str| {
        let opened = open::profile(&config, Some(name), None)?;
        Ok((opened.catalog, opened.read_only || read_only))
    })
}

/// What a TUI session starts with besides the catalog.
#[derive(Clone, Default)]
pub struct Session {
    /// The profile's name.
    pub profile: String,
    /// In demo mode, the sample URL the new-asset dialog offers (the status line says so).
    pub sample: Option<String>,
    /// Said on the status line at start (why the demo keeps nothing this time).
    pub note: Option<String>,
    /// Commands that change the account are off.
    pub read_only: bool,
    /// The key table (the built-in one with the config's `[keys]` merged over it).
    pub keymap: crate::app::keymap::Keymap,
    /// How image assets are previewed in the detail pane (`auto`: in the terminal's graphics
    /// protocol when it has one, else half blocks).
    pub preview: PreviewSetting,
    /// The mouse scrolls, selects and opens.
    pub mouse: bool,
    /// The assets pane's columns (`[columns]`).
    pub columns: crate::config::Columns,
    /// Colours (`[theme]`, `NO_COLOR`).
    pub theme: Theme,
    /// The configured profiles, and how to open one (none: nothing to switch to).
    pub profiles: Option<(Vec<String>, OpenProfile)>,
    /// Where each profile's state is kept between sessions (the demo keeps none).
    pub states: StateFiles,
    /// The environment (the terminal's kind, for previews).
    pub env: Env,
}

impl Session {
    /// A session with the TUI settings of `config` (keys, theme, preview, mouse).
    pub(crate) fn with_settings(config: &Config) -> Result<Session, LaunchError> {
        let settings = config.tui()?;
        let keymap = crate::app::keymap::Keymap::default().with_overrides(&settings.keys)?;
        let theme = Theme::new(config.env().no_color()).with(&settings.theme)?;
        Ok(Session {
            keymap,
            preview: settings.preview,
            mouse: settings.mouse,
            columns: settings.columns,
            theme,
            env: config.env().clone(),
            ..Session::default()
        })
    }
}

/// The state a session starts in: the title bar, the demo's hint, the settings, and what the
/// profile left behind last time (with the effects that bring it back).
fn starting_state(
    catalog: &Catalog,
    session: &Session,
    size: (u16, u16),
) -> (AppState, Vec<Effect>) {
    let header = crate::app::effects::header(catalog, session.profile.clone());
    let mut state = AppState::new(header, size);
    let create = session.keymap.key(Scope::Assets, Command::Create);
    // The first messages are kept in the log too: a narrow screen cuts them.
    let until = 20 * TICKS_PER_SECOND;
    if session.sample.is_some() {
        let text = format!(
            "demo: press {create} in the assets pane: the dialog offers a sample image \
             (Ctrl-U clears it for a URL or a local path)"
        );
        state.tell(Level::Info, text, until);
    }
    if let Some(note) = &session.note {
        state.tell(Level::Info, note.clone(), until);
    }
    state.sample_source = session.sample.clone();
    state.read_only = session.read_only;
    state.keys = session.keymap.clone();
    state.columns = session.columns.clone();
    state.preview_on = session.preview != PreviewSetting::Off;
    state.tasks = crate::app::tasks::Tasks::new(crate::app::effects::data_plane(catalog));
    let (remembered, ignored) = session.states.load(&state.header.profile);
    if let Some(why) = ignored {
        state.tell(Level::Error, why, until);
    }
    let restore = state.restore(&remembered);
    (state, restore)
}

/// Runs the TUI against `catalog` until the user quits or the session hangs up.
pub async fn run(catalog: Catalog, session: Session) -> std::io::Result<()> {
    let mut guard = TerminalGuard::enter(session.mouse)?;
    let size = guard.terminal.size()?;
    let (mut state, restore) = starting_state(&catalog, &session, (size.width, size.height));
    // Asked once, in raw mode and before input is read (see `Painter::detect`).
    let painter = match session.preview {
        PreviewSetting::Auto => Painter::detect(|name| session.env.get(name).map(str::to_owned)),
        PreviewSetting::Halfblocks | PreviewSetting::Off => Painter::HalfBlocks,
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let opener = crate::programs::opener(&session.env);
    state.can_open = opener.is_some();
    let mut runner = Runner::new(catalog, tx, Arc::new(Osc52))
        .with_opener(opener)
        .with_painter(painter)
        .with_states(session.states.clone());
    if let Some((names, open)) = session.profiles.clone() {
        state.profiles = names;
        runner = runner.with_profiles(open);
    }
    for effect in restore {
        runner.run(effect);
    }
    state.groups.loading = true;
    runner.run(Effect::LoadGroups);
    // What an earlier run's uploads left in the bucket.
    runner.run(Effect::CleanUploads);
    let mut looping = Looping {
        guard: &mut guard,
        state: &mut state,
        runner: &runner,
        session: &session,
        held: Vec::new(),
    };
    event_loop(&mut looping, rx).await?;
    drop(guard);
    // The profile in use now (the session may have switched).
    let profile = &state.header.profile;
    if let Err(e) = session.states.save(profile, &state.remembered()) {
        eprintln!("warning: the session's state could not be kept: {e}");
    }
    Ok(())
}

/// The terminal's events. `ARK_ASSETS_FAIL_FOR_TESTS=panic|error` adds a failure a second
/// after the start (a panic on the UI's thread, or an error from the terminal), so that tests
/// can check the terminal is restored either way; the loop itself knows nothing of it.
fn terminal_events(env: &Env) -> futures::stream::BoxStream<'static, std::io::Result<Event>> {
    let terminal = EventStream::new().boxed();
    let failure = match env.get("ARK_ASSETS_FAIL_FOR_TESTS") {
        Some("panic") => true,
        Some("error") => false,
        _ => return terminal,
    };
    let injected = futures::stream::once(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if failure {
            panic!("panic requested by ARK_ASSETS_FAIL_FOR_TESTS");
        }
        Err(std::io::Error::other(
            "error requested by ARK_ASSETS_FAIL_FOR_TESTS",
        ))
    });
    futures::stream::select(terminal, injected).boxed()
}

/// The loop's parts: the terminal, the state, the runner, and what only the terminal's owner
/// can do (an editor, a suspend), held until the frame's work is done.
struct Looping<'a> {
    guard: &'a mut TerminalGuard,
    state: &'a mut AppState,
    runner: &'a Runner,
    session: &'a Session,
    held: Vec<Effect>,
}

impl Looping<'_> {
    /// Applies `msg`; its effects go to the runner, or are held for the terminal's owner.
    fn dispatch(&mut self, msg: Msg) {
        for effect in update(self.state, msg) {
            match effect {
                Effect::EditNames(_) | Effect::Suspend => self.held.push(effect),
                other => self.runner.run(other),
            }
        }
    }

    /// Does the held work, with the terminal given back meanwhile.
    async fn do_held(&mut self) -> std::io::Result<()> {
        for effect in std::mem::take(&mut self.held) {
            self.guard.suspend();
            let answer = match effect {
                Effect::EditNames(named) => Some(edit_names(named, &self.session.env).await),
                _ => {
                    // Stops here until the shell's `fg`.
                    nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP)?;
                    None
                }
            };
            self.guard.resume(self.session.mouse)?;
            self.state.redraw = true;
            if let Some(msg) = answer {
                self.dispatch(msg);
            }
        }
        Ok(())
    }
}

/// The names the user edits in their editor: the changes, or why the edit is not used.
async fn edit_names(named: Vec<Named>, env: &Env) -> Msg {
    let env = env.clone();
    let edited = tokio::task::spawn_blocking(move || rename::edit_names(&named, &env)).await;
    let result = edited.unwrap_or_else(|e| {
        Err(EditRefused::Editor(Arc::new(
            crate::programs::EditError::File(std::io::Error::other(e.to_string())),
        )))
    });
    Msg::NamesEdited(result)
}

/// Handles terminal events, task results and ticks, drawing when the state asks for it, until
/// the user quits, the terminal's events end, or the session is hung up or terminated.
async fn event_loop(
    looping: &mut Looping<'_>,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Msg>,
) -> std::io::Result<()> {
    /// Most terminal events handled before one frame.
    const BATCH: usize = 256;
    let mut events = terminal_events(&looping.session.env).ready_chunks(BATCH);
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / TICKS_PER_SECOND));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    while !looping.state.quit {
        if looping.state.redraw {
            looping.guard.draw(looping.state, &looping.session.theme)?;
            looping.state.redraw = false;
        }
        let msg = tokio::select! {
            batch = events.next() => {
                let Some(batch) = batch else { break };
                for event in batch {
                    if let Some(msg) = to_action(event?) {
                        looping.dispatch(msg);
                    }
                }
                None
            }
            Some(msg) = rx.recv() => Some(msg),
            _ = tick.tick() => Some(Msg::Tick(chrono::Utc::now())),
            _ = hangup.recv() => break,
            _ = terminate.recv() => break,
        };
        if let Some(msg) = msg {
            looping.dispatch(msg);
        }
        // Coalesce: every task result already waiting is handled before the next frame.
        while let Ok(msg) = rx.try_recv() {
            looping.dispatch(msg);
        }
        if !looping.held.is_empty() {
            // The terminal's reader stops while another program has the terminal.
            drop(events);
            looping.do_held().await?;
            events = terminal_events(&looping.session.env).ready_chunks(BATCH);
        }
    }
    Ok(())
}
