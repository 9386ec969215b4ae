//! Client-side limits: per-action request rate, assets Processing, and the retry policy.
//!
//! Every request of the client passes [`Limits::admit`] and every CreateAsset takes a
//! [`CreationSlots`] slot, so no caller can exceed the service's 30/100 QPS per action or its 30
//! assets Processing, however many tasks share the client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::model::Action;

/// Most assets the service lets an account have Processing at once.
pub(crate) const MAX_CONCURRENT_CREATIONS: usize = 30;

/// Spaces requests of one action at least `period` apart, in reservation order.
///
/// Each admission reserves the slot `period` after the previous *slot* (not after the moment the
/// previous caller woke up), so timer lateness is not lost and the long-run rate is exactly
/// `1 / period`; as there is no burst, no one-second window ever holds more than
/// `1 s / period` requests.
#[derive(Debug)]
struct Pacer {
    period: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    fn new(period: Duration) -> Self {
        Pacer {
            period,
            next: Mutex::new(None),
        }
    }

    /// Reserves the next free slot and returns when it starts.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut next = self.next.lock().expect("pacer lock is never poisoned");
        let slot = next.map_or(now, |n| n.max(now));
        *next = Some(slot + self.period);
        slot
    }
}

/// How failed requests are retried.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry (doubled each time, with jitter).
    pub base_delay: Duration,
    /// Longest delay between two attempts, Retry-After included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Delay before attempt `attempt + 1` after `attempt` failed (1-based).
    ///
    /// A server's `Retry-After` is honoured (plus up to 10% jitter so that many clients do not
    /// return at the same instant); otherwise exponential backoff with "equal jitter": half the
    /// exponential delay fixed, half random.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let mut rng = rand::rng();
        let delay = match retry_after {
            Some(wait) => wait + wait.mul_f64(rng.random_range(0.0..0.1)),
            None => {
                let exp = self
                    .base_delay
                    .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
                let exp = exp.min(self.max_delay);
                exp / 2 + exp.mul_f64(rng.random_range(0.0..0.5))
            }
        };
        delay.min(self.max_delay)
    }
}

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
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            rate_fraction: 0.98,
            max_creations: MAX_CONCURRENT_CREATIONS,
            retry: RetryPolicy::default(),
        }
    }
}

/// The limits one account's requests share.
#[derive(Debug)]
pub struct Limits {
    pacers: Vec<(Action, Pacer)>,
    creations: CreationSlots,
    retry: RetryPolicy,
}

/// Slots for assets being created: one is taken before a CreateAsset is sent and kept, under the
/// new asset's id, until the client sees the asset leave Processing, so that this client never
/// has more than the service's limit of assets Processing at once.
#[derive(Debug)]
pub struct CreationSlots {
    semaphore: Arc<Semaphore>,
    held: Mutex<HashMap<String, (OwnedSemaphorePermit, Instant)>>,
}

/// A slot taken for one creation.
#[derive(Debug)]
pub(crate) struct Slot(OwnedSemaphorePermit);

impl CreationSlots {
    /// `capacity` slots.
    pub fn new(capacity: usize) -> Self {
        CreationSlots {
            semaphore: Arc::new(Semaphore::new(capacity.max(1))),
            held: Mutex::new(HashMap::new()),
        }
    }

    /// A free slot, if any.
    pub(crate) fn try_take(&self) -> Option<Slot> {
        self.semaphore.clone().try_acquire_owned().ok().map(Slot)
    }

    /// Waits up to `wait` for a slot.
    pub(crate) async fn take_within(&self, wait: Duration) -> Option<Slot> {
        let acquire = self.semaphore.clone().acquire_owned();
        match tokio::time::timeout(wait, acquire).await {
            Ok(permit) => Some(Slot(
                permit.expect("the creation semaphore is never closed"),
            )),
            Err(_) => None,
        }
    }

    /// Keeps `slot` taken while asset `id` is Processing.
    pub(crate) fn hold(&self, id: &str, slot: Slot) {
        self.held
            .lock()
            .expect("slots lock")
            .insert(id.to_owned(), (slot.0, Instant::now()));
    }

    /// Frees the slot of `id` when `still_processing` is false.
    pub(crate) fn observe(&self, id: &str, still_processing: bool) {
        if !still_processing {
            self.held.lock().expect("slots lock").remove(id);
        }
    }

    /// Ids whose slots are held.
    pub fn held(&self) -> Vec<String> {
        self.held
            .lock()
            .expect("slots lock")
            .keys()
            .cloned()
            .collect()
    }

    /// Frees slots held longer than `age` (an asset whose end was never observed).
    pub(crate) fn expire(&self, age: Duration) {
        self.held
            .lock()
            .expect("slots lock")
            .retain(|_, (_, since)| since.elapsed() < age);
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitConfig::default())
    }
}

impl Limits {
    /// Limits at the service's documented rates, scaled by `config.rate_fraction`.
    pub fn new(config: LimitConfig) -> Self {
        let pacers = Action::ALL
            .into_iter()
            .map(|action| {
                let qps = f64::from(action.qps()) * config.rate_fraction.clamp(0.01, 1.0);
                (action, Pacer::new(Duration::from_secs_f64(1.0 / qps)))
            })
            .collect();
        Limits {
            pacers,
            creations: CreationSlots::new(config.max_creations),
            retry: config.retry,
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

    /// Waits until `action` may be sent at its rate.
    pub(crate) async fn admit(&self, action: Action) {
        let pacer = &self
            .pacers
            .iter()
            .find(|(a, _)| *a == action)
            .expect("every action has a pacer")
            .1;
        tokio::time::sleep_until(pacer.reserve()).await;
    }
}

#[cfg(test)]
mod tests {
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

    #[tokio::test(start_paused = true)]
    async fn the_31st_creation_waits_until_one_leaves_processing() {
        let limits = Arc::new(Limits::default());
        let slots = limits.creations();
        for i in 0..30 {
            let slot = slots.try_take().expect("30 slots");
            slots.hold(&format!("asset-{i}"), slot);
        }
        assert!(
            slots.try_take().is_none(),
            "31st creation admitted while 30 Processing"
        );
        assert!(slots.take_within(Duration::from_secs(5)).await.is_none());
        slots.observe("asset-3", true);
        assert!(slots.try_take().is_none(), "still Processing frees nothing");
        let waiting = tokio::spawn({
            let limits = limits.clone();
            async move {
                limits
                    .creations()
                    .take_within(Duration::from_secs(60))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        slots.observe("asset-3", false);
        assert!(
            waiting.await.unwrap().is_some(),
            "freed when it left Processing"
        );
        assert_eq!(slots.held().len(), 29);
        tokio::time::sleep(Duration::from_secs(3600)).await;
        slots.expire(Duration::from_secs(900));
        assert!(slots.held().is_empty(), "slots never seen finishing expire");
    }

    #[test]
    fn backoff_grows_with_jitter_and_honours_retry_after() {
        let policy = RetryPolicy::default();
        for attempt in 1..=4 {
            let exp = policy.base_delay * (1 << (attempt - 1));
            let d = policy.delay(attempt, None);
            assert!(
                d >= exp / 2 && d <= exp,
                "attempt {attempt}: {d:?} vs {exp:?}"
            );
        }
        assert!(policy.delay(30, None) <= policy.max_delay);
        let d = policy.delay(1, Some(Duration::from_secs(3)));
        assert!(d >= Duration::from_secs(3) && d <= Duration::from_millis(3300));
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(600))),
            policy.max_delay
        );
    }
}
