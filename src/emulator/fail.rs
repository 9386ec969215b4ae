//! [`Fail`]: an error answer of the emulator (HTTP status, vendor code, message).

use crate::validate;

/// An error answer: HTTP status, vendor code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    /// HTTP status.
    pub status: u16,
    /// Vendor code.
    pub code: String,
    /// Message.
    pub message: String,
}

impl Fail {
    /// A failure with any status and code.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Fail {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// `InvalidParameter` (400).
    pub fn invalid(message: impl Into<String>) -> Self {
        Fail::new(400, "InvalidParameter", message)
    }

    pub(crate) fn from_rule(code: &str, rule: validate::Invalid) -> Self {
        Fail::new(400, code, rule.to_string())
    }
}
