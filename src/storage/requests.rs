//! The requests of [`Storage`] without a body to send (HEAD, DELETE, a ranged GET), and what
//! every request shares: a bound in time with a notice, errors that name the store and never a
//! presigned URL, and no redirect followed (the client is built without: a 3xx is an error
//! that names where it pointed).

use std::future::Future;
use std::time::Duration;

use rusty_s3::actions::{DeleteObject, GetObject, HeadBucket, HeadObject, S3Action};
use url::Url;

use super::{REQUEST_SIGNATURE, Storage, StorageError};

/// The user metadata header that records an object's sha256.
pub(super) const SHA256_HEADER: &str = "x-amz-meta-sha256";

/// The most of an error answer's body read (S3 errors are a few hundred bytes of XML).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// What the bucket holds under a key, compared with a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Nothing.
    Missing,
    /// An object of the content's size whose recorded sha256 is the content's.
    Same,
    /// Something else: another size, another or no recorded hash (an object an interrupted
    /// upload left, or one written by an earlier version).
    Other,
}

impl Storage {
    /// Runs `request`, called `what` in messages, for at most `limit`; says through the notice
    /// what it waits for once it has waited [`super::StorageLimits::notice_after`].
    pub(super) async fn bounded<T>(
        &self,
        what: &str,
        limit: Duration,
        request: impl Future<Output = Result<T, StorageError>>,
    ) -> Result<T, StorageError> {
        tokio::pin!(request);
        let deadline = tokio::time::Instant::now() + limit;
        let notice_after = self.limits.notice_after.min(limit);
        tokio::select! {
            result = &mut request => return result,
            _ = tokio::time::sleep(notice_after) => {}
        }
        if let Some(notice) = &self.notice {
            notice(&format!(
                "waiting for storage {}: {what} has not finished after {} s; giving up after {} s",
                self.place(),
                notice_after.as_secs(),
                limit.as_secs()
            ));
        }
        tokio::select! {
            result = &mut request => result,
            _ = tokio::time::sleep_until(deadline) => Err(self.error(
                format!("{what}: no answer within {} s", limit.as_secs()),
                " — check that the endpoint is reachable from here (and a proxy, if one is set)",
            )),
        }
    }

    /// A transport error, without its URL (a presigned URL's signature is a credential).
    pub(super) fn transport(&self, what: &str, e: reqwest::Error) -> StorageError {
        self.error(
            format!(
                "{what} failed: {}",
                crate::http::error_chain(&e.without_url())
            ),
            "",
        )
    }

    /// An error for an answer that is not a success: a redirect names where it pointed, an S3
    /// error answer its `Code` and `Message` and what to check.
    pub(super) async fn refused(&self, what: &str, mut resp: reqwest::Response) -> StorageError {
        let status = resp.status().as_u16();
        if resp.status().is_redirection() {
            let to = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| Url::parse(v).ok())
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| "elsewhere".to_owned());
            return self.error(
                format!(
                    "{what}: HTTP {status}, redirecting to {}; a signed request is not sent there",
                    crate::text::visible(&to)
                ),
                " — the bucket may live in another region: use that region's endpoint",
            );
        }
        let mut body = Vec::new();
        while body.len() < MAX_ERROR_BODY {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        let body = String::from_utf8_lossy(&body);
        let tag = |name: &str| {
            let open = format!("<{name}>");
            let start = body.find(&open)? + open.len();
            let end = body[start..].find(&format!("</{name}>"))? + start;
            let text = crate::text::cut(&body[start..end], 200);
            Some(crate::text::visible(&text).into_owned())
        };
        let code = tag("Code").unwrap_or_else(|| format!("HTTP{status}"));
        let message = tag("Message").unwrap_or_default();
        self.error(
            format!("{what}: {code} (HTTP {status}) {message}")
                .trim_end()
                .to_owned(),
            hint_for(&code),
        )
    }

    /// Sends a presigned request that has no body, within the answer's limit; `what` names it
    /// in messages.
    async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        what: &str,
    ) -> Result<reqwest::Response, StorageError> {
        self.bounded(what, self.limits.answer, async {
            self.http
                .request(method, url)
                .send()
                .await
                .map_err(|e| self.transport(what, e))
        })
        .await
    }

    /// Checks that the bucket exists and the keys may use it, before anything is uploaded.
    pub async fn check_bucket(&self) -> Result<(), StorageError> {
        let url = HeadBucket::new(&self.bucket, Some(&self.credentials)).sign(REQUEST_SIGNATURE);
        let resp = self.send(reqwest::Method::HEAD, url, "HEAD bucket").await?;
        match resp.status().as_u16() {
            200..=299 => Ok(()),
            404 => Err(self.error(
                "NoSuchBucket (HTTP 404)".to_owned(),
                hint_for("NoSuchBucket"),
            )),
            403 => Err(self.error(
                "access denied (HTTP 403)".to_owned(),
                " — check the storage access_key and secret_key, the region, and that the keys \
                 may use the bucket",
            )),
            _ => Err(self.refused("HEAD bucket", resp).await),
        }
    }

    /// What the bucket holds under `key`, compared with `content` (one HEAD).
    pub async fn stored(
        &self,
        key: &str,
        content: &super::Content,
    ) -> Result<Stored, StorageError> {
        let url =
            HeadObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        let resp = self.send(reqwest::Method::HEAD, url, "HEAD").await?;
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
        };
        match resp.status().as_u16() {
            // A HEAD answer has no body, so its size is the header's, not the body's.
            200..=299 => {
                let size = header(reqwest::header::CONTENT_LENGTH.as_str())
                    .and_then(|v| v.parse::<u64>().ok());
                let same = size == Some(content.bytes)
                    && header(SHA256_HEADER).is_some_and(|h| h == content.sha256);
                Ok(if same { Stored::Same } else { Stored::Other })
            }
            404 => Ok(Stored::Missing),
            // HEAD answers carry no body: a GET's answer names the reason.
            403 => Err(self.refusal(key, "HEAD").await.unwrap_or_else(|| {
                self.error(
                    "HEAD: access denied (HTTP 403)".to_owned(),
                    " — check the storage keys, the region, and that they may read and write \
                     the bucket",
                )
            })),
            _ => Err(self.refused("HEAD", resp).await),
        }
    }

    /// Whether the store refuses these keys or this bucket: a one-byte ranged GET of `key`,
    /// whose error answer (unlike a HEAD's) names the reason, given as `what`'s.
    pub(super) async fn refusal(&self, key: &str, what: &str) -> Option<StorageError> {
        let url =
            GetObject::new(&self.bucket, Some(&self.credentials), key).sign(REQUEST_SIGNATURE);
        let request = async {
            self.http
                .get(url)
                .header(reqwest::header::RANGE, "bytes=0-0")
                .send()
                .await
                .map_err(|e| self.transport("GET", e))
        };
        let resp = self
            .bounded("GET", self.limits.answer, request)
            .await
            .ok()?;
        let status = resp.status().as_u16();
        if resp.status().is_success() || !matches!(status, 401 | 403 | 404) {
            return None;
        }
        let err = self.refused(what, resp).await;
        (status != 404 || err.what.contains("NoSuchBucket")).then_some(err)
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

/// What to check after an S3 error `code`, when the cause is a usual one.
fn hint_for(code: &str) -> &'static str {
    match code {
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
        "BadDigest" | "InvalidDigest" => {
            " — the bytes sent are not the file's as it was read: was it changed meanwhile?"
        }
        "InvalidToken" | "ExpiredToken" | "TokenRefreshRequired" => {
            " — the temporary keys' session token expired: get new keys"
        }
        _ => "",
    }
}
