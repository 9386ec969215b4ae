//! Copying a group to another profile, project or group, as `rclone copy` copies between
//! remotes: a plan first (what to create, what is there already, what to delete), then the plan
//! applied through the import engine of the destination, so every create is journalled in the
//! destination's ledger and a copy run again creates only what is missing.
//!
//! An asset is made again from its file: by the source's presigned URL, which the destination
//! service fetches itself (the source's link re-read with GetAsset when it expires soon), or,
//! `via_storage`, downloaded here and uploaded through the destination's object storage. A
//! copy's ledger key is the source asset (`copy:<group>:<asset>`), as its URL changes with each
//! read. A real person's group cannot be copied: its assets belong to a verified person of that
//! account.

use std::collections::{BTreeSet, HashMap, HashSet};

use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;

use super::groups::GroupError;
use super::import::{
    Checks, Event, Events, Import, ImportError, Input, Refused, Report, Row, Source,
};
use super::{Catalog, GroupLookup, ListError};
use crate::api::AssetsApi;
use crate::api::model::{Asset, AssetFilter, AssetGroup, GroupType, Status};
use crate::ledger::{Entry, EntryState, LedgerError};

/// What a copy is asked to do besides the group and the destination.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// The destination group's name (default: the source group's).
    pub to_group: Option<String>,
    /// Delete the destination group's assets that no source asset matches.
    pub delete: bool,
    /// Download each file here and upload it through the destination's object storage,
    /// instead of handing the destination the source's link.
    pub via_storage: bool,
    /// How the files are checked against the destination's rules.
    pub checks: Checks,
    /// Copy only these source assets (ids); the destination's other assets are then none of
    /// the plan's business (neither extra nor deleted). A marked asset no longer in the group
    /// is skipped, named.
    pub only: Option<BTreeSet<String>>,
}

/// The group a copy goes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    /// A group of the destination that has the name.
    Existing(AssetGroup),
    /// A group to make, with this name and description.
    New {
        /// Its name.
        name: String,
        /// Its description.
        description: String,
    },
}

impl Target {
    /// The group's name.
    pub fn name(&self) -> &str {
        match self {
            Target::Existing(g) => &g.name,
            Target::New { name, .. } => name,
        }
    }
}

/// One step of a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CopyStep {
    /// A source asset the destination lacks: created there from its file.
    Create {
        /// The source asset.
        source: String,
        /// Its name (the copy's too).
        name: String,
        /// `Image`, `Video` or `Audio`.
        asset_type: String,
    },
    /// A source asset the destination has: this copy made it (the ledger says), or an asset
    /// of the same name and type is there.
    Unchanged {
        /// The source asset.
        source: String,
        /// The destination's asset.
        id: String,
        /// Its name.
        name: String,
    },
    /// A source asset that is not copied: it is not Active (its file is not there).
    Skipped {
        /// The source asset.
        source: String,
        /// Its name.
        name: String,
        /// Why.
        why: String,
    },
    /// A destination asset no source asset matches: deleted when asked, else kept.
    Extra {
        /// The destination's asset.
        id: String,
        /// Its name.
        name: String,
        /// Whether the plan deletes it.
        delete: bool,
    },
}

impl CopyStep {
    /// The step in one line, outside text made visible.
    pub fn line(&self) -> String {
        use crate::text::visible;
        match self {
            CopyStep::Create { source, name, .. } => {
                format!("create    {} as \"{}\"", visible(source), visible(name))
            }
            CopyStep::Unchanged { source, id, .. } => {
                format!("unchanged {} (there as {})", visible(source), visible(id))
            }
            CopyStep::Skipped { source, why, .. } => {
                format!("skip      {} ({})", visible(source), visible(why))
            }
            CopyStep::Extra {
                id,
                name,
                delete: true,
            } => format!("delete    {} \"{}\"", visible(id), visible(name)),
            CopyStep::Extra { id, name, .. } => format!(
                "extra     {} \"{}\" (no source asset matches it)",
                visible(id),
                visible(name)
            ),
        }
    }
}

/// What a copy will do: the source group, the destination group, and the steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyPlan {
    /// The group copied.
    pub source: AssetGroup,
    /// Where it goes.
    pub target: Target,
    /// Each source asset's step, then the destination's extra assets.
    pub steps: Vec<CopyStep>,
    /// The source assets to create, by id (their links; never shown).
    assets: Links,
}

/// Source assets by id: their signed links are credentials for a while, so the Debug form
/// names only how many there are.
#[derive(Clone, Default, PartialEq, Eq)]
struct Links(HashMap<String, Asset>);

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} source assets", self.0.len())
    }
}

impl CopyPlan {
    /// The plan with the destination's extra assets deleted (`true`) or kept.
    pub fn deleting(mut self, delete: bool) -> Self {
        for step in &mut self.steps {
            if let CopyStep::Extra { delete: d, .. } = step {
                *d = delete;
            }
        }
        self
    }

    /// The ids the plan deletes in the destination.
    pub fn doomed(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                CopyStep::Extra {
                    id, delete: true, ..
                } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// How many steps of each kind: create, unchanged, skipped, delete, extra kept.
    pub fn counts(&self) -> [usize; 5] {
        let mut n = [0; 5];
        for step in &self.steps {
            let i = match step {
                CopyStep::Create { .. } => 0,
                CopyStep::Unchanged { .. } => 1,
                CopyStep::Skipped { .. } => 2,
                CopyStep::Extra { delete: true, .. } => 3,
                CopyStep::Extra { .. } => 4,
            };
            n[i] += 1;
        }
        n
    }
}

/// What a copy did (`--json` prints it with PascalCase keys).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CopyReport {
    /// The destination group's id.
    pub group: String,
    /// Whether this run made the group.
    pub group_created: bool,
    /// The creates, as the import engine reports them (each row's source is the source asset).
    pub import: Report,
    /// Destination assets deleted.
    pub deleted: Vec<String>,
    /// Deletes and downloads that failed.
    #[serde(serialize_with = "crate::catalog::import::reasons::failed")]
    pub failed: Vec<Refused>,
}

impl CopyReport {
    /// Whether the copy did all it planned.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && self.import.is_complete()
    }
}

/// Why a copy could not run (an asset's failure is in its report instead).
#[derive(Debug, Clone, thiserror::Error)]
pub enum CopyError {
    /// A real person's group: its assets cannot be made again elsewhere.
    #[error(
        "group \"{}\" is a real person's (LivenessFace): its assets are that person's, verified \
         in this account, and cannot be created in another; copy a virtual portrait group instead",
        crate::text::visible(.0)
    )]
    RealPerson(String),
    /// The destination is the source group itself.
    #[error("the destination is the source group itself; give --to, --to-project or --to-group")]
    Itself,
    /// A group was not found.
    #[error(transparent)]
    Lookup(#[from] GroupLookup),
    /// A listing failed.
    #[error(transparent)]
    List(#[from] ListError),
    /// A group's listing stopped early: what it did not list would be copied twice or missed.
    #[error("the {0} group's assets could not all be listed ({1}); nothing was copied")]
    Incomplete(&'static str, String),
    /// The destination group could not be made.
    #[error(transparent)]
    Group(#[from] GroupError),
    /// The import into the destination could not run.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The ledger could not be read or written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// `via_storage` without object storage in the destination's profile.
    #[error(
        "--via-storage needs the destination profile's object storage ([profiles.NAME.storage])"
    )]
    NoStorage,
}

/// A link that expires within this long is read again before it is handed over.
const FRESH_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(1);

impl Catalog {
    /// Plans the copy of `group` (its id or name) into `to`: the source listed whole, the
    /// destination group looked up by name and listed whole, each Active source asset matched
    /// to what the destination has. Sends nothing that changes either account.
    pub async fn plan_copy(
        &self,
        group: &str,
        to: &Catalog,
        opts: &CopyOptions,
    ) -> Result<CopyPlan, CopyError> {
        let source = self.group(group).await?;
        if source.kind() == Some(GroupType::LivenessFace) {
            return Err(CopyError::RealPerson(source.name));
        }
        let mut listing = self.assets(&AssetFilter::group(&source.id)).await?;
        if let Some(why) = listing.stopped {
            return Err(CopyError::Incomplete("source", why));
        }
        if let Some(only) = &opts.only {
            listing.items.retain(|a| only.contains(&a.id));
        }
        let name = opts.to_group.clone().unwrap_or_else(|| source.name.clone());
        let target = match to.group(&name).await {
            Ok(found) => Target::Existing(found),
            Err(GroupLookup::Missing(..)) => Target::New {
                name,
                description: source.description.clone(),
            },
            Err(e) => return Err(e.into()),
        };
        let there = match &target {
            Target::Existing(g) if g.id == source.id && same_place(self, to) => {
                return Err(CopyError::Itself);
            }
            Target::Existing(g) => {
                let listing = to.assets(&AssetFilter::group(&g.id)).await?;
                if let Some(why) = listing.stopped {
                    return Err(CopyError::Incomplete("destination", why));
                }
                listing.items
            }
            Target::New { .. } => Vec::new(),
        };
        let target_id = match &target {
            Target::Existing(g) => Some(g.id.as_str()),
            Target::New { .. } => None,
        };
        let mut steps = match_assets(to, target_id, &listing.items, &there, opts.delete)?;
        if let Some(only) = &opts.only {
            steps.retain(|s| !matches!(s, CopyStep::Extra { .. }));
            steps.extend(gone(only, &listing.items));
        }
        let wanted: HashSet<&str> = steps
            .iter()
            .filter_map(|s| match s {
                CopyStep::Create { source, .. } => Some(source.as_str()),
                _ => None,
            })
            .collect();
        let assets = listing
            .items
            .iter()
            .filter(|a| wanted.contains(a.id.as_str()))
            .map(|a| (a.id.clone(), a.clone()))
            .collect();
        Ok(CopyPlan {
            source,
            target,
            steps,
            assets: Links(assets),
        })
    }

    /// Applies `plan` into `to`: the group made when it is new (a lost answer looked up by
    /// name), the deletes the plan names (each checked against the destination's ledger just
    /// before it is sent), then the creates through the destination's import engine, telling
    /// `events`. Deletes only what the plan says; the caller asks a person first.
    pub async fn apply_copy(
        &self,
        plan: CopyPlan,
        to: &Catalog,
        opts: &CopyOptions,
        events: Events,
    ) -> Result<CopyReport, CopyError> {
        if opts.via_storage && to.storage().is_none() {
            return Err(CopyError::NoStorage);
        }
        let (group, group_created) = match &plan.target {
            Target::Existing(g) => (g.id.clone(), false),
            Target::New { name, description } => (made_group(to, name, description).await?, true),
        };
        let mut report = CopyReport {
            group: group.clone(),
            group_created,
            ..CopyReport::default()
        };
        let doomed: Vec<String> = plan.doomed().into_iter().map(str::to_owned).collect();
        let keep = |_: &str| None;
        let mut deletions = to.delete_assets(doomed, &keep);
        while let Some((id, outcome)) = deletions.next().await {
            match outcome {
                super::changes::Deletion::Deleted => report.deleted.push(id),
                other => report.failed.push(Refused {
                    origin: id,
                    line: 0,
                    error: format!("not deleted: {}", other.reason().unwrap_or_default()),
                }),
            }
        }
        drop(deletions);
        let sources: Vec<Asset> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                CopyStep::Create { source, .. } => plan.assets.0.get(source).cloned(),
                _ => None,
            })
            .collect();
        for asset in &sources {
            forget_stale(to, &group, &asset.id)?;
        }
        let dir = via_folder(to);
        let via = opts.via_storage.then_some(dir.as_path());
        let rows = self.copy_rows(&group, sources, via, &mut report).await;
        let job = Import {
            inputs: vec![Input::Rows(rows)],
            checks: opts.checks.clone(),
            ..Import::default()
        };
        let imported = to.import(&group, job, redacting(events)).await;
        let _ = std::fs::remove_dir_all(&dir);
        report.import = imported?;
        hide_links(&mut report.import);
        if opts.via_storage {
            remember_copies(to, &group, &report.import)?;
        }
        Ok(report)
    }

    /// The import rows of `sources`: each by its link (read again when it expires soon),
    /// keyed by the source asset; or, into `via` (a folder), downloaded, to be uploaded.
    /// Downloads that fail go into `report`.
    async fn copy_rows(
        &self,
        group: &str,
        sources: Vec<Asset>,
        via: Option<&std::path::Path>,
        report: &mut CopyReport,
    ) -> Vec<Row> {
        let http = via.map(|_| super::pull::download_client());
        let mut rows = Vec::with_capacity(sources.len());
        for asset in sources {
            let url = match self.fresh_link(&asset).await {
                Ok(url) => url,
                Err(e) => {
                    report.failed.push(failed(&asset, e));
                    continue;
                }
            };
            let origin = format!("{} ({})", asset.id, asset.name);
            let source = match (via, &http) {
                (Some(dir), Some(http)) => match downloaded(http, &url, dir, &asset).await {
                    Ok(path) => Source::File(path),
                    Err(e) => {
                        report.failed.push(failed(&asset, e));
                        continue;
                    }
                },
                _ => Source::Url(url),
            };
            rows.push(Row {
                origin,
                line: 0,
                source,
                name: Some(asset.name.clone()),
                default_name: None,
                key: Some(copy_key(group, &asset.id)),
            });
        }
        rows
    }

    /// `asset`'s link, read again (GetAsset) when it expires within [`FRESH_FOR`].
    async fn fresh_link(&self, asset: &Asset) -> Result<String, String> {
        let soon = chrono::Utc::now() + FRESH_FOR;
        if expires_at(&asset.url).is_none_or(|at| at > soon) && !asset.url.is_empty() {
            return Ok(asset.url.clone());
        }
        let again = self
            .client()
            .get_asset(&asset.id)
            .await
            .map_err(|e| format!("its link could not be read again: {e}"))?;
        if again.status != Status::Active || again.url.is_empty() {
            return Err(format!("it is {:?} now, not Active", again.status));
        }
        Ok(again.url)
    }
}

/// Whether two catalogs reach the same account and project (a group copied onto itself).
fn same_place(a: &Catalog, b: &Catalog) -> bool {
    let project = |c: &Catalog| match c.client().endpoint() {
        crate::api::Endpoint::Domestic(d) => d.project.clone(),
        crate::api::Endpoint::Global(_) => None,
    };
    a.ledger().path() == b.ledger().path() && project(a) == project(b)
}

/// The destination group `name`, made now; a group of that name made meanwhile (another run,
/// or an answer that was lost) is taken.
async fn made_group(to: &Catalog, name: &str, description: &str) -> Result<String, CopyError> {
    let description = (!description.is_empty()).then(|| description.to_owned());
    match to.create_group(name.to_owned(), description).await {
        Ok(id) => Ok(id),
        Err(GroupError::Exists { .. }) => Ok(to.group(name).await?.id),
        Err(e) => Err(e.into()),
    }
}

/// Each source asset's step against what the destination group holds (`there`), and the
/// destination's assets no source asset matches.
fn match_assets(
    to: &Catalog,
    group: Option<&str>,
    sources: &[Asset],
    there: &[Asset],
    delete: bool,
) -> Result<Vec<CopyStep>, LedgerError> {
    let by_id: HashMap<&str, &Asset> = there.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut steps = Vec::with_capacity(sources.len());
    let mut sorted: Vec<&Asset> = sources.iter().collect();
    sorted.sort_by(|a, b| (a.create_time, &a.id).cmp(&(b.create_time, &b.id)));
    for asset in sorted {
        if asset.status != Status::Active {
            steps.push(CopyStep::Skipped {
                source: asset.id.clone(),
                name: asset.name.clone(),
                why: format!("it is {:?}, not Active", asset.status),
            });
            continue;
        }
        let made = match group {
            Some(g) => to.ledger().get(&copy_key(g, &asset.id))?,
            None => None,
        };
        let by_ledger = made
            .filter(|e| e.state == EntryState::Created)
            .and_then(|e| e.id)
            .and_then(|id| by_id.get(id.as_str()).copied())
            .filter(|a| a.status != Status::Failed && !claimed.contains(a.id.as_str()));
        let by_name = || {
            there.iter().find(|a| {
                a.name == asset.name
                    && a.asset_type.eq_ignore_ascii_case(&asset.asset_type)
                    && a.status != Status::Failed
                    && !claimed.contains(a.id.as_str())
            })
        };
        match by_ledger.or_else(by_name) {
            Some(found) => {
                claimed.insert(&found.id);
                steps.push(CopyStep::Unchanged {
                    source: asset.id.clone(),
                    id: found.id.clone(),
                    name: found.name.clone(),
                });
            }
            None => {
                steps.push(CopyStep::Create {
                    source: asset.id.clone(),
                    name: asset.name.clone(),
                    asset_type: asset.asset_type.clone(),
                });
            }
        }
    }
    steps.extend(
        there
            .iter()
            .filter(|a| !claimed.contains(a.id.as_str()))
            .map(|a| CopyStep::Extra {
                id: a.id.clone(),
                name: a.name.clone(),
                delete,
            }),
    );
    Ok(steps)
}

/// The steps of the assets of `only` the group's listing did not have: skipped, named by id.
fn gone(only: &BTreeSet<String>, listed: &[Asset]) -> Vec<CopyStep> {
    let listed: HashSet<&str> = listed.iter().map(|a| a.id.as_str()).collect();
    only.iter()
        .filter(|id| !listed.contains(id.as_str()))
        .map(|id| CopyStep::Skipped {
            source: id.clone(),
            name: String::new(),
            why: "it is not in the group any more".to_owned(),
        })
        .collect()
}

/// A copy the plan creates that the ledger holds as made (its asset is gone from the group, or
/// Failed): marked failed, so that the copy creates it again.
fn forget_stale(to: &Catalog, group: &str, source: &str) -> Result<(), LedgerError> {
    let key = copy_key(group, source);
    match to.ledger().get(&key)? {
        Some(entry) if entry.state == EntryState::Created => to.ledger().record(&Entry {
            state: EntryState::Failed,
            id: None,
            error: Some("its asset is gone from the group, or Failed".to_owned()),
            ..entry
        }),
        _ => Ok(()),
    }
}

/// The ledger key of the copy of source asset `source` into `group`.
fn copy_key(group: &str, source: &str) -> String {
    format!("copy:{group}:{source}")
}

/// The failure of `asset`'s copy.
fn failed(asset: &Asset, error: String) -> Refused {
    Refused {
        origin: format!("{} ({})", asset.id, asset.name),
        line: 0,
        error,
    }
}

/// A folder for the files of a copy through storage, in the destination's data folder (beside
/// its ledger), made fresh.
fn via_folder(to: &Catalog) -> std::path::PathBuf {
    let base = to
        .ledger()
        .path()
        .parent()
        .map(std::path::Path::to_owned)
        .unwrap_or_else(std::env::temp_dir);
    base.join(format!("copy-{}", std::process::id()))
}

/// `events` with every signed link in what they say cut to its path (a check's refusal quotes
/// the link it read).
fn redacting(events: Events) -> Events {
    Arc::new(move |event| match event {
        Event::Refused(r) => events(Event::Refused(&redacted(r))),
        Event::Failed(r) => events(Event::Failed(&redacted(r))),
        Event::Warning { origin, text } => events(Event::Warning {
            origin,
            text: &crate::text::redact_urls(text),
        }),
        other => events(other),
    })
}

/// `r` with the signed links it quotes cut to their paths.
fn redacted(r: &Refused) -> Refused {
    Refused {
        error: crate::text::redact_urls(&r.error).into_owned(),
        ..r.clone()
    }
}

/// Each row's source shown as the source asset (its origin's id), not its signed link, and
/// no signed link in a refusal.
fn hide_links(report: &mut Report) {
    for r in report.invalid.iter_mut().chain(&mut report.failed) {
        *r = redacted(r);
    }
    let rows = report
        .created
        .iter_mut()
        .chain(&mut report.already)
        .chain(&mut report.by_other_run)
        .chain(&mut report.skipped);
    for done in rows {
        done.source = done.origin.split(' ').next().unwrap_or_default().to_owned();
    }
}

/// `asset`'s file downloaded into `dir` as `<id>.<ext>` (its type from its bytes).
async fn downloaded(
    http: &reqwest::Client,
    url: &str,
    dir: &std::path::Path,
    asset: &Asset,
) -> Result<std::path::PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let got = super::pull::download(http, url, dir).await?;
    let path = dir.join(format!("{}.{}", asset.id, got.extension));
    got.file
        .keep_as(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The copies through storage written under their copy keys too (the engine keys them by
/// content), so a copy run again finds them by the ledger.
fn remember_copies(to: &Catalog, group: &str, report: &Report) -> Result<(), LedgerError> {
    for done in report.created.iter().chain(&report.already) {
        let Some(source) = done.origin.split(' ').next() else {
            continue;
        };
        to.ledger().record(&Entry {
            key: copy_key(group, source),
            group: group.to_owned(),
            name: done.name.clone(),
            url: String::new(),
            state: EntryState::Created,
            id: Some(done.id.clone()),
            error: None,
            at: chrono::Utc::now(),
            object: None,
            cleaned: true,
            sha256: done.sha256.clone(),
        })?;
    }
    Ok(())
}

/// When a presigned link expires, from its query: TOS's and S3's `X-Tos-Date`/`X-Amz-Date`
/// with `…-Expires` (seconds), or an absolute `X-Expires` (Unix seconds). `None` when it says
/// neither.
pub(crate) fn expires_at(url: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let parsed = url::Url::parse(url).ok()?;
    let get = |k: &str| {
        parsed
            .query_pairs()
            .find(|(name, _)| name.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.into_owned())
    };
    if let Some(at) = get("X-Expires").and_then(|v| v.parse::<i64>().ok()) {
        return chrono::DateTime::from_timestamp(at, 0);
    }
    for prefix in ["X-Tos", "X-Amz"] {
        let date = get(&format!("{prefix}-Date"));
        let secs = get(&format!("{prefix}-Expires")).and_then(|v| v.parse::<i64>().ok());
        if let (Some(date), Some(secs)) = (date, secs) {
            let start = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ").ok()?;
            return Some(start.and_utc() + chrono::TimeDelta::seconds(secs));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_says_when_it_expires() {
        let tos = "https://b.tos.example/k.png?X-Tos-Date=20260101T000000Z\
                   &X-Tos-Expires=41400&X-Tos-Signature=s";
        assert_eq!(
            expires_at(tos).map(|t| t.to_rfc3339()),
            Some("2026-01-01T11:30:00+00:00".to_owned())
        );
        let emulator = "http://127.0.0.1:1/files/asset-1?X-Expires=1767225600&X-Signature=s";
        assert_eq!(
            expires_at(emulator).map(|t| t.timestamp()),
            Some(1767225600)
        );
        assert_eq!(expires_at("https://cdn.example/a.png"), None);
        assert_eq!(expires_at("not a url"), None);
    }

    #[test]
    fn a_refusal_quotes_no_signature() {
        let refused = Refused {
            origin: "asset-1 (hero)".into(),
            line: 0,
            error: "url \"http://127.0.0.1:1/files/asset-1?X-Expires=1&X-Signature=secret\": \
                    answered 403"
                .into(),
        };
        let shown = redacted(&refused).error;
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("/files/asset-1"), "{shown}");
    }
}
