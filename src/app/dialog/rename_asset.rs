//! An asset's name.

use super::TextField;
use crate::app::asset_row::AssetRow;
use crate::app::effect::Effect;
use crate::validate;

/// The field of an asset being renamed.
#[derive(Debug, Clone)]
pub struct RenameAssetForm {
    /// Asset id.
    pub id: String,
    /// New name (required).
    pub name: TextField,
}

impl RenameAssetForm {
    /// The form for `asset`, filled with its current name.
    pub fn new(asset: &AssetRow) -> Self {
        RenameAssetForm {
            id: asset.id.to_string(),
            name: TextField::editing("Name", &asset.name, |v| validate::name(v, true)),
        }
    }

    /// Renames the asset.
    pub fn request(&self) -> Effect {
        Effect::RenameAsset {
            id: self.id.clone(),
            name: self.name.value(),
        }
    }
}
