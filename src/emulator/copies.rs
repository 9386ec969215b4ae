//! The emulator's own copy of each asset's file, as the service keeps one: an asset made from
//! an uploaded file stays usable after the user's object is deleted, and its `URL` is the
//! emulator's, signed and expiring like the service's (about 11.5 hours).
//!
//! A copy is a sample compiled into the binary (the demo data) or a file the emulator
//! downloaded when it processed the asset, or when it accepted its create (`keep_sources`, the
//! demo's) (`<files dir>/<asset id>`). URLs are made when an
//! answer is written, so they never go stale in the stored state.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// How long an asset's URL is valid (the service's `X-Tos-Expires=41400`).
pub(crate) const URL_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::seconds(41_400);

/// The largest file kept: the largest asset the rules allow (a 200 MB video).
const MAX_COPY_BYTES: u64 = crate::media::rules::MAX_VIDEO_BYTES;

/// What an asset's file is, in the emulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssetFile {
    /// A sample compiled in (`assets/…`), by name.
    Sample(String),
    /// A file downloaded when the asset was processed, named by the asset's id.
    Downloaded,
}

/// Where the copies are, and the key their URLs are signed with.
#[derive(Debug)]
pub(crate) struct Copies {
    dir: PathBuf,
    secret: String,
    /// Made for this run: removed when the emulator goes.
    temporary: bool,
}

impl Drop for Copies {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Copies {
    /// Copies kept in `dir` (a new temporary folder when none), their URLs signed with
    /// `secret`.
    pub(crate) fn new(dir: Option<PathBuf>, secret: String) -> std::io::Result<Copies> {
        let (dir, temporary) = match dir {
            Some(dir) => (dir, false),
            None => (
                std::env::temp_dir().join(format!(
                    "ark-assets-emulator-{}-{:08x}",
                    std::process::id(),
                    rand::random::<u32>()
                )),
                true,
            ),
        };
        std::fs::create_dir_all(&dir)?;
        Ok(Copies {
            dir,
            secret,
            temporary,
        })
    }

    /// Where asset `id`'s downloaded file is kept.
    pub(crate) fn path(&self, id: &str) -> PathBuf {
        // Ids are the emulator's own (`asset-…`), but a path is never made of outside text.
        let safe: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.dir.join(safe)
    }

    /// Downloads the file at `url` as asset `id`'s copy (at most the largest asset allowed).
    pub(crate) async fn keep(
        &self,
        http: &reqwest::Client,
        id: &str,
        url: &str,
    ) -> Result<AssetFile, String> {
        let resp = http
            .get(url)
            .send()
            .await
            .map_err(|e| crate::http::error_chain(&e.without_url()))?;
        if !resp.status().is_success() {
            return Err(format!(
                "downloading the file answered HTTP {}",
                resp.status()
            ));
        }
        let path = self.path(id);
        let part = path.with_extension("part");
        let mut file = tokio::fs::File::create(&part)
            .await
            .map_err(|e| e.to_string())?;
        let mut body = resp.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| crate::http::error_chain(&e.without_url()))?;
            written += chunk.len() as u64;
            if written > MAX_COPY_BYTES {
                let _ = tokio::fs::remove_file(&part).await;
                return Err(format!("the file is larger than {MAX_COPY_BYTES} bytes"));
            }
            tokio::io::AsyncWriteExt::write_all(&mut file, &chunk)
                .await
                .map_err(|e| e.to_string())?;
        }
        drop(file);
        tokio::fs::rename(&part, &path)
            .await
            .map_err(|e| e.to_string())?;
        Ok(AssetFile::Downloaded)
    }

    /// Forgets asset `id`'s kept file.
    pub(crate) fn remove(&self, id: &str) {
        let _ = std::fs::remove_file(self.path(id));
    }

    /// The signature of `id`'s link expiring at `expires` (Unix seconds).
    pub(crate) fn signature(&self, id: &str, expires: i64) -> String {
        let text = format!("{}\n{id}\n{expires}", self.secret);
        crate::api::sign::sha256_hex(text.as_bytes())[..32].to_owned()
    }

    /// The URL asset `id`'s file is served at, signed, valid [`URL_LIFETIME`] from `now`.
    pub(crate) fn url(&self, base: &str, id: &str, now: DateTime<Utc>) -> String {
        let expires = (now + URL_LIFETIME).timestamp();
        format!(
            "{base}/files/{id}?X-Expires={expires}&X-Signature={}",
            self.signature(id, expires)
        )
    }

    /// Whether `query` signs asset `id`'s URL and has not expired at `now`.
    pub(crate) fn authorised(
        &self,
        id: &str,
        query: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), &'static str> {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let expires: i64 = get("X-Expires")
            .and_then(|v| v.parse().ok())
            .ok_or("the URL is not signed")?;
        if get("X-Signature") != Some(self.signature(id, expires).as_str()) {
            return Err("the URL's signature does not match");
        }
        if expires < now.timestamp() {
            return Err("the URL has expired");
        }
        Ok(())
    }

    /// Serves `file` (of asset `id`), honouring a `Range: bytes=a-b` header.
    pub(crate) async fn serve(&self, id: &str, file: &AssetFile, headers: &HeaderMap) -> Response {
        match file {
            AssetFile::Sample(name) => match super::samples::sample(name) {
                Some((bytes, kind)) => serve_bytes(bytes, kind, headers),
                None => missing(),
            },
            AssetFile::Downloaded => match tokio::fs::File::open(self.path(id)).await {
                Ok(file) => serve_file(file, headers).await,
                Err(_) => missing(),
            },
        }
    }
}

/// A 404 page.
pub fn missing() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "<!doctype html><title>404</title>Not Found\n",
    )
        .into_response()
}

/// The byte range `Range: bytes=a-b` asks of `total` bytes, when it asks one that exists.
fn range(headers: &HeaderMap, total: u64) -> Option<(u64, u64)> {
    let (a, b) = headers
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .strip_prefix("bytes=")?
        .split_once('-')?;
    let start: u64 = a.parse().ok()?;
    let last = total.checked_sub(1)?;
    let end = b.parse::<u64>().map_or(last, |e| e.min(last));
    (start <= end).then_some((start, end))
}

/// `bytes` of type `kind`, whole or the range asked for.
pub(crate) fn serve_bytes(
    bytes: &'static [u8],
    kind: &'static str,
    headers: &HeaderMap,
) -> Response {
    let total = bytes.len() as u64;
    match range(headers, total) {
        Some((start, end)) => (
            StatusCode::PARTIAL_CONTENT,
            [
                (header::CONTENT_TYPE, kind.to_owned()),
                (
                    header::CONTENT_RANGE,
                    format!("bytes {start}-{end}/{total}"),
                ),
            ],
            &bytes[start as usize..=end as usize],
        )
            .into_response(),
        None => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
    }
}

/// A kept file, whole or the range asked for, streamed.
async fn serve_file(mut file: tokio::fs::File, headers: &HeaderMap) -> Response {
    let Ok(total) = file.metadata().await.map(|m| m.len()) else {
        return missing();
    };
    let kind = "application/octet-stream";
    match range(headers, total) {
        Some((start, end)) => {
            if file.seek(std::io::SeekFrom::Start(start)).await.is_err() {
                return missing();
            }
            let body = tokio_util::io::ReaderStream::new(file.take(end - start + 1));
            let mut resp = Response::new(Body::from_stream(body));
            *resp.status_mut() = StatusCode::PARTIAL_CONTENT;
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(kind));
            if let Ok(v) = format!("bytes {start}-{end}/{total}").parse() {
                h.insert(header::CONTENT_RANGE, v);
            }
            resp
        }
        None => {
            let mut resp =
                Response::new(Body::from_stream(tokio_util::io::ReaderStream::new(file)));
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(kind));
            h.insert(header::CONTENT_LENGTH, total.into());
            resp
        }
    }
}
