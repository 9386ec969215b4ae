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
        .run(&[
            "assets",
            "delete",
            "-y",
            &id(0),
            &format!("Asset://{}", id(1)),
        ])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));
    let mut child = env
        .command(false)
        .args([
            "--json",
            "assets",
            "delete",
            "--yes",
            "--ignore-missing",
            "-",
        ])
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
    assert_eq!(results, ["deleted", "deleted", "not found"], "{report}");
    assert_eq!(env.group_size(&group), 1);
}

/// The DeleteAsset requests the emulator answered so far.
fn deletes_sent(env: &Env) -> u64 {
    let stats = env.emu.stats();
    stats
        .requests
        .get(&Action::DeleteAsset)
        .copied()
        .unwrap_or(0)
}

#[tokio::test]
async fn an_id_not_found_is_an_error_and_each_id_is_deleted_once() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Typos").await;
    env.seed_assets(&group, "t", 3, |i| format!("take-{i}"));
    let id = |i: usize| format!("asset-20260101000000-t{i:04}");
    // A mistyped id: said as not found, exit 1.
    let typo = "asset-20260101000000-nope0";
    let out = env.run(&["assets", "delete", "--yes", typo]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("not found {typo}\n"));
    assert!(
        stderr(&out).contains("--ignore-missing"),
        "{}",
        stderr(&out)
    );
    // Accepted as done with --ignore-missing.
    let out = env
        .run(&["assets", "delete", "--yes", "--ignore-missing", typo])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("not found {typo}\n"));
    // A repeated id, wherever it stands, is asked once and reported once.
    let before = deletes_sent(&env);
    let (a, b, c) = (id(0), id(1), id(2));
    let out = env
        .run(&["assets", "delete", "--yes", &a, &b, &a, &c])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(deletes_sent(&env) - before, 3);
    assert_eq!(
        stdout(&out),
        format!("deleted {a}\ndeleted {b}\ndeleted {c}\n")
    );
    assert_eq!(env.group_size(&group), 0);
}

#[tokio::test]
async fn an_asset_another_live_run_holds_is_not_deleted() {
    use ark_assets::ledger::{Entry, EntryState, Ledger};
    let env = Env::start(Config::default()).await;
    let group = env.group("Held").await;
    env.seed_assets(&group, "h", 2, |i| format!("held-{i}"));
    let id = |i: usize| format!("asset-20260101000000-h{i:04}");
    // A first delete opens (makes) the profile's ledger.
    env.ok(&["assets", "delete", "--yes", &id(0)]).await;
    let path = std::fs::read_dir(env.data.join("ledger"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("the ledger");
    // This test is another run, alive, with an attempt about the second asset under way.
    let other = Ledger::open(&path).unwrap();
    other
        .record(&Entry {
            key: "another-run".into(),
            group: group.clone(),
            name: "held-1".into(),
            url: "https://example.com/held.png".into(),
            state: EntryState::Pending,
            id: Some(id(1)),
            error: None,
            at: chrono::Utc::now(),
            object: None,
            cleaned: false,
            sha256: None,
        })
        .unwrap();
    let before = deletes_sent(&env);
    let out = env.run(&["assets", "delete", "--yes", &id(1)]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(&format!(
            "held {}: another run of ark-assets (pid {})",
            id(1),
            std::process::id()
        )),
        "{said}"
    );
    assert_eq!(deletes_sent(&env), before, "nothing was sent");
    assert_eq!(env.group_size(&group), 1);
    // Once that run has ended, the asset is deleted.
    drop(other);
    env.ok(&["assets", "delete", "--yes", &id(1)]).await;
    assert_eq!(env.group_size(&group), 0);
}

#[tokio::test]
async fn deleting_without_a_terminal_or_yes_is_refused_and_sends_nothing() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Unattended").await;
    env.seed_assets(&group, "u", 2, |i| format!("unattended-{i}"));
    // `command` runs the binary in a session of its own: no terminal to ask at.
    let out = env
        .run(&["assets", "delete", "asset-20260101000000-u0000"])
        .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    // A sync of an empty folder with --delete (and --delete-all, so that emptying the group
    // is allowed): planned, nothing deleted without a yes.
    let out = env.sync_empty(&group, &["--delete", "--delete-all"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    assert_eq!(deletes_sent(&env), 0);
    assert_eq!(env.group_size(&group), 2);
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
    let run = |editor: String| rename_in(&env, "Cast", &editor);

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

/// `assets rename --group GROUP --editor` with `editor` as `$EDITOR`, its input empty.
fn rename_in(env: &Env, group: &str, editor: &str) -> tokio::process::Command {
    let mut cmd = env.command(false);
    cmd.env("EDITOR", editor)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .args(["assets", "rename", "--group", group, "--editor"]);
    cmd
}

#[tokio::test]
async fn an_editor_s_byte_order_mark_is_accepted_and_a_flood_of_problems_told_briefly() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Marked").await;
    env.seed_assets(&group, "b", 3, |i| format!("mark-{i}"));
    let id = |i: usize| format!("asset-20260101000000-b{i:04}");
    // Names as they are but the second, saved with a UTF-8 byte-order mark, as some editors do.
    let name = |i: usize| match i {
        1 => "renamed".to_owned(),
        _ => format!("mark-{i}"),
    };
    let edited: String = (0..3)
        .rev()
        .map(|i| format!("{}\t{}\n", id(i), name(i)))
        .collect();
    let out = rename_in(&env, "Marked", &editor(&env, &format!("\u{feff}{edited}")))
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 renamed, 2 unchanged"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.emu.snapshot().assets[&id(1)].asset.name, "renamed");

    // 10 MB of garbage: an id of 5 MB, then 50,000 lines where there were three.
    let garbage = env.data.join("garbage.tsv");
    let mut text = format!("{}\tname\n", "x".repeat(5_000_000));
    text.push_str(&format!("{}\n", "y".repeat(99)).repeat(50_000));
    std::fs::write(&garbage, text).unwrap();
    let script = env.data.join("garbage.sh");
    std::fs::write(&script, format!("cat '{}' > \"$1\"\n", garbage.display())).unwrap();
    let out = rename_in(&env, "Marked", &format!("sh {}", script.display()))
        .output()
        .await
        .unwrap();
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.len() < 8 * 1024, "{} bytes of stderr", err.len());
    assert!(err.contains("line 1: the id was changed to \"xxx"), "{err}");
    assert!(err.contains("and 49981 more problems"), "{err}");
    assert_eq!(
        env.emu.stats().requests[&Action::UpdateAsset],
        1,
        "nothing more was sent"
    );
}

#[tokio::test]
async fn an_editor_that_returns_at_once_is_told_how_to_wait() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Hasty").await;
    env.seed_assets(&group, "h", 2, |i| format!("hasty-{i}"));
    // `code` without --wait: the window opens, the command returns, the file as it was.
    let out = rename_in(&env, "Hasty", "true").output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("gave the text back unchanged at once")
            && stderr(&out).contains("EDITOR=\"code --wait\""),
        "{}",
        stderr(&out)
    );
    assert!(!env.emu.stats().requests.contains_key(&Action::UpdateAsset));
}

#[tokio::test]
async fn a_signal_while_the_editor_is_open_ends_it_and_removes_its_file() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::os::unix::process::ExitStatusExt;
    let env = Env::start(Config::default()).await;
    let group = env.group("Killed").await;
    env.seed_assets(&group, "k", 2, |i| format!("killed-{i}"));
    for signal in [Signal::SIGTERM, Signal::SIGHUP] {
        let seen = env.data.join(format!("seen-{signal}"));
        let script = env.data.join(format!("slow-{signal}.sh"));
        // Says which file it was given and its pid (written whole, then renamed), then waits.
        std::fs::write(
            &script,
            format!(
                "printf '%s\\n%s\\n' \"$1\" $$ > '{0}.part'\nmv '{0}.part' '{0}'\nexec sleep 60\n",
                seen.display()
            ),
        )
        .unwrap();
        let mut child = rename_in(&env, "Killed", &format!("sh {}", script.display()))
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !seen.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "the editor did not start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let said = std::fs::read_to_string(&seen).unwrap();
        let (scratch, pid) = said.trim_end().split_once('\n').unwrap();
        let (scratch, editor) = (
            std::path::PathBuf::from(scratch),
            pid.parse::<i32>().unwrap(),
        );
        assert!(scratch.exists(), "{}", scratch.display());
        let cli = Pid::from_raw(child.id().unwrap() as i32);
        kill(cli, signal).unwrap();
        let status = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait())
            .await
            .expect("it ends")
            .unwrap();
        assert_eq!(
            status.signal(),
            Some(signal as i32),
            "ended by the signal: {status:?}"
        );
        assert!(!scratch.exists(), "{signal}: the names' file was removed");
        assert_eq!(
            kill(Pid::from_raw(editor), None),
            Err(nix::errno::Errno::ESRCH),
            "{signal}: the editor was ended"
        );
        assert!(!env.emu.stats().requests.contains_key(&Action::UpdateAsset));
    }
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
    let out = sync(&env, &dir, &["--delete", "--yes", "--json"]).await;
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
async fn links_out_of_the_folder_are_followed_only_with_follow_links() {
    use std::os::unix::fs::symlink;
    let env = Env::start(Config::default()).await.with_storage("").await;
    env.group("Refs").await;
    let home = env.data.join("home");
    let (dir, other) = (home.join("refs"), home.join("other"));
    for folder in [&dir, &other, &dir.join("sub")] {
        std::fs::create_dir_all(folder).unwrap();
    }
    distinct_png(&home, "private");
    distinct_png(&other, "outside");
    distinct_png(&dir, "own");
    distinct_png(&dir.join("sub"), "inner");
    symlink("..", dir.join("up")).unwrap();
    symlink("../other", dir.join("ext")).unwrap();
    symlink("sub", dir.join("alias")).unwrap();
    let creates = |out: &std::process::Output| -> Vec<String> {
        let mut names: Vec<String> = stdout(out)
            .lines()
            .filter_map(|l| l.strip_prefix("create    "))
            .map(|l| l.rsplit_once(" as ").unwrap().1.to_owned())
            .collect();
        names.sort();
        names
    };
    let plan = sync(&env, &dir, &["--recursive", "--dry-run"]).await;
    assert!(plan.status.success(), "{}", stderr(&plan));
    assert_eq!(
        creates(&plan),
        ["\"inner\"", "\"own\""],
        "{}",
        stdout(&plan)
    );
    let shown = dir.display().to_string();
    for link in ["up", "ext"] {
        let line = format!(
            "left out  {shown}/{link}: a link to a folder outside {shown} (--follow-links follows it)"
        );
        assert!(stderr(&plan).contains(&line), "{line}\n{}", stderr(&plan));
    }
    let followed = sync(&env, &dir, &["--recursive", "--dry-run", "--follow-links"]).await;
    assert_eq!(
        creates(&followed),
        ["\"inner\"", "\"outside\"", "\"own\"", "\"private\""],
        "{}",
        stdout(&followed)
    );
    // import keeps to the folder the same way.
    let group = env.group("Imported").await;
    let out = env
        .run(&["import", "--recursive", "--group", &group, &shown])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/up: left out: a link to a folder outside"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.asset_names(&group), ["inner", "own"]);
    let out = env
        .run(&["import", "-r", "--follow-links", "--group", &group, &shown])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.asset_names(&group),
        ["inner", "outside", "own", "private"]
    );
}
