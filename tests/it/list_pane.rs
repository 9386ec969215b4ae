//! The list pane's invariants under random sequences of everything that changes it: pages set
//! and appended, rows replaced and removed, filters, sorts, moves and choices.

use std::collections::HashSet;

use ark_assets::api::model::Status;
use ark_assets::app::asset_row::{AssetRow, Kind, Stamp};
use ark_assets::app::state::{AssetSort, ListPane, Row, SortKey};
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
            let order = AssetSort { key, ascending }.job(pane).run();
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
