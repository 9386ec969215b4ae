//! Fault injection: latency, server errors, throttling bursts, dropped connections, slow bodies.

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
        let mut rng = rand::rng();
        let x: f64 = rng.random();
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
}
