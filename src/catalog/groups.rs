//! Changing groups, for both front ends: a new group (always of virtual portraits, `AIGC`: a
//! real person's is made by a liveness check) and a new name or description, each checked
//! against the name rules before anything is sent.

use super::Catalog;
use crate::api::model::{CreateAssetGroup, GroupType, UpdateAssetGroup};
use crate::api::{ApiError, AssetsApi};
use crate::validate::{self, Invalid};

/// Why a group was not created or changed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GroupError {
    /// A value breaks a rule; nothing was sent.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The service refused or failed.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl Catalog {
    /// Creates a group of virtual portraits named `name`; returns its id.
    pub async fn create_group(
        &self,
        name: String,
        description: Option<String>,
    ) -> Result<String, GroupError> {
        validate::name(&name, true)?;
        if let Some(d) = &description {
            validate::description(d)?;
        }
        let req = CreateAssetGroup {
            name,
            description: description.filter(|d| !d.is_empty()),
            group_type: Some(GroupType::Aigc),
        };
        Ok(self.client().create_asset_group(&req).await?.id)
    }

    /// Gives group `id` a new name and/or description (`None`: kept).
    pub(crate) async fn change_group(
        &self,
        id: &str,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<(), GroupError> {
        if let Some(n) = &name {
            validate::name(n, true)?;
        }
        if let Some(d) = &description {
            validate::description(d)?;
        }
        let req = UpdateAssetGroup {
            id: id.to_owned(),
            name,
            description,
        };
        Ok(self.client().update_asset_group(&req).await?)
    }
}
