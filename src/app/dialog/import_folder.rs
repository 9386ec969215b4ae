//! Import a folder's media files into the open group.

use std::path::Path;

use super::TextField;
use crate::app::effect::Effect;
use crate::catalog::local::local_path;
use crate::validate;

/// The folder to import.
#[derive(Debug, Clone)]
pub struct ImportFolderForm {
    /// The group the files go into.
    pub group_id: String,
    /// The folder (`~` is home; Tab completes).
    pub path: TextField,
}

impl ImportFolderForm {
    /// An empty form for `group_id`.
    pub fn new(group_id: String) -> Self {
        ImportFolderForm {
            group_id,
            path: TextField::new("Folder of images, videos and audio", "", folder_rule),
        }
    }

    /// Imports the folder's media files (not its sub-folders).
    pub fn request(&self) -> Effect {
        Effect::ImportFolder {
            group_id: self.group_id.clone(),
            path: local_path(&self.path.value(), Path::new(".")),
        }
    }
}

/// A folder that exists here (`~` is home).
pub(super) fn folder_rule(value: &str) -> Result<(), validate::Invalid> {
    let path = local_path(value, Path::new("."));
    if !value.is_empty() && path.is_dir() {
        Ok(())
    } else {
        Err(validate::Invalid::file(&path, "is not a folder here"))
    }
}
