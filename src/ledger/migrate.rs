//! The ledger of earlier versions: JSON lines, one per attempt and outcome, beside the
//! database (`<name>.jsonl`). Imported on the first open in one transaction (the current entry
//! of each key read; entries the database has already are left as they are), then kept as
//! `<name>.jsonl.migrated`.
//!
//! Lines are read as bytes, so a line that is not UTF-8, or not an entry, is skipped alone and
//! named by its number; the lines after it are read all the same. A torn last line (a crash in
//! the middle of a write) is expected and costs nothing; any other line skipped keeps the file
//! under its name, read again at the next opening (adding only what the database lacks), so
//! what it held is never lost, and a warning says which lines.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior, params};

use super::{Entry, stored_time};

/// Line numbers a warning lists, at most.
const LINES_SHOWN: usize = 20;

/// What importing a JSON-lines ledger found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The JSON-lines file.
    pub jsonl: PathBuf,
    /// Entries imported: the current one of each key read.
    pub entries: usize,
    /// The 1-based numbers of the lines that could not be read (not UTF-8, or not an entry).
    pub skipped: Vec<usize>,
    /// Where reading stopped, when the file could not be read to its end.
    pub stopped: Option<String>,
    /// Whether the file was kept under its name (something besides a torn last line was not
    /// read), to be imported again at the next opening.
    pub kept: bool,
}

impl Migration {
    /// What to tell the user when the file was kept; `None` when it was imported whole.
    pub fn warning(&self) -> Option<String> {
        if !self.kept {
            return None;
        }
        let mut lines: Vec<String> = (self.skipped.iter().take(LINES_SHOWN))
            .map(ToString::to_string)
            .collect();
        if self.skipped.len() > LINES_SHOWN {
            lines.push(format!("and {} more", self.skipped.len() - LINES_SHOWN));
        }
        let mut not_read = Vec::new();
        if !self.skipped.is_empty() {
            let noun = if self.skipped.len() == 1 {
                "line"
            } else {
                "lines"
            };
            not_read.push(format!(
                "{} {noun} could not be read ({noun} {})",
                self.skipped.len(),
                lines.join(", ")
            ));
        }
        not_read.extend(self.stopped.iter().cloned());
        Some(format!(
            "the ledger of an earlier version, {}: {}; {} entries were imported. It is kept \
             under its name and imported again at each opening (adding only what the ledger \
             lacks): mend or remove those lines and it is put aside as .migrated",
            self.jsonl.display(),
            not_read.join("; "),
            self.entries
        ))
    }
}

/// The entries of a JSON-lines ledger, the current one of each key, and what could not be
/// read.
fn read(jsonl: &Path, file: std::fs::File) -> (BTreeMap<String, Entry>, Migration) {
    let mut current: BTreeMap<String, Entry> = BTreeMap::new();
    let mut migration = Migration {
        jsonl: jsonl.to_owned(),
        entries: 0,
        skipped: Vec::new(),
        stopped: None,
        kept: false,
    };
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    let (mut number, mut torn) = (0, false);
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => number += 1,
            Err(e) => {
                migration.stopped = Some(format!("it could not be read after line {number}: {e}"));
                break;
            }
        }
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Entry>(&line) {
            Ok(entry) => {
                current.insert(entry.key.clone(), entry);
            }
            Err(_) => {
                migration.skipped.push(number);
                torn = !line.ends_with(b"\n");
            }
        }
    }
    let only_torn = migration.skipped.is_empty() || (migration.skipped == [number] && torn);
    migration.kept = !only_torn || migration.stopped.is_some();
    migration.entries = current.len();
    (current, migration)
}

/// Imports the JSON-lines ledger at `jsonl`, when there is one; what it found.
pub(super) fn from_jsonl(
    conn: &mut Connection,
    jsonl: &Path,
) -> rusqlite::Result<Option<Migration>> {
    if !jsonl.exists() {
        return Ok(None);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another run may have imported it while this one waited for the write lock.
    let Ok(file) = crate::files::open(jsonl) else {
        return Ok(None);
    };
    let (current, migration) = read(jsonl, file);
    for entry in current.values() {
        insert_missing(&tx, entry)?;
    }
    tx.commit()?;
    if let Some(warning) = migration.warning() {
        tracing::warn!(
            file = %jsonl.display(),
            skipped = migration.skipped.len(),
            "{warning}"
        );
        return Ok(Some(migration));
    }
    let mut kept = jsonl.as_os_str().to_owned();
    kept.push(".migrated");
    if let Err(e) = std::fs::rename(jsonl, &kept) {
        tracing::warn!(%e, "the imported JSON-lines ledger could not be renamed");
    }
    tracing::info!(
        entries = migration.entries,
        torn = migration.skipped.len(),
        "imported the JSON-lines ledger"
    );
    Ok(Some(migration))
}
/// Inserts `e` unless its key has a row (a migration adds what the database lacks).
fn insert_missing(conn: &Connection, e: &Entry) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO entries
            (key, grp, name, url, state, id, error, at, object, cleaned, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        e.sha256
    ])?;
    Ok(())
}
