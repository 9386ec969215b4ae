//! The detail pane (wide terminals) and the detail strip (narrow ones).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::fit_line;
use super::theme::Theme;
use crate::api::model::{AssetGroup, Status};
use crate::app::asset_row::AssetRow;
use crate::app::keymap::{Command, Scope};
use crate::app::mode::Mode;
use crate::app::state::{AppState, Focus, Probe};
use crate::app::urls::Url;
use crate::preview::{Graphic, Picture, Preview, PreviewState};
use crate::text::visible;

/// `t` in the user's zone (`…UTC` when that is UTC).
pub(super) fn time(zone: crate::times::Zone, t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let Some(t) = t else {
        return "—".to_owned();
    };
    let local = zone.long(t);
    match local.strip_suffix("+00:00") {
        Some(utc) => format!("{utc}UTC"),
        None => local,
    }
}

/// The `label time` line of `t` in the user's zone, and under it the same time in UTC when
/// the zone is another.
fn time_lines<'a>(
    theme: &Theme,
    zone: crate::times::Zone,
    label: &'a str,
    t: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<Line<'a>> {
    let shown = time(zone, t);
    let mut lines = vec![field(theme, label, &shown)];
    if let Some(t) = t.filter(|_| !shown.ends_with("UTC")) {
        let utc = t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        lines.push(field(theme, "", &utc));
    }
    lines
}

/// A `label value` line; the value (from the service) is shown [`visible`].
pub(super) fn field<'a>(theme: &Theme, label: &'a str, value: &str) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<12}"), theme.muted()),
        Span::raw(visible(value).into_owned()),
    ])
}

/// A line of text from the service, made [`visible`].
fn raw(value: &str) -> Span<'static> {
    Span::raw(visible(value).into_owned())
}

fn asset_lines<'a>(state: &AppState, theme: &Theme, a: &'a AssetRow) -> Vec<Line<'a>> {
    // Id, Status and "Use as" come first: however long the name (or anything the service
    // sends) wraps, they stay in view.
    let mut lines = vec![
        field(theme, "Id", &a.id),
        Line::from(vec![
            Span::styled(format!("{:<12}", "Status"), theme.muted()),
            Span::styled(
                format!("{} {}", Theme::status_symbol(a.status), a.status),
                theme.status(a.status),
            ),
        ]),
        field(theme, "Use as", &a.reference()),
        field(theme, "Name", if a.name.is_empty() { "—" } else { &a.name }),
        field(theme, "Type", a.kind.name()),
    ];
    lines.extend(time_lines(theme, state.zone, "Created", a.created.time()));
    lines.extend(time_lines(theme, state.zone, "Updated", a.updated.time()));
    if let Some(used) = a.used() {
        // When Seedance used it last: what tells an asset in use before it is deleted.
        let ago = crate::times::age(state.now, used);
        let shown = format!("{} ({ago} ago)", time(state.zone, Some(used)));
        lines.push(field(theme, "Last used", &shown));
    }
    if let Some(m) = a.moderation() {
        lines.push(field(theme, "Moderation", m));
    }
    match state.probes.get(&*a.id) {
        Some(Probe::Read(fields)) => {
            lines.push(Line::default());
            for (label, value) in fields {
                lines.push(field(theme, label, value));
            }
        }
        Some(Probe::Reading) => {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled("Reading the file…", theme.muted())));
        }
        Some(Probe::Failed(reason)) => {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("The file could not be read: {}", visible(reason)),
                theme.error(),
            )));
        }
        None => {}
    }
    if let Some(e) = &a.error {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            visible(&e.code).into_owned(),
            theme.error(),
        )));
        lines.push(Line::from(raw(&e.message)));
    }
    if a.status == Status::Active {
        lines.push(Line::default());
        match state.urls.get(&a.id, state.tick) {
            Some(Url::Signed(url)) => {
                let show = state.keys.key(Scope::Assets, Command::ShowUrl);
                let label = format!("URL ({show} shows, valid 12 h)");
                lines.push(Line::from(Span::styled(label, theme.muted())));
                lines.push(Line::from(raw(url)));
            }
            Some(Url::Missing(reason)) => lines.push(Line::from(Span::styled(
                format!("No URL: {}", visible(reason)),
                theme.error(),
            ))),
            None if state.urls.fetching.as_deref() == Some(&*a.id) => {
                lines.push(Line::from(Span::styled("Fetching the URL…", theme.muted())));
            }
            None => {
                let show = state.keys.key(Scope::Assets, Command::ShowUrl);
                let label = format!("URL: {show} shows it");
                lines.push(Line::from(Span::styled(label, theme.muted())))
            }
        }
    }
    lines
}

fn group_lines<'a>(theme: &Theme, zone: crate::times::Zone, g: &'a AssetGroup) -> Vec<Line<'a>> {
    let mut lines = vec![
        field(theme, "Id", &g.id),
        field(theme, "Name", &g.name),
        field(
            theme,
            "Type",
            &if g.is_real_person() {
                format!("{} (a verified real person)", g.group_type)
            } else {
                g.group_type.clone()
            },
        ),
        field(theme, "Project", &g.project_name),
    ];
    lines.extend(time_lines(theme, zone, "Created", g.create_time));
    lines.extend(time_lines(theme, zone, "Updated", g.update_time));
    if !g.description.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(raw(&g.description)));
    }
    lines
}

/// The selected image asset's finished preview, when it is to be drawn: the assets pane has
/// the keyboard, no overlay is open, and colours are on.
fn shown_preview<'a>(state: &'a AppState, theme: &Theme) -> Option<&'a Preview> {
    if !theme.color
        || state.focus != Focus::Assets
        || !matches!(state.mode, Mode::Browse | Mode::Filter | Mode::Detail)
    {
        return None;
    }
    match state.previews.get(&state.assets.current()?.id)? {
        PreviewState::Ready(p) => Some(p),
        PreviewState::Loading | PreviewState::Failed(_) => None,
    }
}

/// Draws `p` centred in the bottom `rows` rows of `inner`: half blocks now, a graphic into
/// `graphics` (drawn after the frame's guard, see [`super::render`]).
pub(super) fn draw_preview<'a>(
    p: &'a Preview,
    rows: u16,
    frame: &mut Frame,
    inner: Rect,
    graphics: &mut Option<(&'a Graphic, Rect)>,
) {
    let height = p.height.min(rows).min(inner.height);
    let width = p.width.min(inner.width);
    let x0 = inner.x + (inner.width - width) / 2;
    let y0 = inner.bottom() - height;
    let cells = match &p.picture {
        Picture::Cells(cells) => cells,
        Picture::Graphic(g) => {
            *graphics = Some((g, Rect::new(x0, y0, width, height)));
            return;
        }
    };
    let buf = frame.buffer_mut();
    for row in 0..height {
        for col in 0..width {
            let (top, bottom) = cells[usize::from(row) * usize::from(p.width) + usize::from(col)];
            if let Some(cell) = buf.cell_mut((x0 + col, y0 + row)) {
                cell.set_symbol("▀")
                    .set_fg(Color::Rgb(top[0], top[1], top[2]))
                    .set_bg(Color::Rgb(bottom[0], bottom[1], bottom[2]));
            }
        }
    }
}

/// The full detail pane of the selected asset (or group, when the groups pane has focus); a
/// preview in a graphics protocol goes into `graphics`.
pub fn render<'a>(
    state: &'a AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    graphics: &mut Option<(&'a Graphic, Rect)>,
) {
    let block = Block::bordered()
        .border_style(theme.muted())
        .title(Span::styled(" Detail ", theme.muted()));
    let lines = match state.focus {
        Focus::Assets => state.assets.current().map(|a| asset_lines(state, theme, a)),
        Focus::Groups => state
            .groups
            .current()
            .map(|g| group_lines(theme, state.zone, g)),
    }
    .unwrap_or_default();
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let preview = shown_preview(state, theme).zip(
        crate::app::layout::detail_preview_cells(
            state.viewport,
            matches!(state.mode, Mode::Detail),
        )
        .map(|(_, rows)| rows),
    );
    let text_area = match preview {
        Some((_, rows)) => Rect {
            height: inner.height.saturating_sub(rows),
            ..inner
        },
        None => inner,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text_area);
    if let Some((p, rows)) = preview {
        draw_preview(p, rows, frame, inner, graphics);
    }
}

/// Two lines about the selection, under the lists on narrow terminals.
pub(crate) fn render_strip(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut block = Block::bordered().border_style(theme.muted());
    if state.focus == Focus::Assets && state.assets.current().is_some() {
        // Where the rest of the detail is.
        let key = state.keys.key(Scope::Assets, Command::Open);
        block = block.title(Span::styled(format!(" {key} whole detail "), theme.muted()));
    }
    let lines: Vec<Line> = match (state.focus, state.assets.current(), state.groups.current()) {
        (Focus::Assets, Some(a), _) => {
            let url = state.urls.signed(&a.id, state.tick);
            let second = match (&a.error, url) {
                (Some(e), _) => Line::from(vec![
                    Span::styled(format!("{} ", visible(&e.code)), theme.error()),
                    raw(&e.message),
                ]),
                (None, Some(url)) => {
                    Line::from(vec![Span::styled("URL ", theme.muted()), raw(url)])
                }
                (None, None) => Line::from(Span::styled(
                    format!("updated {}", time(state.zone, a.updated.time())),
                    theme.muted(),
                )),
            };
            vec![
                Line::from(vec![
                    Span::styled(
                        format!("{} {} ", Theme::status_symbol(a.status), a.status),
                        theme.status(a.status),
                    ),
                    raw(&a.reference()),
                ]),
                second,
            ]
        }
        (_, _, Some(g)) => vec![
            Line::from(format!("{} · {}", visible(&g.id), visible(&g.project_name))),
            Line::from(Span::styled(
                if g.description.is_empty() {
                    "no description".to_owned()
                } else {
                    visible(&g.description).into_owned()
                },
                theme.muted(),
            )),
        ],
        _ => Vec::new(),
    };
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, width)).collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
