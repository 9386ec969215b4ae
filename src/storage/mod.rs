//! Object storage for local files: SigV4-presigned PUT, GET, HEAD and DELETE (rusty-s3, sans
//! I/O) over the shared reqwest client, against Volcengine TOS's S3-compatible endpoint or any
//! S3-compatible store (AWS S3, Cloudflare R2, MinIO).
//!
//! Objects are stored under `<prefix><sha256 of content>.<ext>`, so identical content is stored
//! once. What a bucket holds is trusted only when it says it is that content: every object is
//! written with its sha256 in its metadata and a `Content-MD5` the store checks the body
//! against, and is read back (HEAD) after the PUT ([`Storage::upload`]). The service is handed
//! a presigned GET of the object; presigned URLs are credentials for a while, so they are only
//! ever logged or recorded with their signature removed ([`redact`]). Every request is bounded
//! in time and says, after a few seconds, what it waits for ([`StorageLimits`]).

pub mod config;
mod requests;
mod upload;

use std::path::Path;
use std::time::Duration;

use base64::Engine;
use rusty_s3::actions::{GetObject, S3Action};
use rusty_s3::{Bucket, Credentials, UrlStyle};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use url::Url;

pub use config::{Cleanup, StorageConfig, StorageFile};
pub use requests::Stored;

/// Told the bytes of a file sent so far.
pub(crate) type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// A storage failure, naming the endpoint and bucket, with a hint for the usual causes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage {endpoint} bucket {bucket}: {what}{hint}")]
pub struct StorageError {
    /// Endpoint.
    pub endpoint: String,
    /// Bucket.
    pub bucket: String,
    /// What happened (S3 code, HTTP status and message, or the transport error).
    pub what: String,
    /// What to check, when the cause is a usual one.
    pub hint: String,
}

/// How long storage requests may take, and when a wait is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageLimits {
    /// The longest wait for the answer to a request without a body (HEAD, DELETE, a ranged
    /// GET), and the least a PUT is given.
    pub answer: Duration,
    /// The slowest upload waited for, bytes a second: a PUT may take [`StorageLimits::answer`]
    /// plus its size at this rate.
    pub min_rate: u64,
    /// How long a request runs before the notice says what it waits for.
    pub notice_after: Duration,
}

impl Default for StorageLimits {
    fn default() -> Self {
        StorageLimits {
            answer: Duration::from_secs(20),
            min_rate: 128 * 1024,
            notice_after: Duration::from_secs(5),
        }
    }
}

impl StorageLimits {
    /// The longest a PUT of `bytes` may take.
    pub fn put(&self, bytes: u64) -> Duration {
        self.answer + Duration::from_secs(bytes / self.min_rate.max(1))
    }
}

/// The bucket uploads go to.
#[derive(Clone)]
pub struct Storage {
    bucket: Bucket,
    credentials: Credentials,
    http: crate::http::Http,
    prefix: String,
    /// Lifetime of the presigned GETs handed to the service.
    pub url_expiry: Duration,
    /// What happens to objects once their assets are done.
    pub cleanup: Cleanup,
    endpoint: String,
    limits: StorageLimits,
    notice: Option<crate::api::Notice>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket.name())
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// What redacted secrets read as.
const REDACTED: &str = "…";

/// `url` with its signature and credential scope replaced by `…`, for logs and records; a URL
/// without them as it is.
pub fn redact(url: &Url) -> String {
    if !crate::http::is_signed(url) {
        return url.to_string();
    }
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if crate::http::is_secret_parameter(&k) {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    shown.query_pairs_mut().clear().extend_pairs(pairs);
    shown.to_string()
}

/// Whether `url` (as [`redact`] wrote it) lost a credential, so it cannot be sent again.
pub(crate) fn is_redacted(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| {
        u.query_pairs()
            .any(|(k, v)| crate::http::is_secret_parameter(&k) && v == REDACTED)
    })
}

/// How long a signature for one of our own requests (PUT, HEAD, DELETE) stays valid.
const REQUEST_SIGNATURE: Duration = Duration::from_secs(15 * 60);

impl Storage {
    /// A client for `config`, sending through `http` (a client, or one made on first use).
    pub fn new(
        config: &StorageConfig,
        http: impl Into<crate::http::Http>,
    ) -> Result<Storage, StorageError> {
        let style = if config.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let endpoint = config.endpoint.as_str().trim_end_matches('/').to_owned();
        let bucket = Bucket::new(
            config.endpoint.clone(),
            style,
            config.bucket.clone(),
            config.region.clone(),
        )
        .map_err(|e| StorageError {
            endpoint: endpoint.clone(),
            bucket: config.bucket.clone(),
            what: format!("cannot address the bucket: {e}"),
            hint: String::new(),
        })?;
        let secret = config.secret_key.expose_secret().to_owned();
        let credentials = match &config.session_token {
            Some(token) => Credentials::new_with_token(
                config.access_key.clone(),
                secret,
                token.expose_secret().to_owned(),
            ),
            None => Credentials::new(config.access_key.clone(), secret),
        };
        Ok(Storage {
            bucket,
            credentials,
            http: http.into(),
            prefix: config.prefix.clone(),
            url_expiry: config.url_expiry,
            cleanup: config.cleanup,
            endpoint,
            limits: StorageLimits::default(),
            notice: None,
        })
    }

    /// The same storage, saying through `notice` when a request keeps it waiting.
    pub fn with_notice(self, notice: crate::api::Notice) -> Storage {
        Storage {
            notice: Some(notice),
            ..self
        }
    }

    /// The same storage within `limits`.
    pub fn with_limits(self, limits: StorageLimits) -> Storage {
        Storage { limits, ..self }
    }

    /// `<prefix><sha256>.<ext>`: the object of a file's content.
    pub fn object_key(&self, sha256: &str, ext: &str) -> String {
        format!("{}{sha256}.{ext}", self.prefix)
    }

    /// A presigned GET of `key`, valid for [`Storage::url_expiry`].
    pub fn presigned_get(&self, key: &str) -> Url {
        GetObject::new(&self.bucket, Some(&self.credentials), key).sign(self.url_expiry)
    }

    /// Where the bucket is, for messages: `<endpoint> bucket <name>`.
    pub fn place(&self) -> String {
        format!("{} bucket {}", self.endpoint, self.bucket.name())
    }

    fn error(&self, what: String, hint: &str) -> StorageError {
        StorageError {
            endpoint: self.endpoint.clone(),
            bucket: self.bucket.name().to_owned(),
            what,
            hint: hint.to_owned(),
        }
    }
}

/// A file's content, as the store must hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// sha256, hex: the object's name and its recorded hash.
    pub sha256: String,
    /// MD5, base64: the `Content-MD5` the store checks the body against.
    pub md5: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The content of the regular file `path` (its sha256, MD5 and size), read once on a blocking
/// thread.
pub async fn hash_file(path: &Path) -> std::io::Result<Content> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || content_of(&path))
        .await
        .map_err(std::io::Error::other)?
}

/// The content of the regular file `path`, read once on this thread.
pub(crate) fn content_of(path: &Path) -> std::io::Result<Content> {
    use std::io::Read;
    let mut file = crate::files::open(path)?;
    let mut sha = Sha256::new();
    let mut md5 = <md5::Md5 as md5::Digest>::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        md5::Digest::update(&mut md5, &buf[..n]);
        bytes += n as u64;
    }
    Ok(Content {
        sha256: hex::encode(sha.finalize()),
        md5: base64::engine::general_purpose::STANDARD.encode(md5::Digest::finalize(md5)),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presigned_urls_are_recorded_without_their_signature() {
        let url = Url::parse(
            "https://b.tos-s3-cn-beijing.volces.com/k.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fcn-beijing%2Fs3%2Faws4_request&X-Amz-Expires=86400&X-Amz-Signature=deadbeef",
        )
        .unwrap();
        let shown = redact(&url);
        assert!(
            !shown.contains("deadbeef") && !shown.contains("AK%2F"),
            "{shown}"
        );
        assert!(shown.contains("X-Amz-Expires=86400"), "{shown}");
        assert!(is_redacted(&shown));
        // Public URLs are kept as sent, and can be sent again.
        for public in [
            "https://cdn.example/a.png",
            "https://cdn.example/a.png?w=800",
        ] {
            let kept = redact(&Url::parse(public).unwrap());
            assert_eq!(kept, public);
            assert!(!is_redacted(&kept));
        }
    }

    #[test]
    fn a_put_is_given_time_by_its_size() {
        let limits = StorageLimits::default();
        assert_eq!(limits.put(0), Duration::from_secs(20));
        assert_eq!(
            limits.put(200 * 1024 * 1024),
            Duration::from_secs(20 + 1600)
        );
    }
}
