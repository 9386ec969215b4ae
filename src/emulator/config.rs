//! How the emulator behaves: its `Config`, the default one and the demo's.

use std::path::PathBuf;
use std::time::Duration;

use chrono::TimeDelta;
use secrecy::SecretString;

use super::{Account, Faults, demo_account, paging, store, tasks};
use crate::api::limits::MAX_CONCURRENT_CREATIONS;

/// How the emulator behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Accounts it accepts.
    pub accounts: Vec<Account>,
    /// Processing time of a new asset: uniformly random in `[min, max)`.
    pub processing: (Duration, Duration),
    /// Most assets Processing at once; more creations get 429 FlowLimitExceeded.
    pub max_processing: usize,
    /// How listings page (tokens, as BytePlus; or page numbers, as Volcengine).
    pub paging: paging::PagingStyle,
    /// Whether the per-action QPS limits are enforced.
    pub rate_limits: bool,
    /// The BytePlus tier the accounts play (spec section 13): its CreateAsset rate a minute
    /// and, on Entry, its quota of assets and groups.
    pub tier: Option<crate::api::limits::Tier>,
    /// Injected faults.
    pub faults: Faults,
    /// Added to the real clock (to test clock skew or to accept old signed requests).
    pub clock_offset: TimeDelta,
    /// File the state is kept in across restarts.
    pub data: Option<PathBuf>,
    /// Folder the copies of assets' files are kept in (beside `data` as `<data>.files` when
    /// unset; a temporary folder when there is no `data`).
    pub files: Option<PathBuf>,
    /// Whether to fill an empty store with the demo data set.
    pub seed_demo: bool,
    /// Whether a created asset's file is downloaded when the create is accepted (before the
    /// answer), so that its processing survives this process and the object store its URL
    /// names: the demo's, whose every run is a new process with new ports.
    pub keep_sources: bool,
    /// How long a liveness-check link stays valid.
    pub verify_ttl: Duration,
    /// The ark API keys of the Seedance data plane, each of one project.
    pub data_keys: Vec<tasks::DataKey>,
    /// How long a Seedance task takes: a quarter queued, the rest running.
    pub task_time: Duration,
    /// How long a finished task's video link is valid (the service's 24 h).
    pub task_link_lifetime: chrono::TimeDelta,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            accounts: vec![demo_account()],
            processing: (Duration::from_millis(200), Duration::from_millis(600)),
            max_processing: MAX_CONCURRENT_CREATIONS,
            paging: paging::PagingStyle::default(),
            rate_limits: true,
            tier: None,
            faults: Faults::default(),
            clock_offset: TimeDelta::zero(),
            data: None,
            files: None,
            seed_demo: false,
            keep_sources: false,
            verify_ttl: crate::api::model::VERIFY_LINK_LIFETIME,
            data_keys: vec![tasks::demo_key()],
            task_time: Duration::from_secs(8),
            task_link_lifetime: TimeDelta::hours(24),
        }
    }
}

impl Config {
    /// The folder copies of assets' files are kept in, when it is not a temporary one.
    pub(super) fn files_dir(&self) -> Option<PathBuf> {
        self.files.clone().or_else(|| {
            self.data.as_ref().map(|d| {
                let mut name = d.as_os_str().to_owned();
                name.push(".files");
                PathBuf::from(name)
            })
        })
    }

    /// The rules the store's answers follow.
    pub fn rules(&self) -> store::Rules {
        store::Rules {
            max_processing: self.max_processing,
            paging: self.paging,
            quota: self.tier.and_then(crate::api::limits::Tier::quota),
        }
    }

    /// The demo set-up: seeded data, a few seconds of processing (so polling is visible), and
    /// sources kept on create (the next run finishes what this one took).
    pub fn demo() -> Self {
        Config {
            processing: (Duration::from_secs(2), Duration::from_secs(6)),
            seed_demo: true,
            keep_sources: true,
            // A key of its own each run: nothing outside the demo's process knows it.
            data_keys: vec![tasks::DataKey {
                key: SecretString::from(format!("demo-ark-{:032x}", rand::random::<u128>())),
                project: store::DEFAULT_PROJECT.to_owned(),
            }],
            ..Config::default()
        }
    }
}
