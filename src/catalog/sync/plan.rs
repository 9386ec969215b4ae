//! A sync's plan: the folder read and hashed (an unchanged file by its stamp), the group listed
//! once, files and assets matched ([`super::matcher`]), checked, and what may not be done held
//! back.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::super::import::{Checks, Input, Refused, Row, Source, check, rows};
use super::super::walk::Reach;
use super::FolderFile;
use super::matcher::Matcher;
use super::{Plan, Step, SyncError, SyncOptions};
use crate::api::model::{Asset, AssetFilter};
use crate::catalog::{Catalog, Listing};
use crate::ledger::Ledger;

/// What reading the folder found.
struct Folder {
    files: Vec<FolderFile>,
    /// Paths that could not be read.
    unreadable: Vec<Refused>,
    left_out: Vec<Refused>,
}

impl Catalog {
    /// Plans the sync of `group` with `folder`: reads (and hashes) the folder, lists the group
    /// (again when the plan creates, until two listings agree), and matches them; checks the
    /// files to create, which are refused when they break a rule. Sends nothing that changes
    /// the account, and writes nothing.
    pub(crate) async fn plan_sync(
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
        let listing = self.group_listing(group).await?;
        let creates = !read.files.is_empty();
        if !self.dialect().can_list() && listing.items.is_empty() && creates && !opts.new_group {
            return Err(SyncError::UnknownLabel {
                group: group.to_owned(),
                ledger: self.ledger().path().to_owned(),
            });
        }
        // A path of the folder left out (a link to another file of it, a sub-folder) still
        // holds its name: the asset of that name is not deleted.
        let left_out_names: HashSet<String> = read
            .left_out
            .iter()
            .flat_map(|r| super::super::names::forms(folder, Path::new(&r.origin)))
            .collect();
        let (listing, steps, failed_twice) = self
            .matched_on_a_still_listing(group, listing, &read.files, opts)
            .await?;
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
            partial: false,
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
        hold_named(
            &mut plan,
            &left_out_names,
            "a path of this name is in the folder, left out",
        );
        let refused = self.check_creates(&mut plan, &opts.checks).await;
        hold_named(
            &mut plan,
            &refused,
            "its file's content is refused (see above)",
        );
        Ok(plan)
    }

    /// The group's assets, every page of them.
    async fn group_listing(&self, group: &str) -> Result<Listing<Asset>, SyncError> {
        let listing = self.assets(&AssetFilter::group(group)).await?;
        match listing.stopped {
            Some(why) => Err(SyncError::Incomplete(why)),
            None => Ok(listing),
        }
    }

    /// `files` matched to `listing`. A plan that creates lists the group again first: a
    /// listing by page numbers shifts when an asset is deleted while it is read, and passes
    /// another over, whose file would then be made again. Matched again on the new listing
    /// until two in a row hold the same assets.
    async fn matched_on_a_still_listing(
        &self,
        group: &str,
        mut listing: Listing<Asset>,
        files: &[FolderFile],
        opts: &SyncOptions,
    ) -> Result<(Listing<Asset>, Vec<Step>, Vec<Refused>), SyncError> {
        for _ in 0..MAX_LISTINGS {
            let matcher = Matcher::new(self.ledger(), group, &listing.items, opts)?;
            let (steps, refused) = matcher.steps(files)?;
            if !steps.iter().any(|s| create_row(s).is_some()) || !self.dialect().can_list() {
                return Ok((listing, steps, refused));
            }
            let again = self.group_listing(group).await?;
            let ids = |l: &Listing<Asset>| -> HashSet<String> {
                l.items.iter().map(|a| a.id.clone()).collect()
            };
            if ids(&again) == ids(&listing) {
                return Ok((listing, steps, refused));
            }
            listing = again;
        }
        Err(SyncError::Incomplete(format!(
            "the group changed each of the {MAX_LISTINGS} times it was listed"
        )))
    }

    /// Plans `agreed`'s sync again (the folder or the group may have changed since it was
    /// shown, while a person thought about its deletions), deleting no asset `agreed` did not
    /// name: the new plan, and how many deletions it held back for that.
    pub(crate) async fn plan_again(
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
    /// The names they would have had.
    async fn check_creates(&self, plan: &mut Plan, checks: &Checks) -> HashSet<String> {
        let rows: Vec<Row> = plan.steps.iter().filter_map(create_row).collect();
        let (_, refused) = check::check_all(rows, checks).await;
        let refused_files: HashSet<String> = refused.iter().map(|r| r.origin.clone()).collect();
        let mut names = HashSet::new();
        plan.steps.retain(|s| match create_row(s) {
            Some(row) if refused_files.contains(&row.origin) => {
                names.extend(row.name);
                false
            }
            _ => true,
        });
        plan.refused.extend(refused);
        names
    }
}

/// Most listings of a group one plan reads before it gives up on a group that keeps changing.
const MAX_LISTINGS: usize = 4;

/// The assets no file matches whose name is in `names` kept, and why: never deleted on what
/// the folder holds under that name but the sync could not take.
fn hold_named(plan: &mut Plan, names: &HashSet<String>, why: &str) {
    for step in &mut plan.steps {
        if let Step::Extra { id, name, .. } = step
            && names.contains(name.as_str())
        {
            let (id, name) = (id.clone(), name.clone());
            *step = Step::Kept {
                id,
                name,
                why: why.to_owned(),
            };
        }
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
