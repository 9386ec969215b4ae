//! The assets pane: status by symbol and colour, name, time, id.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};

use super::theme::Theme;
use super::{empty_message, pane_block, visible_window};
use crate::app::asset_row::{AssetRow, Kind};
use crate::app::keymap::{Command, Scope};
use crate::app::state::{AppState, Focus, StatusFilter};
use crate::text::visible;

/// Draws the assets of the open group.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.assets;
    let group = state
        .open_group
        .as_ref()
        .and_then(|id| state.groups.items().iter().find(|g| &g.id == id));
    let title = title(state, group.map(|g| g.name.as_str()));
    let title = super::fit(&title, usize::from(area.width.saturating_sub(4))) + " ";
    let block = pane_block(theme, title, state.focus == Focus::Assets);
    let keys = &state.keys;
    let waiting = if group.is_none() {
        let open = keys.key(Scope::Groups, Command::Open);
        format!("Select a group and press {open}")
    } else {
        let create = keys.key(Scope::Assets, Command::Create);
        format!("No assets: press {create} to add one from a URL or a local file")
    };
    if let Some(message) = empty_message(pane, keys, "Loading assets…", &waiting) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        super::render_message(theme, frame, inner, &message, pane.error.is_some());
        return;
    }
    let inner_width = area.width.saturating_sub(2);
    let shown = Shown {
        time: inner_width >= 60,
        id: inner_width >= 92,
    };
    let rows = visible_window(pane, area).map(|(pos, a)| {
        let mut row = asset_row(state, theme, a, shown);
        if state.flashes.contains_key(&*a.id) {
            row = row.style(theme.flash());
        }
        if pos == pane.selected {
            row = row.style(theme.selected());
        }
        row
    });
    let (widths, header) = shown.columns();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.muted()))
        .block(block);
    frame.render_widget(table, area);
}

/// The pane's title: counts, whether the listing is whole, the sort, marks, filters, the group.
fn title(state: &AppState, group: Option<&str>) -> String {
    let pane = &state.assets;
    let mut title = format!(" Assets ({}", count(pane));
    if pane.stopped.is_some() {
        // First in the title, where no width cuts it: what is shown is not all there is.
        title.push_str(", INCOMPLETE: the listing stopped");
    }
    if state.status_filter != StatusFilter::All || !pane.filter.is_empty() {
        title.push_str(&format!(", {} shown", pane.visible.len()));
    }
    title.push(')');
    title.push_str(&format!(" · {}", state.sort.label()));
    if state.sorting.pending() {
        title.push_str(" sorting…");
    }
    if !state.marks.is_empty() {
        title.push_str(&format!(" · {} marked", state.marks.len()));
    }
    if state.load_to_end && pane.loading {
        let loaded = pane.items().len();
        title.push_str(&format!(" · loading {loaded} of {}", count(pane)));
    }
    if state.status_filter != StatusFilter::All {
        title.push_str(&format!(" [{}]", state.status_filter.label()));
    }
    if !pane.filter.is_empty() {
        title.push_str(&format!(" /{}", pane.filter));
    }
    if let Some(name) = group {
        title.push_str(&format!(" · {}", visible(name)));
    }
    title
}

/// The columns the pane's width leaves room for, besides status, type and name.
#[derive(Debug, Clone, Copy)]
struct Shown {
    /// The update time.
    time: bool,
    /// The id.
    id: bool,
}

impl Shown {
    /// The columns' widths and headers.
    fn columns(self) -> (Vec<Constraint>, Vec<&'static str>) {
        let mut widths = vec![
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Fill(1),
        ];
        let mut header = vec!["Status", "Type", "Name"];
        if self.time {
            widths.push(Constraint::Length(11));
            header.push("Updated");
        }
        if self.id {
            widths.push(Constraint::Length(26));
            header.push("Id");
        }
        (widths, header)
    }
}

/// One asset's cells.
fn asset_row<'a>(state: &AppState, theme: &Theme, a: &AssetRow, shown: Shown) -> Row<'a> {
    let symbol = if a.status == crate::api::model::Status::Processing {
        Theme::spinner(state.tick)
    } else {
        Theme::status_symbol(a.status)
    };
    let mark = if state.marks.contains(&*a.id) {
        "● "
    } else {
        ""
    };
    let name = if a.name.is_empty() {
        "—".to_owned()
    } else {
        visible(&a.name).into_owned()
    };
    let mut cells = vec![
        Line::from(Span::styled(
            format!("{symbol} {}", a.status),
            theme.status(a.status),
        )),
        Line::from(Span::styled(kind_label(&a.kind), theme.muted())),
        Line::from(format!("{mark}{name}")),
    ];
    if shown.time {
        let time = a.updated.time();
        cells.push(Line::from(
            time.map(|t| state.zone.short(t)).unwrap_or_default(),
        ));
    }
    if shown.id {
        cells.push(Line::from(visible(&a.id).into_owned()));
    }
    Row::new(cells)
}

/// How many assets the group has: the service's count, or (token paging gives none) the rows
/// loaded, with `+` while more pages are to come.
fn count(pane: &crate::app::state::ListPane<crate::app::asset_row::AssetRow>) -> String {
    match (pane.total, &pane.next) {
        (Some(total), _) => total.to_string(),
        (None, Some(_)) => format!("{}+", pane.items().len()),
        (None, None) => pane.items().len().to_string(),
    }
}

/// The type column: `image`, `video`, `audio`, or what the service sent, cut to fit.
fn kind_label(kind: &Kind) -> String {
    match kind {
        Kind::Media(kind) => kind.name().to_owned(),
        Kind::Other(name) => super::fit(&visible(&name.to_ascii_lowercase()), 5),
    }
}
