//! The ledger: every asset creation this client attempted, per profile and account, in an
//! SQLite database (`<data dir>/ark-assets/ledger/<profile>-<account>.sqlite`).
//!
//! It is the create journal (an attempt is written *before* it is sent, and its outcome after),
//! so that a create that timed out, or a run killed halfway, is reconciled instead of repeated;
//! it is what keeps two runs at once (a cron job and a person, the TUI beside the CLI) from
//! creating one row twice: an attempt is claimed in one transaction, held by its run while the
//! run lives ([`owner`]), and waited for by any other (as is a [`holds`] hold, for a group's
//! creation); and it is the only way to browse the global dialect, which cannot list.
//!
//! The database is opened on first use, so a command that does not touch the ledger does not
//! pay for it; every look-up is by an index (key, asset id, group and name, content hash,
//! uploaded object), so a command costs the same with a history of 100,000 assets as with none.
//! WAL mode: readers never wait for a writer; `synchronous = FULL`: an attempt is on disk before
//! it is sent. A ledger of an earlier version (JSON lines) is imported on first open
//! ([`migrate`]).

mod contents;
mod holds;
mod migrate;
mod owner;
mod runs;
mod store;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::{Asset, AssetGroup};
use crate::api::{ApiError, AssetsApi};

pub use migrate::Migration;
pub use owner::LEASE;
use store::Store;

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryState {
    /// Written before sending; no answer recorded yet.
    Pending,
    /// The service returned an id.
    Created,
    /// The service refused it (nothing was created), or the asset it made failed and was made
    /// again.
    Failed,
}

impl EntryState {
    /// The name stored in the database.
    fn name(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Created => "created",
            EntryState::Failed => "failed",
        }
    }

    fn parse(name: &str) -> Option<EntryState> {
        [EntryState::Pending, EntryState::Created, EntryState::Failed]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// One creation attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Identifies the intended asset across runs (e.g. `import:<digest>:<n>`,
    /// `file:<group>:<sha256>`).
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
    /// sha256 of the local file's content it was created from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// What [`Ledger::begin`] found for an intended asset, having made it this run's when it
/// could.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// Created already (its entry, with the id).
    Created(Entry),
    /// Another run that is alive is creating it now: wait, and look again.
    Busy {
        /// The run, as the ledger names it (`pid 4242`).
        owner: String,
    },
    /// An attempt whose run is gone (a crash, a kill): now this run's. Whether it created
    /// the asset must be found out before anything is sent.
    Abandoned(Entry),
    /// This run's to send: its Pending entry is written.
    Fresh,
}

/// A ledger that could not be opened, read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger {}: {what}", crate::text::visible(&path.display().to_string()))]
pub struct LedgerError {
    /// The database file.
    pub path: PathBuf,
    /// What went wrong.
    pub what: String,
}

/// The ledger of one profile and account. Opened on first use; cheap to hold unopened.
pub struct Ledger {
    path: PathBuf,
    store: OnceLock<Result<Mutex<Store>, LedgerError>>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("path", &self.path)
            .field("open", &self.store.get().is_some())
            .finish()
    }
}

/// `<data dir>/ledger/<profile>-<account identity>.sqlite`: one ledger per profile and
/// account, so that two dialects or accounts reached through the same profile name
/// (environment variables only) never mix their records.
pub(crate) fn default_path(data: &Path, profile: &str, identity: &str) -> PathBuf {
    let safe = crate::config::file_name_of(profile);
    let dir = data.join("ledger");
    let path = dir.join(format!("{safe}-{identity}.sqlite"));
    // Ledgers of earlier versions were named after the profile alone: the first open under an
    // account takes it over (as JSON lines, imported when the database is first opened).
    let old = dir.join(format!("{safe}.jsonl"));
    let jsonl = path.with_extension("jsonl");
    if !path.exists() && !jsonl.exists() && old.exists() {
        let _ = std::fs::rename(&old, &jsonl);
    }
    path
}

impl Ledger {
    /// The ledger at `path`, opened (made, mode 0600) when it is first used.
    pub fn at(path: &Path) -> Ledger {
        Ledger {
            path: path.to_owned(),
            store: OnceLock::new(),
        }
    }

    /// The ledger at `path`, opened now.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let ledger = Ledger::at(path);
        ledger.with(|_| Ok(()))?;
        Ok(ledger)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the database was opened (tests and benchmarks check that reads did not).
    pub fn is_open(&self) -> bool {
        self.store.get().is_some_and(Result::is_ok)
    }

    /// What importing a JSON-lines ledger of an earlier version found when the database was
    /// opened; `None` when it is not open or there was none. Its [`Migration::warning`] says
    /// what a front end should show.
    pub fn migration(&self) -> Option<Migration> {
        let store = self.store.get()?.as_ref().ok()?;
        let store = store.lock().expect("the ledger lock is never poisoned");
        store.migration.clone()
    }

    /// Runs `work` on the open store.
    fn with<T>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, rusqlite::Error>,
    ) -> Result<T, LedgerError> {
        let store = self
            .store
            .get_or_init(|| Store::open(&self.path).map(Mutex::new))
            .as_ref()
            .map_err(Clone::clone)?;
        let mut store = store.lock().expect("the ledger lock is never poisoned");
        work(&mut store).map_err(|e| self.error(e))
    }

    fn error(&self, e: rusqlite::Error) -> LedgerError {
        LedgerError {
            path: self.path.clone(),
            what: e.to_string(),
        }
    }

    /// The current entry for `key`.
    pub fn get(&self, key: &str) -> Result<Option<Entry>, LedgerError> {
        self.with(|s| s.get(key))
    }

    /// Writes `entry` as the current one for its key, durably (on disk before it returns). A
    /// Pending entry is this run's.
    pub fn record(&self, entry: &Entry) -> Result<(), LedgerError> {
        self.with(|s| s.record(entry))
    }

    /// Starts an attempt at `entry`'s asset, in one transaction: see [`Begin`]. With
    /// [`Begin::Fresh`], `entry` (Pending) is written as this run's.
    pub fn begin(&self, entry: &Entry) -> Result<Begin, LedgerError> {
        self.with(|s| s.begin(entry))
    }

    /// The attempt at `key` ended in this process without an outcome: its Pending entry stays
    /// for a later run (or a later attempt of this one) to look up, not to wait for.
    pub fn release(&self, key: &str) {
        if let Some(Ok(store)) = self.store.get() {
            store
                .lock()
                .expect("the ledger lock is never poisoned")
                .release(key);
        }
    }

    /// Records `entry` as Created with the first of `candidates` that no other entry owns, in
    /// one transaction (no other claim, of this process or another, takes the same id in
    /// between); `None` when all are owned.
    pub fn claim(
        &self,
        entry: &Entry,
        candidates: &[String],
    ) -> Result<Option<String>, LedgerError> {
        self.with(|s| s.claim(entry, candidates))
    }

    /// How many attempts at assets named `name` in `group`, other than `key`, runs that are
    /// alive are sending now (their outcome is not known yet, so a look-up by name must wait).
    pub fn sending(&self, group: &str, name: &str, key: &str) -> Result<usize, LedgerError> {
        self.with(|s| s.sending(group, name, key))
    }

    /// The run (as shown: `pid 4242`) that holds an attempt about asset `id` now, when it is
    /// another run and alive: a Pending entry with that id, or creating it again
    /// (`retry:<id>`). Such an asset is in another run's hands, not to be deleted under it.
    pub(crate) fn holder_of(&self, id: &str) -> Result<Option<String>, LedgerError> {
        self.with(|s| s.holder_of(id))
    }

    /// The entry that created asset `id`.
    pub fn created(&self, id: &str) -> Result<Option<Entry>, LedgerError> {
        self.with(|s| s.created(id))
    }

    /// Records `entry` (Created, with its id) as the one entry of its asset, in one
    /// transaction: another entry that named the asset (another content, matched by name now)
    /// gives it up.
    pub(crate) fn take_over(&self, entry: &Entry) -> Result<(), LedgerError> {
        self.with(|s| s.take_over(entry))
    }

    /// The assets this ledger made of, or learned as, content `sha256` in `group`, oldest
    /// first: more than one when the group holds copies of one file (`import
    /// --allow-duplicates`, or a pull of such a group).
    pub(crate) fn assets_of_content(
        &self,
        group: &str,
        sha256: &str,
    ) -> Result<Vec<String>, LedgerError> {
        self.with(|s| s.assets_of_content(group, sha256))
    }

    /// Whether any entry, in any state, names asset `id` (this ledger made it, or learned it).
    pub fn knows(&self, id: &str) -> Result<bool, LedgerError> {
        self.with(|s| s.knows(id))
    }

    /// Whether this ledger knows asset `id` as the asset of a content (a file it was made of,
    /// or learned as): an asset made from a URL, or copied from another account by its link,
    /// is known without one.
    pub fn knows_content(&self, id: &str) -> Result<bool, LedgerError> {
        self.with(|s| s.knows_content(id))
    }

    /// Takes the hold on `key` (one run at a time does what it stands for, e.g. `group:<name>`,
    /// creating the group of a name): `None` when this run holds it now, until
    /// [`Ledger::let_go`]; else the run that holds it (`pid 4242`), alive.
    pub(crate) fn hold(&self, key: &str) -> Result<Option<String>, LedgerError> {
        self.with(|s| s.hold(key))
    }

    /// Lets go of this run's hold on `key`.
    pub(crate) fn let_go(&self, key: &str) -> Result<(), LedgerError> {
        self.with(|s| s.let_go(key))
    }

    /// The run that holds `key`'s attempt now (`pid 4242`), when another run that is alive is
    /// sending it.
    pub fn holder(&self, key: &str) -> Result<Option<String>, LedgerError> {
        self.with(|s| s.holder(key))
    }

    /// The asset names of `group` that other runs that are alive are sending now: an asset of
    /// such a name may be theirs.
    pub(crate) fn names_sending(
        &self,
        group: &str,
    ) -> Result<std::collections::HashSet<String>, LedgerError> {
        self.with(|s| s.names_sending(group))
    }

    /// The sha256 last read of the file at `path`, when it is unchanged since (its
    /// [`stamp`] is the same).
    pub(crate) fn hash_of(&self, path: &Path, stamp: &str) -> Result<Option<String>, LedgerError> {
        self.with(|s| s.hash_of(&path.to_string_lossy(), stamp))
    }

    /// Keeps the content of files just read (`path`, its [`stamp`] before reading, sha256).
    pub(crate) fn keep_hashes(
        &self,
        read: &[(PathBuf, String, String)],
    ) -> Result<(), LedgerError> {
        let rows: Vec<(String, String, String)> = read
            .iter()
            .map(|(p, stamp, sha)| (p.to_string_lossy().into_owned(), stamp.clone(), sha.clone()))
            .collect();
        self.with(|s| s.keep_hashes(&rows))
    }

    /// Counts one more failure of the asset made for `key` (it ended Failed), with why.
    pub(crate) fn failed_again(&self, key: &str, why: &str) -> Result<(), LedgerError> {
        self.with(|s| s.failed_again(key, why))
    }

    /// How often the assets made for `key` ended Failed, and the last reason.
    pub fn failures(&self, key: &str) -> Result<Option<(u32, String)>, LedgerError> {
        self.with(|s| s.failures(key))
    }

    /// How many entries are pending (an attempt whose outcome is not known), created and
    /// failed.
    /// Keeps the rate a minute learned for `action` under `ceiling` (the next run starts there).
    pub(crate) fn keep_rate(
        &self,
        action: &str,
        ceiling: f64,
        per_minute: f64,
    ) -> Result<(), LedgerError> {
        self.with(|s| s.keep_rate(action, ceiling, per_minute))
    }

    /// The rates kept: action, ceiling and rate a minute.
    pub fn rates(&self) -> Result<Vec<(String, f64, f64)>, LedgerError> {
        self.with(Store::rates)
    }

    pub(crate) fn counts(&self) -> Result<[usize; 3], LedgerError> {
        self.with(Store::counts)
    }

    /// Created entries whose uploaded object was not deleted yet.
    pub(crate) fn uncleaned(&self) -> Result<Vec<Entry>, LedgerError> {
        self.with(Store::uncleaned)
    }

    /// The Created entries of `group` (all groups when `None`), oldest first.
    pub(crate) fn created_in(&self, group: Option<&str>) -> Result<Vec<Entry>, LedgerError> {
        self.with(|s| s.created_in(group))
    }

    /// Every group (label) attempts were made under, with the first attempt's time.
    pub fn groups(&self) -> Result<Vec<(String, DateTime<Utc>)>, LedgerError> {
        self.with(Store::groups)
    }
}

/// What tells a file unchanged without reading it: device, inode, size, and modification and
/// change times to the nanosecond (a rewrite that keeps the size and the modification time
/// still moves the change time). `None` where the system gives no such stamp.
pub(crate) fn stamp(meta: &std::fs::Metadata) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(format!(
            "{}:{}:{}:{}.{:09}:{}.{:09}",
            meta.dev(),
            meta.ino(),
            meta.size(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec()
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The label assets are filed under when the global dialect has no groups yet.
pub(crate) const DEFAULT_LABEL: &str = "default";

/// The global dialect's stand-in for groups: the labels assets were created under (at least
/// [`DEFAULT_LABEL`]), oldest first.
pub fn groups(ledger: &Ledger) -> Result<Vec<AssetGroup>, LedgerError> {
    let mut labels = ledger.groups()?;
    if labels.is_empty() {
        labels.push((DEFAULT_LABEL.to_owned(), Utc::now()));
    }
    Ok(labels
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
        .collect())
}

/// Why the ledger's assets could not be read back.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReadBack {
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The service failed.
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// The assets the ledger created under `label` (all labels when `None`), read back with
/// GetAsset, newest first; assets deleted since are left out.
pub async fn assets(
    api: &dyn AssetsApi,
    ledger: &Ledger,
    label: Option<&str>,
) -> Result<Vec<Asset>, ReadBack> {
    let mut assets = Vec::new();
    for e in ledger.created_in(label)? {
        let Some(id) = &e.id else { continue };
        match api.get_asset(id).await {
            Ok(mut a) => {
                a.group_id = e.group.clone();
                assets.push(a);
            }
            Err(err) if err.is_not_found() => {}
            Err(err) => return Err(err.into()),
        }
    }
    assets.sort_by_key(|a| std::cmp::Reverse(a.create_time));
    Ok(assets)
}

/// A ledger key for a single create (CLI command, TUI dialog).
pub(crate) fn one_off_key(source: &str) -> String {
    use rand::Rng;
    format!(
        "{source}:{}:{:08x}",
        Utc::now().format("%Y%m%dT%H%M%S%.f"),
        rand::rng().random::<u32>()
    )
}
/// How a time is stored: RFC 3339, UTC, microseconds (sorts as text).
pub(super) fn stored_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
