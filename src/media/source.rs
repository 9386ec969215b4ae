//! Where probed bytes come from: a local file, a URL read with ranged GETs, or memory. The URL
//! source counts the bytes it receives, so a probe can show that it did not download the file.

use std::io;
use std::path::Path;

use tokio::io::{AsyncReadExt, AsyncSeekExt};

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
    pub async fn open(path: &Path) -> io::Result<FileSource> {
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
    pub fn new(http: &'a reqwest::Client, url: &'a url::Url, head: Vec<u8>, len: u64) -> Self {
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
            .map_err(|e| io::Error::other(crate::http::error_chain(&e)))?;
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
                Err(e) => return Err(io::Error::other(crate::http::error_chain(&e))),
            }
        }
        self.fetched += out.len() as u64;
        out.truncate(want);
        Ok(out)
    }
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
