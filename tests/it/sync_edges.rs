//! `sync` at the edges users stand on: a second machine without the ledger, another run
//! beside this one, a folder that lost its files, assets that keep failing, an endpoint that
//! cannot delete, names that must stay put. Each through the binary.

use crate::support::cli_env::{Env, distinct_png};

use ark_assets::api::model::{Action, AssetError, Status};
use ark_assets::emulator::Config;
use ark_assets::ledger::{Begin, Entry, EntryState, Ledger};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `sync DIR --group Refs` with `extra` arguments.
async fn sync(env: &Env, dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sync", dir.to_str().unwrap(), "--group", "Refs"];
    args.extend_from_slice(extra);
    env.run(&args).await
}

/// A folder `name` in the data folder, with a distinct PNG for each of `tags`.
fn folder(env: &Env, name: &str, tags: &[&str]) -> std::path::PathBuf {
    let dir = env.data.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for tag in tags {
        distinct_png(&dir, tag);
    }
    dir
}

/// The id of the group named `name`.
async fn group_id(env: &Env, name: &str) -> String {
    env.json(&["groups", "get", name]).await["Id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The group's asset ids by name.
fn ids(env: &Env, group: &str) -> std::collections::BTreeMap<String, String> {
    let mut ids = std::collections::BTreeMap::new();
    env.emu.edit(|store, _| {
        for a in store.assets.values().filter(|a| a.asset.group_id == group) {
            ids.insert(a.asset.name.clone(), a.asset.id.clone());
        }
    });
    ids
}

/// The ledger database the binary uses for the default profile (made by an earlier run).
fn ledger_file(env: &Env) -> std::path::PathBuf {
    std::fs::read_dir(env.data.join("ledger"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("a ledger database")
}

/// The sha256 of `file`, as the ledger keys contents.
fn sha256(file: &std::path::Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(file).unwrap()))
}

/// A Pending attempt at the asset of `file`'s content in `group`, named `name`, as a run
/// writes it before it sends the create.
fn pending(group: &str, name: &str, file: &std::path::Path) -> Entry {
    let sha = sha256(file);
    Entry {
        key: format!("file:{group}:{sha}"),
        group: group.to_owned(),
        name: name.to_owned(),
        url: String::new(),
        state: EntryState::Pending,
        id: None,
        error: None,
        at: chrono::Utc::now(),
        object: None,
        cleaned: false,
        sha256: Some(sha),
    }
}

#[tokio::test]
async fn a_second_machine_without_the_ledger_keeps_every_asset_and_learns_them() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain", "crowd"]);
    let out = sync(&env, &dir, &["--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let group = group_id(&env, "Refs").await;
    let before = ids(&env, &group);
    assert_eq!(before.len(), 3);
    // A new laptop: no ledger at all.
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes", "--dry-run"]).await;
    assert_eq!(
        stdout(&out).matches("(matched by name)").count(),
        3,
        "{:?} {}{}",
        out.status,
        stdout(&out),
        stderr(&out)
    );
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("0 created, 0 renamed, 0 deleted, 3 unchanged, 0 refused\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        ids(&env, &group),
        before,
        "every id a prompt holds survives"
    );
    assert_eq!(env.puts(), 3, "nothing uploaded again");
    // The ledger learned them: the next plan matches by content.
    let out = sync(&env, &dir, &["--dry-run"]).await;
    assert!(
        !stdout(&out).contains("matched by name"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("0 to create, 0 to rename, 0 to delete, 3 unchanged"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn match_name_also_takes_an_asset_the_ledger_knows_as_other_content() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    let out = sync(&env, &dir, &["--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let group = group_id(&env, "Refs").await;
    // The file is edited: new content under the same name.
    std::fs::write(dir.join("hero.png"), {
        let mut b = std::fs::read(dir.join("hero.png")).unwrap();
        b.extend_from_slice(b"edited");
        b
    })
    .unwrap();
    let by_content = sync(&env, &dir, &["--dry-run", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_slice(&by_content.stdout).unwrap();
    assert_eq!(
        (&plan["Create"], &plan["Extra"]),
        (&1.into(), &1.into()),
        "{plan}"
    );
    let by_name = sync(&env, &dir, &["--match", "name", "--dry-run", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_slice(&by_name.stdout).unwrap();
    assert_eq!(
        (&plan["Create"], &plan["Unchanged"], &plan["Extra"]),
        (&0.into(), &1.into(), &0.into()),
        "{plan}"
    );
    // What --match name matched is written down: a plain run plans nothing either.
    let out = sync(&env, &dir, &["--match", "name"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let plain = sync(&env, &dir, &["--dry-run", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(
        (&plan["Create"], &plan["Unchanged"]),
        (&0.into(), &1.into()),
        "{plan}"
    );
    assert_eq!(env.group_size(&group), 1);
}

#[tokio::test]
async fn a_folder_without_media_never_empties_the_group_and_max_delete_bounds_a_sync() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain", "crowd"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // An unmounted share: the folder holds nothing that is media.
    let empty = env.data.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "not media").unwrap();
    let out = sync(&env, &empty, &["--delete", "--yes"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--delete-all"), "{}", stderr(&out));
    assert_eq!(env.group_size(&group), 3);
    assert!(!env.emu.stats().requests.contains_key(&Action::DeleteAsset));
    // --max-delete refuses the deletion whole.
    std::fs::remove_file(dir.join("hero.png")).unwrap();
    std::fs::remove_file(dir.join("villain.png")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes", "--max-delete", "1"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--max-delete 1"), "{}", stderr(&out));
    assert_eq!(env.group_size(&group), 3);
    // Said outright, emptying is allowed.
    let out = sync(&env, &empty, &["--delete", "--yes", "--delete-all"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.group_size(&group), 0);
}

#[tokio::test]
async fn an_asset_another_live_run_is_creating_is_never_deleted() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["crowd"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // Another run (this test process, alive) holds hero.png's attempt, and its create has
    // reached the service: the asset exists, the ledger does not know its id yet.
    let hero = distinct_png(&dir, "hero");
    let other = Ledger::open(&ledger_file(&env)).unwrap();
    let attempt = pending(&group, "hero", &hero);
    assert_eq!(other.begin(&attempt).unwrap(), Begin::Fresh);
    env.seed_assets(&group, "h", 1, |_| "hero".to_owned());
    std::fs::remove_file(dir.join("crowd.png")).unwrap();
    distinct_png(&dir, "keep-me");

    let out = sync(&env, &dir, &["--delete", "--yes", "--dry-run"]).await;
    let plan = stdout(&out);
    assert!(plan.contains("wait      "), "{plan}");
    assert!(
        plan.contains("keep      asset-20260101000000-h0000"),
        "{plan}"
    );
    // Applied with a short wait: the held row is not done (exit 1), the other run's asset
    // stays, the rest is done.
    let out = sync(&env, &dir, &["--delete", "--yes", "--other-run-wait", "1"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("waiting for another run of ark-assets (pid"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("was still creating \"hero\""),
        "{}",
        stderr(&out)
    );
    let names: Vec<String> = env.asset_names(&group);
    assert_eq!(names, ["hero", "keep-me"], "crowd deleted, hero kept");
}

#[tokio::test]
async fn an_asset_found_for_a_lost_create_is_claimed_and_kept() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["crowd"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // A create whose answer was lost: its attempt stays Pending with no run alive to hold it,
    // and the asset it made is in the group.
    let hero = distinct_png(&dir, "hero");
    {
        let gone = Ledger::open(&ledger_file(&env)).unwrap();
        gone.record(&pending(&group, "hero", &hero)).unwrap();
        gone.release(&format!("file:{group}:{}", sha256(&hero)));
    }
    env.seed_assets(&group, "h", 1, |_| "hero".to_owned());
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("delete    "), "{}", stdout(&out));
    assert_eq!(ids(&env, &group)["hero"], "asset-20260101000000-h0000");
    assert!(!env.emu.stats().requests.contains_key(&Action::DeleteAsset));
    assert_eq!(
        env.emu.stats().requests[&Action::CreateAsset],
        1,
        "only crowd was sent"
    );
    assert_eq!(env.group_size(&group), 2);
}

/// Marks `id` Failed as moderation would.
fn fail(env: &Env, id: &str) {
    env.emu.edit(|store, _| {
        let a = store.assets.get_mut(id).unwrap();
        a.asset.status = Status::Failed;
        a.asset.error = Some(AssetError {
            code: "InvalidParameter.Moderation".into(),
            message: "the image was refused".into(),
        });
    });
}

#[tokio::test]
async fn a_file_whose_assets_keep_failing_is_created_again_once_then_refused() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    fail(&env, &ids(&env, &group)["hero"]);
    let out = sync(&env, &dir, &["--dry-run"]).await;
    assert!(stdout(&out).contains("recreate  "), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Failed: InvalidParameter.Moderation"),
        "{}",
        stdout(&out)
    );
    let out = sync(&env, &dir, &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let second = env
        .emu
        .stats()
        .requests
        .get(&Action::CreateAsset)
        .copied()
        .unwrap_or_default();
    assert_eq!(second, 2);
    let newest = {
        let mut all = Vec::new();
        env.emu.edit(|store, _| {
            all = store
                .assets
                .values()
                .filter(|a| a.asset.status != Status::Failed)
                .map(|a| a.asset.id.clone())
                .collect();
        });
        all.pop().unwrap()
    };
    fail(&env, &newest);
    // Failed twice: refused, named, exit 1; nothing created.
    let out = sync(&env, &dir, &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("failed 2 times"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--retry-failed"), "{}", stderr(&out));
    assert_eq!(env.emu.stats().requests[&Action::CreateAsset], 2);
    let out = sync(&env, &dir, &["--retry-failed"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.emu.stats().requests[&Action::CreateAsset], 3);
}

#[tokio::test]
async fn a_name_once_given_stays_and_sub_folders_tell_their_files_apart() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["portrait"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // A second portrait beside the first: only the new one takes the long form.
    let jpg = std::fs::read(dir.join("portrait.png")).unwrap();
    std::fs::write(dir.join("portrait.jpg"), [jpg.as_slice(), b"jpg"].concat()).unwrap();
    let out = sync(&env, &dir, &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("create"), "{}", stdout(&out));
    assert_eq!(env.asset_names(&group), ["portrait", "portrait.jpg"]);
    // Files of one name in two sub-folders get names of their own.
    let deep = env.data.join("deep");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(deep.join(sub)).unwrap();
        let file = distinct_png(&deep.join(sub), sub);
        std::fs::rename(file, deep.join(sub).join("x.png")).unwrap();
    }
    let mut args = vec!["sync", deep.to_str().unwrap(), "--group", "Deep"];
    args.extend(["--create-group", "--recursive"]);
    let out = env.run(&args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let deep_group = group_id(&env, "Deep").await;
    assert_eq!(env.asset_names(&deep_group), ["a/x.png", "b/x.png"]);
}

#[tokio::test]
async fn the_plan_lists_what_it_leaves_out_and_no_file_name_can_fake_a_line() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    std::fs::write(dir.join("notes.txt"), "not media").unwrap();
    std::fs::write(
        dir.join("evil\ncreate    fake.png as \"x\".png"),
        "not an image",
    )
    .unwrap();
    env.group("Refs").await;
    let out = sync(&env, &dir, &["--dry-run"]).await;
    let err = stderr(&out);
    assert!(
        err.contains("left out  ") && err.contains("notes.txt"),
        "{err}"
    );
    assert!(err.contains("evil\\ncreate"), "{err}");
    assert!(
        !err.lines().any(|l| l.starts_with("create    fake.png")),
        "{err}"
    );
    let out = sync(&env, &dir, &["--dry-run", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["LeftOut"].as_array().unwrap().len(), 1, "{plan}");
    assert_eq!(plan["Refused"].as_array().unwrap().len(), 1, "{plan}");
}

#[tokio::test]
async fn the_global_dialect_says_up_front_what_it_cannot_do_and_ends_well() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    env.use_global_profile();
    let global = |extra: &[&str]| {
        let mut cmd = env.command(false);
        cmd.env_remove("VOLC_ACCESSKEY")
            .env_remove("VOLC_SECRETKEY")
            .env_remove("ARK_ENDPOINT")
            .args(["sync", dir.to_str().unwrap(), "--group", "Refs"])
            .args(extra);
        cmd
    };
    // A label this ledger knows nothing of may be another machine's: not filled again
    // unless said to be new.
    let out = global(&[]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--create-group"), "{}", stderr(&out));
    assert!(!env.emu.stats().requests.contains_key(&Action::CreateAsset));
    let out = global(&["--create-group"]).output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Known now: the next runs need no flag.
    assert!(global(&[]).output().await.unwrap().status.success());
    std::fs::rename(dir.join("hero.png"), dir.join("lead.png")).unwrap();
    std::fs::remove_file(dir.join("villain.png")).unwrap();
    let out = global(&["--delete", "--yes"]).output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot rename or delete"),
        "{}",
        stderr(&out)
    );
    assert!(!env.emu.stats().requests.contains_key(&Action::DeleteAsset));
    assert!(!env.emu.stats().requests.contains_key(&Action::UpdateAsset));
}

/// What one step of two runs' interleaving does.
#[derive(Debug, Clone)]
enum Op {
    /// `import` of the folder.
    Import,
    /// `sync` of the folder, deleting what no file matches or not.
    Sync { delete: bool },
    /// Two of those at once (the system interleaves them as it will).
    Both(Box<Op>, Box<Op>),
    /// Another run that lives takes file `n`'s attempt and sends its create (its answer not
    /// recorded yet).
    Hold(usize),
    /// That run records its answer.
    Finish(usize),
}

fn one_run() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        Just(Op::Import),
        any::<bool>().prop_map(|delete| Op::Sync { delete })
    ]
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        3 => one_run(),
        2 => (one_run(), one_run()).prop_map(|(a, b)| Op::Both(Box::new(a), Box::new(b))),
        1 => (0..3usize).prop_map(Op::Hold),
        1 => (0..3usize).prop_map(Op::Finish),
    ]
}

/// Two runs' interleavings over one folder, as the property test drives them.
struct Runs {
    env: Env,
    dir: std::path::PathBuf,
    group: String,
    files: Vec<std::path::PathBuf>,
    other: Option<Ledger>,
    /// Held attempts: file index → the asset its create made.
    held: std::collections::BTreeMap<usize, String>,
    /// Every id a finished run reported as a file's asset.
    reported: std::collections::BTreeSet<String>,
}

impl Runs {
    async fn start() -> Runs {
        let env = Env::start(Config::default()).await.with_storage("").await;
        let dir = folder(&env, "refs", &["a", "b", "c"]);
        let files = ["a", "b", "c"]
            .map(|t| dir.join(format!("{t}.png")))
            .to_vec();
        let group = env.group("Refs").await;
        // A run over an empty folder makes the ledger the other run shares.
        let empty = env.data.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(sync(&env, &empty, &[]).await.status.success());
        Runs {
            env,
            dir,
            group,
            files,
            other: None,
            held: Default::default(),
            reported: Default::default(),
        }
    }

    fn command(&self, op: &Op) -> tokio::process::Command {
        let mut cmd = self.env.command(false);
        cmd.args(["--json", "--other-run-wait", "1"]);
        match op {
            Op::Import => {
                cmd.args(["import", "--group", "Refs"]).arg(&self.dir);
            }
            Op::Sync { delete } => {
                cmd.args(["sync", self.dir.to_str().unwrap(), "--group", "Refs"]);
                if *delete {
                    cmd.args(["--delete", "--yes"]);
                }
            }
            _ => unreachable!("only runs are commands"),
        }
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    /// Takes the ids a run's JSON report gives as its files' assets.
    fn take_report(&mut self, out: &std::process::Output) {
        let Ok(report) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
            return;
        };
        for list in ["Created", "Already", "ByOtherRun"] {
            for done in report[list].as_array().into_iter().flatten() {
                if let Some(id) = done["Id"].as_str() {
                    self.reported.insert(id.to_owned());
                }
            }
        }
        for row in report["Rows"].as_array().into_iter().flatten() {
            if row["Action"] == "created" {
                self.reported.insert(row["Id"].as_str().unwrap().to_owned());
            }
        }
    }

    async fn apply(&mut self, op: &Op) {
        match op {
            Op::Both(a, b) => {
                let (mut a, mut b) = (self.command(a), self.command(b));
                let (x, y) = tokio::join!(a.output(), b.output());
                self.take_report(&x.unwrap());
                self.take_report(&y.unwrap());
            }
            Op::Hold(n) if !self.held.contains_key(n) => self.hold(*n),
            Op::Finish(n) => self.finish(*n),
            Op::Hold(_) => {}
            run => {
                let out = self.command(run).output().await.unwrap();
                self.take_report(&out);
            }
        }
    }

    fn attempt(&self, n: usize) -> Entry {
        pending(&self.group, ["a", "b", "c"][n], &self.files[n])
    }

    /// Another run takes file `n`'s attempt, unless a run created it already, and its create
    /// reaches the service.
    fn hold(&mut self, n: usize) {
        let attempt = self.attempt(n);
        let path = ledger_file(&self.env);
        let other = self
            .other
            .get_or_insert_with(|| Ledger::open(&path).unwrap());
        if other.begin(&attempt).unwrap() != Begin::Fresh {
            return;
        }
        let id = format!("asset-20260101000000-z{n:04}");
        let (group, name) = (self.group.clone(), ["a", "b", "c"][n].to_owned());
        self.env.emu.edit(|store, now| {
            let asset = crate::support::cli_env::stored_image(&id, &name, &group, now);
            store.assets.insert(id.clone(), asset);
        });
        self.held.insert(n, id);
    }

    /// The other run records the answer to file `n`'s create.
    fn finish(&mut self, n: usize) {
        let (Some(id), Some(other)) = (self.held.remove(&n), &self.other) else {
            return;
        };
        other
            .record(&Entry {
                state: EntryState::Created,
                id: Some(id.clone()),
                ..self.attempt(n)
            })
            .unwrap();
        self.reported.insert(id);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

    #[test]
    fn two_runs_interleaved_end_with_one_asset_per_file_and_delete_no_reported_id(
        ops in proptest::collection::vec(op(), 1..5)
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let mut runs = Runs::start().await;
            for op in &ops {
                runs.apply(op).await;
            }
            let held: Vec<usize> = runs.held.keys().copied().collect();
            held.into_iter().for_each(|n| runs.finish(n));
            runs.apply(&Op::Sync { delete: false }).await;
            let store = runs.env.emu.snapshot();
            assert_eq!(runs.env.asset_names(&runs.group), ["a", "b", "c"], "{ops:?}");
            for id in &runs.reported {
                assert!(store.assets.contains_key(id), "{id} was deleted: {ops:?}");
            }
        });
    }
}

#[tokio::test]
async fn an_unchanged_file_is_not_read_again_unless_checksum_says_so() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    // Files last changed a while ago (a hash is kept only for a file that has settled).
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in ["hero.png", "villain.png"] {
        let file = std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap();
        file.set_modified(long_ago).unwrap();
    }
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let db = rusqlite::Connection::open(ledger_file(&env)).unwrap();
    let kept: i64 = db
        .query_row("SELECT COUNT(*) FROM hashes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 2);
    // Were the file read, its content would match its asset; the kept hash says otherwise.
    db.execute(
        "UPDATE hashes SET sha256 = 'feed' WHERE path LIKE '%hero.png'",
        [],
    )
    .unwrap();
    let trusting = sync(&env, &dir, &["--dry-run"]).await;
    assert!(
        stderr(&trusting).contains("1 to create"),
        "{}",
        stderr(&trusting)
    );
    let reading = sync(&env, &dir, &["--dry-run", "--checksum"]).await;
    assert!(
        stderr(&reading).contains("0 to create, 0 to rename, 0 to delete, 2 unchanged"),
        "{}",
        stderr(&reading)
    );
    // A file written again is read again, whatever was kept.
    let hero = dir.join("hero.png");
    std::fs::write(&hero, std::fs::read(&hero).unwrap()).unwrap();
    let again = sync(&env, &dir, &["--dry-run"]).await;
    assert!(stderr(&again).contains("2 unchanged"), "{}", stderr(&again));
}

#[tokio::test]
async fn nothing_is_deleted_while_a_path_of_the_folder_cannot_be_read() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // villain.png can no longer be read (a link to nothing, as a file being replaced or a
    // share gone away leaves it): its asset must not look like one no file matches.
    std::fs::remove_file(dir.join("villain.png")).unwrap();
    std::os::unix::fs::symlink(env.data.join("gone.png"), dir.join("villain.png")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes", "--delete-all"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("villain.png"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing is deleted"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.group_size(&group), 2);
    assert!(!env.emu.stats().requests.contains_key(&Action::DeleteAsset));
}

#[tokio::test]
async fn an_asset_made_again_by_retry_is_the_file_s_asset_and_stays() {
    let env = Env::start(Config::default())
        .await
        .with_storage("cleanup = \"keep\"\n")
        .await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    let failed = ids(&env, &group)["hero"].clone();
    fail(&env, &failed);
    let out = env.run(&["assets", "retry", &failed]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let retried = (env.emu.snapshot().assets.values())
        .find(|a| a.asset.id != failed && a.asset.group_id == group)
        .map(|a| a.asset.id.clone())
        .unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        env.emu.snapshot().assets.contains_key(&retried),
        "the retried asset stays"
    );
    assert_eq!(
        env.emu.stats().requests[&Action::CreateAsset],
        2,
        "nothing made a third time"
    );
}

#[tokio::test]
async fn a_second_machine_matches_files_that_share_a_stem_by_their_long_names() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["portrait"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let jpg = std::fs::read(dir.join("portrait.png")).unwrap();
    std::fs::write(dir.join("portrait.jpg"), [jpg.as_slice(), b"jpg"].concat()).unwrap();
    assert!(sync(&env, &dir, &[]).await.status.success());
    let group = group_id(&env, "Refs").await;
    let before = ids(&env, &group);
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&env, &group), before, "{}", stdout(&out));
    assert_eq!(env.emu.stats().requests[&Action::CreateAsset], 2);
}

#[tokio::test]
async fn a_media_file_cut_short_blocks_deletes_as_an_unreadable_one_does() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = group_id(&env, "Refs").await;
    // A copy over villain.png is under way: the file holds nothing an image starts with yet.
    std::fs::write(dir.join("villain.png"), b"").unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("still being written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.group_size(&group), 2);
}
