//! What has the keyboard ([`Mode`]) and the states of its overlays.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::dialog::{ConfirmDelete, Dialog, ShownText, SwitchProject};
use super::palette::Palette;
use super::picker::Picker;
use crate::catalog::sync::Plan;

/// What has the keyboard: browsing, or one overlay. One value, so two overlays can never be
/// open at once and the order of checks decides nothing.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// Moving through the panes.
    #[default]
    Browse,
    /// Typing the `/` filter of the focused pane.
    Filter,
    /// The `?` overlay.
    Help,
    /// A form: create, rename, import…
    Form(Box<Dialog>),
    /// Asking before deleting.
    Confirm(ConfirmDelete),
    /// Showing text that can be copied (an asset's URL).
    Shown(ShownText),
    /// A real person's liveness check: its link as a QR code, until the phone shows success.
    Verify(Verification),
    /// The `:` command palette.
    Palette(Box<Palette>),
    /// A sync's plan, before it is applied.
    Sync(Box<SyncView>),
    /// A copy to another profile: the profile picked, then its plan.
    Copy(Box<CopyView>),
    /// The project switch: a known project picked, or a name typed.
    Projects(Box<SwitchProject>),
    /// The messages log; the selected message (oldest first).
    Messages(usize),
    /// The selected asset's whole detail over the panes (Enter on an asset; below
    /// [`WIDE`](super::layout::WIDE) columns the only place its picture shows).
    Detail,
    /// The Seedance tasks (`T`): the recent ones, the selected one's detail.
    Tasks,
}

/// A visual selection: the asset it started on, and the marks there were before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visual {
    /// The asset the selection started on.
    pub anchor: String,
    /// The marks before it began (kept; the range adds to them).
    pub before: BTreeSet<String>,
}

/// A sync's plan as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncView {
    /// The folder.
    pub folder: PathBuf,
    /// What to do.
    pub plan: Plan,
    /// Whether the assets no file matches are deleted too.
    pub delete: bool,
    /// The first step line shown.
    pub offset: usize,
    /// Whether the deletions wait for a yes (asked once Enter applies a plan that deletes).
    pub confirming: bool,
}

/// A copy to another profile as the overlay shows it: the profiles to pick from, then the plan.
#[derive(Debug, Clone)]
pub struct CopyView {
    /// The group copied.
    pub group_id: String,
    /// Its name.
    pub group_name: String,
    /// Only these of its assets (the marked ones), else all.
    pub only: Option<BTreeSet<String>>,
    /// The profiles it can go to (the session's own left out), the one picked.
    pub profiles: Picker,
    /// Why the last plan could not be made (shown under the list).
    pub error: Option<String>,
    /// Where the copy stands.
    pub stage: CopyStage,
}

/// Where a copy stands before it runs.
#[derive(Debug, Clone)]
pub enum CopyStage {
    /// Picking the profile.
    Picking,
    /// Waiting for the plan into the profile picked.
    Planning,
    /// The plan, shown.
    Plan(Box<CopyPlanView>),
}

/// A copy's plan as the overlay shows it.
#[derive(Debug, Clone)]
pub struct CopyPlanView {
    /// What to do.
    pub plan: crate::catalog::copy::CopyPlan,
    /// The destination is read-only: the plan is shown, not applied.
    pub read_only: bool,
    /// Whether the destination's assets no source asset matches are deleted too.
    pub delete: bool,
    /// The first step line shown.
    pub offset: usize,
    /// Whether the deletions wait for a yes.
    pub confirming: bool,
}

impl CopyView {
    /// The profile picked.
    pub fn profile(&self) -> &str {
        self.profiles.picked().map_or("", |p| p.value())
    }
}

/// Where a liveness check stands in the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Asking the service for a session.
    Starting,
    /// The link is shown; `since` is the tick it appeared (it expires after 120 s).
    Showing {
        /// The H5 link.
        link: String,
        /// The single-use token.
        token: String,
        /// Tick the link appeared.
        since: u64,
        /// Whether "has the phone shown success?" is asked (the token is spent once).
        asking: bool,
    },
    /// The result was asked for.
    Checking,
    /// It failed or expired; Enter starts a new session.
    Failed(String),
}
