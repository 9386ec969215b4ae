//! The Seedance tasks view (`T`) over the panes: the recent tasks (status, elapsed time,
//! model), and the selected one's detail with its last frame when it has one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::detail::{draw_preview, field, time};
use super::theme::Theme;
use super::{fit, wrap};
use crate::app::keymap::{Command, Scope};
use crate::app::layout::{TASK_DETAIL_LINES, tasks_areas};
use crate::app::state::AppState;
use crate::preview::{Graphic, PreviewState};
use crate::seedance::{Task, TaskStatus};
use crate::text::visible;

/// Draws the view in `area`; a last frame in a graphics protocol goes into `graphics`.
pub fn render<'a>(
    state: &'a AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    graphics: &mut Option<(&'a Graphic, Rect)>,
) {
    frame.render_widget(Clear, area);
    let (list, detail) = tasks_areas(area);
    render_list(state, theme, frame, list);
    render_detail(state, theme, frame, detail, graphics);
}

/// How long `task` has run: to now while unfinished, to its last change once finished.
fn elapsed(state: &AppState, task: &Task) -> String {
    let Some(created) = task.created_at else {
        return "—".to_owned();
    };
    let end = match (task.status.is_finished(), task.updated_at) {
        (true, Some(updated)) => updated,
        _ => state.now.timestamp(),
    };
    let secs = (end - created).max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

fn status_style(theme: &Theme, status: &TaskStatus) -> Style {
    match status {
        TaskStatus::Succeeded => theme.success(),
        TaskStatus::Failed | TaskStatus::Expired => theme.error(),
        _ => Style::new(),
    }
}

fn render_list(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let tasks = &state.tasks;
    let inner = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(e) = &tasks.error {
        lines.extend(
            wrap(e, inner)
                .into_iter()
                .map(|l| Line::styled(l, theme.error())),
        );
    }
    if tasks.list.is_empty() {
        let g = state.keys.key(Scope::Assets, Command::Generate);
        let text = if tasks.loading {
            "loading the recent tasks…".to_owned()
        } else {
            format!("no tasks in the last 7 days: {g} in the assets pane makes one")
        };
        lines.push(Line::styled(fit(&text, inner), theme.muted()));
    }
    let first = (tasks.selected + 1).saturating_sub(rows.saturating_sub(lines.len()).max(1));
    for (i, task) in tasks.list.iter().enumerate().skip(first) {
        let selected = i == tasks.selected;
        let text = format!(
            "{}{:<10}{:>8}  {}  {}",
            if selected { "▸ " } else { "  " },
            visible(task.status.name()),
            elapsed(state, task),
            visible(&task.model),
            visible(&task.id)
        );
        let style = if selected {
            theme.selected()
        } else {
            status_style(theme, &task.status)
        };
        lines.push(Line::styled(fit(&text, inner), style));
    }
    let busy = if tasks.loading || tasks.poll.in_flight {
        Theme::spinner(state.tick)
    } else {
        ""
    };
    let title = format!(" Tasks ({}) {busy}", tasks.list.len());
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(title, theme.focused()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected task's lines of text.
fn detail_lines<'a>(
    state: &AppState,
    theme: &Theme,
    task: &'a Task,
    width: usize,
) -> Vec<Line<'a>> {
    let when = |t: Option<i64>| {
        time(
            state.zone,
            t.and_then(|s| chrono::DateTime::from_timestamp(s, 0)),
        )
    };
    let shape = [&task.ratio, &task.resolution]
        .into_iter()
        .flatten()
        .map(|s| visible(s).into_owned())
        .collect::<Vec<_>>()
        .join(" · ");
    let seconds = task.duration.map_or(String::new(), |d| format!(" · {d} s"));
    let mut lines = vec![
        field(theme, "Id", &task.id),
        Line::from(vec![
            Span::styled(format!("{:<12}", "Status"), theme.muted()),
            Span::styled(
                visible(task.status.name()).into_owned(),
                status_style(theme, &task.status),
            ),
            Span::raw(format!("  {}", elapsed(state, task))),
        ]),
        field(theme, "Model", &task.model),
        field(theme, "Created", &when(task.created_at)),
        field(theme, "Video", &format!("{shape}{seconds}")),
    ];
    if let Some(e) = &task.error {
        let text = format!("{}: {}", e.code, e.message);
        for l in wrap(&visible(&text), width).into_iter().take(2) {
            lines.push(Line::styled(l, theme.error()));
        }
    }
    let keys = |c| state.keys.key(Scope::Tasks, c).to_owned();
    if task.video_url().is_some() {
        let text = format!(
            "the video is ready: {} copies its link, {} opens it, {} downloads it",
            keys(Command::CopyRef),
            keys(Command::OpenFile),
            keys(Command::Download)
        );
        lines.extend(
            wrap(&text, width)
                .into_iter()
                .map(|l| Line::styled(l, theme.muted())),
        );
    } else if task.status == TaskStatus::Queued {
        let text = format!("queued: {} cancels it", keys(Command::Delete));
        lines.push(Line::styled(fit(&text, width), theme.muted()));
    }
    lines.truncate(usize::from(TASK_DETAIL_LINES));
    lines
}

fn render_detail<'a>(
    state: &'a AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    graphics: &mut Option<(&'a Graphic, Rect)>,
) {
    let block = Block::bordered()
        .border_style(theme.focused())
        .title(Span::styled(" Task ", theme.focused()));
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let Some(task) = state.tasks.current() else {
        frame.render_widget(block, area);
        return;
    };
    let mut lines = detail_lines(state, theme, task, width);
    let frame_state = state.previews.get(&task.id);
    match frame_state {
        Some(PreviewState::Loading) => {
            lines.push(Line::styled("reading the last frame…", theme.muted()))
        }
        Some(PreviewState::Failed(why)) => lines.push(Line::styled(
            fit(&visible(&format!("no last frame: {why}")), width),
            theme.muted(),
        )),
        _ => {}
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if let Some(PreviewState::Ready(p)) = frame_state
        && theme.color
    {
        let rows = inner.height.saturating_sub(TASK_DETAIL_LINES);
        draw_preview(p, rows, frame, inner, graphics);
    }
}
