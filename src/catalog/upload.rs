//! Local files → assets: upload a checked file once per content to the user's object
//! storage, create the asset from a presigned GET through create-once, and delete the object
//! once the asset is done (`cleanup = "after-active"`).
//!
//! The ledger key of a file is `file:<group>:<sha256>`, so the same content imported into the
//! same group again creates nothing: the existing asset is returned. Every step is journalled
//! or idempotent: an object already in the bucket with the file's size is not sent again, and
//! the create goes through [`super::create::create_once`], so a run killed at any moment and
//! started again uploads and creates only what is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::local::LocalFile;
use super::poll::{FEW, Pending, Schedule};
use super::{Catalog, CreateError, Intent, Made, MadeBy};
use crate::api::AssetsApi;
use crate::api::model::{Asset, CreateAsset, Status};
use crate::ledger::{self, EntryState};
use crate::storage::{Cleanup, Progress};

/// What became of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileOutcome {
    /// The asset, and who made it (another run or an earlier one: the group had this content).
    pub made: Made,
    /// Whether the object was uploaded now (false: it was in the bucket already).
    pub uploaded: bool,
}

/// The longest both front ends wait for uploaded assets to leave Processing before leaving
/// their objects to a later run.
pub(crate) const CLEANUP_WAIT: Duration = Duration::from_secs(600);

/// Files cleaned up, and files whose assets are still Processing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cleaned {
    /// Objects deleted.
    pub deleted: usize,
    /// Objects kept because an asset made from them is still Processing.
    pub waiting: usize,
}

impl Catalog {
    /// Uploads `file` (unless its content is there already) and creates an asset of it in
    /// `group`, at most once per content and group unless `allow_duplicates`.
    pub(crate) async fn create_from_file(
        &self,
        file: &LocalFile,
        group: &str,
        name: &str,
        allow_duplicates: bool,
        sent: Progress,
    ) -> Result<FileOutcome, CreateError> {
        let storage = self.storage().ok_or(CreateError::NoStorage)?;
        let sha256 = &file.content.sha256;
        let key = super::sync::content_key(group, sha256);
        let key = if allow_duplicates {
            ledger::one_off_key(&key)
        } else {
            key
        };
        if let Some(made) = self.existing_content(&key).await? {
            return Ok(FileOutcome {
                made,
                uploaded: false,
            });
        }
        let object = storage.object_key(sha256, file.media.extension());
        let uploaded = storage
            .upload(&object, &file.path, &file.content, sent)
            .await?;
        let url = storage.presigned_get(&object);
        let req = CreateAsset::of(
            file.media.kind(),
            group,
            url.to_string(),
            Some(name.to_owned()),
        );
        let intent = Intent::new(&key, group).of_file(&object, sha256);
        let made = self.create_once(&intent, &req).await?;
        Ok(FileOutcome { made, uploaded })
    }

    /// The asset the ledger says `key`'s content already is, unless that asset failed or is
    /// gone: then its record says so, and the content is created again.
    async fn existing_content(&self, key: &str) -> Result<Option<Made>, CreateError> {
        let Some(entry) = self.ledger().get(key)? else {
            return Ok(None);
        };
        let Some(id) = entry
            .id
            .clone()
            .filter(|_| entry.state == EntryState::Created)
        else {
            return Ok(None);
        };
        let gone = match self.client().get_asset(&id).await {
            Ok(asset) if asset.status == crate::api::model::Status::Failed => {
                let why = asset.error.map(|e| format!("{} {}", e.code, e.message));
                self.ledger()
                    .failed_again(key, why.as_deref().unwrap_or("Failed"))?;
                "is Failed"
            }
            Ok(_) => {
                let by = MadeBy::EarlierRun;
                return Ok(Some(Made { id, by }));
            }
            Err(e) if e.is_not_found() => "was deleted",
            Err(e) => return Err(e.into()),
        };
        self.ledger().record(&ledger::Entry {
            state: EntryState::Failed,
            error: Some(format!("{id} {gone}: created again")),
            ..entry
        })?;
        Ok(None)
    }

    /// Deletes each uploaded object as soon as its assets have all left Processing (with
    /// `cleanup = "after-active"`), those of earlier runs included, looking again on the one
    /// polling schedule ([`Schedule`]) while some are Processing, for at most `bound` (what is
    /// left then is a later run's to delete). `waiting` is told once, the first time objects
    /// are kept waiting, how many. Answers what was deleted in all and what was still waiting at
    /// the end.
    pub(crate) async fn clean_uploads_when_done(
        &self,
        bound: Duration,
        waiting: impl FnOnce(usize),
    ) -> Result<Cleaned, CreateError> {
        let deadline = tokio::time::Instant::now() + bound;
        let mut waiting = Some(waiting);
        let mut deleted = 0;
        let mut schedule = Schedule::default();
        let mut last = BTreeMap::new();
        loop {
            let cleaned = self.clean_uploads(&mut last).await?;
            deleted += cleaned.deleted;
            if cleaned.waiting == 0 || tokio::time::Instant::now() >= deadline {
                return Ok(Cleaned { deleted, ..cleaned });
            }
            if let Some(tell) = waiting.take() {
                tell(cleaned.waiting);
            }
            schedule.polled(cleaned.deleted > 0);
            schedule.sleep(deadline).await;
        }
    }

    /// Deletes the uploaded objects whose assets have all left Processing (with
    /// `cleanup = "after-active"`), including those of earlier runs: one look. `last` keeps the
    /// assets as last seen between looks.
    async fn clean_uploads(
        &self,
        last: &mut BTreeMap<String, Asset>,
    ) -> Result<Cleaned, CreateError> {
        let Some(storage) = self.storage() else {
            return Ok(Cleaned::default());
        };
        if storage.cleanup == Cleanup::Keep {
            return Ok(Cleaned::default());
        }
        let mut by_object: BTreeMap<String, Vec<ledger::Entry>> = BTreeMap::new();
        for e in self.ledger().uncleaned()? {
            if let Some(object) = e.object.clone() {
                by_object.entry(object).or_default().push(e);
            }
        }
        let processing = self
            .still_processing(by_object.values().flatten(), last)
            .await?;
        let mut cleaned = Cleaned::default();
        for (object, entries) in by_object {
            if entries
                .iter()
                .any(|e| e.id.as_ref().is_some_and(|id| processing.contains(id)))
            {
                cleaned.waiting += 1;
                continue;
            }
            storage.delete(&object).await?;
            for e in entries {
                self.ledger()
                    .record(&ledger::Entry { cleaned: true, ..e })?;
            }
            cleaned.deleted += 1;
        }
        Ok(cleaned)
    }

    /// The ids of `entries`' assets that are Processing now. Per group: the assets of a group
    /// with more than [`FEW`], each seen before (in `last`), by one poll of the group; else
    /// GetAsset each (an asset not found is done).
    async fn still_processing(
        &self,
        entries: impl Iterator<Item = &ledger::Entry>,
        last: &mut BTreeMap<String, Asset>,
    ) -> Result<BTreeSet<String>, CreateError> {
        let mut by_group: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for e in entries {
            if let Some(id) = &e.id {
                by_group.entry(&e.group).or_default().insert(id);
            }
        }
        let mut processing = BTreeSet::new();
        for (group, ids) in by_group {
            let seen: Vec<Pending> = ids
                .iter()
                .filter_map(|id| last.get(*id))
                .map(Pending::from)
                .collect();
            if ids.len() > FEW && seen.len() == ids.len() {
                for a in self.poll(group, &seen).await? {
                    last.insert(a.id.clone(), a);
                }
            } else {
                for id in &ids {
                    match self.client().get_asset(id).await {
                        Ok(a) => last.insert(a.id.clone(), a),
                        Err(err) if err.is_not_found() => last.remove(*id),
                        Err(err) => return Err(err.into()),
                    };
                }
            }
            let busy = |id: &&str| {
                last.get(*id)
                    .is_some_and(|a| a.status == Status::Processing)
            };
            processing.extend(ids.into_iter().filter(busy).map(str::to_owned));
        }
        Ok(processing)
    }
}
