//! An image downloaded for a preview, capped at [`MAX_PREVIEW_BYTES`].

use super::{MAX_PREVIEW_BYTES, NoPreview};

/// Downloads the image at `url`, at most [`MAX_PREVIEW_BYTES`].
pub async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, NoPreview> {
    let chain = |e: reqwest::Error| crate::http::error_chain(&e.without_url());
    let mut resp = http
        .get(url)
        .send()
        .await
        .map_err(|e| NoPreview::Download(chain(e)))?;
    if !resp.status().is_success() {
        return Err(NoPreview::Status(resp.status().as_u16()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| NoPreview::BrokeOff(chain(e)))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_PREVIEW_BYTES {
            return Err(NoPreview::Oversize("image"));
        }
    }
    Ok(bytes)
}
