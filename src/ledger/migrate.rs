//! The ledger of earlier versions: JSON lines, one per attempt and outcome, beside the
//! database (`<name>.jsonl`). Imported on the first open in one transaction (the current entry
//! of each key; a torn last line from a crash is left out), then kept as
//! `<name>.jsonl.migrated`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::Entry;

/// Imports the JSON-lines ledger at `jsonl`, when there is one; returns the entries imported.
pub(super) fn from_jsonl(conn: &mut Connection, jsonl: &Path) -> rusqlite::Result<usize> {
    if !jsonl.exists() {
        return Ok(0);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another run may have imported it while this one waited for the write lock.
    let Ok(file) = crate::files::open(jsonl) else {
        return Ok(0);
    };
    let mut current: BTreeMap<String, Entry> = BTreeMap::new();
    for line in std::io::BufReader::new(file).lines() {
        let Ok(line) = line else { break };
        if let Ok(entry) = serde_json::from_str::<Entry>(&line) {
            current.insert(entry.key.clone(), entry);
        }
    }
    for entry in current.values() {
        super::store::insert_missing(&tx, entry)?;
    }
    tx.commit()?;
    let mut kept = jsonl.as_os_str().to_owned();
    kept.push(".migrated");
    if let Err(e) = std::fs::rename(jsonl, &kept) {
        tracing::warn!(%e, "the imported JSON-lines ledger could not be renamed");
    }
    tracing::info!(entries = current.len(), "imported the JSON-lines ledger");
    Ok(current.len())
}
