//! Typed models of the Assets API: actions, resources, requests and pages (serde, PascalCase).

mod action;
pub mod lenient;
pub(crate) mod lenient_time;
mod request;
mod resource;
mod status;
mod verify;

pub use action::Action;
pub(crate) use request::ById;
pub use request::{
    AssetFilter, CreateAsset, CreateAssetGroup, GroupFilter, ListAssetGroups, ListAssets,
    MAX_PAGE_SIZE, Paging, SortBy, SortOrder, UpdateAsset, UpdateAssetGroup,
};
pub use resource::{
    Asset, AssetError, AssetGroup, AssetScheme, Created, GroupType, HasId, Page, strip_reference,
};
pub(crate) use resource::{asset_reference, content_item};
pub use status::{Status, UnknownStatus};
pub use verify::{
    CreateVisualValidateSession, GetVisualValidateResult, H5Lang, VisualValidateResult,
    VisualValidateSession,
};
pub(crate) use verify::{VERIFY_LINK_LIFETIME, VERIFY_LINK_LONGEST};

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[test]
    fn asset_parses_with_unknown_status_and_missing_fields() {
        let a: Asset = serde_json::from_str(r#"{"Id":"asset-1","Status":"Frozen"}"#).unwrap();
        assert_eq!(a.status.name(), "Frozen", "kept as it came");
        assert_eq!(serde_json::to_value(a.status).unwrap(), "Frozen");
        assert_eq!(a.group_id, "");
        assert_eq!(a.reference(), "Asset://asset-1");
        assert!(serde_json::from_str::<Asset>(r#"{"Name":"x"}"#).is_err());
    }

    #[test]
    fn requests_serialise_pascal_case_without_nulls() {
        use crate::api::paging::Cursor;
        // As the client sends it: a JSON value, so its object keys are sorted.
        fn sent<T: Serialize>(req: &T) -> String {
            serde_json::to_value(req).unwrap().to_string()
        }
        // The bodies of the vendor's signing vectors (sign-vectors-sts.json) for the same pages.
        let groups = ListAssetGroups {
            filter: Some(GroupFilter {
                group_type: Some(GroupType::Aigc),
                ..Default::default()
            }),
            paging: Paging::at(&Cursor::Page(1)),
        };
        assert_eq!(
            sent(&groups),
            r#"{"Filter":{"GroupType":"AIGC"},"MaxResults":100,"PageNumber":1,"PageSize":100}"#
        );
        let assets = ListAssets {
            filter: Some(AssetFilter {
                group_type: Some(GroupType::Aigc),
                ..AssetFilter::group("group-20260602115008-abcde")
            }),
            paging: Paging::at(&Cursor::Token("eyJvZmZzZXQiOjEwMH0=".into()))
                .sorted(SortBy::UpdateTime, SortOrder::Desc),
        };
        assert_eq!(
            sent(&assets),
            r#"{"Filter":{"GroupIds":["group-20260602115008-abcde"],"GroupType":"AIGC"},"MaxResults":100,"NextToken":"eyJvZmZzZXQiOjEwMH0=","SortBy":"UpdateTime","SortOrder":"Desc"}"#
        );
        let create = CreateAsset::image("g", "https://x/y.png", None);
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            r#"{"GroupId":"g","URL":"https://x/y.png","AssetType":"Image"}"#
        );
    }

    #[test]
    fn actions_know_their_limits_and_whether_they_create() {
        assert!(Action::from_name("GetAsset").is_some_and(|a| a.qps() == 100));
        assert!(Action::CreateAsset.is_create() && !Action::UpdateAsset.is_create());
    }
}
