//! `[profiles.<name>.storage]`: where local files are uploaded before an asset is created
//! from them, and how.

use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

/// The storage table as written in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageFile {
    /// S3-compatible endpoint (default: the provider's TOS endpoint of the region).
    pub endpoint: Option<String>,
    /// Bucket (required).
    pub bucket: Option<String>,
    /// Signing region (default: the profile's region).
    pub region: Option<String>,
    /// Key prefix of uploaded objects (default `ark-assets/`).
    pub prefix: Option<String>,
    /// `host/bucket/key` addressing (MinIO-style) instead of `bucket.host/key`.
    pub path_style: Option<bool>,
    /// Access key id (default: the profile's).
    pub access_key: Option<String>,
    /// Secret access key (default: the profile's).
    pub secret_key: Option<SecretString>,
    /// Session token of temporary (STS) keys given here (with the profile's keys, the
    /// profile's token).
    pub session_token: Option<SecretString>,
    /// Lifetime of the presigned GET handed to CreateAsset, e.g. `24h` (at most 7 days).
    pub url_expiry: Option<String>,
    /// `after-active` (default) or `keep`.
    pub cleanup: Option<Cleanup>,
}

/// What happens to an uploaded object once its asset is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cleanup {
    /// Delete it once the asset is Active or Failed (the service keeps its own copy).
    #[default]
    AfterActive,
    /// Leave it in the bucket.
    Keep,
}

/// A resolved storage configuration.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// S3-compatible endpoint.
    pub endpoint: Url,
    /// Bucket.
    pub bucket: String,
    /// Signing region.
    pub region: String,
    /// Key prefix of uploaded objects.
    pub prefix: String,
    /// Path-style addressing.
    pub path_style: bool,
    /// Access key id.
    pub access_key: String,
    /// Secret access key.
    pub secret_key: SecretString,
    /// Session token of temporary (STS) keys.
    pub session_token: Option<SecretString>,
    /// Lifetime of presigned GETs.
    pub url_expiry: Duration,
    /// Object clean-up.
    pub cleanup: Cleanup,
}

/// Longest presigned URL lifetime S3 SigV4 allows.
pub(crate) const MAX_URL_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

/// The default object prefix.
pub(crate) const DEFAULT_PREFIX: &str = "ark-assets/";

/// TOS's S3-compatible endpoint for a Volcengine region.
pub(crate) fn volcengine_endpoint(region: &str) -> String {
    format!("https://tos-s3-{region}.volces.com")
}

/// Why `name` cannot be a bucket's name (S3's rules, which TOS, R2 and MinIO share): 3–63
/// characters of lower-case letters, digits, dots and hyphens, a letter or digit at each end,
/// no `..`, not an IP address.
pub(crate) fn bucket_rule(name: &str) -> Option<String> {
    let len = name.chars().count();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    Some(if !(3..=63).contains(&len) {
        format!("is {len} characters; a bucket name is 3 to 63")
    } else if let Some(c) = name.chars().find(|c| !allowed(*c)) {
        format!(
            "holds {:?}; a bucket name is lower-case letters, digits, dots and hyphens",
            c
        )
    } else if !edge(name.chars().next()) || !edge(name.chars().last()) {
        "must start and end with a letter or a digit".to_owned()
    } else if name.contains("..") {
        "holds \"..\"; dots must not be adjacent".to_owned()
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        "is an IP address, which a bucket name must not be".to_owned()
    } else {
        return None;
    })
}

/// Why `prefix` cannot start the keys of uploaded objects: it must be a relative key (no `/`
/// first, no `.` or `..` segment, no backslash or control character), at most 512 characters.
pub(crate) fn prefix_rule(prefix: &str) -> Option<String> {
    let len = prefix.chars().count();
    Some(if len > 512 {
        format!("is {len} characters; at most 512")
    } else if prefix.starts_with('/') {
        "starts with \"/\"; a prefix is relative to the bucket".to_owned()
    } else if prefix.split('/').any(|s| s == ".." || s == ".") {
        "has a \".\" or \"..\" segment, which would leave or blur the folder it names".to_owned()
    } else if prefix.chars().any(|c| c == '\\' || c.is_control()) {
        "holds a backslash or a control character".to_owned()
    } else {
        return None;
    })
}

/// Parses a lifetime like `90s`, `30m`, `24h` or `7d` (a bare number is seconds).
pub(crate) fn parse_expiry(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 24h, 90m or 7d"))?;
    let seconds = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}; use s, m, h or d"
            ));
        }
    };
    let expiry = Duration::from_secs(number.saturating_mul(seconds));
    if expiry.is_zero() || expiry > MAX_URL_EXPIRY {
        return Err(format!(
            "{text:?} is outside 1 s to 7 days, the lifetime S3 allows presigned URLs"
        ));
    }
    Ok(expiry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_and_prefixes_follow_the_rules() {
        for good in ["demo", "my-bucket.2026", "a1b"] {
            assert_eq!(bucket_rule(good), None, "{good}");
        }
        for (bad, why) in [
            ("ab", "3 to 63"),
            ("My_Bucket", "holds 'M'"),
            ("-bucket", "start and end"),
            ("a..b", "adjacent"),
            ("192.168.1.1", "IP address"),
            (&"b".repeat(64), "3 to 63"),
        ] {
            assert!(bucket_rule(bad).is_some_and(|r| r.contains(why)), "{bad}");
        }
        for good in ["", "ark-assets/", "team/refs/2026-", "a.b/c"] {
            assert_eq!(prefix_rule(good), None, "{good}");
        }
        for (bad, why) in [
            ("../../x/", "segment"),
            ("/../../etc/", "starts with"),
            ("a/./b", "segment"),
            ("a\\b", "backslash"),
            ("a\nb", "control"),
        ] {
            assert!(prefix_rule(bad).is_some_and(|r| r.contains(why)), "{bad}");
        }
    }

    #[test]
    fn expiries_parse_and_stop_at_seven_days() {
        assert_eq!(parse_expiry("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_expiry("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_expiry("7d"), Ok(MAX_URL_EXPIRY));
        assert!(parse_expiry("8d").unwrap_err().contains("7 days"));
        assert!(parse_expiry("0s").is_err());
        assert!(parse_expiry("1w").unwrap_err().contains("unknown unit"));
        assert!(parse_expiry("soon").is_err());
    }
}
