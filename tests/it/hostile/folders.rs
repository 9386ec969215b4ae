//! What a folder and its group hold: a file restored beside its edited self, groups of a page
//! and more, files swapped, links (to the parent, into a share that is gone, to a copy), an
//! asset another machine is making, a file replaced by one the rules refuse.

use std::collections::{BTreeMap, BTreeSet};

use super::{counts, folder, group_assets, matched_ids, plan, stderr, sync};
use crate::support::cli_env::{Env, distinct_png, distinct_pngs};

use ark_assets::emulator::Config;
use ark_assets::emulator::paging::PagingStyle;

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
