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
    /// Lifetime of presigned GETs.
    pub url_expiry: Duration,
    /// Object clean-up.
    pub cleanup: Cleanup,
}

/// Longest presigned URL lifetime S3 SigV4 allows.
pub const MAX_URL_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);

/// The default object prefix.
pub const DEFAULT_PREFIX: &str = "ark-assets/";

/// TOS's S3-compatible endpoint for a Volcengine region.
pub fn volcengine_endpoint(region: &str) -> String {
    format!("https://tos-s3-{region}.volces.com")
}

/// Parses a lifetime like `90s`, `30m`, `24h` or `7d` (a bare number is seconds).
pub fn parse_expiry(text: &str) -> Result<Duration, String> {
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
