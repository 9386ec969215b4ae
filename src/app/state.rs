//! Everything the screen shows, in one value that only `update` changes.

use std::collections::HashMap;

use super::asset_row::AssetRow;
pub use super::dialog::{ConfirmDelete, Dialog, Form, ShownText, TextField};
use super::keymap::{Keymap, Scope};
use crate::api::model::{AssetGroup, SortBy, SortOrder, Status};

/// Ticks per second of the UI clock (spinner, toasts, polling).
pub const TICKS_PER_SECOND: u64 = 4;

/// Which list has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The groups pane.
    #[default]
    Groups,
    /// The assets pane.
    Assets,
}

/// The status filter of the assets pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every asset.
    #[default]
    All,
    /// Only this status.
    Only(Status),
}

impl StatusFilter {
    /// The next filter in the cycle All → Active → Processing → Failed → All.
    pub fn next(self) -> Self {
        match self {
            StatusFilter::All => StatusFilter::Only(Status::Active),
            StatusFilter::Only(Status::Active) => StatusFilter::Only(Status::Processing),
            StatusFilter::Only(Status::Processing) => StatusFilter::Only(Status::Failed),
            StatusFilter::Only(_) => StatusFilter::All,
        }
    }

    /// Whether `status` passes.
    pub fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Only(s) => s == status,
        }
    }

    /// Label for the pane title.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.name(),
        }
    }
}

/// Something a list pane can show.
pub trait Row {
    /// Stable id.
    fn id(&self) -> &str;
    /// Name matched by the `/` filter.
    fn name(&self) -> &str;
}

impl Row for AssetGroup {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Row for AssetRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// Every row's name in lower case, end to end in one block of memory: a keystroke in the
/// filter scans it instead of a hundred thousand names scattered over the heap (whose cache
/// misses made a keystroke at 100,000 rows cost 12 ms).
#[derive(Debug, Clone, Default)]
struct FoldedNames {
    text: String,
    /// Where each row's name ends in `text`.
    ends: Vec<usize>,
}

impl FoldedNames {
    fn of<T: Row>(rows: &[T]) -> Self {
        let mut folded = FoldedNames::default();
        folded.extend(rows);
        folded
    }

    fn extend<T: Row>(&mut self, rows: &[T]) {
        for row in rows {
            self.text.push_str(&row.name().to_lowercase());
            self.ends.push(self.text.len());
        }
    }

    /// Row `i`'s folded name.
    fn name(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[i]]
    }
}

/// Where a status sorts, ascending: what needs attention first.
fn status_rank(status: Status) -> u8 {
    match status {
        Status::Failed => 0,
        Status::Processing => 1,
        Status::Active => 2,
        Status::Unknown(_) => 3,
    }
}

/// `name` in lower case, borrowed when it already is.
fn folded(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(name.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// Moves `rows[order[i]]` to position `i` for every `i`, in place (one swap per move).
fn permute<T>(rows: &mut [T], mut order: Vec<usize>) {
    for start in 0..rows.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], at);
            if from == start || from == at {
                break;
            }
            rows.swap(at, from);
            at = from;
        }
    }
}

/// A scrollable, filterable list whose selection follows ids across reloads.
#[derive(Debug, Clone)]
pub struct ListPane<T> {
    /// Everything loaded, in order: read through [`ListPane::items`], changed through
    /// [`ListPane::items_mut`] (which drops `folded`).
    items: Vec<T>,
    /// The rows' names for the filter: kept as pages come, made again after other changes.
    folded: Option<FoldedNames>,
    /// Rows moved or changed since `visible` was made, so its positions name other rows now.
    moved: bool,
    /// Indexes into `items` that pass the filters, in order.
    pub visible: Vec<usize>,
    /// Selected position in `visible`.
    pub selected: usize,
    /// First visible row shown.
    pub offset: usize,
    /// Name filter (case-insensitive substring).
    pub filter: String,
    /// A request is in flight.
    pub loading: bool,
    /// The last load failed with this message.
    pub error: Option<String>,
    /// Items matching on the server (for paging).
    pub total: u64,
    /// Next page to load lazily, when more exist.
    pub next_page: Option<u32>,
    /// The id the user last chose; a filter that hides it does not make the pane forget it.
    pub wanted: Option<String>,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            items: Vec::new(),
            folded: Some(FoldedNames::default()),
            moved: false,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            loading: false,
            error: None,
            total: 0,
            next_page: None,
            wanted: None,
        }
    }
}

impl<T> ListPane<T> {
    /// An empty pane waiting for its first answer.
    pub fn loading() -> Self {
        ListPane {
            loading: true,
            ..ListPane::default()
        }
    }

    /// Everything loaded, in order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The rows, to change them (the filter's folded names are made again when next needed).
    pub fn items_mut(&mut self) -> &mut Vec<T> {
        self.folded = None;
        self.moved = true;
        &mut self.items
    }

    /// Moves row `order[i]` to position `i` for every `i`; the folded names move along.
    fn reorder(&mut self, order: Vec<usize>) {
        if let Some(old) = &self.folded {
            let mut moved = FoldedNames {
                text: String::with_capacity(old.text.len()),
                ends: Vec::with_capacity(old.ends.len()),
            };
            for &i in &order {
                moved.text.push_str(old.name(i));
                moved.ends.push(moved.text.len());
            }
            self.folded = Some(moved);
        }
        permute(&mut self.items, order);
        self.moved = true;
    }

    /// Makes room for `rows` rows in all.
    pub fn reserve(&mut self, rows: usize) {
        self.items.reserve(rows.saturating_sub(self.items.len()));
    }

    /// Gives back the room no row uses.
    pub fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
    }
}

impl<T: Row> ListPane<T> {
    /// Replaces the rows (a first page).
    pub fn set_items(&mut self, rows: impl IntoIterator<Item = T>) {
        self.items.clear();
        self.moved = true;
        self.folded = Some(FoldedNames::default());
        self.append(rows);
    }

    /// Adds rows at the end (a later page), folding their names for the filter while they are
    /// at hand.
    pub fn append(&mut self, rows: impl IntoIterator<Item = T>) {
        let start = self.items.len();
        self.items.extend(rows);
        if let Some(folded) = &mut self.folded {
            folded.extend(&self.items[start..]);
        }
    }
}

impl<T: Row> ListPane<T> {
    /// The selected item.
    pub fn current(&self) -> Option<&T> {
        self.visible.get(self.selected).map(|&i| &self.items[i])
    }

    /// Id of the selected item.
    pub fn current_id(&self) -> Option<String> {
        self.current().map(|t| t.id().to_owned())
    }

    /// Recomputes `visible` with `extra` on top of the name filter, keeping the selected id.
    pub fn refilter(&mut self, extra: impl Fn(&T) -> bool) {
        let moved = std::mem::take(&mut self.moved);
        let current_index = self.visible.get(self.selected).copied();
        let current = self.current_id();
        let needle = self.filter.to_lowercase();
        if !needle.is_empty() && self.folded.is_none() {
            self.folded = Some(FoldedNames::of(&self.items));
        }
        let folded = self.folded.as_ref().filter(|_| !needle.is_empty());
        // Refilled in place: a new vector per page would leave the heap pocked with old ones.
        self.visible.clear();
        self.visible.extend(
            self.items
                .iter()
                .enumerate()
                .filter(|(i, _)| folded.is_none_or(|f| f.name(*i).contains(&needle)))
                .filter(|(_, t)| extra(t))
                .map(|(i, _)| i),
        );
        // Rows in place and the selection the one wanted: it is found by position (the rows
        // are in order in `visible`), without comparing ids over the whole pane.
        if let Some(i) = current_index.filter(|_| !moved)
            && self
                .wanted
                .as_deref()
                .is_none_or(|w| self.items[i].id() == w)
        {
            match self.visible.binary_search(&i) {
                Ok(pos) => self.selected = pos,
                Err(_) => self.selected = self.selected.min(self.visible.len().saturating_sub(1)),
            }
            return;
        }
        let wanted = self.wanted.clone();
        if !self.try_select(wanted.as_deref()) {
            self.select_id(current.as_deref());
        }
    }

    /// Selects the visible item with `id`; false when it is not visible.
    fn try_select(&mut self, id: Option<&str>) -> bool {
        let found = id.and_then(|id| self.visible.iter().position(|&i| self.items[i].id() == id));
        if let Some(pos) = found {
            self.selected = pos;
        }
        found.is_some()
    }

    /// Selects the visible item with `id`, or keeps the position within bounds.
    pub fn select_id(&mut self, id: Option<&str>) {
        self.try_select(id);
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// Whether the item with `id` passes the filters.
    pub fn shows(&self, id: &str) -> bool {
        self.visible.iter().any(|&i| self.items[i].id() == id)
    }

    /// Makes `id` the chosen item (remembered through refilters) and scrolls to it.
    pub fn choose(&mut self, id: &str, rows: usize) {
        self.wanted = Some(id.to_owned());
        self.select_id(Some(id));
        self.scroll(rows);
    }

    /// Moves the selection by `delta` rows (clamped) and scrolls so it stays in `rows` rows.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.wanted = self.current_id();
        self.scroll(rows);
    }

    /// Adjusts `offset` so the selection is inside a window of `rows` rows.
    pub fn scroll(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        let max_offset = self.visible.len().saturating_sub(rows);
        self.offset = self.offset.min(max_offset);
    }

    /// Replaces or updates the item with the same id; returns the old value when one existed.
    pub fn upsert(&mut self, item: T) -> Option<T> {
        match self.items.iter().position(|t| t.id() == item.id()) {
            Some(i) => Some(std::mem::replace(&mut self.items[i], item)),
            None => {
                self.items.insert(0, item);
                None
            }
        }
    }
}

/// A group or an asset, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A group.
    Group(String),
    /// An asset.
    Asset(String),
}

/// What has the keyboard: browsing, or one overlay. One value, so two overlays can never be
/// open at once and the order of checks decides nothing.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// Moving through the panes.
    #[default]
    Browse,
    /// Typing the `/` filter of the focused pane.
    Filter,
    /// The `?` overlay.
    Help,
    /// A form: create, rename, switch project.
    Form(Box<Dialog>),
    /// Asking before deleting.
    Confirm(ConfirmDelete),
    /// Showing text that can be copied (an asset's URL).
    Shown(ShownText),
    /// A real person's liveness check: its link as a QR code, until the phone shows success.
    Verify(Verification),
    /// The `:` command palette.
    Palette(Box<super::palette::Palette>),
}

/// Where a liveness check stands in the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Asking the service for a session.
    Starting,
    /// The link is shown; `since` is the tick it appeared (it expires after 120 s).
    Showing {
        /// The H5 link.
        link: String,
        /// The single-use token.
        token: String,
        /// Tick the link appeared.
        since: u64,
    },
    /// The result was asked for.
    Checking,
    /// It failed or expired; Enter starts a new session.
    Failed(String),
}

/// The column the assets pane is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Creation time (the service sorts by it).
    #[default]
    Created,
    /// Last update (the service sorts by it).
    Updated,
    /// Name (sorted here).
    Name,
    /// Status: Failed, Processing, then Active (sorted here).
    Status,
}

/// How the assets pane is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AssetSort {
    /// The column.
    pub key: SortKey,
    /// Smallest (oldest, A, Failed) first; the default is newest first.
    pub ascending: bool,
}

impl AssetSort {
    /// The next column (`o`), in the same direction.
    pub fn next_key(self) -> Self {
        let key = match self.key {
            SortKey::Created => SortKey::Updated,
            SortKey::Updated => SortKey::Name,
            SortKey::Name => SortKey::Status,
            SortKey::Status => SortKey::Created,
        };
        AssetSort { key, ..self }
    }

    /// The order asked of the service: by the time column when sorting by one, else newest
    /// created first (paging then brings pages in a stable order; rows are sorted here).
    pub fn service_order(self) -> (SortBy, SortOrder) {
        let order = if self.ascending {
            SortOrder::Asc
        } else {
            SortOrder::Desc
        };
        match self.key {
            SortKey::Created => (SortBy::CreateTime, order),
            SortKey::Updated => (SortBy::UpdateTime, order),
            SortKey::Name | SortKey::Status => (SortBy::CreateTime, SortOrder::Desc),
        }
    }

    /// Whether the rows are sorted here (name, status) rather than by the service (times).
    pub fn is_local(self) -> bool {
        matches!(self.key, SortKey::Name | SortKey::Status)
    }

    /// `created ↓`, as the pane title shows it.
    pub fn label(self) -> String {
        let key = match self.key {
            SortKey::Created => "created",
            SortKey::Updated => "updated",
            SortKey::Name => "name",
            SortKey::Status => "status",
        };
        format!("{key} {}", if self.ascending { '↑' } else { '↓' })
    }

    /// Puts the pane's rows in this sort's order (ties: newest created first, then by id).
    /// Keys are taken once per row and sorted with the rows' positions; the rows (and their
    /// folded names) then move once.
    pub fn sort(self, pane: &mut ListPane<AssetRow>) {
        let rows = pane.items();
        let order = match self.key {
            SortKey::Created => self.order(rows, |a| a.created),
            SortKey::Updated => self.order(rows, |a| a.updated),
            SortKey::Name => self.order(rows, |a| folded(&a.name)),
            SortKey::Status => self.order(rows, |a| status_rank(a.status)),
        };
        pane.reorder(order);
    }

    /// Positions of `rows` in sorted order by `key`.
    fn order<'a, K: Ord>(
        self,
        rows: &'a [AssetRow],
        key: impl Fn(&'a AssetRow) -> K,
    ) -> Vec<usize> {
        let mut keyed: Vec<(K, usize)> = rows.iter().map(key).zip(0..).collect();
        keyed.sort_unstable_by(|(ka, a), (kb, b)| {
            let by_key = if self.ascending {
                ka.cmp(kb)
            } else {
                kb.cmp(ka)
            };
            let (a, b) = (&rows[*a], &rows[*b]);
            by_key
                .then_with(|| b.created.cmp(&a.created))
                .then_with(|| a.id.cmp(&b.id))
        });
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

/// A video or audio asset's file, as read for the detail pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// Being read.
    Reading,
    /// What it holds, as named values.
    Read(Vec<(&'static str, String)>),
    /// Why it could not be read.
    Failed(String),
}

/// How serious a status-line message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Neutral information.
    Info,
    /// Something worked.
    Success,
    /// Something failed.
    Error,
}

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// Text (one line).
    pub text: String,
    /// Severity.
    pub level: Level,
    /// Tick after which it disappears.
    pub until: u64,
}

/// The adaptive status poller's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    /// Ticks between polls now.
    pub interval: u64,
    /// Tick of the next poll.
    pub next_at: u64,
    /// A poll is in flight.
    pub in_flight: bool,
}

/// Fastest polling, in ticks.
pub const POLL_MIN_TICKS: u64 = crate::catalog::poll::POLL_MIN.as_secs() * TICKS_PER_SECOND;
/// Slowest polling when nothing changes, in ticks.
pub const POLL_MAX_TICKS: u64 = crate::catalog::poll::POLL_MAX.as_secs() * TICKS_PER_SECOND;

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            interval: POLL_MIN_TICKS,
            next_at: 0,
            in_flight: false,
        }
    }
}

/// What the title bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Profile name.
    pub profile: String,
    /// The dialect the profile speaks.
    pub dialect: crate::api::Dialect,
    /// Endpoint URL.
    pub endpoint: String,
    /// Project name.
    pub project: String,
}

/// The whole application state.
#[derive(Debug, Clone, Default)]
pub struct AppState {
    /// Title bar.
    pub header: Header,
    /// Terminal size (columns, rows).
    pub viewport: (u16, u16),
    /// Rows a list pane shows at this size (see [`super::layout::list_rows`]).
    pub list_rows: usize,
    /// Focused pane.
    pub focus: Focus,
    /// Asset groups.
    pub groups: ListPane<AssetGroup>,
    /// Assets of the open group.
    pub assets: ListPane<AssetRow>,
    /// The open group's id.
    pub open_group: Option<String>,
    /// Status filter of the assets pane.
    pub status_filter: StatusFilter,
    /// Sort of the assets pane.
    pub sort: AssetSort,
    /// Commands that change the account are off (`--read-only`, `read_only = true`).
    pub read_only: bool,
    /// In demo mode: the sample URL the new-asset dialog offers.
    pub sample_source: Option<String>,
    /// Labels of the palette's recent choices, most recent first.
    pub palette_recent: Vec<String>,
    /// `G` asked for the true last row: pages load one after another until the last, which is
    /// then selected.
    pub load_to_end: bool,
    /// Assets of the open group marked for a bulk action (by id).
    pub marks: std::collections::BTreeSet<String>,
    /// What has the keyboard.
    pub mode: Mode,
    /// The key table.
    pub keys: Keymap,
    /// Status-line message.
    pub toast: Option<Toast>,
    /// UI clock.
    pub tick: u64,
    /// Poller schedule.
    pub poll: PollSchedule,
    /// Rows that just changed status, with the tick their highlight ends.
    pub flashes: HashMap<String, u64>,
    /// Select this group / asset id when it appears after a reload.
    pub select_after_load: Option<String>,
    /// What the files of video and audio assets hold, by asset id, read when first selected.
    pub probes: HashMap<String, Probe>,
    /// Whether image assets are previewed in the detail pane.
    pub preview_on: bool,
    /// Previews of image assets, by asset id.
    pub previews: crate::preview::PreviewCache,
    /// The asset the selection is on, as of the last update: when a tick finds it still
    /// selected, the selection has rested and its URL and preview are fetched.
    pub resting_on: Option<String>,
    /// Signed URLs of the assets looked at.
    pub urls: super::urls::Urls,
    /// Rows the help overlay is scrolled down by.
    pub help_offset: usize,
    /// The last click on a list row (pane, row, tick), to tell a double-click.
    pub last_click: Option<(Focus, usize, u64)>,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// Set when the screen must be redrawn.
    pub redraw: bool,
}

impl AppState {
    /// A fresh state for a terminal of `size`.
    pub fn new(header: Header, size: (u16, u16)) -> Self {
        AppState {
            header,
            viewport: size,
            list_rows: super::layout::list_rows(size),
            redraw: true,
            ..AppState::default()
        }
    }

    /// The scope of the key table that the current mode reads.
    pub fn scope(&self) -> Scope {
        match (&self.mode, self.focus) {
            (Mode::Browse, Focus::Groups) => Scope::Groups,
            (Mode::Browse, Focus::Assets) => Scope::Assets,
            (Mode::Filter, _) => Scope::Filter,
            (Mode::Help, _) => Scope::Help,
            (Mode::Form(_), _) => Scope::Form,
            (Mode::Confirm(_), _) => Scope::Confirm,
            (Mode::Shown(_), _) => Scope::Shown,
            (Mode::Verify(_), _) => Scope::Verify,
            (Mode::Palette(_), _) => Scope::Palette,
        }
    }

    /// Whether any loaded asset is still processing.
    pub fn has_processing(&self) -> bool {
        self.assets
            .items()
            .iter()
            .any(|a| a.status == Status::Processing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::asset_row::{Kind, Stamp};

    fn row(i: usize) -> AssetRow {
        // Few distinct values per key, so ties are many and the tie-breaks are exercised.
        let names = ["Beta", "alpha", "角色", "ÄRGER", "beta", "Alpha"];
        let statuses = [Status::Active, Status::Failed, Status::Processing];
        AssetRow {
            id: format!("asset-{:04}", (i * 7919) % 1000).into(),
            name: names[i % names.len()].into(),
            kind: Kind::of("Image"),
            status: statuses[i % statuses.len()],
            created: Stamp::of(chrono::DateTime::from_timestamp((i % 5) as i64, 0)),
            updated: Stamp::of(chrono::DateTime::from_timestamp((i % 4) as i64, 0)),
            error: None,
            moderation: None,
        }
    }

    #[test]
    fn every_sort_orders_by_its_key_then_newest_then_id() {
        for key in [
            SortKey::Created,
            SortKey::Updated,
            SortKey::Name,
            SortKey::Status,
        ] {
            for ascending in [true, false] {
                let sort = AssetSort { key, ascending };
                let mut pane = ListPane::default();
                pane.set_items((0..300).map(row));
                sort.sort(&mut pane);
                // The folded names moved with their rows.
                pane.filter = "BETA".into();
                pane.refilter(|_| true);
                let betas = pane
                    .visible
                    .iter()
                    .map(|&i| pane.items()[i].name.to_lowercase());
                assert!(betas.clone().all(|n| n == "beta"));
                assert_eq!(betas.count(), 100);
                let rows = pane.items();
                let mut ids: Vec<&str> = rows.iter().map(|r| &*r.id).collect();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids.len(), 300, "{key:?}: every row once");
                for pair in rows.windows(2) {
                    let (a, b) = (&pair[0], &pair[1]);
                    let by_key = match key {
                        SortKey::Created => a.created.cmp(&b.created),
                        SortKey::Updated => a.updated.cmp(&b.updated),
                        SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                        SortKey::Status => status_rank(a.status).cmp(&status_rank(b.status)),
                    };
                    let by_key = if ascending { by_key } else { by_key.reverse() };
                    let order = by_key
                        .then_with(|| b.created.cmp(&a.created))
                        .then_with(|| a.id.cmp(&b.id));
                    assert_eq!(order, std::cmp::Ordering::Less, "{key:?} {ascending}");
                }
            }
        }
    }

    #[test]
    fn the_filter_ignores_case_and_follows_changed_rows() {
        // Pages fold their names as they come.
        let mut pane = ListPane::<AssetRow>::default();
        pane.set_items((0..3).map(row));
        pane.append((3..6).map(row));
        let shown = |pane: &ListPane<AssetRow>| -> Vec<String> {
            pane.visible
                .iter()
                .map(|&i| pane.items()[i].name.to_string())
                .collect()
        };
        pane.filter = "BET".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["Beta", "beta"]);
        pane.filter = "ärg".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["ÄRGER"]);
        // A renamed row is matched by its new name at the next keystroke.
        pane.items_mut()[0].name = "Ärgerlich".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["Ärgerlich", "ÄRGER"]);
        pane.filter.clear();
        pane.refilter(|_| true);
        assert_eq!(pane.visible.len(), 6);
    }
}
