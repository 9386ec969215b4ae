//! The store's assets: listed, renamed, created `Processing` (within the cap and the quota),
//! and finished Active or Failed.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::super::copies::AssetFile;
use super::super::fail::Fail;
use super::super::paging::{self, PagingStyle};
use super::{
    Outcome, Rules, Store, StoredAsset, contains_name, new_id, over_quota, parse, required,
    sort_time,
};
use crate::api::model::{
    Asset, AssetError, AssetFilter, CreateAsset, GroupType, ListAssets, Status, UpdateAsset,
};
use crate::validate;

impl Store {
    pub(super) fn list_assets(
        &self,
        body: &Value,
        project: &str,
        style: PagingStyle,
    ) -> Result<Outcome, Fail> {
        let req: ListAssets = parse(body)?;
        let AssetFilter {
            group_ids,
            statuses,
            name,
            group_type,
        } = required(req.filter)?;
        let kind = group_type.unwrap_or(GroupType::Aigc);
        let items: Vec<&Asset> = self
            .assets
            .values()
            .map(|s| &s.asset)
            .filter(|a| a.project_name == project)
            .filter(|a| {
                group_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&a.group_id))
            })
            .filter(|a| statuses.as_ref().is_none_or(|s| s.contains(&a.status)))
            .filter(|a| contains_name(&a.name, name.as_ref()))
            .filter(|a| {
                self.groups
                    .get(&a.group_id)
                    .is_some_and(|g| g.kind() == Some(kind))
            })
            .collect();
        paging::page(items, &req.paging, style, |a: &Asset, by| {
            (sort_time(by, a.create_time, a.update_time), a.id.as_str())
        })
        .map(Outcome::read)
    }

    pub(super) fn update_asset(
        &mut self,
        req: UpdateAsset,
        project: &str,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Fail> {
        validate::name(&req.name, false).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        self.asset(&req.id, project)?;
        let a = &mut self.assets.get_mut(&req.id).expect("checked above").asset;
        a.name = req.name;
        a.update_time = Some(now);
        Ok(Outcome::write(json!({})))
    }

    /// Stores a new `Processing` asset after checking the request's fields.
    pub fn create_asset(
        &mut self,
        req: CreateAsset,
        project: String,
        now: DateTime<Utc>,
        rules: &Rules,
    ) -> Result<Outcome, Fail> {
        let max_processing = rules.max_processing;
        if crate::media::MediaKind::of_asset_type(&req.asset_type).is_none() {
            return Err(Fail::invalid(format!(
                "AssetType {:?} is not supported; use Image, Video or Audio",
                req.asset_type
            )));
        }
        validate::url(&req.url).map_err(|e| Fail::from_rule("InvalidParameter.URL", e))?;
        if let Some(n) = &req.name {
            validate::name(n, false).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        }
        if let Some(quota) = rules.quota.filter(|q| self.assets.len() >= q.assets) {
            return Err(over_quota("assets", self.assets.len(), quota.assets));
        }
        if self.processing() >= max_processing {
            return Err(Fail::new(
                429,
                "FlowLimitExceeded",
                format!("at most {max_processing} assets may be Processing at once"),
            ));
        }
        let id = new_id("asset", now);
        self.assets.insert(
            id.clone(),
            StoredAsset {
                asset: Asset {
                    id: id.clone(),
                    name: req.name.unwrap_or_default(),
                    url: String::new(),
                    asset_type: req.asset_type,
                    group_id: req.group_id,
                    status: Status::Processing,
                    error: None,
                    create_time: Some(now),
                    update_time: Some(now),
                    project_name: project,
                    moderation: None,
                },
                source_url: req.url,
                source: None,
                file: None,
            },
        );
        Ok(Outcome {
            created_asset: Some(id.clone()),
            ..Outcome::write(json!({ "Id": id }))
        })
    }

    /// Ends processing of `id`: Active with the emulator's copy of its file, or Failed with an
    /// error. Returns false when the asset is gone or no longer Processing.
    pub(crate) fn finish(
        &mut self,
        id: &str,
        outcome: Result<AssetFile, AssetError>,
        now: DateTime<Utc>,
    ) -> bool {
        let Some(stored) = self.assets.get_mut(id) else {
            return false;
        };
        let a = &mut stored.asset;
        if a.status != Status::Processing {
            return false;
        }
        match outcome {
            Ok(file) => {
                a.status = Status::Active;
                stored.file = Some(file);
            }
            Err(e) => {
                a.status = Status::Failed;
                a.error = Some(e);
            }
        }
        a.update_time = Some(now);
        true
    }
}
