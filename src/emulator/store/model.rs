//! What the store keeps besides groups (assets with their files, liveness-check sessions), the
//! outcome of an action, and new ids.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::copies::AssetFile;
use crate::api::model::Asset;

/// The project resources belong to when a request names none.
pub(crate) const DEFAULT_PROJECT: &str = "default";

/// An asset as the emulator keeps it: what the API shows, the URL it was created from, and the
/// emulator's own copy of its file once it is Active (its `URL` is made from it when an answer
/// is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAsset {
    /// The asset as returned by GetAsset/ListAssets (its `URL` left empty).
    pub asset: Asset,
    /// The URL given to CreateAsset.
    pub source_url: String,
    /// What processing reads instead of `source_url`, when it is here already: a sample
    /// compiled in (the demo's data), or the file downloaded when the create was accepted
    /// (see `Config::keep_sources`), so that processing survives the process that took the
    /// create and the object store it came from.
    #[serde(default)]
    pub source: Option<AssetFile>,
    /// The emulator's copy of its file.
    #[serde(default)]
    pub file: Option<AssetFile>,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// The person has not finished the check.
    Waiting,
    /// The person passed.
    Passed,
    /// The person failed.
    Failed,
}

/// One liveness-check session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Project it belongs to.
    pub project: String,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// What the person did on the page.
    pub check: Check,
    /// Whether its result was asked for (the token is then spent).
    pub used: bool,
}

/// The outcome of an action: the `Result` payload and, for CreateAsset, the asset to process.
#[derive(Debug)]
pub struct Outcome {
    /// JSON result.
    pub result: Value,
    /// Set when a new asset needs processing.
    pub created_asset: Option<String>,
    /// Assets removed (their files' copies go too).
    pub removed_assets: Vec<String>,
    /// Whether stored data changed (so it should be persisted).
    pub changed: bool,
}

impl Outcome {
    pub(super) fn read(result: Value) -> Self {
        Outcome {
            result,
            created_asset: None,
            removed_assets: Vec::new(),
            changed: false,
        }
    }

    /// An answer after stored data changed.
    pub(crate) fn write(result: Value) -> Self {
        Outcome {
            result,
            created_asset: None,
            removed_assets: Vec::new(),
            changed: true,
        }
    }
}

/// A new id like `asset-20260602115008-vvd9q`.
pub(crate) fn new_id(prefix: &str, now: DateTime<Utc>) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let suffix: String = (0..5)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}-{}-{suffix}", now.format("%Y%m%d%H%M%S"))
}
