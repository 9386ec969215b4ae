//! Seedance tasks: the `g` form opened and answered, the `T` view's keys, the background poll
//! of unfinished tasks (one round at a time, on [`crate::app::clock::TaskSchedule`]), cancels
//! and downloads.

use super::super::dialog::{Dialog, Form, GenerateTaskForm};
use super::super::effect::Effect;
use super::super::keymap::{Command, Scope};
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::state::AppState;
use super::super::tasks::Download;
use super::{note, toast};
use crate::catalog::tasks::{Downloaded, Submitted, TaskError, TaskPlan};
use crate::preview::PreviewState;
use crate::seedance::{Task, TaskStatus};
use crate::text::visible;

/// An error of the use case in one line (a refusal's problems joined).
pub(crate) fn one_line(e: &TaskError) -> String {
    match e {
        TaskError::Refused(problems) => format!("nothing was sent: {}", problems.join("; ")),
        e => e.to_string().replace('\n', " "),
    }
}

/// Says, when the profile has no data plane, that nothing of tasks works; answers whether
/// it has one.
fn has_data_plane(state: &mut AppState) -> bool {
    if state.tasks.defaults.is_none() {
        toast(state, Level::Error, TaskError::NoDataPlane.to_string());
    }
    state.tasks.defaults.is_some()
}

/// `g`: the form of a task from the marked assets (else the selected one), its legend read.
pub(super) fn generate(state: &mut AppState) -> Vec<Effect> {
    if !has_data_plane(state) {
        return Vec::new();
    }
    let assets: Vec<String> = if state.marks.is_empty() {
        state
            .assets
            .current()
            .map(|a| a.id.to_string())
            .into_iter()
            .collect()
    } else {
        state
            .marked_in_order()
            .iter()
            .map(|a| a.id.to_string())
            .collect()
    };
    if assets.is_empty() {
        let g = state.keys.key(Scope::Assets, Command::Generate).to_owned();
        let text =
            format!("no asset: {g} makes a task from the marked assets, else the selected one");
        toast(state, Level::Info, text);
        return Vec::new();
    }
    let defaults = state.tasks.defaults.as_ref().expect("checked above");
    let form = GenerateTaskForm::new(assets, defaults);
    let plan = Effect::PlanTask(form.ask());
    state.mode = Mode::Form(Box::new(Dialog::new(Form::GenerateTask(Box::new(form)))));
    vec![plan]
}

/// The form's assets were read: the legend, what is worth a warning, or why the task would be
/// refused (one line).
pub(super) fn planned(state: &mut AppState, result: Result<TaskPlan, TaskError>) -> Vec<Effect> {
    let Mode::Form(dialog) = &mut state.mode else {
        return Vec::new();
    };
    let dialog = &mut **dialog;
    let Form::GenerateTask(form) = &mut dialog.form else {
        return Vec::new();
    };
    match result {
        Ok(plan) => {
            form.legend = Some(plan.legend.iter().map(|r| r.line()).collect());
            dialog.note = Some(plan.warnings.join("; ")).filter(|w| !w.is_empty());
        }
        Err(e) => {
            form.legend = Some(Vec::new());
            dialog.error = Some(one_line(&e));
        }
    }
    Vec::new()
}

/// A task was created (the form closes, the poll follows it) or refused (said in the form).
pub(super) fn created(state: &mut AppState, result: Result<Submitted, TaskError>) -> Vec<Effect> {
    let submitted = match result {
        Ok(submitted) => submitted,
        Err(e) => {
            super::dialog_failed(state, one_line(&e));
            return Vec::new();
        }
    };
    if matches!(&state.mode, Mode::Form(d) if matches!(d.form, Form::GenerateTask(_))) {
        state.mode = Mode::Browse;
    }
    let t = state.keys.key(Scope::Global, Command::Tasks).to_owned();
    let found = if submitted.looked_up {
        " (its answer was lost: found among the recent tasks, sent once)"
    } else {
        ""
    };
    let text = format!(
        "task {} submitted{found}: {t} shows it",
        visible(&submitted.id)
    );
    toast(state, Level::Success, text);
    let mut ids = state.tasks.unfinished();
    if !ids.contains(&submitted.id) {
        ids.push(submitted.id);
    }
    state.tasks.poll.hurry(state.tick);
    state.tasks.poll.in_flight = true;
    vec![Effect::PollTasks(ids)]
}

/// `T`: the tasks view, the recent tasks listed again.
pub(super) fn open(state: &mut AppState) -> Vec<Effect> {
    if !has_data_plane(state) {
        return Vec::new();
    }
    state.mode = Mode::Tasks;
    load(state)
}

/// Lists the recent tasks, unless a listing is in flight.
fn load(state: &mut AppState) -> Vec<Effect> {
    if state.tasks.loading {
        return Vec::new();
    }
    state.tasks.loading = true;
    vec![Effect::LoadTasks]
}

/// The recent tasks were listed.
pub(super) fn loaded(state: &mut AppState, result: Result<Vec<Task>, TaskError>) -> Vec<Effect> {
    state.tasks.loading = false;
    match result {
        Ok(tasks) => {
            state.tasks.error = None;
            state.tasks.listed(tasks);
        }
        Err(e) => state.tasks.error = Some(one_line(&e)),
    }
    last_frame(state).into_iter().collect()
}

/// A round of the poll answered.
pub(super) fn polled(state: &mut AppState, result: Result<Vec<Task>, TaskError>) -> Vec<Effect> {
    let tick = state.tick;
    match result {
        Ok(tasks) => {
            let finished: Vec<String> = tasks
                .iter()
                .filter(|t| t.status.is_finished())
                .filter(|t| {
                    state
                        .tasks
                        .list
                        .iter()
                        .any(|o| o.id == t.id && o.status != t.status)
                })
                .map(|t| format!("task {} {}", visible(&t.id), t.status))
                .collect();
            let moved = state.tasks.merge(tasks);
            state.tasks.error = None;
            state.tasks.poll.answered(tick, Some(moved));
            if !finished.is_empty() {
                toast(state, Level::Info, finished.join(", "));
            }
        }
        Err(e) => {
            state.tasks.error = Some(one_line(&e));
            state.tasks.poll.answered(tick, None);
        }
    }
    last_frame(state).into_iter().collect()
}

/// The tick: a round of the poll when one is due and a task is unfinished; the open view is
/// drawn again while a task runs (its elapsed time, the spinner).
pub(super) fn tick(state: &mut AppState) -> Option<Effect> {
    state.tasks.defaults.as_ref()?;
    let ids = state.tasks.unfinished();
    if matches!(state.mode, Mode::Tasks) && (!ids.is_empty() || state.tasks.loading) {
        state.redraw = true;
    }
    if ids.is_empty() || !state.tasks.poll.due(state.tick) {
        return None;
    }
    state.tasks.poll.in_flight = true;
    Some(Effect::PollTasks(ids))
}

/// A key in the tasks view.
pub(super) fn key(state: &mut AppState, command: Option<Command>) -> Vec<Effect> {
    state.mode = Mode::Tasks;
    match command {
        Some(Command::Cancel) => {
            state.mode = Mode::Browse;
            Vec::new()
        }
        Some(Command::Down) => move_by(state, 1),
        Some(Command::Up) => move_by(state, -1),
        Some(Command::Refresh) => load(state),
        Some(Command::CopyRef) => with_video(state, |state, url| {
            note(state, Level::Success, "copied the video's link".to_owned());
            vec![Effect::Copy(url)]
        }),
        Some(Command::OpenFile) => with_video(state, open_video),
        Some(Command::Download) => with_video(state, |state, _| download(state)),
        Some(Command::Delete) => cancel(state),
        _ => Vec::new(),
    }
}

fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    state.tasks.move_by(delta);
    last_frame(state).into_iter().collect()
}

/// Runs `then` with the selected task's video link, or says why there is none.
fn with_video(
    state: &mut AppState,
    then: impl FnOnce(&mut AppState, String) -> Vec<Effect>,
) -> Vec<Effect> {
    let Some(task) = state.tasks.current() else {
        return Vec::new();
    };
    match task.video_url() {
        Some(url) => {
            let url = url.to_owned();
            then(state, url)
        }
        None => {
            let text = format!("no video: the task is {}", task.status);
            toast(state, Level::Info, text);
            Vec::new()
        }
    }
}

/// Opens the video, or says nothing here opens links.
fn open_video(state: &mut AppState, url: String) -> Vec<Effect> {
    if !state.can_open {
        let y = state.keys.key(Scope::Tasks, Command::CopyRef).to_owned();
        let text = format!("nothing here opens a browser: {y} copies the link");
        toast(state, Level::Info, text);
        return Vec::new();
    }
    note(state, Level::Info, "opening the video…".to_owned());
    vec![Effect::Open(url)]
}

/// Downloads the selected task's video into the current folder (one download at a time).
fn download(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = state.tasks.current() else {
        return Vec::new();
    };
    if let Some(d) = &state.tasks.download {
        let text = format!(
            "the video of {} is being downloaded: one at a time",
            visible(&d.id)
        );
        toast(state, Level::Info, text);
        return Vec::new();
    }
    let id = task.id.clone();
    let path = crate::catalog::tasks::video_file(&id);
    let text = format!(
        "downloading the video to {} in the current folder…",
        path.display()
    );
    note(state, Level::Info, text);
    state.tasks.download = Some(Download {
        id: id.clone(),
        path: path.clone(),
    });
    vec![Effect::DownloadTask { id, path }]
}

/// `d`: cancels the selected task when it is queued; says why not otherwise.
fn cancel(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = state.tasks.current() else {
        return Vec::new();
    };
    let id = task.id.clone();
    let (level, text, effects) = match &task.status {
        _ if state.read_only => (
            Level::Info,
            "read-only session: cancelling would change the account".to_owned(),
            Vec::new(),
        ),
        TaskStatus::Queued => (
            Level::Info,
            format!("cancelling task {}…", visible(&id)),
            vec![Effect::CancelTask(id)],
        ),
        TaskStatus::Running => (
            Level::Info,
            "a running task cannot be cancelled: only a queued one can (it finishes, or fails)"
                .to_owned(),
            Vec::new(),
        ),
        status => (
            Level::Info,
            format!(
                "task {} is {status}: only a queued task can be cancelled",
                visible(&id)
            ),
            Vec::new(),
        ),
    };
    toast(state, level, text);
    effects
}

/// A task cancelled, or why not.
pub(super) fn cancelled(
    state: &mut AppState,
    id: &str,
    result: Result<Task, TaskError>,
) -> Vec<Effect> {
    match result {
        Ok(task) => {
            state.tasks.merge(vec![task]);
            toast(
                state,
                Level::Success,
                format!("task {} cancelled", visible(id)),
            );
        }
        Err(e) => toast(state, Level::Error, one_line(&e)),
    }
    Vec::new()
}

/// A download moved on: said in the status line over the footer.
pub(super) fn downloading(state: &mut AppState, bytes: u64, total: Option<u64>) -> Vec<Effect> {
    let Some(d) = &state.tasks.download else {
        return Vec::new();
    };
    let mb = |b: u64| format!("{:.1} MB", b as f64 / 1e6);
    let of = total.map_or_else(String::new, |t| format!(" of {}", mb(t)));
    let text = format!("downloading {}: {}{of}", d.path.display(), mb(bytes));
    note(state, Level::Info, text);
    Vec::new()
}

/// A download ended.
pub(super) fn downloaded(
    state: &mut AppState,
    id: &str,
    result: Result<Downloaded, TaskError>,
) -> Vec<Effect> {
    state.tasks.download = None;
    match result {
        Ok(d) => {
            let text = format!(
                "saved the video of {} as {} ({} bytes)",
                visible(id),
                d.path.display(),
                d.bytes
            );
            toast(state, Level::Success, text);
        }
        Err(e) => toast(state, Level::Error, one_line(&e)),
    }
    Vec::new()
}

/// The selected task's last frame, fetched for the detail when the task has one and it is not
/// drawn yet.
fn last_frame(state: &mut AppState) -> Option<Effect> {
    if !matches!(state.mode, Mode::Tasks) || !state.preview_on {
        return None;
    }
    let task = state.tasks.current()?;
    let url = task
        .content
        .as_ref()?
        .last_frame_url
        .clone()
        .filter(|u| !u.is_empty())?;
    let id = task.id.clone();
    if state.previews.get(&id).is_some() {
        return None;
    }
    let (cols, rows) = crate::app::layout::task_frame_cells(state.viewport)?;
    state.previews.put(id.clone(), PreviewState::Loading);
    Some(Effect::Preview {
        id,
        url,
        cols,
        rows,
    })
}
