//! The ledger: a local, append-only record of every asset creation this client attempted, per
//! profile.
//!
//! It is the create journal (an attempt is written *before* it is sent, and its outcome after),
//! so that a create that timed out, or a run killed halfway, is reconciled instead of repeated;
//! and it is the only way to browse the global dialect, which cannot list.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::{Asset, AssetGroup};
use crate::api::{ApiError, AssetsApi};

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryState {
    /// Written before sending; no answer recorded yet.
    Pending,
    /// The service returned an id.
    Created,
    /// The service refused it (nothing was created).
    Failed,
}

/// One creation attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Identifies the intended asset across runs (e.g. `import:<file>:<line>`).
    pub key: String,
    /// Group id (domestic) or local label (global).
    pub group: String,
    /// Asset name sent.
    pub name: String,
    /// URL sent (presigned ones without their signature).
    pub url: String,
    /// State.
    pub state: EntryState,
    /// Asset id, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the attempt started.
    pub at: DateTime<Utc>,
    /// The uploaded object the asset was created from (local files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Whether that object was deleted after the asset left Processing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cleaned: bool,
}

/// The ledger file and its folded contents, behind one lock so that reading the current state
/// and appending to it happen as one step.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    file: File,
    entries: BTreeMap<String, Entry>,
}

impl Inner {
    /// Appends `entry` durably (flushed to disk) and makes it current.
    fn append(&mut self, entry: Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&entry).expect("entries serialise");
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        self.entries.insert(entry.key.clone(), entry);
        Ok(())
    }

    fn claimed(&self, id: &str, key: &str) -> bool {
        self.entries
            .values()
            .any(|e| e.key != key && e.id.as_deref() == Some(id))
    }
}

/// `<data dir>/ark-assets/ledger/<profile>-<account identity>.jsonl` (or under `ARK_ASSETS_DATA`
/// when set): one ledger per profile and account, so that two dialects or accounts reached
/// through the same profile name (environment variables only) never mix their records.
pub fn default_path(profile: &str, identity: &str) -> Option<PathBuf> {
    let base = crate::config::local_dir(|d| d.data_dir())?;
    let safe = crate::config::file_name_of(profile);
    let dir = base.join("ledger");
    let path = dir.join(format!("{safe}-{identity}.jsonl"));
    // Ledgers of earlier versions were named after the profile alone: the first open under an
    // account takes it over, so interrupted imports still resume.
    let old = dir.join(format!("{safe}.jsonl"));
    if !path.exists() && old.exists() {
        let _ = std::fs::rename(&old, &path);
    }
    Some(path)
}

impl Ledger {
    /// Opens (or creates, mode 0600) the ledger at `path`. A torn last line from a crash is
    /// ignored.
    pub fn open(path: &Path) -> std::io::Result<Ledger> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut entries = BTreeMap::new();
        if let Ok(file) = File::open(path) {
            for line in std::io::BufReader::new(file).lines() {
                let line = line?;
                if let Ok(entry) = serde_json::from_str::<Entry>(&line) {
                    entries.insert(entry.key.clone(), entry);
                }
            }
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path)?;
        Ok(Ledger {
            path: path.to_owned(),
            inner: Mutex::new(Inner { file, entries }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("ledger lock is never poisoned")
    }

    /// The file backing the ledger.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` durably (flushed to disk before returning) and makes it current.
    pub fn record(&self, entry: Entry) -> std::io::Result<()> {
        self.lock().append(entry)
    }

    /// The current entry for `key`.
    pub fn get(&self, key: &str) -> Option<Entry> {
        self.lock().entries.get(key).cloned()
    }

    /// Every current entry, by key.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().entries.values().cloned().collect()
    }

    /// Whether some entry other than `key` already owns asset `id`.
    pub fn claimed(&self, id: &str, key: &str) -> bool {
        self.lock().claimed(id, key)
    }

    /// Records `entry` as Created with the first of `candidates` that no other entry owns, in
    /// one step (no other claim can take the same id in between); `None` when all are owned.
    pub fn claim(&self, entry: &Entry, candidates: &[String]) -> std::io::Result<Option<String>> {
        let mut inner = self.lock();
        let Some(id) = candidates.iter().find(|id| !inner.claimed(id, &entry.key)) else {
            return Ok(None);
        };
        inner.append(Entry {
            state: EntryState::Created,
            id: Some(id.clone()),
            error: None,
            ..entry.clone()
        })?;
        Ok(Some(id.clone()))
    }
}

/// The label assets are filed under when the global dialect has no groups yet.
pub const DEFAULT_LABEL: &str = "default";

/// The global dialect's stand-in for groups: the labels assets were created under (at least
/// [`DEFAULT_LABEL`]), oldest first.
pub fn groups(ledger: &Ledger) -> Vec<AssetGroup> {
    let mut labels: Vec<(String, DateTime<Utc>)> = Vec::new();
    for e in ledger.entries() {
        match labels.iter_mut().find(|(l, _)| *l == e.group) {
            Some((_, first)) => *first = (*first).min(e.at),
            None => labels.push((e.group.clone(), e.at)),
        }
    }
    if labels.is_empty() {
        labels.push((DEFAULT_LABEL.to_owned(), Utc::now()));
    }
    labels.sort_by_key(|(_, at)| *at);
    labels
        .into_iter()
        .map(|(label, at)| AssetGroup {
            id: label.clone(),
            name: label,
            description: "assets created under this label by this client (kept locally)".to_owned(),
            group_type: "local".to_owned(),
            project_name: String::new(),
            create_time: Some(at),
            update_time: Some(at),
        })
        .collect()
}

/// The assets the ledger created under `label` (all labels when `None`), read back with
/// GetAsset, newest first; assets deleted since are left out.
pub async fn assets(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    label: Option<&str>,
) -> Result<Vec<Asset>, ApiError> {
    let mut assets = Vec::new();
    for e in ledger.entries() {
        if label.is_some_and(|l| l != e.group) || e.state != EntryState::Created {
            continue;
        }
        let Some(id) = &e.id else { continue };
        match api.get_asset(id).await {
            Ok(mut a) => {
                a.group_id = e.group.clone();
                assets.push(a);
            }
            Err(err) if err.is_not_found() => {}
            Err(err) => return Err(err),
        }
    }
    assets.sort_by_key(|a| std::cmp::Reverse(a.create_time));
    Ok(assets)
}

/// A name for an asset created without one: the URL's file name, so that a create whose answer
/// was lost can be found again by name.
pub fn default_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let file = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("asset");
    file.chars().take(crate::validate::MAX_NAME_CHARS).collect()
}

/// A ledger key for a single create (CLI command, TUI dialog).
pub fn one_off_key(source: &str) -> String {
    use rand::Rng;
    format!(
        "{source}:{}:{:08x}",
        Utc::now().format("%Y%m%dT%H%M%S%.f"),
        rand::rng().random::<u32>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("ark-ledger-{tag}-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&p);
        p
    }

    fn entry(key: &str, state: EntryState) -> Entry {
        Entry {
            key: key.into(),
            group: "g".into(),
            name: "n".into(),
            url: "https://x/a.png".into(),
            state,
            id: (state == EntryState::Created).then(|| format!("asset-{key}")),
            error: None,
            at: Utc::now(),
            object: None,
            cleaned: false,
        }
    }

    #[test]
    fn entries_survive_reopening_and_a_torn_last_line() {
        let path = temp("reopen");
        let ledger = Ledger::open(&path).unwrap();
        ledger.record(entry("a", EntryState::Pending)).unwrap();
        ledger.record(entry("a", EntryState::Created)).unwrap();
        ledger.record(entry("b", EntryState::Pending)).unwrap();
        drop(ledger);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"key\":\"c\",\"gro")
            .unwrap();
        let again = Ledger::open(&path).unwrap();
        assert_eq!(again.get("a").unwrap().state, EntryState::Created);
        assert_eq!(again.get("b").unwrap().state, EntryState::Pending);
        assert!(again.get("c").is_none());
        assert!(again.claimed("asset-a", "b") && !again.claimed("asset-a", "a"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn default_names_come_from_the_url() {
        assert_eq!(
            default_name("https://cdn.x/a/hero-01.png?sig=1"),
            "hero-01.png"
        );
        assert_eq!(default_name("https://cdn.x/"), "cdn.x");
        assert_eq!(
            default_name(&format!("https://x/{}", "a".repeat(80)))
                .chars()
                .count(),
            64
        );
    }
}
