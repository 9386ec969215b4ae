//! Putting a file into the bucket so that what is there is the file: its content checked by the
//! store (`Content-MD5`), its sha256 recorded with it and read back, and nothing left behind by
//! an upload that failed.

use std::path::Path;

use futures::StreamExt;
use rusty_s3::actions::{PutObject, S3Action};
use sha2::{Digest, Sha256};

use super::requests::{SHA256_HEADER, Stored};
use super::{Content, Progress, REQUEST_SIGNATURE, Storage, StorageError};

/// Attempts of a PUT whose connection broke mid-body.
const PUT_ATTEMPTS: u32 = 3;

/// Why one PUT did not store the object.
enum Put {
    /// The connection broke: sending again may work.
    Broken(StorageError),
    /// The store refused it, it took too long, or the file cannot be read or changed.
    Refused(StorageError),
}

impl Storage {
    /// Puts the file at `path` under `key` unless the bucket holds its `content` already (a
    /// HEAD: same size and recorded sha256); true when it was sent now. `sent` is told the
    /// bytes sent so far.
    ///
    /// The store checks the body against the file's MD5 (a file that changed while it was sent
    /// is refused), the sha256 is recorded with the object, and the object is read back after
    /// the PUT: a store that answers success but holds nothing, or other bytes, is an error.
    /// Whatever a failed upload left under `key` is deleted, so no later run takes it for the
    /// file.
    pub async fn upload(
        &self,
        key: &str,
        path: &Path,
        content: &Content,
        sent: Progress,
    ) -> Result<bool, StorageError> {
        if self.stored(key, content).await? == Stored::Same {
            sent(content.bytes);
            return Ok(false);
        }
        let mut attempt = 1;
        loop {
            match self.put_once(key, path, content, sent.clone()).await {
                Ok(()) => break,
                Err(Put::Broken(e)) => {
                    // A store may answer a refused PUT before reading its body and close the
                    // connection, so the refusal is lost: ask for it plainly.
                    let refusal = self.refusal(key, "PUT").await;
                    if refusal.is_some() || attempt >= PUT_ATTEMPTS {
                        self.discard(key).await;
                        return Err(refusal.unwrap_or(e));
                    }
                    tracing::warn!(%e, attempt, "PUT broke off; sending again");
                    attempt += 1;
                }
                Err(Put::Refused(e)) => {
                    self.discard(key).await;
                    return Err(e);
                }
            }
        }
        match self.stored(key, content).await? {
            Stored::Same => Ok(true),
            found => {
                self.discard(key).await;
                let held = if found == Stored::Missing {
                    "holds nothing under its key"
                } else {
                    "holds other bytes under its key"
                };
                Err(self.error(
                    format!("PUT was answered with success, but the bucket {held}"),
                    " — the store does not keep what it is sent: check it, or its proxy",
                ))
            }
        }
    }

    /// Deletes what a failed upload may have left under `key`; a failure is only logged (the
    /// next upload writes over it, and nothing trusts it without its recorded hash).
    async fn discard(&self, key: &str) {
        if let Err(e) = self.delete(key).await {
            tracing::warn!(%e, "could not delete what a failed upload left");
        }
    }

    /// One PUT of the file's bytes, hashed as they are sent: `Content-MD5` and the recorded
    /// sha256 are signed headers; bounded by the file's size.
    async fn put_once(
        &self,
        key: &str,
        path: &Path,
        content: &Content,
        sent: Progress,
    ) -> Result<(), Put> {
        let shown = crate::text::visible(&path.display().to_string()).into_owned();
        let io = |e: std::io::Error| {
            Put::Refused(self.error(format!("{shown} {}", crate::files::problem(&e)), ""))
        };
        let file = tokio::fs::File::from_std(crate::files::open(path).map_err(io)?);
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
        let mut put = PutObject::new(&self.bucket, Some(&self.credentials), key);
        put.headers_mut().insert("content-md5", content.md5.clone());
        put.headers_mut()
            .insert(SHA256_HEADER, content.sha256.clone());
        let url = put.sign(REQUEST_SIGNATURE);
        tracing::debug!(url = %super::redact(&url), bytes = content.bytes, "PUT");
        let request = self
            .http
            .put(url)
            .header(reqwest::header::CONTENT_LENGTH, content.bytes)
            .header("content-md5", &content.md5)
            .header(SHA256_HEADER, &content.sha256)
            .body(reqwest::Body::wrap_stream(body))
            .send();
        let resp = self
            .bounded("PUT", self.limits.put(content.bytes), async {
                Ok(request.await.map_err(|e| self.transport("PUT", e)))
            })
            .await
            .map_err(Put::Refused)?
            .map_err(Put::Broken)?;
        if !resp.status().is_success() {
            return Err(Put::Refused(self.refused("PUT", resp).await));
        }
        let digest =
            hex::encode(std::mem::take(&mut *hasher.lock().expect("hash lock")).finalize());
        if digest != content.sha256 {
            return Err(Put::Refused(self.error(
                format!("{shown} changed while it was uploaded"),
                " — upload it when nothing is writing to it",
            )));
        }
        Ok(())
    }
}
