//! What other runs are doing: the ledger's Pending rows held by runs that are alive (another
//! process, or another handle of this one), by name, key and asset.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::owner;
use super::store::Store;

impl Store {
    pub(crate) fn sending(
        &mut self,
        group: &str,
        name: &str,
        key: &str,
    ) -> rusqlite::Result<usize> {
        let now = owner::now_ms();
        let holders: Vec<(Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT owner, lease_until FROM entries
                 WHERE grp = ?1 AND name = ?2 AND key != ?3 AND state = 'pending'",
            )?
            .query_map(params![group, name, key], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(self.live_others(holders, now).count())
    }

    pub(crate) fn holder_of(&mut self, id: &str) -> rusqlite::Result<Option<String>> {
        let now = owner::now_ms();
        let holders: Vec<(Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT owner, lease_until FROM entries
                 WHERE state = 'pending' AND (id = ?1 OR key = 'retry:' || ?1)",
            )?
            .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(self
            .live_others(holders, now)
            .next()
            .map(|holder| owner::shown(&holder)))
    }

    /// The holders of Pending rows (with their leases) that are other runs, alive at `now`.
    fn live_others(
        &self,
        holders: Vec<(Option<String>, Option<i64>)>,
        now: i64,
    ) -> impl Iterator<Item = String> + '_ {
        holders.into_iter().filter_map(move |(holder, lease)| {
            let holder = holder.unwrap_or_default();
            let other = holder != self.owner.name;
            (other && self.owner.alive(&holder, lease.unwrap_or(0), now)).then_some(holder)
        })
    }

    /// Who holds `key`'s attempt, when it is Pending and held by another run that is alive.
    pub(crate) fn holder(&mut self, key: &str) -> rusqlite::Result<Option<String>> {
        let row: Option<(Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT owner, lease_until FROM entries WHERE key = ?1 AND state = 'pending'",
            )?
            .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let now = owner::now_ms();
        Ok(row.and_then(|(holder, lease)| {
            let holder = holder.unwrap_or_default();
            let live =
                holder != self.owner.name && self.owner.alive(&holder, lease.unwrap_or(0), now);
            live.then(|| owner::shown(&holder))
        }))
    }

    /// The names in `group` that other runs that are alive are sending now.
    pub(crate) fn names_sending(&mut self, group: &str) -> rusqlite::Result<HashSet<String>> {
        let rows: Vec<(String, Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT name, owner, lease_until FROM entries WHERE grp = ?1 AND state = 'pending'",
            )?
            .query_map([group], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let now = owner::now_ms();
        Ok(rows
            .into_iter()
            .filter(|(_, holder, lease)| {
                let holder = holder.as_deref().unwrap_or_default();
                holder != self.owner.name && self.owner.alive(holder, lease.unwrap_or(0), now)
            })
            .map(|(name, ..)| name)
            .collect())
    }
}
