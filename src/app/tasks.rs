//! The Seedance tasks the session follows ([`Tasks`]): the recent tasks as last read, the
//! `T` view's selection, their poll's schedule and a video's download.

use std::path::PathBuf;

use super::clock::TaskSchedule;
use crate::config::TasksFile;
use crate::seedance::Task;

/// The tasks as the TUI knows them.
#[derive(Debug, Clone, Default)]
pub struct Tasks {
    /// The profile's `[tasks]` defaults; `None`: the profile has no data plane.
    pub defaults: Option<TasksFile>,
    /// The recent tasks, newest first.
    pub list: Vec<Task>,
    /// The selected row of the view.
    pub selected: usize,
    /// A listing is in flight.
    pub loading: bool,
    /// Why the last listing or poll failed.
    pub error: Option<String>,
    /// When the unfinished tasks are polled next.
    pub poll: TaskSchedule,
    /// The video being downloaded.
    pub download: Option<Download>,
}

/// A video being downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Its task.
    pub id: String,
    /// Where it goes.
    pub path: PathBuf,
}

impl Tasks {
    /// The tasks of a profile whose `[tasks]` table is `defaults` (`None`: no data plane).
    pub fn new(defaults: Option<TasksFile>) -> Self {
        let poll = defaults.as_ref().map_or_else(TaskSchedule::default, |d| {
            TaskSchedule::new(crate::catalog::tasks::TaskPoll::every_seconds(
                d.poll_seconds,
            ))
        });
        Tasks {
            defaults,
            poll,
            ..Tasks::default()
        }
    }

    /// The selected task.
    pub fn current(&self) -> Option<&Task> {
        self.list.get(self.selected)
    }

    /// The ids of the tasks not finished yet, as last read.
    pub fn unfinished(&self) -> Vec<String> {
        self.list
            .iter()
            .filter(|t| !t.status.is_finished())
            .map(|t| t.id.clone())
            .collect()
    }

    /// A whole listing: the list is it (the selection stays on its task when it is there).
    pub fn listed(&mut self, tasks: Vec<Task>) {
        let selected = self.current().map(|t| t.id.clone());
        self.list = tasks;
        self.selected = selected
            .and_then(|id| self.list.iter().position(|t| t.id == id))
            .unwrap_or(0);
    }

    /// Tasks read again: each replaces its row (one not listed yet goes first). Answers
    /// whether any moved.
    pub(crate) fn merge(&mut self, tasks: Vec<Task>) -> bool {
        let mut moved = false;
        for task in tasks {
            match self.list.iter_mut().find(|t| t.id == task.id) {
                Some(old) => {
                    moved |= old.status != task.status || old.updated_at != task.updated_at;
                    *old = task;
                }
                None => {
                    moved = true;
                    self.list.insert(0, task);
                    self.selected = (self.selected + 1).min(self.list.len() - 1);
                }
            }
        }
        moved
    }

    /// Moves the selection `delta` rows, within the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.list.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize)
            .saturating_add(delta)
            .clamp(0, last) as usize;
    }
}
