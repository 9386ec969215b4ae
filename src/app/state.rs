//! Everything the screen shows, in one value that only `update` changes.

use std::collections::HashMap;

use super::asset_row::{AssetRow, Stamp};
pub use super::dialog::{ConfirmDelete, Dialog, Form, Holds, ShownText, TextField};
use super::folded::FoldedNames;
use super::keymap::{Keymap, Scope};
pub use super::sort::{AssetSort, RowKeys, SortColumns, SortKey, Sorting, status_rank};
use crate::api::model::{AssetGroup, Status};

/// Projects a profile remembers for the palette.
pub const MAX_PROJECTS: usize = 10;

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
    /// What the pane sorts by besides the name.
    fn sort_keys(&self) -> RowKeys;
}

impl Row for AssetGroup {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn sort_keys(&self) -> RowKeys {
        RowKeys {
            created: Stamp::of(self.create_time),
            updated: Stamp::of(self.update_time),
            rank: 0,
        }
    }
}

impl Row for AssetRow {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn sort_keys(&self) -> RowKeys {
        RowKeys {
            created: self.created,
            updated: self.updated,
            rank: status_rank(self.status),
        }
    }
}

/// A scrollable, filterable list whose selection follows ids across reloads.
#[derive(Debug, Clone)]
pub struct ListPane<T> {
    /// Everything loaded, in load order: read through [`ListPane::items`], changed through
    /// [`ListPane::set_items`], [`ListPane::append`], [`ListPane::replace`] and
    /// [`ListPane::retain`], which keep `folded`, `columns`, `order` and `epoch` true.
    items: Vec<T>,
    /// The rows' other sort keys, a column each: a sort reads them in one short pass (or
    /// shares them with its worker) instead of a strided pass over the rows.
    columns: std::sync::Arc<SortColumns>,
    /// The rows' names for the filter: kept as pages come, made again after other changes.
    /// Shared with a name sort's worker (copied only if a page comes while it runs).
    folded: Option<std::sync::Arc<FoldedNames>>,
    /// The order rows are shown in when it is not the load order (a sort done here): positions
    /// in `items`; rows past its end came since and follow in load order.
    order: Option<Vec<u32>>,
    /// Changes whenever rows change position, so an order computed before names other rows.
    epoch: u64,
    /// Rows moved since `visible` was made, so its positions name other rows now.
    moved: bool,
    /// Indexes into `items` that pass the filters, in the order shown.
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
    /// Items matching on the server, when it says (token paging does not).
    pub total: Option<u64>,
    /// Where the next page to load lazily starts, when more exist.
    pub next: Option<crate::catalog::Cursor>,
    /// Why the listing stopped before it was complete (the title says so).
    pub stopped: Option<String>,
    /// The id the user last chose, with its position in `items` while the rows have not moved;
    /// a filter that hides it does not make the pane forget it.
    wanted: Option<(String, Option<usize>)>,
}

/// A value no other pane or earlier state of a pane had (see `ListPane::epoch`).
fn new_epoch() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            items: Vec::new(),
            folded: Some(Default::default()),
            columns: Default::default(),
            order: None,
            epoch: new_epoch(),
            moved: false,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            filter: String::new(),
            loading: false,
            error: None,
            total: None,
            next: None,
            stopped: None,
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

    /// Everything loaded, in load order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Identifies where the rows are: it changes when any row changes position, never
    /// otherwise, and no two panes share one.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Whether the rows are shown in an order computed here rather than as loaded.
    pub fn ordered_here(&self) -> bool {
        self.order.is_some()
    }

    /// Shows the rows in `order` (positions in load order, as [`crate::app::sort::SortJob`]
    /// computes them) when it was computed for the rows as they are (`epoch`); false when it
    /// is stale. Apply the filters again after it.
    pub fn set_order(&mut self, epoch: u64, order: Vec<u32>) -> bool {
        let fits = epoch == self.epoch && order.len() <= self.items.len();
        if fits {
            self.order = Some(order);
        }
        fits
    }

    /// Makes room for `rows` rows in all.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.items.reserve(rows.saturating_sub(self.items.len()));
    }

    /// Gives back the room no row uses.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
    }

    /// Rows changed position: orders computed before and the wanted row's position are stale.
    fn rows_moved(&mut self) {
        self.epoch = new_epoch();
        self.moved = true;
        if let Some((_, at)) = &mut self.wanted {
            *at = None;
        }
    }

    /// Keeps the rows `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let kept: Vec<bool> = self.items.iter().map(&mut keep).collect();
        if kept.iter().all(|k| *k) {
            return;
        }
        // Where each kept row lands.
        let mut at = 0u32;
        let moved_to: Vec<Option<u32>> = kept
            .iter()
            .map(|&k| {
                k.then(|| {
                    at += 1;
                    at - 1
                })
            })
            .collect();
        if let Some(order) = &mut self.order {
            *order = order.iter().filter_map(|&i| moved_to[i as usize]).collect();
        }
        let kept_rows = || (0..kept.len()).filter(|&i| kept[i]);
        if let Some(folded) = &mut self.folded {
            *folded = std::sync::Arc::new(folded.select(kept_rows()));
        }
        self.columns = std::sync::Arc::new(self.columns.select(kept_rows()));
        // The rows shown keep their order; the selection stays on its row, or moves to the
        // row shown after it (the one before, at the end).
        let before_selected = self.visible[..self.selected.min(self.visible.len())]
            .iter()
            .filter(|&&i| kept[i])
            .count();
        self.visible = self
            .visible
            .iter()
            .filter_map(|&i| moved_to[i].map(|j| j as usize))
            .collect();
        self.selected = before_selected.min(self.visible.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
        let mut flags = kept.into_iter();
        self.items.retain(|_| flags.next().unwrap_or(true));
        self.rows_moved();
    }
}

impl<T: Row> ListPane<T> {
    /// Replaces the rows (a first page), in load order.
    pub fn set_items(&mut self, rows: impl IntoIterator<Item = T>) {
        // The rows shown are gone: the selected one is looked for by its id among the new.
        if self.wanted.is_none() {
            self.wanted = self.current_id().map(|id| (id, None));
        }
        self.visible.clear();
        self.selected = 0;
        self.offset = 0;
        self.items.clear();
        self.order = None;
        self.rows_moved();
        self.folded = Some(Default::default());
        self.columns = Default::default();
        self.append(rows);
    }

    /// Adds rows at the end (a later page), folding their names for the filter and taking
    /// their sort keys while they are at hand.
    pub fn append(&mut self, rows: impl IntoIterator<Item = T>) {
        let start = self.items.len();
        self.items.extend(rows);
        let added = &self.items[start..];
        if let Some(folded) = &mut self.folded {
            std::sync::Arc::make_mut(folded).extend(added.iter().map(Row::name));
        }
        std::sync::Arc::make_mut(&mut self.columns).extend(added.iter().map(Row::sort_keys));
    }

    /// Puts `row` at position `at` in place of the row there, which it returns.
    pub fn replace(&mut self, at: usize, row: T) -> T {
        if self
            .folded
            .as_ref()
            .is_some_and(|f| f.name(at) != row.name().to_lowercase())
        {
            self.folded = None;
        }
        std::sync::Arc::make_mut(&mut self.columns).set(at, row.sort_keys());
        std::mem::replace(&mut self.items[at], row)
    }

    /// Where the row with `id` is in load order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|t| t.id() == id)
    }

    /// The rows' sort keys other than the name, in load order (shared, not copied).
    pub fn columns(&self) -> &std::sync::Arc<SortColumns> {
        &self.columns
    }

    /// The rows' folded names, made now if a change dropped them (shared, not copied).
    pub fn folded(&mut self) -> &std::sync::Arc<FoldedNames> {
        let items = &self.items;
        self.folded.get_or_insert_with(|| {
            let mut folded = FoldedNames::default();
            folded.extend(items.iter().map(Row::name));
            std::sync::Arc::new(folded)
        })
    }

    /// The selected item.
    pub fn current(&self) -> Option<&T> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
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
        if !needle.is_empty() {
            self.folded();
        }
        let hits = self
            .folded
            .as_ref()
            .filter(|_| !needle.is_empty())
            .map(|f| f.matching(&needle));
        let order = self.order.as_deref().unwrap_or_default();
        let shown = order
            .iter()
            .map(|&i| i as usize)
            .chain(order.len()..self.items.len());
        // Refilled in place: a new vector per page would leave the heap pocked with old ones.
        self.visible.clear();
        self.visible.extend(
            shown
                .filter(|&i| hits.as_ref().is_none_or(|h| h[i]))
                .filter(|&i| extra(&self.items[i])),
        );
        // Rows in place: the selection is found by position (by halving when shown in load
        // order), without comparing ids over the whole pane: the wanted row if it is shown,
        // else the row selected before.
        if !moved {
            let wanted_at = match &self.wanted {
                None => None,
                Some((id, Some(at))) if self.items.get(*at).is_some_and(|r| r.id() == id) => {
                    Some(*at)
                }
                // Wanted, but where is not known: by id below.
                Some(_) => return self.select_wanted_by_id(current.as_deref()),
            };
            let found = wanted_at
                .and_then(|at| self.position_of(at))
                .or_else(|| current_index.and_then(|i| self.position_of(i)));
            match found {
                Some(pos) => self.selected = pos,
                None => self.selected = self.selected.min(self.visible.len().saturating_sub(1)),
            }
            return;
        }
        self.select_wanted_by_id(current.as_deref());
    }

    /// Where row `i` of `items` is in `visible`.
    fn position_of(&self, i: usize) -> Option<usize> {
        match self.order {
            None => self.visible.binary_search(&i).ok(),
            Some(_) => self.visible.iter().position(|&v| v == i),
        }
    }

    /// Selects the wanted row by its id (noting where it is), else `current`'s.
    fn select_wanted_by_id(&mut self, current: Option<&str>) {
        let wanted = self.wanted.as_ref().map(|(id, _)| id.clone());
        if self.try_select(wanted.as_deref()) {
            let at = self.visible[self.selected];
            if let Some((_, known)) = &mut self.wanted {
                *known = Some(at);
            }
        } else {
            self.select_id(current);
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
    pub(crate) fn select_id(&mut self, id: Option<&str>) {
        self.try_select(id);
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    /// Whether the item with `id` passes the filters.
    pub fn shows(&self, id: &str) -> bool {
        self.visible.iter().any(|&i| self.items[i].id() == id)
    }

    /// Makes `id` the chosen item (remembered through refilters) and scrolls to it.
    pub fn choose(&mut self, id: &str, rows: usize) {
        self.select_id(Some(id));
        let at = self
            .visible
            .get(self.selected)
            .copied()
            .filter(|&i| self.items[i].id() == id);
        self.wanted = Some((id.to_owned(), at));
        self.scroll(rows);
    }

    /// Moves the selection by `delta` rows (clamped) and scrolls so it stays in `rows` rows.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.wanted = self
            .visible
            .get(self.selected)
            .map(|&i| (self.items[i].id().to_owned(), Some(i)));
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
    /// A sync's plan, before it is applied.
    Sync(Box<SyncView>),
    /// The messages log; the selected message (oldest first).
    Messages(usize),
    /// The selected asset's whole detail over the panes (Enter on an asset; below
    /// [`WIDE`](super::layout::WIDE) columns the only place its picture shows).
    Detail,
}

/// A visual selection: the asset it started on, and the marks there were before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visual {
    /// The asset the selection started on.
    pub anchor: String,
    /// The marks before it began (kept; the range adds to them).
    pub before: std::collections::BTreeSet<String>,
}

/// A sync's plan as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncView {
    /// The folder.
    pub folder: std::path::PathBuf,
    /// What to do.
    pub plan: crate::catalog::sync::Plan,
    /// Whether the assets no file matches are deleted too.
    pub delete: bool,
    /// The first step line shown.
    pub offset: usize,
    /// Whether the deletions wait for a yes (asked once Enter applies a plan that deletes).
    pub confirming: bool,
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
        /// Whether "has the phone shown success?" is asked (the token is spent once).
        asking: bool,
    },
    /// The result was asked for.
    Checking,
    /// It failed or expired; Enter starts a new session.
    Failed(String),
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

/// The most messages the log keeps (the oldest go first).
pub const MAX_MESSAGES: usize = 1000;

/// One message of the log: when, how it went, and its whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// When it was said.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Severity.
    pub level: Level,
    /// Its whole text (the status line may show it cut).
    pub text: String,
}

/// Every message of the session, the last [`MAX_MESSAGES`] of them, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages(std::collections::VecDeque<Message>, bool);

impl Messages {
    /// Keeps `message`, forgetting the oldest past [`MAX_MESSAGES`].
    pub fn push(&mut self, message: Message) {
        if self.0.len() == MAX_MESSAGES {
            self.0.pop_front();
        }
        self.0.push_back(message);
        self.1 = false;
    }

    /// Keeps a step of work the status line cut (`importing … 3 of 19`): in place of the last
    /// message when that was such a step too, so a run's steps are one message, its last.
    pub fn push_step(&mut self, message: Message) {
        if self.1 {
            self.0.pop_back();
        }
        self.push(message);
        self.1 = true;
    }

    /// The messages, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> + ExactSizeIterator {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message at `index` (oldest first).
    pub fn get(&self, index: usize) -> Option<&Message> {
        self.0.get(index)
    }
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
    /// Whether the messages log holds it whole (a cut status line points there).
    pub logged: bool,
}

impl Toast {
    /// What the status line says: the level's mark (as in the log), then the text made
    /// [`visible`](crate::text::visible).
    pub fn line(&self) -> String {
        let mark = match self.level {
            Level::Error => "✗ ",
            Level::Success => "✓ ",
            Level::Info => "",
        };
        format!("{mark}{}", crate::text::visible(&self.text))
    }

    /// Whether [`line`](Self::line) fits `width` columns whole.
    pub fn fits(&self, width: u16) -> bool {
        unicode_width::UnicodeWidthStr::width(self.line().as_str()) <= usize::from(width)
    }
}

/// The status poller's schedule, on the UI's clock ([`crate::catalog::poll::Schedule`]'s
/// intervals in ticks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    /// Ticks between polls now.
    pub interval: u64,
    /// Tick of the next poll.
    pub next_at: u64,
    /// A poll is in flight.
    pub in_flight: bool,
    /// The schedule every wait follows.
    pub pace: crate::catalog::poll::Schedule,
}

/// `d` in ticks, rounded up.
const fn ticks(d: std::time::Duration) -> u64 {
    (d.as_millis() as u64 * TICKS_PER_SECOND).div_ceil(1000)
}

/// Fastest polling, in ticks.
pub const POLL_MIN_TICKS: u64 = ticks(crate::catalog::poll::POLL_EVERY);
/// Slowest polling when nothing changes, in ticks.
pub const POLL_MAX_TICKS: u64 = ticks(crate::catalog::poll::POLL_MAX);

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            interval: POLL_MIN_TICKS,
            next_at: 0,
            in_flight: false,
            pace: Default::default(),
        }
    }
}

impl PollSchedule {
    /// Something of ours changed the assets: poll at the fastest again.
    pub fn hurry(&mut self) {
        self.pace = Default::default();
        self.interval = POLL_MIN_TICKS;
    }

    /// A poll answered at `tick`: `Some(changed)`, or `None` when it failed.
    pub fn answered(&mut self, tick: u64, changed: Option<bool>) {
        let wait = match changed {
            Some(changed) => self.pace.polled(changed),
            None => self.pace.failed(),
        };
        self.interval = ticks(wait);
        self.next_at = tick + self.interval;
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
    /// Where the sort done here stands (large panes are sorted on a worker).
    pub sorting: Sorting,
    /// Commands that change the account are off (`--read-only`, `read_only = true`).
    pub read_only: bool,
    /// In demo mode: the sample URL the new-asset dialog offers.
    pub sample_source: Option<String>,
    /// The configured profiles (the palette switches between them).
    pub profiles: Vec<String>,
    /// Projects used with this profile, most recent first (the palette switches between them).
    pub projects: Vec<String>,
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
    /// The assets pane's columns, in order (`[columns]`).
    pub columns: crate::config::Columns,
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
    /// The time of the last tick.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Every message of the session (the status line shows the last).
    pub messages: Messages,
    /// A count typed before a movement (`5j`, `10G`), until a command takes it.
    pub count: Option<usize>,
    /// The visual selection (`v`): marks follow the selection from its anchor.
    pub visual: Option<Visual>,
    /// The group open before this one (`b` goes back to it).
    pub previous_group: Option<String>,
    /// Whether a URL can be opened here (a browser, or a display to open one on).
    pub can_open: bool,
    /// The zone times are shown in.
    pub zone: crate::times::Zone,
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

    /// Says `text` in the status line until tick `until`, and keeps it in the messages log.
    pub fn tell(&mut self, level: Level, text: String, until: u64) {
        self.messages.push(Message {
            at: self.now,
            level,
            text: text.clone(),
        });
        self.toast = Some(Toast {
            text,
            level,
            until,
            logged: true,
        });
    }

    /// Keeps the status line's message in the log when the screen cuts it (its steps of work
    /// one message), so the cut line's `… (m)` is true.
    pub fn log_if_cut(&mut self) {
        let Some(toast) = &mut self.toast else {
            return;
        };
        if toast.logged || toast.fits(self.viewport.0) {
            return;
        }
        toast.logged = true;
        let message = Message {
            at: self.now,
            level: toast.level,
            text: toast.text.clone(),
        };
        self.messages.push_step(message);
    }

    /// The scope of the key table that the current mode reads.
    pub fn scope(&self) -> Scope {
        match (&self.mode, self.focus) {
            (Mode::Browse, Focus::Groups) => Scope::Groups,
            (Mode::Browse, Focus::Assets) => Scope::Assets,
            (Mode::Filter, _) => Scope::Filter,
            (Mode::Help, _) => Scope::Help,
            (Mode::Form(_), _) => Scope::Form,
            (Mode::Confirm(q), _) if q.needs_typing() => Scope::Typed,
            (Mode::Confirm(_), _) => Scope::Confirm,
            (Mode::Verify(Verification::Showing { asking: true, .. }), _) => Scope::Confirm,
            (Mode::Shown(_), _) => Scope::Shown,
            (Mode::Verify(_), _) => Scope::Verify,
            (Mode::Palette(_), _) => Scope::Palette,
            (Mode::Sync(view), _) if view.confirming => Scope::Confirm,
            (Mode::Sync(_), _) => Scope::Sync,
            (Mode::Messages(_), _) => Scope::Messages,
            (Mode::Detail, _) => Scope::Detail,
        }
    }

    /// The marked assets in the order the pane shows them, then those the filters hide (in
    /// load order): what `y`, `Y` and every bulk action take, in this order.
    pub fn marked_in_order(&self) -> Vec<&AssetRow> {
        let pane = &self.assets;
        let shown = pane.visible.iter().map(|&i| &pane.items()[i]);
        let mut marked: Vec<&AssetRow> = shown.filter(|a| self.marks.contains(&*a.id)).collect();
        if marked.len() < self.marks.len() {
            let seen: std::collections::HashSet<&str> = marked.iter().map(|a| &*a.id).collect();
            marked.extend(
                pane.items()
                    .iter()
                    .filter(|a| self.marks.contains(&*a.id) && !seen.contains(&*a.id)),
            );
        }
        marked
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

    fn row(i: usize, name: &str) -> AssetRow {
        AssetRow {
            id: format!("asset-{i}").into(),
            name: name.into(),
            kind: Kind::of("Image"),
            status: Status::Active,
            created: Stamp::of(None),
            updated: Stamp::of(None),
            error: None,
            moderation: None,
        }
    }

    fn shown(pane: &ListPane<AssetRow>) -> Vec<String> {
        pane.visible
            .iter()
            .map(|&i| pane.items()[i].name.to_string())
            .collect()
    }

    #[test]
    fn the_filter_ignores_case_and_follows_changed_rows() {
        // Pages fold their names as they come.
        let names = ["Beta", "alpha", "角色", "ÄRGER", "beta", "Alpha"];
        let mut pane = ListPane::<AssetRow>::default();
        pane.set_items((0..3).map(|i| row(i, names[i])));
        pane.append((3..6).map(|i| row(i, names[i])));
        pane.filter = "BET".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["Beta", "beta"]);
        pane.filter = "ärg".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["ÄRGER"]);
        // A renamed row is matched by its new name at the next keystroke.
        pane.replace(0, row(0, "Ärgerlich"));
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["Ärgerlich", "ÄRGER"]);
        pane.filter.clear();
        pane.refilter(|_| true);
        assert_eq!(pane.visible.len(), 6);
    }

    #[test]
    fn the_chosen_row_comes_back_when_a_filter_that_hid_it_goes() {
        let mut pane = ListPane::<AssetRow>::default();
        let names = ["ab", "b", "abc", "d", "bd"];
        pane.set_items(names.iter().enumerate().map(|(i, n)| row(i, n)));
        pane.refilter(|_| true);
        pane.move_by(3, 10);
        assert_eq!(pane.current().unwrap().name.as_ref(), "d");
        // Hidden: another row shows selected, the chosen one is kept in mind.
        for filter in ["b", "bc", "b"] {
            pane.filter = filter.into();
            pane.refilter(|_| true);
            assert_ne!(pane.current().unwrap().name.as_ref(), "d");
        }
        pane.filter.clear();
        pane.refilter(|_| true);
        assert_eq!(pane.current().unwrap().name.as_ref(), "d");
        // Rows moved (a new first page): it is found by its id.
        pane.set_items(names.iter().enumerate().rev().map(|(i, n)| row(i, n)));
        pane.refilter(|_| true);
        assert_eq!(pane.current().unwrap().name.as_ref(), "d");
        assert_eq!(pane.selected, 1);
    }

    #[test]
    fn an_order_shows_rows_without_moving_them_and_survives_removals() {
        let mut pane = ListPane::<AssetRow>::default();
        pane.set_items(
            ["c", "a", "d", "b"]
                .iter()
                .enumerate()
                .map(|(i, n)| row(i, n)),
        );
        let epoch = pane.epoch();
        // The order of the first three rows: the last came after it was computed.
        assert!(pane.set_order(epoch, vec![1, 0, 2]));
        pane.refilter(|_| true);
        assert_eq!(
            shown(&pane),
            ["a", "c", "d", "b"],
            "later rows follow as loaded"
        );
        assert_eq!(
            pane.items()[0].name.as_ref(),
            "c",
            "rows stay where they are"
        );
        pane.move_by(1, 10);
        assert_eq!(pane.current().unwrap().name.as_ref(), "c");
        // A removal keeps the order of the rest (and the folded names line up), and an order
        // computed before it no longer fits.
        pane.retain(|r| &*r.name != "a");
        assert_ne!(pane.epoch(), epoch);
        assert!(!pane.set_order(epoch, vec![0, 1, 2]));
        pane.filter = "B".into();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["b"]);
        pane.filter.clear();
        pane.refilter(|_| true);
        assert_eq!(shown(&pane), ["c", "d", "b"]);
        assert_eq!(
            pane.current().unwrap().name.as_ref(),
            "c",
            "the selection follows"
        );
        // A first page starts over in load order.
        pane.set_items([row(9, "z"), row(8, "y")]);
        pane.refilter(|_| true);
        assert!(!pane.ordered_here());
        assert_eq!(shown(&pane), ["z", "y"]);
    }

    #[test]
    fn the_sort_columns_follow_every_change_of_rows() {
        let timed = |i: usize, status: Status| AssetRow {
            status,
            created: Stamp::of(chrono::DateTime::from_timestamp(i as i64, 0)),
            updated: Stamp::of(chrono::DateTime::from_timestamp(100 - i as i64, 0)),
            ..row(i, "r")
        };
        let fresh = |pane: &ListPane<AssetRow>| {
            let mut columns = SortColumns::default();
            columns.extend(pane.items().iter().map(Row::sort_keys));
            columns
        };
        let mut pane = ListPane::<AssetRow>::default();
        pane.set_items((0..4).map(|i| timed(i, Status::Processing)));
        pane.append((4..8).map(|i| timed(i, Status::Active)));
        assert_eq!(**pane.columns(), fresh(&pane));
        assert_eq!(pane.columns().len(), 8);
        // A worker holding the columns keeps what it was given.
        let held = pane.columns().clone();
        pane.replace(2, timed(50, Status::Failed));
        assert_eq!(**pane.columns(), fresh(&pane));
        assert_ne!(*held, fresh(&pane));
        pane.retain(|r| r.status != Status::Processing);
        assert_eq!(**pane.columns(), fresh(&pane));
        assert_eq!(pane.columns().len(), 5);
        pane.set_items([timed(9, Status::Active)]);
        assert_eq!(**pane.columns(), fresh(&pane));
    }
}
