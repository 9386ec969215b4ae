//! The assets pane's rows stay in the order its title names while rows change here: renamed
//! (a new update time), polled from Processing to Active, deleted, retried (created again),
//! the group loaded again.

use super::*;

use ark_assets::app::asset_row::AssetRow;
use ark_assets::app::sort::{AssetSort, SortKey};
use proptest::prelude::*;

/// Group 1 open, sorted by `sort` (asked of the service so), its `assets` delivered in the
/// service's order.
fn sorted_by(sort: AssetSort, assets: &[Asset]) -> AppState {
    let mut state = with_groups(SIZE);
    state.sort = sort;
    update(&mut state, key(KeyCode::Enter));
    let mut page = assets.to_vec();
    service_order(sort, &mut page);
    deliver(&mut state, page, assets.len() as u64, None);
    state
}

/// Puts `assets` in the order the service lists them for `sort` (ties newest created first).
fn service_order(sort: AssetSort, assets: &mut [Asset]) {
    let (by, order) = sort.service_order();
    assets.sort_by(|a, b| {
        let key = |x: &Asset| match by {
            SortBy::UpdateTime => x.update_time,
            _ => x.create_time,
        };
        let by_key = key(a).cmp(&key(b));
        let by_key = if order == SortOrder::Asc {
            by_key
        } else {
            by_key.reverse()
        };
        by_key.then_with(|| b.create_time.cmp(&a.create_time))
    });
}

/// The rows shown, in order.
fn shown(state: &AppState) -> Vec<&AssetRow> {
    let pane = &state.assets;
    pane.visible.iter().map(|&i| &pane.items()[i]).collect()
}

fn shown_ids(state: &AppState) -> Vec<String> {
    shown(state).iter().map(|a| a.id.to_string()).collect()
}

/// Whether the rows shown are in the order the title names.
fn in_named_order(state: &AppState) -> Result<(), String> {
    let sort = state.sort;
    for pair in shown(state).windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let by_key = match sort.key {
            SortKey::Created => a.created.cmp(&b.created),
            SortKey::Updated => a.updated.cmp(&b.updated),
            _ => unreachable!("time sorts only"),
        };
        let wrong = if sort.ascending {
            by_key.is_gt()
        } else {
            by_key.is_lt()
        };
        if wrong {
            return Err(format!(
                "{} shown before {} under {}: {:?} then {:?}",
                a.id,
                b.id,
                sort.label(),
                (a.created, a.updated),
                (b.created, b.updated)
            ));
        }
    }
    Ok(())
}

/// Assets `0..n`, created a minute apart, changed in another order, some Processing.
fn assets(n: usize) -> Vec<Asset> {
    (0..n)
        .map(|i| {
            let status = if i % 3 == 1 {
                Status::Processing
            } else {
                Status::Active
            };
            let mut a = asset(i, &format!("asset {i}"), status);
            a.update_time = Some(time(200 + ((i * 7) % n) as i64));
            a
        })
        .collect()
}

/// Renames asset `id` as the service does: UpdateAsset answers, then GetAsset brings the
/// record with its new update time.
fn rename(state: &mut AppState, asset: &mut Asset, at: chrono::DateTime<chrono::Utc>) {
    asset.name = format!("{} renamed", asset.name);
    asset.update_time = Some(at);
    let effects = update(
        state,
        Msg::AssetRenamed {
            id: asset.id.clone(),
            name: asset.name.clone(),
            result: Ok(()),
        },
    );
    assert!(effects.contains(&Effect::FetchUrl {
        id: asset.id.clone()
    }));
    update(
        state,
        Msg::UrlFetched {
            id: asset.id.clone(),
            result: Ok(asset.clone()),
        },
    );
}

const UPDATED_NEWEST: AssetSort = AssetSort {
    key: SortKey::Updated,
    ascending: false,
};
const CREATED_NEWEST: AssetSort = AssetSort {
    key: SortKey::Created,
    ascending: false,
};

#[test]
fn a_renamed_row_moves_to_the_top_of_updated_newest_first() {
    let mut all = assets(12);
    let mut state = sorted_by(UPDATED_NEWEST, &all);
    in_named_order(&state).unwrap();
    typed(&mut state, "jjj");
    let fourth = shown_ids(&state)[3].clone();
    assert_eq!(state.assets.current_id().as_deref(), Some(fourth.as_str()));
    let at = all.iter().position(|a| a.id == fourth).unwrap();
    rename(&mut state, &mut all[at], time(9_000));
    assert_eq!(shown_ids(&state)[0], fourth, "the renamed row leads");
    assert_eq!(
        state.assets.current_id().as_deref(),
        Some(fourth.as_str()),
        "the selection stays on it"
    );
    in_named_order(&state).unwrap();
}

#[test]
fn a_rename_does_not_move_a_row_sorted_by_creation() {
    let mut all = assets(12);
    let mut state = sorted_by(CREATED_NEWEST, &all);
    let before = shown_ids(&state);
    let at = all.iter().position(|a| a.id == before[3]).unwrap();
    rename(&mut state, &mut all[at], time(9_000));
    assert_eq!(shown_ids(&state), before);
}

#[test]
fn a_row_polled_to_active_moves_where_its_update_time_puts_it() {
    let mut all = assets(12);
    let mut state = sorted_by(
        AssetSort {
            key: SortKey::Updated,
            ascending: true,
        },
        &all,
    );
    let processing = all
        .iter_mut()
        .find(|a| a.status == Status::Processing)
        .unwrap();
    processing.status = Status::Active;
    processing.update_time = Some(time(9_000));
    let id = processing.id.clone();
    update(
        &mut state,
        Msg::Polled {
            group_id: group(1, "").id,
            result: Ok(vec![processing.clone()]),
        },
    );
    assert_eq!(
        shown_ids(&state).last(),
        Some(&id),
        "oldest first: last changed, last"
    );
    in_named_order(&state).unwrap();
}

#[derive(Debug, Clone)]
enum Step {
    Rename(usize),
    Poll(usize),
    Delete(usize),
    Retry(usize),
    Reload,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..40usize).prop_map(Step::Rename),
        3 => (0..40usize).prop_map(Step::Poll),
        2 => (0..40usize).prop_map(Step::Delete),
        1 => (0..40usize).prop_map(Step::Retry),
        1 => Just(Step::Reload),
    ]
}

/// Applies `step` to the service's `all` and to the state, as the service answers it.
fn apply(state: &mut AppState, all: &mut Vec<Asset>, clock: &mut i64, step: Step) {
    if all.is_empty() {
        return;
    }
    *clock += 1;
    let at = time(*clock);
    let now = Some(at);
    match step {
        Step::Rename(i) => {
            let n = all.len();
            rename(state, &mut all[i % n], at);
        }
        Step::Poll(i) => {
            let n = all.len();
            let asset = &mut all[i % n];
            if asset.status == Status::Processing {
                asset.status = Status::Active;
            }
            asset.update_time = now;
            update(
                state,
                Msg::Polled {
                    group_id: group(1, "").id,
                    result: Ok(vec![asset.clone()]),
                },
            );
        }
        Step::Delete(i) => {
            let gone = all.remove(i % all.len());
            update(
                state,
                Msg::AssetsDeleted(vec![(gone.id, Deletion::Deleted)]),
            );
        }
        Step::Retry(i) => {
            // Created again as a new asset; the old one is kept (the question is answered no).
            let old = all[i % all.len()].id.clone();
            let mut new = asset(
                all.len() + 1000 + *clock as usize,
                "again",
                Status::Processing,
            );
            (new.create_time, new.update_time) = (now, now);
            all.push(new.clone());
            let effects = update(
                state,
                Msg::Retried {
                    group_id: group(1, "").id,
                    retried: vec![(old, Ok(new.id))],
                },
            );
            assert!(
                effects
                    .iter()
                    .any(|e| matches!(e, Effect::LoadAssets { .. }))
            );
            update(state, key(KeyCode::Esc));
            let mut page = all.clone();
            service_order(state.sort, &mut page);
            deliver(state, page, all.len() as u64, None);
        }
        Step::Reload => {
            let sort = state.sort;
            let mut page = all.clone();
            service_order(sort, &mut page);
            deliver(state, page, all.len() as u64, None);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rows_stay_in_the_named_order_through_renames_polls_and_deletes(
        n in 1..25usize,
        key in prop::sample::select(vec![SortKey::Created, SortKey::Updated]),
        ascending in any::<bool>(),
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let sort = AssetSort { key, ascending };
        let mut all = assets(n);
        let mut state = sorted_by(sort, &all);
        prop_assert!(in_named_order(&state).is_ok());
        let mut clock = 1_000;
        for step in steps {
            apply(&mut state, &mut all, &mut clock, step.clone());
            prop_assert_eq!(state.sort, sort);
            prop_assert_eq!(shown(&state).len(), all.len(), "after {:?}", step);
            if let Err(e) = in_named_order(&state) {
                prop_assert!(false, "after {:?}: {}", step, e);
            }
        }
    }
}
