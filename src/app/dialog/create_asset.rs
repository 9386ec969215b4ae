//! New asset in the open group: image URL and name.

use super::TextField;
use crate::app::effects::Effect;
use crate::validate;

/// The fields of a new asset.
#[derive(Debug, Clone)]
pub struct CreateAssetForm {
    /// The group it goes into.
    pub group_id: String,
    /// Public URL of the image.
    pub url: TextField,
    /// Name (defaults to the URL's file name).
    pub name: TextField,
}

impl CreateAssetForm {
    /// An empty form for `group_id`.
    pub fn new(group_id: String) -> Self {
        CreateAssetForm {
            group_id,
            url: TextField::new("Image URL", "", |v| validate::url(v).map(drop)),
            name: TextField::new("Name", "", |v| validate::name(v, false)),
        }
    }

    /// Checks the image, then creates the asset.
    pub fn request(&self) -> Effect {
        Effect::CreateAsset {
            group_id: self.group_id.clone(),
            url: self.url.value(),
            name: self.name.value(),
        }
    }
}
