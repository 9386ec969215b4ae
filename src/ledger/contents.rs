//! What the ledger knows of contents: the assets of a content (several when a group holds
//! copies of one file) and whether an asset is known by its content; the hash of each local
//! file as last read (by path and stamp, so an unchanged file is not read again), and how
//! often the assets made for a content ended Failed.

use rusqlite::{OptionalExtension, params};

use super::store::Store;

impl Store {
    /// The assets created of (or learned as) content `sha256` in `group`, oldest first.
    pub(crate) fn assets_of_content(
        &mut self,
        group: &str,
        sha256: &str,
    ) -> rusqlite::Result<Vec<String>> {
        self.conn
            .prepare_cached(
                "SELECT id FROM entries WHERE grp = ?1 AND sha256 = ?2 AND state = 'created'
                 AND id IS NOT NULL ORDER BY at",
            )?
            .query_map([group, sha256], |row| row.get(0))?
            .collect()
    }

    /// Whether an entry names asset `id` with the content (sha256) it was made of.
    pub(crate) fn knows_content(&mut self, id: &str) -> rusqlite::Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM entries WHERE id = ?1 AND sha256 IS NOT NULL LIMIT 1")?
            .exists([id])
    }

    /// The sha256 last read of the file at `path`, when its stamp is still `stamp`.
    pub(crate) fn hash_of(&mut self, path: &str, stamp: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT sha256 FROM hashes WHERE path = ?1 AND stamp = ?2")?
            .query_row([path, stamp], |row| row.get(0))
            .optional()
    }

    /// Keeps `(path, stamp, sha256)` of files just read, in one transaction.
    pub(crate) fn keep_hashes(
        &mut self,
        read: &[(String, String, String)],
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO hashes (path, stamp, sha256) VALUES (?1, ?2, ?3)
                 ON CONFLICT (path) DO UPDATE SET stamp = excluded.stamp, sha256 = excluded.sha256",
            )?;
            for (path, stamp, sha256) in read {
                put.execute(params![path, stamp, sha256])?;
            }
        }
        tx.commit()
    }

    /// Counts one more failure of the asset made for `key`, with why.
    pub(crate) fn failed_again(&mut self, key: &str, why: &str) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO failures (key, count, last) VALUES (?1, 1, ?2)
                 ON CONFLICT (key) DO UPDATE SET count = count + 1, last = excluded.last",
            )?
            .execute(params![key, why])?;
        Ok(())
    }

    /// How often the asset made for `key` ended Failed, and the last reason.
    pub(crate) fn failures(&mut self, key: &str) -> rusqlite::Result<Option<(u32, String)>> {
        self.conn
            .prepare_cached("SELECT count, last FROM failures WHERE key = ?1")?
            .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
    }
}
