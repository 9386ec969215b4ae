//! The liveness check's requests and answers (spec section 10).

use serde::{Deserialize, Serialize};

/// Request of `CreateVisualValidateSession`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateVisualValidateSession {
    /// Where the H5 page sends the person afterwards (optional: a terminal has no address).
    #[serde(rename = "CallbackURL", skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

/// How long a liveness check's H5 link is said to stay valid (spec section 10): advice only,
/// since live use reports 120 s and about 30 min (section 12); the one result query decides.
pub(crate) const VERIFY_LINK_LIFETIME: std::time::Duration = std::time::Duration::from_secs(120);

/// The longest a liveness check's link is reported to work (about 30 min): waiting for the
/// user's word ends there.
pub(crate) const VERIFY_LINK_LONGEST: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A liveness-check session: the link for the person's phone and the single-use token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VisualValidateSession {
    /// The token; one `GetVisualValidateResult` consumes it.
    pub byted_token: String,
    /// The H5 page (valid 120 s); `lng=zh|en|zh-Hant` sets its language.
    #[serde(rename = "H5Link")]
    pub h5_link: String,
    /// The callback, when one was given.
    #[serde(rename = "CallbackURL", default)]
    pub callback_url: String,
}

/// Request of `GetVisualValidateResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetVisualValidateResult {
    /// The session's token.
    pub byted_token: String,
}

/// Result of `GetVisualValidateResult`: the new real-person group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VisualValidateResult {
    /// The `LivenessFace` group created for the person.
    pub group_id: String,
}
