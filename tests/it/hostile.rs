//! `sync`, `copy` and `pull` as users meet them on a bad day: a copy synced at its
//! destination, a file restored beside its edited self, groups at the listing's page sizes,
//! files swapped, names cut to the longest a name may be, a run killed midway, two runs at
//! once, answers lost. Each asserts that no asset id is lost or made twice, and that the exit
//! code says what happened. Each through the binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::accounts::Two;
use crate::support::cli_env::{Env, distinct_png, distinct_pngs, kill_after_created};

use ark_assets::api::model::Action;
use ark_assets::emulator::paging::PagingStyle;
use ark_assets::emulator::{Config, faults::Faults};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `sync DIR --group Refs` with `extra` arguments, through `env`'s default profile.
async fn sync(env: &Env, dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["sync", dir.to_str().unwrap(), "--group", "Refs"];
    args.extend_from_slice(extra);
    env.run(&args).await
}

/// The `--dry-run --json` plan of `sync DIR --group Refs` with `extra` arguments.
async fn plan(env: &Env, dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--dry-run", "--json"];
    args.extend_from_slice(extra);
    let out = sync(env, dir, &args).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {:?} {}", out.status, stderr(&out)))
}

/// A plan's counts: create, rename, delete, unchanged, extra.
fn counts(plan: &serde_json::Value) -> [u64; 5] {
    ["Create", "Rename", "Delete", "Unchanged", "Extra"].map(|k| plan[k].as_u64().unwrap())
}

/// The ids a plan's rows put a file on (unchanged or renamed), in row order.
fn matched_ids(plan: &serde_json::Value) -> Vec<String> {
    plan["Rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["Action"] == "unchanged" || r["Action"] == "rename")
        .map(|r| r["Id"].as_str().unwrap().to_owned())
        .collect()
}

/// The assets of `env`'s account in the group named `group`: id → name.
fn group_assets(env: &Env, group: &str) -> BTreeMap<String, String> {
    let snapshot = env.emu.snapshot();
    let ids: BTreeSet<&String> = (snapshot.groups.values())
        .filter(|g| g.name == group)
        .map(|g| &g.id)
        .collect();
    (snapshot.assets.values())
        .filter(|a| ids.contains(&a.asset.group_id))
        .map(|a| (a.asset.id.clone(), a.asset.name.clone()))
        .collect()
}

/// Every name of `assets` is there once.
fn each_name_once(assets: &BTreeMap<String, String>) -> bool {
    let names: BTreeSet<&String> = assets.values().collect();
    names.len() == assets.len()
}

/// A folder `name` in `env`'s data folder with a distinct PNG for each of `tags`.
fn folder(env: &Env, name: &str, tags: &[&str]) -> PathBuf {
    let dir = env.data.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for tag in tags {
        distinct_png(&dir, tag);
    }
    dir
}

/// Waits (`wait`) until every asset of `env`'s account is done, through `profile`.
async fn wait_all(two: &Two, env: &Env, profile: &str) {
    let ids: Vec<String> = env.emu.snapshot().assets.keys().cloned().collect();
    let mut args = vec!["--profile", profile, "wait"];
    args.extend(ids.iter().map(String::as_str));
    two.ok(&args).await;
}

#[ignore = "a copy by link leaves the destination ledger knowing each copy (copy: key) but not its content, so sync neither matches it by content nor by name: every file is created again (matcher.rs by_name, ledger.knows)"]
#[tokio::test(flavor = "multi_thread")]
async fn a_group_copied_to_another_account_and_synced_there_from_its_folder_keeps_the_copies() {
    let two = Two::start(Config::default, false).await;
    let dir = distinct_pngs(&two.a, "source", "ref", 3);
    let dir_arg = dir.to_str().unwrap();
    two.ok(&["sync", dir_arg, "--group", "Refs", "--create-group"])
        .await;
    wait_all(&two, &two.a, "default").await;
    two.ok(&["copy", "Refs", "--to", "other"]).await;
    wait_all(&two, &two.b, "other").await;
    let copies = group_assets(&two.b, "Refs");
    assert_eq!(copies.len(), 3);
    // The same folder, synced into the copy (the team now works from the other account).
    let synced = |extra: &'static [&'static str]| {
        let mut args = vec!["--profile", "other", "sync", dir_arg, "--group", "Refs"];
        args.extend_from_slice(extra);
        args
    };
    let out = two.run(&synced(&[])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        group_assets(&two.b, "Refs"),
        copies,
        "no copy made again: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = two.run(&synced(&["--json", "--delete", "--dry-run"])).await;
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts(&plan), [0, 0, 0, 3, 0], "{plan}");
}

#[tokio::test]
async fn a_file_restored_beside_its_edited_self_gets_its_own_asset_and_no_id_serves_two() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let first = std::fs::read(dir.join("hero.png")).unwrap();
    // Edited in place, and the edit kept as the same asset (the prompts hold its id).
    let mut edited = first.clone();
    edited.extend_from_slice(b"edited");
    std::fs::write(dir.join("hero.png"), &edited).unwrap();
    let out = sync(&env, &dir, &["--match", "name"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    // The first version comes back from a backup, under another name.
    std::fs::write(dir.join("hero-v1.png"), &first).unwrap();
    let plan = plan(&env, &dir, &[]).await;
    let ids = matched_ids(&plan);
    let once: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(once.len(), ids.len(), "one asset serves two files: {plan}");
    assert_eq!(
        counts(&plan)[0],
        1,
        "the file left without an asset is created: {plan}"
    );
    let out = sync(&env, &dir, &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let assets = group_assets(&env, "Refs");
    let names: BTreeSet<&str> = assets.values().map(String::as_str).collect();
    assert_eq!(names, BTreeSet::from(["hero", "hero-v1"]), "{assets:?}");
    let again = self::plan(&env, &dir, &[]).await;
    assert_eq!(counts(&again), [0, 0, 0, 2, 0], "{again}");
}

#[tokio::test]
async fn groups_of_a_page_a_page_and_one_and_two_pages_are_matched_whole() {
    for style in [PagingStyle::Token, PagingStyle::Number] {
        matched_whole(style).await;
    }
}

/// Groups of 100, 101 and 200 assets another machine made, each synced (dry run, with
/// `--delete`) from the folder they came from, listed in `style`.
async fn matched_whole(style: PagingStyle) {
    let config = Config {
        paging: style,
        ..Config::default()
    };
    let env = Env::start(config).await.with_storage("").await;
    for size in [100, 101, 200] {
        let name = format!("Refs{size}");
        let group = env.group(&name).await;
        // Made on another machine: this ledger knows none of them.
        env.seed_assets(&group, &format!("g{size}x"), size, |i| {
            format!("ref-{i:03}")
        });
        let dir = distinct_pngs(&env, &name, "ref", size);
        let out = env
            .run(&[
                "sync",
                dir.to_str().unwrap(),
                "--group",
                &name,
                "--delete",
                "--yes",
                "--dry-run",
                "--json",
            ])
            .await;
        let plan: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
        let c = counts(&plan);
        assert_eq!(
            c,
            [0, 0, 0, size as u64, 0],
            "{style:?}, {size} assets: {c:?}"
        );
    }
}

#[tokio::test]
async fn two_files_swapped_swap_their_assets_names_and_keep_both_ids() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["a", "b"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let before = group_assets(&env, "Refs");
    let id_of = |assets: &BTreeMap<String, String>, name: &str| {
        assets.iter().find(|(_, n)| *n == name).unwrap().0.clone()
    };
    let (a_id, b_id) = (id_of(&before, "a"), id_of(&before, "b"));
    let (a, b) = (dir.join("a.png"), dir.join("b.png"));
    let (a_bytes, b_bytes) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    std::fs::write(&a, &b_bytes).unwrap();
    std::fs::write(&b, &a_bytes).unwrap();
    let plan = plan(&env, &dir, &["--delete", "--max-delete", "0"]).await;
    assert_eq!(counts(&plan), [0, 2, 0, 0, 0], "{plan}");
    let out = sync(&env, &dir, &["--delete", "--yes", "--max-delete", "0"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let after = group_assets(&env, "Refs");
    assert_eq!(after.len(), 2, "{after:?}");
    // Each id keeps its content and takes the name its content has now.
    assert_eq!(
        (&after[&a_id], &after[&b_id]),
        (&"b".to_owned(), &"a".to_owned())
    );
    assert_eq!(env.puts(), 2, "nothing uploaded again");
    assert_eq!(counts(&self::plan(&env, &dir, &[]).await), [0, 0, 0, 2, 0]);
}

#[ignore = "folder_names cuts names to 64 characters after telling them apart, so two long names become one; a second machine then creates both files again and --delete deletes both assets (names.rs folder_names, matcher.rs by_name)"]
#[tokio::test]
async fn names_cut_to_the_longest_name_stay_apart_on_a_second_machine() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let long = "a".repeat(70);
    let (one, two) = (format!("{long}1"), format!("{long}2"));
    let dir = folder(&env, "refs", &[&one, &two, "hero", "villain"]);
    let out = sync(&env, &dir, &["--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let before = group_assets(&env, "Refs");
    assert_eq!(before.len(), 4, "{before:?}");
    // A second machine: no ledger.
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let after = group_assets(&env, "Refs");
    assert_eq!(
        after,
        before,
        "ids lost and made again: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        each_name_once(&before),
        "two files were given one name, so nothing tells their assets apart: {before:?}"
    );
}

#[ignore = "names are compared byte for byte: a decomposed (NFD) file name does not match the composed (NFC) asset name, so the asset is deleted and made again (matcher.rs by_name, names_fit)"]
#[tokio::test]
async fn a_name_written_decomposed_on_another_machine_is_the_same_name() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    // Made on a machine that wrote "café" composed (U+00E9); this one's file system hands the
    // file's name decomposed (e + U+0301), as a folder copied from macOS does.
    env.seed_assets(&group, "nfc", 1, |_| "caf\u{e9}".to_owned());
    env.seed_assets(&group, "plain", 1, |_| "hero".to_owned());
    let dir = folder(&env, "refs", &["cafe\u{301}", "hero"]);
    let before = group_assets(&env, "Refs");
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        group_assets(&env, "Refs"),
        before,
        "the asset was deleted and made again: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[ignore = "pull puts the second of two names that differ in case only into a sub-folder named by its id; sync without --recursive leaves it out and --delete deletes that asset (pull/names.rs places, sync Plan::deleting)"]
#[tokio::test]
async fn a_pulled_group_whose_names_differ_in_case_only_syncs_back_without_a_loss() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    let names = ["Hero", "hero", "villain"];
    env.seed_assets(&group, "case", names.len(), |i| names[i].to_owned());
    let before = group_assets(&env, "Refs");
    let dir = env.data.join("pulled");
    let out = env.run(&["pull", "Refs", dir.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    // The folder synced back as it is synced every day (no --recursive).
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert_eq!(
        group_assets(&env, "Refs"),
        before,
        "a pulled asset was deleted: {:?} {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

#[tokio::test]
async fn a_link_to_the_parent_folder_is_left_out_and_blocks_nothing() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    distinct_png(&env.data, "outside");
    std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
    let out = sync(&env, &dir, &["--recursive", "--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let names: BTreeSet<String> = group_assets(&env, "Refs").into_values().collect();
    assert_eq!(names, BTreeSet::from(["hero".into(), "villain".into()]));
    std::fs::remove_file(dir.join("villain.png")).unwrap();
    let plan = plan(&env, &dir, &["--recursive", "--delete"]).await;
    assert_eq!(counts(&plan), [0, 0, 1, 1, 0], "{plan}");
    assert!(plan["LeftOut"].to_string().contains("up"), "{plan}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_after_two_creates_and_run_again_makes_each_file_once() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = distinct_pngs(&env, "refs", "ref", 6);
    env.group("Refs").await;
    env.emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(150),
        ..Faults::default()
    });
    let child = env
        .command(false)
        .args(["sync", dir.to_str().unwrap(), "--group", "Refs"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    kill_after_created(child, 2).await;
    env.emu.set_faults(Faults::default());
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let assets = group_assets(&env, "Refs");
    assert_eq!(assets.len(), 6, "{assets:?}");
    assert!(each_name_once(&assets), "{assets:?}");
    assert_eq!(
        counts(&plan(&env, &dir, &["--delete"]).await),
        [0, 0, 0, 6, 0]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_syncs_of_one_folder_at_once_make_each_file_once_and_both_say_so() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = distinct_pngs(&env, "refs", "ref", 6);
    env.group("Refs").await;
    env.emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(50),
        ..Faults::default()
    });
    let (one, other) = tokio::join!(sync(&env, &dir, &[]), sync(&env, &dir, &[]));
    env.emu.set_faults(Faults::default());
    for out in [&one, &other] {
        assert!(out.status.success(), "{:?} {}", out.status, stderr(out));
    }
    let assets = group_assets(&env, "Refs");
    assert_eq!(assets.len(), 6, "{assets:?}");
    assert!(each_name_once(&assets), "{assets:?}");
}

#[ignore = "a delete whose answer was lost is sent again, answers not found, and is reported as deleted by someone else: exit 1 though the group is as planned (sync/apply.rs apply_deletes)"]
#[tokio::test]
async fn a_sync_whose_create_rename_and_delete_answers_are_lost_ends_exact_and_says_so() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["a", "b", "c"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let before = group_assets(&env, "Refs");
    let id_of = |name: &str| before.iter().find(|(_, n)| *n == name).unwrap().0.clone();
    let (a_id, b_id) = (id_of("a"), id_of("b"));
    std::fs::rename(dir.join("a.png"), dir.join("a2.png")).unwrap();
    std::fs::remove_file(dir.join("c.png")).unwrap();
    distinct_png(&dir, "d");
    env.emu.set_faults(Faults {
        lose_answer: vec![
            Action::CreateAsset,
            Action::UpdateAsset,
            Action::DeleteAsset,
        ],
        ..Faults::default()
    });
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    let after = group_assets(&env, "Refs");
    let names: BTreeSet<&str> = after.values().map(String::as_str).collect();
    assert_eq!(names, BTreeSet::from(["a2", "b", "d"]), "{after:?}");
    assert_eq!(after.len(), 3, "{after:?}");
    assert_eq!(
        (&after[&a_id], &after[&b_id]),
        (&"a2".to_owned(), &"b".to_owned())
    );
    assert!(
        out.status.success(),
        "every step was done, yet the run says it failed: {:?} {}",
        out.status,
        stderr(&out)
    );
}

#[ignore = "a second machine matches names byte for byte: after Hero.png became hero.png the asset Hero is deleted and hero made anew, though one asset and one file differ in case only (matcher.rs by_name)"]
#[tokio::test]
async fn a_case_only_rename_seen_by_a_second_machine_keeps_the_id() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["Hero", "villain"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let before = group_assets(&env, "Refs");
    // Renamed on a laptop whose file system ignores case, then synced from a machine
    // without the ledger.
    std::fs::rename(dir.join("Hero.png"), dir.join("hero.png")).unwrap();
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let after = group_assets(&env, "Refs");
    let ids = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        ids(&after),
        ids(&before),
        "the asset was deleted and made again: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[ignore = "the listing pages by offset (page numbers): an asset deleted during it shifts the next page, one asset is never seen, its file is created again, and the run exits 0 (plan.rs plan_sync lists once; apply does not look the name up before creating)"]
#[tokio::test]
async fn an_asset_deleted_by_someone_else_while_the_group_is_listed_makes_no_file_twice() {
    // Page numbers (Volcengine): a page is an offset into the listing as it is when asked.
    let config = Config {
        paging: PagingStyle::Number,
        ..Config::default()
    };
    let env = Env::start(config).await.with_storage("").await;
    let group = env.group("Refs").await;
    let size = 101;
    env.seed_assets(&group, "ref", size, |i| format!("ref-{i:03}"));
    // Two assets of someone else's, the group's oldest and newest.
    env.emu.edit(|store, now| {
        for (id, at) in [
            (
                "asset-20260101000000-junkold",
                now - chrono::Duration::hours(2),
            ),
            ("asset-20260101000000-junknew", now),
        ] {
            let junk = crate::support::cli_env::stored_image(id, "junk", &group, at);
            store.assets.insert(id.to_owned(), junk);
        }
    });
    let dir = distinct_pngs(&env, "refs", "ref", size);
    // Each answer trickles out; while the first page does, that person deletes theirs.
    env.emu.set_faults(Faults {
        slow_body: Some(std::time::Duration::from_secs(1)),
        ..Faults::default()
    });
    let listed = || env.emu.stats().requests.get(&Action::ListAssets).copied();
    let run = sync(&env, &dir, &[]);
    let person = async {
        while listed().unwrap_or(0) == 0 {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        env.emu.edit(|store, _| {
            store.assets.remove("asset-20260101000000-junkold");
            store.assets.remove("asset-20260101000000-junknew");
        });
    };
    let (out, ()) = tokio::join!(run, person);
    env.emu.set_faults(Faults::default());
    let assets = group_assets(&env, "Refs");
    assert_eq!(
        assets.len(),
        size,
        "a file was created again: {:?} {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

#[tokio::test]
async fn a_sync_under_server_errors_and_dropped_answers_ends_exact_when_run_again() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = distinct_pngs(&env, "refs", "ref", 8);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let before = group_assets(&env, "Refs");
    let id_of = |name: &str| before.iter().find(|(_, n)| *n == name).unwrap().0.clone();
    let kept = [id_of("ref-000"), id_of("ref-001"), id_of("ref-002")];
    std::fs::rename(dir.join("ref-000.png"), dir.join("first.png")).unwrap();
    std::fs::rename(dir.join("ref-001.png"), dir.join("second.png")).unwrap();
    std::fs::remove_file(dir.join("ref-006.png")).unwrap();
    std::fs::remove_file(dir.join("ref-007.png")).unwrap();
    distinct_png(&dir, "new-a");
    distinct_png(&dir, "new-b");
    let seed = crate::support::FaultSeed::new();
    env.emu.set_faults(Faults {
        error_rate: 0.2,
        drop_rate: 0.1,
        seed: Some(seed.0),
        ..Faults::default()
    });
    let mut runs = 0;
    loop {
        runs += 1;
        let out = sync(&env, &dir, &["--delete", "--yes"]).await;
        if out.status.success() {
            break;
        }
        assert!(runs < 6, "{runs} runs: {}", stderr(&out));
    }
    env.emu.set_faults(Faults::default());
    let after = group_assets(&env, "Refs");
    let names: BTreeSet<&str> = after.values().map(String::as_str).collect();
    let wanted = [
        "first", "second", "ref-002", "ref-003", "ref-004", "ref-005", "new-a", "new-b",
    ];
    assert_eq!(names, BTreeSet::from(wanted), "{after:?}");
    assert_eq!(after.len(), 8, "{after:?}");
    assert_eq!(
        kept.map(|id| after[&id].clone()),
        ["first", "second", "ref-002"].map(String::from)
    );
    assert_eq!(
        counts(&plan(&env, &dir, &["--delete"]).await),
        [0, 0, 0, 8, 0]
    );
}

#[ignore = "a link to another file of the folder is left out as the same file, so the asset of the link's own name matches no file and --delete deletes it (walk.rs Walk::file, matcher.rs); the re-check before the delete keeps it only when it holds the content's first key, not a copy's (apply.rs keep_reason, Plan::holds_key)"]
#[tokio::test]
async fn a_copy_of_a_file_replaced_by_a_link_to_it_keeps_its_asset() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    // Two assets of one file, pulled as each came: a.png and b.png hold the same bytes.
    let dir = env.data.join("pulled");
    for (tag, name) in [("first", "a"), ("second", "b")] {
        env.seed_assets(&group, tag, 1, |_| name.to_owned());
        let out = env.run(&["pull", "Refs", dir.to_str().unwrap()]).await;
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let before = group_assets(&env, "Refs");
    // The copy made a link to save room: b.png is still there, and still shows b's image.
    std::fs::remove_file(dir.join("b.png")).unwrap();
    std::os::unix::fs::symlink("a.png", dir.join("b.png")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert_eq!(
        group_assets(&env, "Refs"),
        before,
        "b's asset was deleted though b.png is there: {:?} {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

/// Account `a`'s group `Refs` of `count` distinct images, every asset done.
async fn copied_group(two: &Two, count: usize) {
    let dir = distinct_pngs(&two.a, "source", "ref", count);
    two.ok(&[
        "sync",
        dir.to_str().unwrap(),
        "--group",
        "Refs",
        "--create-group",
    ])
    .await;
    wait_all(two, &two.a, "default").await;
}

/// The groups named `name` in `env`'s account.
fn groups_named(env: &Env, name: &str) -> usize {
    (env.emu.snapshot().groups.values())
        .filter(|g| g.name == name)
        .count()
}

#[ignore = "two copies at once each find no destination group, each make one and copy every asset into it: the group and every asset made twice (groups.rs new_group checks then creates)"]
#[tokio::test(flavor = "multi_thread")]
async fn two_copies_at_once_make_the_group_and_each_asset_once() {
    let two = Two::start(Config::default, false).await;
    copied_group(&two, 6).await;
    two.b.emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(50),
        ..Faults::default()
    });
    let copy = ["copy", "Refs", "--to", "other"];
    let (one, other) = tokio::join!(two.run(&copy), two.run(&copy));
    two.b.emu.set_faults(Faults::default());
    let copies = group_assets(&two.b, "Refs");
    assert_eq!(groups_named(&two.b, "Refs"), 1, "the group was made twice");
    assert_eq!(copies.len(), 6, "{copies:?}");
    assert!(each_name_once(&copies), "{copies:?}");
    for out in [&one, &other] {
        assert!(out.status.success(), "{:?} {}", out.status, stderr(out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_whose_create_answer_is_lost_makes_no_asset_twice() {
    let two = Two::start(Config::default, false).await;
    copied_group(&two, 4).await;
    two.b.emu.set_faults(Faults {
        lose_answer: vec![Action::CreateAsset],
        ..Faults::default()
    });
    let first = two.run(&["copy", "Refs", "--to", "other"]).await;
    two.b.emu.set_faults(Faults::default());
    let again = two.run(&["copy", "Refs", "--to", "other"]).await;
    let copies = group_assets(&two.b, "Refs");
    assert_eq!(
        copies.len(),
        4,
        "{copies:?}\n{}\n{}",
        stderr(&first),
        stderr(&again)
    );
    assert!(each_name_once(&copies), "{copies:?}");
    assert!(again.status.success(), "{}", stderr(&again));
}

#[ignore = "two sync --create-group at once each find no group and make one, each creating every file: the group and every asset made twice (groups.rs new_group checks then creates)"]
#[tokio::test(flavor = "multi_thread")]
async fn two_first_syncs_at_once_make_the_group_once() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = distinct_pngs(&env, "refs", "ref", 3);
    env.emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(50),
        ..Faults::default()
    });
    let first = ["--create-group"];
    let (one, other) = tokio::join!(sync(&env, &dir, &first), sync(&env, &dir, &first));
    env.emu.set_faults(Faults::default());
    assert_eq!(
        groups_named(&env, "Refs"),
        1,
        "the group was made twice:\n{}\n{}",
        stderr(&one),
        stderr(&other)
    );
    assert_eq!(group_assets(&env, "Refs").len(), 3);
}

#[tokio::test]
async fn a_link_into_a_share_that_is_gone_blocks_deletes() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let share = folder(&env, "share", &["villain"]);
    let dir = folder(&env, "refs", &["hero"]);
    std::os::unix::fs::symlink(share.join("villain.png"), dir.join("villain.png")).unwrap();
    let linked = ["--follow-links", "--create-group"];
    let out = sync(&env, &dir, &linked).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let before = group_assets(&env, "Refs");
    assert_eq!(before.len(), 2, "{before:?}");
    // The share is unmounted: the link points at nothing.
    std::fs::remove_dir_all(&share).unwrap();
    let out = sync(&env, &dir, &["--follow-links", "--delete", "--yes"]).await;
    assert_eq!(
        group_assets(&env, "Refs"),
        before,
        "the asset of a link that points at nothing now was deleted: {:?} {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    assert!(
        !out.status.success(),
        "a path that cannot be read fails the run"
    );
}

#[ignore = "pull makes a_b.png of a/b, _hidden.png of .hidden; sync fits no file to its asset by name and hands the copies of one content out in order, so ids trade names (a/b's id renamed _hidden, x\\y's a_b): matcher.rs one_content, pull/names.rs file_stem"]
#[tokio::test]
async fn copies_of_one_file_under_names_no_file_can_have_keep_each_ids_name_through_a_pull() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    // Copies of one file (the seeded assets share their bytes), named as no file can be.
    let names = ["a/b", "x\\y", ".hidden", "ends with dot.", "hero.png", "  "];
    env.seed_assets(&group, "odd", names.len(), |i| names[i].to_owned());
    let before = group_assets(&env, "Refs");
    let dir = env.data.join("pulled");
    let out = env.run(&["pull", "Refs", dir.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = plan(&env, &dir, &["--recursive", "--delete"]).await;
    assert_eq!(counts(&plan), [0, 0, 0, names.len() as u64, 0], "{plan}");
    assert_eq!(group_assets(&env, "Refs"), before);
}

#[ignore = "sync --delete deletes a Processing asset this ledger does not know, one another machine or a person is making now (matcher.rs extras)"]
#[tokio::test]
async fn an_asset_another_machine_is_making_now_is_not_deleted_by_a_sync_beside_it() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let group = env.json(&["groups", "get", "Refs"]).await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A person on another machine adds an asset; it is Processing while this cron sync runs.
    env.emu.edit(|store, now| {
        let id = "asset-20260101000000-person";
        let mut made = crate::support::cli_env::stored_image(id, "villain", &group, now);
        made.asset.status = ark_assets::api::model::Status::Processing;
        store.assets.insert(id.to_owned(), made);
    });
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    let after = group_assets(&env, "Refs");
    assert!(
        after.contains_key("asset-20260101000000-person"),
        "an asset still being made was deleted: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
}

#[ignore = "pull makes a_b.png of the asset a/b, and sync then renames the asset a_b: a pulled folder plans renames (pull/names.rs file_stem against names.rs forms)"]
#[tokio::test]
async fn assets_of_names_no_file_can_have_keep_their_names_through_a_pull_and_a_sync() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let names = ["a/b", "x\\y", ".hidden"];
    let dir = folder(&env, "refs", &["one", "two", "three"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let made = group_assets(&env, "Refs");
    for ((id, _), name) in made.iter().zip(names) {
        env.ok(&["assets", "rename", id, name]).await;
    }
    let before = group_assets(&env, "Refs");
    let pulled = env.data.join("pulled");
    let out = env.run(&["pull", "Refs", pulled.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = plan(&env, &pulled, &["--delete"]).await;
    assert_eq!(counts(&plan), [0, 0, 0, 3, 0], "{plan}");
    assert_eq!(group_assets(&env, "Refs"), before);
}

#[ignore = "a pull writes the asset's file over a file of the same name whatever it holds: an edit not synced yet is lost, and the run exits 0 (pull/mod.rs pull_one, download.rs Partial::keep_as renames over it)"]
#[tokio::test]
async fn a_pull_again_after_an_edit_never_writes_over_the_edited_file() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let id = group_assets(&env, "Refs").into_keys().next().unwrap();
    env.ok(&["wait", &id]).await;
    let pulled = env.data.join("pulled");
    let pulled_arg = pulled.to_str().unwrap();
    env.ok(&["pull", "Refs", pulled_arg]).await;
    // An afternoon's work on the pulled file, not synced yet; then a pull again, by habit.
    let edited = {
        let mut b = std::fs::read(pulled.join("hero.png")).unwrap();
        b.extend_from_slice(b"an afternoon's work");
        b
    };
    std::fs::write(pulled.join("hero.png"), &edited).unwrap();
    let out = env.run(&["pull", "Refs", pulled_arg]).await;
    assert!(
        std::fs::read(pulled.join("hero.png")).unwrap() == edited,
        "the edit was written over: {:?} {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

#[ignore = "pull tells places apart by stem (hero, hero.png) but names both files hero.png: the second written over the first, the pull exits 0, and sync --delete then deletes the asset hero (pull/names.rs places and file_name)"]
#[tokio::test]
async fn a_pull_of_hero_and_hero_png_writes_two_files_and_syncs_back_to_nothing() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["one", "two"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let made = group_assets(&env, "Refs");
    for ((id, _), name) in made.iter().zip(["hero", "hero.png"]) {
        env.ok(&["assets", "rename", id, name]).await;
    }
    let before = group_assets(&env, "Refs");
    let pulled = env.data.join("pulled");
    let out = env.run(&["pull", "Refs", pulled.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = plan(&env, &pulled, &["--recursive", "--delete"]).await;
    assert_eq!(
        (counts(&plan)[0], counts(&plan)[2]),
        (0, 0),
        "a pulled asset has no file: {plan}"
    );
    assert_eq!(group_assets(&env, "Refs"), before);
}

#[tokio::test]
async fn a_first_sync_run_again_by_cron_with_create_group_goes_on_in_the_group() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    distinct_png(&dir, "villain");
    let out = sync(&env, &dir, &["--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(groups_named(&env, "Refs"), 1);
    assert_eq!(group_assets(&env, "Refs").len(), 2);
}

#[ignore = "copy matches source assets in creation order, each by the ledger else by name: the older hero takes the newer one's copy by name, the newer then finds its copy claimed and is copied again; the older is never copied (copy/plan.rs match_assets)"]
#[tokio::test(flavor = "multi_thread")]
async fn a_copy_after_an_asset_of_a_shared_name_became_active_copies_each_source_asset_once() {
    let two = Two::start(Config::default, false).await;
    let group = two.a.group("Refs").await;
    // Two assets named "hero": the older still Processing at the first copy.
    let (older, newer) = ("asset-20260101000000-older", "asset-20260101000000-newer");
    two.a.emu.edit(|store, now| {
        for (id, at) in [(older, now - chrono::Duration::hours(2)), (newer, now)] {
            let mut made = crate::support::cli_env::stored_image(id, "hero", &group, at);
            if id == older {
                made.asset.status = ark_assets::api::model::Status::Processing;
            }
            store.assets.insert(id.to_owned(), made);
        }
    });
    two.run(&["copy", "Refs", "--to", "other"]).await;
    two.a.emu.edit(|store, _| {
        store.assets.get_mut(older).unwrap().asset.status = ark_assets::api::model::Status::Active;
    });
    let out = two.run(&["copy", "Refs", "--to", "other"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let snapshot = two.b.emu.snapshot();
    let sources: Vec<&str> = (snapshot.assets.values())
        .map(|a| {
            [older, newer]
                .into_iter()
                .find(|id| a.source_url.contains(id))
                .unwrap_or("?")
        })
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [newer, older],
        "each source asset copied once (by the source link each copy was made from): \
         {sources:?}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[ignore = "a file replaced by one the rules refuse: the new content is refused, the old asset of its name matches no content and --delete deletes it, leaving the name with no asset at all (sync/plan.rs check_creates drops the create, apply.rs apply_deletes deletes whatever creates did)"]
#[tokio::test]
async fn a_file_replaced_by_one_the_rules_refuse_keeps_the_asset_of_its_name() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = folder(&env, "refs", &["hero", "villain"]);
    assert!(sync(&env, &dir, &["--create-group"]).await.status.success());
    let before = group_assets(&env, "Refs");
    // A new hero.png saved over the old one, too small for the service's rules.
    let small = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/edge-299x400.png");
    std::fs::copy(small, dir.join("hero.png")).unwrap();
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(!out.status.success(), "the refused file fails the run");
    assert_eq!(
        group_assets(&env, "Refs"),
        before,
        "hero's asset was deleted and nothing made in its place: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_copied_through_storage_and_synced_there_from_its_folder_keeps_the_copies() {
    let two = Two::start(Config::default, false).await;
    let dir = distinct_pngs(&two.a, "source", "ref", 3);
    let dir_arg = dir.to_str().unwrap();
    two.ok(&["sync", dir_arg, "--group", "Refs", "--create-group"])
        .await;
    wait_all(&two, &two.a, "default").await;
    two.ok(&["copy", "Refs", "--to", "other", "--via-storage"])
        .await;
    wait_all(&two, &two.b, "other").await;
    let copies = group_assets(&two.b, "Refs");
    assert_eq!(copies.len(), 3);
    let args = ["--profile", "other", "sync", dir_arg, "--group", "Refs"];
    let out = two.run(&args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(group_assets(&two.b, "Refs"), copies, "no copy made again");
}
