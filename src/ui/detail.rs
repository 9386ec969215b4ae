//! The detail pane (wide terminals) and the detail strip (narrow ones).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme::Theme;
use crate::api::model::{Asset, AssetGroup};
use crate::app::state::{AppState, Focus, Probe};
use crate::text::visible;

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "—".to_owned())
}

/// A `label value` line; the value (from the service) is shown [`visible`].
fn field<'a>(theme: &Theme, label: &'a str, value: &str) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<12}"), theme.muted()),
        Span::raw(visible(value).into_owned()),
    ])
}

/// A line of text from the service, made [`visible`].
fn raw(value: &str) -> Span<'static> {
    Span::raw(visible(value).into_owned())
}

fn asset_lines<'a>(theme: &Theme, a: &'a Asset, probe: Option<&Probe>) -> Vec<Line<'a>> {
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
        field(theme, "Type", &a.asset_type),
        field(theme, "Created", &time(a.create_time)),
        field(theme, "Updated", &time(a.update_time)),
    ];
    if let Some(m) = a.moderation_text() {
        lines.push(field(theme, "Moderation", &m));
    }
    match probe {
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
    if !a.url.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "URL (u shows, valid 12 h)",
            theme.muted(),
        )));
        lines.push(Line::from(raw(&a.url)));
    }
    lines
}

fn group_lines<'a>(theme: &Theme, g: &'a AssetGroup) -> Vec<Line<'a>> {
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
        field(theme, "Created", &time(g.create_time)),
        field(theme, "Updated", &time(g.update_time)),
    ];
    if !g.description.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(raw(&g.description)));
    }
    lines
}

/// The full detail pane of the selected asset (or group, when the groups pane has focus).
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::bordered()
        .border_style(theme.muted())
        .title(Span::styled(" Detail ", theme.muted()));
    let lines = match state.focus {
        Focus::Assets => state
            .assets
            .current()
            .map(|a| asset_lines(theme, a, state.probes.get(&a.id))),
        Focus::Groups => state.groups.current().map(|g| group_lines(theme, g)),
    }
    .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Two lines about the selection, under the lists on narrow terminals.
pub fn render_strip(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().border_style(theme.muted());
    let lines: Vec<Line> = match (state.focus, state.assets.current(), state.groups.current()) {
        (Focus::Assets, Some(a), _) => {
            let second = match (&a.error, a.url.is_empty()) {
                (Some(e), _) => Line::from(vec![
                    Span::styled(format!("{} ", visible(&e.code)), theme.error()),
                    raw(&e.message),
                ]),
                (None, false) => Line::from(vec![Span::styled("URL ", theme.muted()), raw(&a.url)]),
                (None, true) => Line::from(Span::styled(
                    format!("updated {}", time(a.update_time)),
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
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
