//! Where probed bytes come from: a local file, a URL read with ranged GETs, or memory. The URL
//! source counts the bytes it receives, so a probe can show that it did not download the file.
//! A URL's first bytes come from [`fetch_head`], over the client [`check_client`] builds, within
//! [`CheckTimeouts`].

use std::io;
use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncSeekExt};
use url::Url;

use crate::validate::{Field, Invalid};

/// Time bounds of checking an image URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckTimeouts {
    /// Time allowed to connect to the image's host.
    pub connect: Duration,
    /// Time allowed for the whole check (connect, answer, first bytes).
    pub total: Duration,
}

impl Default for CheckTimeouts {
    fn default() -> Self {
        CheckTimeouts::within(Duration::from_secs(20))
    }
}

impl CheckTimeouts {
    /// A check of at most `total`, connecting within 5 s (or `total`, when shorter).
    pub fn within(total: Duration) -> Self {
        CheckTimeouts {
            connect: total.min(Duration::from_secs(5)),
            total,
        }
    }
}

/// The HTTP client image checks use: it connects within `timeouts.connect`, follows a few
/// redirects (as the service's downloader would) and shares connections between checks.
pub fn check_client(timeouts: CheckTimeouts) -> reqwest::Client {
    crate::http::client(|b| {
        b.connect_timeout(timeouts.connect)
            .redirect(crate::http::safe_redirects())
    })
}

/// Fetches the first `max` bytes of a URL (a ranged GET), with the file's total size from
/// `Content-Range` or `Content-Length` (`None` when the server sends neither). Not bounded in
/// time: callers wrap it in their own limit.
pub(crate) async fn fetch_head(
    http: &reqwest::Client,
    url: &Url,
    timeouts: CheckTimeouts,
    max: usize,
) -> Result<(Vec<u8>, Option<u64>), Invalid> {
    let shown = url.as_str();
    let fail = |rule: String| Invalid::unreadable(Field::Url, shown, rule);
    let mut resp = http
        .get(url.clone())
        .header(reqwest::header::RANGE, format!("bytes=0-{}", max - 1))
        .send()
        .await
        .map_err(|e| {
            if e.is_connect() && e.is_timeout() {
                fail(format!(
                    "cannot be downloaded: host {} did not accept a connection within {} s",
                    url.host_str().unwrap_or_default(),
                    timeouts.connect.as_secs_f32()
                ))
            } else {
                fail(format!(
                    "cannot be downloaded: {}",
                    crate::http::error_chain(&e)
                ))
            }
        })?;
    let status = resp.status();
    if !status.is_success() {
        return Err(fail(format!(
            "answered HTTP {status}; the service needs a reachable file"
        )));
    }
    let total = resp
        .headers()
        .get(reqwest::header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit_once('/'))
        .and_then(|(_, total)| total.parse::<u64>().ok())
        .or_else(|| {
            (status.as_u16() == 200)
                .then(|| resp.content_length())
                .flatten()
        });
    let mut head = Vec::new();
    while head.len() < max {
        match resp.chunk().await {
            Ok(Some(chunk)) => head.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => {
                return Err(fail(format!(
                    "download broke off: {}",
                    crate::http::error_chain(&e)
                )));
            }
        }
    }
    head.truncate(max);
    Ok((head, total))
}

/// Bytes at offsets of one file of known length.
pub trait Source {
    /// Total size in bytes.
    fn size(&self) -> u64;

    /// Reads up to `len` bytes at `offset` (fewer only at the end of the file).
    fn read(&mut self, offset: u64, len: u64) -> impl Future<Output = io::Result<Vec<u8>>> + Send;
}

/// A local file.
pub(crate) struct FileSource {
    file: tokio::fs::File,
    len: u64,
}

impl FileSource {
    /// Opens `path`, a regular file.
    pub(crate) async fn open(path: &Path) -> io::Result<FileSource> {
        let file = tokio::fs::File::from_std(crate::files::open(path)?);
        let len = file.metadata().await?.len();
        Ok(FileSource { file, len })
    }
}

impl Source for FileSource {
    fn size(&self) -> u64 {
        self.len
    }

    async fn read(&mut self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        self.file.seek(io::SeekFrom::Start(offset)).await?;
        let mut out = Vec::with_capacity(len.min(self.len.saturating_sub(offset)) as usize);
        (&mut self.file).take(len).read_to_end(&mut out).await?;
        Ok(out)
    }
}

/// A URL whose first bytes are already at hand; further reads are ranged GETs.
pub(crate) struct UrlSource<'a> {
    http: &'a reqwest::Client,
    url: &'a url::Url,
    head: Vec<u8>,
    len: u64,
    /// Bytes received over the network, the first ones included.
    pub fetched: u64,
}

impl<'a> UrlSource<'a> {
    /// A source of `len` bytes whose first bytes are `head`.
    pub(crate) fn new(
        http: &'a reqwest::Client,
        url: &'a url::Url,
        head: Vec<u8>,
        len: u64,
    ) -> Self {
        UrlSource {
            http,
            url,
            fetched: head.len() as u64,
            head,
            len,
        }
    }
}

impl Source for UrlSource<'_> {
    fn size(&self) -> u64 {
        self.len
    }

    async fn read(&mut self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        let end = offset.saturating_add(len).min(self.len);
        if offset >= end {
            return Ok(Vec::new());
        }
        if end <= self.head.len() as u64 {
            return Ok(self.head[offset as usize..end as usize].to_vec());
        }
        let mut resp = self
            .http
            .get(self.url.clone())
            .header(
                reqwest::header::RANGE,
                format!("bytes={offset}-{}", end - 1),
            )
            .send()
            .await
            .map_err(|e| io_error(&e))?;
        if resp.status() != reqwest::StatusCode::PARTIAL_CONTENT {
            return Err(io::Error::other(format!(
                "a ranged read answered HTTP {} (the host must serve byte ranges)",
                resp.status()
            )));
        }
        // Read no more than asked for, whatever the host sends.
        let want = (end - offset) as usize;
        let mut out = Vec::with_capacity(want);
        while out.len() < want {
            match resp.chunk().await {
                Ok(Some(chunk)) => out.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Err(io_error(&e)),
            }
        }
        self.fetched += out.len() as u64;
        out.truncate(want);
        Ok(out)
    }
}

/// A failed request as an I/O error: `TimedOut` when it timed out, its causes in its message.
fn io_error(e: &reqwest::Error) -> io::Error {
    let kind = if e.is_timeout() {
        io::ErrorKind::TimedOut
    } else {
        io::ErrorKind::Other
    };
    io::Error::new(kind, crate::http::error_chain(e))
}

/// Bytes held in memory.
pub(crate) struct MemorySource(pub Vec<u8>);

impl Source for MemorySource {
    fn size(&self) -> u64 {
        self.0.len() as u64
    }

    async fn read(&mut self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        let start = offset.min(self.size()) as usize;
        let end = offset.saturating_add(len).min(self.size()) as usize;
        Ok(self.0[start..end].to_vec())
    }
}
