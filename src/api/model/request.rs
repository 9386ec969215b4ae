//! The requests: filters, paging and the bodies of each action.

use serde::{Deserialize, Serialize};

use super::{GroupType, Status};

/// Sort key for list actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    /// By creation time.
    CreateTime,
    /// By last update time.
    UpdateTime,
}

/// Sort direction for list actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

/// Filter of `ListAssetGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupFilter {
    /// Substring of the group name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only these group ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Only groups of this type (the service lists one type per request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Filter of `ListAssets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssetFilter {
    /// Only assets of these groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Only assets in these states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<Status>>,
    /// Substring of the asset name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only assets of groups of this type (the service lists one type per request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Paging and sorting shared by the list actions. The service pages one of two ways (spec
/// section 12): by `PageNumber`/`PageSize` with a `TotalCount`, or by `MaxResults` and the
/// `NextToken` of the last answer; a first page asks both ways (each ignores the other's keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Paging {
    /// 1-based page number (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u32>,
    /// Page size (default 10, max 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Items a token page holds at most (1–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Where the last token page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Sort key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

/// Largest page size the service accepts.
pub const MAX_PAGE_SIZE: u32 = 100;

impl Paging {
    /// The same page, sorted by `sort_by` in `order`.
    pub fn sorted(self, sort_by: SortBy, order: SortOrder) -> Self {
        Paging {
            sort_by: Some(sort_by),
            sort_order: Some(order),
            ..self
        }
    }
}

impl AssetFilter {
    /// Assets of one group (the catalog adds its type before asking).
    pub fn group(group_id: &str) -> Self {
        AssetFilter {
            group_ids: Some(vec![group_id.to_owned()]),
            ..AssetFilter::default()
        }
    }

    /// The one group the filter names, if it names exactly one.
    pub(crate) fn single_group(&self) -> Option<&str> {
        match self.group_ids.as_deref() {
            Some([one]) => Some(one),
            _ => None,
        }
    }
}

/// Request of `CreateAssetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAssetGroup {
    /// Group name (required, ≤ 64 characters).
    pub name: String,
    /// Description (≤ 300 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Group type: `AIGC` (a real person's group is made by a liveness check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Request of `ListAssetGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAssetGroups {
    /// Filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<GroupFilter>,
    /// Paging and sorting.
    #[serde(flatten)]
    pub paging: Paging,
}

/// Request of `UpdateAssetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAssetGroup {
    /// Group id.
    pub id: String,
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Request of `CreateAsset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAsset {
    /// Parent group (required in the domestic dialect; not sent to the global one).
    pub group_id: String,
    /// Public http(s) URL of the file.
    #[serde(rename = "URL")]
    pub url: String,
    /// Asset name (≤ 64 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Asset type: `Image`, `Video` or `Audio`.
    pub asset_type: String,
}

impl CreateAsset {
    /// An image asset request.
    pub fn image(
        group_id: impl Into<String>,
        url: impl Into<String>,
        name: Option<String>,
    ) -> Self {
        CreateAsset::of(crate::media::MediaKind::Image, group_id, url, name)
    }

    /// A request for an asset of `kind`.
    pub fn of(
        kind: crate::media::MediaKind,
        group_id: impl Into<String>,
        url: impl Into<String>,
        name: Option<String>,
    ) -> Self {
        CreateAsset {
            group_id: group_id.into(),
            url: url.into(),
            name,
            asset_type: kind.asset_type().into(),
        }
    }
}

/// Request of `ListAssets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAssets {
    /// Filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<AssetFilter>,
    /// Paging and sorting.
    #[serde(flatten)]
    pub paging: Paging,
}

/// Request of `UpdateAsset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAsset {
    /// Asset id.
    pub id: String,
    /// New name.
    pub name: String,
}

/// Request of the actions that take only an id (Get*/Delete*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ById {
    /// Resource id.
    pub id: String,
}
