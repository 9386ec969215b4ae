//! Names a second machine reads otherwise: cut to the longest name, decomposed, case only.

use std::collections::{BTreeMap, BTreeSet};

use super::{each_name_once, folder, group_assets, stderr, sync};
use crate::support::cli_env::Env;

use ark_assets::emulator::Config;

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

#[tokio::test]
async fn an_asset_named_by_the_old_plain_cut_keeps_its_id_and_name() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    // Named by a version that cut long names to their first 64 characters.
    let long = format!("{}1", "a".repeat(70));
    env.seed_assets(&group, "cut", 1, |_| "a".repeat(64));
    let dir = folder(&env, "refs", &[&long, "hero"]);
    let before = group_assets(&env, "Refs");
    let out = sync(&env, &dir, &["--delete", "--yes"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let after = group_assets(&env, "Refs");
    let (id, name) = before.first_key_value().unwrap();
    assert_eq!(
        after.get(id),
        Some(name),
        "the asset was deleted, made again or renamed: {after:?}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(after.len(), 2, "one asset made for hero: {after:?}");
}

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
