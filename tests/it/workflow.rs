//! Daily work through the binary: many assets deleted at once, names edited in an editor,
//! and (see `sync`) a group kept in step with a folder.

use crate::support::cli_env::Env;

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
