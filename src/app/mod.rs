//! The application core, Elm style: [`AppState`], [`Msg`], a pure [`update`], and the
//! [`Runner`] that performs effects and reports back with messages.

pub mod asset_row;
pub mod dialog;
pub mod effects;
pub mod folded;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod palette;
pub mod remembered;
pub mod sort;
pub mod state;
pub mod update;
pub(crate) mod urls;

pub use effects::{Effect, Runner};
pub use msg::Msg;
pub use state::AppState;
pub use update::update;
