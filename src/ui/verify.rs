//! The liveness check's overlay: the link as a QR code for the person's phone, the link itself,
//! a countdown, and the keys (from the key table).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use super::{centered, wrap};
use crate::api::model::VERIFY_LINK_LIFETIME;
use crate::app::clock::TICKS_PER_SECOND;
use crate::app::keymap::{Command, Scope};
use crate::app::mode::Verification;
use crate::app::state::AppState;
use crate::text::visible;

/// Draws the check over the screen.
pub fn render(
    state: &AppState,
    check: &Verification,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width.saturating_sub(2).min(80);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    match check {
        Verification::Starting => lines.push(Line::from("Starting a liveness check…")),
        Verification::Checking => lines.push(Line::from("Asking for the result (once)…")),
        Verification::Failed(why) => {
            lines.extend(
                wrap(&visible(why), inner)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.error()))),
            );
        }
        Verification::Showing { asking: true, .. } => {
            lines.push(Line::from("Has the phone shown success?"));
            let why = "The result can be asked for once: asking spends the token, and a \
                       check not finished on the phone fails.";
            lines.extend(
                wrap(why, inner)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted()))),
            );
            lines.push(Line::default());
        }
        Verification::Showing { link, since, .. } => {
            let shown = visible(link);
            // A link holding anything a terminal would obey is shown, never encoded.
            if shown == link.as_str()
                && let Some(code) = crate::qr::render(link)
            {
                lines.extend(code.lines().map(|l| Line::from(l.to_owned())));
            }
            lines.extend(
                wrap(&shown, inner)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.key()))),
            );
            let advised = VERIFY_LINK_LIFETIME.as_secs();
            let passed = state.tick.saturating_sub(*since) / TICKS_PER_SECOND;
            let note = match advised.checked_sub(passed).filter(|left| *left > 0) {
                Some(left) => format!("Scan with the person's phone · {left} s left"),
                None => {
                    let ask = state.keys.key(Scope::Verify, Command::Submit);
                    format!("The advised {advised} s passed; the link may still work: {ask} asks")
                }
            };
            lines.extend(
                wrap(&note, inner)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted()))),
            );
        }
    }
    let skip: &[&str] = if matches!(check, Verification::Showing { .. }) {
        &[]
    } else {
        &["copy link"]
    };
    lines.push(super::dialog::hints(state, theme, state.scope(), skip));
    let height = (lines.len() + 2) as u16;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(" Verify a real person ", theme.focused()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
