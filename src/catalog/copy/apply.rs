//! A copy's plan applied: the group made, the deletes sent, the creates through the
//! destination's import engine, and the signed links kept out of what it tells.

use std::sync::Arc;

use futures::StreamExt;

use super::super::Catalog;
use super::super::import::{Event, Events, Import, Input, Refused, Report, Row, Source};
use super::*;
use crate::api::AssetsApi;
use crate::api::model::{Asset, Status};
use crate::ledger::{Entry, EntryState, LedgerError};

impl Catalog {
    /// Applies `plan` into `to`: the group made when it is new (a lost answer looked up by
    /// name), the deletes the plan names (each checked against the destination's ledger just
    /// before it is sent), then the creates through the destination's import engine, telling
    /// `events`. Deletes only what the plan says; the caller asks a person first.
    pub(crate) async fn apply_copy(
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
            Target::New { name, description } => made_group(to, name, description).await?,
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
                super::super::changes::Deletion::Deleted => report.deleted.push(id),
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
        // Only a plan that listed the group knows a copy made there gone; a group made since
        // the plan (by this run or another) holds only copies made since, which are not.
        if matches!(plan.target, Target::Existing(_)) {
            for asset in &sources {
                forget_stale(to, &group, &asset.id)?;
            }
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
        let http = via.map(|_| super::super::pull::download_client());
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

/// The destination group `name`, made now, once across live runs; a group of that name made
/// meanwhile (another run, or an answer that was lost) is taken: its id, and whether this run
/// made it.
async fn made_group(
    to: &Catalog,
    name: &str,
    description: &str,
) -> Result<(String, bool), CopyError> {
    let description = (!description.is_empty()).then(|| description.to_owned());
    Ok(to.group_made_once(name, description).await?)
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
    let got = super::super::pull::download(http, url, dir).await?;
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
