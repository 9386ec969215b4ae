//! The Assets API client: one typed method per action, both dialects, limits and retries built in.
//!
//! [`AssetsApi`] (`service.rs`) names the operations; [`Client`] (`client.rs`) sends them to an
//! [`Endpoint`] (`endpoint.rs`) within the [`limits`], and takes a creation slot per CreateAsset
//! (`slots.rs`).

mod client;
pub mod domestic;
mod endpoint;
pub mod error;
pub mod global;
pub mod limits;
pub mod model;
pub mod paging;
mod service;
pub mod sign;
mod slot_checks;
mod slots;
pub mod wire;

pub use client::{Client, ClientOptions, Notice};
pub use domestic::{Addressing, Domestic};
pub use endpoint::{Dialect, Endpoint};
pub use error::{ApiError, ErrorKind};
pub use global::Global;
pub use limits::{LimitConfig, Limits, RetryPolicy};
pub use service::AssetsApi;

/// Result of an API call.
pub(crate) type ApiResult<T> = Result<T, ApiError>;
