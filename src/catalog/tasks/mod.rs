//! Seedance tasks from assets, for both front ends: checked before anything is sent
//! ([`plan`]), created once (a lost answer is looked for in the recent tasks, never sent
//! again), listed whole, waited for on one poll schedule ([`follow`]), cancelled while queued,
//! and their video downloaded ([`download`]).

pub mod download;
pub mod follow;
pub mod plan;

use std::collections::HashMap;

pub use download::{Downloaded, Progress, video_file};
pub use follow::{TaskPoll, Waited};
pub use plan::{ModelLimits, Reference, TaskAsk, TaskPlan, limits_of};

use crate::api::{ApiError, AssetsApi};
use crate::catalog::Catalog;
use crate::media::MediaKind;
use crate::seedance::{FailureKind, Seedance, SeedanceError, Task, TaskQuery, TaskStatus};

/// Why a task use case failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TaskError {
    /// The profile has no data plane.
    #[error(
        "profile has no Seedance data plane: set ark_api_key (or ARK_API_KEY), and \
         data_endpoint where the provider has no default"
    )]
    NoDataPlane,
    /// The request breaks rules: nothing was sent, nothing billed. One line a problem.
    #[error("nothing was sent:\n  {}", .0.join("\n  "))]
    Refused(Vec<String>),
    /// Reading an asset failed.
    #[error(transparent)]
    Assets(#[from] ApiError),
    /// The data plane failed.
    #[error(transparent)]
    Service(#[from] SeedanceError),
    /// A create's answer was lost and the task could not be told apart in the recent tasks:
    /// nothing was sent again (it may bill twice).
    #[error(
        "{error}; the task may have been created: {} — nothing was sent again (`ark-assets \
         tasks list` shows the recent tasks)",
        .candidates.as_ref().map_or("the recent tasks could not be read".to_owned(), |c| if c.is_empty() {
            "none of the recent tasks is it yet".to_owned()
        } else {
            format!("it may be one of {}", c.join(", "))
        })
    )]
    Unsettled {
        /// The lost answer's error.
        error: SeedanceError,
        /// The recent tasks that may be it (none read: `None`).
        candidates: Option<Vec<String>>,
    },
    /// The download failed (the file was left as it was).
    #[error("{0}")]
    Download(String),
}

impl TaskError {
    fn refused(problem: impl Into<String>) -> Self {
        TaskError::Refused(vec![problem.into()])
    }
}

/// A task created: its id, and whether it was found in the recent tasks after its create's
/// answer was lost.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Submitted {
    /// `cgt-…`.
    pub id: String,
    /// Found by listing after a lost answer (sent once all the same).
    pub looked_up: bool,
}

/// How far from the create's start (on this machine's clock) a task may be dated by the
/// service and still be it.
const CLOCK_MARGIN_SECONDS: i64 = 300;

impl Catalog {
    /// The data plane, or why there is none.
    pub fn seedance(&self) -> Result<&Seedance, TaskError> {
        self.seedance.as_ref().ok_or(TaskError::NoDataPlane)
    }

    /// The profile's `[tasks]` defaults.
    pub(crate) fn task_defaults(&self) -> &crate::config::TasksFile {
        &self.task_defaults
    }

    /// Checks `ask` before anything is sent: every asset read with GetAsset (Active only; its
    /// type from the asset; video and audio lengths read from their files, when they can be),
    /// the model's limits, the modes not mixed. Every problem is named at once.
    pub async fn plan_task(&self, ask: &TaskAsk) -> Result<TaskPlan, TaskError> {
        let (limits, known) = limits_of(&ask.model);
        let mut warnings = Vec::new();
        if !known {
            warnings.push(format!(
                "model {} is not one this tool knows: held to Seedance 2.0's limits",
                crate::text::visible(&ask.model)
            ));
        }
        let mut problems = plan::check_ask(ask, &limits);
        let ids = ask
            .first_frame
            .iter()
            .chain(&ask.last_frame)
            .chain(&ask.assets);
        let mut checked = HashMap::new();
        for id in ids {
            if checked.contains_key(id) {
                continue;
            }
            match self.check_asset(id, &mut warnings).await? {
                Ok(c) => {
                    checked.insert(id.clone(), c);
                }
                Err(problem) => problems.push(problem),
            }
        }
        let read_all = checked.len()
            == ask
                .first_frame
                .iter()
                .chain(&ask.last_frame)
                .chain(&ask.assets)
                .collect::<std::collections::HashSet<_>>()
                .len();
        let built = if read_all {
            plan::build(ask, &limits, &checked)
        } else {
            Err(Vec::new())
        };
        let (request, legend) = match built {
            Ok(built) if problems.is_empty() => built,
            Ok(_) => return Err(TaskError::Refused(problems)),
            Err(more) => {
                problems.extend(more);
                return Err(TaskError::Refused(problems));
            }
        };
        Ok(TaskPlan {
            request,
            legend,
            warnings,
        })
    }

    /// Asset `id` read for a task: `Err` is a failure to read, `Ok(Err)` a rule it breaks.
    async fn check_asset(
        &self,
        id: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Result<plan::Checked, String>, TaskError> {
        let shown = crate::text::visible(id);
        let asset = match self.client().get_asset(id).await {
            Ok(asset) => asset,
            Err(e) if e.is_not_found() => {
                return Ok(Err(format!("asset {shown}: no such asset in this account")));
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(problem) = plan::unusable(id, &asset) {
            return Ok(Err(problem));
        }
        let Some(kind) = MediaKind::of_asset_type(&asset.asset_type) else {
            return Ok(Err(format!(
                "asset {shown} is of type {}, not an image, a video or an audio",
                crate::text::visible(&asset.asset_type)
            )));
        };
        let seconds = match kind {
            MediaKind::Image => None,
            _ => {
                let seconds = self.seconds_of(&asset).await;
                if seconds.is_none() {
                    warnings.push(format!(
                        "the length of asset {shown} could not be read: the service checks the \
                         references' total"
                    ));
                }
                seconds
            }
        };
        Ok(Ok(plan::Checked {
            asset,
            kind,
            seconds,
        }))
    }

    /// The length of a video or audio asset, read from its file's first bytes (bounded).
    async fn seconds_of(&self, asset: &crate::api::model::Asset) -> Option<f64> {
        let url = url::Url::parse(&asset.url).ok()?;
        let timeouts = crate::media::CheckTimeouts::default();
        let http = crate::media::check_client(timeouts);
        let probed = crate::media::probe_url(&http, &url, timeouts).await.ok()?;
        match probed.media {
            crate::media::Media::Video(v) => Some(v.duration),
            crate::media::Media::Audio(a) => a.duration,
            crate::media::Media::Image(_) => None,
        }
    }

    /// Creates the task of `plan` once. A create whose answer was lost is looked for in the
    /// recent tasks (same model, made since it was sent); it is never sent again.
    pub async fn create_task(&self, plan: &TaskPlan) -> Result<Submitted, TaskError> {
        let seedance = self.seedance()?;
        let started = chrono::Utc::now().timestamp();
        let error = match seedance.create(&plan.request).await {
            Ok(id) => {
                return Ok(Submitted {
                    id,
                    looked_up: false,
                });
            }
            Err(e) if e.kind == FailureKind::Lost || matches!(e.status, Some(500..=599)) => e,
            Err(e) => return Err(e.into()),
        };
        tracing::warn!(%error, "a create's answer was lost; looking for the task");
        let candidates = self.recent_matches(plan, started).await;
        match candidates.as_deref() {
            Ok([one]) => Ok(Submitted {
                id: one.clone(),
                looked_up: true,
            }),
            _ => Err(TaskError::Unsettled {
                error,
                candidates: candidates.ok(),
            }),
        }
    }

    /// The recent tasks that may be `plan`'s, created since `started` (less the clock margin):
    /// same model, and the same settings where the answer shows them.
    async fn recent_matches(
        &self,
        plan: &TaskPlan,
        started: i64,
    ) -> Result<Vec<String>, TaskError> {
        let since = started - CLOCK_MARGIN_SECONDS;
        let query = TaskQuery {
            model: Some(plan.request.model.clone()),
            ..TaskQuery::default()
        };
        let tasks = follow::list_all(self.seedance()?, query, Some(since)).await?;
        let same = |want: &Option<String>, got: &Option<String>| {
            want.is_none() || got.is_none() || want == got
        };
        Ok(tasks
            .into_iter()
            .filter(|t| t.created_at.is_some_and(|at| at >= since))
            .filter(|t| t.model == plan.request.model)
            .filter(|t| same(&plan.request.ratio, &t.ratio))
            .filter(|t| same(&plan.request.resolution, &t.resolution))
            .filter(|t| {
                plan.request.duration.is_none()
                    || t.duration.is_none()
                    || plan.request.duration == t.duration
            })
            .map(|t| t.id)
            .collect())
    }

    /// Task `id` as it is now.
    pub async fn get_task(&self, id: &str) -> Result<Task, TaskError> {
        Ok(self.seedance()?.get(id).await?)
    }

    /// Every task of the last 7 days (of `status`, when given), newest first, page by page
    /// to the end.
    pub async fn list_tasks(&self, status: Option<&str>) -> Result<Vec<Task>, TaskError> {
        let query = TaskQuery {
            status: status.map(str::to_owned),
            ..TaskQuery::default()
        };
        follow::list_all(self.seedance()?, query, None).await
    }

    /// Cancels task `id` while it is queued. A running task can be neither cancelled nor
    /// deleted, and a finished one has nothing to cancel: both refused before anything is
    /// sent. Answers the task as read after.
    pub(crate) async fn cancel_task(&self, id: &str) -> Result<Task, TaskError> {
        let seedance = self.seedance()?;
        let task = seedance.get(id).await?;
        let shown = crate::text::visible(id);
        match &task.status {
            TaskStatus::Queued => {}
            TaskStatus::Running => {
                return Err(TaskError::refused(format!(
                    "task {shown} is running: a running task can be neither cancelled nor \
                     deleted; wait for it (`ark-assets tasks wait {shown}`)"
                )));
            }
            other => {
                return Err(TaskError::refused(format!(
                    "task {shown} is {other}: only a queued task can be cancelled"
                )));
            }
        }
        if let Err(e) = seedance.delete(id).await {
            // A lost answer, or a task that moved meanwhile: what it is now tells.
            let now = seedance.get(id).await.map_err(|_| e.clone())?;
            return match now.status {
                TaskStatus::Cancelled => Ok(now),
                _ if e.is_not_found() => Ok(now),
                _ => Err(e.into()),
            };
        }
        match seedance.get(id).await {
            Ok(now) => Ok(now),
            Err(e) if e.is_not_found() => Ok(Task {
                status: TaskStatus::Cancelled,
                ..task
            }),
            Err(e) => Err(e.into()),
        }
    }
}
