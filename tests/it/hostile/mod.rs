//! `sync`, `copy` and `pull` as users meet them on a bad day, each through the binary: each
//! test asserts that no asset id is lost or made twice and that the exit code says what
//! happened. `folders`: what a folder and its group hold (copies, swaps, links, pages);
//! `names`: names a second machine reads otherwise; `runs`: runs killed, side by side, or
//! whose answers are lost; `transfer`: copies to another account and pulls into a folder.

mod folders;
mod names;
mod runs;
mod transfer;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::accounts::Two;
use crate::support::cli_env::{Env, distinct_png, distinct_pngs};

pub(super) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `sync DIR --group Refs` with `extra` arguments, through `env`'s default profile.
pub(super) async fn sync(env: &Env, dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["sync", dir.to_str().unwrap(), "--group", "Refs"];
    args.extend_from_slice(extra);
    env.run(&args).await
}

/// The `--dry-run --json` plan of `sync DIR --group Refs` with `extra` arguments.
pub(super) async fn plan(env: &Env, dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--dry-run", "--json"];
    args.extend_from_slice(extra);
    let out = sync(env, dir, &args).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {:?} {}", out.status, stderr(&out)))
}

/// A plan's counts: create, rename, delete, unchanged, extra.
pub(super) fn counts(plan: &serde_json::Value) -> [u64; 5] {
    ["Create", "Rename", "Delete", "Unchanged", "Extra"].map(|k| plan[k].as_u64().unwrap())
}

/// The ids a plan's rows put a file on (unchanged or renamed), in row order.
pub(super) fn matched_ids(plan: &serde_json::Value) -> Vec<String> {
    plan["Rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["Action"] == "unchanged" || r["Action"] == "rename")
        .map(|r| r["Id"].as_str().unwrap().to_owned())
        .collect()
}

/// The assets of `env`'s account in the group named `group`: id → name.
pub(super) fn group_assets(env: &Env, group: &str) -> BTreeMap<String, String> {
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
pub(super) fn each_name_once(assets: &BTreeMap<String, String>) -> bool {
    let names: BTreeSet<&String> = assets.values().collect();
    names.len() == assets.len()
}

/// A folder `name` in `env`'s data folder with a distinct PNG for each of `tags`.
pub(super) fn folder(env: &Env, name: &str, tags: &[&str]) -> PathBuf {
    let dir = env.data.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for tag in tags {
        distinct_png(&dir, tag);
    }
    dir
}

/// Waits (`wait`) until every asset of `env`'s account is done, through `profile`.
pub(super) async fn wait_all(two: &Two, env: &Env, profile: &str) {
    let ids: Vec<String> = env.emu.snapshot().assets.keys().cloned().collect();
    let mut args = vec!["--profile", profile, "wait"];
    args.extend(ids.iter().map(String::as_str));
    two.ok(&args).await;
}

/// Account `a`'s group `Refs` of `count` distinct images, every asset done.
pub(super) async fn copied_group(two: &Two, count: usize) {
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
pub(super) fn groups_named(env: &Env, name: &str) -> usize {
    (env.emu.snapshot().groups.values())
        .filter(|g| g.name == name)
        .count()
}
