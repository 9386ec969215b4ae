//! Deleting, for both front ends: assets (each id once, a few at a time, each with what became
//! of it: deleted, not found, held by another run, or failed) and a group (the count of the
//! assets that go with it, and the next step when a real person's group is refused).

use std::collections::HashSet;

use futures::{Stream, StreamExt};

use super::{Catalog, ListError};
use crate::api::model::{AssetError, AssetFilter, GroupType};
use crate::api::{ApiError, AssetsApi};
use crate::ledger::LedgerError;

/// Deletes in flight at once; the client paces them to the action's limit.
const AT_ONCE: usize = 8;

/// What became of one asset asked to be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deletion {
    /// Deleted now.
    Deleted,
    /// The service has no asset of that id: mistyped, or deleted already.
    NotFound,
    /// Kept, nothing sent: why (another run that is alive holds an attempt about it, or the
    /// caller's check said so).
    Held(String),
    /// The request failed, or what decides whether it may be sent could not be read.
    Failed(DeleteError),
}

impl Deletion {
    /// The word a report gives it: `deleted`, `not found`, `held`, `failed`.
    pub fn word(&self) -> &'static str {
        match self {
            Deletion::Deleted => "deleted",
            Deletion::NotFound => "not found",
            Deletion::Held(_) => "held",
            Deletion::Failed(_) => "failed",
        }
    }

    /// Why it was not deleted, for a kept or failed one.
    pub fn reason(&self) -> Option<String> {
        match self {
            Deletion::Deleted | Deletion::NotFound => None,
            Deletion::Held(why) => Some(why.clone()),
            Deletion::Failed(e) => Some(e.to_string()),
        }
    }

    /// Why it was not deleted as `--json` shows an error: the service's code for a refusal,
    /// `Held` for one kept, `Ledger` when the ledger could not be read.
    pub fn error(&self) -> Option<AssetError> {
        let code = match self {
            Deletion::Deleted | Deletion::NotFound => return None,
            Deletion::Held(_) => "Held",
            Deletion::Failed(DeleteError::Api(e)) => e.code.as_str(),
            Deletion::Failed(DeleteError::Ledger(_)) => "Ledger",
        };
        Some(AssetError::new(code, self.reason().unwrap_or_default()))
    }
}

/// Why a delete failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteError {
    /// The service refused or failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The ledger, asked whether another run holds the asset, could not be read: nothing was
    /// sent.
    #[error("{0}; nothing was sent")]
    Ledger(#[from] LedgerError),
}

/// How recent a use by Seedance makes a delete question warn.
pub(crate) const RECENT_USE: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// What a delete question says of an asset Seedance used within [`RECENT_USE`] of `now`
/// (its `LastInferenceTime`): `used by Seedance 2h ago: a running task using it fails`.
pub(crate) fn recent_use(
    last: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    let last = last.filter(|t| now - *t < RECENT_USE)?;
    Some(format!(
        "used by Seedance {} ago: a running task using it fails",
        crate::times::age(now, last)
    ))
}

/// What a delete question says of several assets, `recent` of them used by Seedance within
/// [`RECENT_USE`]: `2 of them were used by Seedance in the last day: …`.
pub(crate) fn recent_uses(recent: usize) -> Option<String> {
    match recent {
        0 => None,
        1 => Some(
            "1 of them was used by Seedance in the last day: a running task using it fails"
                .to_owned(),
        ),
        n => Some(format!(
            "{n} of them were used by Seedance in the last day: running tasks using them fail"
        )),
    }
}

/// `ids` each once, where it first comes.
pub fn distinct(ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// What a group about to be deleted holds: its assets are deleted with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holding {
    /// The assets counted.
    pub count: usize,
    /// Why the count stopped short, when the listing could not be read to its end.
    pub stopped: Option<String>,
}

/// A group the service did not delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNotDeleted {
    /// The service's answer.
    pub error: ApiError,
    /// Whether it was refused as a real person's group, whose deleting takes their
    /// authorisation.
    pub real_person: bool,
}

impl GroupNotDeleted {
    /// The next step, for a real person's group refused for want of authorisation.
    pub(crate) fn next_step(&self) -> Option<&'static str> {
        self.real_person.then_some(
            "a real person's group is theirs: deleting it takes the authorisation the service \
             asks for real-person data (ask the account's administrator, or the person, through \
             the console)",
        )
    }
}

impl std::fmt::Display for GroupNotDeleted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)?;
        match self.next_step() {
            Some(next) => write!(f, "\n  next step: {next}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for GroupNotDeleted {}

impl Catalog {
    /// Deletes each of `ids` once (a repeat is left out wherever it stands), a few at a time,
    /// and yields each with what became of it, in the order given. Just before an asset's
    /// request is sent, the ledger is asked whether another run that is alive holds an
    /// attempt about it, then `keep` whether the caller wants it kept (and why): either keeps
    /// it, unsent, and so does a ledger that cannot be read.
    pub(crate) fn delete_assets<'a, F>(
        &'a self,
        ids: Vec<String>,
        keep: &'a F,
    ) -> impl Stream<Item = (String, Deletion)> + Send + 'a
    where
        F: Fn(&str) -> Option<String> + Sync,
    {
        futures::stream::iter(distinct(ids))
            .map(move |id| async move {
                let outcome = self.delete_one(&id, keep).await;
                (id, outcome)
            })
            .buffered(AT_ONCE)
    }

    /// Deletes asset `id` unless another run holds it or `keep` keeps it.
    async fn delete_one<F>(&self, id: &str, keep: &F) -> Deletion
    where
        F: Fn(&str) -> Option<String> + Sync,
    {
        match self.ledger().holder_of(id) {
            Ok(Some(run)) => {
                return Deletion::Held(format!(
                    "another run of ark-assets ({run}) is working on it; nothing was sent"
                ));
            }
            Ok(None) => {}
            Err(e) => return Deletion::Failed(e.into()),
        }
        if let Some(why) = keep(id) {
            return Deletion::Held(why);
        }
        match self.client().delete_asset(id).await {
            Ok(()) => Deletion::Deleted,
            Err(e) if e.is_not_found() => Deletion::NotFound,
            Err(e) => Deletion::Failed(e.into()),
        }
    }

    /// How many assets group `id` holds: the service deletes them with the group.
    pub(crate) async fn count_assets(&self, id: &str) -> Result<Holding, ListError> {
        let listing = self.assets(&AssetFilter::group(id)).await?;
        Ok(Holding {
            count: listing.items.len(),
            stopped: listing.stopped,
        })
    }

    /// Deletes group `id`, which deletes its assets too (the service does). A real person's
    /// group refused for want of authorisation says the next step.
    pub(crate) async fn delete_group(&self, id: &str) -> Result<(), GroupNotDeleted> {
        let Err(error) = self.client().delete_asset_group(id).await else {
            return Ok(());
        };
        let refused = error.http_status.is_some_and(|s| matches!(s, 401 | 403));
        let real_person =
            refused && self.group_type(id).await.ok().flatten() == Some(GroupType::LivenessFace);
        Err(GroupNotDeleted { error, real_person })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, Utc};

    #[test]
    fn a_use_within_a_day_warns_and_an_older_one_does_not() {
        let now: DateTime<Utc> = "2026-12-06T12:00:00Z".parse().unwrap();
        assert_eq!(
            super::recent_use(Some(now - TimeDelta::hours(2)), now).as_deref(),
            Some("used by Seedance 2h ago: a running task using it fails")
        );
        assert_eq!(
            super::recent_use(Some(now - TimeDelta::hours(24)), now),
            None
        );
        assert_eq!(super::recent_use(None, now), None);
        assert_eq!(super::recent_uses(0), None);
        assert!(
            super::recent_uses(2)
                .unwrap()
                .starts_with("2 of them were used")
        );
    }
}
