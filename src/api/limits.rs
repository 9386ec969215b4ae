//! Client-side limits: per-action request rate, concurrent creations, and the retry policy.
//!
//! Every request of the client passes [`Limits::admit`], so no caller can exceed the service's
//! 30/100 QPS per action or its 30 concurrent creations, however many tasks share the client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::model::Action;

/// Most asset creations the service processes at once per account.
pub const MAX_CONCURRENT_CREATIONS: usize = 30;

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
    /// Creations allowed in flight at once.
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
    creations: Arc<Semaphore>,
    retry: RetryPolicy,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitConfig::default())
    }
}

/// What [`Limits::admit`] hands out: hold it for as long as the request is in flight.
#[derive(Debug)]
pub struct Admission {
    _creation: Option<OwnedSemaphorePermit>,
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
            creations: Arc::new(Semaphore::new(config.max_creations.max(1))),
            retry: config.retry,
        }
    }

    /// The retry policy requests follow.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Waits until `action` may be sent: a creation slot first (for creates), then a rate slot.
    pub async fn admit(&self, action: Action) -> Admission {
        let creation = if action == Action::CreateAsset {
            Some(
                self.creations
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("the creation semaphore is never closed"),
            )
        } else {
            None
        };
        let pacer = &self
            .pacers
            .iter()
            .find(|(a, _)| *a == action)
            .expect("every action has a pacer")
            .1;
        tokio::time::sleep_until(pacer.reserve()).await;
        Admission {
            _creation: creation,
        }
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
    async fn the_31st_concurrent_creation_waits_for_a_slot() {
        let limits = Arc::new(Limits::default());
        let mut held = Vec::new();
        for _ in 0..30 {
            held.push(limits.admit(Action::CreateAsset).await);
        }
        let waiting = tokio::spawn({
            let limits = limits.clone();
            async move { limits.admit(Action::CreateAsset).await }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(
            !waiting.is_finished(),
            "31st creation admitted while 30 in flight"
        );
        held.pop();
        tokio::time::timeout(Duration::from_secs(1), waiting)
            .await
            .expect("admitted once a slot frees")
            .unwrap();
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
