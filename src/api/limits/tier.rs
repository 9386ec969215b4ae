//! [`Tier`]: an account's tier of Advanced Creation Rights, its CreateAsset rate and its
//! [`Quota`].

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
