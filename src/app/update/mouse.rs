//! The mouse: the wheel moves through the pane under the pointer, a click selects the row
//! under it (and gives its pane the keyboard), a second click on that row soon after opens it.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::super::effect::Effect;
use super::super::keymap::Command;
use super::super::layout;
use super::super::mode::Mode;
use super::super::state::{AppState, Focus};
use super::{commands, panes};

/// Rows one wheel notch moves.
const WHEEL_ROWS: isize = 3;
/// Ticks (250 ms each) within which a second click is a double-click.
const DOUBLE_CLICK_TICKS: u64 = 2;

/// Handles a mouse event; only while browsing (overlays keep the keyboard's way).
pub(super) fn event(state: &mut AppState, event: MouseEvent) -> Vec<Effect> {
    if !matches!(state.mode, Mode::Browse) {
        return Vec::new();
    }
    let screen = Rect::new(0, 0, state.viewport.0, state.viewport.1);
    let at = layout::areas(screen);
    let pos = Position::new(event.column, event.row);
    let (pane, rect) = if at.groups.contains(pos) {
        (Focus::Groups, at.groups)
    } else if at.assets.contains(pos) {
        (Focus::Assets, at.assets)
    } else {
        return Vec::new();
    };
    match event.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            state.focus = pane;
            let delta = if event.kind == MouseEventKind::ScrollDown {
                WHEEL_ROWS
            } else {
                -WHEEL_ROWS
            };
            panes::move_focused(state, delta)
        }
        MouseEventKind::Down(MouseButton::Left) => {
            state.focus = pane;
            let Some(row) = layout::list_row(rect, event.row) else {
                return Vec::new();
            };
            let (list_len, offset, selected) = match pane {
                Focus::Groups => (
                    state.groups.visible.len(),
                    state.groups.offset,
                    state.groups.selected,
                ),
                Focus::Assets => (
                    state.assets.visible.len(),
                    state.assets.offset,
                    state.assets.selected,
                ),
            };
            let index = offset + row;
            if index >= list_len {
                return Vec::new();
            }
            let double = state.last_click.is_some_and(|(p, i, tick)| {
                p == pane && i == index && state.tick - tick <= DOUBLE_CLICK_TICKS
            });
            state.last_click = Some((pane, index, state.tick));
            let mut effects = panes::move_focused(state, index as isize - selected as isize);
            if double {
                state.last_click = None;
                let open = match pane {
                    Focus::Groups => Command::Open,
                    Focus::Assets => Command::ShowUrl,
                };
                effects.extend(commands::run(state, open));
            }
            effects
        }
        _ => Vec::new(),
    }
}
