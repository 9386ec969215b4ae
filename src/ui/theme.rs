//! Colours and symbols: built-in `dark` (the default) and `light` palettes in the 16 colours,
//! a config `[theme]` over them, `NO_COLOR` over everything, and status shown by symbol as
//! well as colour so it reads on any terminal.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::Status;
use crate::config::{ColourValue, ThemeBase, ThemeFile};

/// The colours a theme picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Active status.
    pub active: Color,
    /// Processing status.
    pub processing: Color,
    /// Failed status, errors.
    pub failed: Color,
    /// The focused pane's border, keys.
    pub border: Color,
    /// Other borders, muted text.
    pub muted: Color,
    /// Background of the selected row (`None`: reverse video).
    pub selected: Option<Color>,
    /// Title bar and flashing rows: background.
    pub accent: Color,
}

impl Palette {
    /// For dark terminal backgrounds.
    pub(crate) const DARK: Palette = Palette {
        active: Color::Green,
        processing: Color::Yellow,
        failed: Color::Red,
        border: Color::Cyan,
        muted: Color::DarkGray,
        selected: None,
        accent: Color::Blue,
    };

    /// For light terminal backgrounds (no yellow on white, no light grey).
    pub(crate) const LIGHT: Palette = Palette {
        active: Color::Green,
        processing: Color::Magenta,
        failed: Color::Red,
        border: Color::Blue,
        muted: Color::DarkGray,
        selected: None,
        accent: Color::Blue,
    };
}

/// Styles of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are used (false under `NO_COLOR`).
    pub color: bool,
    /// The colours, when used.
    pub palette: Palette,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            palette: Palette::DARK,
        }
    }
}

/// Frames of the activity spinner.
const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn new(no_color: bool) -> Self {
        Theme {
            color: !no_color,
            ..Theme::default()
        }
    }

    /// This theme with a config `[theme]` table over it: `base = "dark" | "light"`, then named
    /// colours (`"green"`, `"lightred"`, `"#3c78b4"`, an index `"208"`). A bad value is named.
    pub fn with(self, file: &ThemeFile) -> Result<Theme, ThemeError> {
        let mut palette = match file.base.unwrap_or_default() {
            ThemeBase::Dark => Palette::DARK,
            ThemeBase::Light => Palette::LIGHT,
        };
        let colour = |field: &'static str, value: &Option<ColourValue>| {
            value.as_ref().map(|v| colour_of(field, v)).transpose()
        };
        let set = |slot: &mut Color, field: &'static str, value: &Option<ColourValue>| {
            if let Some(c) = colour(field, value)? {
                *slot = c;
            }
            Ok::<(), ThemeError>(())
        };
        set(&mut palette.active, "active", &file.active)?;
        set(&mut palette.processing, "processing", &file.processing)?;
        set(&mut palette.failed, "failed", &file.failed)?;
        set(&mut palette.border, "border", &file.border)?;
        set(&mut palette.muted, "muted", &file.muted)?;
        set(&mut palette.accent, "accent", &file.accent)?;
        if let Some(c) = colour("selected", &file.selected)? {
            palette.selected = Some(c);
        }
        Ok(Theme { palette, ..self })
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The symbol that shows a status without colour.
    pub(crate) fn status_symbol(status: Status) -> &'static str {
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
            Status::Active => self.fg(self.palette.active),
            Status::Processing => self.fg(self.palette.processing),
            Status::Failed => self.fg(self.palette.failed).add_modifier(Modifier::BOLD),
            Status::Unknown(_) => self.fg(Color::Gray),
        }
    }

    /// The spinner frame for a tick.
    pub fn spinner(tick: u64) -> &'static str {
        SPINNER[(tick % SPINNER.len() as u64) as usize]
    }

    /// Border of the focused pane.
    pub fn focused(&self) -> Style {
        self.fg(self.palette.border).add_modifier(Modifier::BOLD)
    }

    /// Border of other panes and muted text.
    pub(crate) fn muted(&self) -> Style {
        self.fg(self.palette.muted)
    }

    /// The selected row: reverse video (reads with and without colour), or the theme's
    /// background.
    pub fn selected(&self) -> Style {
        match self.palette.selected {
            Some(bg) if self.color => Style::new().bg(bg).add_modifier(Modifier::BOLD),
            _ => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    /// A row that just changed status.
    pub(crate) fn flash(&self) -> Style {
        if self.color {
            Style::new().bg(self.palette.accent).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// Error text.
    pub fn error(&self) -> Style {
        self.fg(self.palette.failed).add_modifier(Modifier::BOLD)
    }

    /// Success text.
    pub fn success(&self) -> Style {
        self.fg(self.palette.active)
    }

    /// Title bar.
    pub fn title(&self) -> Style {
        if self.color {
            Style::new().bg(self.palette.accent).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Keys in the footer and help.
    pub fn key(&self) -> Style {
        self.fg(self.palette.border).add_modifier(Modifier::BOLD)
    }
}

/// The colour `[theme]`'s `field` names, or why it names none.
fn colour_of(field: &'static str, value: &ColourValue) -> Result<Color, ThemeError> {
    let index = |n: i64| u8::try_from(n).map(Color::Indexed);
    match value {
        ColourValue::Index(n) => index(*n).map_err(|_| ThemeError::Index { field, index: *n }),
        ColourValue::Text(text) => Color::from_str(text).map_err(|_| ThemeError::NotAColour {
            field,
            value: crate::text::visible(&crate::text::cut(text, 40)).into_owned(),
        }),
    }
}

/// Why a `[theme]` table cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// A colour index past 255.
    #[error("theme.{field} = {index}: a colour index is 0–255")]
    Index {
        /// The setting.
        field: &'static str,
        /// Its value.
        index: i64,
    },
    /// Text that names no colour.
    #[error(
        "theme.{field} = \"{value}\": not a colour (a name like \"green\" or \"lightred\", \
         \"#rrggbb\", or 0–255)"
    )]
    NotAColour {
        /// The setting.
        field: &'static str,
        /// Its value, as it can be shown.
        value: String,
    },
}
