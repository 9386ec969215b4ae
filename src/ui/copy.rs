//! A copy to another profile over the screen: the profiles to pick from (and the plan being
//! made), then the plan: the counts, one line a step (scrollable), and the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use super::{centered, fit};
use crate::app::keymap::{Command, Scope};
use crate::app::mode::{CopyPlanView, CopyStage, CopyView};
use crate::app::state::AppState;
use crate::catalog::copy::{CopyStep, Target};
use crate::text::{count, visible};

/// Draws the overlay.
pub fn render(state: &AppState, view: &CopyView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(100);
    let inner = usize::from(width.saturating_sub(2));
    let (title, lines) = match &view.stage {
        CopyStage::Plan(plan) => plan_lines(state, view, plan, theme, (inner, area.height)),
        CopyStage::Picking | CopyStage::Planning => {
            profile_lines(state, view, theme, (inner, area.height))
        }
    };
    let height = (lines.len() + 2) as u16;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(fit(&title, inner), theme.focused()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// What is copied, for the titles: the group, or the marked assets of it.
fn what(view: &CopyView) -> String {
    let group = visible(&view.group_name);
    match &view.only {
        Some(only) => format!("{} of \"{group}\"", count(only.len(), "marked asset")),
        None => format!("group \"{group}\""),
    }
}

/// The profiles, the one picked highlighted; the plan being made, or why the last could not
/// be; the keys.
fn profile_lines(
    state: &AppState,
    view: &CopyView,
    theme: &Theme,
    (inner, height): (usize, u16),
) -> (String, Vec<Line<'static>>) {
    let mut lines = vec![Line::from("To the profile:")];
    let room = usize::from(height.saturating_sub(8));
    let label = |pick: crate::app::picker::Pick<'_>| pick.value().to_owned();
    lines.extend(super::picker::rows(
        &view.profiles,
        theme,
        (inner, room),
        label,
    ));
    lines.push(Line::default());
    if matches!(view.stage, CopyStage::Planning) {
        let text = format!("planning the copy into {}…", visible(view.profile()));
        lines.push(Line::from(Span::styled(fit(&text, inner), theme.muted())));
    } else if let Some(error) = &view.error {
        for line in crate::text::wrap(&visible(error), inner) {
            lines.push(Line::from(Span::styled(line, theme.error())));
        }
    }
    lines.push(super::dialog::hints(state, theme, Scope::Profiles, &[]));
    (format!(" Copy {} ", what(view)), lines)
}

/// The plan: the counts, what is done with the destination's extra assets, the steps that
/// change something, and the keys (or the question before deleting).
fn plan_lines(
    state: &AppState,
    view: &CopyView,
    shown: &CopyPlanView,
    theme: &Theme,
    (inner, height): (usize, u16),
) -> (String, Vec<Line<'static>>) {
    let plan = shown.plan.clone().deleting(shown.delete);
    let [create, unchanged, skipped, delete, extra] = plan.counts();
    let into = match &plan.target {
        Target::Existing(g) => format!("Into its group \"{}\":", visible(&g.name)),
        Target::New { name, .. } => format!("Into a new group \"{}\":", visible(name)),
    };
    let mut lines = vec![
        Line::from(fit(&into, inner)),
        Line::from(fit(
            &format!(
                "{create} to create, {unchanged} unchanged, {delete} to delete, {skipped} not \
             Active (skipped)"
            ),
            inner,
        )),
    ];
    if extra + delete > 0 {
        let d = state.keys.key(Scope::Copy, Command::Delete);
        let n = extra + delete;
        let what = match (shown.delete, n) {
            (true, 1) => "is deleted",
            (true, _) => "are deleted",
            (false, 1) => "is kept",
            (false, _) => "are kept",
        };
        let text = format!(
            "{} only in the destination {what} ({d} switches)",
            count(n, "asset")
        );
        lines.push(Line::from(Span::styled(fit(&text, inner), theme.muted())));
    }
    lines.push(Line::default());
    let room = usize::from(height.saturating_sub(10)).max(1);
    let changes: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| !matches!(s, CopyStep::Unchanged { .. }))
        .map(CopyStep::line)
        .collect();
    let offset = shown.offset.min(changes.len().saturating_sub(room));
    for line in changes.iter().skip(offset).take(room) {
        let style = if line.starts_with("delete") {
            theme.error()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(fit(line, inner), style)));
    }
    if changes.is_empty() {
        lines.push(Line::from(
            "Nothing to do: the destination has every asset.",
        ));
    }
    if shown.read_only {
        let text = format!(
            "profile {} is read-only: the plan is shown, not applied",
            visible(view.profile())
        );
        lines.push(Line::from(Span::styled(fit(&text, inner), theme.error())));
    }
    lines.push(Line::default());
    if shown.confirming {
        let text = format!(
            "Delete {} only in the destination? This cannot be undone.",
            count(delete, "asset")
        );
        lines.push(Line::from(Span::styled(fit(&text, inner), theme.error())));
        lines.push(super::dialog::hints(state, theme, Scope::Confirm, &[]));
    } else {
        lines.push(super::dialog::hints(state, theme, Scope::Copy, &[]));
    }
    let title = format!(
        " Copy {} to profile {} ",
        what(view),
        visible(view.profile())
    );
    (title, lines)
}
