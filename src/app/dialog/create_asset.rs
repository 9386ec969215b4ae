//! New asset in the open group: an image URL or a local file, and a name.

use std::path::Path;

use super::TextField;
use crate::app::effect::Effect;
use crate::catalog::import::Source;
use crate::catalog::local::{has_scheme, local_path};
use crate::validate;

/// The fields of a new asset.
#[derive(Debug, Clone)]
pub struct CreateAssetForm {
    /// The group it goes into.
    pub group_id: String,
    /// Public URL of the image, or the path of a local one (uploaded first).
    pub url: TextField,
    /// Name (defaults to the URL's file name).
    pub name: TextField,
    /// The preview shown of the local file the source names (its key in the preview cache),
    /// once the field has rested on it.
    pub preview: Option<String>,
    /// The local file the field names and the tick it first named it: a path is judged (its
    /// preview read) only once typing rests on it.
    pub(crate) resting: Option<(String, u64)>,
    /// The last answer refused the local file for faults fitting fixes: `f` (the next key)
    /// fits it and tries again.
    pub fit_offered: bool,
    /// How an image breaking the size, ratio or byte rules is fitted (once `f` asked).
    pub fit: Option<crate::media::fit::FitMode>,
}

impl CreateAssetForm {
    /// A form for `group_id`, its source field holding `offered` (the demo's sample, or empty).
    pub fn new(group_id: String, offered: &str) -> Self {
        CreateAssetForm {
            group_id,
            url: TextField::new(
                "URL or local file (Tab completes paths)",
                offered,
                source_rule,
            ),
            name: TextField::new("Name", "", |v| validate::name(v, false)),
            preview: None,
            resting: None,
            fit_offered: false,
            fit: None,
        }
    }

    /// The local file the source field names (none for a URL or an empty field).
    pub(crate) fn local_file(&self) -> Option<std::path::PathBuf> {
        let source = self.url.value();
        (!source.is_empty() && !has_scheme(&source)).then(|| local_path(&source, Path::new(".")))
    }

    /// Checks the file (and uploads a local one), then creates the asset.
    pub fn request(&self) -> Effect {
        let source = self.url.value();
        let source = if has_scheme(&source) {
            Source::Url(source)
        } else {
            Source::File(local_path(&source, Path::new(".")))
        };
        Effect::AddAsset {
            group_id: self.group_id.clone(),
            source,
            name: self.name.value(),
            fit: self.fit,
        }
    }
}

/// A URL must be public http(s); anything else is a path that must name a file (`~` is home).
fn source_rule(value: &str) -> Result<(), validate::Invalid> {
    if has_scheme(value) || value.is_empty() {
        return validate::url(value).map(drop);
    }
    let path = local_path(value, Path::new("."));
    if path.is_file() {
        Ok(())
    } else {
        Err(validate::Invalid::file(
            &path,
            "is not a file here (give an http(s) URL or the path of a local image)",
        ))
    }
}
