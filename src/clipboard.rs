//! Copy to the clipboard with OSC 52, which terminals honour over SSH; inside tmux it needs
//! `set -g set-clipboard on`.

use std::io::Write;

use crossterm::clipboard::CopyToClipboard;

use crate::app::effects::Clipboard;

/// Copies by writing an OSC 52 sequence to the terminal.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Osc52;

impl Clipboard for Osc52 {
    fn copy(&self, text: &str) {
        let mut out = std::io::stdout();
        // A terminal that ignores OSC 52 ignores the sequence; there is nothing to report.
        let _ = crossterm::execute!(out, CopyToClipboard::to_clipboard_from(text));
        let _ = out.flush();
    }
}
