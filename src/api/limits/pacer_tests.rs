//! Tests of the pacer's cuts, raises, holds and the spacing of requests held back, on tokio's
//! paused clock (those against a service's throttle are in `pacer.rs`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::pacer::{CUT_MARGIN, QUIET_SPELL, QUIET_SPELL_SECOND, RAISE_STEP};
use super::window::MAX_BURST;
use super::{LimitConfig, Limits};
use crate::api::model::Action;

#[tokio::test(start_paused = true)]
async fn one_burst_of_429s_is_one_cut_and_slots_reserved_before_it_wait_again() {
    let limits = Arc::new(Limits::default());
    let ceiling = limits.per_minute(Action::CreateAsset);
    let first = limits.admit(Action::CreateAsset).await;
    let second = limits.admit(Action::CreateAsset).await;
    for _ in 2..MAX_BURST {
        limits.admit(Action::CreateAsset).await;
    }
    // One after the burst is waiting for its slot at the old rate when the 429s come.
    let waiting = tokio::spawn({
        let limits = limits.clone();
        async move { limits.admit(Action::CreateAsset).await }
    });
    tokio::task::yield_now().await;
    // A per-minute limit (Retry-After over a second): all the burst but the first was let
    // through.
    let wait = Some(Duration::from_secs(60));
    limits.throttled_at(Action::CreateAsset, first, wait, true);
    limits.throttled_at(Action::CreateAsset, second, wait, true);
    assert_eq!(limits.throttled(), 2);
    let cut = limits.per_minute(Action::CreateAsset);
    let let_through = (MAX_BURST - 1) as f64;
    assert!(
        (cut - let_through * CUT_MARGIN).abs() < 1e-9,
        "one cut: {cut}"
    );
    assert!(cut < ceiling);
    let after = waiting.await.unwrap();
    assert!(
        after.at.duration_since(second.at) >= Duration::from_secs(60),
        "the waiting slot kept the old rate"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cut_rate_creeps_back_after_quiet_spells_up_to_the_ceiling() {
    let limits = Limits::default();
    let ceiling = limits.per_minute(Action::CreateAsset);
    let sent = limits.admit(Action::CreateAsset).await;
    limits.throttled_at(Action::CreateAsset, sent, None, true);
    let cut = limits.per_minute(Action::CreateAsset);
    limits.admit(Action::CreateAsset).await;
    assert_eq!(
        limits.per_minute(Action::CreateAsset),
        cut,
        "not raised before a quiet spell"
    );
    tokio::time::sleep(QUIET_SPELL - Duration::from_secs(1)).await;
    limits.admit(Action::CreateAsset).await;
    assert_eq!(
        limits.per_minute(Action::CreateAsset),
        cut,
        "not raised before a quiet spell"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    limits.admit(Action::CreateAsset).await;
    let raised = limits.per_minute(Action::CreateAsset);
    assert!(
        (raised - cut * (1.0 + RAISE_STEP)).abs() < 1e-9,
        "{cut} → {raised}"
    );
    for _ in 0..40 {
        tokio::time::sleep(QUIET_SPELL).await;
        limits.admit(Action::CreateAsset).await;
    }
    assert_eq!(
        limits.per_minute(Action::CreateAsset),
        ceiling,
        "capped at the ceiling"
    );
}

#[tokio::test(start_paused = true)]
async fn a_cut_for_a_limit_a_second_creeps_back_within_seconds() {
    let limits = Limits::default();
    let ceiling = limits.per_minute(Action::CreateAsset);
    let mut last = limits.admit(Action::CreateAsset).await;
    // Past the first second's burst: the last second holds the rate's whole requests.
    for _ in 0..80 {
        last = limits.admit(Action::CreateAsset).await;
    }
    // Refused at the ceiling with a wait of a second: a limit a second.
    let wait = Some(Duration::from_secs(1));
    limits.throttled_at(Action::CreateAsset, last, wait, true);
    let cut = limits.per_minute(Action::CreateAsset);
    assert!(cut < ceiling, "{cut} of {ceiling}");
    let resumed = limits.admit(Action::CreateAsset).await.at;
    tokio::time::sleep_until(resumed + QUIET_SPELL_SECOND - Duration::from_millis(100)).await;
    limits.admit(Action::CreateAsset).await;
    assert_eq!(limits.per_minute(Action::CreateAsset), cut, "raised early");
    tokio::time::sleep_until(resumed + QUIET_SPELL_SECOND).await;
    limits.admit(Action::CreateAsset).await;
    let raised = limits.per_minute(Action::CreateAsset);
    assert!(
        (raised - cut * (1.0 + RAISE_STEP)).abs() < 1e-9,
        "{cut} → {raised}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_learned_rate_is_told_and_taken_up_again_only_under_the_same_ceiling() {
    let told = Arc::new(Mutex::new(Vec::new()));
    let limits = Limits::default();
    limits.on_learn({
        let told = told.clone();
        Arc::new(move |action, ceiling, rate| told.lock().unwrap().push((action, ceiling, rate)))
    });
    let sent = limits.admit(Action::CreateAsset).await;
    limits.throttled_at(Action::CreateAsset, sent, None, true);
    let (action, ceiling, rate) = told.lock().unwrap()[0];
    assert_eq!(
        (action, rate),
        (Action::CreateAsset, limits.per_minute(action))
    );
    let next = Limits::default();
    next.start_from(Action::CreateAsset, ceiling, rate);
    assert_eq!(next.per_minute(Action::CreateAsset), rate);
    // It creeps back after a quiet spell, as a rate learned in this run does.
    tokio::time::sleep(QUIET_SPELL).await;
    next.admit(Action::CreateAsset).await;
    assert!(
        next.per_minute(Action::CreateAsset) > rate,
        "raised after a quiet spell"
    );
    let configured = Limits::new(LimitConfig {
        create_per_minute: Some(120.0),
        ..LimitConfig::default()
    });
    configured.start_from(Action::CreateAsset, ceiling, rate);
    assert_eq!(
        configured.per_minute(Action::CreateAsset),
        120.0 * 0.98,
        "another ceiling"
    );
}

#[tokio::test(start_paused = true)]
async fn the_quiet_spell_before_a_raise_starts_when_a_retry_after_has_passed() {
    let limits = Limits::default();
    let sent = limits.admit(Action::CreateAsset).await;
    limits.throttled_at(
        Action::CreateAsset,
        sent,
        Some(Duration::from_secs(50)),
        true,
    );
    let cut = limits.per_minute(Action::CreateAsset);
    let resumed = limits.admit(Action::CreateAsset).await.at;
    assert!(resumed.duration_since(sent.at) >= Duration::from_secs(50));
    tokio::time::sleep_until(resumed + QUIET_SPELL - Duration::from_secs(1)).await;
    limits.admit(Action::CreateAsset).await;
    assert_eq!(
        limits.per_minute(Action::CreateAsset),
        cut,
        "raised while held"
    );
    tokio::time::sleep_until(resumed + QUIET_SPELL).await;
    limits.admit(Action::CreateAsset).await;
    assert!(
        limits.per_minute(Action::CreateAsset) > cut,
        "raised after the spell"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_holds_every_request_until_it_has_passed() {
    let limits = Limits::default();
    let sent = limits.admit(Action::GetAsset).await;
    limits.throttled_at(Action::GetAsset, sent, Some(Duration::from_secs(5)), true);
    let before = Instant::now();
    limits.admit(Action::GetAsset).await;
    assert!(before.elapsed() >= Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn requests_held_back_go_out_evenly_spaced_not_in_a_burst() {
    let limits = Limits::default();
    let sent = limits.admit(Action::GetAsset).await;
    limits.throttled_at(Action::GetAsset, sent, Some(Duration::from_secs(2)), true);
    let period = Duration::from_secs_f64(60.0 / limits.per_minute(Action::GetAsset));
    let admits = (0..6).map(|_| limits.admit(Action::GetAsset));
    let mut slots: Vec<Instant> = futures::future::join_all(admits)
        .await
        .into_iter()
        .map(|s| s.at)
        .collect();
    slots.sort();
    for pair in slots.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap + Duration::from_micros(1) >= period,
            "{gap:?} < {period:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_for_the_assets_processing_is_counted_but_cuts_nothing() {
    let limits = Limits::default();
    let ceiling = limits.per_minute(Action::CreateAsset);
    let sent = limits.admit(Action::CreateAsset).await;
    limits.throttled_at(Action::CreateAsset, sent, None, false);
    assert_eq!(
        (limits.throttled(), limits.per_minute(Action::CreateAsset)),
        (1, ceiling)
    );
}

#[tokio::test(start_paused = true)]
async fn stray_429s_while_sending_slowly_do_not_wind_the_rate_down() {
    let limits = Limits::default();
    let ceiling = limits.per_minute(Action::GetAsset);
    for i in 0..200 {
        let sent = limits.admit(Action::GetAsset).await;
        if i % 7 == 3 {
            limits.throttled_at(Action::GetAsset, sent, Some(Duration::from_secs(1)), true);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(limits.per_minute(Action::GetAsset), ceiling);
}
