//! The fault matrix: creates, lists, gets and updates through the real binary while the
//! emulator injects server errors, throttling bursts, latency, dropped connections, or
//! restarts. Each ends with exactly one asset per intended create.

use crate::support::{FaultSeed, cli_env};

use std::time::Duration;

use ark_assets::api::model::Status;
use ark_assets::emulator::{Config, Faults};
use cli_env::Env;

/// Imports `rows` rows, re-running (as a user would) until it reports success; returns runs.
async fn import_until_done(env: &Env, group: &str, rows: usize) -> usize {
    let file = env.data.join(format!("faults-{rows}.csv"));
    let text: String = (0..rows)
        .map(|i| format!("{},f-{i}\n", env.emu.sample_url("portrait.png")))
        .collect();
    std::fs::write(&file, text).unwrap();
    import_until_done_file(env, group, &file).await
}

/// Runs the operations of the matrix under `faults` and checks the outcome.
async fn matrix(name: &str, faults: Faults, rows: usize) {
    let env = Env::start(Config::default()).await;
    let group = env.ok(&["groups", "create", name]).await.trim().to_owned();
    let seed = FaultSeed::new();
    env.emu.set_faults(Faults {
        seed: Some(seed.0),
        ..faults
    });
    let runs = import_until_done(&env, &group, rows).await;
    // Reads and updates are retried by the client itself.
    let listed = env.json(&["assets", "list", "--group", &group]).await;
    assert_eq!(listed.as_array().unwrap().len(), rows, "{name}: listing");
    let first = listed[0]["Id"].as_str().unwrap().to_owned();
    env.ok(&["assets", "rename", &first, "renamed"]).await;
    assert_eq!(
        env.json(&["assets", "get", &first]).await["Name"],
        "renamed"
    );
    env.ok(&["groups", "rename", &group, "--description", "survived"])
        .await;
    let stats = env.emu.stats();
    env.emu.set_faults(Faults::default());
    let names: std::collections::BTreeSet<String> = env.asset_names(&group).into_iter().collect();
    let count = env.group_size(&group);
    println!(
        "{name}: {} requests, {} faults injected, {} throttled, import runs {runs}, assets {count}/{rows}",
        stats.total(),
        stats.faults,
        stats.throttled
    );
    assert_eq!(count, rows, "{name}: duplicates or losses");
    assert_eq!(
        names.len(),
        rows,
        "{name}: every intended asset exists once"
    );
}

#[tokio::test]
async fn ten_percent_server_errors() {
    matrix(
        "5xx",
        Faults {
            error_rate: 0.1,
            ..Faults::default()
        },
        40,
    )
    .await;
}

#[tokio::test]
async fn throttling_bursts() {
    matrix(
        "429",
        Faults {
            throttle_rate: 0.15,
            throttle_burst: 5,
            ..Faults::default()
        },
        40,
    )
    .await;
}

#[tokio::test]
async fn two_seconds_of_latency() {
    matrix(
        "latency",
        Faults {
            latency: Duration::from_secs(2),
            ..Faults::default()
        },
        8,
    )
    .await;
}

#[tokio::test]
async fn connections_dropped_mid_response() {
    matrix(
        "drops",
        Faults {
            drop_rate: 0.1,
            ..Faults::default()
        },
        40,
    )
    .await;
}

#[tokio::test]
async fn a_server_restart_during_an_import() {
    let path = std::env::temp_dir().join(format!("ark-assets-restart-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut env = Env::start(Config {
        data: Some(path.clone()),
        ..Config::default()
    })
    .await;
    let group = env.group("restart").await;
    let rows = 60;
    let file = env.data.join("restart.csv");
    let text: String = (0..rows)
        .map(|i| format!("{},r-{i}\n", env.emu.sample_url("portrait.png")))
        .collect();
    std::fs::write(&file, text).unwrap();
    let import = env.import(&group, &file).spawn().unwrap();
    // Restart once the import is under way.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while env.group_size(&group) < 10 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let during = env.group_size(&group);
    env.emu.restart(Duration::from_millis(500)).await.unwrap();
    let out = import.wait_with_output().await.unwrap();
    let mut runs = 1;
    if !out.status.success() {
        runs += import_until_done_file(&env, &group, &file).await;
    }
    let count = env.group_size(&group);
    println!(
        "restart: {during} assets when the server went down, import runs {runs}, assets {count}/{rows}"
    );
    assert!(
        during > 0 && during < rows,
        "the restart happened mid-import ({during})"
    );
    assert_eq!(count, rows, "exactly one asset per row across the restart");
    std::fs::remove_file(&path).ok();
}

/// Re-runs the import of `file` until it reports success; returns the runs.
async fn import_until_done_file(env: &Env, group: &str, file: &std::path::Path) -> usize {
    for run in 1..=6 {
        let out = env.import(group, file).output().await.unwrap();
        if out.status.success() {
            return run;
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    panic!("import never completed");
}

/// Puts `count` Active assets named `name` into `group`, created an hour ago (as an earlier
/// import would have left them).
fn seed_same_named(env: &Env, group: &str, name: &str, count: usize) {
    env.seed_assets(group, "s", count, |_| name.to_owned());
}

#[tokio::test]
async fn same_named_assets_at_scale_under_drops_and_server_errors() {
    let env = Env::start(Config::default()).await;
    let group = env.group("same-name").await;
    // More than 1,000 assets already carry the name every new row gets (URL-only rows are
    // named after the file), and the new rows are more than a page.
    let seeded = 1_100;
    seed_same_named(&env, &group, "portrait.png", seeded);
    let rows = 200;
    let file = env.data.join("same-name.txt");
    let text: String = (0..rows)
        .map(|i| format!("{}?row={i}\n", env.emu.sample_url("portrait.png")))
        .collect();
    std::fs::write(&file, text).unwrap();
    let seed = FaultSeed::new();
    env.emu.set_faults(Faults {
        drop_rate: 0.1,
        error_rate: 0.1,
        seed: Some(seed.0),
        ..Faults::default()
    });
    let runs = import_until_done_file(&env, &group, &file).await;
    let stats = env.emu.stats();
    env.emu.set_faults(Faults::default());
    let count = env.group_size(&group);
    println!(
        "same name: {rows} rows over {seeded} same-named assets, {} requests, {} faults, \
         import runs {runs}, assets {count}/{}",
        stats.total(),
        stats.faults,
        seeded + rows
    );
    assert!(stats.faults > 10, "faults were injected ({})", stats.faults);
    assert_eq!(count, seeded + rows, "one asset per row, none twice");
}

#[tokio::test]
async fn hostile_strings_from_the_service_never_reach_the_terminal_raw() {
    let env = Env::start(Config::default()).await;
    let hostile = "x\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{1b}]0;title\u{7}\u{9b}31m\u{202e}cba\u{200b}\nFAKE ROW";
    let group = env.group("hostile").await;
    seed_same_named(&env, &group, hostile, 1);
    let asset = "asset-20260101000000-s0000";
    env.emu.edit(|store, _| {
        let g = store.groups.get_mut(&group).unwrap();
        g.name = hostile.to_owned();
        g.description = hostile.to_owned();
        let a = &mut store.assets.get_mut(asset).unwrap().asset;
        a.status = Status::Failed;
        a.error = Some(ark_assets::api::model::AssetError {
            code: hostile.to_owned(),
            message: hostile.to_owned(),
        });
    });
    let clean = |what: &str, bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| ark_assets::text::is_unsafe(c) && c != '\n')
            .collect();
        assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
        assert!(
            !text.contains("\nFAKE ROW"),
            "{what}: a newline split a row: {text}"
        );
        text.into_owned()
    };
    for args in [
        vec!["groups", "list"],
        vec!["groups", "get", &group],
        vec!["assets", "list", "--group", &group],
        vec!["assets", "get", asset],
        vec!["wait", asset],
        vec!["--json", "groups", "list"],
        vec!["--json", "assets", "list", "--group", &group],
    ] {
        let out = env.run(&args).await;
        let stdout = clean(&format!("{args:?} stdout"), &out.stdout);
        clean(&format!("{args:?} stderr"), &out.stderr);
        if args[0] == "--json" {
            let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert!(
                value.to_string().contains("FAKE ROW"),
                "JSON keeps the value"
            );
        } else {
            assert!(
                stdout.contains("\\x1b]52;c;"),
                "{args:?} shows the escape: {stdout}"
            );
        }
    }
    // An id from the user with a bidi override is refused, and the message shows it escaped.
    let out = env.run(&["assets", "get", "asset-missing-\u{202e}"]).await;
    clean("refused id", &out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a bidi override in an id is refused"
    );
}

/// A WAV file whose header claims a sample rate of 0 Hz (a decoder divided by it).
fn zero_rate_wav() -> Vec<u8> {
    let mut wav = b"RIFF\x2c\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0".to_vec();
    wav.extend_from_slice(&0u32.to_le_bytes());
    wav.extend_from_slice(&0u32.to_le_bytes());
    wav.extend_from_slice(b"\x02\0\x10\0data\x08\0\0\0\0\0\0\0\0\0\0\0");
    wav
}

#[tokio::test]
async fn hostile_local_files_end_with_a_reason_and_nothing_hangs() {
    use std::os::unix::fs::symlink;
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("hostile").await;
    let dir = env.data.join("folder");
    std::fs::create_dir_all(dir.join("loop")).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png"),
        dir.join("a.png"),
    )
    .unwrap();
    symlink("..", dir.join("loop/up")).unwrap();
    symlink("../../folder", dir.join("sub/self")).unwrap();
    nix::unistd::mkfifo(&dir.join("pipe.png"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    std::fs::write(dir.join("zero.wav"), zero_rate_wav()).unwrap();
    let run = |args: Vec<String>| {
        let mut cmd = env.command(false);
        cmd.args(args);
        async move {
            tokio::time::timeout(Duration::from_secs(90), cmd.output())
                .await
                .expect("it ends")
                .unwrap()
        }
    };
    let out = run(vec![
        "import".into(),
        "--recursive".into(),
        "--group".into(),
        group.clone(),
        dir.display().to_string(),
    ])
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("1 created"), "{stdout}");
    assert!(stderr.contains("pipe.png: left out: is a FIFO"), "{stderr}");
    assert!(stderr.contains("already included"), "{stderr}");
    assert!(stderr.contains("sample rate of 0 Hz"), "{stderr}");
    assert_eq!(env.group_size(&group), 1, "one file, one asset");
    for (file, why) in [("pipe.png", "FIFO"), ("zero.wav", "sample rate of 0 Hz")] {
        let out = run(vec![
            "assets".into(),
            "create".into(),
            "--group".into(),
            group.clone(),
            "--file".into(),
            dir.join(file).display().to_string(),
        ])
        .await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {stderr}");
        assert!(stderr.contains(why), "{file}: {stderr}");
    }
    assert_eq!(env.group_size(&group), 1);
}

#[tokio::test]
async fn what_cannot_be_read_is_refused_with_the_error_never_left_out() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("unreadable").await;
    let dir = env.data.join("folder");
    std::fs::create_dir_all(&dir).unwrap();
    cli_env::distinct_png(&dir, "fine");
    // A link to nothing fails to be read for anyone, root included.
    symlink("gone.png", dir.join("dangling.png")).unwrap();
    let mut unreadable = vec![("dangling.png", "No such file or directory (os error 2)")];
    let mut readable = 1;
    cli_env::distinct_png(&dir, "locked");
    std::fs::create_dir(dir.join("shut")).unwrap();
    cli_env::distinct_png(&dir.join("shut"), "inside");
    let mode = |name: &str, mode: u32| {
        std::fs::set_permissions(dir.join(name), PermissionsExt::from_mode(mode)).unwrap()
    };
    mode("locked.png", 0o000);
    mode("shut", 0o000);
    if std::fs::read(dir.join("locked.png")).is_ok() {
        println!("skipped the mode 0000 cases: this user (root) reads through permissions");
        mode("locked.png", 0o644);
        mode("shut", 0o755);
        readable = 3;
    } else {
        let denied = "Permission denied (os error 13)";
        unreadable.extend([("locked.png", denied), ("shut", denied)]);
    }
    let shown = dir.display().to_string();
    // An import and a sync's plan both refuse them, naming the error; none is "left out".
    let import = ["import", "--recursive", "--group", &group, &shown];
    let sync = [
        "sync",
        &shown,
        "--recursive",
        "--group",
        &group,
        "--dry-run",
    ];
    for (args, prefix) in [(&import[..], ""), (&sync[..], "refused   ")] {
        let out = env.run(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        for (name, error) in &unreadable {
            let line = format!("{prefix}{shown}/{name}: cannot be read: {error}");
            assert!(stderr.contains(&line), "{line}\n{stderr}");
            assert!(!stderr.contains(&format!("{name}: left out")), "{stderr}");
        }
    }
    assert_eq!(
        env.group_size(&group),
        readable,
        "the readable files, alone"
    );
    mode("shut", 0o755);
}
