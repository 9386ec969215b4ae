//! What an import says and leaves: its events as it goes, each row that is an asset, the
//! report of the whole run, the estimate said before it starts, and why it could not run.

use std::sync::Arc;

use serde::Serialize;

use super::check::Ready;
use super::rows::{self, Refused};
use crate::catalog::{CreateError, ListError};

/// How a row came to be an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Created by this run.
    Created,
    /// Already there: an earlier run made it (or the group has this content).
    Already,
    /// Created by another run at the same time.
    ByOtherRun,
}

/// What an import says as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A file or folder of a folder is not taken.
    LeftOut(&'a Refused),
    /// A row breaks a rule and will not be created.
    Refused(&'a Refused),
    /// A row breaks a model's rule; it is created all the same.
    Warning {
        /// Where the row came from.
        origin: &'a str,
        /// The rule.
        text: &'a str,
    },
    /// Creating starts: rows to create, bytes to upload for them, and rows that are assets
    /// already (or left out by name).
    Started {
        /// Rows to create.
        rows: usize,
        /// Bytes of their files.
        bytes: u64,
        /// Rows already assets, or left out by name.
        already: usize,
        /// CreateAsset requests a minute in force.
        per_minute: f64,
    },
    /// Bytes uploaded so far, of all the files.
    Uploaded {
        /// Sent.
        sent: u64,
        /// Of.
        total: u64,
    },
    /// A row is an asset.
    Done(&'a Done, How),
    /// A row's create failed.
    Failed(&'a Refused),
}

/// Where an import's events go.
pub(crate) type Events = Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// A row that is an asset now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Done {
    /// The file or URL.
    pub source: String,
    /// Its line in its listing (0 for files).
    pub line: usize,
    /// Where it came from (`listing.csv:12`, or the file's path).
    #[serde(skip)]
    pub origin: String,
    /// The asset.
    pub id: String,
    /// Its name.
    pub name: String,
    /// A file's sha256.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// A file's size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// `Image`, `Video` or `Audio`.
    pub asset_type: &'static str,
    /// Model rules it breaks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Done {
    pub(super) fn of(ready: &Ready, id: String) -> Done {
        let (sha256, bytes) = match ready {
            Ready::File { file, .. } => {
                (Some(file.content.sha256.clone()), Some(file.content.bytes))
            }
            Ready::Url { .. } => (None, None),
        };
        Done {
            source: ready.row().source.shown(),
            line: ready.row().line,
            origin: ready.row().origin.clone(),
            id,
            name: ready.name().to_owned(),
            sha256,
            bytes,
            asset_type: ready.kind().asset_type(),
            warnings: ready.warnings().to_vec(),
        }
    }
}

/// What an import did, row by row (`--json` prints it with PascalCase keys).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report {
    /// Created by this run.
    pub created: Vec<Done>,
    /// Created by another run at the same time.
    pub by_other_run: Vec<Done>,
    /// Already assets (an earlier run, or the same content in the group).
    pub already: Vec<Done>,
    /// Left out: the group has an asset of that name (`skip_existing`).
    pub skipped: Vec<Done>,
    /// Files and folders of folders not taken.
    #[serde(serialize_with = "rows::reasons::left_out")]
    pub left_out: Vec<Refused>,
    /// Rows that break a rule.
    #[serde(serialize_with = "rows::reasons::invalid")]
    pub invalid: Vec<Refused>,
    /// Rows whose create failed.
    #[serde(serialize_with = "rows::reasons::failed")]
    pub failed: Vec<Refused>,
    /// 429 answers the run met (each waited its turn and was sent again).
    pub throttled: u64,
}

/// How long `creates` take at `per_minute`, said before they start when it is more than a
/// minute: "60 creates at 3 a minute: about 20 minutes".
pub fn batch_estimate(creates: usize, per_minute: f64) -> Option<String> {
    if creates == 0 || per_minute <= 0.0 {
        return None;
    }
    let minutes = creates.saturating_sub(1) as f64 / per_minute;
    if minutes <= 1.0 {
        return None;
    }
    let rate = if per_minute >= 60.0 {
        format!("{:.0} a second", per_minute / 60.0)
    } else if (per_minute - per_minute.round()).abs() < 0.05 {
        format!("{:.0} a minute", per_minute.round())
    } else {
        format!("{per_minute:.1} a minute")
    };
    let about = if minutes < 90.0 {
        format!("{:.0} minutes", minutes.ceil())
    } else {
        format!("{:.1} hours", minutes / 60.0)
    };
    Some(format!("{creates} creates at {rate}: about {about}"))
}

impl Report {
    /// Whether every row is an asset (nothing invalid, nothing failed).
    pub(crate) fn is_complete(&self) -> bool {
        self.invalid.is_empty() && self.failed.is_empty()
    }
}

/// Why an import could not run at all (a row's failure is in its report instead).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImportError {
    /// The object storage, the ledger or the service failed before any row was created.
    #[error(transparent)]
    Create(#[from] CreateError),
    /// The group's assets could not be listed (`skip_existing`).
    #[error(transparent)]
    List(#[from] ListError),
    /// The group's listing stopped early, so names cannot be told to exist or not.
    #[error("the group's assets could not all be listed ({0}), so existing names are unknown")]
    Incomplete(String),
    /// The files could not be gathered.
    #[error("the files could not be read: {0}")]
    Gather(String),
    /// The creates do not fit the account's quota; nothing was sent.
    #[error(
        "the account has {have} assets and its quota is {quota}: {over} of the {creates} \
         creates would not fit; nothing was sent (--partial creates the {} that fit)",
        creates - over
    )]
    OverQuota {
        /// Assets the account has.
        have: usize,
        /// The most it may have.
        quota: usize,
        /// Creates asked for.
        creates: usize,
        /// Creates past the quota.
        over: usize,
    },
}
