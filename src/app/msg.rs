//! Everything that can happen to the app: input events and the results of background work.

use crossterm::event::KeyEvent;

use crate::api::ApiError;
use crate::api::model::{Asset, AssetGroup, SortBy, SortOrder};
use crate::catalog::add::{AddError, Added};
use crate::catalog::groups::GroupError;
use crate::catalog::import::{ImportError, Report};
use crate::catalog::tasks::{Downloaded, Submitted, TaskError, TaskPlan};
use crate::catalog::{ListError, Listing};
use crate::seedance::Task;

/// An input or a task result; `update` turns it into state changes and effects.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The terminal was resized.
    Resize(u16, u16),
    /// The UI clock ticked, at this time.
    Tick(chrono::DateTime<chrono::Utc>),
    /// All groups were listed.
    GroupsLoaded(Result<Listing<AssetGroup>, ListError>),
    /// Pages of a group's assets were loaded, starting at `from`.
    AssetsLoaded {
        /// Group.
        group_id: String,
        /// Where they started (the first page replaces the list, later pages append).
        from: crate::catalog::Cursor,
        /// The order they were asked in (an answer in an order since changed is dropped).
        order: (SortBy, SortOrder),
        /// The pages or the error.
        result: Result<Listing<Asset>, ListError>,
    },
    /// The poller's view of assets that were Processing.
    Polled {
        /// Group polled.
        group_id: String,
        /// Current state of every asset that was Processing (still or no longer).
        result: Result<Vec<Asset>, ApiError>,
    },
    /// Failed assets were created again: each old id with the new id, or why not.
    Retried {
        /// Their group.
        group_id: String,
        /// Old id → new id or the reason.
        retried: Vec<(String, Result<String, crate::catalog::retry::RetryError>)>,
    },
    /// The assets of a group about to be deleted were counted: how many, and whether that is
    /// all of them (the listing may stop early), or why they could not be.
    AssetsCounted {
        /// Group.
        group_id: String,
        /// The count and whether it is complete, or why not.
        result: Result<(usize, bool), ListError>,
    },
    /// A call is slow to be answered (the client says so every few seconds at most).
    Notice(String),
    /// A background task failed without an answer of its own (it panicked): whatever waited
    /// for one stops waiting.
    TaskFailed(String),
    /// Another profile was opened (its catalog is in use already), or why not.
    ProfileSwitched(Result<SwitchedProfile, SwitchError>),
    /// A sort computed on a worker (see [`crate::app::sort::SortJob`]).
    Sorted {
        /// The assets pane's epoch it was computed for (a pane whose rows moved since drops it).
        epoch: u64,
        /// Positions of the rows in the sort's order.
        order: Vec<u32>,
    },
    /// The answer to GetAsset for an asset's signed URL.
    UrlFetched {
        /// Asset id.
        id: String,
        /// The asset as it is now.
        result: Result<Asset, ApiError>,
    },
    /// A group was created.
    GroupCreated(Result<String, GroupError>),
    /// An asset was created (it is Processing), or the group had its content already, or it
    /// was refused (nothing sent) or failed.
    AssetCreated {
        /// Its group.
        group_id: String,
        /// The asset, or why not.
        result: Result<Added, AddError>,
    },
    /// An import, sync, copy or pull moved on: files done (created, already there, or
    /// downloaded) and refused so far.
    Progress {
        /// What is moving on.
        work: Work,
        /// Files finished.
        done: usize,
        /// Files found.
        total: usize,
        /// Files refused or failed so far.
        failed: usize,
    },
    /// How long an import's or a sync's creates take at the rate in force, said as they start
    /// when it is more than a minute.
    Estimated(String),
    /// A folder import ended.
    Imported {
        /// Its group.
        group_id: String,
        /// What became of each file, or why the import could not run.
        result: Result<Report, ImportError>,
    },
    /// A sync's plan (for the group it names), or why there is none.
    SyncPlanned {
        /// The folder.
        folder: std::path::PathBuf,
        /// The plan.
        result: Result<crate::catalog::sync::Plan, crate::catalog::sync::SyncError>,
    },
    /// A sync ended.
    Synced {
        /// Its group.
        group_id: String,
        /// What it did, or why it could not run.
        result: Result<crate::catalog::sync::SyncReport, crate::catalog::sync::SyncError>,
    },
    /// A copy's plan (into the profile it names), or why there is none.
    CopyPlanned {
        /// The destination profile.
        profile: String,
        /// The plan, or why not.
        result: Result<PlannedCopy, CopyFailed>,
    },
    /// A copy ended.
    Copied {
        /// The destination profile.
        profile: String,
        /// What it did, or why it could not run.
        result: Result<crate::catalog::copy::CopyReport, CopyFailed>,
    },
    /// A pull ended.
    Pulled {
        /// The folder.
        folder: std::path::PathBuf,
        /// What it did, or why it could not run.
        result: Result<crate::catalog::pull::PullReport, crate::catalog::pull::PullError>,
    },
    /// The names edited in the editor: the changes, or why the edit is not used.
    NamesEdited(Result<Vec<crate::catalog::rename::NameChange>, EditRefused>),
    /// Assets renamed, each with its outcome.
    Renamed(Vec<(crate::catalog::rename::NameChange, Result<(), ApiError>)>),
    /// The mouse: wheel, click, double-click.
    Mouse(crossterm::event::MouseEvent),
    /// An image asset's preview, or why there is none.
    Previewed {
        /// Asset id.
        id: String,
        /// The cells, or the reason.
        result: Result<crate::preview::Preview, crate::preview::NoPreview>,
    },
    /// What a video or audio asset's file holds, as named values, or why it could not be read.
    Probed {
        /// Asset id.
        id: String,
        /// Its fields, or the reason.
        result: Result<Vec<(&'static str, String)>, crate::validate::Invalid>,
    },
    /// A file being uploaded for a new asset: bytes sent so far of its size.
    Uploading {
        /// Bytes sent.
        sent: u64,
        /// The file's size.
        total: u64,
    },
    /// A group's name/description was changed.
    GroupUpdated {
        /// Group id.
        id: String,
        /// New name.
        name: String,
        /// New description.
        description: String,
        /// Outcome.
        result: Result<(), GroupError>,
    },
    /// An asset was renamed.
    AssetRenamed {
        /// Asset id.
        id: String,
        /// New name.
        name: String,
        /// Outcome.
        result: Result<(), ApiError>,
    },
    /// A liveness-check session started (or could not).
    VerificationStarted(Result<crate::api::model::VisualValidateSession, ApiError>),
    /// The liveness check's result: the new real-person group, or why not.
    Verified(Result<String, ApiError>),
    /// A group was deleted (with its assets), or why not.
    GroupDeleted {
        /// The group.
        id: String,
        /// Outcome.
        result: Result<(), crate::catalog::changes::GroupNotDeleted>,
    },
    /// Assets asked to be deleted, each with what became of it.
    AssetsDeleted(Vec<(String, crate::catalog::changes::Deletion)>),
    /// A task's assets read for the form: its plan (the legend), or why it would be refused.
    TaskPlanned(Result<TaskPlan, TaskError>),
    /// A task was created, or why not (refused: nothing was sent).
    TaskCreated(Result<Submitted, TaskError>),
    /// The recent tasks, newest first.
    TasksLoaded(Result<Vec<Task>, TaskError>),
    /// A round of the tasks' poll: the unfinished tasks as they are now.
    TasksPolled(Result<Vec<Task>, TaskError>),
    /// A task was cancelled (as it is now), or why not.
    TaskCancelled {
        /// Task id.
        id: String,
        /// The task, or why not.
        result: Result<Task, TaskError>,
    },
    /// A video being downloaded: bytes written so far, of its size when the server said it.
    TaskDownloading {
        /// Bytes written.
        bytes: u64,
        /// Its size.
        total: Option<u64>,
    },
    /// A video download ended.
    TaskDownloaded {
        /// Task id.
        id: String,
        /// The file, or why not.
        result: Result<Downloaded, TaskError>,
    },
}

/// Work that tells its progress in the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// A folder's import.
    Import,
    /// A sync's creates.
    Sync,
    /// A copy's creates.
    Copy,
    /// A pull's downloads.
    Pull,
}

impl Work {
    /// What it is doing, as the status line says it.
    pub(crate) fn doing(self) -> &'static str {
        match self {
            Work::Import => "importing the folder",
            Work::Sync => "syncing the group",
            Work::Copy => "copying the group",
            Work::Pull => "pulling the group",
        }
    }
}

/// A copy's plan, and whether its destination profile is read-only (then it is shown, not
/// applied).
#[derive(Debug, Clone)]
pub struct PlannedCopy {
    /// The plan.
    pub plan: crate::catalog::copy::CopyPlan,
    /// The destination is read-only.
    pub read_only: bool,
}

/// Why a copy was not planned or applied.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CopyFailed {
    /// The destination profile could not be opened.
    #[error(transparent)]
    Open(#[from] SwitchError),
    /// The copy's use case refused or failed.
    #[error(transparent)]
    Copy(#[from] crate::catalog::copy::CopyError),
}

/// A profile the session switched to.
#[derive(Debug, Clone)]
pub struct SwitchedProfile {
    /// Its title bar.
    pub header: super::state::Header,
    /// `read_only = true` in it (or `--read-only`).
    pub read_only: bool,
    /// What its last session left behind.
    pub remembered: crate::app::remembered::Remembered,
    /// What went wrong on the way without stopping it.
    pub problems: Vec<String>,
    /// Its `[tasks]` table, when it has a data plane.
    pub data_plane: Option<crate::config::TasksFile>,
}

/// Why the session did not switch profiles.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SwitchError {
    /// There are no other profiles (the demo, or environment variables alone).
    #[error("no other profiles are configured")]
    NoProfiles,
    /// The profile could not be opened.
    #[error(transparent)]
    Open(std::sync::Arc<crate::open::OpenError>),
    /// The worker opening it stopped.
    #[error("opening it stopped: {0}")]
    Stopped(String),
}

pub use crate::catalog::rename::EditRefused;
