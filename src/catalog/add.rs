//! One new asset from a URL or a local file: the CLI's `assets create` and the TUI's
//! new-asset dialog. It is checked as an import's row is, then created once: a URL once per
//! request, a file once per content in its group (unless duplicates are asked for).

use super::import::check::{self, Checks, Ready};
use super::import::{Row, Source};
use super::{Catalog, CreateError, MadeBy};
use crate::media::MediaKind;
use crate::storage::Progress;
use crate::validate::{self, Invalid};

/// A new asset as asked for.
#[derive(Debug, Clone)]
pub struct Add {
    /// Where its file comes from.
    pub source: Source,
    /// Its name (none: from the file or URL).
    pub name: Option<String>,
    /// How it is checked.
    pub checks: Checks,
    /// A file whose content the group has is created again.
    pub allow_duplicates: bool,
}

/// A new asset, or the one the group already had of that content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The asset.
    pub id: String,
    /// The file or URL, as shown.
    pub source: String,
    /// Its type.
    pub kind: MediaKind,
    /// A file's sha256.
    pub sha256: Option<String>,
    /// A file's size.
    pub bytes: Option<u64>,
    /// The group had this content already: nothing was created.
    pub existing: bool,
    /// Rules it breaks that do not stop it (a model's, a URL the service cannot reach).
    pub warnings: Vec<String>,
}

/// How a file's upload is told: bytes sent so far, of its size.
pub type Uploading = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Why an asset was not created.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AddError {
    /// It breaks these rules; nothing was sent.
    #[error("{}", check::joined(.0))]
    Refused(Vec<Invalid>),
    /// The upload or the create failed.
    #[error(transparent)]
    Create(#[from] CreateError),
}

impl Catalog {
    /// Checks `add` (URLs read through `http`) and creates it in `group`; a file's upload is
    /// told to `uploading`.
    pub async fn add(
        &self,
        group: &str,
        add: Add,
        http: &reqwest::Client,
        uploading: Uploading,
    ) -> Result<Added, AddError> {
        let is_file = matches!(add.source, Source::File(_));
        if is_file {
            self.storage().ok_or(CreateError::NoStorage)?;
        }
        let row = Row {
            origin: add.source.shown(),
            line: 0,
            source: add.source.clone(),
            name: add.name.clone(),
            default_name: None,
            key: None,
        };
        let ready = check::check_row(row, &self.checks_for(&add.checks), http)
            .await
            .map_err(AddError::Refused)?;
        if let Some(storage) = self.storage().filter(|_| is_file) {
            storage.check_bucket().await.map_err(CreateError::from)?;
        }
        let size = match &ready {
            Ready::File { file, .. } => file.content.bytes,
            Ready::Url { .. } => 0,
        };
        let sent: Progress = std::sync::Arc::new(move |n| uploading(n, size));
        let made = self
            .create_ready(group, &ready, None, add.allow_duplicates, sent)
            .await?;
        Ok(added(&ready, made.id, made.by != MadeBy::ThisRun))
    }
}

/// What `ready` became: asset `id`, made now or `existing`.
fn added(ready: &Ready, id: String, existing: bool) -> Added {
    let (sha256, bytes, mut warnings) = match ready {
        Ready::File { file, .. } => (
            Some(file.content.sha256.clone()),
            Some(file.content.bytes),
            file.warnings.clone(),
        ),
        Ready::Url { url, warnings, .. } => {
            let mut all = warnings.clone();
            let parsed = validate::url(url).ok();
            all.extend(parsed.as_ref().and_then(validate::url_warning));
            (None, None, all)
        }
    };
    warnings.dedup();
    Added {
        id,
        source: ready.row().source.shown(),
        kind: ready.kind(),
        sha256,
        bytes,
        existing,
        warnings,
    }
}
