//! Holds: one live run at a time does what a look-up and a create together must do once
//! (creating the group of a name). A hold is a row of `holds` (its key, the run, a lease renewed
//! with the run's attempts), taken in one transaction and removed when it is let go; a hold of
//! a run that ended (its lock file not held, or its lease run out, see [`super::owner`]) is
//! taken over.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::owner;
use super::store::Store;

impl Store {
    /// Takes the hold on `key` for this run: `None` when taken, else the run that holds it
    /// (shown as `pid 4242`): another that is alive, or this one (another task of it).
    pub(super) fn hold(&mut self, key: &str) -> rusqlite::Result<Option<String>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<(String, i64)> = tx
            .prepare_cached("SELECT owner, lease_until FROM holds WHERE key = ?1")?
            .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        if let Some((holder, lease)) = current
            && (holder == self.owner.name || self.owner.alive(&holder, lease, owner::now_ms()))
        {
            return Ok(Some(owner::shown(&holder)));
        }
        tx.prepare_cached(
            "INSERT INTO holds (key, owner, lease_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET owner = ?2, lease_until = ?3",
        )?
        .execute(params![key, self.owner.name, owner::lease_end()])?;
        tx.commit()?;
        self.renew_leases();
        Ok(None)
    }

    /// Lets go of this run's hold on `key`.
    pub(super) fn let_go(&mut self, key: &str) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached("DELETE FROM holds WHERE key = ?1 AND owner = ?2")?
            .execute(params![key, self.owner.name])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_is_one_runs_until_it_lets_go_or_ends() {
        let dir = std::env::temp_dir().join(format!(
            "ark-holds-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let db = dir.join("l.sqlite");
        let (mut a, mut b) = (Store::open(&db).unwrap(), Store::open(&db).unwrap());
        assert_eq!(a.hold("group:Refs").unwrap(), None);
        let shown = owner::shown(&a.owner.name);
        assert_eq!(b.hold("group:Refs").unwrap(), Some(shown.clone()));
        assert_eq!(
            a.hold("group:Refs").unwrap(),
            Some(shown),
            "another task of a"
        );
        assert_eq!(b.hold("group:Cast").unwrap(), None, "another name");
        a.let_go("group:Refs").unwrap();
        assert_eq!(b.hold("group:Refs").unwrap(), None);
        // A run that ends holding it (its lock file no longer held) leaves it to the next.
        drop(b);
        assert_eq!(a.hold("group:Cast").unwrap(), None);
        drop(a);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
