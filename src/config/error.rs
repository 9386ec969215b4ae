//! Why a config could not be used: one line naming the file or profile, the setting and the
//! rule, never a secret.

use std::path::PathBuf;

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// File path.
        path: PathBuf,
        /// I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    #[error("config file {path} is invalid: {message}")]
    Parse {
        /// File path.
        path: PathBuf,
        /// Parser message (line and column included).
        message: String,
    },
    /// A profile was named that the file does not have.
    #[error("unknown profile \"{}\"; {known}", crate::text::visible(name))]
    UnknownProfile {
        /// Requested name.
        name: String,
        /// What there is instead (the file's profiles, or that there is no file).
        known: String,
    },
    /// A required setting is missing.
    #[error("profile {profile:?} has no {what}: {hint}")]
    Missing {
        /// Profile name.
        profile: String,
        /// What is missing.
        what: &'static str,
        /// How to provide it.
        hint: &'static str,
    },
    /// The endpoint is not a usable URL.
    #[error(
        "endpoint \"{}\" of profile {profile:?} is not an http(s) URL",
        crate::text::visible(value)
    )]
    BadEndpoint {
        /// Profile name.
        profile: String,
        /// Configured value, any `user:password@` removed.
        value: String,
    },
    /// A storage setting breaks a rule.
    #[error("storage {field}{} of profile {profile:?} {rule}", quoted(value))]
    Storage {
        /// Profile name.
        profile: String,
        /// The setting.
        field: &'static str,
        /// Its value (empty when missing).
        value: String,
        /// The rule.
        rule: String,
    },
    /// A profile's setting breaks a rule.
    #[error("{field} = {value} of profile {profile:?} {rule}")]
    Setting {
        /// Profile name.
        profile: String,
        /// The setting.
        field: &'static str,
        /// Its value as written.
        value: String,
        /// The rule.
        rule: &'static str,
    },
    /// The endpoint carries a user name or password, which belong in the keys.
    #[error(
        "endpoint \"{}\" of profile {profile:?} carries credentials (user:password@); \
         remove them: keys belong in access_key/secret_key or api_key",
        crate::text::visible(value)
    )]
    CredentialsInEndpoint {
        /// Profile name.
        profile: String,
        /// Configured value, the credentials removed.
        value: String,
    },
}

/// ` "value"` (made visible), or nothing when the value is empty.
fn quoted(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(
            " \"{}\"",
            crate::text::visible(&crate::text::cut(value, 80))
        )
    }
}

/// `url` with anything between `scheme://` and an `@` of the authority removed, so a password
/// written into an endpoint is never echoed.
pub(super) fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}
