//! Copies to another account and pulls into a folder, then synced: what the destination's
//! ledger knows of a copy, two copies at once, names no file can have, a pull over an edit.

use super::{
    copied_group, counts, each_name_once, folder, group_assets, groups_named, plan, stderr, sync,
    wait_all,
};
use crate::support::accounts::Two;
use crate::support::cli_env::{Env, distinct_pngs};

use ark_assets::api::model::Action;
use ark_assets::emulator::{Config, faults::Faults};

/// A group synced from a folder, copied to another account (`how`: by link, or through the
/// destination's storage) and synced there from the same folder: no copy made again, and a
/// delete plan leaves every copy.
async fn copied_then_synced_at_the_destination(how: &[&str]) {
    let two = Two::start(Config::default, false).await;
    let dir = distinct_pngs(&two.a, "source", "ref", 3);
    let dir_arg = dir.to_str().unwrap();
    two.ok(&["sync", dir_arg, "--group", "Refs", "--create-group"])
        .await;
    wait_all(&two, &two.a, "default").await;
    let mut copy = vec!["copy", "Refs", "--to", "other"];
    copy.extend_from_slice(how);
    two.ok(&copy).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn a_group_copied_to_another_account_and_synced_there_from_its_folder_keeps_the_copies() {
    copied_then_synced_at_the_destination(&[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_copied_through_storage_and_synced_there_from_its_folder_keeps_the_copies() {
    copied_then_synced_at_the_destination(&["--via-storage"]).await;
}

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
    // Refused in one line naming the file and what to do, and said by the exit code.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    let line = said.lines().find(|l| l.contains("not written over"));
    assert!(
        line.is_some_and(|l| l.contains("hero.png") && l.contains("move it away")),
        "{said}"
    );
}

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
