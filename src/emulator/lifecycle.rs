//! Asset processing: download (ranged reads) and probe the file, check it with the rules of its
//! asset type, keep a copy of it (the asset's file from then on), then Active or Failed. Videos take longer than images and audio.

use std::sync::Arc;

use rand::Rng;

use super::Shared;
use crate::api::model::AssetError;
use crate::media::{self, MediaKind, Policy};
use crate::validate::{self, Field, Invalid};

/// The vendor error an image problem becomes.
pub(crate) fn asset_error(broken: &[Invalid]) -> AssetError {
    let first = &broken[0];
    let code = if first.field == Field::Url {
        "InvalidParameter.DownloadFailed"
    } else if first.is_format_problem() || first.field == Field::Type {
        "InvalidParameter.FormatUnsupported"
    } else {
        "InvalidParameter"
    };
    AssetError {
        code: code.to_owned(),
        message: broken
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// How many times longer a video takes to process than an image.
pub(crate) const VIDEO_SLOWER: u32 = 3;

/// Processes asset `id`: waits the configured (jittered) time, three times as long for a
/// video, fetches and checks its file as its declared type, and moves it to Active or Failed.
pub async fn process(shared: Arc<Shared>, id: String) {
    let Some((source, kind)) = shared.store().assets.get(&id).map(|a| {
        let kind = MediaKind::of_asset_type(&a.asset.asset_type).unwrap_or(MediaKind::Image);
        (a.source_url.clone(), kind)
    }) else {
        return;
    };
    let (min, max) = shared.config.processing;
    let delay = if max > min {
        rand::rng().random_range(min..max)
    } else {
        min
    };
    let delay = if kind == MediaKind::Video {
        delay * VIDEO_SLOWER
    } else {
        delay
    };
    tokio::time::sleep(delay).await;
    let policy = Policy {
        declared: Some(kind),
        ..Policy::default()
    };
    let outcome = match validate::url(&source) {
        Ok(url) => {
            let timeouts = validate::CheckTimeouts::default();
            match media::check_url(&shared.http, &url, timeouts, &policy).await {
                Ok(_) => shared
                    .copies
                    .keep(&shared.http, &id, url.as_str())
                    .await
                    .map_err(|why| AssetError {
                        code: "InvalidParameter.DownloadFailed".to_owned(),
                        message: format!("URL: the file could not be downloaded: {why}"),
                    }),
                Err(broken) => Err(asset_error(&broken)),
            }
        }
        Err(e) => Err(asset_error(&[e])),
    };
    let now = shared.now();
    if shared.store().finish(&id, outcome, now) {
        shared.changed();
    }
}
