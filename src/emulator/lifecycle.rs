//! Asset processing: download the image, check it with the project's rules, then Active or Failed.

use std::sync::Arc;

use rand::Rng;

use super::Shared;
use super::seed::signed_url;
use crate::api::model::AssetError;
use crate::validate::{self, Invalid};

/// The vendor error an image problem becomes.
pub fn asset_error(broken: &[Invalid]) -> AssetError {
    let first = &broken[0];
    let code = if first.field == "URL" {
        "InvalidParameter.DownloadFailed"
    } else if first.is_format_problem() {
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

/// Processes asset `id`: waits the configured (jittered) time, fetches and checks its image, and
/// moves it to Active or Failed.
pub async fn process(shared: Arc<Shared>, id: String) {
    let (min, max) = shared.config.processing;
    let delay = if max > min {
        rand::rng().random_range(min..max)
    } else {
        min
    };
    tokio::time::sleep(delay).await;
    let Some(source) = shared.store().assets.get(&id).map(|a| a.source_url.clone()) else {
        return;
    };
    let outcome = match validate::url(&source) {
        Ok(url) => {
            match validate::check_url(&shared.http, &url, validate::CheckTimeouts::default()).await
            {
                Ok(_) => Ok(signed_url(&source, shared.now())),
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
