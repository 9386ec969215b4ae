//! A list pane: rows in load order, the filter, the shown order and a selection that follows
//! ids across reloads.

use std::sync::Arc;

use super::asset_row::{AssetRow, Stamp};
use super::folded::FoldedNames;
use super::sort::{AssetSort, RowKeys, SortColumns, SortJob, status_rank};
use crate::api::model::AssetGroup;

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
    columns: Arc<SortColumns>,
    /// The rows' names for the filter: kept as pages come, made again after other changes.
    /// Shared with a name sort's worker (copied only if a page comes while it runs).
    folded: Option<Arc<FoldedNames>>,
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
            *folded = Arc::new(folded.select(kept_rows()));
        }
        self.columns = Arc::new(self.columns.select(kept_rows()));
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
            Arc::make_mut(folded).extend(added.iter().map(Row::name));
        }
        Arc::make_mut(&mut self.columns).extend(added.iter().map(Row::sort_keys));
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
        Arc::make_mut(&mut self.columns).set(at, row.sort_keys());
        std::mem::replace(&mut self.items[at], row)
    }

    /// Where the row with `id` is in load order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|t| t.id() == id)
    }

    /// The rows' sort keys other than the name, in load order (shared, not copied).
    pub fn columns(&self) -> &Arc<SortColumns> {
        &self.columns
    }

    /// The rows' folded names, made now if a change dropped them (shared, not copied).
    pub fn folded(&mut self) -> &Arc<FoldedNames> {
        let items = &self.items;
        self.folded.get_or_insert_with(|| {
            let mut folded = FoldedNames::default();
            folded.extend(items.iter().map(Row::name));
            Arc::new(folded)
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

impl ListPane<AssetRow> {
    /// What sorting the rows by `sort` needs: their column of keys or their folded names,
    /// shared.
    pub fn sort_job(&mut self, sort: AssetSort) -> SortJob {
        let columns = Arc::clone(&self.columns);
        sort.job(&columns, || Arc::clone(self.folded()))
    }
}
