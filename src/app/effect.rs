//! [`Effect`]: the work `update` asks for, as data; the runner ([`super::effects`]) does it.

use std::path::PathBuf;

use super::remembered::Remembered;
use super::sort::SortJob;
use crate::api::model::{SortBy, SortOrder};
use crate::catalog::Cursor;

/// Work to do outside `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List every group.
    LoadGroups,
    /// Load `pages` pages of a group's assets from `from`.
    LoadAssets {
        /// Group.
        group_id: String,
        /// Where the first of them starts.
        from: Cursor,
        /// How many pages.
        pages: u32,
        /// The order to ask the service for.
        order: (SortBy, SortOrder),
    },
    /// Refresh the status of a group's Processing assets.
    Poll {
        /// Group.
        group_id: String,
        /// Assets known to be Processing, as last seen.
        processing: Vec<crate::catalog::poll::Pending>,
    },
    /// Sort the assets pane's rows on a worker.
    Sort {
        /// The pane's epoch the keys were taken at.
        epoch: u64,
        /// The keys.
        job: SortJob,
    },
    /// GetAsset for the asset's signed URL (rows do not keep them).
    FetchUrl {
        /// Asset id.
        id: String,
    },
    /// Create a group.
    CreateGroup {
        /// Name.
        name: String,
        /// Description.
        description: String,
    },
    /// Import a folder's media files into a group (not its sub-folders).
    ImportFolder {
        /// Group.
        group_id: String,
        /// The folder.
        path: PathBuf,
        /// Its sub-folders' files too.
        recursive: bool,
    },
    /// Fetch an image asset and draw it in `cols × rows` cells (half blocks or graphics).
    Preview {
        /// Asset id.
        id: String,
        /// Its signed URL.
        url: String,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// Read a local file and draw it in `cols × rows` cells when it is an image.
    PreviewFile {
        /// Its key in the preview cache.
        key: String,
        /// The file.
        path: PathBuf,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// Read what a video or audio asset's file holds (ranged reads of its URL).
    Probe {
        /// Asset id.
        id: String,
        /// Its signed URL.
        url: String,
    },
    /// Check a URL or a local file (uploading it), then create an asset from it.
    AddAsset {
        /// Group.
        group_id: String,
        /// Where its file comes from.
        source: crate::catalog::import::Source,
        /// Name (may be empty: from the source).
        name: String,
        /// An image that breaks the size, ratio or byte rules is fitted into them this way.
        fit: Option<crate::media::fit::FitMode>,
    },
    /// Plan the sync of a group with a folder (nothing changes yet).
    PlanSync {
        /// Group.
        group_id: String,
        /// The folder.
        folder: PathBuf,
    },
    /// Apply a sync's plan.
    ApplySync(Box<crate::catalog::sync::Plan>),
    /// Open profile `profile` (on a worker) and plan the copy of a group into it (nothing
    /// changes yet).
    PlanCopy {
        /// The destination profile.
        profile: String,
        /// The group copied.
        group_id: String,
        /// Only these of its assets (the marked ones), else all.
        only: Option<std::collections::BTreeSet<String>>,
    },
    /// Apply a copy's plan into profile `profile`.
    ApplyCopy {
        /// The destination profile.
        profile: String,
        /// What to do.
        plan: Box<crate::catalog::copy::CopyPlan>,
    },
    /// Download a group's files into a folder.
    Pull {
        /// Group.
        group_id: String,
        /// The folder (made when there is none).
        folder: PathBuf,
    },
    /// Let the user edit these assets' names in their editor (the terminal's owner does this:
    /// the editor needs the terminal).
    EditNames(Vec<crate::catalog::rename::Named>),
    /// Rename these assets.
    RenameMany(Vec<crate::catalog::rename::NameChange>),
    /// Give the terminal back and stop, as a shell job (the terminal's owner does this).
    Suspend,
    /// Open this URL with the opener (`$BROWSER`, else the desktop's).
    Open(String),
    /// Change a group's name and description.
    UpdateGroup {
        /// Group id.
        id: String,
        /// New name.
        name: String,
        /// New description.
        description: String,
    },
    /// Rename an asset.
    RenameAsset {
        /// Asset id.
        id: String,
        /// New name.
        name: String,
    },
    /// Count a group's assets (before asking whether to delete it).
    CountAssets {
        /// Group.
        group_id: String,
    },
    /// Delete a group (the service deletes its assets with it).
    DeleteGroup(String),
    /// Delete assets (each once, a few at a time; see [`crate::catalog::Catalog::delete_assets`]).
    DeleteAssets(Vec<String>),
    /// Create Failed assets again from the ledger's record of their source.
    Retry {
        /// Their group.
        group_id: String,
        /// The Failed assets.
        ids: Vec<String>,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Scope requests to another project.
    SwitchProject(String),
    /// Work as another configured profile from now on (its endpoint, keys, ledger and
    /// storage), keeping what the session leaves behind for the one it leaves.
    SwitchProfile {
        /// The profile to open.
        to: String,
        /// The profile left and its state, to keep for its next session.
        leaving: Option<(String, Remembered)>,
    },
    /// Delete the uploaded objects whose assets are done, waiting (bounded, in the
    /// background) for those still Processing: at the start, for what an earlier run left.
    CleanUploads,
    /// Start a liveness check of a real person.
    StartVerification,
    /// Ask, once, for the result of the liveness check with this token.
    FinishVerification(String),
    /// Read a task's assets for the form's legend (nothing is sent to the data plane).
    PlanTask(crate::catalog::tasks::TaskAsk),
    /// Check a task (every asset read) and create it once.
    CreateTask(crate::catalog::tasks::TaskAsk),
    /// List the recent tasks.
    LoadTasks,
    /// Read these unfinished tasks again: one round (one listing, or a GET for one).
    PollTasks(Vec<String>),
    /// Cancel a queued task.
    CancelTask(String),
    /// Download a task's video to `path` (not replacing a file there).
    DownloadTask {
        /// Task id.
        id: String,
        /// Where it goes.
        path: PathBuf,
    },
}

/// A group or an asset, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A group.
    Group(String),
    /// An asset.
    Asset(String),
}
