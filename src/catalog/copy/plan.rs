//! A copy's plan: the source and the destination listed, each source asset matched to what
//! the destination group holds.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::super::{Catalog, GroupLookup};
use super::*;
use crate::api::model::{Asset, AssetFilter, GroupType, Status};
use crate::ledger::{EntryState, LedgerError};

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
}

/// Whether two catalogs reach the same account and project (a group copied onto itself).
fn same_place(a: &Catalog, b: &Catalog) -> bool {
    let project = |c: &Catalog| match c.client().endpoint() {
        crate::api::Endpoint::Domestic(d) => d.project.clone(),
        crate::api::Endpoint::Global(_) => None,
    };
    a.ledger().path() == b.ledger().path() && project(a) == project(b)
}

/// Each source asset's step against what the destination group holds (`there`), and the
/// destination's assets no source asset matches. Every copy the ledger knows is claimed
/// first, then the rest are matched by name and type: a destination asset is claimed once.
fn match_assets(
    to: &Catalog,
    group: Option<&str>,
    sources: &[Asset],
    there: &[Asset],
    delete: bool,
) -> Result<Vec<CopyStep>, LedgerError> {
    let mut sorted: Vec<&Asset> = sources.iter().collect();
    sorted.sort_by(|a, b| (a.create_time, &a.id).cmp(&(b.create_time, &b.id)));
    let active: Vec<&Asset> = sorted
        .iter()
        .copied()
        .filter(|a| a.status == Status::Active)
        .collect();
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut found = by_ledger(to, group, &active, there, &mut claimed)?;
    for asset in &active {
        if found.contains_key(asset.id.as_str()) {
            continue;
        }
        let by_name = there.iter().find(|a| {
            a.name == asset.name
                && a.asset_type.eq_ignore_ascii_case(&asset.asset_type)
                && a.status != Status::Failed
                && !claimed.contains(a.id.as_str())
        });
        if let Some(copy) = by_name {
            claimed.insert(&copy.id);
            found.insert(asset.id.as_str(), copy);
        }
    }
    let mut steps: Vec<CopyStep> = sorted
        .iter()
        .map(|a| step(a, found.get(a.id.as_str()).copied()))
        .collect();
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

/// The copies the destination's ledger recorded of `sources` that the destination group
/// still holds (not Failed), by source id; each claimed in `claimed`.
fn by_ledger<'a>(
    to: &Catalog,
    group: Option<&str>,
    sources: &[&'a Asset],
    there: &'a [Asset],
    claimed: &mut HashSet<&'a str>,
) -> Result<HashMap<&'a str, &'a Asset>, LedgerError> {
    let mut found = HashMap::new();
    let Some(group) = group else {
        return Ok(found);
    };
    let by_id: HashMap<&str, &Asset> = there.iter().map(|a| (a.id.as_str(), a)).collect();
    for asset in sources {
        let made = to.ledger().get(&copy_key(group, &asset.id))?;
        let copy = made
            .filter(|e| e.state == EntryState::Created)
            .and_then(|e| e.id)
            .and_then(|id| by_id.get(id.as_str()).copied())
            .filter(|a| a.status != Status::Failed && !claimed.contains(a.id.as_str()));
        if let Some(copy) = copy {
            claimed.insert(&copy.id);
            found.insert(asset.id.as_str(), copy);
        }
    }
    Ok(found)
}

/// A source asset's step: skipped unless Active, unchanged when it has a copy, else created.
fn step(asset: &Asset, copy: Option<&Asset>) -> CopyStep {
    match copy {
        _ if asset.status != Status::Active => CopyStep::Skipped {
            source: asset.id.clone(),
            name: asset.name.clone(),
            why: format!("it is {:?}, not Active", asset.status),
        },
        Some(found) => CopyStep::Unchanged {
            source: asset.id.clone(),
            id: found.id.clone(),
            name: found.name.clone(),
        },
        None => CopyStep::Create {
            source: asset.id.clone(),
            name: asset.name.clone(),
            asset_type: asset.asset_type.clone(),
        },
    }
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
