//! Asset processing: download (ranged reads) and probe the file, or read the one kept when the
//! create was accepted (or a sample), check it with the rules of its asset type, keep a copy of
//! it (the asset's file from then on), then Active or Failed. Videos take longer than images
//! and audio.

use std::sync::Arc;

use rand::Rng;

use super::Shared;
use super::copies::AssetFile;
use crate::api::model::AssetError;
use crate::media::{self, MediaKind, Policy};
use crate::validate::{self, Field, Invalid};

/// The vendor error an image problem becomes.
pub(crate) fn asset_error(broken: &[Invalid]) -> AssetError {
    let first = &broken[0];
    let code = if first.field == Field::Url || first.is_unreadable() {
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

/// Takes a created asset for processing: with `keep_sources`, its file is downloaded first
/// (the create's answer waits for it), so a later run can process it when this one is gone;
/// then processing starts.
pub(super) async fn accept(shared: &Arc<Shared>, id: String) {
    let source = shared.store().assets.get(&id).map(|a| a.source_url.clone());
    if let Some(url) = source.filter(|_| shared.config.keep_sources) {
        // Not downloaded: processing fetches the URL itself (and fails as it would have).
        if let Ok(file) = shared.copies.keep(&shared.http, &id, &url).await
            && let Some(stored) = shared.store().assets.get_mut(&id)
        {
            stored.source = Some(file);
            shared.changed();
        }
    }
    tokio::spawn(process(shared.clone(), id));
}

/// Processes asset `id`: waits the configured (jittered) time, three times as long for a
/// video, checks its file as its declared type (the one kept, else fetched from its URL), and
/// moves it to Active or Failed.
pub(crate) async fn process(shared: Arc<Shared>, id: String) {
    let Some((url, kept, kind)) = shared.store().assets.get(&id).map(|a| {
        let kind = MediaKind::of_asset_type(&a.asset.asset_type).unwrap_or(MediaKind::Image);
        (a.source_url.clone(), a.source.clone(), kind)
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
    let outcome = match kept {
        Some(file) => check_kept(&shared, &id, file, &url, &policy).await,
        None => fetch(&shared, &id, &url, &policy).await,
    };
    let now = shared.now();
    if shared.store().finish(&id, outcome, now) {
        shared.changed();
    }
}

/// Checks the file at `source` and keeps a copy of it as asset `id`'s.
async fn fetch(
    shared: &Shared,
    id: &str,
    source: &str,
    policy: &Policy,
) -> Result<AssetFile, AssetError> {
    let url = validate::url(source).map_err(|e| asset_error(&[e]))?;
    let timeouts = media::CheckTimeouts::default();
    media::check_url(&shared.http, &url, timeouts, policy)
        .await
        .map_err(|broken| asset_error(&broken))?;
    shared
        .copies
        .keep(&shared.http, id, url.as_str())
        .await
        .map_err(|why| AssetError {
            code: "InvalidParameter.DownloadFailed".to_owned(),
            message: format!("URL: the file could not be downloaded: {why}"),
        })
}

/// Checks `file`, asset `id`'s source kept here (a sample, or what was downloaded from `url`
/// when the create was accepted), which is its copy from then on.
async fn check_kept(
    shared: &Shared,
    id: &str,
    file: AssetFile,
    url: &str,
    policy: &Policy,
) -> Result<AssetFile, AssetError> {
    let checked = match &file {
        AssetFile::Sample(name) => match super::samples::sample(name) {
            Some((bytes, _)) => media::check_bytes(bytes, name, policy).await,
            None => Err(vec![Invalid::new(Field::Url, url, "the file is not there")]),
        },
        AssetFile::Downloaded => media::check_file(&shared.copies.path(id), policy).await,
    };
    match checked {
        Ok(_) => Ok(file),
        Err(broken) => {
            shared.copies.remove(id);
            // Said of the URL it was created from, as the service says it, not of the copy.
            let of_url = |e: Invalid| match e.field {
                Field::File => e.said_of(Field::Url, url),
                _ => e,
            };
            Err(asset_error(
                &broken.into_iter().map(of_url).collect::<Vec<_>>(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_could_not_be_read_fails_as_a_download_not_a_format() {
        let code = |e: Invalid| asset_error(&[e]).code;
        let unread = Invalid::unreadable(Field::File, "/kept/a.mp4", "could not be read: reset");
        assert_eq!(code(unread), "InvalidParameter.DownloadFailed");
        let broken = Invalid::format(Field::Video, "it has no movie header");
        assert_eq!(code(broken), "InvalidParameter.FormatUnsupported");
        let small = Invalid::new(Field::Video, "200x200", "each side must be at least 300 px");
        assert_eq!(code(small), "InvalidParameter");
    }
}
