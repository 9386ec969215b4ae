//! The Seedance data plane (spec section 14): generation tasks that use assets, reached with
//! the ark API key (Bearer), not the AK/SK of the asset API.

pub mod client;
pub mod model;
pub mod request;

pub use client::{FailureKind, Seedance, SeedanceError, SeedanceOptions, TaskQuery};
pub use model::{Task, TaskPage, TaskStatus};
pub use request::{ContentItem, CreateTask, Role};
