//! Creating a Failed asset again from what the ledger recorded of it: the same group, name and
//! source (the public URL as it was sent, or the stored file through a fresh presigned GET).
//! A retry is a create-once of its own (`retry:<failed id>`), so asking twice creates once.

use super::{Catalog, CreateError, create};
use crate::api::model::{CreateAsset, Status};
use crate::api::{ApiError, AssetsApi};

/// Why an asset could not be created again.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RetryError {
    /// Reading the asset failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Creating the new one failed.
    #[error(transparent)]
    Create(#[from] CreateError),
    /// The asset is not Failed (any more).
    #[error("{} is {status}, not Failed: nothing to retry", crate::text::visible(.id))]
    NotFailed {
        /// The asset.
        id: String,
        /// Its status now.
        status: String,
    },
    /// This profile's ledger has no record of creating it.
    #[error(
        "{} was not created through this profile (its ledger has no record): create it again \
         from its source",
        crate::text::visible(.0)
    )]
    NoRecord(String),
    /// Its URL was signed, and the ledger keeps URLs without their signature.
    #[error(
        "{} was created from a signed URL, which the ledger keeps without its signature: \
         create it again from a fresh URL",
        crate::text::visible(.0)
    )]
    Unsigned(String),
    /// It was made from an uploaded file that is gone from the bucket, or there is no bucket.
    #[error("{}'s uploaded file {why}: create it again from the file", crate::text::visible(.id))]
    NoFile {
        /// The asset.
        id: String,
        /// What became of the file.
        why: &'static str,
    },
}

impl Catalog {
    /// Creates the Failed asset `failed` again from its ledger record; returns the new id.
    pub async fn retry(&self, failed: &str) -> Result<String, RetryError> {
        let asset = self.client().get_asset(failed).await?;
        if asset.status != Status::Failed {
            return Err(RetryError::NotFailed {
                id: failed.to_owned(),
                status: asset.status.name().to_owned(),
            });
        }
        let record = self
            .ledger()
            .created(failed)
            .map_err(CreateError::from)?
            .ok_or_else(|| RetryError::NoRecord(failed.to_owned()))?;
        let no_file = |why| RetryError::NoFile {
            id: failed.to_owned(),
            why,
        };
        let url = match &record.object {
            None if crate::storage::is_redacted(&record.url) => {
                return Err(RetryError::Unsigned(failed.to_owned()));
            }
            None => record.url.clone(),
            Some(_) if record.cleaned => return Err(no_file("was deleted after it was used")),
            Some(object) => self
                .storage()
                .ok_or_else(|| no_file("is in object storage this profile does not configure"))?
                .presigned_get(object)
                .to_string(),
        };
        let req = CreateAsset {
            group_id: asset.group_id,
            url,
            name: Some(record.name.clone()).filter(|n| !n.is_empty()),
            asset_type: asset.asset_type,
        };
        let key = format!("retry:{failed}");
        let intent = create::Intent {
            object: record.object.as_deref(),
            sha256: record.sha256.as_deref(),
            ..create::Intent::new(&key, &record.group)
        };
        Ok(self.create_once(&intent, &req).await?.id)
    }
}
