//! The application core, Elm style: [`AppState`], [`Msg`], a pure [`update`], and the
//! [`Runner`] that performs effects and reports back with messages.
//!
//! Values first (rows, panes, modes, messages, the clock, effects as data), then the state
//! that holds them, then `update` that changes it, then the runner that does the effects.

pub mod asset_row;
pub mod clock;
pub mod dialog;
pub mod effect;
pub mod effects;
pub mod folded;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod list_pane;
pub mod messages;
pub mod mode;
pub mod msg;
pub mod palette;
pub mod picker;
pub mod remembered;
pub mod sort;
pub mod state;
pub mod tasks;
pub mod update;
pub(crate) mod urls;

pub use effect::Effect;
pub use effects::Runner;
pub use msg::Msg;
pub use state::AppState;
pub use update::update;
