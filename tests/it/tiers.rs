//! Account tiers through the real binary: the emulator playing a tier's CreateAsset rate, an
//! import that learns it from the 429s (rows wait their turn, none fails) and keeps it, and a
//! batch that says how long it will take before it starts.

use crate::support::cli_env;

use std::time::Duration;

use ark_assets::api::limits::Tier;
use ark_assets::emulator::Config;
use cli_env::Env;
use tokio::io::AsyncBufReadExt;

/// A listing of `rows` URL rows (`row-<i>`).
fn rows(env: &Env, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("url,name\n");
    for i in 0..rows {
        text.push_str(&format!("{},row-{i}\n", env.emu.sample_url("portrait.png")));
    }
    let file = env.data.join(format!("rows-{rows}.csv"));
    std::fs::write(&file, text).unwrap();
    file
}

/// `[--json] import --no-check [--partial] --group GROUP FILE`.
async fn import(
    env: &Env,
    (json, partial): (bool, bool),
    group: &str,
    file: &std::path::Path,
) -> std::process::Output {
    let mut args = if json { vec!["--json"] } else { vec![] };
    args.extend(["import", "--no-check"]);
    if partial {
        args.push("--partial");
    }
    args.extend(["--group", group, file.to_str().unwrap()]);
    env.run(&args).await
}

/// The CreateAsset rate a minute kept in the ledger under `data`, if any.
fn kept_rate(data: &std::path::Path) -> Option<f64> {
    let mut ledgers = Vec::new();
    let mut dirs = vec![data.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "sqlite") {
                ledgers.push(path);
            }
        }
    }
    ledgers.iter().find_map(|path| {
        let conn = rusqlite::Connection::open(path).ok()?;
        conn.query_row(
            "SELECT per_minute FROM rates WHERE action = 'CreateAsset'",
            [],
            |row| row.get(0),
        )
        .ok()
    })
}

#[tokio::test]
async fn an_import_on_an_untold_entry_account_waits_out_its_429s_and_keeps_the_rate() {
    let env = Env::start(Config {
        tier: Some(Tier::Entry),
        ..Config::default()
    })
    .await;
    let group = env.group("free").await;
    let file = rows(&env, 4);
    // 3 creates go at once; the 4th meets 429 (Retry-After about a minute) and waits its turn.
    let out = import(&env, (true, false), &group, &file).await;
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Created"].as_array().unwrap().len(), 4, "{report}");
    assert_eq!(report["Failed"].as_array().unwrap().len(), 0, "{report}");
    let throttled = report["Throttled"].as_u64().unwrap();
    assert!((1..=2).contains(&throttled), "{report}");
    assert_eq!(env.emu.stats().throttled, throttled);
    assert_eq!(env.group_size(&group), 4);
    let kept = kept_rate(&env.data).expect("the learned rate is kept in the ledger");
    assert!((2.0..=3.0).contains(&kept), "kept {kept} a minute");
}

#[tokio::test]
async fn a_batch_longer_than_a_minute_at_the_profile_s_rate_says_so_first() {
    let env = Env::start(Config::default()).await;
    std::fs::write(
        env.data.join("config.toml"),
        "[profiles.default]\ncreate_per_minute = 2\n",
    )
    .unwrap();
    let group = env.group("slow").await;
    let file = rows(&env, 5);
    let mut child = env.import(&group, &file).spawn().unwrap();
    let mut stderr = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let said = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = stderr.next_line().await.unwrap() {
            if line.contains("creates at") {
                return line;
            }
        }
        panic!("the import ended without saying how long it takes");
    })
    .await
    .expect("the estimate within 30 s");
    assert_eq!(said, "5 creates at 2 a minute: about 3 minutes");
    // Before the second create (30 s after the first), only one was sent.
    assert!(env.emu.snapshot().assets.len() <= 1);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn an_import_past_the_entry_quota_is_refused_before_anything_is_sent_unless_partial() {
    let env = Env::start(Config::default()).await;
    // The profile is a free BytePlus account's; the emulator stands in for its endpoint.
    std::fs::write(
        env.data.join("config.toml"),
        "[profiles.default]\nprovider = \"byteplus\"\nregion = \"cn-beijing\"\ntier = \"entry\"\n",
    )
    .unwrap();
    let group = env.group("full").await;
    env.seed_assets(&group, "q", 48, |i| format!("old-{i}"));
    let file = rows(&env, 4);
    let out = import(&env, (false, false), &group, &file).await;
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the account has 48 assets and its quota is 50: 2 of the 4 creates would not fit; \
             nothing was sent (--partial creates the 2 that fit)"
        ),
        "{err}"
    );
    assert_eq!(env.group_size(&group), 48, "nothing was sent");
    let out = import(&env, (true, true), &group, &file).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "rows past the quota are reported"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Created"].as_array().unwrap().len(), 2, "{report}");
    let failed = report["Failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{report}");
    assert!(
        failed[0]["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("quota"),
        "{report}"
    );
    assert_eq!(env.group_size(&group), 50);
}

#[tokio::test]
async fn a_sync_past_the_entry_quota_is_refused_whole_unless_partial() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let path = env.data.join("config.toml");
    let config = std::fs::read_to_string(&path).unwrap().replacen(
        "[profiles.default]\n",
        "[profiles.default]\nprovider = \"byteplus\"\nregion = \"cn-beijing\"\ntier = \"entry\"\n",
        1,
    );
    ark_assets::files::write_private(&path, config.as_bytes()).unwrap();
    let group = env.group("Refs").await;
    env.seed_assets(&group, "q", 48, |i| format!("old-{i}"));
    let dir = crate::support::cli_env::distinct_pngs(&env, "refs", "new", 3);
    let dir = dir.to_str().unwrap();
    let out = env.run(&["sync", dir, "--group", "Refs"]).await;
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of the 3 creates would not fit; nothing was sent"),
        "{err}"
    );
    assert_eq!(env.group_size(&group), 48, "nothing was sent");
    let out = env
        .run(&["sync", dir, "--group", "Refs", "--partial"])
        .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "files past the quota are reported"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("past the account's quota"), "{err}");
    assert_eq!(env.group_size(&group), 50);
}
