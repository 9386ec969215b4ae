//! Every row checked before anything is sent: the field rules, each URL's first bytes (when
//! asked), each file's bytes and hash; a file that breaks only an image's size, ratio or byte
//! rules may be fitted into a copy that keeps them.

use futures::StreamExt;

use super::super::source::Source;
use super::rows::{Refused, Row};
use crate::catalog::local::LocalFile;
use crate::media::fit::FitMode;
use crate::media::{self, CheckTimeouts, MediaKind, Policy};
use crate::validate::{self, Invalid};

/// How rows are checked.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Check each URL's first bytes within these bounds (none: a URL is sent as the declared
    /// type, an image unless the policy declares another).
    pub remote: Option<CheckTimeouts>,
    /// The rules files and URLs are held to.
    pub policy: Policy,
    /// Fix local images that break the image rules, this way.
    pub fit: Option<FitMode>,
}

/// A row that passed every rule, ready to create.
#[derive(Debug, Clone)]
pub enum Ready {
    /// From a URL of this kind.
    Url {
        row: Row,
        url: String,
        name: String,
        kind: MediaKind,
        warnings: Vec<String>,
    },
    /// From a checked local file.
    File {
        row: Row,
        file: Box<LocalFile>,
        name: String,
    },
}

impl Ready {
    /// The row it came from.
    pub fn row(&self) -> &Row {
        match self {
            Ready::Url { row, .. } | Ready::File { row, .. } => row,
        }
    }

    /// The name it gets.
    pub fn name(&self) -> &str {
        match self {
            Ready::Url { name, .. } | Ready::File { name, .. } => name,
        }
    }

    /// Model rules it breaks (it is created all the same).
    pub fn warnings(&self) -> &[String] {
        match self {
            Ready::Url { warnings, .. } => warnings,
            Ready::File { file, .. } => &file.warnings,
        }
    }

    /// Its type.
    pub fn kind(&self) -> MediaKind {
        match self {
            Ready::Url { kind, .. } => *kind,
            Ready::File { file, .. } => file.media.kind(),
        }
    }
}

/// Checks `row` under `checks` (`http` reads URLs): ready to create, or why not.
pub async fn check(row: Row, checks: &Checks, http: &reqwest::Client) -> Result<Ready, Refused> {
    let (origin, line) = (row.origin.clone(), row.line);
    check_row(row, checks, http)
        .await
        .map_err(|problems| Refused {
            origin,
            line,
            error: joined(&problems),
        })
}

/// The name a row gives its asset: its own, else the run's default for it, else the source's;
/// checked against the name rules.
fn row_name(row: &Row) -> Result<String, Vec<Invalid>> {
    let name = row
        .name
        .clone()
        .or_else(|| row.default_name.clone())
        .unwrap_or_else(|| crate::catalog::names::default_name(&row.source));
    validate::name(&name, false).map_err(|e| vec![e])?;
    Ok(name)
}

/// Checks `row` under `checks` (`http` reads URLs): ready to create, or every rule it breaks.
pub(crate) async fn check_row(
    row: Row,
    checks: &Checks,
    http: &reqwest::Client,
) -> Result<Ready, Vec<Invalid>> {
    match &row.source {
        Source::Url(raw) => {
            let url = validate::url(raw).map_err(|e| vec![e])?;
            let name = row_name(&row)?;
            let (kind, warnings) = match checks.remote {
                Some(timeouts) => {
                    let checked = media::check_url(http, &url, timeouts, &checks.policy).await?;
                    (checked.media.kind(), checked.warnings)
                }
                None => (
                    checks.policy.declared.unwrap_or(MediaKind::Image),
                    Vec::new(),
                ),
            };
            Ok(Ready::Url {
                url: raw.clone(),
                name,
                row,
                kind,
                warnings,
            })
        }
        Source::File(path) => {
            let file = LocalFile::inspect_fitting(path, &checks.policy, checks.fit).await?;
            let name = row_name(&row)?;
            Ok(Ready::File {
                file: Box::new(file),
                name,
                row,
            })
        }
    }
}

/// Problems on one line, `; ` between them.
pub(crate) fn joined(problems: &[Invalid]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks every row (16 at a time): the ready ones in their order, and the refused.
pub(crate) async fn check_all(rows: Vec<Row>, checks: &Checks) -> (Vec<Ready>, Vec<Refused>) {
    let http = media::check_client(checks.remote.unwrap_or_default());
    let checked: Vec<Result<Ready, Refused>> = futures::stream::iter(rows)
        .map(|row| check(row, checks, &http))
        .buffered(16)
        .collect()
        .await;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for r in checked {
        match r {
            Ok(ready) => good.push(ready),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}
