//! The assets pane: status by symbol and colour, name, time, id.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};

use ratatui::style::Style;

use super::columns::{self, Form, Placed};
use super::theme::Theme;
use super::{empty_message, fit, pane_block, visible_window};
use crate::app::asset_row::{AssetRow, Kind};
use crate::app::keymap::{Command, Scope};
use crate::app::state::{AppState, Focus, StatusFilter};
use crate::config::Column;
use crate::text::visible;

/// Draws the assets of the open group.
pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.assets;
    let group = state
        .open_group
        .as_ref()
        .and_then(|id| state.groups.items().iter().find(|g| &g.id == id));
    let title = title(state, group.map(|g| g.name.as_str()));
    let title = fit(&title, usize::from(area.width.saturating_sub(4))) + " ";
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
    let group_name = group
        .map(|g| visible(&g.name).into_owned())
        .unwrap_or_default();
    let placed = columns::fit(&state.columns.0, area.width.saturating_sub(2));
    let cells = Cells {
        state,
        theme,
        placed: &placed,
        group: &group_name,
    };
    let rows = visible_window(pane, area).map(|(pos, a)| {
        let selected = pos == pane.selected;
        let mut row = cells.row(a, selected);
        if state.flashes.contains_key(&*a.id) && !selected {
            row = row.style(theme.flash());
        }
        if selected {
            row = row.style(theme.selected());
        }
        row
    });
    let widths: Vec<Constraint> = placed.iter().map(|p| Constraint::Length(p.width)).collect();
    let header: Vec<String> = placed
        .iter()
        .map(|p| fit(p.header(), usize::from(p.width)))
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.muted()))
        .block(block);
    frame.render_widget(table, area);
}

/// The pane's title: counts, whether the listing is whole, the sort, marks, filters, the group.
fn title(state: &AppState, group: Option<&str>) -> String {
    let pane = &state.assets;
    // Where the selection is among the rows shown (`12/240`), once there are rows.
    let at = match pane.visible.len() {
        0 => String::new(),
        _ => format!("{}/", pane.selected + 1),
    };
    let mut title = format!(" Assets ({at}{}", count(pane));
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

/// What the cells of a row are drawn from.
struct Cells<'a> {
    state: &'a AppState,
    theme: &'a Theme,
    placed: &'a [Placed],
    /// The open group's name (the `group` column).
    group: &'a str,
}

impl Cells<'_> {
    /// One asset's row. The selected row's cells keep no colours of their own, so that the
    /// selection bar is one colour across the row.
    fn row<'r>(&self, a: &AssetRow, selected: bool) -> Row<'r> {
        let style = |style: Style| if selected { Style::new() } else { style };
        let cells = self.placed.iter().map(|p| {
            let width = usize::from(p.width);
            let (text, look) = self.cell(a, p);
            Line::from(Span::styled(fit(&text, width), style(look)))
        });
        Row::new(cells.collect::<Vec<_>>())
    }

    /// A cell's text and colours.
    fn cell(&self, a: &AssetRow, placed: &Placed) -> (String, Style) {
        let state = self.state;
        let symbol = if a.status == crate::api::model::Status::Processing {
            Theme::spinner(state.tick)
        } else {
            Theme::status_symbol(a.status)
        };
        let time = |stamp: &crate::app::asset_row::Stamp| {
            let shown = match placed.form {
                Form::Full => stamp.time().map(|t| state.zone.short(t)),
                Form::Short => stamp.time().map(|t| crate::times::age(state.now, t)),
            };
            shown.unwrap_or_default()
        };
        match (placed.column, placed.form) {
            (Column::Status, Form::Full) => (
                format!("{symbol} {}", a.status),
                self.theme.status(a.status),
            ),
            (Column::Status, Form::Short) => (symbol.to_owned(), self.theme.status(a.status)),
            (Column::Type, _) => (kind_label(&a.kind), self.theme.muted()),
            (Column::Name, _) => (name(state, a), Style::new()),
            (Column::Created, _) => (time(&a.created), Style::new()),
            (Column::Updated, _) => (time(&a.updated), Style::new()),
            (Column::Id, _) => (visible(&a.id).into_owned(), Style::new()),
            (Column::Group, _) => (self.group.to_owned(), self.theme.muted()),
        }
    }
}

/// The name cell: a mark when marked, `—` for no name.
fn name(state: &AppState, a: &AssetRow) -> String {
    let mark = if state.marks.contains(&*a.id) {
        "● "
    } else {
        ""
    };
    if a.name.is_empty() {
        format!("{mark}—")
    } else {
        format!("{mark}{}", visible(&a.name))
    }
}

/// How many assets the group has: the service's count, or (token paging gives none) the rows
/// loaded, with `+` while more pages are to come.
fn count(pane: &crate::app::list_pane::ListPane<crate::app::asset_row::AssetRow>) -> String {
    match (pane.total, &pane.next) {
        // The first page is on its way: no count yet.
        (None, None) if pane.loading && pane.items().is_empty() => "loading…".to_owned(),
        (Some(total), _) => total.to_string(),
        (None, Some(_)) => format!("{}+", pane.items().len()),
        (None, None) => pane.items().len().to_string(),
    }
}

/// The type column: `image`, `video`, `audio`, or what the service sent, cut to fit.
fn kind_label(kind: &Kind) -> String {
    match kind {
        Kind::Media(kind) => kind.name().to_owned(),
        Kind::Other(name) => fit(&visible(&name.to_ascii_lowercase()), 5),
    }
}
