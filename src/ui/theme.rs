//! Colours and symbols: 16-colour defaults, `NO_COLOR`, and status shown by symbol as well as
//! colour so it reads on any terminal.

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::Status;

/// Styles of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are used (false under `NO_COLOR`).
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

/// Frames of the activity spinner.
const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Self {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The symbol that shows a status without colour.
    pub fn status_symbol(status: Status) -> &'static str {
        match status {
            Status::Active => "✓",
            Status::Processing => "⟳",
            Status::Failed => "✗",
            Status::Unknown(_) => "?",
        }
    }

    /// Style of a status label.
    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::Active => self.fg(Color::Green),
            Status::Processing => self.fg(Color::Yellow),
            Status::Failed => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::Unknown(_) => self.fg(Color::Gray),
        }
    }

    /// The spinner frame for a tick.
    pub fn spinner(tick: u64) -> &'static str {
        SPINNER[(tick % SPINNER.len() as u64) as usize]
    }

    /// Border of the focused pane.
    pub fn focused(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Border of other panes and muted text.
    pub fn muted(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// The selected row: reverse video reads with and without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A row that just changed status.
    pub fn flash(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Error text.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Success text.
    pub fn success(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Title bar.
    pub fn title(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Keys in the footer and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
