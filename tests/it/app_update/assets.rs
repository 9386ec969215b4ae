//! Assets: copies, the poller, marks, previews and probes, retries, and deletes that keep the selection valid.

use super::*;

use ark_assets::api::model::Action;

/// The service's answer of HTTP 500 to `action`.
fn http_500(action: Action) -> ApiError {
    ApiError {
        action,
        kind: ErrorKind::Service,
        http_status: Some(500),
        code: "InternalError".into(),
        message: "HTTP 500".into(),
        request_id: None,
        retry_after: None,
    }
}

/// Deletes what the confirmation names, as the service would.
fn confirm_deletes(state: &mut AppState) {
    for effect in update(state, ch('y')) {
        let Effect::DeleteAssets(ids) = effect else {
            panic!("{effect:?}")
        };
        let deleted = ids.into_iter().map(|id| (id, Deletion::Deleted)).collect();
        update(state, Msg::AssetsDeleted(deleted));
    }
}

#[test]
fn deleting_the_last_rows_selects_the_row_before_them() {
    // G d y on the last row.
    let mut state = with_assets(SIZE, 11);
    update(&mut state, ch('G'));
    update(&mut state, ch('d'));
    confirm_deletes(&mut state);
    assert_eq!(state.assets.items().len(), 10);
    assert_eq!(state.assets.selected, 9);
    assert!(state.assets.current().is_some());
    // G k Space Space d y: the last two rows, marked.
    update(&mut state, ch('G'));
    update(&mut state, ch('k'));
    update(&mut state, ch(' '));
    update(&mut state, ch(' '));
    update(&mut state, ch('d'));
    confirm_deletes(&mut state);
    assert_eq!(state.assets.items().len(), 8);
    assert_eq!(state.assets.selected, 7);
    update(&mut state, ch('k'));
    assert_eq!(state.assets.selected, 6);
}

#[test]
fn copy_keys_copy_the_reference_and_the_snippet() {
    let mut state = with_assets(SIZE, 5);
    let id = state.assets.current().unwrap().id.to_string();
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::Copy(format!("Asset://{id}"))]
    );
    assert!(toast_text(&state).contains(&format!("Asset://{id}")));
    let effects = update(&mut state, ch('Y'));
    let Effect::Copy(snippet) = &effects[0] else {
        panic!("{effects:?}")
    };
    let v: serde_json::Value = serde_json::from_str(snippet).unwrap();
    assert_eq!(v["image_url"]["url"], format!("Asset://{id}"));
    assert_eq!(v["role"], "reference_image");
    update(&mut state, ch('j'));
    update(&mut state, ch('y'));
    assert!(toast_text(&state).contains("usable once Active"));
}

fn polled(state: &mut AppState, assets: Vec<Asset>) {
    update(
        state,
        Msg::Polled {
            group_id: group(1, "").id,
            result: Ok(assets),
        },
    );
}

#[test]
fn the_poller_runs_while_assets_process_and_moves_them() {
    let mut state = with_assets(SIZE, 10);
    update(&mut state, ch('j'));
    let processing: Vec<Asset> = mixed_assets(10)
        .into_iter()
        .filter(|a| a.status == Status::Processing)
        .collect();
    assert_eq!(processing.len(), 2);
    let selected = state.assets.current().unwrap().id.to_string();
    let effects = run_ticks(&mut state, POLL_MIN_TICKS + 1);
    assert_eq!(
        effects,
        vec![Effect::Poll {
            group_id: group(1, "").id,
            processing: processing.iter().map(Pending::from).collect()
        }]
    );
    assert!(
        run_ticks(&mut state, 20).is_empty(),
        "one poll in flight at a time"
    );

    // One of them became Active, the other is still Processing.
    let mut done = processing[0].clone();
    done.status = Status::Active;
    let still = processing[1].clone();
    polled(&mut state, vec![done.clone(), still.clone()]);
    assert_eq!(
        state
            .assets
            .items()
            .iter()
            .find(|a| *a.id == done.id)
            .unwrap()
            .status,
        Status::Active
    );
    assert!(state.flashes.contains_key(&done.id));
    assert!(toast_text(&state).contains("is Active"));
    assert_eq!(
        &*state.assets.current().unwrap().id,
        selected,
        "selection kept"
    );
    assert_eq!(state.poll.interval, POLL_MIN_TICKS);

    // Nothing changes: a poll a second for 30 s, then the poller backs off.
    let mut gaps = Vec::new();
    for _ in 0..34 {
        let mut ticks = 0;
        while !update(&mut state, tick())
            .iter()
            .any(|e| matches!(e, Effect::Poll { .. }))
        {
            ticks += 1;
            assert!(
                ticks <= POLL_MAX_TICKS,
                "a poll within the longest interval"
            );
        }
        polled(&mut state, vec![still.clone()]);
        gaps.push(ticks + 1);
    }
    let mut expected = vec![POLL_MIN_TICKS; 30];
    expected.extend([
        2 * POLL_MIN_TICKS,
        POLL_MAX_TICKS,
        POLL_MAX_TICKS,
        POLL_MAX_TICKS,
    ]);
    assert_eq!(gaps, expected);
    assert_eq!(POLL_MIN_TICKS, 4, "a second");

    // The last one fails: its error is shown, and polling stops.
    let mut failed = still.clone();
    failed.status = Status::Failed;
    failed.error = Some(ark_assets::api::model::AssetError {
        code: "InvalidParameter.DownloadFailed".into(),
        message: "HTTP 404".into(),
    });
    run_ticks(&mut state, POLL_MAX_TICKS + 1);
    polled(&mut state, vec![failed]);
    let toast = state.toast.clone().unwrap();
    assert_eq!(toast.level, Level::Error);
    assert!(
        toast.text.contains("DownloadFailed: HTTP 404"),
        "{}",
        toast.text
    );
    assert!(!state.has_processing());
    assert!(
        run_ticks(&mut state, 100).is_empty(),
        "no polling once nothing is pending"
    );
}

#[test]
fn marks_drive_bulk_copy_and_delete() {
    let mut state = with_assets(SIZE, 10);
    for _ in 0..3 {
        update(&mut state, ch(' '));
    }
    assert_eq!(state.marks.len(), 3);
    assert_eq!(state.assets.selected, 3, "marking moves on");
    let Effect::Copy(lines) = &update(&mut state, ch('y'))[0] else {
        panic!()
    };
    assert_eq!(lines.lines().count(), 3);
    assert!(lines.lines().all(|l| l.starts_with("Asset://asset-")));
    let Effect::Copy(array) = &update(&mut state, ch('Y'))[0] else {
        panic!()
    };
    let items: serde_json::Value = serde_json::from_str(array).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 3);
    assert_eq!(items[0]["role"], "reference_image");
    assert!(toast_text(&state).contains("content array of 3 items"));

    update(&mut state, ch('d'));
    let Mode::Confirm(question) = &state.mode else {
        panic!("{:?}", state.mode)
    };
    assert_eq!(question.name, "3 marked assets");
    let effects = update(&mut state, ch('y'));
    assert!(
        matches!(&effects[..], [Effect::DeleteAssets(ids)] if ids.len() == 3),
        "{effects:?}"
    );
    assert!(state.marks.is_empty());

    // * marks what is shown (filters respected); Esc clears marks before the filter.
    update(&mut state, ch('s'));
    update(&mut state, ch('*'));
    let active = state
        .assets
        .items()
        .iter()
        .filter(|a| a.status == Status::Active)
        .count();
    assert_eq!(state.marks.len(), active);
    update(&mut state, key(KeyCode::Esc));
    assert!(state.marks.is_empty());
}

#[test]
fn selecting_a_video_or_audio_asset_reads_its_file_once() {
    let mut state = with_assets(SIZE, 3);
    let mut items = mixed_assets(3);
    for (a, kind) in items.iter_mut().zip(["Video", "Image", "Audio"]) {
        a.asset_type = kind.into();
        a.status = Status::Active;
        a.url = format!("https://cdn.example.com/{}.bin?X-Signature=s", a.id);
    }
    let (video, audio) = (items[0].id.clone(), items[2].clone());
    // Loading the page selects the video, whose URL came with it: its read starts; later
    // actions do not repeat it.
    deliver(&mut state, items, 3, None);
    assert_eq!(&*state.assets.current().unwrap().id, video);
    assert_eq!(state.probes.get(&video), Some(&Probe::Reading));
    assert!(update(&mut state, tick()).is_empty());
    // The image is not read for the detail pane; the audio is, once GetAsset brings its URL
    // (rows keep none), asked for when the selection rests.
    let image = update(&mut state, ch('j'));
    assert!(!image.iter().any(|e| matches!(e, Effect::Probe { .. })));
    assert!(update(&mut state, ch('j')).is_empty());
    let fetch = update(&mut state, tick());
    assert_eq!(
        fetch,
        vec![Effect::FetchUrl {
            id: audio.id.clone()
        }]
    );
    let next = update(
        &mut state,
        Msg::UrlFetched {
            id: audio.id.clone(),
            result: Ok(audio.clone()),
        },
    );
    assert_eq!(
        next,
        vec![Effect::Probe {
            id: audio.id.clone(),
            url: audio.url.clone()
        }]
    );
    let fields = vec![("Duration", "3.00 s".to_owned())];
    update(
        &mut state,
        Msg::Probed {
            id: video.clone(),
            result: Ok(fields.clone()),
        },
    );
    assert_eq!(state.probes.get(&video), Some(&Probe::Read(fields)));
}

#[test]
fn image_previews_start_when_the_selection_rests_and_are_kept() {
    use ark_assets::preview::{Picture, Preview, PreviewState};
    let mut state = with_assets((160, 48), 10);
    state.preview_on = true;
    // Selecting marks the image; the next tick, still on it, starts its preview.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let current = state.assets.current().unwrap().id.to_string();
    let effects: Vec<Effect> = update(&mut state, tick())
        .into_iter()
        .filter(|e| !matches!(e, Effect::Poll { .. }))
        .collect();
    // Rows keep no URL: the rested selection asks GetAsset for it, then previews at once.
    assert_eq!(
        effects,
        vec![Effect::FetchUrl {
            id: current.clone()
        }]
    );
    let (cols, rows) = ark_assets::app::layout::preview_cells((160, 48)).unwrap();
    assert_eq!(
        update(&mut state, url_answer(&current)),
        vec![Effect::Preview {
            id: current.clone(),
            url: asset_of(&current).url,
            cols,
            rows,
        }]
    );
    // Moving on before a tick starts nothing for the rows passed over.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let passed = state.assets.items()[3].id.to_string();
    assert!(state.previews.get(&passed).is_none());
    let preview = Preview {
        width: 2,
        height: 1,
        picture: Picture::Cells(vec![([255, 0, 0], [0, 0, 255]); 2]),
    };
    update(
        &mut state,
        Msg::Previewed {
            id: current.clone(),
            result: Ok(preview.clone()),
        },
    );
    assert_eq!(
        state.previews.get(&current),
        Some(&PreviewState::Ready(preview))
    );
    // Off: nothing is fetched; narrow terminals have no room for it either.
    let previews = |state: &mut AppState| {
        update(state, ch('j'));
        update(state, ch('j'));
        let mut effects = update(state, tick());
        let id = state.assets.current().unwrap().id.to_string();
        effects.extend(update(state, url_answer(&id)));
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Preview { .. }))
            .count()
    };
    let mut on = with_assets((160, 48), 10);
    on.preview_on = true;
    assert_eq!(previews(&mut on), 1);
    assert_eq!(previews(&mut with_assets((160, 48), 10)), 0);
    let mut narrow = with_assets((80, 24), 10);
    narrow.preview_on = true;
    assert_eq!(previews(&mut narrow), 0);
}

#[test]
fn t_creates_marked_failed_assets_again_and_offers_to_delete_them() {
    let mut state = with_assets(SIZE, 30);
    assert_ne!(state.assets.current().unwrap().status, Status::Failed);
    assert!(update(&mut state, ch('t')).is_empty());
    assert!(toast_text(&state).starts_with("nothing to retry"));
    // Every row marked: only the Failed ones are created again.
    update(&mut state, ch('*'));
    let effects = update(&mut state, ch('t'));
    let [Effect::Retry { group_id, ids }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let failed: Vec<String> = state
        .assets
        .items()
        .iter()
        .filter(|a| a.status == Status::Failed)
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!((ids, failed.len()), (&failed, 4));
    let retried = failed
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let result = if i < 3 {
                Ok(format!("asset-new-{i}"))
            } else {
                Err(RetryError::NoRecord(id.clone()))
            };
            (id.clone(), result)
        })
        .collect();
    let effects = update(
        &mut state,
        Msg::Retried {
            group_id: group_id.clone(),
            retried,
        },
    );
    assert!(
        matches!(&effects[..], [Effect::LoadAssets { .. }]),
        "{effects:?}"
    );
    assert_eq!(
        toast_text(&state),
        format!(
            "3 created again, 1 not ({} was not created through this profile (its ledger has \
             no record): create it again from its source)",
            failed[3]
        )
    );
    // The three stay marked, and deleting them is asked at once.
    let marked: Vec<&String> = state.marks.iter().collect();
    let mut first_three: Vec<&String> = failed[..3].iter().collect();
    first_three.sort();
    assert_eq!(marked, first_three);
    let Mode::Confirm(question) = &state.mode else {
        panic!("a question, not {:?}", state.mode)
    };
    assert_eq!(question.name, "3 failed assets just created again");
    let effects = update(&mut state, ch('y'));
    assert_eq!(
        effects,
        vec![Effect::DeleteAssets(failed[..3].to_vec())],
        "{effects:?}"
    );

    // Read-only: nothing is created.
    let mut state = with_assets(SIZE, 30);
    state.read_only = true;
    update(&mut state, ch('*'));
    assert!(update(&mut state, ch('t')).is_empty());
    assert!(toast_text(&state).contains("read-only"));
}

#[test]
fn deleting_a_group_names_the_assets_that_go_with_it() {
    let mut state = with_assets(SIZE, 240);
    update(&mut state, ch('h'));
    let open = state.groups.current().unwrap().id.clone();
    // The open group is loaded whole: counted from the pane, nothing to ask the service.
    assert!(update(&mut state, ch('d')).is_empty());
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert!(
        question.question().0.ends_with("and its 240 assets?"),
        "{question:?}"
    );
    update(&mut state, key(KeyCode::Esc));

    // Another group is counted first, and the question cannot be answered until it is.
    update(&mut state, ch('j'));
    let other = state.groups.current().unwrap().id.clone();
    assert_ne!(other, open);
    let effects = update(&mut state, ch('d'));
    assert_eq!(
        effects,
        vec![Effect::CountAssets {
            group_id: other.clone()
        }]
    );
    assert!(update(&mut state, ch('y')).is_empty(), "not while counting");
    assert!(matches!(state.mode, Mode::Confirm(_)));
    // A count for a group not asked about changes nothing.
    update(
        &mut state,
        Msg::AssetsCounted {
            group_id: open.clone(),
            result: Ok((1, true)),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert_eq!(question.holds, Some(Holds::Counting));
    update(
        &mut state,
        Msg::AssetsCounted {
            group_id: other.clone(),
            result: Ok((300, false)),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    assert!(
        question.question().0.ends_with("and its 300+ assets?"),
        "{question:?}"
    );
    // A group that holds assets goes only once its name or its count is typed: y and n are
    // letters of the answer, and Enter on anything else deletes nothing.
    assert_eq!(state.scope(), Scope::Typed);
    assert!(update(&mut state, ch('y')).is_empty(), "typed, not a yes");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let Mode::Confirm(question) = &state.mode else {
        panic!("Enter on a wrong answer closed the question");
    };
    assert!(question.mistyped && question.typed == "y", "{question:?}");
    update(&mut state, key(KeyCode::Backspace));
    typed(&mut state, "300");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(effects, vec![Effect::DeleteGroup(other.clone())]);

    // A count that fails still lets the user decide, saying what is unknown.
    update(&mut state, ch('d'));
    update(
        &mut state,
        Msg::AssetsCounted {
            group_id: other.clone(),
            result: Err(ListError::Api(http_500(Action::ListAssets))),
        },
    );
    let Mode::Confirm(question) = &state.mode else {
        panic!("no question");
    };
    let (asked, why) = question.question();
    assert!(
        asked.ends_with("and all its assets?") && why.contains("HTTP 500"),
        "{asked} {why}"
    );
    // Uncounted, only the name deletes it.
    typed(&mut state, "300");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    let name = state.groups.current().unwrap().name.clone();
    for _ in 0..3 {
        update(&mut state, key(KeyCode::Backspace));
    }
    update(&mut state, Msg::Paste(name));
    assert_eq!(
        update(&mut state, key(KeyCode::Enter)),
        vec![Effect::DeleteGroup(other)]
    );
}

/// A delete question keeps on Enter, Esc and n (a reflex Enter deletes nothing); only y deletes.
#[test]
fn only_y_answers_a_delete_question() {
    let mut state = with_assets(SIZE, 5);
    let id = state.assets.current().unwrap().id.to_string();
    for keep in [key(KeyCode::Enter), key(KeyCode::Esc), ch('n')] {
        update(&mut state, ch('d'));
        assert_eq!(state.scope(), Scope::Confirm);
        assert!(update(&mut state, keep).is_empty());
        assert!(matches!(state.mode, Mode::Browse), "{:?}", state.mode);
    }
    update(&mut state, ch('d'));
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::DeleteAssets(vec![id])]
    );
}

/// What the service said of each asset shows: deleted and not found (deleted already) rows
/// leave the pane, the status line says which were not found, and one that failed stays with
/// its reason.
#[test]
fn assets_not_found_leave_the_pane_and_are_said_so() {
    let mut state = with_assets(SIZE, 5);
    for _ in 0..3 {
        update(&mut state, ch(' '));
    }
    let ids: Vec<String> = (state.marked_in_order().iter())
        .map(|a| a.id.to_string())
        .collect();
    let names: Vec<String> = (state.marked_in_order().iter())
        .map(|a| a.name.to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    update(&mut state, ch('d'));
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::DeleteAssets(ids.clone())]
    );
    let failure = http_500(Action::DeleteAsset);
    update(
        &mut state,
        Msg::AssetsDeleted(vec![
            (ids[0].clone(), Deletion::Deleted),
            (ids[1].clone(), Deletion::NotFound),
            (ids[2].clone(), Deletion::Failed(failure.into())),
        ]),
    );
    assert_eq!(state.assets.items().len(), 3);
    assert!(state.assets.items().iter().any(|a| *a.id == ids[2]));
    let text = toast_text(&state);
    assert!(
        text.contains("1 deleted; 1 not found (already deleted?)") && text.contains("HTTP 500"),
        "{text}"
    );
    // Every id is in the log with its name, not only the last one.
    let log: Vec<&str> = state.messages.iter().map(|m| m.text.as_str()).collect();
    for (id, name) in ids.iter().zip(&names) {
        let named = format!("{id} \"{name}\"");
        assert!(
            log.iter().any(|m| m.starts_with(&named)),
            "{named}: {log:?}"
        );
    }
    assert_eq!(state.toast.as_ref().unwrap().level, Level::Error);

    // One asset not found: said as such, not as an error, and its row leaves.
    update(&mut state, key(KeyCode::Home));
    let gone = state.assets.current().unwrap().id.to_string();
    let name = state.assets.current().unwrap().name.to_string();
    update(&mut state, ch('d'));
    assert_eq!(
        update(&mut state, ch('y')),
        vec![Effect::DeleteAssets(vec![gone.clone()])]
    );
    update(
        &mut state,
        Msg::AssetsDeleted(vec![(gone.clone(), Deletion::NotFound)]),
    );
    assert!(!state.assets.shows(&gone));
    assert_eq!(
        toast_text(&state),
        format!("{gone} \"{name}\" not found (already deleted?)")
    );
    assert_eq!(state.toast.as_ref().unwrap().level, Level::Info);
}
