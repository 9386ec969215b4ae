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
    pub fn hurry(&mut self) {
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
