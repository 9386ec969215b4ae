//! Client-side limits: per-action request rate, assets Processing, and the retry policy.
//!
//! Every request of the client passes [`Limits::admit`] and every CreateAsset takes a
//! [`CreationSlots`] slot, so no caller can exceed the service's 30/100 QPS per action or its 30
//! assets Processing, however many tasks share the client.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::model::Action;

/// Most assets the service lets an account have Processing at once.
pub(crate) const MAX_CONCURRENT_CREATIONS: usize = 30;

/// An account's tier of Advanced Creation Rights on BytePlus (spec section 13): it sets the
/// CreateAsset rate and, on Entry, the size of the account's library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// The free tier every new BytePlus user starts on: 3 creates a minute, 50 assets, 50 groups.
    Entry,
    /// 120 creates a minute.
    Advanced,
    /// 300 creates a minute.
    Premium,
}

/// The most assets and groups an account may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Assets in the account (virtual and real-person libraries together).
    pub assets: usize,
    /// Groups in the account.
    pub groups: usize,
}

impl Tier {
    /// Every tier, cheapest first.
    pub const ALL: [Tier; 3] = [Tier::Entry, Tier::Advanced, Tier::Premium];

    /// `entry`, `advanced` or `premium`.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Entry => "entry",
            Tier::Advanced => "advanced",
            Tier::Premium => "premium",
        }
    }

    /// The tier called `name`, or one line saying what the tiers are.
    pub fn parse(name: &str) -> Result<Tier, String> {
        Tier::ALL
            .into_iter()
            .find(|t| t.name() == name.trim())
            .ok_or_else(|| {
                format!(
                    "{:?} is not a tier; use entry, advanced or premium",
                    crate::text::visible(name)
                )
            })
    }

    /// CreateAsset requests a minute the tier allows.
    pub fn create_per_minute(self) -> u32 {
        match self {
            Tier::Entry => 3,
            Tier::Advanced => 120,
            Tier::Premium => 300,
        }
    }

    /// The account's quota, where the vendor publishes one (Entry only).
    pub fn quota(self) -> Option<Quota> {
        (self == Tier::Entry).then_some(Quota {
            assets: 50,
            groups: 50,
        })
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Most requests let through at once into an idle second (never more than the limit allows in
/// any one-second window).
const MAX_BURST: usize = 4;

/// A learned rate is raised after this long without a 429 (additive increase), and after at
/// least [`QUIET_REQUESTS`] requests' time at the rate.
const QUIET_SPELL: Duration = Duration::from_secs(60);

/// The quiet spell lasts at least this many requests at the rate in force.
const QUIET_REQUESTS: f64 = 20.0;

/// Each raise adds this fraction of the rate learned at the last cut.
const RAISE_STEP: f64 = 0.05;

/// A cut keeps this fraction of the rate measured when the 429 came, or of the rate in force.
const CUT_MARGIN: f64 = 0.95;

/// A cut with nothing measured halves the rate (multiplicative decrease).
const CUT_FACTOR: f64 = 0.5;

/// The slowest rate a cut goes down to: one request every ten minutes.
const FLOOR_PER_SECOND: f64 = 1.0 / 600.0;

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
    /// The rate set by the last cut (raises add a fraction of it).
    cut_to: f64,
    /// Bumped by every cut: a slot reserved before it is reserved again.
    epoch: u64,
}

/// Spaces requests of one action at the rate in force, in reservation order, and learns.
///
/// Admission follows the generic cell-rate algorithm with a burst of up to [`MAX_BURST`] into an
/// idle second, and besides keeps the last slots so that no one-second window ever holds more
/// than `rate × 1 s` requests (at least one). Each slot is reserved after the previous *slot*,
/// so timer lateness is not lost. A 429 cuts the rate (see [`Pacer::cut`]); after a quiet
/// spell the rate creeps back up to the ceiling.
#[derive(Debug)]
struct Pacer {
    /// The configured rate (requests a second): nothing is ever sent faster.
    ceiling: f64,
    schedule: Mutex<Schedule>,
}

/// A rate change a pacer made, for the account's record.
type Learned = Option<f64>;

/// The slot a request was sent in, and the pacer's epoch then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    /// When the slot started.
    pub(crate) at: Instant,
    epoch: u64,
}

impl Pacer {
    fn new(ceiling: f64) -> Self {
        Pacer {
            ceiling,
            schedule: Mutex::new(Schedule {
                rate: ceiling,
                tat: None,
                recent: VecDeque::new(),
                hold: None,
                answered: VecDeque::new(),
                changed: None,
                cut_to: ceiling,
                epoch: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Schedule> {
        self.schedule.lock().expect("pacer lock is never poisoned")
    }

    /// The rate in force, requests a second.
    fn rate(&self) -> f64 {
        self.lock().rate
    }

    /// Starts from `rate` (one learned before), never above the ceiling.
    fn start_at(&self, rate: f64) {
        let mut s = self.lock();
        s.rate = rate.clamp(FLOOR_PER_SECOND, self.ceiling);
        s.cut_to = s.rate;
    }

    /// Reserves the next free slot: when it starts, the epoch it belongs to, and a raise of
    /// the rate made on the way.
    fn reserve(&self) -> (Instant, u64, Learned) {
        let now = Instant::now();
        let mut s = self.lock();
        let raised = self.raise_if_quiet(&mut s, now);
        let period = Duration::from_secs_f64(1.0 / s.rate);
        let per_second = ((s.rate + 1e-9).floor() as usize).max(1);
        let tolerance = period * (per_second.min(MAX_BURST) as u32 - 1);
        let mut slot = s.tat.map_or(now, |tat| {
            tat.checked_sub(tolerance).unwrap_or(tat).max(now)
        });
        if let Some(&last) = s.recent.back() {
            slot = slot.max(last);
        }
        if s.recent.len() >= per_second {
            slot = slot.max(s.recent[s.recent.len() - per_second] + Duration::from_secs(1));
        }
        if let Some(hold) = s.hold {
            slot = slot.max(hold);
        }
        s.tat = Some(s.tat.map_or(slot, |tat| tat.max(slot)) + period);
        s.recent.push_back(slot);
        while s.recent.len() > per_second {
            s.recent.pop_front();
        }
        (slot, s.epoch, raised)
    }

    /// Raises the rate by a step after a quiet spell since the last change (additive increase).
    fn raise_if_quiet(&self, s: &mut Schedule, now: Instant) -> Learned {
        let since = s.changed?;
        let quiet = QUIET_SPELL.max(Duration::from_secs_f64(QUIET_REQUESTS / s.rate));
        if s.rate >= self.ceiling || now.duration_since(since) < quiet {
            return None;
        }
        s.rate = (s.rate + s.cut_to * RAISE_STEP).min(self.ceiling);
        s.changed = Some(now);
        Some(s.rate)
    }

    /// Whether a slot of `epoch` still stands (no cut since).
    fn stands(&self, epoch: u64) -> bool {
        self.lock().epoch == epoch
    }

    /// Notes a request sent at `sent`: it counts as let through until a 429 answers it.
    fn sent(&self, sent: Instant) {
        let mut s = self.lock();
        s.answered.push_back(sent);
        trim_minute(&mut s.answered, Instant::now());
    }

    /// A 429 answered the request sent at `sent`: it was not let through.
    fn refused(&self, sent: Instant) {
        let mut s = self.lock();
        if let Some(at) = s.answered.iter().rposition(|t| *t == sent) {
            s.answered.remove(at);
        }
    }

    /// A 429 answered the request `sent`: the rate is cut, unless a cut already came after that
    /// request was sent (one burst of 429s is one cut). A `Retry-After` holds every request
    /// until it has passed.
    ///
    /// What the service let through decides the cut, by the window it seems to count over: a
    /// minute when it asked to wait more than a second, or when it sent no `Retry-After` and
    /// nothing was answered in the last second (a per-minute limit); else a second. The next
    /// request waits until the oldest answer of that window has left it. The new rate is
    /// [`CUT_MARGIN`] of the answers of the window, never above `CUT_MARGIN` of the rate in
    /// force (half of it when nothing was answered in the last minute). In a one-second window
    /// that holds fewer than half the rate, this client was not the cause (another client's
    /// requests, a passing refusal): the rate stays, so that stray 429s never wind it down.
    fn cut(&self, sent: Sent, retry_after: Option<Duration>) -> Learned {
        let now = Instant::now();
        let mut s = self.lock();
        if let Some(wait) = retry_after {
            s.hold = Some(s.hold.map_or(now + wait, |h| h.max(now + wait)));
        }
        if sent.epoch != s.epoch {
            return None;
        }
        trim_minute(&mut s.answered, now);
        let last_second = s
            .answered
            .iter()
            .filter(|t| now.duration_since(**t) < Duration::from_secs(1))
            .count();
        let per_minute = match retry_after {
            Some(wait) => wait > Duration::from_secs(1),
            None => last_second == 0,
        };
        let (measured, window, first) = if per_minute {
            (s.answered.len() as f64 / 60.0, Duration::from_secs(60), 0)
        } else {
            let first = s.answered.len() - last_second;
            (last_second as f64, Duration::from_secs(1), first)
        };
        if let Some(&oldest) = s.answered.get(first) {
            let free = oldest + window;
            s.hold = Some(s.hold.map_or(free, |h| h.max(free)));
        }
        let rate = match measured {
            m if !per_minute && m < s.rate * CUT_FACTOR => return None,
            m if m > 0.0 => m.min(s.rate) * CUT_MARGIN,
            _ => s.rate * CUT_FACTOR,
        };
        s.rate = rate.clamp(FLOOR_PER_SECOND, self.ceiling);
        s.cut_to = s.rate;
        s.changed = Some(now);
        s.epoch += 1;
        s.tat = None;
        // No burst after a cut: the next request waits a period at the new rate.
        let next = now + Duration::from_secs_f64(1.0 / s.rate);
        s.hold = Some(s.hold.map_or(next, |h| h.max(next)));
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
pub type RateSink = Arc<dyn Fn(Action, f64, f64) + Send + Sync>;

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

    /// Requests a minute `action` is never sent faster than (the configured rate).
    pub fn ceiling_per_minute(&self, action: Action) -> f64 {
        self.pacer(action).ceiling * 60.0
    }

    /// 429 answers met so far.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Starts `action` at `per_minute`, a rate learned before for the same ceiling (a rate
    /// learned under another ceiling is not used: the configuration changed since).
    pub fn start_from(&self, action: Action, ceiling_per_minute: f64, per_minute: f64) {
        let pacer = self.pacer(action);
        if (pacer.ceiling * 60.0 - ceiling_per_minute).abs() < 1e-6 && per_minute.is_finite() {
            pacer.start_at(per_minute / 60.0);
        }
    }

    /// Tells `sink` of every rate learned from now on.
    pub fn on_learn(&self, sink: RateSink) {
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

    /// The most of `times` in any window of `window`.
    fn most_in(times: &[Instant], window: Duration) -> usize {
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

    #[tokio::test(start_paused = true)]
    async fn one_burst_of_429s_is_one_cut_and_slots_reserved_before_it_wait_again() {
        let limits = Arc::new(Limits::default());
        let ceiling = limits.per_minute(Action::CreateAsset);
        let first = limits.admit(Action::CreateAsset).await;
        let second = limits.admit(Action::CreateAsset).await;
        for _ in 0..2 {
            limits.admit(Action::CreateAsset).await;
        }
        // A fifth, after the burst, is waiting for its slot at the old rate when the 429s come.
        let waiting = tokio::spawn({
            let limits = limits.clone();
            async move { limits.admit(Action::CreateAsset).await }
        });
        tokio::task::yield_now().await;
        // A per-minute limit (Retry-After over a second): 3 of the 4 sent were let through.
        let wait = Some(Duration::from_secs(60));
        limits.throttled_at(Action::CreateAsset, first, wait, true);
        limits.throttled_at(Action::CreateAsset, second, wait, true);
        assert_eq!(limits.throttled(), 2);
        let cut = limits.per_minute(Action::CreateAsset);
        assert!((cut - 3.0 * CUT_MARGIN).abs() < 1e-9, "one cut: {cut}");
        assert!(cut < ceiling);
        let fifth = waiting.await.unwrap();
        assert!(
            fifth.at.duration_since(second.at) >= Duration::from_secs(60),
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
    async fn a_learned_rate_is_told_and_taken_up_again_only_under_the_same_ceiling() {
        let told = Arc::new(Mutex::new(Vec::new()));
        let limits = Limits::default();
        limits.on_learn({
            let told = told.clone();
            Arc::new(move |action, ceiling, rate| {
                told.lock().unwrap().push((action, ceiling, rate))
            })
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
    async fn retry_after_holds_every_request_until_it_has_passed() {
        let limits = Limits::default();
        let sent = limits.admit(Action::GetAsset).await;
        limits.throttled_at(Action::GetAsset, sent, Some(Duration::from_secs(5)), true);
        let before = Instant::now();
        limits.admit(Action::GetAsset).await;
        assert!(before.elapsed() >= Duration::from_secs(5));
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
}
