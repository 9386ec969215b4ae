//! The list pane's invariants under random sequences of everything that changes it: pages set
//! and appended, rows replaced and removed, filters, sorts, moves and choices.

use std::collections::HashSet;

use ark_assets::api::model::Status;
use ark_assets::app::asset_row::{AssetRow, Kind, Stamp};
use ark_assets::app::list_pane::{ListPane, Row};
use ark_assets::app::sort::{AssetSort, SortColumns, SortKey};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    SetItems(Vec<u8>),
    Append(Vec<u8>),
    Replace(usize, u8),
    Retain(u8, u8),
    Filter(String),
    Sort(u8, bool),
    Move(i16),
    Choose(usize),
}

const NAMES: [&str; 6] = ["Beta", "alpha", "角色", "ÄRGER", "beta", "gamma"];

fn row(id: usize, seed: u8) -> AssetRow {
    let status = [Status::Active, Status::Processing, Status::Failed][usize::from(seed) % 3];
    let time = chrono::DateTime::from_timestamp(i64::from(seed) * 7 % 50, 0);
    AssetRow {
        id: format!("asset-{id}").into(),
        name: NAMES[usize::from(seed) % NAMES.len()].into(),
        kind: Kind::of("Image"),
        status,
        created: Stamp::of(time),
        updated: Stamp::of(time),
        error: None,
        moderation: None,
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..12).prop_map(Op::SetItems),
        prop::collection::vec(any::<u8>(), 0..12).prop_map(Op::Append),
        (0..40usize, any::<u8>()).prop_map(|(at, seed)| Op::Replace(at, seed)),
        (2..5u8, 0..5u8).prop_map(|(m, r)| Op::Retain(m, r)),
        prop::sample::select(vec!["", "a", "BET", "ä", "角", "zz"])
            .prop_map(|f| Op::Filter(f.to_owned())),
        (0..4u8, any::<bool>()).prop_map(|(k, asc)| Op::Sort(k, asc)),
        (-15..15i16).prop_map(Op::Move),
        (0..40usize).prop_map(Op::Choose),
    ]
}

/// What holds after every step, whatever the step.
fn check_invariants(pane: &ListPane<AssetRow>) {
    let len = pane.items().len();
    assert!(
        pane.visible.iter().all(|&i| i < len),
        "a shown row is past the rows: {:?} of {len}",
        pane.visible
    );
    let unique: HashSet<usize> = pane.visible.iter().copied().collect();
    assert_eq!(unique.len(), pane.visible.len(), "a row is shown twice");
    assert!(
        pane.selected < pane.visible.len().max(1),
        "selected {} of {} shown",
        pane.selected,
        pane.visible.len()
    );
    assert_eq!(pane.current().is_some(), !pane.visible.is_empty());
    assert_eq!(pane.columns().len(), len, "one sort-key row per row");
    let ids: HashSet<&str> = pane.items().iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), len, "ids stay unique");
}

/// What holds right after the filters were applied: exactly the matching rows are shown.
fn check_filtered(pane: &mut ListPane<AssetRow>) {
    let needle = pane.filter.to_lowercase();
    let mut expected: Vec<usize> = (0..pane.items().len())
        .filter(|&i| pane.items()[i].name.to_lowercase().contains(&needle))
        .collect();
    let mut shown = pane.visible.clone();
    if !pane.ordered_here() {
        assert_eq!(shown, expected, "load order when not sorted here");
    }
    shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(shown, expected, "filter {:?}", pane.filter);
    assert_eq!(pane.folded().len(), pane.items().len());
}

fn apply(pane: &mut ListPane<AssetRow>, next_id: &mut usize, op: Op) {
    let mut fresh = |seeds: Vec<u8>| -> Vec<AssetRow> {
        seeds
            .into_iter()
            .map(|seed| {
                *next_id += 1;
                row(*next_id, seed)
            })
            .collect()
    };
    let rows = 10;
    match op {
        Op::SetItems(seeds) => pane.set_items(fresh(seeds)),
        Op::Append(seeds) => pane.append(fresh(seeds)),
        Op::Replace(at, seed) if at < pane.items().len() => {
            let id = pane.items()[at].id.to_string();
            let mut new = row(0, seed);
            new.id = id.into();
            pane.replace(at, new);
        }
        Op::Replace(..) => {}
        Op::Retain(m, r) => pane.retain(|row| {
            let n: usize = row.id.trim_start_matches("asset-").parse().unwrap();
            n % usize::from(m) != usize::from(r)
        }),
        Op::Filter(text) => {
            pane.filter = text;
            pane.refilter(|_| true);
            check_filtered(pane);
        }
        Op::Sort(key, ascending) => {
            let key = [
                SortKey::Created,
                SortKey::Updated,
                SortKey::Name,
                SortKey::Status,
            ][usize::from(key)];
            let epoch = pane.epoch();
            let order = pane.sort_job(AssetSort { key, ascending }).run();
            assert!(pane.set_order(epoch, order), "an order made now fits");
            pane.refilter(|_| true);
            check_filtered(pane);
        }
        Op::Move(delta) => pane.move_by(isize::from(delta), rows),
        Op::Choose(at) => {
            if let Some(id) = pane.items().get(at).map(|r| r.id.to_string()) {
                pane.choose(&id, rows);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_sequence_of_changes_keeps_the_pane_consistent(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let mut pane = ListPane::<AssetRow>::default();
        let mut next_id = 0;
        for op in ops {
            apply(&mut pane, &mut next_id, op);
            check_invariants(&pane);
        }
        pane.refilter(|_| true);
        check_filtered(&mut pane);
    }
}

#[test]
fn removing_the_last_shown_row_selects_the_one_before() {
    let mut pane = ListPane::<AssetRow>::default();
    pane.set_items((0..11).map(|i| row(i, 1)));
    pane.refilter(|_| true);
    pane.move_by(isize::MAX / 2, 10);
    assert_eq!(pane.current().unwrap().id.as_ref(), "asset-10");
    pane.retain(|r| &*r.id != "asset-10");
    check_invariants(&pane);
    assert_eq!(pane.current().unwrap().id.as_ref(), "asset-9");
    pane.refilter(|_| true);
    assert_eq!(pane.current().unwrap().id.as_ref(), "asset-9");
    // Two marked rows at the end, the selection on the first of them.
    pane.move_by(-1, 10);
    pane.retain(|r| !matches!(&*r.id, "asset-8" | "asset-9"));
    check_invariants(&pane);
    assert_eq!(pane.current().unwrap().id.as_ref(), "asset-7");
}

// Single cases, each change of rows on its own.

fn named(i: usize, name: &str) -> AssetRow {
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
    pane.set_items((0..3).map(|i| named(i, names[i])));
    pane.append((3..6).map(|i| named(i, names[i])));
    pane.filter = "BET".into();
    pane.refilter(|_| true);
    assert_eq!(shown(&pane), ["Beta", "beta"]);
    pane.filter = "ärg".into();
    pane.refilter(|_| true);
    assert_eq!(shown(&pane), ["ÄRGER"]);
    // A renamed row is matched by its new name at the next keystroke.
    pane.replace(0, named(0, "Ärgerlich"));
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
    pane.set_items(names.iter().enumerate().map(|(i, n)| named(i, n)));
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
    pane.set_items(names.iter().enumerate().rev().map(|(i, n)| named(i, n)));
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
            .map(|(i, n)| named(i, n)),
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
    pane.set_items([named(9, "z"), named(8, "y")]);
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
        ..named(i, "r")
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
