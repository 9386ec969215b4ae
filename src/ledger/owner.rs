//! Which run holds an attempt, and whether that run is alive.
//!
//! A run (a process using the ledger) is named `pid-<pid>-<random>`. While it lives it holds an
//! exclusive lock on `<ledger>.owners/<name>.lock`; the system releases the lock when the
//! process ends however it ends (`kill -9` included), so another run knows at once that a
//! Pending attempt was abandoned. Where the lock cannot tell (the file is gone, or locks are
//! not shared, as on some network file systems), the attempt's lease decides: the run renews
//! it every [`LEASE`]/3 while it works, so a lease that ran out belongs to a run that stopped.
//! The lock file's time is touched with every lease given, and a file is removed only when it
//! is not locked and older than a lease: by then the leases it stood for have run out too.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a Pending attempt is held by its run without being renewed.
pub const LEASE: Duration = Duration::from_secs(60);

/// Lock files of other runs looked at, at most, when stale ones are removed.
const MAX_PRUNED: usize = 1_000;

/// This process as the holder of attempts.
pub(super) struct Owner {
    /// Its name in the ledger.
    pub name: String,
    dir: PathBuf,
    /// Held (locked) for the process's life; the lock is the proof it is alive. The file is
    /// left when the run ends, unlocked: the next run to start removes it.
    _lock: File,
}

/// How a run is shown: `pid 4242`.
pub(super) fn shown(owner: &str) -> String {
    match owner.split('-').nth(1) {
        Some(pid) if owner.starts_with("pid-") => format!("pid {pid}"),
        _ => owner.to_owned(),
    }
}

impl Owner {
    /// This process, as an owner of attempts in the ledger at `db`: its lock file made and
    /// locked, the lock files of runs that ended removed.
    pub(super) fn new(db: &Path) -> std::io::Result<Owner> {
        let mut dir = db.as_os_str().to_owned();
        dir.push(".owners");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir)?;
        let name = format!("pid-{}-{:08x}", std::process::id(), rand::random::<u32>());
        let path = dir.join(format!("{name}.lock"));
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let lock = options.open(&path)?;
        lock.try_lock().map_err(std::io::Error::other)?;
        let owner = Owner {
            name,
            dir,
            _lock: lock,
        };
        owner.prune();
        Ok(owner)
    }

    /// Where this run's lock file is (its time is touched when a lease is given).
    pub(crate) fn lock_file(&self) -> PathBuf {
        self.lock_path(&self.name)
    }

    fn lock_path(&self, owner: &str) -> PathBuf {
        // A name from the database names a file only as a plain file name.
        let safe: String = owner
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.dir.join(format!("{safe}.lock"))
    }

    /// Whether the run `other` is alive: its lock is held, or (where the lock cannot tell) its
    /// lease, which ends at `lease_until` (Unix ms), has not run out by `now_ms`.
    pub(crate) fn alive(&self, other: &str, lease_until: i64, now_ms: i64) -> bool {
        match File::open(self.lock_path(other)) {
            Ok(file) => match file.try_lock_shared() {
                Ok(()) => false,
                Err(std::fs::TryLockError::WouldBlock) => true,
                Err(std::fs::TryLockError::Error(_)) => lease_until > now_ms,
            },
            Err(_) => lease_until > now_ms,
        }
    }

    /// Removes the lock files no run holds any more whose leases have run out.
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten().take(MAX_PRUNED) {
            let path = entry.path();
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > LEASE));
            let stale = old && File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
            if stale && path != self.lock_file() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Marks the lock file at `path` with the time a lease was given.
pub(crate) fn touch(path: &Path) {
    if let Ok(file) = std::fs::OpenOptions::new().write(true).open(path) {
        let _ = file.set_modified(std::time::SystemTime::now());
    }
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// When a lease taken now ends, in Unix ms.
pub(crate) fn lease_end() -> i64 {
    now_ms() + i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX)
}

/// How often a run renews the leases of its Pending attempts.
pub(crate) const RENEW_EVERY: Duration = Duration::from_secs(LEASE.as_secs() / 3);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_alive_while_its_lock_is_held() {
        let dir = std::env::temp_dir().join(format!("ark-owner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("l.sqlite");
        let a = Owner::new(&db).unwrap();
        let b = Owner::new(&db).unwrap();
        let past = now_ms() - 1;
        assert!(
            b.alive(&a.name, past, now_ms()),
            "the lock says so, whatever the lease"
        );
        let gone = a.name.clone();
        drop(a);
        assert!(
            !b.alive(&gone, lease_end(), now_ms()),
            "its lock file is not held"
        );
        // A run whose lock file is not here (another machine): its lease decides.
        assert!(b.alive("pid-1-elsewhere", lease_end(), now_ms()));
        assert!(!b.alive("pid-1-elsewhere", now_ms() - 1, now_ms()));
        // The next run removes the files of runs that ended once their leases ran out.
        let c = Owner::new(&db).unwrap();
        assert!(b.lock_path(&gone).exists(), "its leases may still run");
        let old = std::time::SystemTime::now() - LEASE * 2;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(b.lock_path(&gone))
            .unwrap();
        file.set_modified(old).unwrap();
        drop(c);
        let d = Owner::new(&db).unwrap();
        assert!(!b.lock_path(&gone).exists());
        assert!(b.lock_file().exists(), "a live run's file stays");
        drop(d);
        assert_eq!(shown(&b.name), format!("pid {}", std::process::id()));
        drop(b);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
