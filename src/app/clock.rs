//! The UI's clock: ticks, and the status poller's schedule in ticks.

use std::time::Duration;

use crate::catalog::poll::{POLL_EVERY, POLL_MAX, Schedule};

/// Ticks per second of the UI clock (spinner, toasts, polling).
pub const TICKS_PER_SECOND: u64 = 4;

/// The status poller's schedule, on the UI's clock ([`Schedule`]'s
/// intervals in ticks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    /// Ticks between polls now.
    pub interval: u64,
    /// Tick of the next poll.
    pub next_at: u64,
    /// A poll is in flight.
    pub in_flight: bool,
    /// The schedule every wait follows.
    pub pace: Schedule,
}

/// `d` in ticks, rounded up.
const fn ticks(d: Duration) -> u64 {
    (d.as_millis() as u64 * TICKS_PER_SECOND).div_ceil(1000)
}

/// Fastest polling, in ticks.
pub const POLL_MIN_TICKS: u64 = ticks(POLL_EVERY);
/// Slowest polling when nothing changes, in ticks.
pub const POLL_MAX_TICKS: u64 = ticks(POLL_MAX);

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            interval: POLL_MIN_TICKS,
            next_at: 0,
            in_flight: false,
            pace: Default::default(),
        }
    }
}

impl PollSchedule {
    /// Something of ours changed the assets: poll at the fastest again.
    pub(crate) fn hurry(&mut self) {
        self.pace = Default::default();
        self.interval = POLL_MIN_TICKS;
    }

    /// A poll answered at `tick`: `Some(changed)`, or `None` when it failed.
    pub fn answered(&mut self, tick: u64, changed: Option<bool>) {
        let wait = match changed {
            Some(changed) => self.pace.polled(changed),
            None => self.pace.failed(),
        };
        self.interval = ticks(wait);
        self.next_at = tick + self.interval;
    }
}

/// The Seedance tasks' poll on the UI's clock: a round every [`TaskPoll::every`] while a task
/// moves, doubling up to [`TaskPoll::most`] while none does (or a round fails). One round reads
/// every unfinished task at once, so no task is polled more often than the interval.
///
/// [`TaskPoll::every`]: crate::catalog::tasks::TaskPoll
/// [`TaskPoll::most`]: crate::catalog::tasks::TaskPoll
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSchedule {
    /// Ticks between rounds now.
    pub interval: u64,
    /// Tick of the next round.
    pub next_at: u64,
    /// A round is in flight.
    pub in_flight: bool,
    every: u64,
    most: u64,
}

impl Default for TaskSchedule {
    fn default() -> Self {
        TaskSchedule::new(crate::catalog::tasks::TaskPoll::every_seconds(10))
    }
}

impl TaskSchedule {
    /// Rounds as `poll` says.
    pub fn new(poll: crate::catalog::tasks::TaskPoll) -> Self {
        let every = ticks(poll.every).max(1);
        TaskSchedule {
            interval: every,
            next_at: 0,
            in_flight: false,
            every,
            most: ticks(poll.most).max(every),
        }
    }

    /// The fastest rounds, the next one an interval from `tick` (a task was just created).
    pub(crate) fn hurry(&mut self, tick: u64) {
        self.interval = self.every;
        self.next_at = tick + self.every;
    }

    /// Whether a round is due at `tick`.
    pub fn due(&self, tick: u64) -> bool {
        !self.in_flight && tick >= self.next_at
    }

    /// A round answered at `tick`: `Some(moved)`, or `None` when it failed.
    pub fn answered(&mut self, tick: u64, moved: Option<bool>) {
        self.in_flight = false;
        self.interval = match moved {
            Some(true) => self.every,
            _ => (self.interval * 2).min(self.most),
        };
        self.next_at = tick + self.interval;
    }
}
