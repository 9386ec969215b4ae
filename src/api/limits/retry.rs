//! [`RetryPolicy`]: how many attempts, and the delay before each (backoff with jitter, or the
//! server's `Retry-After`).

use std::time::Duration;

use rand::Rng;

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

#[cfg(test)]
mod tests {
    use super::*;

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
