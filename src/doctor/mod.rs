//! `doctor`: the set-up checked from end to end, one check a line, in the order a first failure
//! would show up in real work: the config file, the profile, the endpoint and the clock, a
//! signed read, the object storage (an object put, read back through a presigned GET as the
//! service would, and deleted), the Seedance data plane (one listing of the recent tasks), the
//! data folder, the ledger and the log, and the terminal.
//! Each failure carries the next step. Nothing secret is ever part of a check's text.

mod account;
mod data_plane;
mod machine;

use serde::Serialize;

pub use account::{Reached, limits, reach, signed_read, storage};
pub use data_plane::data_plane;
pub use machine::{config_file, data_dir, ledger, log_file, terminal};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// It works.
    Pass,
    /// It does not: the product will fail where it needs it.
    Fail,
    /// Said for information: nothing to fix (a part not set up, the terminal's abilities).
    Info,
}

impl Verdict {
    /// `✓`, `✗` or `·`.
    pub fn symbol(self) -> &'static str {
        match self {
            Verdict::Pass => "✓",
            Verdict::Fail => "✗",
            Verdict::Info => "·",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Check {
    /// What was checked (`clock`, `signed read`).
    pub check: &'static str,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do about a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl Check {
    /// A check that passed.
    pub fn pass(check: &'static str, detail: impl Into<String>) -> Check {
        Check {
            check,
            verdict: Verdict::Pass,
            detail: detail.into(),
            next: None,
        }
    }

    /// A check that failed, with the next step.
    pub fn fail(check: &'static str, detail: impl Into<String>, next: impl Into<String>) -> Check {
        Check {
            check,
            verdict: Verdict::Fail,
            detail: detail.into(),
            next: Some(next.into()),
        }
    }

    /// Something said for information.
    pub fn info(check: &'static str, detail: impl Into<String>) -> Check {
        Check {
            check,
            verdict: Verdict::Info,
            detail: detail.into(),
            next: None,
        }
    }
}
