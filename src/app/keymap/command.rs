//! [`Command`]: what a key asks for, by name (the `[keys]` table's names).

/// What a key asks for; `update` decides what it means in the current context. A `[keys]`
/// table names the commands it rebinds in snake case (`page_down`, `copy_ref`); those of
/// dialogs and overlays (`keep`, `cancel`, `submit`, fields, copying shown text) keep their
/// keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Move the selection up one row.
    Up,
    /// Move the selection down one row.
    Down,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Move a page up.
    PageUp,
    /// Move a page down.
    PageDown,
    /// Toggle focus between the panes.
    NextPane,
    /// Focus the groups pane.
    FocusGroups,
    /// Focus the assets pane.
    FocusAssets,
    /// Open the selected group, or the selected asset's whole detail.
    Open,
    /// Create a group (groups pane) or an asset (assets pane).
    Create,
    /// Import a folder's media files into the open group.
    ImportFolder,
    /// Rename the selected group or asset.
    Rename,
    /// Reload from the service.
    Refresh,
    /// Delete the selected group or asset (asks first).
    Delete,
    /// Filter the focused pane by name.
    Filter,
    /// Clear the name filter of the focused pane.
    ClearFilter,
    /// Cycle the status filter (All, Active, Processing, Failed).
    CycleStatus,
    /// Copy `Asset://<Id>`.
    CopyRef,
    /// Copy a Seedance `image_url` content item.
    CopySnippet,
    /// Show the asset's URL.
    ShowUrl,
    /// Sort the assets by the next column (created, updated, name, status).
    Sort,
    /// Flip the sort order.
    FlipSort,
    /// Switch project.
    SwitchProject,
    /// Open the `:` command palette.
    Palette,
    /// Show the help overlay.
    Help,
    /// Quit.
    Quit,
    /// Keep what was typed and leave the mode (filter).
    #[serde(skip)]
    Keep,
    /// Leave the mode without acting (close a dialog, clear a filter being typed).
    #[serde(skip)]
    Cancel,
    /// Send a form, or confirm a question.
    #[serde(skip)]
    Submit,
    /// Next field of a form.
    #[serde(skip)]
    NextField,
    /// Previous field of a form.
    #[serde(skip)]
    PrevField,
    /// Copy what the dialog shows.
    #[serde(skip)]
    CopyShown,
    /// The liveness check's page in the next language.
    #[serde(skip)]
    NextLanguage,
    /// Clear what was typed (the palette's input).
    #[serde(skip)]
    ClearInput,
    /// Verify a real person: a liveness check on their phone, its link shown as a QR code.
    Verify,
    /// Mark or unmark the selected asset.
    ToggleMark,
    /// Mark every asset shown (filters respected).
    MarkAll,
    /// Create the marked Failed assets (or the selected one) again from the ledger's record.
    Retry,
    /// Keep the open group in step with a folder: a plan first, applied on Enter.
    Sync,
    /// Edit the names of the marked assets (or of those shown) in `$VISUAL` / `$EDITOR`.
    EditNames,
    /// Give the terminal back and stop, as a shell job (`fg` resumes).
    Suspend,
    /// Show every message of the session.
    Messages,
    /// Mark a range: marks follow the selection until `v` again (or `Esc`).
    VisualSelect,
    /// Open the group that was open before this one.
    Back,
    /// Copy the selected group or asset as JSON (the `--json` shape).
    CopyJson,
    /// Copy the group (in the assets pane: the marked assets) to another profile: the
    /// profile picked from a list, then the plan, applied on Enter.
    CopyTo,
    /// Download the group's files into a folder.
    Pull,
    /// Open the selected asset's file (`$BROWSER`, else the desktop's opener); in the tasks
    /// view, the video.
    OpenFile,
    /// A Seedance task from the marked assets (else the selected one).
    Generate,
    /// The Seedance tasks view.
    Tasks,
    /// Download the selected task's video.
    Download,
}

impl Command {
    /// The name a `[keys]` table uses for it, when it can be rebound.
    pub(crate) fn config_name(self) -> Option<String> {
        crate::config::name_of(&self)
    }

    /// Whether it changes the account (off in read-only sessions).
    pub(crate) fn mutates(self) -> bool {
        matches!(
            self,
            Command::Create
                | Command::ImportFolder
                | Command::Rename
                | Command::Delete
                | Command::Verify
                | Command::Retry
                | Command::Sync
                | Command::EditNames
                | Command::Generate
        )
    }
}
