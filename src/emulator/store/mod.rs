//! The emulator's data and the semantics of each action, independent of HTTP and auth.

mod assets;
mod groups;
mod model;
mod tasks;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use super::fail::Fail;
use super::paging::PagingStyle;
use crate::api::limits::Quota;
use crate::api::model::{Action, AssetGroup, ById, CreateAsset, SortBy, Status};
pub use model::{Check, Outcome, Session, StoredAsset};
pub(crate) use model::{DEFAULT_PROJECT, new_id};
pub use tasks::StoredTask;

/// All groups and assets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// Groups by id.
    pub groups: BTreeMap<String, AssetGroup>,
    /// Assets by id.
    pub assets: BTreeMap<String, StoredAsset>,
    /// Liveness-check sessions by token.
    #[serde(default)]
    pub sessions: BTreeMap<String, Session>,
    /// The key the URLs of assets' files are signed with (kept, so URLs survive a restart).
    #[serde(default)]
    pub file_secret: String,
    /// Seedance tasks by id.
    #[serde(default)]
    pub tasks: BTreeMap<String, StoredTask>,
}

fn parse<T: DeserializeOwned>(body: &Value) -> Result<T, Fail> {
    serde_json::from_value(body.clone()).map_err(|e| Fail::invalid(format!("invalid request: {e}")))
}

pub(super) fn project_of(body: &Value) -> String {
    body.get("ProjectName")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .unwrap_or(DEFAULT_PROJECT)
        .to_owned()
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("models serialise")
}

/// The `Filter` a listing must carry (the service refuses a listing without one).
fn required<F>(filter: Option<F>) -> Result<F, Fail> {
    filter.ok_or_else(|| {
        Fail::new(
            400,
            "MissingParameter.Filter",
            "the request must include the parameter Filter",
        )
    })
}

/// What the store's answers follow beyond the data: the cap on assets Processing and how
/// listings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Most assets Processing at once; more creations get 429 FlowLimitExceeded.
    pub max_processing: usize,
    /// How listings page.
    pub paging: PagingStyle,
    /// The most assets and groups the account may have (the Entry tier's); a create past it
    /// is refused with 400 `QuotaExceeded`.
    pub quota: Option<Quota>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_processing: crate::api::limits::MAX_CONCURRENT_CREATIONS,
            paging: PagingStyle::default(),
            quota: None,
        }
    }
}

/// The answer to a create past the account's quota of `what` (`assets` or `groups`).
fn over_quota(what: &str, have: usize, most: usize) -> Fail {
    Fail::new(
        400,
        "QuotaExceeded",
        format!("the account has {have} {what}, the most its tier allows ({most})"),
    )
}

fn contains_name(name: &str, filter: Option<&String>) -> bool {
    filter.is_none_or(|f| name.contains(f.as_str()))
}

impl Store {
    /// Number of assets currently `Processing`.
    pub fn processing(&self) -> usize {
        self.assets
            .values()
            .filter(|a| a.asset.status == Status::Processing)
            .count()
    }

    fn group(&self, id: &str, project: &str) -> Result<&AssetGroup, Fail> {
        self.groups
            .get(id)
            .filter(|g| g.project_name == project)
            .ok_or_else(|| {
                Fail::new(
                    404,
                    "NotFound.GroupId",
                    format!("asset group {id} does not exist"),
                )
            })
    }

    fn asset(&self, id: &str, project: &str) -> Result<&StoredAsset, Fail> {
        self.assets
            .get(id)
            .filter(|a| a.asset.project_name == project)
            .ok_or_else(|| {
                Fail::new(
                    404,
                    "NotFound.AssetId",
                    format!("asset {id} does not exist"),
                )
            })
    }

    /// Applies one domestic action under `rules`.
    pub fn apply(
        &mut self,
        action: Action,
        body: &Value,
        now: DateTime<Utc>,
        rules: &Rules,
    ) -> Result<Outcome, Fail> {
        let project = project_of(body);
        match action {
            Action::CreateVisualValidateSession | Action::GetVisualValidateResult => {
                Err(Fail::new(
                    500,
                    "InternalError",
                    "liveness checks are answered by the server, not the store",
                ))
            }
            Action::CreateAssetGroup => {
                if let Some(quota) = rules.quota.filter(|q| self.groups.len() >= q.groups) {
                    return Err(over_quota("groups", self.groups.len(), quota.groups));
                }
                self.create_group(parse(body)?, project, now)
            }
            Action::GetAssetGroup => {
                let req: ById = parse(body)?;
                Ok(Outcome::read(to_value(self.group(&req.id, &project)?)))
            }
            Action::ListAssetGroups => self.list_groups(body, &project, rules.paging),
            Action::UpdateAssetGroup => self.update_group(parse(body)?, &project, now),
            Action::DeleteAssetGroup => self.delete_group(parse(body)?, &project),
            Action::CreateAsset => {
                let req: CreateAsset = parse(body)?;
                self.group(&req.group_id, &project)?;
                self.create_asset(req, project, now, rules)
            }
            Action::GetAsset => {
                let req: ById = parse(body)?;
                Ok(Outcome::read(to_value(
                    &self.asset(&req.id, &project)?.asset,
                )))
            }
            Action::ListAssets => self.list_assets(body, &project, rules.paging),
            Action::UpdateAsset => self.update_asset(parse(body)?, &project, now),
            Action::DeleteAsset => {
                let req: ById = parse(body)?;
                self.asset(&req.id, &project)?;
                self.assets.remove(&req.id);
                Ok(Outcome {
                    removed_assets: vec![req.id],
                    ..Outcome::write(json!({}))
                })
            }
        }
    }
}

pub(super) fn sort_time(
    by: SortBy,
    create: Option<DateTime<Utc>>,
    update: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match by {
        SortBy::CreateTime => create,
        SortBy::UpdateTime => update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    /// The emulator's rules with page numbers, so tests can ask for any page.
    fn rules(max_processing: usize) -> Rules {
        Rules {
            max_processing,
            paging: PagingStyle::Number,
            quota: None,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-06-02T11:50:08Z".parse().unwrap()
    }

    fn group(store: &mut Store, name: &str, project: &str) -> String {
        let out = store
            .apply(
                Action::CreateAssetGroup,
                &json!({"Name": name, "ProjectName": project}),
                now(),
                &rules(30),
            )
            .unwrap();
        out.result["Id"].as_str().unwrap().to_owned()
    }

    #[test]
    fn an_entry_quota_refuses_the_51st_asset_and_group() {
        let mut s = Store::default();
        let quota = Rules {
            quota: crate::api::limits::Tier::Entry.quota(),
            ..rules(1000)
        };
        let g = group(&mut s, "g", "default");
        for _ in 0..49 {
            group(&mut s, "more", "default");
        }
        let err = s
            .apply(
                Action::CreateAssetGroup,
                &json!({"Name": "one too many"}),
                now(),
                &quota,
            )
            .unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "QuotaExceeded"));
        assert!(err.message.contains("has 50 groups"), "{}", err.message);
        let create = json!({"GroupId": g, "URL": "https://x.test/a.png", "AssetType": "Image"});
        for _ in 0..50 {
            s.apply(Action::CreateAsset, &create, now(), &quota)
                .unwrap();
        }
        let err = s
            .apply(Action::CreateAsset, &create, now(), &quota)
            .unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (400, "QuotaExceeded"));
        assert!(
            err.message
                .contains("has 50 assets, the most its tier allows (50)")
        );
    }

    #[test]
    fn ids_have_the_service_shape() {
        let id = new_id("asset", now());
        assert!(
            id.starts_with("asset-20260602115008-")
                && id.len() == "asset-20260602115008-vvd9q".len()
        );
    }

    #[test]
    fn projects_are_isolated_and_names_filter_by_substring() {
        let mut s = Store::default();
        let a = group(&mut s, "角色 heroes", "default");
        group(&mut s, "villains", "default");
        group(&mut s, "heroes elsewhere", "other");
        let list = |s: &mut Store, body| {
            s.apply(Action::ListAssetGroups, &body, now(), &rules(30))
                .unwrap()
                .result
        };
        assert_eq!(list(&mut s, json!({"Filter": {}}))["TotalCount"], 2);
        assert_eq!(
            list(&mut s, json!({"Filter": {"Name": "hero"}}))["Items"][0]["Id"],
            a.as_str()
        );
        assert_eq!(
            list(&mut s, json!({"Filter": {}, "ProjectName": "other"}))["TotalCount"],
            1
        );
        // The service refuses a listing without a Filter.
        let err = s
            .apply(Action::ListAssetGroups, &json!({}), now(), &rules(30))
            .unwrap_err();
        assert_eq!(
            (err.status, err.code.as_str()),
            (400, "MissingParameter.Filter")
        );
        let err = s
            .apply(
                Action::GetAssetGroup,
                &json!({"Id": a, "ProjectName": "other"}),
                now(),
                &rules(30),
            )
            .unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (404, "NotFound.GroupId"));
    }

    #[test]
    fn pages_cut_one_sorted_listing() {
        let mut s = Store::default();
        for i in 0..23 {
            group(&mut s, &format!("g{i}"), "default");
        }
        // Times repeat (ties go by id) and the two times disagree.
        for (i, g) in s.groups.values_mut().enumerate() {
            g.create_time = Some(now() - TimeDelta::minutes((i % 7) as i64));
            g.update_time = Some(now() - TimeDelta::minutes((i * 5 % 11) as i64));
        }
        for (by, field) in [("CreateTime", "CreateTime"), ("UpdateTime", "UpdateTime")] {
            for order in ["Asc", "Desc"] {
                let mut paged: Vec<(String, String)> = Vec::new();
                for number in 1..=6 {
                    let body = json!({"Filter": {}, "PageNumber": number, "PageSize": 5,
                        "SortBy": by, "SortOrder": order});
                    let out = s
                        .apply(Action::ListAssetGroups, &body, now(), &rules(30))
                        .unwrap();
                    assert_eq!(out.result["TotalCount"], 23);
                    let items = out.result["Items"].as_array().unwrap().clone();
                    assert_eq!(items.len(), [5, 5, 5, 5, 3, 0][number - 1], "{by} {order}");
                    paged.extend(items.iter().map(|g| {
                        (
                            g[field].as_str().unwrap().to_owned(),
                            g["Id"].as_str().unwrap().to_owned(),
                        )
                    }));
                }
                let mut sorted = paged.clone();
                sorted.sort();
                if order == "Desc" {
                    sorted.reverse();
                }
                assert_eq!(paged, sorted, "{by} {order}");
                assert_eq!(
                    sorted
                        .iter()
                        .map(|p| &p.1)
                        .collect::<std::collections::HashSet<_>>()
                        .len(),
                    23
                );
            }
        }
    }

    #[test]
    fn bad_input_gets_a_400_naming_the_problem() {
        let mut s = Store::default();
        let g = group(&mut s, "g", "default");
        let cases = [
            (
                Action::CreateAssetGroup,
                json!({}),
                "InvalidParameter",
                "missing field `Name`",
            ),
            (
                Action::CreateAssetGroup,
                json!({"Name": "n".repeat(65)}),
                "InvalidParameter",
                "65 characters",
            ),
            (
                Action::CreateAsset,
                json!({"GroupId": g, "URL": "ftp://x/y", "AssetType": "Image"}),
                "InvalidParameter.URL",
                "ftp://",
            ),
            (
                Action::CreateAsset,
                json!({"GroupId": g, "URL": "https://x/y", "AssetType": "Model3D"}),
                "InvalidParameter",
                "AssetType",
            ),
            (
                Action::ListAssets,
                json!({"Filter": {}, "PageSize": 101}),
                "InvalidParameter",
                "PageSize",
            ),
            (
                Action::ListAssets,
                json!({"Filter": {}, "PageNumber": "one"}),
                "InvalidParameter",
                "invalid type",
            ),
        ];
        for (action, body, code, needle) in cases {
            let err = s.apply(action, &body, now(), &rules(30)).unwrap_err();
            assert_eq!((err.status, err.code.as_str()), (400, code), "{body}");
            assert!(err.message.contains(needle), "{}: {}", body, err.message);
        }
        let err = s
            .apply(
                Action::CreateAsset,
                &json!({"GroupId": "group-x", "URL": "https://x/y", "AssetType": "Image"}),
                now(),
                &rules(30),
            )
            .unwrap_err();
        assert_eq!(err.code, "NotFound.GroupId");
    }

    #[test]
    fn creations_are_capped_and_finish_once() {
        let mut s = Store::default();
        let g = group(&mut s, "g", "default");
        let body = json!({"GroupId": g, "URL": "https://example.com/a.png", "AssetType": "Image"});
        let first = s
            .apply(Action::CreateAsset, &body, now(), &rules(1))
            .unwrap();
        let id = first.created_asset.unwrap();
        let err = s
            .apply(Action::CreateAsset, &body, now(), &rules(1))
            .unwrap_err();
        assert_eq!((err.status, err.code.as_str()), (429, "FlowLimitExceeded"));
        use crate::emulator::copies::AssetFile;
        assert!(s.finish(&id, Ok(AssetFile::Downloaded), now()));
        assert!(!s.finish(&id, Ok(AssetFile::Downloaded), now()));
        assert_eq!(s.assets[&id].asset.status, Status::Active);
        s.apply(Action::CreateAsset, &body, now(), &rules(1))
            .unwrap();
        // Deleting a group deletes its assets, as the service does.
        s.apply(
            Action::DeleteAssetGroup,
            &json!({"Id": g}),
            now(),
            &rules(30),
        )
        .unwrap();
        assert!(s.assets.is_empty() && s.groups.is_empty());
    }
}
