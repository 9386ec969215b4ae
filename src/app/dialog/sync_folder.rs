//! Sync the open group with a folder: the folder asked for; its plan is shown next.

use std::path::Path;

use super::TextField;
use super::import_folder::folder_rule;
use crate::app::effect::Effect;
use crate::catalog::local::local_path;

/// The folder to sync with.
#[derive(Debug, Clone)]
pub struct SyncFolderForm {
    /// The group kept in step.
    pub group_id: String,
    /// The folder (`~` is home; Tab completes).
    pub path: TextField,
}

impl SyncFolderForm {
    /// An empty form for `group_id`.
    pub fn new(group_id: String) -> Self {
        SyncFolderForm {
            group_id,
            path: TextField::new("Folder to keep the group in step with", "", folder_rule),
        }
    }

    /// Plans the sync (nothing changes until the plan is applied).
    pub fn request(&self) -> Effect {
        Effect::PlanSync {
            group_id: self.group_id.clone(),
            folder: local_path(&self.path.value(), Path::new(".")),
        }
    }
}
