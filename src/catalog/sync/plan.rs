//! A sync's plan: the folder read and hashed, the group listed once, files and assets matched
//! (by content through the ledger, else by name), and what may not be done held back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::super::import::{Checks, Input, Refused, Row, Source, check, rows};
use super::super::rename::NameChange;
use super::super::walk::Reach;
use super::{Matched, Plan, Step, SyncError, SyncOptions, content_key};
use crate::api::model::{Asset, AssetFilter, Status};
use crate::catalog::Catalog;
use crate::ledger::{EntryState, Ledger, LedgerError};

/// A media file of the folder: where it is, the name it should have, the names it may have,
/// and its content's hash.
pub(super) struct FolderFile {
    pub path: PathBuf,
    pub name: String,
    pub forms: [String; 3],
    pub sha256: String,
}

/// What reading the folder found.
struct Folder {
    files: Vec<FolderFile>,
    /// Paths that could not be read.
    unreadable: Vec<Refused>,
    left_out: Vec<Refused>,
}

impl Catalog {
    /// Plans the sync of `group` with `folder`: reads (and hashes) the folder, lists the group
    /// once, and matches them; checks the files to create, which are refused when they break
    /// a rule. Sends nothing that changes the account, and writes nothing.
    pub async fn plan_sync(
        &self,
        group: &str,
        folder: &Path,
        opts: &SyncOptions,
    ) -> Result<Plan, SyncError> {
        let known = (!opts.checksum).then(|| self.ledger());
        let reach = Reach {
            recursive: opts.recursive,
            follow_links: opts.follow_links,
        };
        let read = folder_files(folder, reach, known).await?;
        let listing = self.assets(&AssetFilter::group(group)).await?;
        if let Some(why) = listing.stopped {
            return Err(SyncError::Incomplete(why));
        }
        let matcher = Matcher::new(self.ledger(), group, &listing.items, opts)?;
        let (steps, failed_twice) = matcher.steps(&read.files)?;
        let contents = read
            .files
            .iter()
            .map(|f| (f.path.clone(), f.sha256.clone()))
            .collect();
        let mut plan = Plan {
            group: group.to_owned(),
            folder: folder.to_owned(),
            steps,
            unreadable: read.unreadable.len(),
            refused: read.unreadable,
            left_out: read.left_out,
            notes: Vec::new(),
            listed: listing.items.len(),
            contents,
            deletes: false,
        }
        .deleting(opts.delete);
        plan.refused.extend(failed_twice);
        if opts.delete && plan.unreadable > 0 {
            plan.notes.push(format!(
                "nothing is deleted: {} path(s) of the folder could not be read, so what they \
                 hold is unknown",
                plan.unreadable
            ));
        }
        if !self.dialect().can_change() {
            limit_to_creates(&mut plan);
        }
        self.check_creates(&mut plan, &opts.checks).await;
        Ok(plan)
    }

    /// Plans `agreed`'s sync again (the folder or the group may have changed since it was
    /// shown, while a person thought about its deletions), deleting no asset `agreed` did not
    /// name: the new plan, and how many deletions it held back for that.
    pub async fn plan_again(
        &self,
        agreed: &Plan,
        opts: &SyncOptions,
    ) -> Result<(Plan, usize), SyncError> {
        let mut again = self.plan_sync(&agreed.group, &agreed.folder, opts).await?;
        let named: HashSet<&str> = agreed.doomed().into_iter().collect();
        let mut held_back = 0;
        for step in &mut again.steps {
            if let Step::Extra { id, delete, .. } = step
                && *delete
                && !named.contains(id.as_str())
            {
                *delete = false;
                held_back += 1;
            }
        }
        if held_back > 0 {
            again.notes.push(format!(
                "{held_back} asset(s) no file matches appeared after the question and are kept"
            ));
        }
        Ok((again, held_back))
    }

    /// Checks the files to create; those that break a rule leave the plan for its refusals.
    async fn check_creates(&self, plan: &mut Plan, checks: &Checks) {
        let rows: Vec<Row> = plan.steps.iter().filter_map(create_row).collect();
        let (_, refused) = check::check_all(rows, checks).await;
        let refused_files: HashSet<String> = refused.iter().map(|r| r.origin.clone()).collect();
        plan.steps.retain(|s| match create_row(s) {
            Some(row) => !refused_files.contains(&row.origin),
            None => true,
        });
        plan.refused.extend(refused);
    }
}

/// The endpoint can create and read only (the global dialect): renames become unchanged and
/// nothing is deleted, said once up front.
fn limit_to_creates(plan: &mut Plan) {
    let (mut renames, mut deletes) = (0, 0);
    for step in &mut plan.steps {
        match step {
            Step::Rename { file, change, by } => {
                renames += 1;
                *step = Step::Unchanged {
                    file: file.clone(),
                    id: change.id.clone(),
                    name: change.from.clone(),
                    by: *by,
                };
            }
            Step::Extra { delete, .. } if *delete => {
                deletes += 1;
                *delete = false;
            }
            _ => {}
        }
    }
    if renames + deletes > 0 {
        plan.notes.push(format!(
            "this endpoint (the global dialect) cannot rename or delete assets: {renames} \
             rename(s) and {deletes} deletion(s) are left out"
        ));
    }
}

/// The import row of a step that creates.
pub(super) fn create_row(step: &Step) -> Option<Row> {
    match step {
        Step::Create { file, name }
        | Step::Recreate { file, name, .. }
        | Step::Busy { file, name, .. } => Some(Row {
            name: Some(name.clone()),
            ..Row::file(file.clone())
        }),
        _ => None,
    }
}

/// What the ledger says of a file's content in the group.
enum Known<'a> {
    /// Its asset, usable.
    Asset(&'a Asset),
    /// The asset `assets retry` made in place of its Failed one.
    Retried(&'a Asset),
    /// Its asset ended Failed: `times` so far, counting this one.
    Failed { asset: &'a Asset, times: u32 },
    /// Another live run is creating it.
    Busy(String),
    /// Nothing the listing holds.
    Nothing,
}

/// Matches a folder's files to a group's assets.
struct Matcher<'a> {
    ledger: &'a Ledger,
    group: &'a str,
    /// The group's assets, oldest first (a name shared by two is the older's).
    assets: Vec<&'a Asset>,
    by_id: HashMap<&'a str, &'a Asset>,
    /// Names other runs that are alive are sending in the group now.
    sending: HashSet<String>,
    opts: &'a SyncOptions,
}

/// A file's match so far: an earlier file of the same content, an asset, or to be created.
enum Found<'a> {
    Duplicate(&'a Path),
    Asset(&'a Asset, Matched),
    Recreate(&'a Asset),
    Refused(&'a Asset, u32),
    Busy(String),
    Create,
}

impl<'a> Matcher<'a> {
    fn new(
        ledger: &'a Ledger,
        group: &'a str,
        assets: &'a [Asset],
        opts: &'a SyncOptions,
    ) -> Result<Self, LedgerError> {
        let mut sorted: Vec<&Asset> = assets.iter().collect();
        sorted.sort_by_key(|a| a.create_time);
        Ok(Matcher {
            ledger,
            group,
            by_id: assets.iter().map(|a| (a.id.as_str(), a)).collect(),
            assets: sorted,
            sending: ledger.names_sending(group)?,
            opts,
        })
    }

    /// The steps that bring the group in step with `files`, in the folder's order, then the
    /// assets no file matches; and the files whose content failed twice (refused).
    fn steps(&self, files: &'a [FolderFile]) -> Result<(Vec<Step>, Vec<Refused>), LedgerError> {
        let mut found = self.by_content(files)?;
        let mut claimed: HashSet<&str> = found
            .iter()
            .filter_map(|f| match f {
                Found::Asset(a, _) | Found::Recreate(a) | Found::Refused(a, _) => {
                    Some(a.id.as_str())
                }
                _ => None,
            })
            .collect();
        self.by_name(files, &mut found, &mut claimed)?;
        let mut refused = Vec::new();
        let mut steps: Vec<Step> = Vec::with_capacity(files.len());
        for (file, found) in files.iter().zip(found) {
            match found {
                Found::Refused(asset, times) => refused.push(failed_twice(file, asset, times)),
                found => steps.push(step_of(file, found)),
            }
        }
        steps.extend(self.extras(&claimed));
        Ok((steps, refused))
    }

    /// Each file matched by content (through the ledger), or an earlier file's duplicate.
    fn by_content(&self, files: &'a [FolderFile]) -> Result<Vec<Found<'a>>, LedgerError> {
        let mut first_of: HashMap<&str, &Path> = HashMap::new();
        let mut found = Vec::with_capacity(files.len());
        for file in files {
            if let Some(first) = first_of.get(file.sha256.as_str()) {
                found.push(Found::Duplicate(first));
                continue;
            }
            first_of.insert(&file.sha256, &file.path);
            found.push(match self.known(&file.sha256)? {
                Known::Asset(a) => Found::Asset(a, Matched::Content),
                Known::Retried(a) => Found::Asset(a, Matched::Retried),
                Known::Failed { asset, times } if times >= 2 && !self.opts.retry_failed => {
                    Found::Refused(asset, times)
                }
                Known::Failed { asset, .. } => Found::Recreate(asset),
                Known::Busy(owner) => Found::Busy(owner),
                Known::Nothing => Found::Create,
            });
        }
        Ok(found)
    }

    /// What the ledger says `sha256`'s content is in the group.
    fn known(&self, sha256: &str) -> Result<Known<'a>, LedgerError> {
        let key = content_key(self.group, sha256);
        if let Some(owner) = self.ledger.holder(&key)? {
            return Ok(Known::Busy(owner));
        }
        let Some(entry) = self.ledger.get(&key)? else {
            return Ok(Known::Nothing);
        };
        let Some(id) = entry
            .id
            .as_deref()
            .filter(|_| entry.state != EntryState::Pending)
        else {
            return Ok(Known::Nothing);
        };
        if let Some(again) = self.retried(id)? {
            return Ok(Known::Retried(again));
        }
        let Some(asset) = self.by_id.get(id).copied() else {
            return Ok(Known::Nothing);
        };
        if asset.status != Status::Failed {
            return Ok(Known::Asset(asset));
        }
        // A Created entry's asset failed now: not counted yet.
        let counted = self.ledger.failures(&key)?.map_or(0, |(n, _)| n);
        let times = counted + u32::from(entry.state == EntryState::Created);
        Ok(Known::Failed {
            asset,
            times: times.max(1),
        })
    }

    /// The asset `assets retry` made again in place of `id` (Failed, or deleted since), the
    /// newest of a chain of retries, when the group holds it.
    fn retried(&self, id: &str) -> Result<Option<&'a Asset>, LedgerError> {
        let mut found = None;
        let mut current = id.to_owned();
        // A chain of retries is short; the bound keeps a damaged ledger from looping.
        for _ in 0..16 {
            let again = self.ledger.get(&format!("retry:{current}"))?;
            let Some(next) = again
                .filter(|e| e.state == EntryState::Created)
                .and_then(|e| e.id)
            else {
                break;
            };
            if let Some(asset) = self.by_id.get(next.as_str()) {
                found = Some(*asset);
            }
            current = next;
        }
        Ok(found)
    }

    /// Files still to create matched to an asset of their name: one this ledger does not know
    /// (any, with `match_names`), not Failed, not claimed; first by the name the file would
    /// get, then by any of its names when only one such file has it.
    fn by_name(
        &self,
        files: &[FolderFile],
        found: &mut [Found<'a>],
        claimed: &mut HashSet<&'a str>,
    ) -> Result<(), LedgerError> {
        let mut free: Vec<&'a Asset> = Vec::new();
        for a in &self.assets {
            let usable = a.status != Status::Failed
                && !claimed.contains(a.id.as_str())
                && !self.sending.contains(&a.name);
            if usable && (self.opts.match_names || !self.ledger.knows(&a.id)?) {
                free.push(a);
            }
        }
        let open: Vec<usize> = (0..files.len())
            .filter(|&i| matches!(found[i], Found::Create))
            .collect();
        // A name two files would share (cut to the longest name, say) tells neither apart.
        let mut planned: HashMap<&str, usize> = HashMap::new();
        for file in files {
            *planned.entry(file.name.as_str()).or_default() += 1;
        }
        let take = |name: &str, claimed: &mut HashSet<&'a str>| {
            let asset = free
                .iter()
                .find(|a| a.name == name && !claimed.contains(a.id.as_str()))?;
            claimed.insert(&asset.id);
            Some(Found::Asset(asset, Matched::Name))
        };
        for &i in &open {
            if planned[files[i].name.as_str()] > 1 {
                continue;
            }
            if let Some(matched) = take(&files[i].name, claimed) {
                found[i] = matched;
            }
        }
        let open: Vec<usize> = open
            .into_iter()
            .filter(|&i| matches!(found[i], Found::Create))
            .collect();
        let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in &open {
            for form in &files[i].forms {
                holders.entry(form).or_default().push(i);
            }
        }
        for &i in &open {
            for form in &files[i].forms {
                let only_this = holders[form.as_str()].iter().all(|&j| j == i);
                if !only_this || !matches!(found[i], Found::Create) {
                    continue;
                }
                if let Some(matched) = take(form, claimed) {
                    found[i] = matched;
                }
            }
        }
        Ok(())
    }

    /// The assets no file matches: deleted (when asked) or reported, except those another run
    /// may be making, which are kept.
    fn extras(&self, claimed: &HashSet<&str>) -> Vec<Step> {
        self.assets
            .iter()
            .filter(|a| !claimed.contains(a.id.as_str()))
            .map(|a| {
                let (id, name) = (a.id.clone(), a.name.clone());
                if self.sending.contains(&a.name) {
                    let why = "another run is creating an asset of this name".to_owned();
                    Step::Kept { id, name, why }
                } else {
                    let delete = self.opts.delete;
                    Step::Extra { id, name, delete }
                }
            })
            .collect()
    }
}

/// The step for `file` as it was matched.
fn step_of(file: &FolderFile, found: Found<'_>) -> Step {
    let (path, name) = (file.path.clone(), file.name.clone());
    match found {
        Found::Duplicate(first) => Step::Duplicate {
            file: path,
            of: first.to_owned(),
        },
        Found::Asset(asset, by) if asset.name == file.name || file.forms.contains(&asset.name) => {
            Step::Unchanged {
                file: path,
                id: asset.id.clone(),
                name: asset.name.clone(),
                by,
            }
        }
        Found::Asset(asset, by) => Step::Rename {
            file: path,
            change: NameChange {
                id: asset.id.clone(),
                from: asset.name.clone(),
                to: name,
            },
            by,
        },
        Found::Recreate(asset) => Step::Recreate {
            file: path,
            name,
            failed: asset.id.clone(),
            why: failure_of(asset),
        },
        Found::Busy(owner) => Step::Busy {
            file: path,
            name,
            owner,
        },
        Found::Create | Found::Refused(..) => Step::Create { file: path, name },
    }
}

/// Why `asset` failed, in words.
fn failure_of(asset: &Asset) -> String {
    match &asset.error {
        Some(e) if !e.code.is_empty() || !e.message.is_empty() => {
            format!("{} {}", e.code, e.message).trim().to_owned()
        }
        _ => "no reason given".to_owned(),
    }
}

/// The refusal of a file whose content's assets failed `times` times.
fn failed_twice(file: &FolderFile, asset: &Asset, times: u32) -> Refused {
    Refused {
        origin: file.path.display().to_string(),
        line: 0,
        error: format!(
            "its assets failed {times} times (the last, {}: {}); not created again without \
             --retry-failed",
            asset.id,
            failure_of(asset)
        ),
    }
}

/// The media files of `folder` with the names they should have and their hashes (those of
/// files unchanged since `known` kept them taken from it, without reading the files); the
/// paths that cannot be read, and what is left out (not media).
async fn folder_files(
    folder: &Path,
    reach: Reach,
    known: Option<&Ledger>,
) -> Result<Folder, SyncError> {
    let not_a_folder = |why: String| SyncError::Folder {
        folder: folder.to_owned(),
        why,
    };
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(not_a_folder("is not a folder".to_owned())),
        Err(e) => return Err(not_a_folder(format!("cannot be read: {e}"))),
    }
    let input = vec![Input::Path(folder.to_owned())];
    let gathered = tokio::task::spawn_blocking(move || rows::gather(&input, reach))
        .await
        .map_err(|e| not_a_folder(e.to_string()))?;
    let mut paths = Vec::new();
    let mut origins = Vec::new();
    for row in gathered.rows {
        if let Source::File(path) = row.source {
            paths.push(path);
            origins.push(row.origin);
        }
    }
    let names = super::super::names::folder_names(folder, &paths);
    let mut read = Folder {
        files: Vec::with_capacity(paths.len()),
        unreadable: gathered.refused,
        left_out: gathered.left_out,
    };
    let mut hashed = Vec::new();
    for ((path, name), origin) in paths.into_iter().zip(names).zip(origins) {
        match content_of(&path, known, &mut hashed).await {
            Ok(sha256) => read.files.push(FolderFile {
                forms: super::super::names::forms(folder, &path),
                path,
                name,
                sha256,
            }),
            Err(e) => read.unreadable.push(Refused {
                origin,
                line: 0,
                error: crate::files::problem(&e),
            }),
        }
    }
    if let Some(ledger) = known {
        ledger.keep_hashes(&hashed)?;
    }
    Ok(read)
}

/// The sha256 of the file at `path`: as `known` kept it when the file is unchanged since (its
/// stamp), else read whole, and then added to `hashed` for `known` to keep.
async fn content_of(
    path: &Path,
    known: Option<&Ledger>,
    hashed: &mut Vec<(PathBuf, String, String)>,
) -> std::io::Result<String> {
    let real = std::fs::canonicalize(path)?;
    let stamp = crate::ledger::stamp(&std::fs::metadata(&real)?);
    if let (Some(ledger), Some(stamp)) = (known, &stamp)
        && let Ok(Some(sha256)) = ledger.hash_of(&real, stamp)
    {
        return Ok(sha256);
    }
    let sha256 = crate::storage::hash_file(path).await?.sha256;
    // Kept only when the file did not move while it was read, and its last change is old
    // enough that a rewrite within the same clock tick would have moved its stamp.
    let after = std::fs::metadata(&real)?;
    let settled = after
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= SETTLED);
    if let Some(stamp) =
        stamp.filter(|s| settled && crate::ledger::stamp(&after).as_ref() == Some(s))
    {
        hashed.push((real, stamp, sha256.clone()));
    }
    Ok(sha256)
}

/// How long ago a file must have last changed for its hash to be kept by its stamp.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);
