//! [`Scope`]: where a binding applies, and the scopes a mode reads in order.

/// Where a binding applies. Each mode of the UI reads its own scopes, so a key means one thing
/// in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In every mode, before anything else.
    Always,
    /// Browsing, in both panes.
    Global,
    /// Browsing the groups pane.
    Groups,
    /// Browsing the assets pane.
    Assets,
    /// Typing the `/` filter.
    Filter,
    /// A form (create, rename, import…).
    Form,
    /// A yes/no question: only `y` says yes.
    Confirm,
    /// A question answered by typing (deleting a group that holds assets): characters edit the
    /// answer.
    Typed,
    /// A dialog showing text (the asset's URL).
    Shown,
    /// The help overlay.
    Help,
    /// The liveness check's QR code.
    Verify,
    /// The `:` command palette (characters edit its input).
    Palette,
    /// A sync's plan, before it is applied.
    Sync,
    /// The profiles a copy can go to.
    Profiles,
    /// The projects to switch to (characters edit the name typed).
    Projects,
    /// A copy's plan, before it is applied.
    Copy,
    /// The messages log.
    Messages,
    /// An asset's whole detail.
    Detail,
    /// The Seedance tasks view.
    Tasks,
}

impl Scope {
    /// The scopes a key is looked up in, in order, while this one is active.
    pub fn chain(self) -> &'static [Scope] {
        match self {
            Scope::Groups => &[Scope::Always, Scope::Groups, Scope::Global],
            Scope::Assets => &[Scope::Always, Scope::Assets, Scope::Global],
            Scope::Global => &[Scope::Always, Scope::Global],
            Scope::Filter => &[Scope::Always, Scope::Filter],
            Scope::Form => &[Scope::Always, Scope::Form],
            Scope::Confirm => &[Scope::Always, Scope::Confirm],
            Scope::Typed => &[Scope::Always, Scope::Typed],
            Scope::Shown => &[Scope::Always, Scope::Shown],
            Scope::Help => &[Scope::Always, Scope::Help],
            Scope::Verify => &[Scope::Always, Scope::Verify],
            Scope::Palette => &[Scope::Always, Scope::Palette],
            Scope::Sync => &[Scope::Always, Scope::Sync],
            Scope::Profiles => &[Scope::Always, Scope::Profiles],
            Scope::Projects => &[Scope::Always, Scope::Projects],
            Scope::Copy => &[Scope::Always, Scope::Copy],
            Scope::Messages => &[Scope::Always, Scope::Messages],
            Scope::Detail => &[Scope::Always, Scope::Detail],
            Scope::Tasks => &[Scope::Always, Scope::Tasks],
            Scope::Always => &[Scope::Always],
        }
    }

    /// Every scope, for checks over the whole table.
    pub const ALL: [Scope; 19] = [
        Scope::Always,
        Scope::Global,
        Scope::Groups,
        Scope::Assets,
        Scope::Filter,
        Scope::Form,
        Scope::Confirm,
        Scope::Typed,
        Scope::Shown,
        Scope::Help,
        Scope::Verify,
        Scope::Palette,
        Scope::Sync,
        Scope::Profiles,
        Scope::Projects,
        Scope::Copy,
        Scope::Messages,
        Scope::Detail,
        Scope::Tasks,
    ];
}
