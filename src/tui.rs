//! The terminal front end: setup and guaranteed restore, and the event loop.
//!
//! One `tokio::select!` loop waits on terminal events, results from background tasks and a
//! tick; it redraws only when the state asks for it. Terminal events arrive in batches of all
//! that are ready (`ready_chunks`, which polls the stream with the loop's own waker, so a key
//! wakes the loop at once), so key repeats and resize storms cost one frame.

use std::io::{Stdout, stdout};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};

use crate::app::effects::OpenProfile;
use crate::app::remembered::Remembered;
use crate::app::state::{Level, TICKS_PER_SECOND, Toast};
use crate::app::{Action, AppState, Effect, Runner, update};
use crate::catalog::Catalog;
use crate::clipboard::Osc52;
use crate::config::PreviewSetting;
use crate::preview::Painter;
use crate::ui::{self, Theme};

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to call twice.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Owns the terminal's raw/alternate-screen state; restores it when dropped, whatever the
/// reason (normal exit, `?` error, panic unwinding).
pub struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Draws a frame as one synchronized update, so terminals that support it (and tmux) show
    /// it whole rather than painted in pieces over a slow link; others ignore the markers.
    fn draw(&mut self, state: &AppState, theme: &Theme) -> std::io::Result<()> {
        crossterm::queue!(
            self.terminal.backend_mut(),
            crossterm::terminal::BeginSynchronizedUpdate
        )?;
        self.terminal
            .draw(|frame| ui::render(state, theme, frame))?;
        crossterm::execute!(
            self.terminal.backend_mut(),
            crossterm::terminal::EndSynchronizedUpdate
        )
    }

    /// Enters raw mode and the alternate screen; with `mouse`, reports the mouse too (which
    /// takes the terminal's own text selection away: `mouse = false` keeps it).
    pub fn enter(mouse: bool) -> std::io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard {
            terminal: Terminal::new(CrosstermBackend::new(stdout()))?,
        };
        crossterm::execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            crossterm::execute!(stdout(), EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// A panic on the UI's thread ends the program: the terminal is restored before the message is
/// printed, so it is readable. A panic on any other thread (a task, a worker) is caught where
/// that work is awaited and becomes an error for it; the UI keeps its screen, so the message
/// goes to the log, not over the screen.
fn install_panic_hook() {
    let ui = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if ends_the_program(ui, std::thread::current().id()) {
            restore();
            previous(info);
        } else {
            tracing::error!("a background task failed: {info}");
        }
    }));
}

/// Whether a panic on thread `at` ends the program whose UI runs on thread `ui`.
fn ends_the_program(ui: std::thread::ThreadId, at: std::thread::ThreadId) -> bool {
    ui == at
}

fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        _ => None,
    }
}

/// What a TUI session starts with besides the catalog.
#[derive(Clone, Default)]
pub struct Session {
    /// The profile's name.
    pub profile: String,
    /// In demo mode, the sample URL the new-asset dialog offers (the status line says so).
    pub sample: Option<String>,
    /// Commands that change the account are off.
    pub read_only: bool,
    /// The key table (the built-in one with the config's `[keys]` merged over it).
    pub keymap: crate::app::keymap::Keymap,
    /// How image assets are previewed in the detail pane (`auto`: in the terminal's graphics
    /// protocol when it has one, else half blocks).
    pub preview: crate::config::PreviewSetting,
    /// The mouse scrolls, selects and opens.
    pub mouse: bool,
    /// Colours (`[theme]`, `NO_COLOR`).
    pub theme: Theme,
    /// The configured profiles, and how to open one (none: nothing to switch to).
    pub profiles: Option<(Vec<String>, OpenProfile)>,
}

/// Runs the TUI against `catalog` until the user quits or the session hangs up.
pub async fn run(catalog: Catalog, session: Session) -> color_eyre::Result<()> {
    let Session {
        profile,
        sample,
        read_only,
        keymap,
        preview,
        mouse,
        theme,
        profiles,
    } = session;
    let header = crate::app::effects::header(&catalog, profile);
    let mut guard = TerminalGuard::enter(mouse)?;
    let size = guard.terminal.size()?;
    let mut state = AppState::new(header, (size.width, size.height));
    state.toast = sample.as_ref().map(|_| Toast {
        text: "demo: press n in the assets pane: the dialog offers a sample image (Ctrl-U \
               clears it for a URL or a local path)"
            .to_owned(),
        level: Level::Info,
        until: 20 * TICKS_PER_SECOND,
    });
    state.sample_source = sample;
    state.read_only = read_only;
    state.keys = keymap;
    state.preview_on = preview != PreviewSetting::Off;
    // Asked once, in raw mode and before input is read (see `Painter::detect`).
    let painter = match preview {
        PreviewSetting::Auto => Painter::detect(|name| std::env::var(name).ok()),
        PreviewSetting::Halfblocks | PreviewSetting::Off => Painter::HalfBlocks,
    };
    // The demo starts afresh each time; a profile comes back where it was left.
    let remember = state.sample_source.is_none();
    let restore = if remember {
        let (remembered, ignored) = crate::app::remembered::load(&state.header.profile);
        if let Some(why) = ignored {
            state.toast = Some(Toast {
                text: why,
                level: Level::Error,
                until: 20 * TICKS_PER_SECOND,
            });
        }
        remembered.apply(&mut state)
    } else {
        Vec::new()
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(catalog, tx, Arc::new(Osc52)).with_painter(painter);
    if let Some((names, open)) = profiles {
        state.profiles = names;
        runner = runner.with_profiles(open);
    }
    for effect in restore {
        runner.run(effect);
    }
    state.groups.loading = true;
    runner.run(Effect::LoadGroups);

    /// Most terminal events handled before one frame.
    const BATCH: usize = 256;
    let mut events = EventStream::new().ready_chunks(BATCH);
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / TICKS_PER_SECOND));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    // Test hook: fail on the third tick, by panicking or by returning an error, so tests can
    // check that the terminal is restored either way.
    let fail_for_tests = std::env::var("ARK_ASSETS_FAIL_FOR_TESTS").ok();

    let dispatch = |state: &mut AppState, action: Action| {
        for effect in update(state, action) {
            runner.run(effect);
        }
    };
    loop {
        if state.redraw {
            guard.draw(&state, &theme)?;
            state.redraw = false;
        }
        if state.quit {
            break;
        }
        let action = tokio::select! {
            batch = events.next() => {
                let Some(batch) = batch else { break };
                for event in batch {
                    if let Some(action) = to_action(event?) {
                        dispatch(&mut state, action);
                    }
                }
                None
            }
            Some(action) = rx.recv() => Some(action),
            _ = tick.tick() => {
                if state.tick > 2 {
                    match fail_for_tests.as_deref() {
                        Some("panic") => panic!("panic requested by ARK_ASSETS_FAIL_FOR_TESTS"),
                        Some("error") => {
                            return Err(color_eyre::eyre::eyre!("error requested by ARK_ASSETS_FAIL_FOR_TESTS"));
                        }
                        _ => {}
                    }
                }
                Some(Action::Tick)
            }
            _ = hangup.recv() => break,
            _ = terminate.recv() => break,
        };
        if let Some(action) = action {
            dispatch(&mut state, action);
        }
        // Coalesce: every task result already waiting is handled before the next frame.
        while let Ok(action) = rx.try_recv() {
            dispatch(&mut state, action);
        }
    }
    drop(guard);
    // The profile in use now (the session may have switched).
    let profile = &state.header.profile;
    if remember && let Err(e) = crate::app::remembered::save(profile, &Remembered::of(&state)) {
        eprintln!("warning: the session's state could not be kept: {e}");
    }
    Ok(())
}
