//! Pull a group's files into a folder: the folder asked for (made when there is none).

use std::path::Path;

use super::TextField;
use crate::app::effect::Effect;
use crate::catalog::local::local_path;
use crate::validate;

/// The folder a group's files go into.
#[derive(Debug, Clone)]
pub struct PullGroupForm {
    /// The group pulled.
    pub group_id: String,
    /// The folder (`~` is home; Tab completes).
    pub path: TextField,
}

impl PullGroupForm {
    /// An empty form for `group_id`.
    pub fn new(group_id: String) -> Self {
        PullGroupForm {
            group_id,
            path: TextField::new(
                "Folder the files go into (made when there is none)",
                "",
                pull_folder_rule,
            ),
        }
    }

    /// Pulls the group's files.
    pub fn request(&self) -> Effect {
        Effect::Pull {
            group_id: self.group_id.clone(),
            folder: local_path(&self.path.value(), Path::new(".")),
        }
    }
}

/// A folder here, or a path where none is yet (`~` is home).
fn pull_folder_rule(value: &str) -> Result<(), validate::Invalid> {
    let path = local_path(value, Path::new("."));
    if value.is_empty() {
        Err(validate::Invalid::file(&path, "a folder is needed"))
    } else if path.exists() && !path.is_dir() {
        Err(validate::Invalid::file(&path, "is not a folder"))
    } else {
        Ok(())
    }
}
