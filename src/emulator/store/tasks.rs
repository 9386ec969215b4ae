//! The Seedance task as the store keeps it: what was asked, when, and how it ends.

use serde::{Deserialize, Serialize};

/// A task as kept: what was asked, when, and how it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTask {
    /// `cgt-…`.
    pub id: String,
    /// The key's project.
    pub project: String,
    /// The model.
    pub model: String,
    /// When it was created, Unix milliseconds.
    pub created_ms: i64,
    /// Milliseconds queued, then running.
    pub phases_ms: (i64, i64),
    /// Whether it ends failed.
    pub fails: bool,
    /// When it was cancelled, Unix milliseconds.
    pub cancelled_ms: Option<i64>,
    /// The settings asked for.
    pub ratio: Option<String>,
    /// See `ratio`.
    pub resolution: Option<String>,
    /// See `ratio`.
    pub duration: Option<i64>,
    /// See `ratio`.
    pub generate_audio: Option<bool>,
}

impl StoredTask {
    /// Its status at `now_ms`, and when it took it.
    pub(crate) fn status(&self, now_ms: i64) -> (&'static str, i64) {
        let (queued, running) = self.phases_ms;
        let started = self.created_ms + queued;
        let ended = started + running;
        match self.cancelled_ms {
            Some(at) => ("cancelled", at),
            None if now_ms < started => ("queued", self.created_ms),
            None if now_ms < ended => ("running", started),
            None if self.fails => ("failed", ended),
            None => ("succeeded", ended),
        }
    }
}
