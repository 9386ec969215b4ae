//! Effects that move a group's files elsewhere: copied into another profile (its plan first,
//! then applied) and pulled into a folder. The destination profile is opened on a blocking
//! thread for the plan and kept for its apply; the work is the catalog's use case, the one the
//! CLI calls too.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::changes::counted;
use super::{OpenProfile, Reply};
use crate::app::msg::{CopyFailed, Msg, PlannedCopy, Work};
use crate::catalog::Catalog;
use crate::catalog::copy::{CopyOptions, CopyPlan};
use crate::catalog::import::Checks;
use crate::catalog::pull::{PullEvent, PullEvents, PullOptions};
use crate::media::CheckTimeouts;

/// The destination profiles opened for a copy's plan, by name, each kept until the plan's
/// apply takes it (so a profile is opened once for both). Shared by the runner's clones.
#[derive(Clone, Default)]
pub(super) struct Kept(Arc<Mutex<HashMap<String, Catalog>>>);

/// A destination profile: how to open it, its name, how its slow calls are told, and the
/// profiles opened for plans.
pub(super) struct Destination {
    /// Opens a profile by name (none: there are no others).
    pub open: Option<OpenProfile>,
    /// The profile.
    pub profile: String,
    /// How slow calls are told.
    pub notice: crate::api::Notice,
    /// The destinations opened for plans.
    pub kept: Kept,
}

impl Destination {
    /// Its catalog and whether it is read-only, opened now.
    async fn opened(&self) -> Result<(Catalog, bool), CopyFailed> {
        let (catalog, read_only) =
            super::session::opened(self.open.clone(), self.profile.clone()).await?;
        Ok((catalog.with_notice(self.notice.clone()), read_only))
    }

    /// Opened for a plan: its catalog kept for the plan's apply.
    async fn for_plan(&self) -> Result<(Catalog, bool), CopyFailed> {
        let (catalog, read_only) = self.opened().await?;
        let mut kept = self.kept.0.lock().expect("kept destinations lock");
        kept.insert(self.profile.clone(), catalog.clone());
        Ok((catalog, read_only))
    }

    /// For an apply: the catalog its plan opened, taken (opened now when no plan of this
    /// runner did).
    async fn for_apply(&self) -> Result<Catalog, CopyFailed> {
        let kept = (self.kept.0.lock().expect("kept destinations lock")).remove(&self.profile);
        match kept {
            Some(catalog) => Ok(catalog),
            None => Ok(self.opened().await?.0),
        }
    }
}

/// The options of a copy from the TUI: the destination's checks of the source's links.
fn options(only: Option<BTreeSet<String>>) -> CopyOptions {
    CopyOptions {
        checks: Checks {
            remote: Some(CheckTimeouts::default()),
            ..Checks::default()
        },
        only,
        ..CopyOptions::default()
    }
}

/// The plan of copying `group_id` (only the assets `only`, when given) into `to`.
pub(super) async fn plan_copy(
    catalog: Catalog,
    to: Destination,
    reply: Reply,
    group_id: String,
    only: Option<BTreeSet<String>>,
) {
    let result = async {
        let (there, read_only) = to.for_plan().await?;
        let plan = catalog.plan_copy(&group_id, &there, &options(only)).await?;
        Ok(PlannedCopy { plan, read_only })
    }
    .await;
    let profile = to.profile;
    reply.send(Msg::CopyPlanned { profile, result });
}

/// Applies a copy's plan into `to`; its creates' progress is told as they end.
pub(super) async fn apply_copy(catalog: Catalog, to: Destination, reply: Reply, plan: CopyPlan) {
    let result = async {
        let there = to.for_apply().await?;
        let events = counted(reply.clone(), Work::Copy);
        Ok(catalog
            .apply_copy(plan, &there, &options(None), events)
            .await?)
    }
    .await;
    let profile = to.profile;
    reply.send(Msg::Copied { profile, result });
}

/// Downloads `group_id`'s files into `folder`; the downloads' progress is told as they end.
pub(super) async fn pull(catalog: Catalog, reply: Reply, group_id: String, folder: PathBuf) {
    let result = catalog
        .pull(
            &group_id,
            &folder,
            &PullOptions::default(),
            pulling(reply.clone()),
        )
        .await;
    reply.send(Msg::Pulled { folder, result });
}

/// Events that count files pulled (or there already), of all, and failed, told as
/// `Msg::Progress`.
fn pulling(reply: Reply) -> PullEvents {
    let counts = Mutex::new((0usize, 0usize, 0usize));
    Arc::new(move |event| {
        let mut c = counts.lock().expect("counts lock");
        let (done, total, failed) = &mut *c;
        match event {
            PullEvent::Started { files } => *total = files,
            PullEvent::Done(..) => *done += 1,
            PullEvent::Failed(_) => *failed += 1,
        }
        reply.send(Msg::Progress {
            work: Work::Pull,
            done: *done,
            total: *total,
            failed: *failed,
        });
    })
}
