//! Daily work through the binary: many assets deleted at once, names edited in an editor,
//! and (see `sync`) a group kept in step with a folder.

use crate::support::cli_env::{Env, distinct_png, distinct_pngs};

use std::process::Stdio;
use tokio::io::AsyncWriteExt;

use ark_assets::api::model::Action;
use ark_assets::emulator::Config;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn many_assets_are_deleted_from_arguments_or_standard_input() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Extras").await;
    env.seed_assets(&group, "d", 5, |i| format!("extra-{i}"));
    let id = |i: usize| format!("asset-20260101000000-d{i:04}");
    // One id refused refuses all: nothing is sent.
    let out = env.run(&["assets", "delete", &id(0), "not an id!"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(env.group_size(&group), 5);
    assert!(!env.emu.stats().requests.contains_key(&Action::DeleteAsset));

    let out = env
        .run(&["assets", "delete", &id(0), &format!("Asset://{}", id(1))])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    let mut child = env
        .command(false)
        .args(["--json", "assets", "delete", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ids = format!("# from a file\n{}\n\n{}\n{}\n", id(2), id(3), id(0));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ids.as_bytes())
        .await
        .unwrap();
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["deleted", "deleted", "gone"], "{report}");
    assert_eq!(env.group_size(&group), 1);
}

/// An editor that writes `wanted` over the file it is given (a script of shell built-ins).
fn editor(env: &Env, wanted: &str) -> String {
    let text = env.data.join("wanted.tsv");
    std::fs::write(&text, wanted).unwrap();
    let script = env.data.join("editor.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nwhile IFS= read -r line; do printf '%s\\n' \"$line\"; done < '{}' > \"$1\"\n",
            text.display()
        ),
    )
    .unwrap();
    format!("sh {}", script.display())
}

#[tokio::test]
async fn names_are_edited_in_the_editor_and_a_changed_id_is_refused() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Cast").await;
    env.seed_assets(&group, "r", 3, |i| format!("cast-{i}"));
    let listed = env.json(&["assets", "list", "--group", &group]).await;
    let rows: Vec<(String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Id"].as_str().unwrap().to_owned(),
                a["Name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let buffer = |rows: &[(String, String)]| -> String {
        rows.iter()
            .map(|(id, name)| format!("{id}\t{name}\n"))
            .collect()
    };
    let run = |editor: String| {
        let mut cmd = env.command(false);
        cmd.env("EDITOR", editor)
            .args(["assets", "rename", "--group", "Cast", "--editor"]);
        cmd
    };

    // An id changed: refused whole, with its line; nothing is sent.
    let mut broken = rows.clone();
    broken[0].1 = "lead".into();
    broken[2].0 = "asset-20260101000000-zzzzz".into();
    let out = run(editor(&env, &buffer(&broken))).output().await.unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 3: the id was changed"),
        "{}",
        stderr(&out)
    );
    assert!(!env.emu.stats().requests.contains_key(&Action::UpdateAsset));

    // Two names edited: two renames, the third untouched.
    let mut edited = rows.clone();
    edited[0].1 = "lead".into();
    edited[1].1 = "主角 2".into();
    let out = run(editor(&env, &buffer(&edited))).output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 renamed, 1 unchanged, 0 failed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.emu.stats().requests[&Action::UpdateAsset], 2);
    let store = env.emu.snapshot();
    assert_eq!(store.assets[&rows[0].0].asset.name, "lead");
    assert_eq!(store.assets[&rows[1].0].asset.name, "主角 2");
    assert_eq!(store.assets[&rows[2].0].asset.name, rows[2].1);

    // An editor that fails changes nothing.
    let out = run("exit 1;".into()).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing was changed"),
        "{}",
        stderr(&out)
    );
    let _ = tokio::io::stdout().flush().await;
}

/// `sync` of `dir` into group `Refs`, with `extra` arguments; the output.
async fn sync(env: &Env, dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sync", dir.to_str().unwrap(), "--group", "Refs"];
    args.extend_from_slice(extra);
    env.run(&args).await
}

#[tokio::test]
async fn a_group_is_kept_in_step_with_a_folder() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let dir = env.data.join("refs");
    std::fs::create_dir_all(&dir).unwrap();
    for tag in ["hero", "villain", "crowd"] {
        distinct_png(&dir, tag);
    }
    // A first sync makes the group and creates every file.
    let out = sync(&env, &dir, &["--create-group"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("3 created, 0 renamed, 0 deleted, 0 unchanged, 0 refused\n"),
        "{}",
        stdout(&out)
    );
    let group = env.json(&["groups", "get", "Refs"]).await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.asset_names(&group), ["crowd", "hero", "villain"]);
    assert_eq!(env.puts(), 3);

    // A renamed file renames its asset, uploading nothing.
    std::fs::rename(dir.join("hero.png"), dir.join("lead.png")).unwrap();
    let out = sync(&env, &dir, &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("rename    asset-"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("\"hero\" → \"lead\""),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.asset_names(&group), ["crowd", "lead", "villain"]);
    assert_eq!(env.puts(), 3, "a rename uploads nothing");

    // A removed file: reported, and deleted only with --delete.
    std::fs::remove_file(dir.join("villain.png")).unwrap();
    distinct_png(&dir, "new-face");
    let dry = sync(&env, &dir, &["--delete", "--dry-run"]).await;
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stderr(&dry).contains("1 to create, 0 to rename, 1 to delete, 2 unchanged, 0 refused"),
        "{}",
        stderr(&dry)
    );
    assert_eq!(
        env.asset_names(&group).len(),
        3,
        "a dry run changes nothing"
    );
    assert_eq!(env.puts(), 3);
    let out = sync(&env, &dir, &[]).await;
    assert!(
        stdout(&out).contains("extra     asset-"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        env.asset_names(&group),
        ["crowd", "lead", "new-face", "villain"]
    );
    let out = sync(&env, &dir, &["--delete", "--json"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&report["Created"], &report["Deleted"], &report["Unchanged"]),
        (&0.into(), &1.into(), &3.into()),
        "{report}"
    );
    assert_eq!(env.asset_names(&group), ["crowd", "lead", "new-face"]);

    // Run again: nothing to do, nothing sent but one listing.
    let before = env.emu.stats();
    let out = sync(&env, &dir, &["--delete"]).await;
    assert!(
        stdout(&out).ends_with("0 created, 0 renamed, 0 deleted, 3 unchanged, 0 refused\n"),
        "{}",
        stdout(&out)
    );
    let after = env.emu.stats();
    for action in [
        Action::CreateAsset,
        Action::UpdateAsset,
        Action::DeleteAsset,
    ] {
        assert_eq!(
            after.requests.get(&action),
            before.requests.get(&action),
            "{action}"
        );
    }
    assert_eq!(env.puts(), 4);
}

#[tokio::test]
async fn a_sync_killed_halfway_ends_exact_when_run_again() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let files = 40;
    let dir = distinct_pngs(&env, "many", "face", files);
    env.group("Refs").await;
    let child = env
        .command(false)
        .args(["sync", dir.to_str().unwrap(), "--group", "Refs"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::support::cli_env::kill_after_created(child, 10).await;
    let group_id = env.json(&["groups", "get", "Refs"]).await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let during = env.group_size(&group_id);
    assert!((10..files).contains(&during), "killed mid-way ({during})");
    let out = sync(&env, &dir, &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let group = env.json(&["groups", "get", "Refs"]).await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let names = env.asset_names(&group);
    assert_eq!(
        names.len(),
        files,
        "one asset per file, none twice: {names:?}"
    );
    let again = sync(&env, &dir, &[]).await;
    assert!(
        stdout(&again).ends_with(&format!(
            "0 created, 0 renamed, 0 deleted, {files} unchanged, 0 refused\n"
        )),
        "{}",
        stdout(&again)
    );
}

#[tokio::test]
async fn match_name_takes_assets_made_elsewhere_for_the_files_of_their_name() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Refs").await;
    // Made by another tool: this profile's ledger knows nothing of them.
    env.seed_assets(&group, "m", 2, |i| ["hero", "villain"][i].to_owned());
    let dir = env.data.join("refs");
    std::fs::create_dir_all(&dir).unwrap();
    distinct_png(&dir, "hero");
    let by_content = sync(&env, &dir, &["--dry-run"]).await;
    assert!(
        stderr(&by_content).contains("1 to create, 0 to rename, 0 to delete, 0 unchanged"),
        "{}",
        stderr(&by_content)
    );
    let by_name = sync(&env, &dir, &["--match", "name", "--dry-run", "--json"]).await;
    let plan: serde_json::Value = serde_json::from_slice(&by_name.stdout).unwrap();
    assert_eq!(
        (&plan["Create"], &plan["Unchanged"], &plan["Extra"]),
        (&0.into(), &1.into(), &1.into()),
        "{plan}"
    );
    let rows = plan["Rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["Action"] == "extra" && r["Name"] == "villain"),
        "{plan}"
    );
}
