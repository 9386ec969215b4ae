//! Server-side rate limits: requests per account and action in any one window (a second, or a
//! minute for a tier's CreateAsset).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

use crate::api::model::Action;

/// The window the per-second limits count over.
pub(crate) const SECOND: Duration = Duration::from_secs(1);

/// The window a tier's per-minute limit counts over.
pub(crate) const MINUTE: Duration = Duration::from_secs(60);

/// Sliding windows of admitted requests, per (account, action).
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    windows: HashMap<(usize, Action), VecDeque<Instant>>,
    /// Requests refused so far.
    pub rejected: u64,
}

impl Throttle {
    /// Admits a request at `now` if fewer than `limit` were admitted in the `window` before it.
    /// Returns how long until a slot frees when refused.
    pub(crate) fn admit(
        &mut self,
        account: usize,
        action: Action,
        (limit, window_length): (u32, Duration),
        now: Instant,
    ) -> Result<(), Duration> {
        let window = self.windows.entry((account, action)).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window_length)
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            self.rejected += 1;
            let oldest = *window.front().expect("window is full");
            return Err(window_length - now.duration_since(oldest));
        }
        window.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_per_second_then_refused_until_the_window_moves() {
        let mut t = Throttle::default();
        let start = Instant::now();
        for i in 0..30 {
            t.admit(
                0,
                Action::CreateAsset,
                (30, SECOND),
                start + Duration::from_millis(i),
            )
            .unwrap();
        }
        let wait = t
            .admit(
                0,
                Action::CreateAsset,
                (30, SECOND),
                start + Duration::from_millis(500),
            )
            .unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert!(
            t.admit(0, Action::GetAsset, (100, SECOND), start).is_ok(),
            "actions have separate budgets"
        );
        assert!(
            t.admit(1, Action::CreateAsset, (30, SECOND), start).is_ok(),
            "accounts have separate budgets"
        );
        assert!(
            t.admit(
                0,
                Action::CreateAsset,
                (30, SECOND),
                start + Duration::from_millis(1000)
            )
            .is_ok()
        );
        assert_eq!(t.rejected, 1);
    }

    #[test]
    fn a_per_minute_limit_counts_over_a_minute() {
        let mut t = Throttle::default();
        let start = Instant::now();
        for i in 0..3 {
            t.admit(
                0,
                Action::CreateAsset,
                (3, MINUTE),
                start + Duration::from_secs(i),
            )
            .unwrap();
        }
        let wait = t
            .admit(
                0,
                Action::CreateAsset,
                (3, MINUTE),
                start + Duration::from_secs(30),
            )
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(30));
        assert!(
            t.admit(0, Action::CreateAsset, (3, MINUTE), start + MINUTE)
                .is_ok()
        );
    }
}
