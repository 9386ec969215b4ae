//! The panes: opening groups, paging, filters, sorts, errors, toasts, and the global dialect's labels.

use super::*;

#[test]
fn panes_and_opening_groups() {
    let mut state = with_groups(SIZE);
    assert_eq!(state.focus, Focus::Groups);
    update(&mut state, ch('j'));
    let effects = update(&mut state, key(KeyCode::Enter));
    let id = group(2, "").id;
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: id.clone(),
            from: Cursor::FIRST,
            pages: 1,
            order: NEWEST_FIRST,
        }]
    );
    assert_eq!(
        (state.focus, state.open_group.as_deref()),
        (Focus::Assets, Some(id.as_str()))
    );
    assert!(state.assets.loading);
    update(&mut state, ch('h'));
    assert_eq!(state.focus, Focus::Groups);
    // Back to the open group: no reload.
    assert!(update(&mut state, ch('l')).is_empty());
    assert_eq!(state.focus, Focus::Assets);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.focus, Focus::Groups);
}

#[test]
fn lazy_paging_loads_the_next_page_near_the_end() {
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    let items: Vec<Asset> = mixed_assets(100);
    deliver(&mut state, items, 250, Some(2));
    let mut loads = Vec::new();
    for _ in 0..100 {
        loads.extend(update(&mut state, ch('j')));
    }
    assert_eq!(
        loads,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::Page(2),
            pages: 1,
            order: NEWEST_FIRST,
        }],
        "exactly one page load while the user scrolls"
    );
}

#[test]
fn filter_keys_filter_live_and_esc_clears() {
    let mut state = with_assets(SIZE, 30);
    update(&mut state, ch('/'));
    assert!(matches!(state.mode, Mode::Filter));
    typed(&mut state, "角色");
    assert_eq!(state.assets.filter, "角色");
    assert_eq!(state.assets.visible.len(), 10);
    assert!(
        state
            .assets
            .visible
            .iter()
            .all(|&i| state.assets.items()[i].name.contains("角色"))
    );
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Backspace));
    assert_eq!(state.assets.visible.len(), 30);
    typed(&mut state, "hero");
    update(&mut state, key(KeyCode::Enter));
    assert!(matches!(state.mode, Mode::Browse));
    assert_eq!(state.assets.filter, "hero");
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(
        (state.assets.filter.as_str(), state.assets.visible.len()),
        ("", 30)
    );
}

#[test]
fn status_filter_cycles_and_keeps_the_selection() {
    let mut state = with_assets(SIZE, 30);
    update(&mut state, ch('j'));
    let picked = selected_asset(&state);
    assert_eq!(state.assets.current().unwrap().status, Status::Processing);
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::Only(Status::Active));
    assert!(
        state
            .assets
            .visible
            .iter()
            .all(|&i| state.assets.items()[i].status == Status::Active)
    );
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::Only(Status::Processing));
    assert_eq!(selected_asset(&state), picked, "selection found again");
    update(&mut state, ch('s'));
    update(&mut state, ch('s'));
    assert_eq!(state.status_filter, StatusFilter::All);
}

#[test]
fn url_help_project_refresh_and_quit_keys() {
    let mut state = with_assets(SIZE, 5);
    update(&mut state, ch('u'));
    let Mode::Shown(shown) = &state.mode else {
        panic!()
    };
    assert!(shown.text.starts_with("https://cdn.example.com/"));
    assert_eq!(update(&mut state, ch('y')).len(), 1);
    update(&mut state, ch('?'));
    assert!(matches!(state.mode, Mode::Help));
    update(&mut state, ch('j'));
    assert_eq!(
        state.assets.selected, 0,
        "keys are swallowed by the help overlay"
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
    let effects = update(&mut state, ch('R'));
    assert_eq!(effects[0], Effect::LoadGroups);
    assert!(matches!(effects[1], Effect::LoadAssets { .. }));
    assert_eq!(update(&mut state, key(KeyCode::F(5))).len(), 2);
    update(&mut state, ch('p'));
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut state, "team-b");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::SwitchProject("team-b".into()), Effect::LoadGroups]
    );
    assert_eq!(
        (state.header.project.as_str(), state.open_group.as_ref()),
        ("team-b", None)
    );
    update(&mut state, ch('q'));
    assert!(state.quit);
    let mut state = with_groups(SIZE);
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(state.quit);
}

#[test]
fn errors_show_in_the_status_line_and_panes_without_crashing() {
    let mut state = fresh(SIZE);
    let err = ApiError {
        action: ark_assets::api::model::Action::ListAssetGroups,
        kind: ErrorKind::Service,
        http_status: Some(401),
        code: "SignatureDoesNotMatch".into(),
        message: "bad signature".into(),
        request_id: Some("req-42".into()),
        retry_after: None,
    };
    update(&mut state, Msg::GroupsLoaded(Err(err.clone().into())));
    assert!(
        state
            .groups
            .error
            .as_deref()
            .unwrap()
            .contains("RequestId: req-42")
    );
    assert_eq!(state.toast.as_ref().unwrap().level, Level::Error);
    let effects = update(&mut state, ch('R'));
    assert_eq!(effects, vec![Effect::LoadGroups]);
    update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![group(1, "g")]))),
    );
    assert!(state.groups.error.is_none());

    // A poll failure backs off instead of hammering.
    let mut state = with_assets(SIZE, 3);
    run_ticks(&mut state, POLL_MIN_TICKS + 1);
    update(
        &mut state,
        Msg::Polled {
            group_id: group(1, "").id,
            result: Err(err),
        },
    );
    assert_eq!(state.poll.interval, 2 * POLL_MIN_TICKS);
    assert!(toast_text(&state).starts_with("status poll"));
}

#[test]
fn toasts_and_flashes_expire() {
    let mut state = with_assets(SIZE, 3);
    update(&mut state, ch('y'));
    assert!(state.toast.is_some());
    run_ticks(&mut state, 30);
    assert!(state.toast.is_none());
}

#[test]
fn the_first_group_opens_when_groups_first_load() {
    let mut state = fresh(SIZE);
    let effects = update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![group(1, "a"), group(2, "b")]))),
    );
    assert_eq!(effects, vec![first_page(1)]);
    assert_eq!(
        (state.focus, state.open_group.as_deref()),
        (Focus::Groups, Some(group(1, "").id.as_str()))
    );
    // A later reload leaves the open group alone.
    assert!(
        update(
            &mut state,
            Msg::GroupsLoaded(Ok(Listing::complete(vec![group(2, "b"), group(1, "a")])))
        )
        .is_empty()
    );
    assert_eq!(state.open_group.as_deref(), Some(group(1, "").id.as_str()));
}

#[test]
fn the_global_dialect_explains_that_groups_are_local_labels() {
    let mut state = with_groups(SIZE);
    state.header.dialect = ark_assets::api::Dialect::Global;
    update(&mut state, ch('n'));
    assert!(matches!(state.mode, Mode::Browse));
    assert!(toast_text(&state).contains("no groups"));
    update(&mut state, ch('l'));
    update(&mut state, ch('n'));
    assert!(matches!(dialog(&state).form, Form::CreateAsset(_)));
}

#[test]
fn g_reaches_the_true_last_row_across_pages() {
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    let page = |n: usize| -> Vec<Asset> {
        (n * 100..(n * 100 + 100).min(250))
            .map(|i| asset(i, &format!("a{i}"), Status::Active))
            .collect()
    };
    deliver(&mut state, page(0), 250, Some(2));
    let load = |p| Effect::LoadAssets {
        group_id: group(1, "").id,
        from: Cursor::Page(p),
        pages: 1,
        order: NEWEST_FIRST,
    };
    assert_eq!(update(&mut state, ch('G')), vec![load(2)]);
    let more = |state: &mut AppState, first, items, next: Option<u32>| {
        update(
            state,
            Msg::AssetsLoaded {
                group_id: group(1, "").id,
                from: Cursor::Page(first),
                order: NEWEST_FIRST,
                result: Ok(Listing {
                    items,
                    total: Some(250),
                    next: next.map(Cursor::Page),
                    stopped: None,
                    left_out: 0,
                }),
            },
        )
    };
    assert_eq!(more(&mut state, 2, page(1), Some(3)), vec![load(3)]);
    assert!(more(&mut state, 3, page(2), None).is_empty());
    assert_eq!(state.assets.items().len(), 250);
    assert_eq!(&*state.assets.current().unwrap().name, "a249");
    update(&mut state, key(KeyCode::Home));
    assert_eq!(&*state.assets.current().unwrap().name, "a0");
}

/// `G` pressed while the group's first page is on its way is not lost: that page's answer
/// asks for the next, and the last page selects the true last row.
#[test]
fn g_before_the_first_page_reaches_the_last_row_once_pages_come() {
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    assert!(state.assets.loading, "the first page is on its way");
    assert!(update(&mut state, ch('G')).is_empty(), "no second request");
    let page = |n: u32, next: Option<u32>| Msg::AssetsLoaded {
        group_id: group(1, "").id,
        from: if n == 1 {
            Cursor::FIRST
        } else {
            Cursor::Page(n)
        },
        order: NEWEST_FIRST,
        result: Ok(Listing {
            items: (0..100)
                .map(|i| {
                    let i = (n as usize - 1) * 100 + i;
                    asset(i, &format!("a{i}"), Status::Active)
                })
                .collect(),
            total: None,
            next: next.map(Cursor::Page),
            stopped: None,
            left_out: 0,
        }),
    };
    let load = Effect::LoadAssets {
        group_id: group(1, "").id,
        from: Cursor::Page(2),
        pages: 1,
        order: NEWEST_FIRST,
    };
    assert_eq!(update(&mut state, page(1, Some(2))), vec![load]);
    assert!(update(&mut state, page(2, None)).is_empty());
    assert_eq!(&*state.assets.current().unwrap().name, "a199");
}

/// A token-paged group of exactly 100 assets: its one full page comes without a token, and
/// page 2 (asked by number, which such a service ignores) is the same page again: the end,
/// not an incomplete listing. A repeat after a token, or with a total, still stops it.
#[test]
fn a_full_only_page_repeated_ends_the_pane_complete() {
    let answer = |from: Cursor, total: Option<u64>, next: Option<Cursor>| Msg::AssetsLoaded {
        group_id: group(1, "").id,
        from,
        order: NEWEST_FIRST,
        result: Ok(Listing {
            items: mixed_assets(100),
            total,
            next,
            stopped: None,
            left_out: 0,
        }),
    };
    let opened = || {
        let mut state = with_groups(SIZE);
        update(&mut state, key(KeyCode::Enter));
        update(
            &mut state,
            answer(Cursor::FIRST, None, Some(Cursor::Page(2))),
        );
        state
    };
    let mut state = opened();
    assert_eq!(state.assets.next, Some(Cursor::Page(2)));
    update(
        &mut state,
        answer(Cursor::Page(2), None, Some(Cursor::Page(3))),
    );
    assert_eq!(state.assets.items().len(), 100);
    assert_eq!((&state.assets.next, &state.assets.stopped), (&None, &None));
    // With a total, the same repeat is the service's fault.
    let mut state = opened();
    update(
        &mut state,
        answer(Cursor::Page(2), Some(300), Some(Cursor::Page(3))),
    );
    assert!(
        state
            .assets
            .stopped
            .as_deref()
            .unwrap()
            .contains("repeated earlier rows")
    );
    // And when asked by a token.
    let mut state = opened();
    update(
        &mut state,
        answer(Cursor::Token("t".into()), None, Some(Cursor::Page(2))),
    );
    assert!(state.assets.stopped.is_some());
}

#[test]
fn o_cycles_the_sort_and_big_o_flips_it() {
    let mut state = with_assets(SIZE, 30);
    let names = |state: &AppState| -> Vec<String> {
        state
            .assets
            .visible
            .iter()
            .map(|&i| state.assets.items()[i].name.to_string())
            .collect()
    };
    assert_eq!(state.sort.label(), "created ↓");
    // Everything is loaded: the rows are sorted here, nothing is asked of the service.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "updated ↓");
    update(&mut state, ch('o'));
    assert_eq!(state.sort.label(), "name ↓");
    let shown = names(&state);
    let mut sorted = shown.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(shown, sorted);
    update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "name ↑");
    assert_eq!(names(&state).first(), sorted.last());
    update(&mut state, ch('o'));
    assert_eq!(state.sort.label(), "status ↑");
    let statuses: Vec<Status> = state
        .assets
        .visible
        .iter()
        .map(|&i| state.assets.items()[i].status)
        .collect();
    let first_active = statuses.iter().position(|s| *s == Status::Active).unwrap();
    assert!(
        statuses[..first_active]
            .iter()
            .all(|s| *s != Status::Active)
    );
    assert_eq!(statuses[0], Status::Failed, "problems first");

    // With pages not loaded yet, a new time order asks the service again from page 1.
    let mut state = with_groups(SIZE);
    update(&mut state, key(KeyCode::Enter));
    deliver(&mut state, mixed_assets(100), 250, Some(2));
    let effects = update(&mut state, ch('O'));
    assert_eq!(state.sort.label(), "created ↑");
    assert!(matches!(
        &effects[..],
        [Effect::LoadAssets {
            order: (SortBy::CreateTime, SortOrder::Asc),
            ..
        }]
    ));
    // Sorting again before that answer: the new order is asked for, the old answer dropped.
    let effects = update(&mut state, ch('o'));
    let stale = state.assets.items().len();
    update(
        &mut state,
        Msg::AssetsLoaded {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            order: (SortBy::CreateTime, SortOrder::Asc),
            result: Ok(Listing::complete(mixed_assets(3))),
        },
    );
    assert_eq!(
        state.assets.items().len(),
        stale,
        "the stale answer is dropped"
    );
    assert!(state.assets.loading);
    assert_eq!(
        effects,
        vec![Effect::LoadAssets {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            pages: 1,
            order: (SortBy::UpdateTime, SortOrder::Asc),
        }]
    );
    deliver(&mut state, mixed_assets(100), 250, Some(2));
    assert!(!state.assets.loading);
    assert_eq!(state.assets.items().len(), 100);
}

#[test]
fn a_large_pane_is_sorted_on_a_worker_one_sort_at_a_time() {
    use ark_assets::app::sort::SORT_AT_ONCE_ROWS;
    let mut state = with_assets(SIZE, SORT_AT_ONCE_ROWS + 500);
    state.assets.move_by(7, state.list_rows);
    let chosen = state.assets.current_id();
    let sort_effect = |effects: &[Effect]| match effects {
        [Effect::Sort { epoch, job }] => (*epoch, job.clone()),
        other => panic!("one sort on a worker, not {other:?}"),
    };
    // `o`: the update times are in one run (as loaded): sorted at once.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "updated ↓");
    assert!(!state.sorting.pending());
    let before = state.assets.visible.clone();
    let updated = |i: &usize| state.assets.items()[*i].updated;
    assert!(before.windows(2).all(|w| updated(&w[0]) >= updated(&w[1])));
    // `o`: the names go to a worker; the rows stay as they are meanwhile.
    let (epoch, by_name) = sort_effect(&update(&mut state, ch('o')));
    assert!(state.sorting.pending());
    assert_eq!(state.assets.visible, before);
    // `o` again while it runs starts nothing more: the newer sort is due when it is back,
    // and sorting statuses is cheap: done at once then.
    assert!(update(&mut state, ch('o')).is_empty());
    assert_eq!(state.sort.label(), "status ↓");
    assert!(
        update(
            &mut state,
            Msg::Sorted {
                epoch,
                order: by_name.run(),
            },
        )
        .is_empty()
    );
    assert!(!state.sorting.pending());
    // Round to the names again (created and updated at once on the way).
    let mut effects = Vec::new();
    while state.sort.label() != "name ↓" {
        effects = update(&mut state, ch('o'));
    }
    let (epoch, by_name) = sort_effect(&effects);
    // A row deleted while the name sort runs: its answer names rows that moved, so it is
    // dropped and the rows are sorted again.
    let gone = state.assets.items()[0].id.to_string();
    update(
        &mut state,
        Msg::AssetsDeleted(vec![(gone.clone(), Deletion::Deleted)]),
    );
    let stale = by_name.run();
    let (fresh_epoch, by_name) = sort_effect(&update(
        &mut state,
        Msg::Sorted {
            epoch,
            order: stale,
        },
    ));
    assert_ne!(fresh_epoch, epoch);
    assert!(
        update(
            &mut state,
            Msg::Sorted {
                epoch: fresh_epoch,
                order: by_name.run(),
            },
        )
        .is_empty()
    );
    assert!(!state.sorting.pending());
    let shown: Vec<String> = state
        .assets
        .visible
        .iter()
        .map(|&i| state.assets.items()[i].name.to_lowercase())
        .collect();
    assert_eq!(shown.len(), SORT_AT_ONCE_ROWS + 499);
    assert!(shown.windows(2).all(|w| w[0] >= w[1]), "names, Z to A");
    assert!(!state.assets.shows(&gone));
    assert_eq!(
        state.assets.current_id(),
        chosen,
        "the selection stays on its asset"
    );
}

/// Esc clears the marks, then the name filter, then the status filter ("Esc clears it").
#[test]
fn esc_clears_the_status_filter_too() {
    let mut state = with_assets(SIZE, 30);
    let all = state.assets.visible.len();
    update(&mut state, ch('s'));
    update(&mut state, ch('/'));
    typed(&mut state, "hero");
    update(&mut state, key(KeyCode::Enter));
    assert!(state.assets.visible.len() < all);
    update(&mut state, key(KeyCode::Esc));
    assert!(state.assets.filter.is_empty());
    assert_ne!(state.status_filter, StatusFilter::All, "one at a time");
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.status_filter, StatusFilter::All);
    assert_eq!(state.assets.visible.len(), all);
}
