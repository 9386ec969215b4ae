//! Object storage for local files: SigV4-presigned PUT, GET, HEAD and DELETE (rusty-s3, sans
//! I/O) over the shared reqwest client, against Volcengine TOS's S3-compatible endpoint or any
//! S3-compatible store (AWS S3, Cloudflare R2, MinIO).
//!
//! Objects are stored under `<prefix><sha256 of content>.<ext>`, so identical content is stored
//! once. The service is handed a presigned GET of the object; presigned URLs are credentials
//! for a while, so they are only ever logged or recorded with their signature removed
//! ([`redact`]).

pub mod config;
pub mod server;

use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use rusty_s3::actions::{DeleteObject, GetObject, HeadBucket, HeadObject, PutObject, S3Action};
use rusty_s3::{Bucket, Credentials, UrlStyle};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use url::Url;

pub use config::{Cleanup, StorageConfig, StorageFile};

/// How long a signature for one of our own requests (PUT, HEAD, DELETE) stays valid.
const REQUEST_SIGNATURE: Duration = Duration::from_secs(15 * 60);

/// Told the bytes of a file sent so far.
pub type Progress = std::sync::Arc<dyn Fn(u64) + Send + Sync>;

/// Attempts of a PUT whose connection broke mid-body.
const PUT_ATTEMPTS: u32 = 3;

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

/// The bucket uploads go to.
#[derive(Debug, Clone)]
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
}

/// Whether a query parameter named `key` carries a credential.
fn is_secret(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "x-amz-signature" | "x-amz-credential" | "x-amz-security-token" | "signature"
    )
}

/// What redacted secrets read as.
const REDACTED: &str = "…";

/// `url` with its signature and credential scope replaced by `…`, for logs and records; a URL
/// without them as it is.
pub fn redact(url: &Url) -> String {
    if !url.query_pairs().any(|(k, _)| is_secret(&k)) {
        return url.to_string();
    }
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if is_secret(&k) {
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
pub fn is_redacted(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| u.query_pairs().any(|(k, v)| is_secret(&k) && v == REDACTED))
}

impl Storage {
    /// A client for `config`, sending through `http` (a client, or one made on first use).
    pub fn new(
        config: &StorageConfig,
        http: impl Into<crate::http::Http>,
    ) -> Result<Storage, StorageError> {
        let http = http.into();
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
        Ok(Storage {
            bucket,
            credentials: Credentials::new(
                config.access_key.clone(),
                config.secret_key.expose_secret().to_owned(),
            ),
            http,
            prefix: config.prefix.clone(),
            url_expiry: config.url_expiry,
            cleanup: config.cleanup,
            endpoint,
        })
    }

    /// `<prefix><sha256>.<ext>`: the object of a file's content.
    pub fn object_key(&self, sha256: &str, ext: &str) -> String {
        format!("{}{sha256}.{ext}", self.prefix)
    }

    /// A presigned GET of `key`, valid for [`Storage::url_expiry`].
    pub fn presigned_get(&self, key: &str) -> Url {
        GetObject::new(&self.bucket, Some(&self.credentials), key).sign(self.url_expiry)
    }

    fn error(&self, what: String, hint: &str) -> StorageError {
        StorageError {
            endpoint: self.endpoint.clone(),
            bucket: self.bucket.name().to_owned(),
            what,
            hint: hint.to_owned(),
        }
    }

    /// A transport error, without its URL (a presigned URL's signature is a credential).
    fn transport(&self, what: &str, e: reqwest::Error) -> StorageError {
        self.error(
            format!(
                "{what} failed: {}",
                crate::api::wire::error_chain(&e.without_url())
            ),
            "",
        )
    }

    /// An error for an S3 error answer: its `Code` and `Message`, and what to check.
    async fn refused(&self, what: &str, resp: reqwest::Response) -> StorageError {
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        let tag = |name: &str| {
            let open = format!("<{name}>");
            let start = body.find(&open)? + open.len();
            let end = body[start..].find(&format!("</{name}>"))? + start;
            Some(crate::text::visible(&body[start..end]).into_owned())
        };
        let code = tag("Code").unwrap_or_else(|| format!("HTTP{status}"));
        let message = tag("Message").unwrap_or_default();
        let hint = match code.as_str() {
            "NoSuchBucket" => " — the bucket does not exist: create it, or fix `bucket`",
            "SignatureDoesNotMatch" => {
                " — check the storage secret_key (and region: it must be the bucket's)"
            }
            "InvalidAccessKeyId" => " — check the storage access_key",
            "AccessDenied" => {
                " — the keys may not write this bucket: check their policy, or the region"
            }
            "AuthorizationHeaderMalformed" | "AuthorizationQueryParametersError" => {
                " — the region does not match the endpoint's: fix `region`"
            }
            "RequestTimeTooSkewed" | "RequestExpired" => " — check this machine's clock",
            "PermanentRedirect" | "IllegalLocationConstraintException" => {
                " — the bucket lives in another region: use that region's endpoint"
            }
            _ => "",
        };
        self.error(
            format!("{what}: {code} (HTTP {status}) {message}")
                .trim_end()
                .to_owned(),
            hint,
        )
    }

    /// Sends a presigned request that has no body; `what` names it in errors.
    async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        what: &str,
    ) -> Result<reqwest::Response, StorageError> {
        self.http
            .request(method, url)
            .send()
            .await
            .map_err(|e| self.transport(what, e))
    }

    /// Checks that the bucket exists and the keys may use it, before anything is uploaded.
    pub async fn check_bucket(&self) -> Result<(), StorageError> {
        let url = HeadBucket::new(&self.bucket, Some(&self.credentials)).sign(REQUEST_SIGNATURE);
        let resp = self.send(reqwest::Method::HEAD, url, "HEAD bucket").await?;
        match resp.status().as_u16() {
            200..=299 => Ok(()),
            404 => Err(self.error(
                "NoSuchBucket (HTTP 404)".to_owned(),
                " — the bucket does not exist: create it, or fix `bucket`",
            )),
            403 => Err(self.error(
                "access denied (HTTP 403)".to_owned(),
                " — check the storage access_key and secret_key, the region, and that the keys \
                 may use the bucket",
            )),
            status => Err(self.error(format!("HEAD bucket: HTTP {status}"), "")),
        }
    }

    /// The size of object `key`, or `None` when it does not exist.
    pub async fn size_of(&self, key: &str) -> Result<Option<u64>, StorageError> {
        let url =
            HeadObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        let resp = self.send(reqwest::Method::HEAD, url, "HEAD").await?;
        match resp.status().as_u16() {
            // A HEAD answer has no body, so its size is the header's, not the body's.
            200..=299 => Ok(resp
                .headers()
                .get(reqwest::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse().ok())),
            404 => Ok(None),
            // HEAD answers carry no body: name the usual meanings of the status.
            403 => Err(self.error(
                "HEAD: access denied (HTTP 403)".to_owned(),
                " — check the storage keys, the region, and that they may read and write the bucket",
            )),
            status => Err(self.error(format!("HEAD: HTTP {status}"), "")),
        }
    }

    /// Uploads `path` as `key`, checking that what was sent hashes to `sha256` (a file changed
    /// while uploading is sent again once, then refused). `sent` is told the bytes sent so far.
    pub async fn put_file(
        &self,
        key: &str,
        path: &Path,
        sha256: &str,
        sent: Progress,
    ) -> Result<(), StorageError> {
        let mut changed = false;
        let mut attempt = 1;
        loop {
            match self.put_once(key, path, sent.clone()).await {
                Ok(digest) if digest == sha256 => return Ok(()),
                Ok(_) if !changed => changed = true,
                Ok(_) => {
                    return Err(self.error(
                        format!("{} changed while it was uploaded, twice", path.display()),
                        " — upload it when nothing is writing to it",
                    ));
                }
                Err(Put::Broken(e)) => {
                    // A store may answer a refused PUT before reading its body and close the
                    // connection, so the refusal is lost: ask for it plainly.
                    if let Some(refusal) = self.refusal(key).await {
                        return Err(refusal);
                    }
                    if attempt >= PUT_ATTEMPTS {
                        return Err(e);
                    }
                    tracing::warn!(%e, attempt, "PUT broke off; sending again");
                    attempt += 1;
                }
                Err(Put::Refused(e)) => return Err(e),
            }
        }
    }

    /// Whether the store refuses these keys or this bucket: a one-byte ranged GET of `key`,
    /// whose error answer (unlike a HEAD's) names the reason.
    async fn refusal(&self, key: &str) -> Option<StorageError> {
        let url =
            GetObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        let resp = self
            .http
            .get(url)
            .header(reqwest::header::RANGE, "bytes=0-0")
            .send()
            .await
            .ok()?;
        let status = resp.status().as_u16();
        if resp.status().is_success() || !matches!(status, 401 | 403 | 404) {
            return None;
        }
        let err = self.refused("PUT", resp).await;
        (status != 404 || err.what.contains("NoSuchBucket")).then_some(err)
    }

    /// One PUT of the file's bytes, hashed as they are sent; returns their sha256.
    async fn put_once(&self, key: &str, path: &Path, sent: Progress) -> Result<String, Put> {
        let io = |e: std::io::Error| {
            Put::Refused(self.error(format!("cannot read {}: {e}", path.display()), ""))
        };
        let file = tokio::fs::File::from_std(crate::files::open(path).map_err(io)?);
        let length = file.metadata().await.map_err(io)?.len();
        let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
        let seen = hasher.clone();
        let mut count = 0u64;
        let body = tokio_util::io::ReaderStream::new(file).map(move |chunk| {
            if let Ok(bytes) = &chunk {
                seen.lock().expect("hash lock").update(bytes);
                count += bytes.len() as u64;
                sent(count);
            }
            chunk
        });
        let url =
            PutObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        tracing::debug!(url = %redact(&url), length, "PUT");
        let resp = self
            .http
            .put(url)
            .header(reqwest::header::CONTENT_LENGTH, length)
            .body(reqwest::Body::wrap_stream(body))
            .send()
            .await
            .map_err(|e| Put::Broken(self.transport("PUT", e)))?;
        if !resp.status().is_success() {
            return Err(Put::Refused(self.refused("PUT", resp).await));
        }
        let hash = std::mem::take(&mut *hasher.lock().expect("hash lock"));
        Ok(hex::encode(hash.finalize()))
    }

    /// Deletes object `key` (a missing object is no error).
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let url =
            DeleteObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        let resp = self.send(reqwest::Method::DELETE, url, "DELETE").await?;
        if resp.status().is_success() || resp.status().as_u16() == 404 {
            Ok(())
        } else {
            Err(self.refused("DELETE", resp).await)
        }
    }
}

/// Why one PUT did not store the object.
enum Put {
    /// The connection broke: sending again may work.
    Broken(StorageError),
    /// The store refused it, or the file cannot be read.
    Refused(StorageError),
}

/// The sha256 of a file's content, as hex, and its size; read on a blocking thread.
pub async fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut file = crate::files::open(&path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            total += n as u64;
        }
        Ok((hex::encode(hasher.finalize()), total))
    })
    .await
    .map_err(std::io::Error::other)?
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
}
