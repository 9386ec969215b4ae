//! The ledger as a database: what it keeps across runs, how runs at the same time share it
//! (claims held while a run lives, abandoned when it ends), the import of a JSON-lines ledger,
//! and its invariants under random sequences of runs and outcomes.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use ark_assets::ledger::{Begin, Entry, EntryState, Ledger};
use chrono::Utc;
use proptest::prelude::*;

/// A ledger's path in a folder of its own, removed with it.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.0.parent().unwrap());
    }
}

impl std::ops::Deref for Temp {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

fn temp(tag: &str) -> Temp {
    let dir = std::env::temp_dir().join(format!(
        "ark-ledger-{tag}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    Temp(dir.join("profile-0123456789abcdef.sqlite"))
}

fn entry(key: &str, name: &str, state: EntryState, id: Option<&str>) -> Entry {
    Entry {
        key: key.into(),
        group: "group-1".into(),
        name: name.into(),
        url: "https://x/a.png".into(),
        state,
        id: id.map(str::to_owned),
        error: None,
        at: Utc::now(),
        object: None,
        cleaned: false,
        sha256: None,
    }
}

#[test]
fn entries_survive_reopening_and_files_are_private() {
    let path = temp("reopen");
    let ledger = Ledger::open(&path).unwrap();
    ledger
        .record(&entry("a", "n", EntryState::Created, Some("asset-a")))
        .unwrap();
    ledger
        .record(&entry("b", "n", EntryState::Pending, None))
        .unwrap();
    drop(ledger);
    let again = Ledger::open(&path).unwrap();
    assert_eq!(
        again.get("a").unwrap().unwrap().id.as_deref(),
        Some("asset-a")
    );
    assert_eq!(again.get("b").unwrap().unwrap().state, EntryState::Pending);
    assert_eq!(
        again.created("asset-a").unwrap().unwrap().key,
        "a",
        "found by asset id"
    );
    use std::os::unix::fs::PermissionsExt;
    for file in std::fs::read_dir(path.parent().unwrap()).unwrap() {
        let meta = file.unwrap().metadata().unwrap();
        if meta.is_file() {
            assert_eq!(meta.permissions().mode() & 0o077, 0, "private");
        }
    }
}

#[test]
fn nothing_is_opened_until_it_is_used() {
    let path = temp("lazy");
    let ledger = Ledger::at(&path);
    assert!(!ledger.is_open());
    assert!(
        !path.exists(),
        "a command that does not need it makes nothing"
    );
    assert_eq!(ledger.get("x").unwrap(), None);
    assert!(ledger.is_open() && path.exists());
}

#[test]
fn a_json_lines_ledger_is_imported_once_with_its_torn_line_left_out() {
    let path = temp("migrate");
    let jsonl = path.with_extension("jsonl");
    let line = |e: &Entry| serde_json::to_string(e).unwrap() + "\n";
    let mut text = String::new();
    text.push_str(&line(&entry("a", "n", EntryState::Pending, None)));
    text.push_str(&line(&entry(
        "a",
        "n",
        EntryState::Created,
        Some("asset-a"),
    )));
    text.push_str(&line(&entry("b", "m", EntryState::Pending, None)));
    text.push_str("{\"key\":\"c\",\"gro");
    std::fs::write(&jsonl, text).unwrap();
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.get("a").unwrap().unwrap().state,
        EntryState::Created,
        "the last word on a key is kept"
    );
    assert_eq!(ledger.get("b").unwrap().unwrap().state, EntryState::Pending);
    assert_eq!(ledger.get("c").unwrap(), None);
    let migration = ledger.migration().expect("it was imported");
    assert_eq!(
        (migration.skipped.as_slice(), migration.kept),
        (&[4][..], false)
    );
    assert_eq!(migration.warning(), None, "a torn last line is expected");
    assert!(!jsonl.exists());
    let mut kept = jsonl.as_os_str().to_owned();
    kept.push(".migrated");
    assert!(PathBuf::from(kept).exists());
    // The imported Pending attempt belongs to no live run: it is looked up, not waited for.
    assert!(matches!(
        ledger
            .begin(&entry("b", "m", EntryState::Pending, None))
            .unwrap(),
        Begin::Abandoned(_)
    ));
}

/// The rows of the ledger's database.
fn rows(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_unreadable_line_is_skipped_alone_named_and_the_old_ledger_kept() {
    let path = temp("migrate-bad-line");
    let jsonl = path.with_extension("jsonl");
    let mut bytes = Vec::new();
    for i in 1..=2000 {
        if i == 1001 {
            bytes.extend_from_slice(b"{\"key\":\"k1001\",\"name\":\"\xff\xfe\"}\n");
            continue;
        }
        let e = entry(
            &format!("k{i}"),
            "n",
            EntryState::Created,
            Some(&format!("asset-{i}")),
        );
        bytes.extend_from_slice(serde_json::to_string(&e).unwrap().as_bytes());
        bytes.push(b'\n');
    }
    std::fs::write(&jsonl, &bytes).unwrap();
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(rows(&path), 1999, "every line but the bad one");
    assert_eq!(ledger.get("k1001").unwrap(), None);
    assert!(
        ledger.get("k2000").unwrap().is_some(),
        "lines after it are read"
    );
    let migration = ledger.migration().unwrap();
    assert_eq!(
        (migration.skipped.as_slice(), migration.kept),
        (&[1001][..], true)
    );
    let warning = migration.warning().unwrap();
    assert!(
        warning.contains("1 line could not be read (line 1001)")
            && warning.contains("1999 entries"),
        "{warning}"
    );
    assert!(jsonl.exists(), "kept under its name, to be read again");
    let mut migrated = jsonl.as_os_str().to_owned();
    migrated.push(".migrated");
    assert!(!PathBuf::from(migrated).exists());
    // What the database learnt since stays: the next opening adds only what it lacks.
    ledger
        .record(&entry("k7", "renamed", EntryState::Failed, None))
        .unwrap();
    drop(ledger);
    let again = Ledger::open(&path).unwrap();
    assert_eq!(rows(&path), 1999, "nothing imported twice");
    assert_eq!(again.get("k7").unwrap().unwrap().name, "renamed");
    assert_eq!(again.migration().unwrap().skipped, [1001]);
}

#[tokio::test]
async fn the_cli_warns_of_the_lines_an_old_ledger_could_not_give() {
    let env = crate::support::cli_env::Env::start(ark_assets::emulator::Config::default()).await;
    let dir = env.data.join("ledger");
    std::fs::create_dir_all(&dir).unwrap();
    let line = |key: &str, group: &str| {
        let e = Entry {
            group: group.into(),
            ..entry(key, "n", EntryState::Created, Some(&format!("asset-{key}")))
        };
        serde_json::to_string(&e).unwrap() + "\n"
    };
    let mut bytes = line("a", "heroes").into_bytes();
    bytes.extend_from_slice(b"\xc3\x28 not a line\n");
    bytes.extend_from_slice(line("b", "villains").as_bytes());
    // The name earlier versions gave a profile's ledger.
    std::fs::write(dir.join("default.jsonl"), bytes).unwrap();
    let out = env
        .command(true)
        .args(["--json", "groups", "list"])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: the ledger of an earlier version")
            && stderr.contains("1 line could not be read (line 2); 2 entries were imported"),
        "{stderr}"
    );
    let groups: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(groups.as_array().unwrap().len(), 2, "{groups}");
}

#[test]
fn a_claim_is_held_while_its_run_lives_and_taken_over_when_it_ends() {
    let path = temp("runs");
    let first = Ledger::open(&path).unwrap();
    let second = Ledger::open(&path).unwrap();
    let attempt = entry("k", "hero", EntryState::Pending, None);
    assert_eq!(first.begin(&attempt).unwrap(), Begin::Fresh);
    // The same run, while its attempt is under way, and another run: both wait.
    assert!(matches!(first.begin(&attempt).unwrap(), Begin::Busy { .. }));
    let Begin::Busy { owner } = second.begin(&attempt).unwrap() else {
        panic!("the other run waits")
    };
    assert_eq!(owner, format!("pid {}", std::process::id()));
    assert_eq!(second.sending("group-1", "hero", "other-key").unwrap(), 1);
    // The first run ends without an outcome (as a kill -9 would leave it).
    drop(first);
    let Begin::Abandoned(taken) = second.begin(&attempt).unwrap() else {
        panic!("an abandoned attempt is taken over")
    };
    assert_eq!(taken.key, "k");
    assert_eq!(second.sending("group-1", "hero", "other-key").unwrap(), 0);
    // Once created, every run sees it.
    second
        .record(&entry("k", "hero", EntryState::Created, Some("asset-1")))
        .unwrap();
    let third = Ledger::open(&path).unwrap();
    assert!(
        matches!(third.begin(&attempt).unwrap(), Begin::Created(e) if e.id.as_deref() == Some("asset-1"))
    );
    // An attempt that ended without an outcome in this run is looked up by this run later.
    third
        .begin(&entry("j", "x", EntryState::Pending, None))
        .unwrap();
    third.release("j");
    assert!(matches!(
        third
            .begin(&entry("j", "x", EntryState::Pending, None))
            .unwrap(),
        Begin::Abandoned(_)
    ));
}

#[test]
fn two_runs_never_claim_one_asset() {
    let path = temp("claims");
    let a = Ledger::open(&path).unwrap();
    let b = Ledger::open(&path).unwrap();
    let candidates = vec!["asset-1".to_owned(), "asset-2".to_owned()];
    let got_a = a
        .claim(&entry("ka", "n", EntryState::Pending, None), &candidates)
        .unwrap();
    let got_b = b
        .claim(&entry("kb", "n", EntryState::Pending, None), &candidates)
        .unwrap();
    assert_eq!(got_a.as_deref(), Some("asset-1"));
    assert_eq!(got_b.as_deref(), Some("asset-2"));
    assert_eq!(
        a.claim(&entry("kc", "n", EntryState::Pending, None), &candidates)
            .unwrap(),
        None
    );
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    /// Run `run` begins key `key`.
    Begin { run: usize, key: u8 },
    /// Run `run` records key `key` created as asset `id`.
    Created { run: usize, key: u8, id: u8 },
    /// Run `run` records key `key` refused.
    Failed { run: usize, key: u8 },
    /// Run `run` claims one of the assets for key `key`.
    Claim { run: usize, key: u8, ids: Vec<u8> },
    /// Run `run` ends (dropped) and a new run takes its place.
    Restart { run: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let run = 0..3usize;
    let key = 0..6u8;
    prop_oneof![
        (run.clone(), key.clone()).prop_map(|(run, key)| Step::Begin { run, key }),
        (run.clone(), key.clone(), 0..8u8).prop_map(|(run, key, id)| Step::Created {
            run,
            key,
            id
        }),
        (run.clone(), key.clone()).prop_map(|(run, key)| Step::Failed { run, key }),
        (run.clone(), key, prop::collection::vec(0..8u8, 0..4))
            .prop_map(|(run, key, ids)| Step::Claim { run, key, ids }),
        run.prop_map(|run| Step::Restart { run }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_history_keeps_the_ledger_consistent(steps in prop::collection::vec(step(), 1..40)) {
        let path = temp("prop");
        let mut runs: Vec<Ledger> = (0..3).map(|_| Ledger::open(&path).unwrap()).collect();
        // Which run holds a key's attempt now (a Fresh or taken-over begin), as the model sees it.
        let mut held: HashMap<u8, usize> = HashMap::new();
        let mut created: HashMap<u8, String> = HashMap::new();
        for step in steps {
            match step {
                Step::Begin { run, key } => {
                    let k = format!("k{key}");
                    let begun = runs[run].begin(&entry(&k, "n", EntryState::Pending, None)).unwrap();
                    match (&begun, created.get(&key), held.get(&key)) {
                        (Begin::Created(e), Some(id), _) => prop_assert_eq!(e.id.as_ref(), Some(id)),
                        (Begin::Busy { .. }, None, Some(_)) => {}
                        (Begin::Fresh | Begin::Abandoned(_), None, holder) => {
                            // Never while another run that lives holds it.
                            prop_assert!(holder.is_none(), "{begun:?} while held");
                            held.insert(key, run);
                        }
                        other => prop_assert!(false, "unexpected {other:?}"),
                    }
                }
                // The service never answers two creates with one id.
                Step::Created { run, key, id }
                    if held.get(&key) == Some(&run)
                        && !created.values().any(|v| *v == format!("asset-{id}")) =>
                {
                    let k = format!("k{key}");
                    let id = format!("asset-{id}");
                    runs[run].record(&entry(&k, "n", EntryState::Created, Some(&id))).unwrap();
                    held.remove(&key);
                    created.insert(key, id);
                }
                Step::Failed { run, key } if held.get(&key) == Some(&run) => {
                    runs[run].record(&entry(&format!("k{key}"), "n", EntryState::Failed, None)).unwrap();
                    held.remove(&key);
                }
                Step::Claim { run, key, ids } if held.get(&key) == Some(&run) => {
                    let k = format!("k{key}");
                    let ids: Vec<String> = ids.iter().map(|i| format!("asset-{i}")).collect();
                    let taken: HashSet<&String> = created.values().collect();
                    let got = runs[run].claim(&entry(&k, "n", EntryState::Pending, None), &ids).unwrap();
                    let expected = ids.iter().find(|i| !taken.contains(i)).cloned();
                    prop_assert_eq!(&got, &expected, "the first unowned candidate");
                    if let Some(id) = got {
                        held.remove(&key);
                        created.insert(key, id);
                    }
                }
                Step::Restart { run } => {
                    runs[run] = Ledger::open(&path).unwrap();
                    held.retain(|_, holder| *holder != run);
                }
                _ => {}
            }
            // Every asset has one key; every key's row says what the model says.
            let ids: HashSet<&String> = created.values().collect();
            prop_assert_eq!(ids.len(), created.len(), "an asset claimed twice");
            for (key, id) in &created {
                let row = runs[0].get(&format!("k{key}")).unwrap().unwrap();
                prop_assert_eq!(row.state, EntryState::Created);
                prop_assert_eq!(row.id.as_ref(), Some(id));
            }
        }
        drop(runs);
    }
}
