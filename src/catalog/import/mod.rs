//! Importing many assets into a group: the one engine behind `import`, the TUI's folder
//! import and `sync`'s creates. It gathers rows ([`rows`]), checks every one before anything
//! is sent ([`check`]), leaves out what is already there, and creates the rest through
//! create-once as fast as the client's limits allow, saying what happens as [`Event`]s, which
//! each front end shows its own way.
//!
//! Every create is journalled: a URL row's ledger key follows its content (group, URL, name
//! and occurrence), a file's its content hash, so an import run again after Ctrl-C, a crash or
//! a lost answer creates only what is missing.

pub mod check;
mod report;
pub mod rows;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;

pub use super::source::Source;
pub use check::{Checks, Ready};
pub(crate) use report::Events;
pub use report::{Done, Event, How, ImportError, Report, batch_estimate};
pub use rows::{Input, Refused, Row, reasons};

use super::walk::Reach;
use super::{Catalog, CreateError, Intent, Made, MadeBy};
use crate::api::model::{Action, AssetFilter, CreateAsset};
use crate::api::sign::sha256_hex;
use crate::ledger::EntryState;

/// What an import is asked to do.
#[derive(Debug, Clone)]
pub struct Import {
    /// Files, folders and listings.
    pub inputs: Vec<Input>,
    /// Include sub-folders.
    pub recursive: bool,
    /// Follow links to folders and files outside the folders given.
    pub follow_links: bool,
    /// How rows are checked.
    pub checks: Checks,
    /// Leave out rows whose name an asset of the group already has.
    pub skip_existing: bool,
    /// Create files whose content the group already has.
    pub allow_duplicates: bool,
    /// Creates in flight at once (the client paces them and caps those Processing).
    pub in_flight: usize,
    /// With a known quota, create the rows that fit (the rest reported failed) instead of
    /// refusing the whole import.
    pub partial: bool,
}

impl Default for Import {
    fn default() -> Self {
        Import {
            inputs: Vec::new(),
            recursive: false,
            follow_links: false,
            checks: Checks::default(),
            skip_existing: false,
            allow_duplicates: false,
            in_flight: crate::api::limits::MAX_CONCURRENT_CREATIONS,
            partial: false,
        }
    }
}
impl Catalog {
    /// Imports `job` into `group`, telling `events` what happens. The report has every row.
    pub async fn import(
        &self,
        group: &str,
        job: Import,
        events: Events,
    ) -> Result<Report, ImportError> {
        self.resume_rates();
        let (ready, mut report) = self.prepare(&job, &events).await?;
        let mut todo = self.plan(group, ready, &job, &mut report).await?;
        let room = self.room_for(todo.len(), job.partial).await?;
        for (past, _) in todo.split_off(room.min(todo.len())) {
            let row = past.row();
            report.failed.push(Refused {
                origin: row.origin.clone(),
                line: row.line,
                error: "not created: past the account's quota of assets (--partial)".to_owned(),
            });
        }
        let bytes: u64 = todo
            .iter()
            .map(|(r, _)| match r {
                Ready::File { file, .. } => file.content.bytes,
                Ready::Url { .. } => 0,
            })
            .sum();
        let limits = self.client().limits();
        let throttled = limits.throttled();
        events(Event::Started {
            rows: todo.len(),
            bytes,
            already: report.already.len() + report.skipped.len(),
            per_minute: limits.per_minute(Action::CreateAsset),
        });
        let created = self.create_all(group, todo, (&job, bytes), &events).await;
        report.throttled = limits.throttled() - throttled;
        for ended in created {
            match ended {
                Ok((done, How::Created)) => report.created.push(done),
                Ok((done, How::Already)) => report.already.push(done),
                Ok((done, How::ByOtherRun)) => report.by_other_run.push(done),
                Err(refused) => report.failed.push(refused),
            }
        }
        report
            .created
            .sort_by(|a, b| (&a.source, a.line).cmp(&(&b.source, b.line)));
        Ok(report)
    }

    /// How many of `creates` the account's quota leaves room for (all when it has none, or
    /// when the dialect cannot count the account); refused before anything is sent when they
    /// do not all fit, unless `partial`.
    async fn room_for(&self, creates: usize, partial: bool) -> Result<usize, ImportError> {
        let Some(quota) = self.quota() else {
            return Ok(creates);
        };
        if creates == 0 || !self.dialect().can_list() {
            return Ok(creates);
        }
        let have = self.assets(&AssetFilter::default()).await?.items.len();
        let room = quota.assets.saturating_sub(have);
        if creates <= room || partial {
            return Ok(room.min(creates));
        }
        Err(ImportError::OverQuota {
            have,
            quota: quota.assets,
            creates,
            over: creates - room,
        })
    }

    /// Gathers and checks every row; the ready ones, and a report with those left out and
    /// refused.
    async fn prepare(
        &self,
        job: &Import,
        events: &Events,
    ) -> Result<(Vec<Ready>, Report), ImportError> {
        let inputs = job.inputs.clone();
        let reach = Reach {
            recursive: job.recursive,
            follow_links: job.follow_links,
        };
        let gathered = tokio::task::spawn_blocking(move || rows::gather(&inputs, reach))
            .await
            .map_err(|e| ImportError::Gather(e.to_string()))?;
        if gathered
            .rows
            .iter()
            .any(|r| matches!(r.source, Source::File(_)))
        {
            let storage = self.storage().ok_or(CreateError::NoStorage)?;
            storage.check_bucket().await.map_err(CreateError::from)?;
        }
        gathered
            .left_out
            .iter()
            .for_each(|r| events(Event::LeftOut(r)));
        let mut rows = gathered.rows;
        name_rows(&mut rows);
        let (ready, refused) = check::check_all(rows, &self.checks_for(&job.checks)).await;
        let mut invalid = gathered.refused;
        invalid.extend(refused);
        invalid.iter().for_each(|r| events(Event::Refused(r)));
        for r in &ready {
            for text in r.warnings() {
                events(Event::Warning {
                    origin: &r.row().origin,
                    text,
                });
            }
        }
        let report = Report {
            left_out: gathered.left_out,
            invalid,
            ..Report::default()
        };
        Ok((ready, report))
    }

    /// The rows still to create, each with its ledger key (URL rows); those already assets or
    /// left out go into `report`.
    async fn plan(
        &self,
        group: &str,
        ready: Vec<Ready>,
        job: &Import,
        report: &mut Report,
    ) -> Result<Vec<(Ready, Option<String>)>, ImportError> {
        let existing = if job.skip_existing {
            self.names_in(group).await?
        } else {
            HashMap::new()
        };
        // Keyed by the name given, else by the URL's file name as every version has keyed
        // unnamed rows (whatever name they get), so a run after an upgrade creates nothing twice.
        let key_names: Vec<(String, String)> = ready
            .iter()
            .filter_map(|r| match r {
                Ready::Url { url, row, .. } => Some((
                    url.clone(),
                    row.name
                        .clone()
                        .unwrap_or_else(|| super::names::key_name(url)),
                )),
                Ready::File { .. } => None,
            })
            .collect();
        let mut url_keys = keys(
            group,
            key_names.iter().map(|(u, n)| (u.as_str(), n.as_str())),
        )
        .into_iter();
        let mut todo = Vec::new();
        for r in ready {
            let key = match &r {
                Ready::Url { row, .. } => url_keys.next().map(|k| row.key.clone().unwrap_or(k)),
                Ready::File { .. } => None,
            };
            if let Some(id) = self.created_by_key(key.as_deref())? {
                report.already.push(Done::of(&r, id));
            } else if let Some(id) = existing.get(r.name()) {
                report.skipped.push(Done::of(&r, id.clone()));
            } else {
                todo.push((r, key));
            }
        }
        Ok(todo)
    }

    /// The assets of `group` by name, from a complete listing (an incomplete one would create
    /// twice).
    async fn names_in(&self, group: &str) -> Result<HashMap<String, String>, ImportError> {
        let listing = self.assets(&AssetFilter::group(group)).await?;
        if let Some(why) = listing.stopped {
            return Err(ImportError::Incomplete(why));
        }
        Ok(listing.items.into_iter().map(|a| (a.name, a.id)).collect())
    }

    /// The asset the ledger says `key` was created as, when it was.
    fn created_by_key(&self, key: Option<&str>) -> Result<Option<String>, CreateError> {
        let Some(key) = key else { return Ok(None) };
        Ok(self
            .ledger()
            .get(key)?
            .filter(|e| e.state == EntryState::Created)
            .map(|e| e.id.unwrap_or_default()))
    }

    /// Creates `todo` (`job.in_flight` at a time; `total` bytes to upload), telling `events`
    /// as each ends.
    async fn create_all(
        &self,
        group: &str,
        todo: Vec<(Ready, Option<String>)>,
        (job, total): (&Import, u64),
        events: &Events,
    ) -> Vec<Result<(Done, How), Refused>> {
        let uploaded = Arc::new(AtomicU64::new(0));
        let mut results = futures::stream::iter(todo)
            .map(|(ready, key)| {
                let sent = upload_progress(events.clone(), uploaded.clone(), total);
                async move {
                    let outcome = self
                        .create_ready(group, &ready, key, job.allow_duplicates, sent)
                        .await;
                    (ready, outcome)
                }
            })
            .buffer_unordered(job.in_flight.max(1));
        let mut ended = Vec::new();
        while let Some((ready, outcome)) = results.next().await {
            let ended_as = match outcome {
                Ok(made) => {
                    let how = match made.by {
                        MadeBy::ThisRun => How::Created,
                        MadeBy::EarlierRun => How::Already,
                        MadeBy::OtherRun => How::ByOtherRun,
                    };
                    let done = Done::of(&ready, made.id);
                    events(Event::Done(&done, how));
                    Ok((done, how))
                }
                Err(e) => {
                    let row = ready.row();
                    let refused = Refused {
                        origin: row.origin.clone(),
                        line: row.line,
                        error: e.to_string(),
                    };
                    events(Event::Failed(&refused));
                    Err(refused)
                }
            };
            ended.push(ended_as);
        }
        ended
    }

    /// Creates one checked row in `group`: a URL under its ledger `key`, a file once per
    /// content (unless `allow_duplicates`), its upload reported to `sent`.
    pub(super) async fn create_ready(
        &self,
        group: &str,
        ready: &Ready,
        key: Option<String>,
        allow_duplicates: bool,
        sent: crate::storage::Progress,
    ) -> Result<Made, CreateError> {
        match ready {
            Ready::Url {
                url, name, kind, ..
            } => {
                let req = CreateAsset::of(*kind, group, url.clone(), Some(name.clone()));
                let key = key.unwrap_or_else(|| crate::ledger::one_off_key("add"));
                self.create_once(&Intent::new(&key, group), &req).await
            }
            Ready::File { file, name, .. } => self
                .create_from_file(file, group, name, allow_duplicates, sent)
                .await
                .map(|o| o.made),
        }
    }
}

/// Gives the rows without a name their default: the stem of their file, or the whole file
/// name where two rows share a stem (see [`crate::catalog::names`]).
fn name_rows(rows: &mut [Row]) {
    let unnamed: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].name.is_none())
        .collect();
    let names = super::names::default_names(unnamed.iter().map(|&i| &rows[i].source));
    for (i, name) in unnamed.into_iter().zip(names) {
        rows[i].default_name = Some(name);
    }
}

/// A file's upload progress, added into the import's total and told to `events`.
fn upload_progress(
    events: Events,
    uploaded: Arc<AtomicU64>,
    total: u64,
) -> crate::storage::Progress {
    let last = AtomicU64::new(0);
    Arc::new(move |n| {
        let delta = n.saturating_sub(last.swap(n, Ordering::Relaxed));
        let sent = uploaded.fetch_add(delta, Ordering::Relaxed) + delta;
        events(Event::Uploaded { sent, total });
    })
}

/// Ledger keys of URL rows by content, so that editing the listing (moving rows) does not
/// re-create them; identical rows are told apart by their occurrence. (Files are keyed by
/// their content's hash.)
fn keys<'a>(group: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    rows.map(|(url, name)| {
        let n = seen.entry((url.to_owned(), name.to_owned())).or_default();
        *n += 1;
        let digest = sha256_hex(format!("{group}\n{url}\n{name}").as_bytes());
        format!("import:{}:{}", &digest[..32], n)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_longer_than_a_minute_is_said_before_it_starts() {
        assert_eq!(
            batch_estimate(60, 3.0).as_deref(),
            Some("60 creates at 3 a minute: about 20 minutes")
        );
        assert_eq!(
            batch_estimate(40, 2.85).as_deref(),
            Some("40 creates at 2.9 a minute: about 14 minutes")
        );
        assert_eq!(
            batch_estimate(500, 120.0).as_deref(),
            Some("500 creates at 2 a second: about 5 minutes")
        );
        assert_eq!(
            batch_estimate(2000, 3.0).as_deref(),
            Some("2000 creates at 3 a minute: about 11.1 hours")
        );
        assert_eq!(batch_estimate(40, 117.6), None, "under a minute");
        assert_eq!(batch_estimate(0, 3.0), None);
    }

    #[test]
    fn keys_follow_content_not_position() {
        let a = keys("g", [("u1", "n"), ("u2", "n"), ("u1", "n")].into_iter());
        let b = keys("g", [("u2", "n"), ("u1", "n"), ("u1", "n")].into_iter());
        assert_eq!(a[0], b[1]);
        assert_eq!(a[1], b[0]);
        assert_eq!(a[2], b[2]);
        assert_ne!(a[0], a[2]);
        assert_ne!(keys("other", [("u1", "n")].into_iter())[0], a[0]);
    }
}
