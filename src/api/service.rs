//! [`AssetsApi`]: the operations of the Assets API, one typed method per action, and the
//! [`Client`]'s implementation of them.

use async_trait::async_trait;

use super::client::{Client, NO_OFFSET};
use super::model::*;
use super::{ApiError, ApiResult, ErrorKind};

/// The operations of the Assets API. Implemented by [`Client`] for both dialects; the global
/// dialect answers every action but CreateAsset/GetAsset with [`ErrorKind::Unsupported`].
#[async_trait]
pub trait AssetsApi: Send + Sync {
    /// Creates an asset group.
    async fn create_asset_group(&self, req: &CreateAssetGroup) -> ApiResult<Created>;
    /// Reads an asset group.
    async fn get_asset_group(&self, id: &str) -> ApiResult<AssetGroup>;
    /// Lists asset groups.
    async fn list_asset_groups(&self, req: &ListAssetGroups) -> ApiResult<Page<AssetGroup>>;
    /// Updates an asset group's name and description.
    async fn update_asset_group(&self, req: &UpdateAssetGroup) -> ApiResult<()>;
    /// Deletes an asset group.
    async fn delete_asset_group(&self, id: &str) -> ApiResult<()>;
    /// Creates an asset (it starts `Processing`).
    async fn create_asset(&self, req: &CreateAsset) -> ApiResult<Created>;
    /// Reads an asset.
    async fn get_asset(&self, id: &str) -> ApiResult<Asset>;
    /// Lists assets.
    async fn list_assets(&self, req: &ListAssets) -> ApiResult<Page<Asset>>;
    /// Renames an asset.
    async fn update_asset(&self, req: &UpdateAsset) -> ApiResult<()>;
    /// Deletes an asset.
    async fn delete_asset(&self, id: &str) -> ApiResult<()>;
    /// Starts a liveness check of a real person.
    async fn create_visual_validate_session(
        &self,
        req: &CreateVisualValidateSession,
    ) -> ApiResult<VisualValidateSession>;
    /// The outcome of a liveness check; the token is consumed by this one query.
    async fn get_visual_validate_result(&self, token: &str) -> ApiResult<VisualValidateResult>;
    /// The service's clock minus this machine's, as last seen (to 1 s, from `Date` headers).
    fn clock_offset(&self) -> Option<chrono::Duration> {
        None
    }
    /// Says `message` where this client says that it waits (stderr, the TUI's status line).
    fn notice(&self, _message: &str) {}
}

/// Decodes the empty `{}` results of update/delete.
#[derive(serde::Deserialize)]
struct Empty {}

#[async_trait]
impl AssetsApi for Client {
    async fn create_asset_group(&self, req: &CreateAssetGroup) -> ApiResult<Created> {
        self.call(Action::CreateAssetGroup, req).await
    }
    async fn get_asset_group(&self, id: &str) -> ApiResult<AssetGroup> {
        self.call(Action::GetAssetGroup, &ById { id: id.into() })
            .await
    }
    async fn list_asset_groups(&self, req: &ListAssetGroups) -> ApiResult<Page<AssetGroup>> {
        self.call(Action::ListAssetGroups, req).await
    }
    async fn update_asset_group(&self, req: &UpdateAssetGroup) -> ApiResult<()> {
        self.call::<_, Empty>(Action::UpdateAssetGroup, req)
            .await
            .map(drop)
    }
    async fn delete_asset_group(&self, id: &str) -> ApiResult<()> {
        self.call::<_, Empty>(Action::DeleteAssetGroup, &ById { id: id.into() })
            .await
            .map(drop)
    }
    async fn create_asset(&self, req: &CreateAsset) -> ApiResult<Created> {
        let slot = self.creation_slot().await;
        let created: Created = self.call(Action::CreateAsset, req).await?;
        self.limits
            .creations()
            .hold(&created.id, &req.group_id, slot);
        Ok(created)
    }
    async fn get_asset(&self, id: &str) -> ApiResult<Asset> {
        self.get_observed(id).await
    }
    async fn list_assets(&self, req: &ListAssets) -> ApiResult<Page<Asset>> {
        let page: Page<Asset> = self.call(Action::ListAssets, req).await?;
        self.observe(&page.items);
        Ok(page)
    }
    async fn update_asset(&self, req: &UpdateAsset) -> ApiResult<()> {
        self.call::<_, Empty>(Action::UpdateAsset, req)
            .await
            .map(drop)
    }
    async fn delete_asset(&self, id: &str) -> ApiResult<()> {
        self.call::<_, Empty>(Action::DeleteAsset, &ById { id: id.into() })
            .await
            .map(drop)
    }
    async fn create_visual_validate_session(
        &self,
        req: &CreateVisualValidateSession,
    ) -> ApiResult<VisualValidateSession> {
        let session: VisualValidateSession =
            self.call(Action::CreateVisualValidateSession, req).await?;
        // The link is shown as a QR code and a clickable link: only a sane http(s) one.
        crate::validate::link(crate::validate::Field::H5Link, &session.h5_link).map_err(|e| {
            ApiError::local(
                Action::CreateVisualValidateSession,
                ErrorKind::Malformed,
                "UnusableLink",
                e.to_string(),
            )
        })?;
        Ok(session)
    }
    async fn get_visual_validate_result(&self, token: &str) -> ApiResult<VisualValidateResult> {
        let req = GetVisualValidateResult {
            byted_token: token.to_owned(),
        };
        self.call(Action::GetVisualValidateResult, &req).await
    }
    fn notice(&self, message: &str) {
        self.notifier.say(message);
    }
    fn clock_offset(&self) -> Option<chrono::Duration> {
        match self
            .clock_offset_ms
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            NO_OFFSET => None,
            ms => Some(chrono::Duration::milliseconds(ms)),
        }
    }
}
