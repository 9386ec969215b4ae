//! The windows a pacer counts in: [`Window`], the slots one second holds at a rate and the
//! burst let into an idle one; [`Measure`], what a 429 says of the window the service counts
//! over and of the rate it let through.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Most requests let through at once into an idle second (never more than the limit allows in
/// any one-second window): half the domestic 30 a second, so that the 20 pages of a group of
/// 2,000 are read in a third of a second, not two thirds, while the rest of the second stays
/// spaced.
pub(super) const MAX_BURST: usize = 15;

/// The most a second's cap of whole requests may slow a rate (see [`Window::most`]).
const MOST_SLOWED: f64 = 0.05;

/// The window a pacer keeps its slots in at one rate, and the burst it lets into it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window {
    /// Most slots in one window: the whole requests a second the rate allows, a request of
    /// margin under the service's limit, unless that slows the rate by more than
    /// [`MOST_SLOWED`] (a rate of a few a second: 1.96 would go at one a second); then the
    /// rate rounded up, what an even spacing at the rate puts in one second (the rate is at
    /// most a fraction of the service's whole limit, so never more than the limit).
    pub(super) most: usize,
    /// Its length: a second, or the time `most` periods take when longer (so that an even
    /// spacing at the rate is never held back).
    pub(super) length: Duration,
    /// How far ahead of the rate a slot may be: a burst of the whole requests a second the
    /// rate allows, at most [`MAX_BURST`] (none below 2 a second).
    pub(super) tolerance: Duration,
}

impl Window {
    /// The window at `rate` requests a second, one every `period`.
    pub(super) fn at(rate: f64, period: Duration) -> Window {
        let whole = (rate + 1e-9).floor();
        let most = if whole >= rate * (1.0 - MOST_SLOWED) {
            whole as usize
        } else {
            (rate - 1e-9).ceil() as usize
        }
        .max(1);
        let burst = (whole as usize).clamp(1, MAX_BURST);
        Window {
            most,
            length: (period * most as u32).max(Duration::from_secs(1)),
            tolerance: period * (burst as u32 - 1),
        }
    }
}

/// What a 429 tells of the service's limit, from what it let through, by the window it seems
/// to count over: a minute when it asked to wait more than a second, or when it sent no
/// `Retry-After` and nothing was answered in the last second (a per-minute limit); else a
/// second.
#[derive(Debug)]
pub(super) struct Measure {
    /// Whether the window is a minute.
    pub(super) per_minute: bool,
    /// Requests a second let through: a minute's answers over 60; or the most answered in any
    /// one second since the last change of rate (a 429 of a per-minute limit about to free
    /// asks to wait a second, and the last second alone may hold fewer than the rate).
    pub(super) rate: f64,
    /// Answers in the last second.
    pub(super) last_second: f64,
    /// When the oldest answer of the window leaves it: the next request waits until then.
    pub(super) free: Option<Instant>,
}

impl Measure {
    /// What the requests `answered` (sent in the last minute and let through, oldest first)
    /// say at `now` of a 429 that asked to wait `retry_after`; `changed` is the last change of
    /// rate.
    pub(super) fn of(
        answered: &VecDeque<Instant>,
        changed: Option<Instant>,
        now: Instant,
        retry_after: Option<Duration>,
    ) -> Measure {
        let second = Duration::from_secs(1);
        let recent = answered
            .iter()
            .filter(|t| now.duration_since(**t) < second)
            .count();
        let per_minute = match retry_after {
            Some(wait) => wait > second,
            None => recent == 0,
        };
        if per_minute {
            return Measure {
                per_minute,
                rate: answered.len() as f64 / 60.0,
                last_second: recent as f64,
                free: answered.front().map(|t| *t + Duration::from_secs(60)),
            };
        }
        let since: Vec<Instant> = answered
            .iter()
            .copied()
            .filter(|t| changed.is_none_or(|c| *t >= c))
            .collect();
        let most = (0..since.len())
            .map(|i| {
                since[i..]
                    .iter()
                    .take_while(|t| **t - since[i] < second)
                    .count()
            })
            .max()
            .unwrap_or(0)
            .max(recent);
        Measure {
            per_minute,
            rate: most as f64,
            last_second: recent as f64,
            free: answered.get(answered.len() - recent).map(|t| *t + second),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::time::Instant;

    use super::super::pacer::CUT_MARGIN;
    use super::super::{LimitConfig, Limits};
    use crate::api::model::Action;

    /// The most of `times` in any window of `window`.
    pub(in crate::api::limits) fn most_in(times: &[Instant], window: Duration) -> usize {
        let mut times = times.to_vec();
        times.sort();
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|u| u.duration_since(times[i]) < window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_into_an_idle_second_and_no_second_holds_more_than_the_limit() {
        let limits = Limits::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..4 {
            times.push(limits.admit(Action::ListAssetGroups).await.at);
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "a burst of 4 at once");
        for _ in 0..200 {
            times.push(limits.admit(Action::ListAssetGroups).await.at);
        }
        let limit = Action::ListAssetGroups.qps() as usize;
        // A request of margin under the limit at 29.4 a second.
        assert!(most_in(&times, Duration::from_secs(1)) < limit);
        // Idle again: the next burst goes at once.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let idle = Instant::now();
        for _ in 0..4 {
            limits.admit(Action::ListAssetGroups).await;
        }
        assert_eq!(idle.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_under_a_few_a_second_is_spaced_evenly_and_no_minute_holds_more_than_the_tier() {
        // The advanced tier: 120 a minute, paced at 117.6 (2 a second less the margin).
        let limits = Limits::new(LimitConfig {
            create_per_minute: Some(120.0),
            ..LimitConfig::default()
        });
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..300 {
            times.push(limits.admit(Action::CreateAsset).await.at);
        }
        // The 40th 39 periods after the first (not one a second: 39 s).
        let fortieth = times[39].duration_since(start).as_secs_f64();
        let periods = 39.0 * 60.0 / (120.0 * 0.98);
        assert!(
            (fortieth - periods).abs() < 0.01,
            "{fortieth} s vs {periods} s"
        );
        assert!(most_in(&times, Duration::from_secs(60)) <= 118);
        assert!(most_in(&times, Duration::from_secs(1)) <= 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Calls of one action at a service limit of `limit` a second, at a fraction of it, in
        /// groups sent at once after a pause: no sliding second holds more than the limit, and
        /// each group after an idle spell (2 s or more) starts with a burst at once.
        #[test]
        fn no_second_holds_more_than_the_limit_and_an_idle_one_takes_a_burst(
            limit in 1u32..=100,
            fraction in 0.5f64..=1.0,
            groups in proptest::collection::vec((0u64..3000, 1usize..40), 1..8),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let limits = Arc::new(Limits::new(LimitConfig {
                rate_fraction: fraction,
                create_per_minute: Some(f64::from(limit) * 60.0),
                ..LimitConfig::default()
            }));
            let rate = limits.per_minute(Action::CreateAsset) / 60.0;
            let burst = ((rate + 1e-9).floor() as usize).clamp(1, super::MAX_BURST);
            let times = runtime.block_on(async {
                let mut times = Vec::new();
                for (i, (pause, count)) in groups.iter().enumerate() {
                    tokio::time::sleep(Duration::from_millis(*pause)).await;
                    let idle = Instant::now();
                    let calls: Vec<_> = (0..*count)
                        .map(|_| {
                            let limits = limits.clone();
                            tokio::spawn(async move { limits.admit(Action::CreateAsset).await.at })
                        })
                        .collect();
                    let mut group = Vec::new();
                    for call in calls {
                        group.push(call.await.unwrap());
                    }
                    if i == 0 || *pause >= 2000 {
                        let at_once = group.iter().filter(|t| **t == idle).count();
                        assert_eq!(at_once, burst.min(*count), "group {i} at {rate}/s");
                    }
                    times.extend(group);
                }
                times
            });
            let most = most_in(&times, Duration::from_secs(1));
            proptest::prop_assert!(most <= limit as usize, "{most} in a second at {rate}/s");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn slots_reserved_ahead_before_a_cut_hold_no_place_after_it() {
        let limits = Arc::new(Limits::new(LimitConfig {
            create_per_minute: Some(120.0),
            ..LimitConfig::default()
        }));
        // 30 creates at 2 a second, 28 of them waiting their turn when the second meets a 429:
        // the last one's slot about 15 s ahead.
        limits.admit(Action::CreateAsset).await;
        let second = limits.admit(Action::CreateAsset).await;
        let waiting: Vec<_> = (0..28)
            .map(|_| {
                let limits = limits.clone();
                tokio::spawn(async move { limits.admit(Action::CreateAsset).await.at })
            })
            .collect();
        tokio::task::yield_now().await;
        let before = limits.per_minute(Action::CreateAsset);
        limits.throttled_at(
            Action::CreateAsset,
            second,
            Some(Duration::from_secs(1)),
            true,
        );
        assert!(limits.per_minute(Action::CreateAsset) < before, "a cut");
        let rate = limits.per_minute(Action::CreateAsset) / 60.0;
        let mut next = Vec::new();
        for slot in waiting {
            next.push(slot.await.unwrap());
        }
        next.sort();
        let resumed = next[0].duration_since(second.at);
        assert!(
            resumed <= Duration::from_secs_f64(1.0 + 1.0 / rate),
            "sending resumed {resumed:?} after the cut"
        );
        // And on at the new rate.
        let span = next[27].duration_since(next[0]).as_secs_f64();
        assert!((span - 27.0 / rate).abs() < 0.01, "{span} s at {rate}/s");
    }

    #[tokio::test(start_paused = true)]
    async fn a_per_minute_limit_about_to_free_is_measured_by_its_busiest_second_not_the_last() {
        // A minute's creates at 2 a second, then a 429 whose Retry-After says one second (the
        // per-minute window's oldest answer leaves it within a second).
        let limits = Limits::new(LimitConfig {
            create_per_minute: Some(120.0),
            ..LimitConfig::default()
        });
        let mut sent = limits.admit(Action::CreateAsset).await;
        for _ in 0..120 {
            sent = limits.admit(Action::CreateAsset).await;
        }
        limits.throttled_at(
            Action::CreateAsset,
            sent,
            Some(Duration::from_secs(1)),
            true,
        );
        let per_minute = limits.per_minute(Action::CreateAsset);
        // 2 let through in one second: 95% of the rate in force (not 95% of the one answer of
        // the last second, 57 a minute).
        let expected = 120.0 * 0.98 * CUT_MARGIN;
        assert!(
            (per_minute - expected).abs() < 1e-6,
            "cut to {per_minute} a minute"
        );
    }
}
