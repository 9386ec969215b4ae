//! The binary against the emulator playing the live service strictly (spec section 12): a
//! `Filter` on every listing, token pages, groups of both kinds, temporary keys, and group
//! deletes that take the group's assets with them.

use crate::support::cli_env::Env;

use ark_assets::api::model::{Action, AssetGroup, GroupType};
use ark_assets::emulator::{Config, Faults, demo_sts_account};
use chrono::Duration;
use secrecy::ExposeSecret;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Puts `count` groups of `kind` named `<prefix>-<n>` into the emulator, as a service with an
/// account's history holds them.
fn seed_groups(env: &Env, kind: GroupType, prefix: &str, count: usize) {
    env.emu.edit(|store, now| {
        for i in 0..count {
            let at = now - Duration::hours(2) + Duration::seconds(i as i64);
            let id = format!("group-20260101000000-{prefix}{i:04}");
            let group = AssetGroup {
                id: id.clone(),
                name: format!("{prefix}-{i}"),
                description: String::new(),
                group_type: kind.name().to_owned(),
                project_name: "default".into(),
                create_time: Some(at),
                update_time: Some(at),
            };
            store.groups.insert(id, group);
        }
    });
}

/// Puts `count` Active assets into `group`.
fn seed_assets(env: &Env, group: &str, count: usize) {
    env.seed_assets(group, "b", count, |i| format!("cast-{i:03}"));
}

fn ids(listing: &serde_json::Value) -> std::collections::BTreeSet<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["Id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn groups_of_both_kinds_are_listed_whole_over_token_pages() {
    let env = Env::start(Config::default()).await;
    seed_groups(&env, GroupType::Aigc, "aigc", 180);
    seed_groups(&env, GroupType::LivenessFace, "person", 65);
    let groups = env.json(&["groups", "list"]).await;
    assert_eq!(ids(&groups).len(), 245, "every group, once");
    let people = groups
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["GroupType"] == "LivenessFace")
        .count();
    assert_eq!(people, 65);
    let asked = env.emu.stats().requests[&Action::ListAssetGroups];
    assert!(
        asked >= 3,
        "two token pages of AIGC groups and one of real people's at least: {asked}"
    );
}

#[tokio::test]
async fn a_257_asset_group_is_listed_whole_by_id_and_by_name() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Big cast").await;
    seed_assets(&env, &group, 257);
    let by_id = env.json(&["assets", "list", "--group", &group]).await;
    assert_eq!(ids(&by_id).len(), 257);
    let by_name = env.json(&["assets", "list", "--group", "Big cast"]).await;
    assert_eq!(ids(&by_name), ids(&by_id));
    // The table says how many; an unknown group is an error that names what was looked for.
    let table = env.ok(&["assets", "list", "--group", "Big cast"]).await;
    assert_eq!(table.lines().filter(|l| l.contains("cast-")).count(), 257);
    let out = env.run(&["assets", "list", "--group", "Big cats"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("\"Big cats\""), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn a_listing_whose_token_never_advances_stops_with_exit_1_and_says_why() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Big cast").await;
    seed_assets(&env, &group, 257);
    env.emu.set_faults(Faults {
        stuck_token: true,
        ..Faults::default()
    });
    let out = env.run(&["assets", "list", "--group", &group]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the listing is incomplete: 200 items listed")
            && err.contains("gave back a NextToken"),
        "{err}"
    );
}

#[tokio::test]
async fn a_group_that_holds_assets_is_deleted_only_with_them_named() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Big cast").await;
    seed_assets(&env, &group, 240);
    let out = env.run(&["groups", "delete", "Big cast"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holds 240 assets") && stderr(&out).contains("--with-assets"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        env.emu.stats().requests.get(&Action::DeleteAssetGroup),
        None,
        "nothing was sent"
    );
    assert_eq!(env.group_size(&group), 240);
    env.ok(&["groups", "delete", "Big cast", "--with-assets"])
        .await;
    assert_eq!(
        env.group_size(&group),
        0,
        "the service deletes the assets too"
    );
    assert!(!env.emu.snapshot().groups.contains_key(&group));
    // An empty group needs no flag.
    let empty = env.group("Empty").await;
    env.ok(&["groups", "delete", &empty]).await;
}

#[tokio::test]
async fn temporary_keys_work_with_their_session_token_and_never_retry_without_it() {
    let sts = demo_sts_account();
    let token = sts.session_token.clone().unwrap();
    let env = Env::start(Config {
        accounts: vec![sts],
        ..Config::default()
    })
    .await;
    let with = |token: Option<&str>| {
        let mut cmd = env.command(false);
        if let Some(token) = token {
            cmd.env("VOLC_SESSIONTOKEN", token);
        }
        cmd.env("ARK_ASSETS_LOG", "trace");
        cmd.args(["groups", "list"]);
        cmd
    };
    let out = with(Some(token.expose_secret())).output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let out = with(None).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("MissingParameter") && stderr(&out).contains("X-Security-Token"),
        "{}",
        stderr(&out)
    );
    let before = env.emu.stats().refused;
    let out = with(Some("STSexpired")).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("InvalidSecretToken") && err.contains("VOLC_SESSIONTOKEN"),
        "{err}"
    );
    assert!(
        !err.contains("STSexpired"),
        "the token is not echoed: {err}"
    );
    assert_eq!(env.emu.stats().refused, before + 1, "never retried");

    // A profile keeps it; `config show` masks it.
    let out = env
        .command(false)
        .env("VOLC_SESSIONTOKEN", token.expose_secret())
        .args(["--profile", "sts", "config", "init", "--access-key"])
        .arg(ark_assets::emulator::DEMO_STS_ACCESS_KEY)
        .args(["--provider", "volcengine", "--endpoint", &env.emu.url])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let profile = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", env.data.join("config.toml"))
            .env("ARK_ASSETS_DATA", &env.data)
            .args(["--profile", "sts"])
            .args(args);
        cmd
    };
    let shown = profile(&["config", "show"]).output().await.unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains("session_token"), "{shown}");
    assert!(!shown.contains(token.expose_secret()), "{shown}");
    let out = profile(&["groups", "list"]).output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let log = std::fs::read_to_string(env.data.join("ark-assets.log")).unwrap();
    assert!(log.contains("ListAssetGroups"), "the log has content");
    assert!(
        !log.contains(token.expose_secret()),
        "the log never holds the token"
    );
}
