//! [`Pacer`]: one action's requests spaced at the rate in force, which a 429 cuts and a quiet
//! spell raises back to the configured ceiling.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::window::{Measure, Window};

/// A learned rate is raised after this long without a 429 (additive increase), and after at
/// least [`QUIET_REQUESTS`] requests' time at the rate: when the service counts over a minute,
/// or the window is not known (a rate taken up from the ledger).
pub(super) const QUIET_SPELL: Duration = Duration::from_secs(60);

/// The quiet spell after a cut for a limit a second: such a 429 at the ceiling is mostly
/// requests bunched on their way, and a minute at the cut rate would cost a run of a few
/// hundred requests more than the 429 did.
pub(super) const QUIET_SPELL_SECOND: Duration = Duration::from_secs(5);

/// The quiet spell lasts at least this many requests at the rate in force.
const QUIET_REQUESTS: f64 = 20.0;

/// Each raise adds this fraction of the rate learned at the last cut.
pub(super) const RAISE_STEP: f64 = 0.05;

/// A cut keeps this fraction of the rate measured when the 429 came, or of the rate in force.
pub(super) const CUT_MARGIN: f64 = 0.95;

/// A cut with nothing measured halves the rate (multiplicative decrease).
const CUT_FACTOR: f64 = 0.5;

/// The slowest rate a cut goes down to: one request every ten minutes.
pub(super) const FLOOR_PER_SECOND: f64 = 1.0 / 600.0;

/// What a pacer's schedule holds.
#[derive(Debug)]
struct Schedule {
    /// Requests a second in force.
    rate: f64,
    /// The theoretical arrival time of the next request (GCRA).
    tat: Option<Instant>,
    /// The slots reserved last, oldest first: no one-second window holds more than allowed.
    recent: VecDeque<Instant>,
    /// Nothing is sent before this (a `Retry-After`).
    hold: Option<Instant>,
    /// Requests sent in the last minute and not refused with a 429 (answered, or still
    /// awaiting their answer), oldest first: what a cut measures.
    answered: VecDeque<Instant>,
    /// The last cut or raise.
    changed: Option<Instant>,
    /// How long without a 429 before the next raise.
    quiet: Duration,
    /// The rate set by the last cut (raises add a fraction of it).
    cut_to: f64,
    /// Bumped by every cut: a slot reserved before it is reserved again.
    pub(super) epoch: u64,
}

/// Spaces requests of one action at the rate in force, in reservation order, and learns.
///
/// Admission follows the generic cell-rate algorithm with a burst of a few requests into an idle
/// second, and besides keeps the last slots so that no one-second window ever holds more than
/// the limit (see [`Window`]). Each slot is reserved after the previous *slot*, so timer
/// lateness is not lost. A 429 cuts the rate (see [`Pacer::cut`]); after a quiet spell the
/// rate creeps back up to the ceiling.
#[derive(Debug)]
pub(super) struct Pacer {
    /// The configured rate (requests a second): nothing is ever sent faster.
    pub(super) ceiling: f64,
    schedule: Mutex<Schedule>,
}

/// A rate change a pacer made, for the account's record.
pub(super) type Learned = Option<f64>;

/// The slot a request was sent in, and the pacer's epoch then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    /// When the slot started.
    pub(crate) at: Instant,
    pub(super) epoch: u64,
}

impl Pacer {
    pub(super) fn new(ceiling: f64) -> Self {
        Pacer {
            ceiling,
            schedule: Mutex::new(Schedule {
                rate: ceiling,
                tat: None,
                recent: VecDeque::new(),
                hold: None,
                answered: VecDeque::new(),
                changed: None,
                quiet: QUIET_SPELL,
                cut_to: ceiling,
                epoch: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Schedule> {
        self.schedule.lock().expect("pacer lock is never poisoned")
    }

    /// The rate in force, requests a second.
    pub(super) fn rate(&self) -> f64 {
        self.lock().rate
    }

    /// Starts from `rate` (one learned before), never above the ceiling.
    pub(super) fn start_at(&self, rate: f64) {
        let mut s = self.lock();
        s.rate = rate.clamp(FLOOR_PER_SECOND, self.ceiling);
        s.cut_to = s.rate;
        // A rate learned before creeps back after a quiet spell, as one learned now would.
        if s.rate < self.ceiling {
            s.changed = Some(Instant::now());
        }
    }

    /// Reserves the next free slot: when it starts, the epoch it belongs to, and a raise of
    /// the rate made on the way.
    pub(super) fn reserve(&self) -> (Instant, u64, Learned) {
        let now = Instant::now();
        let mut s = self.lock();
        let raised = self.raise_if_quiet(&mut s, now);
        let period = Duration::from_secs_f64(1.0 / s.rate);
        let window = Window::at(s.rate, period);
        let conforming = s.tat.map_or(now, |tat| {
            tat.checked_sub(window.tolerance).unwrap_or(tat).max(now)
        });
        let mut slot = conforming;
        if let Some(&last) = s.recent.back() {
            slot = slot.max(last);
        }
        if s.recent.len() >= window.most {
            slot = slot.max(s.recent[s.recent.len() - window.most] + window.length);
        }
        if let Some(hold) = s.hold {
            slot = slot.max(hold);
        }
        // A slot the window or a hold moved later starts an even spacing: no burst bunches
        // behind it (a burst a second after a burst meets a service counting a sliding second
        // with its arrivals a few ms apart).
        let theoretical = if slot > conforming {
            slot + window.tolerance
        } else {
            s.tat.map_or(slot, |tat| tat.max(slot))
        };
        s.tat = Some(theoretical + period);
        s.recent.push_back(slot);
        while s.recent.len() > window.most {
            s.recent.pop_front();
        }
        (slot, s.epoch, raised)
    }

    /// Raises the rate by a step after a quiet spell since the last change (additive increase).
    fn raise_if_quiet(&self, s: &mut Schedule, now: Instant) -> Learned {
        let since = s.changed?;
        let quiet = s
            .quiet
            .max(Duration::from_secs_f64(QUIET_REQUESTS / s.rate));
        if s.rate >= self.ceiling || now.duration_since(since) < quiet {
            return None;
        }
        s.rate = (s.rate + s.cut_to * RAISE_STEP).min(self.ceiling);
        s.changed = Some(now);
        Some(s.rate)
    }

    /// Whether a slot of `epoch` still stands (no cut since).
    pub(super) fn stands(&self, epoch: u64) -> bool {
        self.lock().epoch == epoch
    }

    /// Notes a request sent at `sent`: it counts as let through until a 429 answers it.
    pub(super) fn sent(&self, sent: Instant) {
        let mut s = self.lock();
        s.answered.push_back(sent);
        trim_minute(&mut s.answered, Instant::now());
    }

    /// A 429 answered the request sent at `sent`: it was not let through.
    pub(super) fn refused(&self, sent: Instant) {
        let mut s = self.lock();
        if let Some(at) = s.answered.iter().rposition(|t| *t == sent) {
            s.answered.remove(at);
        }
    }

    /// A 429 answered the request `sent`: the rate is cut, unless a cut already came after that
    /// request was sent (one burst of 429s is one cut). A `Retry-After` holds every request
    /// until it has passed.
    ///
    /// What the service let through decides the cut (see [`Measure`]). The new rate is
    /// [`CUT_MARGIN`] of the measured rate, never above `CUT_MARGIN` of the rate in force (half
    /// of it when nothing was answered in the last minute). In a one-second window that holds
    /// fewer than half the rate, this client was not the cause (another client's requests, a
    /// passing refusal): the rate stays, so that stray 429s never wind it down. The slots
    /// reserved before the cut and not yet reached are reserved again at the new rate, and the
    /// quiet spell before a raise (a minute, or [`QUIET_SPELL_SECOND`] for a limit a second)
    /// starts when sending may start again.
    pub(super) fn cut(&self, sent: Sent, retry_after: Option<Duration>) -> Learned {
        let now = Instant::now();
        let mut s = self.lock();
        if let Some(wait) = retry_after {
            s.hold = Some(s.hold.map_or(now + wait, |h| h.max(now + wait)));
        }
        if sent.epoch != s.epoch {
            return None;
        }
        trim_minute(&mut s.answered, now);
        let measure = Measure::of(&s.answered, s.changed, now, retry_after);
        if let Some(free) = measure.free {
            s.hold = Some(s.hold.map_or(free, |h| h.max(free)));
        }
        let rate = match measure.rate {
            _ if !measure.per_minute && measure.last_second < s.rate * CUT_FACTOR => return None,
            m if m > 0.0 => m.min(s.rate) * CUT_MARGIN,
            _ => s.rate * CUT_FACTOR,
        };
        s.rate = rate.clamp(FLOOR_PER_SECOND, self.ceiling);
        s.cut_to = s.rate;
        s.quiet = if measure.per_minute {
            QUIET_SPELL
        } else {
            QUIET_SPELL_SECOND
        };
        s.epoch += 1;
        s.tat = None;
        s.recent.retain(|slot| *slot <= now);
        // No burst after a cut: the next request waits a period at the new rate.
        let next = now + Duration::from_secs_f64(1.0 / s.rate);
        let resume = s.hold.map_or(next, |h| h.max(next));
        s.hold = Some(resume);
        s.changed = Some(resume);
        Some(s.rate)
    }
}

/// Drops the times more than a minute before `now`.
fn trim_minute(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::time::Instant;

    use super::super::window::tests::most_in;
    use super::super::{LimitConfig, Limits};
    use crate::api::model::Action;

    /// A service that lets `limit` requests through in any `window` (the emulator's throttle)
    /// answering `n` requests sent one after another through `limits`; `retry_after` says
    /// whether its 429s carry the wait. Returns the send times of the answered requests and the
    /// 429s met.
    async fn serve(
        limits: &Limits,
        (limit, window): (u32, Duration),
        n: usize,
        retry_after: bool,
    ) -> (Vec<Instant>, u64) {
        let mut service = crate::emulator::throttle::Throttle::default();
        let mut answered = Vec::new();
        while answered.len() < n {
            let sent = limits.admit(Action::CreateAsset).await;
            match service.admit(0, Action::CreateAsset, (limit, window), Instant::now()) {
                Ok(()) => answered.push(sent.at),
                Err(wait) => {
                    let wait =
                        retry_after.then(|| Duration::from_secs(wait.as_secs_f64().ceil() as u64));
                    limits.throttled_at(Action::CreateAsset, sent, wait, true);
                }
            }
        }
        (answered, limits.throttled())
    }

    #[tokio::test(start_paused = true)]
    async fn an_untold_entry_account_is_learned_within_a_few_429s_with_or_without_retry_after() {
        for retry_after in [true, false] {
            let limits = Limits::default();
            let (sent, throttled) =
                serve(&limits, (3, Duration::from_secs(60)), 12, retry_after).await;
            assert!(
                throttled <= 3,
                "{throttled} 429s (Retry-After {retry_after})"
            );
            let per_minute = limits.per_minute(Action::CreateAsset);
            assert!(
                (2.5..=3.0).contains(&per_minute),
                "learned {per_minute} a minute (Retry-After {retry_after})"
            );
            // Once learned, the rate holds: the last 8 creates met no 429.
            let before = limits.throttled();
            serve(&limits, (3, Duration::from_secs(60)), 8, retry_after).await;
            assert_eq!(limits.throttled(), before, "429s after learning");
            assert!(most_in(&sent, Duration::from_secs(60)) <= 3);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_configured_rate_is_never_exceeded_and_meets_no_429() {
        let limits = Limits::new(LimitConfig {
            create_per_minute: Some(3.0),
            ..LimitConfig::default()
        });
        let start = Instant::now();
        let (sent, throttled) = serve(&limits, (3, Duration::from_secs(60)), 6, true).await;
        assert_eq!(throttled, 0);
        assert!(most_in(&sent, Duration::from_secs(60)) <= 3);
        // 6 creates at 3 × 0.98 a minute: the last one about 102 s after the first.
        let last = sent.last().unwrap().duration_since(start);
        assert!(
            last >= Duration::from_secs(100) && last < Duration::from_secs(105),
            "{last:?}"
        );
    }
}
