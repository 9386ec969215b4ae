//! The terminal's raw mode and alternate screen: taken, given back for a program handed over,
//! and always restored (drop, error, a panic on the UI's thread).

use std::io::{Stdout, stdout};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::AppState;
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
pub(super) struct TerminalGuard {
    pub(super) terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Draws a frame as one synchronized update, so terminals that support it (and tmux) show
    /// it whole rather than painted in pieces over a slow link; others ignore the markers.
    pub(super) fn draw(&mut self, state: &AppState, theme: &Theme) -> std::io::Result<()> {
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

    /// Gives the terminal back for a while (to an editor, or to the shell while stopped), as
    /// on exit.
    pub(super) fn suspend(&mut self) {
        restore();
    }

    /// Takes the terminal again after [`TerminalGuard::suspend`]: raw mode, the alternate
    /// screen, the mouse, and the whole screen drawn again.
    pub(super) fn resume(&mut self, mouse: bool) -> std::io::Result<()> {
        enable_raw_mode()?;
        crossterm::execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            crossterm::execute!(stdout(), EnableMouseCapture)?;
        }
        // A new terminal has nothing drawn: the next frame paints every cell again (clearing
        // through ratatui would ask the terminal where its cursor is first).
        crossterm::execute!(
            stdout(),
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        self.terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(())
    }

    /// Enters raw mode and the alternate screen; with `mouse`, reports the mouse too (which
    /// takes the terminal's own text selection away: `mouse = false` keeps it).
    pub(crate) fn enter(mouse: bool) -> std::io::Result<Self> {
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
