//! A sync's plan applied: renames, what was matched by name written to the ledger, creates
//! through the import engine, deletes each re-checked just before it is sent, and the group
//! listed again to see that it matches the folder.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;

use super::super::import::{Checks, Events, Import, Input, Row};
use super::super::rename::NameChange;
use super::plan::create_row;
use super::{Deleted, Matched, Plan, Renamed, Step, SyncError, SyncReport, failure};
use crate::api::model::{AssetFilter, Status};
use crate::catalog::Catalog;
use crate::catalog::changes::Deletion;
use crate::ledger::{Entry, EntryState};

impl Catalog {
    /// Applies `plan`: renames, then creates (through the import engine, whose `events` say
    /// how they go), then deletes; then checks the group against what the run made of it.
    pub(crate) async fn apply_sync(
        &self,
        plan: Plan,
        checks: Checks,
        events: Events,
    ) -> Result<SyncReport, SyncError> {
        let throttled = self.client().limits().throttled();
        let mut report = SyncReport {
            refused: plan.refused.clone(),
            unchanged: plan.counts().unchanged,
            ..SyncReport::default()
        };
        self.learn_matches(&plan)?;
        self.apply_renames(&plan, &mut report).await;
        let rows: Vec<Row> = plan.steps.iter().filter_map(create_row).collect();
        let mut made: Vec<String> = Vec::new();
        if !rows.is_empty() {
            let job = Import {
                inputs: vec![Input::Rows(rows)],
                checks,
                partial: plan.partial,
                ..Import::default()
            };
            let imported = self.import(&plan.group, job, events).await?;
            report.unchanged += imported.already.len() + imported.by_other_run.len();
            made.extend(imported.already.iter().map(|d| d.id.clone()));
            made.extend(imported.by_other_run.iter().map(|d| d.id.clone()));
            report.created = imported.created;
            report.refused.extend(imported.invalid);
            report.failed.extend(imported.failed);
        }
        made.extend(report.created.iter().map(|d| d.id.clone()));
        self.apply_deletes(&plan, &made, &mut report).await;
        if plan.deletes {
            for step in &plan.steps {
                if let Step::Kept { id, why, .. } = step {
                    report.kept.push(failure(id, why.clone()));
                }
            }
        }
        if changes_anything(&plan) {
            self.check_group(&plan, &made, &mut report).await?;
        }
        report.throttled = self.client().limits().throttled() - throttled;
        Ok(report)
    }

    /// Writes what was matched by name to the ledger, as the asset of its file's content, so
    /// that the next run matches it by content.
    fn learn_matches(&self, plan: &Plan) -> Result<(), SyncError> {
        let mut sending = None;
        let matched: HashSet<&str> = plan.steps.iter().filter_map(Step::matched_id).collect();
        for step in &plan.steps {
            let (file, id, name) = match step {
                Step::Unchanged {
                    file,
                    id,
                    name,
                    by: Matched::Name | Matched::Retried,
                } => (file, id, name),
                Step::Rename {
                    file,
                    change,
                    by: Matched::Name | Matched::Retried,
                } => (file, &change.id, &change.to),
                _ => continue,
            };
            // Another run began sending this name meanwhile: the asset may be its; leave it.
            // (Asked once, when the first match is learned.)
            if sending.is_none() {
                sending = Some(self.ledger().names_sending(&plan.group)?);
            }
            if sending.as_ref().is_some_and(|names| names.contains(name)) {
                continue;
            }
            let Some(sha256) = plan.contents.get(file) else {
                continue;
            };
            // A copy of a file whose content's key names another asset of the plan: the
            // asset is learned as one more of that content.
            let key = super::content_key(&plan.group, sha256);
            let key = match self.ledger().get(&key)?.and_then(|e| e.id) {
                Some(other) if other != *id && matched.contains(other.as_str()) => {
                    super::content_copy_key(&plan.group, sha256, id)
                }
                _ => key,
            };
            let entry = Entry {
                key,
                group: plan.group.clone(),
                name: name.clone(),
                url: String::new(),
                state: EntryState::Created,
                id: Some(id.clone()),
                error: None,
                at: chrono::Utc::now(),
                object: None,
                cleaned: true,
                sha256: Some(sha256.clone()),
            };
            self.ledger().take_over(&entry)?;
        }
        Ok(())
    }

    async fn apply_renames(&self, plan: &Plan, report: &mut SyncReport) {
        let changes: Vec<NameChange> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Rename { change, .. } => Some(change.clone()),
                _ => None,
            })
            .collect();
        for (change, result) in self.rename_all(changes).await {
            match result {
                Ok(()) => report.renamed.push(Renamed {
                    id: change.id,
                    from: change.from,
                    to: change.to,
                }),
                Err(e) => report.failed.push(failure(&change.id, e.to_string())),
            }
        }
    }

    /// Deletes the plan's extra assets through the one delete use case, each asked of the
    /// ledger again just before it is sent: one that became the asset of one of the folder's
    /// files meanwhile, or whose name another run is sending now, is kept. An asset already
    /// gone is a failure of the step: the account is not as planned.
    async fn apply_deletes(&self, plan: &Plan, made: &[String], report: &mut SyncReport) {
        let names: HashMap<String, String> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Extra {
                    id,
                    name,
                    delete: true,
                } => Some((id.clone(), name.clone())),
                _ => None,
            })
            .collect();
        let ids: Vec<String> = plan.doomed().into_iter().map(str::to_owned).collect();
        let keep = |id: &str| {
            if made.iter().any(|m| m == id) {
                return Some("this run found it as a file's asset".to_owned());
            }
            self.keep_reason(plan, id, &names[id])
        };
        let mut results = self.delete_assets(ids, &keep);
        while let Some((id, deletion)) = results.next().await {
            let name = names[&id].clone();
            match deletion {
                Deletion::Deleted => report.deleted.push(Deleted { id, name }),
                Deletion::Held(why) => report.kept.push(failure(&id, why)),
                // Gone, as the plan wants it (a delete whose answer was lost and was sent
                // again, or someone else's): the account is as planned.
                Deletion::NotFound => report.deleted.push(Deleted { id, name }),
                Deletion::Failed(e) => report.failed.push(failure(&id, e.to_string())),
            }
        }
    }

    /// Why asset `id` (`name`) must not be deleted now, if it must not: the ledger gave it to
    /// the content of one of the plan's files meanwhile, or another run is sending that name.
    fn keep_reason(&self, plan: &Plan, id: &str, name: &str) -> Option<String> {
        let ledger = self.ledger();
        let unreadable =
            |e: crate::ledger::LedgerError| format!("the ledger could not be read ({e})");
        match ledger.created(id) {
            Ok(Some(e)) if plan.holds_key(&e.key) => {
                return Some("it became a file's asset meanwhile".to_owned());
            }
            Err(e) => return Some(unreadable(e)),
            Ok(_) => {}
        }
        match ledger.names_sending(&plan.group) {
            Ok(names) if names.contains(name) => {
                Some("another run is creating an asset of this name".to_owned())
            }
            Ok(_) => None,
            Err(e) => Some(unreadable(e)),
        }
    }

    /// Lists the group again and checks it holds every asset this run made or found for a
    /// file, none of them Failed or gone, and (when it deleted) nothing else but what it kept
    /// on purpose; what does not hold is a failure of the run.
    async fn check_group(
        &self,
        plan: &Plan,
        made: &[String],
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let listing = self.assets(&AssetFilter::group(&plan.group)).await?;
        if let Some(why) = listing.stopped {
            let why = format!("the group could not be listed again to check it: {why}");
            report.failed.push(failure(&plan.group, why));
            return Ok(());
        }
        let there: HashSet<&str> = listing
            .items
            .iter()
            .filter(|a| a.status != Status::Failed)
            .map(|a| a.id.as_str())
            .collect();
        let mut wanted: HashSet<&str> = made.iter().map(String::as_str).collect();
        wanted.extend(plan.steps.iter().filter_map(|s| match s {
            Step::Unchanged { id, .. } => Some(id.as_str()),
            Step::Rename { change, .. } => Some(change.id.as_str()),
            _ => None,
        }));
        let failed: HashSet<&str> = report.failed.iter().map(|r| r.origin.as_str()).collect();
        let missing: Vec<String> = wanted
            .into_iter()
            .filter(|id| !there.contains(id) && !failed.contains(id))
            .map(str::to_owned)
            .collect();
        for id in missing {
            let why = "a file's asset is not in the group at the end (deleted or Failed meanwhile)";
            report.failed.push(failure(&id, why.to_owned()));
        }
        Ok(())
    }
}

/// Whether applying `plan` changes the account.
fn changes_anything(plan: &Plan) -> bool {
    let c = plan.counts();
    c.create + c.rename + c.delete > 0
}
