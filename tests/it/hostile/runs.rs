//! Runs killed midway, side by side, or whose answers are lost or shifted under them.

use std::collections::BTreeSet;

use super::{counts, each_name_once, folder, group_assets, groups_named, plan, stderr, sync};
use crate::support::cli_env::{Env, distinct_png, distinct_pngs, kill_after_created};

use ark_assets::api::model::Action;
use ark_assets::emulator::paging::PagingStyle;
use ark_assets::emulator::{Config, faults::Faults};

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
    // The uploaded objects are kept: two runs cleaning up the same objects at once is apart.
    let env = Env::start(Config::default())
        .await
        .with_storage("cleanup = \"keep\"\n")
        .await;
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

/// Two machines (each its own ledger, so neither waits for the other) make a group of one
/// name at once: the look-up after each create sees a group made beside it, so at most one of
/// them takes a group of the name, and the other says which groups have it.
#[tokio::test(flavor = "multi_thread")]
async fn two_machines_making_a_group_of_one_name_at_once_never_both_take_one() {
    use crate::support::plans;
    use ark_assets::catalog::groups::GroupError;
    let emu = plans::start().await;
    emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(100),
        ..Faults::default()
    });
    let (one, other) = (plans::catalog(&emu, "one"), plans::catalog(&emu, "other"));
    let (a, b) = tokio::join!(
        one.create_group("Refs".to_owned(), None),
        other.create_group("Refs".to_owned(), None)
    );
    emu.set_faults(Faults::default());
    let made: BTreeSet<String> = (emu.snapshot().groups.values())
        .filter(|g| g.name == "Refs")
        .map(|g| g.id.clone())
        .collect();
    let taken = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert!(taken <= 1, "both took a group of the name: {a:?} {b:?}");
    for result in [&a, &b] {
        match result {
            Ok(id) => assert!(made.contains(id), "{id} {made:?}"),
            Err(e @ GroupError::NotAlone { id, .. }) => {
                assert_eq!(made.len(), 2, "{e}");
                let beside = made.iter().find(|other| *other != id).unwrap();
                assert!(made.contains(id) && e.to_string().contains(beside), "{e}");
            }
            Err(GroupError::Exists { ids, .. }) => {
                assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), made);
            }
            Err(e) => panic!("{e}"),
        }
    }
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
