//! Seedance tasks in the TUI: the `g` form (defaults, legend, refusals in one line), the
//! tasks view's keys, the background poll's schedule, cancels and downloads.

use super::*;
use ark_assets::app::clock::TICKS_PER_SECOND;
use ark_assets::app::dialog::GenerateTaskForm;
use ark_assets::catalog::tasks::{Downloaded, Submitted, TaskAsk, TaskError, TaskPlan};
use ark_assets::seedance::TaskStatus;

/// The open task form (there must be one).
fn task_form(state: &AppState) -> &GenerateTaskForm {
    match &dialog(state).form {
        Form::GenerateTask(form) => form,
        other => panic!("not the task form: {other:?}"),
    }
}

/// A plan whose legend names `ids` as images.
fn plan_of(ids: &[String]) -> TaskPlan {
    let refs: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.clone(), format!("name {i}")))
        .collect();
    image_plan(&refs, vec!["model x is not one this tool knows".into()])
}

#[test]
fn g_opens_the_form_with_the_marked_assets_and_the_profiles_defaults_then_creates_once() {
    let mut state = with_tasks(SIZE, 10);
    update(&mut state, ch(' '));
    update(&mut state, ch('j'));
    update(&mut state, ch(' '));
    let marked: Vec<String> = state
        .marked_in_order()
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(marked.len(), 2);
    let effects = update(&mut state, ch('g'));
    let form = task_form(&state);
    assert_eq!(form.assets, marked);
    assert_eq!(form.model.value(), "doubao-seedance-2-0-260128");
    assert_eq!(
        (form.ratio.value(), form.resolution.value()),
        ("16:9".into(), "720p".into())
    );
    assert_eq!(form.duration.value(), "5");
    assert_eq!(form.legend, None, "read in the background");
    let ask = form.ask();
    assert_eq!(effects, vec![Effect::PlanTask(ask.clone())]);

    update(&mut state, Msg::TaskPlanned(Ok(plan_of(&marked))));
    let legend = task_form(&state).legend.clone().unwrap();
    assert_eq!(legend[0], format!("Image 1 = name 0 ({})", marked[0]));
    assert!(
        dialog(&state)
            .note
            .as_deref()
            .unwrap()
            .contains("not one this tool knows")
    );

    typed(&mut state, "Image 1 walks towards Image 2");
    // To the duration: a number of seconds is its only rule here.
    for _ in 0..4 {
        update(&mut state, key(KeyCode::Tab));
    }
    typed(&mut state, "x");
    assert!(update(&mut state, key(KeyCode::Enter)).is_empty());
    assert!(
        dialog(&state).form.fields()[4]
            .error
            .as_deref()
            .unwrap()
            .contains("whole number")
    );
    update(&mut state, key(KeyCode::Backspace));
    let effects = update(&mut state, key(KeyCode::Enter));
    let want = TaskAsk {
        prompt: "Image 1 walks towards Image 2".into(),
        ..ask
    };
    assert_eq!(effects, vec![Effect::CreateTask(want)]);
    assert!(dialog(&state).busy);

    // Refused before sending: every problem, in one line, in the form.
    let refused = TaskError::Refused(vec![
        "asset a is Processing: only Active assets can be used".into(),
        "audio alone is not a reference".into(),
    ]);
    update(&mut state, Msg::TaskCreated(Err(refused)));
    let error = dialog(&state).error.clone().unwrap();
    assert_eq!(
        error,
        "nothing was sent: asset a is Processing: only Active assets can be used; audio alone \
         is not a reference"
    );
    assert!(!dialog(&state).busy);

    let submitted = Submitted {
        id: "cgt-new".into(),
        looked_up: false,
    };
    let effects = update(&mut state, Msg::TaskCreated(Ok(submitted)));
    assert!(matches!(state.mode, Mode::Browse));
    assert!(toast_text(&state).contains("task cgt-new submitted: T shows it"));
    // The new task is followed with the unfinished ones, in one round.
    let ids = vec![
        "cgt-20260602-t0000".to_owned(),
        "cgt-20260602-t0001".to_owned(),
        "cgt-new".to_owned(),
    ];
    assert_eq!(effects, vec![Effect::PollTasks(ids)]);
}

#[test]
fn without_a_data_plane_g_and_t_say_so_and_read_only_g_changes_nothing() {
    let mut state = with_assets(SIZE, 3);
    assert!(update(&mut state, ch('g')).is_empty());
    assert!(toast_text(&state).contains("no Seedance data plane"));
    assert!(update(&mut state, ch('T')).is_empty());
    assert!(matches!(state.mode, Mode::Browse));

    let mut state = with_tasks(SIZE, 3);
    state.read_only = true;
    assert!(update(&mut state, ch('g')).is_empty());
    assert!(toast_text(&state).contains("read-only"));
    update(&mut state, ch('T'));
    update(&mut state, ch('d'));
    assert!(toast_text(&state).contains("read-only"));
}

#[test]
fn the_poll_is_one_round_at_a_time_and_slows_while_nothing_moves() {
    let mut state = with_tasks(SIZE, 3);
    let every = 2 * TICKS_PER_SECOND;
    let polls = |effects: Vec<Effect>| -> Vec<Vec<String>> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::PollTasks(ids) => Some(ids),
                _ => None,
            })
            .collect()
    };
    // The first round right away: the two unfinished tasks at once.
    let rounds = polls(run_ticks(&mut state, 1));
    assert_eq!(
        rounds,
        vec![vec![
            "cgt-20260602-t0000".to_owned(),
            "cgt-20260602-t0001".to_owned()
        ]]
    );
    // None more while it is in flight.
    assert!(polls(run_ticks(&mut state, 4 * every)).is_empty());
    // Nothing moved: the next round after twice the interval.
    let unchanged = vec![seedance_task(0, "queued"), seedance_task(1, "running")];
    update(&mut state, Msg::TasksPolled(Ok(unchanged.clone())));
    assert_eq!(state.tasks.poll.interval, 2 * every);
    assert!(polls(run_ticks(&mut state, 2 * every - 1)).is_empty());
    assert_eq!(polls(run_ticks(&mut state, 1)).len(), 1);
    update(&mut state, Msg::TasksPolled(Ok(unchanged)));
    assert_eq!(
        state.tasks.poll.interval,
        4 * every,
        "at most four times the interval"
    );
    update(&mut state, Msg::TasksPolled(Err(TaskError::NoDataPlane)));
    assert_eq!(state.tasks.poll.interval, 4 * every);
    // One finished: back to every interval, and said.
    let mut done = seedance_task(1, "succeeded");
    done.id = "cgt-20260602-t0001".into();
    update(
        &mut state,
        Msg::TasksPolled(Ok(vec![seedance_task(0, "queued"), done])),
    );
    assert_eq!(state.tasks.poll.interval, every);
    assert!(toast_text(&state).contains("task cgt-20260602-t0001 succeeded"));
    assert_eq!(
        state.tasks.unfinished(),
        vec!["cgt-20260602-t0000".to_owned()]
    );
    // Nothing unfinished: no more rounds.
    let mut cancelled = seedance_task(0, "cancelled");
    cancelled.id = "cgt-20260602-t0000".into();
    run_ticks(&mut state, 4 * every);
    update(&mut state, Msg::TasksPolled(Ok(vec![cancelled])));
    assert!(polls(run_ticks(&mut state, 20 * every)).is_empty());
}

#[test]
fn the_tasks_view_copies_opens_downloads_and_cancels_only_queued_tasks() {
    let mut state = with_tasks(SIZE, 3);
    state.can_open = true;
    assert_eq!(update(&mut state, ch('T')), vec![Effect::LoadTasks]);
    assert!(matches!(state.mode, Mode::Tasks));
    update(&mut state, Msg::TasksLoaded(Ok(seedance_tasks())));
    // Elapsed times move: a tick draws the view again while a task runs.
    state.redraw = false;
    update(&mut state, tick());
    assert!(state.redraw);
    // Queued (the newest): cancelled on `d`.
    assert_eq!(
        update(&mut state, ch('d')),
        vec![Effect::CancelTask("cgt-20260602-t0000".into())]
    );
    let mut cancelled = seedance_task(0, "cancelled");
    cancelled.id = "cgt-20260602-t0000".into();
    let answer = Msg::TaskCancelled {
        id: cancelled.id.clone(),
        result: Ok(cancelled),
    };
    update(&mut state, answer);
    assert_eq!(state.tasks.list[0].status, TaskStatus::Cancelled);
    // Running: it cannot be, and that is said.
    update(&mut state, ch('j'));
    assert!(update(&mut state, ch('d')).is_empty());
    assert!(toast_text(&state).contains("a running task cannot be cancelled"));
    assert!(update(&mut state, ch('y')).is_empty());
    assert!(toast_text(&state).contains("no video: the task is running"));
    // Succeeded: its link copied, opened, its video downloaded into the current folder.
    update(&mut state, ch('j'));
    let url = "https://cdn.example.com/tasks/2.mp4?X-Signature=abc".to_owned();
    assert_eq!(update(&mut state, ch('y')), vec![Effect::Copy(url.clone())]);
    assert_eq!(update(&mut state, ch('x')), vec![Effect::Open(url)]);
    let path = std::path::PathBuf::from("cgt-20260602-t0002.mp4");
    let download = Effect::DownloadTask {
        id: "cgt-20260602-t0002".into(),
        path: path.clone(),
    };
    assert_eq!(update(&mut state, ch('D')), vec![download]);
    assert!(toast_text(&state).contains("in the current folder"));
    assert!(update(&mut state, ch('D')).is_empty(), "one at a time");
    update(
        &mut state,
        Msg::TaskDownloading {
            bytes: 1_500_000,
            total: Some(3_000_000),
        },
    );
    assert_eq!(
        toast_text(&state),
        "downloading cgt-20260602-t0002.mp4: 1.5 MB of 3.0 MB"
    );
    let saved = Downloaded {
        path: "/work/cgt-20260602-t0002.mp4".into(),
        bytes: 3_000_000,
    };
    update(
        &mut state,
        Msg::TaskDownloaded {
            id: "cgt-20260602-t0002".into(),
            result: Ok(saved),
        },
    );
    assert!(toast_text(&state).contains("as /work/cgt-20260602-t0002.mp4 (3000000 bytes)"));
    assert!(state.tasks.download.is_none());
    // R lists again; Esc closes.
    assert_eq!(update(&mut state, ch('R')), vec![Effect::LoadTasks]);
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
}
