//! The store's groups: created (one of the liveness check's kind refused), listed, changed,
//! and deleted with their assets (a real person's refused).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::super::fail::Fail;
use super::super::paging::{self, PagingStyle};
use super::{Outcome, Store, contains_name, new_id, parse, required, sort_time};
use crate::api::model::{
    AssetGroup, ById, CreateAssetGroup, GroupFilter, GroupType, ListAssetGroups, UpdateAssetGroup,
};
use crate::validate;

impl Store {
    pub(super) fn create_group(
        &mut self,
        req: CreateAssetGroup,
        project: String,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Fail> {
        validate::name(&req.name, true).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        if let Some(d) = &req.description {
            validate::description(d).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        }
        let group_type = req.group_type.unwrap_or(GroupType::Aigc);
        if group_type != GroupType::Aigc {
            return Err(Fail::invalid(format!(
                "GroupType {} is made by a liveness check, not CreateAssetGroup; use AIGC",
                group_type.name()
            )));
        }
        let id = new_id("group", now);
        self.groups.insert(
            id.clone(),
            AssetGroup {
                id: id.clone(),
                name: req.name,
                description: req.description.unwrap_or_default(),
                group_type: group_type.name().to_owned(),
                project_name: project,
                create_time: Some(now),
                update_time: Some(now),
            },
        );
        Ok(Outcome::write(json!({ "Id": id })))
    }

    pub(super) fn list_groups(
        &self,
        body: &Value,
        project: &str,
        style: PagingStyle,
    ) -> Result<Outcome, Fail> {
        let req: ListAssetGroups = parse(body)?;
        let GroupFilter {
            name,
            group_ids,
            group_type,
        } = required(req.filter)?;
        let kind = group_type.unwrap_or(GroupType::Aigc);
        let items: Vec<&AssetGroup> = self
            .groups
            .values()
            .filter(|g| g.project_name == project)
            .filter(|g| g.kind() == Some(kind))
            .filter(|g| contains_name(&g.name, name.as_ref()))
            .filter(|g| group_ids.as_ref().is_none_or(|ids| ids.contains(&g.id)))
            .collect();
        paging::page(items, &req.paging, style, |g: &AssetGroup, by| {
            (sort_time(by, g.create_time, g.update_time), g.id.as_str())
        })
        .map(Outcome::read)
    }

    pub(super) fn update_group(
        &mut self,
        req: UpdateAssetGroup,
        project: &str,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Fail> {
        if let Some(n) = &req.name {
            validate::name(n, true).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        }
        if let Some(d) = &req.description {
            validate::description(d).map_err(|e| Fail::from_rule("InvalidParameter", e))?;
        }
        self.group(&req.id, project)?;
        let g = self.groups.get_mut(&req.id).expect("checked above");
        if let Some(n) = req.name {
            g.name = n;
        }
        if let Some(d) = req.description {
            g.description = d;
        }
        g.update_time = Some(now);
        Ok(Outcome::write(json!({})))
    }

    /// Deletes a group and, as the service does, its assets; a real person's group is refused
    /// (deleting it takes authorisation the service asks for apart).
    pub(super) fn delete_group(&mut self, req: ById, project: &str) -> Result<Outcome, Fail> {
        if self.group(&req.id, project)?.is_real_person() {
            return Err(Fail::new(
                403,
                "OperationDenied.RealPersonGroup",
                format!(
                    "asset group {} holds a verified real person; deleting it needs the \
                     authorisation of real-person data",
                    req.id
                ),
            ));
        }
        self.groups.remove(&req.id);
        let members: Vec<String> = self
            .assets
            .values()
            .filter(|a| a.asset.group_id == req.id)
            .map(|a| a.asset.id.clone())
            .collect();
        for id in &members {
            self.assets.remove(id);
        }
        Ok(Outcome {
            removed_assets: members,
            ..Outcome::write(json!({}))
        })
    }
}
