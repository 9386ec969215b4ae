//! The ledger's table and its statements: one row per intended asset (its key), indexed by
//! asset id, by group and name, by content hash and by uploaded object.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::migrate::Migration;
use super::owner::{self, Owner};
use super::{Begin, Entry, EntryState, LedgerError, stored_time};

/// The tables and their indexes (`user_version` 1): `entries`, one row per intended asset, and
/// `hashes`, the content of local files as last read, by path and stamp (device, inode, size,
/// times), so that an unchanged file is not read again; `failures`, how often the asset made
/// for a key ended Failed, `holds`, which run holds a key now (holds.rs), and `rates`, the
/// request rate a minute learned for each action of the account with the ceiling it was
/// learned under (tables of their own, so that a database an earlier version made gains them
/// without a migration).
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    key         TEXT PRIMARY KEY,
    grp         TEXT NOT NULL,
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'created', 'failed')),
    id          TEXT,
    error       TEXT,
    at          TEXT NOT NULL,
    object      TEXT,
    cleaned     INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT,
    owner       TEXT,
    lease_until INTEGER
);
CREATE INDEX IF NOT EXISTS entries_by_id ON entries (id) WHERE id IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_by_name ON entries (grp, name);
CREATE INDEX IF NOT EXISTS entries_by_content ON entries (grp, sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_uncleaned ON entries (object)
    WHERE object IS NOT NULL AND cleaned = 0;
CREATE TABLE IF NOT EXISTS hashes (
    path        TEXT PRIMARY KEY,
    stamp       TEXT NOT NULL,
    sha256      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    key         TEXT PRIMARY KEY,
    count       INTEGER NOT NULL,
    last        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS holds (key TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rates (
    action      TEXT PRIMARY KEY,
    ceiling     REAL NOT NULL,
    per_minute  REAL NOT NULL,
    at          TEXT NOT NULL
);
PRAGMA user_version = 1;
";

/// The columns an [`Entry`] is read from, in [`entry`]'s order.
const COLUMNS: &str = "key, grp, name, url, state, id, error, at, object, cleaned, sha256";

/// The open database, this process as its owner of attempts, and the keys this process is
/// sending now.
pub(super) struct Store {
    pub(super) conn: Connection,
    path: PathBuf,
    pub(super) owner: Owner,
    /// Keys of attempts under way in this process: its own Pending rows that are not
    /// abandoned.
    in_flight: HashSet<String>,
    /// Set when the lease renewer is started; cleared to stop it.
    renewing: Option<Arc<AtomicBool>>,
    /// What importing a JSON-lines ledger found at the opening, when there was one.
    pub migration: Option<Migration>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(run) = &self.renewing {
            run.store(false, Ordering::Relaxed);
        }
    }
}

/// The longest wait for another run's hold on the database.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `e` says another connection holds the database for now.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// An entry from a row of [`COLUMNS`].
fn entry(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let state: String = row.get(4)?;
    let at: String = row.get(7)?;
    let bad = |column: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
    };
    Ok(Entry {
        key: row.get(0)?,
        group: row.get(1)?,
        name: row.get(2)?,
        url: row.get(3)?,
        state: EntryState::parse(&state).ok_or_else(|| bad(4, format!("state {state:?}")))?,
        id: row.get(5)?,
        error: row.get(6)?,
        at: DateTime::parse_from_rfc3339(&at)
            .map_err(|e| bad(7, format!("time {at:?}: {e}")))?
            .with_timezone(&Utc),
        object: row.get(8)?,
        cleaned: row.get(9)?,
        sha256: row.get(10)?,
    })
}

/// Makes the database file readable by its owner only before SQLite creates it (its WAL and
/// shared-memory files take the database's mode).
fn create_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

impl Store {
    /// Opens (or makes) the database at `path`: schema, settings, and a ledger of JSON lines
    /// left by an earlier version imported.
    pub(super) fn open(path: &Path) -> Result<Store, LedgerError> {
        let fail = |what: String| LedgerError {
            path: path.to_owned(),
            what,
        };
        create_private(path).map_err(|e| fail(format!("cannot be made: {e}")))?;
        let mut conn = Connection::open(path).map_err(|e| fail(e.to_string()))?;
        let setup = |conn: &mut Connection| -> rusqlite::Result<Option<Migration>> {
            // Another run may hold the write lock for a moment: wait for it, boundedly.
            conn.busy_timeout(BUSY_WAIT)?;
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.pragma_update(None, "journal_mode", "WAL")?;
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.execute_batch(SCHEMA)?;
            super::migrate::from_jsonl(conn, &path.with_extension("jsonl"))
        };
        // Two runs opening one new database at once meet where SQLite does not wait for the
        // other (changing the journal mode, recovering the WAL index): try again, boundedly.
        let started = std::time::Instant::now();
        let migration = loop {
            match setup(&mut conn) {
                Ok(migration) => break migration,
                Err(e) if is_busy(&e) && started.elapsed() < BUSY_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(fail(e.to_string())),
            }
        };
        let owner = Owner::new(path).map_err(|e| fail(format!("cannot lock its runs: {e}")))?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            owner,
            in_flight: HashSet::new(),
            renewing: None,
            migration,
        })
    }

    pub(super) fn get(&mut self, key: &str) -> rusqlite::Result<Option<Entry>> {
        self.conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM entries WHERE key = ?1"))?
            .query_row([key], entry)
            .optional()
    }

    pub(super) fn record(&mut self, e: &Entry) -> rusqlite::Result<()> {
        write(&self.conn, e, &self.owner.name)?;
        if e.state == EntryState::Pending {
            self.in_flight.insert(e.key.clone());
            self.renew_leases();
        } else {
            self.in_flight.remove(&e.key);
        }
        Ok(())
    }

    pub(super) fn begin(&mut self, e: &Entry) -> rusqlite::Result<Begin> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS}, owner, lease_until FROM entries WHERE key = ?1"
            ))?
            .query_row([&e.key], |row| {
                Ok((
                    entry(row)?,
                    row.get::<_, Option<String>>(11)?,
                    row.get::<_, Option<i64>>(12)?,
                ))
            })
            .optional()?;
        let begun = match current {
            Some((found, _, _)) if found.state == EntryState::Created && found.id.is_some() => {
                Begin::Created(found)
            }
            Some((found, holder, lease)) if found.state == EntryState::Pending => {
                let holder = holder.unwrap_or_default();
                let busy = if holder == self.owner.name {
                    self.in_flight.contains(&e.key)
                } else {
                    self.owner
                        .alive(&holder, lease.unwrap_or(0), owner::now_ms())
                };
                if busy {
                    Begin::Busy {
                        owner: owner::shown(&holder),
                    }
                } else {
                    // Taken over as it is: its start time bounds the look-up that follows.
                    write(&tx, &found, &self.owner.name)?;
                    Begin::Abandoned(found)
                }
            }
            _ => {
                write(&tx, e, &self.owner.name)?;
                Begin::Fresh
            }
        };
        tx.commit()?;
        if matches!(begun, Begin::Abandoned(_) | Begin::Fresh) {
            self.in_flight.insert(e.key.clone());
            self.renew_leases();
        }
        Ok(begun)
    }

    /// The attempt at `key` is no longer under way in this process (it ended without an
    /// outcome: its Pending row is left for a later look-up).
    pub(super) fn release(&mut self, key: &str) {
        self.in_flight.remove(key);
    }

    pub(super) fn claim(
        &mut self,
        e: &Entry,
        candidates: &[String],
    ) -> rusqlite::Result<Option<String>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut found = None;
        {
            let mut owned =
                tx.prepare_cached("SELECT 1 FROM entries WHERE id = ?1 AND key != ?2 LIMIT 1")?;
            for id in candidates {
                if !owned.exists(params![id, e.key])? {
                    found = Some(id.clone());
                    break;
                }
            }
        }
        if let Some(id) = &found {
            let created = Entry {
                state: EntryState::Created,
                id: Some(id.clone()),
                error: None,
                ..e.clone()
            };
            write(&tx, &created, &self.owner.name)?;
        }
        tx.commit()?;
        if found.is_some() {
            self.in_flight.remove(&e.key);
        }
        Ok(found)
    }

    pub(super) fn created(&mut self, id: &str) -> rusqlite::Result<Option<Entry>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM entries WHERE id = ?1 AND state = 'created' LIMIT 1"
            ))?
            .query_row([id], entry)
            .optional()
    }

    /// Records `e` (Created, with its id) as the one entry of its asset: any other entry that
    /// named the asset gives it up (Failed, without an id), in one transaction.
    pub(crate) fn take_over(&mut self, e: &Entry) -> rusqlite::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(
            "UPDATE entries SET state = 'failed', id = NULL, owner = NULL, lease_until = NULL,
                error = 'its asset was matched by name to other content'
             WHERE id = ?1 AND key != ?2",
        )?
        .execute(params![e.id, e.key])?;
        write(&tx, e, &self.owner.name)?;
        tx.commit()?;
        self.in_flight.remove(&e.key);
        Ok(())
    }

    /// Whether any entry, in any state, names asset `id`.
    pub(crate) fn knows(&mut self, id: &str) -> rusqlite::Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM entries WHERE id = ?1 LIMIT 1")?
            .exists([id])
    }

    /// Keeps the rate learned for `action` (per minute) under the `ceiling` configured when it
    /// was learned.
    pub(crate) fn keep_rate(
        &mut self,
        action: &str,
        ceiling: f64,
        per_minute: f64,
    ) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO rates (action, ceiling, per_minute, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (action) DO UPDATE SET ceiling = ?2, per_minute = ?3, at = ?4",
            )?
            .execute(params![
                action,
                ceiling,
                per_minute,
                stored_time(Utc::now())
            ])?;
        Ok(())
    }

    /// The rates learned: action, the ceiling configured then, per minute.
    pub(crate) fn rates(&mut self) -> rusqlite::Result<Vec<(String, f64, f64)>> {
        self.conn
            .prepare_cached("SELECT action, ceiling, per_minute FROM rates")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect()
    }

    /// Entries by state: pending, created, failed.
    pub(crate) fn counts(&mut self) -> rusqlite::Result<[usize; 3]> {
        let mut counts = [0; 3];
        for (i, state) in ["pending", "created", "failed"].iter().enumerate() {
            let count: i64 = self
                .conn
                .prepare_cached("SELECT COUNT(*) FROM entries WHERE state = ?1")?
                .query_row([state], |row| row.get(0))?;
            counts[i] = usize::try_from(count).unwrap_or(0);
        }
        Ok(counts)
    }

    pub(crate) fn uncleaned(&mut self) -> rusqlite::Result<Vec<Entry>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM entries
                 WHERE object IS NOT NULL AND cleaned = 0 AND state = 'created'"
            ))?
            .query_map([], entry)?
            .collect()
    }

    pub(crate) fn created_in(&mut self, group: Option<&str>) -> rusqlite::Result<Vec<Entry>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM entries
                 WHERE state = 'created' AND (?1 IS NULL OR grp = ?1) ORDER BY at"
            ))?
            .query_map([group], entry)?
            .collect()
    }

    pub(super) fn groups(&mut self) -> rusqlite::Result<Vec<(String, DateTime<Utc>)>> {
        let rows: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT grp, MIN(at) AS first FROM entries GROUP BY grp ORDER BY first",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(group, at)| {
                let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
                Some((group, at))
            })
            .collect())
    }

    /// Keeps this run's Pending attempts and holds held while it lives: a thread with its own
    /// connection renews their leases every [`owner::RENEW_EVERY`] (started with the first);
    /// the lock file's time follows each lease given.
    pub(super) fn renew_leases(&mut self) {
        owner::touch(&self.owner.lock_file());
        if self.renewing.is_some() {
            return;
        }
        let lock_file = self.owner.lock_file();
        let run = Arc::new(AtomicBool::new(true));
        self.renewing = Some(run.clone());
        let (path, name) = (self.path.clone(), self.owner.name.clone());
        std::thread::spawn(move || {
            let Ok(conn) = Connection::open(&path) else {
                return;
            };
            let _ = conn.busy_timeout(BUSY_WAIT);
            let step = std::time::Duration::from_millis(200);
            let mut waited = std::time::Duration::ZERO;
            while run.load(Ordering::Relaxed) {
                std::thread::sleep(step);
                waited += step;
                if waited < owner::RENEW_EVERY {
                    continue;
                }
                waited = std::time::Duration::ZERO;
                let renewed = conn.execute(
                    "UPDATE entries SET lease_until = ?1 WHERE owner = ?2 AND state = 'pending'",
                    params![owner::lease_end(), name],
                );
                let renewed = renewed.and_then(|_| {
                    let holds = "UPDATE holds SET lease_until = ?1 WHERE owner = ?2";
                    conn.execute(holds, params![owner::lease_end(), name])
                });
                if let Err(e) = renewed {
                    tracing::warn!(%e, "could not renew the ledger's leases");
                }
                owner::touch(&lock_file);
            }
        });
    }
}

/// Writes `e` as its key's row; a Pending row is held by `holder` for a lease.
fn write(conn: &Connection, e: &Entry, holder: &str) -> rusqlite::Result<()> {
    let (holder, lease) = match e.state {
        EntryState::Pending => (Some(holder), Some(owner::lease_end())),
        EntryState::Created | EntryState::Failed => (None, None),
    };
    conn.prepare_cached(
        "INSERT INTO entries
            (key, grp, name, url, state, id, error, at, object, cleaned, sha256, owner, lease_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (key) DO UPDATE SET
            grp = excluded.grp, name = excluded.name, url = excluded.url,
            state = excluded.state, id = excluded.id, error = excluded.error, at = excluded.at,
            object = excluded.object, cleaned = excluded.cleaned, sha256 = excluded.sha256,
            owner = excluded.owner, lease_until = excluded.lease_until",
    )?
    .execute(params![
        e.key,
        e.group,
        e.name,
        e.url,
        e.state.name(),
        e.id,
        e.error,
        stored_time(e.at),
        e.object,
        e.cleaned,
        e.sha256,
        holder,
        lease
    ])?;
    Ok(())
}
