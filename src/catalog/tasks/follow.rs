//! Listing tasks page by page to the end, and following many tasks with one listing a round:
//! every task polled at most once a `TaskPoll::every`, and less often while nothing moves.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

use super::TaskError;
use crate::catalog::Catalog;
use crate::seedance::{Seedance, SeedanceError, Task, TaskQuery};

/// Tasks asked for a page.
pub(crate) const PAGE_SIZE: u32 = 50;
/// Pages read before a listing is called too long (the service keeps 7 days).
const MAX_PAGES: u32 = 400;

/// How often tasks waited for are polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskPoll {
    /// The wait between two rounds while something moves (each round asks once for every
    /// task, so no task is polled more often).
    pub every: Duration,
    /// The longest wait between two rounds, reached while nothing moves.
    pub most: Duration,
}

impl TaskPoll {
    /// Rounds every `seconds` (the profile's `[tasks] poll_seconds`), slowing to four times
    /// that while nothing moves.
    pub fn every_seconds(seconds: u64) -> Self {
        let every = Duration::from_secs(seconds.max(1));
        TaskPoll {
            every,
            most: every * 4,
        }
    }
}

/// What a wait saw: every task as last read, and whether time ran out first.
#[derive(Debug, Clone, PartialEq)]
pub struct Waited {
    /// By id.
    pub tasks: BTreeMap<String, Task>,
    /// The bound came before every task finished.
    pub timed_out: bool,
}

/// Every task `query` matches, newest first, page by page to the end (a page that brings
/// nothing new ends it; so does, with `since`, a page that reaches tasks older than it).
pub(crate) async fn list_all(
    seedance: &Seedance,
    mut query: TaskQuery,
    since: Option<i64>,
) -> Result<Vec<Task>, TaskError> {
    query.page_size = PAGE_SIZE;
    let mut tasks = Vec::new();
    let mut seen = HashSet::new();
    for page_num in 1..=MAX_PAGES {
        query.page_num = page_num;
        let page = seedance.list(&query).await?;
        let got = page.items.len();
        let before = tasks.len();
        let older = since.is_some_and(|s| {
            page.items
                .iter()
                .any(|t| t.created_at.is_some_and(|at| at < s))
        });
        tasks.extend(page.items.into_iter().filter(|t| seen.insert(t.id.clone())));
        let total_reached = page.total.is_some_and(|n| tasks.len() as u64 >= n);
        if got < PAGE_SIZE as usize || tasks.len() == before || total_reached || older {
            return Ok(tasks);
        }
    }
    Err(SeedanceError::local(
        "list tasks",
        crate::seedance::FailureKind::Malformed,
        "TooManyPages",
        format!(
            "the listing went on past {MAX_PAGES} pages of {PAGE_SIZE}: it was not read to its end"
        ),
    )
    .into())
}

/// The tasks of `ids` as they are now: one GET for one task, else one listing of them
/// (a page per [`PAGE_SIZE`] ids). Tasks the listing leaves out are not in the answer.
async fn read_round(seedance: &Seedance, ids: &[String]) -> Result<Vec<Task>, SeedanceError> {
    if let [id] = ids {
        return Ok(vec![seedance.get(id).await?]);
    }
    let mut tasks = Vec::new();
    for chunk in ids.chunks(PAGE_SIZE as usize) {
        let query = TaskQuery {
            page_num: 1,
            page_size: PAGE_SIZE,
            task_ids: chunk.to_vec(),
            ..TaskQuery::default()
        };
        let page = seedance.list(&query).await?;
        let wanted: HashSet<&String> = chunk.iter().collect();
        tasks.extend(page.items.into_iter().filter(|t| wanted.contains(&t.id)));
    }
    Ok(tasks)
}

impl Catalog {
    /// Follows the tasks of `ids` until each has finished or `timeout` passes: a round reads
    /// them all at once (see [`read_round`]), every `poll.every` while something moves,
    /// slowing to `poll.most` while nothing does; `changed` is told of each task that moved
    /// (and of each on its first reading). A task no round has seen is read once by GET
    /// (which names a task that does not exist).
    pub async fn wait_tasks(
        &self,
        ids: &[String],
        timeout: Duration,
        poll: TaskPoll,
        changed: &mut (dyn FnMut(&Task) + Send),
    ) -> Result<Waited, TaskError> {
        let seedance = self.seedance()?;
        let deadline = Instant::now() + timeout;
        let mut known: BTreeMap<String, Task> = BTreeMap::new();
        let mut interval = poll.every;
        let mut first = true;
        loop {
            let pending: Vec<String> = ids
                .iter()
                .filter(|id| !known.get(*id).is_some_and(|t| t.status.is_finished()))
                .cloned()
                .collect();
            if pending.is_empty() {
                return Ok(Waited {
                    tasks: known,
                    timed_out: false,
                });
            }
            let mut moved = false;
            match read_round(seedance, &pending).await {
                Ok(tasks) => {
                    for task in tasks {
                        moved |= note(&mut known, task, changed);
                    }
                    if first {
                        let unseen: Vec<&String> = pending
                            .iter()
                            .filter(|id| !known.contains_key(*id))
                            .collect();
                        for id in unseen {
                            let task = seedance.get(id).await?;
                            moved |= note(&mut known, task, changed);
                        }
                    }
                    first = false;
                }
                // A task that does not exist, a key refused: asking again will not help.
                Err(e) if !e.is_retryable() || Instant::now() >= deadline => {
                    return Err(e.into());
                }
                Err(e) => tracing::warn!(%e, "a poll of tasks failed; trying again later"),
            }
            interval = if moved {
                poll.every
            } else {
                (interval * 2).min(poll.most)
            };
            let now = Instant::now();
            if now >= deadline {
                return Ok(Waited {
                    tasks: known,
                    timed_out: true,
                });
            }
            tokio::time::sleep_until((now + interval).min(deadline)).await;
        }
    }
}

/// Keeps `task`; tells `changed` and answers true when it is new or moved.
fn note(
    known: &mut BTreeMap<String, Task>,
    task: Task,
    changed: &mut (dyn FnMut(&Task) + Send),
) -> bool {
    let moved = known
        .get(&task.id)
        .is_none_or(|old| old.status != task.status || old.updated_at != task.updated_at);
    if moved {
        changed(&task);
    }
    known.insert(task.id.clone(), task);
    moved
}
