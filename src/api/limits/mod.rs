//! Client-side limits: per-action request rate, assets Processing, and the retry policy.
//!
//! Every request of the client passes [`Limits::admit`] and every CreateAsset takes a
//! [`CreationSlots`] slot, so no caller can exceed the service's 30/100 QPS per action or its 30
//! assets Processing, however many tasks share the client.

mod pacer;
#[cfg(test)]
mod pacer_tests;
mod retry;
mod slots;
mod tier;
mod window;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::model::Action;
use pacer::{FLOOR_PER_SECOND, Learned, Pacer};

pub(crate) use pacer::Sent;

pub use retry::RetryPolicy;
pub use slots::CreationSlots;
pub(crate) use slots::{MAX_CONCURRENT_CREATIONS, Slot};
pub use tier::{Quota, Tier};

/// Settings of [`Limits`].
#[derive(Debug, Clone, PartialEq)]
pub struct LimitConfig {
    /// Fraction of each action's documented QPS the client uses; below 1 leaves room for
    /// network jitter so that the service never sees more than its limit in any one-second window.
    pub rate_fraction: f64,
    /// This client's assets allowed Processing at once (each creation holds a slot until its
    /// asset is seen Active or Failed).
    pub max_creations: usize,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// CreateAsset requests a minute the account allows (its tier's, or the profile's
    /// `create_per_minute`); `None` is the domestic 30 a second.
    pub create_per_minute: Option<f64>,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            rate_fraction: 0.98,
            max_creations: MAX_CONCURRENT_CREATIONS,
            retry: RetryPolicy::default(),
            create_per_minute: None,
        }
    }
}

/// Told of every rate a [`Limits`] learns: the action, its ceiling and the new rate, both
/// requests a minute (the ledger keeps them per account).
pub(crate) type RateSink = Arc<dyn Fn(Action, f64, f64) + Send + Sync>;

/// The limits one account's requests share.
pub struct Limits {
    pacers: Vec<(Action, Pacer)>,
    creations: CreationSlots,
    retry: RetryPolicy,
    /// 429 answers met so far.
    throttled: AtomicU64,
    /// Where learned rates go.
    sink: Mutex<Option<RateSink>>,
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("pacers", &self.pacers)
            .field("throttled", &self.throttled)
            .finish_non_exhaustive()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitConfig::default())
    }
}

impl Limits {
    /// Limits at the service's documented rates (CreateAsset at `config.create_per_minute`
    /// when set), scaled by `config.rate_fraction`.
    pub fn new(config: LimitConfig) -> Self {
        let fraction = config.rate_fraction.clamp(0.01, 1.0);
        let pacers = Action::ALL
            .into_iter()
            .map(|action| {
                let per_second = match config.create_per_minute {
                    Some(per_minute) if action == Action::CreateAsset => per_minute / 60.0,
                    _ => f64::from(action.qps()),
                };
                let ceiling = (per_second * fraction).max(FLOOR_PER_SECOND);
                (action, Pacer::new(ceiling))
            })
            .collect();
        Limits {
            pacers,
            creations: CreationSlots::new(config.max_creations),
            retry: config.retry,
            throttled: AtomicU64::new(0),
            sink: Mutex::new(None),
        }
    }

    /// The retry policy requests follow.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The creation slots.
    pub fn creations(&self) -> &CreationSlots {
        &self.creations
    }

    fn pacer(&self, action: Action) -> &Pacer {
        &self
            .pacers
            .iter()
            .find(|(a, _)| *a == action)
            .expect("every action has a pacer")
            .1
    }

    /// Requests a minute `action` is sent at now.
    pub fn per_minute(&self, action: Action) -> f64 {
        self.pacer(action).rate() * 60.0
    }

    /// 429 answers met so far.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Starts `action` at `per_minute`, a rate learned before for the same ceiling (a rate
    /// learned under another ceiling is not used: the configuration changed since).
    pub(crate) fn start_from(&self, action: Action, ceiling_per_minute: f64, per_minute: f64) {
        let pacer = self.pacer(action);
        if (pacer.ceiling * 60.0 - ceiling_per_minute).abs() < 1e-6 && per_minute.is_finite() {
            pacer.start_at(per_minute / 60.0);
        }
    }

    /// Tells `sink` of every rate learned from now on.
    pub(crate) fn on_learn(&self, sink: RateSink) {
        *self.sink.lock().expect("sink lock") = Some(sink);
    }

    fn learned(&self, action: Action, rate: Learned) {
        let Some(rate) = rate else { return };
        tracing::info!(%action, per_minute = rate * 60.0, "rate learned");
        let sink = self.sink.lock().expect("sink lock").clone();
        if let Some(sink) = sink {
            sink(action, self.pacer(action).ceiling * 60.0, rate * 60.0);
        }
    }

    /// Waits until `action` may be sent at the rate in force; returns the slot it was sent in.
    /// A slot a cut overtook while waiting is reserved again at the new rate.
    pub(crate) async fn admit(&self, action: Action) -> Sent {
        let pacer = self.pacer(action);
        loop {
            let (slot, epoch, raised) = pacer.reserve();
            self.learned(action, raised);
            tokio::time::sleep_until(slot).await;
            if pacer.stands(epoch) {
                pacer.sent(slot);
                return Sent { at: slot, epoch };
            }
        }
    }

    /// The service answered the request of `action` `sent` with a 429: counted, and
    /// the action's rate cut for this account.
    /// A 429 that is not of the rate (`rate_limit` false: the assets Processing) is only
    /// counted.
    pub(crate) fn throttled_at(
        &self,
        action: Action,
        sent: Sent,
        retry_after: Option<Duration>,
        rate_limit: bool,
    ) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        self.pacer(action).refused(sent.at);
        if rate_limit {
            let cut = self.pacer(action).cut(sent, retry_after);
            self.learned(action, cut);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::time::Instant;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_31_creates_takes_at_least_a_second() {
        let limits = Arc::new(Limits::default());
        let start = Instant::now();
        let tasks: Vec<_> = (0..31)
            .map(|_| {
                let limits = limits.clone();
                tokio::spawn(async move {
                    limits.admit(Action::CreateAsset).await;
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        let last = times.iter().max().unwrap().duration_since(start);
        assert!(
            last >= Duration::from_secs(1),
            "31 creates admitted in {last:?}"
        );
        // Every one-second window holds at most 30 admissions.
        times.sort();
        for (i, t) in times.iter().enumerate() {
            let window = times[i..]
                .iter()
                .take_while(|u| u.duration_since(*t) < Duration::from_secs(1))
                .count();
            assert!(window <= 30, "{window} admissions within one second");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn gets_run_at_100_qps_and_actions_do_not_share_a_budget() {
        let limits = Limits::default();
        let start = Instant::now();
        for _ in 0..101 {
            limits.admit(Action::GetAsset).await;
        }
        let gets = start.elapsed();
        assert!(gets >= Duration::from_secs(1) && gets < Duration::from_millis(1100));
        let before = Instant::now();
        limits.admit(Action::ListAssets).await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }
}
