//! Fault injection: latency, server errors, throttling bursts, dropped connections, slow bodies.
//!
//! The rates are rolled from a seed ([`Faults::seed`]), so a run's sequence of faults can be
//! repeated: the same seed rolls the same faults for the same order of requests.

use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::api::model::Action;

/// Faults the emulator injects into its answers. All rates are fractions of requests (0..=1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Delay added before every answer.
    pub latency: Duration,
    /// Fraction answered with a server error: half `503 ServiceUnavailable` before the action is
    /// applied, half `500 InternalError` after it was applied (the ambiguous case).
    pub error_rate: f64,
    /// Fraction refused with `429 Throttling` (and `Retry-After: 1`) before being applied.
    pub throttle_rate: f64,
    /// Fraction whose connection is cut halfway through the response, after being applied.
    pub drop_rate: f64,
    /// The next this-many requests are refused with 429: a deterministic burst.
    pub throttle_burst: u32,
    /// When set, answers trickle out over this long.
    pub slow_body: Option<Duration>,
    /// A listing asked for with a `NextToken` answers that same token again: a listing that
    /// never advances.
    pub stuck_token: bool,
    /// The answer to the next request of each action listed is lost: the action is applied,
    /// then the connection drops (once per entry; a deterministic lost answer).
    pub lose_answer: Vec<Action>,
    /// The next this-many downloads of assets' files are cut halfway: the whole length is
    /// announced, half the bytes are sent, then the connection is closed.
    pub cut_files: u32,
    /// Seed of the rolls of the rates; unset, one is drawn at the first roll and kept here (a
    /// test names it when it fails, so the run can be repeated with it).
    pub seed: Option<u64>,
    /// Rolls made so far (the next roll's place in the seed's sequence).
    #[serde(skip)]
    pub rolls: u64,
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Nothing: answered normally.
    None,
    /// 429 before applying.
    Throttle,
    /// 503 before applying.
    Unavailable,
    /// Applied, then answered 500.
    InternalAfter,
    /// Applied, then the connection drops mid-response.
    DropAfter,
}

impl Faults {
    /// Decides the fault for the next request, of `action` (consuming one unit of a burst, or
    /// the answer to lose).
    pub(crate) fn roll(&mut self, action: Action) -> Fault {
        if let Some(at) = self.lose_answer.iter().position(|a| *a == action) {
            self.lose_answer.remove(at);
            return Fault::DropAfter;
        }
        if self.throttle_burst > 0 {
            self.throttle_burst -= 1;
            return Fault::Throttle;
        }
        let seed = *self.seed.get_or_insert_with(|| rand::rng().random());
        let x = unit(seed, self.rolls);
        self.rolls += 1;
        let mut edge = self.throttle_rate;
        if x < edge {
            return Fault::Throttle;
        }
        edge += self.error_rate / 2.0;
        if x < edge {
            return Fault::Unavailable;
        }
        edge += self.error_rate / 2.0;
        if x < edge {
            return Fault::InternalAfter;
        }
        edge += self.drop_rate;
        if x < edge {
            return Fault::DropAfter;
        }
        Fault::None
    }
}

/// The `n`th number of `seed`'s sequence, in `0..1` (SplitMix64: every `n` apart, so a roll
/// needs no state but its place).
fn unit(seed: u64, n: u64) -> f64 {
    let mut z = seed.wrapping_add(n.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_come_first_then_rates_apply() {
        let mut f = Faults {
            throttle_burst: 2,
            ..Faults::default()
        };
        assert_eq!(f.roll(Action::GetAsset), Fault::Throttle);
        assert_eq!(f.roll(Action::GetAsset), Fault::Throttle);
        assert_eq!(f.roll(Action::GetAsset), Fault::None);
        let mut always = Faults {
            drop_rate: 1.0,
            ..Faults::default()
        };
        assert_eq!(always.roll(Action::GetAsset), Fault::DropAfter);
        let mut errors = Faults {
            error_rate: 1.0,
            ..Faults::default()
        };
        let rolls: Vec<Fault> = (0..200).map(|_| errors.roll(Action::GetAsset)).collect();
        assert!(rolls.contains(&Fault::Unavailable) && rolls.contains(&Fault::InternalAfter));
        let mut lost = Faults {
            lose_answer: vec![Action::CreateAssetGroup],
            ..Faults::default()
        };
        assert_eq!(lost.roll(Action::GetAsset), Fault::None);
        assert_eq!(lost.roll(Action::CreateAssetGroup), Fault::DropAfter);
        assert_eq!(lost.roll(Action::CreateAssetGroup), Fault::None, "once");
    }

    #[test]
    fn a_seed_rolls_the_same_faults_again_and_an_unset_one_is_kept() {
        let rates = |seed| Faults {
            error_rate: 0.3,
            throttle_rate: 0.2,
            drop_rate: 0.1,
            seed,
            ..Faults::default()
        };
        let rolls =
            |f: &mut Faults| -> Vec<Fault> { (0..64).map(|_| f.roll(Action::GetAsset)).collect() };
        let (mut a, mut b) = (rates(Some(7)), rates(Some(7)));
        let first = rolls(&mut a);
        assert_eq!(first, rolls(&mut b));
        assert_ne!(
            first,
            rolls(&mut rates(Some(8))),
            "another seed, other faults"
        );
        assert!(first.contains(&Fault::None) && first.contains(&Fault::Throttle));
        let mut drawn = rates(None);
        let again = rolls(&mut drawn);
        let seed = drawn.seed.expect("the drawn seed is kept");
        assert_eq!(again, rolls(&mut rates(Some(seed))));
        let share = (0..10_000).filter(|n| unit(seed, *n) < 0.25).count();
        assert!(
            (2_300..2_700).contains(&share),
            "uniform: {share} of 10,000 under 0.25"
        );
    }
}
