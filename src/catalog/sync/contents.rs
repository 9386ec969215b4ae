//! What the ledger keeps of a file's content in a group: the keys (the content's own, and
//! one for each more asset of that content when the group holds copies of one file), and
//! learning a content as an asset's, as a pull or a match by name does.

use crate::api::model::Asset;
use crate::ledger::{Entry, EntryState, Ledger, LedgerError};

/// The ledger key of `sha256`'s content in `group`.
pub(crate) fn content_key(group: &str, sha256: &str) -> String {
    format!("file:{group}:{sha256}")
}

/// The ledger key of asset `id`, one more asset of `sha256`'s content in `group` (the group
/// holds copies of one file; the content's own key names another of them).
pub(crate) fn content_copy_key(group: &str, sha256: &str, id: &str) -> String {
    format!("{}:{id}", content_key(group, sha256))
}

/// Records `sha256` as the content of `asset` in `group` (as importing the file would have
/// keyed it, so that a sync matches the file by content), unless the ledger knows it so
/// already; when the content's key names another asset (the group holds copies of one file),
/// as one more asset of that content.
pub(crate) fn learn_content(
    ledger: &Ledger,
    group: &str,
    asset: &Asset,
    sha256: &str,
) -> Result<(), LedgerError> {
    if ledger.assets_of_content(group, sha256)?.contains(&asset.id) {
        return Ok(());
    }
    let key = content_key(group, sha256);
    // A key that names no asset now (its create failed) is this asset's.
    let key = match ledger.get(&key)? {
        Some(e) if e.state != EntryState::Failed => content_copy_key(group, sha256, &asset.id),
        _ => key,
    };
    ledger.record(&Entry {
        key,
        group: group.to_owned(),
        name: asset.name.clone(),
        url: String::new(),
        state: EntryState::Created,
        id: Some(asset.id.clone()),
        error: None,
        at: chrono::Utc::now(),
        object: None,
        cleaned: true,
        sha256: Some(sha256.to_owned()),
    })
}
