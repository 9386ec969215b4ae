//! How the assets pane is sorted: the column and its direction, the order asked of the
//! service, and the sort done here. A sort done here never moves rows: it computes the order
//! they are shown in, from the rows' keys kept in columns beside them. It runs at once when it is
//! cheap (a small pane; statuses, which are counted into place; times already in few runs, as
//! the service's order leaves them) and on a worker otherwise (sorting 100,000 names takes
//! longer than a frame).

use std::sync::Arc;

use super::asset_row::Stamp;
use super::folded::FoldedNames;
use crate::api::model::{SortBy, SortOrder, Status};

/// Rows up to which any sort is done on the UI loop (well under a millisecond); larger panes
/// are sorted on a worker while the title says "sorting…", unless their keys make it cheap.
pub const SORT_AT_ONCE_ROWS: usize = 5_000;

/// Runs of times in order up to which a sort of any size is done on the UI loop: merging a
/// few runs is linear (100,000 rows in under a millisecond), and the times of rows in the
/// service's order come in one or a few runs.
const AT_ONCE_RUNS: usize = 16;

/// The column the assets pane is sorted by (named in lower case in kept state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
    pub(crate) fn next_key(self) -> Self {
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
    pub(crate) fn is_local(self) -> bool {
        matches!(self.key, SortKey::Name | SortKey::Status)
    }

    /// Whether a row whose keys went from `before` to `after` is no longer where the
    /// service's order put it: its time of a time sort changed. (A name or status sort is done
    /// here, again after any change.)
    pub(crate) fn moves(self, before: RowKeys, after: RowKeys) -> bool {
        match self.key {
            SortKey::Created => before.created != after.created,
            SortKey::Updated => before.updated != after.updated,
            SortKey::Name | SortKey::Status => false,
        }
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

    /// What sorting by this needs: the rows' `columns` of keys, or their folded `names`
    /// (asked for only when sorting by name), shared.
    pub fn job(
        self,
        columns: &Arc<SortColumns>,
        names: impl FnOnce() -> Arc<FoldedNames>,
    ) -> SortJob {
        let columns = || Arc::clone(columns);
        let keys = match self.key {
            SortKey::Created => Keys::Created(columns()),
            SortKey::Updated => Keys::Updated(columns()),
            SortKey::Status => Keys::Ranks(columns()),
            SortKey::Name => Keys::Names(names()),
        };
        SortJob {
            ascending: self.ascending,
            keys,
        }
    }
}

/// How many ranks [`status_rank`] gives.
const RANKS: u8 = 4;

/// Where a status sorts, ascending: what needs attention first (below [`RANKS`]).
pub(crate) fn status_rank(status: Status) -> u8 {
    match status {
        Status::Failed => 0,
        Status::Processing => 1,
        Status::Active => 2,
        Status::Unknown(_) => 3,
    }
}

/// What a row sorts by besides its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowKeys {
    /// Creation time.
    pub created: Stamp,
    /// Last update.
    pub updated: Stamp,
    /// [`status_rank`] of its status.
    pub rank: u8,
}

/// The rows' [`RowKeys`] in load order, a column each: a sort reads one column, a few
/// hundred kilobytes at 100,000 rows, instead of every row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortColumns {
    created: Vec<Stamp>,
    updated: Vec<Stamp>,
    ranks: Vec<u8>,
}

impl SortColumns {
    /// Adds the keys of rows that came after the ones kept so far.
    pub fn extend(&mut self, keys: impl IntoIterator<Item = RowKeys>) {
        for k in keys {
            self.created.push(k.created);
            self.updated.push(k.updated);
            self.ranks.push(k.rank);
        }
    }

    /// Row `at`'s keys are now `keys`.
    pub fn set(&mut self, at: usize, keys: RowKeys) {
        self.created[at] = keys.created;
        self.updated[at] = keys.updated;
        self.ranks[at] = keys.rank;
    }

    /// The keys of the rows at `kept` (in that order), the rest dropped.
    pub fn select(&self, kept: impl IntoIterator<Item = usize>) -> SortColumns {
        let mut chosen = SortColumns::default();
        chosen.extend(kept.into_iter().map(|i| RowKeys {
            created: self.created[i],
            updated: self.updated[i],
            rank: self.ranks[i],
        }));
        chosen
    }

    /// How many rows' keys it holds.
    pub fn len(&self) -> usize {
        self.ranks.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.ranks.is_empty()
    }
}

/// A sort's keys, one per row in load order, shared with the pane: a sort away from the rows.
#[derive(Clone, PartialEq, Eq)]
pub struct SortJob {
    ascending: bool,
    keys: Keys,
}

#[derive(Clone, PartialEq, Eq)]
enum Keys {
    Created(Arc<SortColumns>),
    Updated(Arc<SortColumns>),
    Ranks(Arc<SortColumns>),
    Names(Arc<FoldedNames>),
}

impl Keys {
    /// The times sorted by, for a time sort.
    fn times(&self) -> Option<&[Stamp]> {
        match self {
            Keys::Created(c) => Some(&c.created),
            Keys::Updated(c) => Some(&c.updated),
            Keys::Ranks(_) | Keys::Names(_) => None,
        }
    }
}

impl std::fmt::Debug for SortJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = match &self.keys {
            Keys::Created(_) => "created",
            Keys::Updated(_) => "updated",
            Keys::Ranks(_) => "status",
            Keys::Names(_) => "name",
        };
        f.debug_struct("SortJob")
            .field("key", &key)
            .field("ascending", &self.ascending)
            .field("rows", &self.rows())
            .finish()
    }
}

impl SortJob {
    /// How many rows it sorts.
    pub fn rows(&self) -> usize {
        match &self.keys {
            Keys::Created(c) | Keys::Updated(c) | Keys::Ranks(c) => c.len(),
            Keys::Names(n) => n.len(),
        }
    }

    /// Whether sorting is cheap enough for the UI loop: few rows, statuses (counted into
    /// place), or times in few runs of the wanted order.
    pub(crate) fn at_once(&self) -> bool {
        self.rows() <= SORT_AT_ONCE_ROWS
            || match &self.keys {
                Keys::Ranks(_) => true,
                Keys::Names(_) => false,
                times => times
                    .times()
                    .is_some_and(|t| runs(t, self.ascending) <= AT_ONCE_RUNS),
            }
    }

    /// The rows' positions in this sort's order: by the key, ties as loaded (the service's
    /// order: newest created first, unless the rows came in another order).
    pub fn run(&self) -> Vec<u32> {
        match &self.keys {
            Keys::Ranks(c) => self.counted(&c.ranks),
            Keys::Created(c) => self.sorted(|i| c.created[i]),
            Keys::Updated(c) => self.sorted(|i| c.updated[i]),
            Keys::Names(names) => {
                // The first eight bytes decide most comparisons without reaching the text.
                let prefixes: Vec<u64> = (0..self.rows())
                    .map(|i| {
                        let mut head = [0; 8];
                        let name = names.name(i).as_bytes();
                        let n = name.len().min(8);
                        head[..n].copy_from_slice(&name[..n]);
                        u64::from_be_bytes(head)
                    })
                    .collect();
                self.sorted(|i| (prefixes[i], names.name(i)))
            }
        }
    }

    /// A stable sort of the rows' positions by `key`: ties keep load order, and rows already in
    /// runs of the order cost a merge, not a sort.
    fn sorted<K: Ord>(&self, key: impl Fn(usize) -> K) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.rows() as u32).collect();
        order.sort_by(|&a, &b| {
            let by_key = key(a as usize).cmp(&key(b as usize));
            if self.ascending {
                by_key
            } else {
                by_key.reverse()
            }
        });
        order
    }

    /// Statuses have [`RANKS`] ranks: each rank's rows in load order, rank after rank (a
    /// linear pass per rank).
    fn counted(&self, ranks: &[u8]) -> Vec<u32> {
        let mut order = Vec::with_capacity(ranks.len());
        let mut each: Vec<u8> = (0..RANKS).collect();
        if !self.ascending {
            each.reverse();
        }
        for rank in each {
            order.extend((0..ranks.len() as u32).filter(|&i| ranks[i as usize] == rank));
        }
        order
    }
}

/// How many runs a merge sort finds in `times` for the wanted order: stretches already in
/// it, or strictly against it (those are reversed whole). 1 when they are in order already.
fn runs(times: &[Stamp], ascending: bool) -> usize {
    let in_order = |a: Stamp, b: Stamp| if ascending { a <= b } else { a >= b };
    let (mut runs, mut i) = (0, 0);
    while i < times.len() {
        runs += 1;
        let mut j = i + 1;
        if j < times.len() && !in_order(times[i], times[j]) {
            // Strictly against the order: a reversed run.
            while j < times.len() && !in_order(times[j - 1], times[j]) {
                j += 1;
            }
        } else {
            while j < times.len() && in_order(times[j - 1], times[j]) {
                j += 1;
            }
        }
        i = j;
    }
    runs
}

/// Where the sort worker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sorting {
    /// A job is on the worker.
    pub running: bool,
    /// The rows or the sort changed since the last job began: sort again.
    pub due: bool,
}

impl Sorting {
    /// Whether the rows shown may not be in the sort's order yet.
    pub fn pending(self) -> bool {
        self.running || self.due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::asset_row::{AssetRow, Kind};
    use crate::app::list_pane::ListPane;

    fn row(i: usize) -> AssetRow {
        // Few distinct values per key, so ties are many and the tie-breaks are exercised.
        let names = [
            "Beta",
            "alpha",
            "角色",
            "ÄRGER",
            "beta",
            "Alpha",
            "alphabetic",
        ];
        let statuses = [Status::Active, Status::Failed, Status::Processing];
        AssetRow {
            id: format!("asset-{i:04}").into(),
            name: names[i % names.len()].into(),
            kind: Kind::of("Image"),
            status: statuses[i % statuses.len()],
            created: Stamp::of(chrono::DateTime::from_timestamp((i % 5) as i64, 0)),
            updated: Stamp::of(chrono::DateTime::from_timestamp((i % 4) as i64, 0)),
            error: None,
            extra: None,
        }
    }

    #[test]
    fn runs_are_counted_as_a_merge_sort_finds_them() {
        let t = |v: &[i64]| -> Vec<Stamp> {
            v.iter()
                .map(|&s| Stamp::of(chrono::DateTime::from_timestamp(s, 0)))
                .collect()
        };
        assert_eq!(runs(&t(&[]), true), 0);
        assert_eq!(runs(&t(&[1, 2, 2, 3]), true), 1);
        // Strictly against the order: one run, reversed whole.
        assert_eq!(runs(&t(&[1, 2, 3, 4]), false), 1);
        // Ties stop a reversed run (reversing them would break load order).
        assert_eq!(runs(&t(&[3, 2, 2, 1]), true), 2);
        assert_eq!(runs(&t(&[1, 3, 2, 4, 1, 5]), true), 3);
    }

    #[test]
    fn large_sorts_run_at_once_only_when_cheap() {
        let n = SORT_AT_ONCE_ROWS + 1;
        let job = |key, ascending, rows: &dyn Fn(usize) -> AssetRow| {
            let mut pane = ListPane::default();
            pane.set_items((0..n).map(rows));
            pane.sort_job(AssetSort { key, ascending }).at_once()
        };
        let newest_first = |i: usize| {
            let mut r = row(i);
            r.created = Stamp::of(chrono::DateTime::from_timestamp((n - i) as i64, 0));
            r
        };
        // Loaded newest first: either direction is one run.
        assert!(job(SortKey::Created, false, &newest_first));
        assert!(job(SortKey::Created, true, &newest_first));
        assert!(job(SortKey::Status, true, &row));
        // Times that go back and forth, and names, go to the worker.
        assert!(!job(SortKey::Created, false, &row));
        assert!(!job(SortKey::Name, false, &newest_first));
    }

    #[test]
    fn every_sort_orders_by_its_key_then_as_loaded() {
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
                let job = pane.sort_job(sort);
                assert_eq!(job.rows(), 300);
                assert!(pane.set_order(pane.epoch(), job.run()));
                pane.refilter(|_| true);
                let shown = &pane.visible;
                let mut every = shown.clone();
                every.sort_unstable();
                assert_eq!(
                    every,
                    (0..300).collect::<Vec<_>>(),
                    "{key:?}: every row once"
                );
                for pair in shown.windows(2) {
                    let (i, j) = (pair[0], pair[1]);
                    let (a, b) = (&pane.items()[i], &pane.items()[j]);
                    let by_key = match key {
                        SortKey::Created => a.created.cmp(&b.created),
                        SortKey::Updated => a.updated.cmp(&b.updated),
                        SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                        SortKey::Status => status_rank(a.status).cmp(&status_rank(b.status)),
                    };
                    let by_key = if ascending { by_key } else { by_key.reverse() };
                    let order = by_key.then_with(|| i.cmp(&j));
                    assert_eq!(order, std::cmp::Ordering::Less, "{key:?} {ascending}");
                }
            }
        }
    }
}
