//! Bounded first-bytes reads of image URLs: their time bounds and HTTP client.

use std::time::Duration;

use url::Url;

use super::{Field, Invalid};

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
    let fail = |rule: String| Invalid::new(Field::Url, shown, rule);
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
