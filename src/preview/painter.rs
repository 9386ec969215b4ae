//! [`Painter`]: how pictures reach the terminal (half blocks, or its graphics protocol),
//! chosen once at start; doctor reads it too.

use ratatui_image::picker::{Picker, ProtocolType};

/// How pictures reach the terminal, chosen once at start.
#[derive(Clone, Default)]
pub enum Painter {
    /// Two pixels a cell, in coloured `▀`.
    #[default]
    HalfBlocks,
    /// The terminal's graphics protocol, at its cell size in pixels.
    Graphics(Box<Picker>),
}

impl std::fmt::Debug for Painter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The longest wait for the terminal to say which graphics protocol it speaks.
const QUERY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(200);

impl Painter {
    /// What the terminal speaks: asked (once, at most [`QUERY_TIMEOUT`]) only when its
    /// environment (`var`) names a terminal known to speak a graphics protocol and to answer
    /// at once (kitty, Ghostty, iTerm2, WezTerm, foot, mlterm, Windows Terminal), not inside
    /// tmux or screen (which would have to pass the pictures through). Half blocks anywhere
    /// else, and when the answer names no protocol. Run it in raw mode before reading input.
    pub(crate) fn detect(var: impl Fn(&str) -> Option<String>) -> Painter {
        if !Painter::worth_asking(var) {
            return Painter::HalfBlocks;
        }
        let mut options = ratatui_image::picker::cap_parser::QueryStdioOptions::default();
        options.timeout = QUERY_TIMEOUT;
        match Picker::from_query_stdio_with_options(options) {
            Ok(picker) if picker.protocol_type() != ProtocolType::Halfblocks => {
                Painter::Graphics(Box::new(picker))
            }
            _ => Painter::HalfBlocks,
        }
    }

    /// Whether the environment names a graphics-capable terminal outside a multiplexer. Never
    /// inside tmux: asking there would have ratatui-image turn tmux's `allow-passthrough` on
    /// (for good, in the user's server), so the query is not made at all.
    pub(crate) fn worth_asking(var: impl Fn(&str) -> Option<String>) -> bool {
        let has = |name: &str, test: &dyn Fn(&str) -> bool| var(name).is_some_and(|v| test(&v));
        let multiplexed = var("TMUX").is_some()
            || has("TERM_PROGRAM", &|t| t == "tmux")
            || has("TERM", &|t| {
                t.starts_with("tmux") || t.starts_with("screen")
            });
        let graphical = has("TERM", &|t| {
            [
                "xterm-kitty",
                "xterm-ghostty",
                "foot",
                "foot-extra",
                "mlterm",
            ]
            .contains(&t)
        }) || var("KITTY_WINDOW_ID").is_some()
            || var("WT_SESSION").is_some()
            || has("TERM_PROGRAM", &|t| {
                ["ghostty", "iTerm.app", "WezTerm"].contains(&t)
            })
            || has("LC_TERMINAL", &|t| t == "iTerm2");
        graphical && !multiplexed
    }

    /// Its name, as the status line tells it.
    pub fn name(&self) -> &'static str {
        match self {
            Painter::HalfBlocks => "half blocks",
            Painter::Graphics(p) => match p.protocol_type() {
                ProtocolType::Kitty => "kitty graphics",
                ProtocolType::Iterm2 => "iTerm2 graphics",
                ProtocolType::Sixel => "sixel graphics",
                ProtocolType::Halfblocks => "half blocks",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_terminals_that_speak_graphics_and_answer_are_asked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(Painter::worth_asking(env(&[("TERM", "xterm-kitty")])));
        assert!(Painter::worth_asking(env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(Painter::worth_asking(env(&[
            ("TERM", "foot"),
            ("WT_SESSION", "1")
        ])));
        // A multiplexer, or a terminal not known to answer: not asked (an unanswered query
        // would leave a reader on the input).
        const IN_TMUX: [(&str, &str); 2] =
            [("TERM", "xterm-kitty"), ("TMUX", "/tmp/tmux-0/default,1,0")];
        assert!(!Painter::worth_asking(env(&IN_TMUX)));
        // Every environment in which ratatui-image's query would turn tmux's
        // allow-passthrough on (TERM tmux*, or TERM_PROGRAM tmux) is one not asked in.
        const TMUX_TERM: [(&str, &str); 2] = [("TERM", "tmux-256color"), ("KITTY_WINDOW_ID", "1")];
        const TMUX_PROGRAM: [(&str, &str); 2] =
            [("TERM_PROGRAM", "tmux"), ("KITTY_WINDOW_ID", "1")];
        assert!(!Painter::worth_asking(env(&TMUX_TERM)));
        assert!(!Painter::worth_asking(env(&TMUX_PROGRAM)));
        assert!(!Painter::worth_asking(env(&[
            ("TERM", "screen-256color"),
            ("KITTY_WINDOW_ID", "1")
        ])));
        assert!(!Painter::worth_asking(env(&[("TERM", "xterm-256color")])));
        assert_eq!(
            Painter::detect(env(&[("TERM", "xterm-256color")])).name(),
            "half blocks"
        );
    }
}
