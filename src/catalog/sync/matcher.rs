//! Files matched to a group's assets: by content through the ledger (and what `assets retry`
//! made again), else by the name a file would get; the assets no file matches; and each file's
//! step.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::super::import::Refused;
use super::super::names::file_stem;
use super::super::rename::NameChange;
use super::FolderFile;
use super::{Matched, Step, SyncOptions, content_key};
use crate::api::model::{Asset, Status};
use crate::ledger::{EntryState, Ledger, LedgerError};
use crate::text;

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
pub(super) struct Matcher<'a> {
    ledger: &'a Ledger,
    group: &'a str,
    /// The group's assets, oldest first (a name shared by two is the older's).
    assets: Vec<&'a Asset>,
    by_id: HashMap<&'a str, &'a Asset>,
    /// Names other runs that are alive are sending in the group now.
    sending: HashSet<String>,
    /// The group's Processing assets this ledger knows (made or learned here).
    made_here: HashSet<String>,
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
    pub(super) fn new(
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
            made_here: processing_known(ledger, assets)?,
            opts,
        })
    }

    /// The steps that bring the group in step with `files`, in the folder's order, then the
    /// assets no file matches; and the files whose content failed twice (refused).
    pub(super) fn steps(
        &self,
        files: &'a [FolderFile],
    ) -> Result<(Vec<Step>, Vec<Refused>), LedgerError> {
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

    /// Each file matched by content (through the ledger), or an earlier file's duplicate. The
    /// files of one content share its assets (a group may hold copies of one file).
    fn by_content(&self, files: &'a [FolderFile]) -> Result<Vec<Found<'a>>, LedgerError> {
        let mut contents: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            let at = *index.entry(&file.sha256).or_insert_with(|| {
                contents.push(Vec::new());
                contents.len() - 1
            });
            contents[at].push(i);
        }
        let mut found: Vec<Found<'a>> = files.iter().map(|_| Found::Create).collect();
        let mut taken: HashSet<&'a str> = HashSet::new();
        for same in &contents {
            self.one_content(files, same, &mut found, &mut taken)?;
        }
        Ok(found)
    }

    /// The files `same` (indexes, in folder order) of one content matched to its assets: each
    /// file takes the asset of its own name first, then the others in order; a file left over
    /// is a duplicate. With no asset, the first file gets what the ledger says of the content.
    fn one_content(
        &self,
        files: &'a [FolderFile],
        same: &[usize],
        found: &mut [Found<'a>],
        taken: &mut HashSet<&'a str>,
    ) -> Result<(), LedgerError> {
        let sha256 = &files[same[0]].sha256;
        let known = self.known(sha256)?;
        let mut pool = match known {
            Known::Asset(a) => vec![(a, Matched::Content)],
            Known::Retried(a) => vec![(a, Matched::Retried)],
            Known::Busy(_) => return self.first_of(files, same, known, found),
            Known::Failed { .. } | Known::Nothing => Vec::new(),
        };
        for id in self.ledger.assets_of_content(self.group, sha256)? {
            if let Some(&asset) = self.by_id.get(id.as_str())
                && asset.status != Status::Failed
                && !pool.iter().any(|(a, _)| a.id == asset.id)
            {
                pool.push((asset, Matched::Content));
            }
        }
        pool.retain(|(a, _)| !taken.contains(a.id.as_str()));
        if pool.is_empty() {
            return self.first_of(files, same, known, found);
        }
        let mut left: Vec<usize> = same.to_vec();
        // Its own name first, then in order.
        for by_name in [true, false] {
            left.retain(|&i| {
                let fits = |a: &&Asset| !by_name || names_fit(&files[i], a);
                let Some(k) = pool.iter().position(|(a, _)| fits(a)) else {
                    return true;
                };
                let (asset, by) = pool.remove(k);
                taken.insert(&asset.id);
                found[i] = Found::Asset(asset, by);
                false
            });
        }
        let first = same
            .iter()
            .find(|&&i| !left.contains(&i))
            .unwrap_or(&same[0]);
        for i in left {
            found[i] = Found::Duplicate(&files[*first].path);
        }
        Ok(())
    }

    /// The first of `same` as the ledger knows its content (`known`), the others its
    /// duplicates.
    fn first_of(
        &self,
        files: &'a [FolderFile],
        same: &[usize],
        known: Known<'a>,
        found: &mut [Found<'a>],
    ) -> Result<(), LedgerError> {
        found[same[0]] = match known {
            Known::Asset(a) => Found::Asset(a, Matched::Content),
            Known::Retried(a) => Found::Asset(a, Matched::Retried),
            Known::Failed { asset, times } if times >= 2 && !self.opts.retry_failed => {
                Found::Refused(asset, times)
            }
            Known::Failed { asset, .. } => Found::Recreate(asset),
            Known::Busy(owner) => Found::Busy(owner),
            Known::Nothing => Found::Create,
        };
        for &i in &same[1..] {
            found[i] = Found::Duplicate(&files[same[0]].path);
        }
        Ok(())
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

    /// Files still to create (or duplicates) matched to an asset of their name: one this
    /// ledger does not know as the asset of a content (any, with `match_names`), not Failed,
    /// not claimed; first by the name the file would get, then by any of its names when only
    /// one such file has it.
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
            if usable && (self.opts.match_names || !self.ledger.knows_content(&a.id)?) {
                free.push(a);
            }
        }
        let open: Vec<usize> = (0..files.len()).filter(|&i| may_take(&found[i])).collect();
        // A name two files would share (cut to the longest name, say) tells neither apart.
        let mut planned: HashMap<&str, usize> = HashMap::new();
        for file in files {
            *planned.entry(file.name.as_str()).or_default() += 1;
        }
        let take = |name: &str, claimed: &mut HashSet<&'a str>| {
            let asset = free
                .iter()
                .find(|a| same_name(&a.name, name) && !claimed.contains(a.id.as_str()))?;
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
        let open: Vec<usize> = open.into_iter().filter(|&i| may_take(&found[i])).collect();
        let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in &open {
            for form in &files[i].forms {
                holders.entry(form).or_default().push(i);
            }
        }
        for &i in &open {
            for form in &files[i].forms {
                let only_this = holders[form.as_str()].iter().all(|&j| j == i);
                if !only_this || !may_take(&found[i]) {
                    continue;
                }
                if let Some(matched) = take(form, claimed) {
                    found[i] = matched;
                }
            }
        }
        by_folded_name(files, found, &free, claimed);
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
                } else if a.status == Status::Processing && !self.made_here.contains(&a.id) {
                    let why = "Processing, and not made by this machine: another machine or \
                               a person may be making it now"
                        .to_owned();
                    Step::Kept { id, name, why }
                } else {
                    let delete = self.opts.delete;
                    Step::Extra { id, name, delete }
                }
            })
            .collect()
    }
}

/// The ids of `assets` that are Processing and known to `ledger`.
fn processing_known(ledger: &Ledger, assets: &[Asset]) -> Result<HashSet<String>, LedgerError> {
    let mut known = HashSet::new();
    for a in assets.iter().filter(|a| a.status == Status::Processing) {
        if ledger.knows(&a.id)? {
            known.insert(a.id.clone());
        }
    }
    Ok(known)
}

/// Whether a file may still take an asset of its name: it is to be created, or a duplicate
/// of an earlier file (a group may hold copies of one file, under their own names).
fn may_take(found: &Found<'_>) -> bool {
    matches!(found, Found::Create | Found::Duplicate(_))
}

/// Whether `asset` has the name `file` would get, or one of its names; or a name no file can
/// have (`a/b`, `.hidden`) that the file's stem stands for, as a pull names it (`a_b`).
fn names_fit(file: &FolderFile, asset: &Asset) -> bool {
    let stands_for = || same_name(&file_stem(&asset.name, &asset.id), &file.forms[0]);
    same_name(&asset.name, &file.name)
        || file.forms.iter().any(|f| same_name(&asset.name, f))
        || stands_for()
}

/// Whether two names are one: the same text in Unicode's composed form (a file named on
/// another machine may come decomposed).
fn same_name(a: &str, b: &str) -> bool {
    a == b || text::nfc(a) == text::nfc(b)
}

/// The files still open matched to a free asset whose name differs from theirs in case only
/// (`Hero.png` renamed `hero.png` on another machine), when one file and one asset have that
/// name whatever its case.
fn by_folded_name<'a>(
    files: &[FolderFile],
    found: &mut [Found<'a>],
    free: &[&'a Asset],
    claimed: &mut HashSet<&'a str>,
) {
    let folded = |name: &str| text::nfc(name).to_lowercase();
    let mut open: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        open.entry(folded(&file.name)).or_default().push(i);
    }
    let mut assets: HashMap<String, Vec<&'a Asset>> = HashMap::new();
    for a in free.iter().filter(|a| !claimed.contains(a.id.as_str())) {
        assets.entry(folded(&a.name)).or_default().push(a);
    }
    for (name, holders) in open {
        let ([i], Some([asset])) = (holders.as_slice(), assets.get(&name).map(Vec::as_slice))
        else {
            continue;
        };
        if may_take(&found[*i]) {
            claimed.insert(&asset.id);
            found[*i] = Found::Asset(asset, Matched::Name);
        }
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
        Found::Asset(asset, by) if names_fit(file, asset) => Step::Unchanged {
            file: path,
            id: asset.id.clone(),
            name: asset.name.clone(),
            by,
        },
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
