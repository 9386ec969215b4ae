//! [`Action`]: the actions of the Assets API, their limits and names.

use serde::{Deserialize, Serialize};

/// Every action of the Assets API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// Create an asset group.
    CreateAssetGroup,
    /// Read one asset group.
    GetAssetGroup,
    /// List asset groups with filters and paging.
    ListAssetGroups,
    /// Rename / re-describe an asset group.
    UpdateAssetGroup,
    /// Delete an asset group.
    DeleteAssetGroup,
    /// Create an asset from a public image URL.
    CreateAsset,
    /// Read one asset.
    GetAsset,
    /// List assets with filters and paging.
    ListAssets,
    /// Rename an asset.
    UpdateAsset,
    /// Delete an asset.
    DeleteAsset,
    /// Start a liveness check of a real person (an H5 page for their phone).
    CreateVisualValidateSession,
    /// The outcome of a liveness check: the new real-person group (one query per token).
    GetVisualValidateResult,
}

impl Action {
    /// All actions, in a stable order.
    pub const ALL: [Action; 12] = [
        Action::CreateAssetGroup,
        Action::GetAssetGroup,
        Action::ListAssetGroups,
        Action::UpdateAssetGroup,
        Action::DeleteAssetGroup,
        Action::CreateAsset,
        Action::GetAsset,
        Action::ListAssets,
        Action::UpdateAsset,
        Action::DeleteAsset,
        Action::CreateVisualValidateSession,
        Action::GetVisualValidateResult,
    ];

    /// The action name as sent on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Action::CreateAssetGroup => "CreateAssetGroup",
            Action::GetAssetGroup => "GetAssetGroup",
            Action::ListAssetGroups => "ListAssetGroups",
            Action::UpdateAssetGroup => "UpdateAssetGroup",
            Action::DeleteAssetGroup => "DeleteAssetGroup",
            Action::CreateAsset => "CreateAsset",
            Action::GetAsset => "GetAsset",
            Action::ListAssets => "ListAssets",
            Action::UpdateAsset => "UpdateAsset",
            Action::DeleteAsset => "DeleteAsset",
            Action::CreateVisualValidateSession => "CreateVisualValidateSession",
            Action::GetVisualValidateResult => "GetVisualValidateResult",
        }
    }

    /// Parses a wire action name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Requests per second the service allows per account for this action.
    pub(crate) fn qps(self) -> u32 {
        match self {
            Action::GetAsset | Action::GetAssetGroup => 100,
            _ => 30,
        }
    }

    /// Whether the action creates something, so that re-sending it blindly could duplicate
    /// (a verification result is single-use: asking twice loses it).
    pub(crate) fn is_create(self) -> bool {
        matches!(
            self,
            Action::CreateAsset
                | Action::CreateAssetGroup
                | Action::CreateVisualValidateSession
                | Action::GetVisualValidateResult
        )
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
