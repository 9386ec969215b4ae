//! `doctor` through the binary: it passes against the demo, and fails (exit 1) naming what to
//! fix for a wrong secret key, a missing bucket, a clock the server disagrees with, and a config
//! file others can read.

use std::process::Output;

use crate::support::cli_env::Env;
use crate::support::stub::{Reply, Stub};
use ark_assets::emulator::Config;

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `doctor` run with `vars` set: its exit code and what it printed.
async fn doctor(env: &Env, vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut cmd = env.command(false);
    cmd.envs(vars.iter().copied()).arg("doctor");
    let out = cmd.output().await.unwrap();
    (out.status.code(), text(&out))
}

/// The line of check `name` and the one after it (its next step, when it failed).
fn line_of(out: &str, name: &str) -> String {
    let named = |l: &&str| {
        l.split_once(' ')
            .is_some_and(|(_, rest)| rest.starts_with(name))
    };
    let mut lines = out.lines().skip_while(|l| !named(l));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {name} line in:\n{out}"));
    format!("{first}\n{}", lines.next().unwrap_or_default())
}

#[tokio::test]
async fn doctor_passes_against_the_demo() {
    let env = Env::start(Config::default()).await;
    let out = env
        .command(false)
        .args(["--demo", "doctor"])
        .output()
        .await
        .unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    for name in [
        "profile",
        "endpoint",
        "clock",
        "signed read",
        "storage",
        "data plane",
        "data folder",
    ] {
        assert!(line_of(&shown, name).starts_with("✓"), "{name}:\n{shown}");
    }
    // A first run: the demo's ledger is not made by a check.
    assert!(
        line_of(&shown, "ledger").starts_with("· ledger       none yet"),
        "{shown}"
    );
    assert!(!shown.contains('✗'), "{shown}");
    let json = env
        .command(false)
        .args(["--demo", "--json", "doctor"])
        .output()
        .await
        .unwrap();
    let checks: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let storage = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["Check"] == "storage")
        .unwrap();
    assert_eq!(storage["Verdict"], "pass", "{checks}");
    assert!(
        storage["Detail"]
            .as_str()
            .unwrap()
            .contains("presigned GET")
    );
}

#[tokio::test]
async fn a_wrong_secret_key_fails_the_signed_read_naming_the_secret_key() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let (code, shown) = doctor(&env, &[("VOLC_SECRETKEY", "wrong-secret-for-doctor")]).await;
    assert_eq!(code, Some(1), "{shown}");
    let read = line_of(&shown, "signed read");
    assert!(
        read.starts_with("✗") && read.contains("SignatureDoesNotMatch"),
        "{read}"
    );
    assert!(read.contains("next: check the secret key"), "{read}");
    assert!(
        line_of(&shown, "storage").starts_with("✓"),
        "the bucket is another matter"
    );
    assert!(
        !shown.contains("wrong-secret-for-doctor"),
        "the secret is not shown: {shown}"
    );
}

#[tokio::test]
async fn a_missing_bucket_fails_the_storage_check_naming_the_bucket() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let config = env.data.join("config.toml");
    let text_of = std::fs::read_to_string(&config).unwrap();
    let moved = text_of.replace("bucket = \"assets\"", "bucket = \"no-such-bucket\"");
    ark_assets::files::write_private(&config, moved.as_bytes()).unwrap();
    let (code, shown) = doctor(&env, &[]).await;
    assert_eq!(code, Some(1), "{shown}");
    let storage = line_of(&shown, "storage");
    assert!(storage.starts_with("✗"), "{storage}");
    assert!(
        storage.contains("bucket no-such-bucket") && storage.contains("NoSuchBucket"),
        "{storage}"
    );
    assert!(storage.contains("next: "), "{storage}");
    assert!(line_of(&shown, "signed read").starts_with("✓"), "{shown}");
    assert!(line_of(&shown, "config file").starts_with("✓"), "{shown}");
}

#[tokio::test]
async fn a_server_clock_twenty_minutes_off_fails_the_clock_check() {
    let env = Env::start(Config {
        clock_offset: chrono::TimeDelta::minutes(20),
        ..Config::default()
    })
    .await;
    let (code, shown) = doctor(&env, &[]).await;
    assert_eq!(code, Some(1), "{shown}");
    let clock = line_of(&shown, "clock");
    assert!(clock.starts_with("✗"), "{clock}");
    // 1,200 s, give or take the time the request took.
    assert!(
        clock.contains("119") || clock.contains("1200 s behind"),
        "{clock}"
    );
    assert!(clock.contains("next: correct the clock"), "{clock}");
    // The service refuses the signature too: the same cause, said where it bites.
    assert!(
        line_of(&shown, "signed read").contains("InvalidTimestamp"),
        "{shown}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_config_file_others_can_read_fails_with_the_chmod_to_run() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::start(Config::default()).await.with_storage("").await;
    let config = env.data.join("config.toml");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, shown) = doctor(&env, &[]).await;
    assert_eq!(code, Some(1), "{shown}");
    let line = line_of(&shown, "config file");
    assert!(line.starts_with("✗") && line.contains("mode 644"), "{line}");
    assert!(
        line.contains(&format!("next: chmod 600 {}", config.display())),
        "{line}"
    );
}

/// The ledger is read only when it exists: checking a profile (reachable or not) makes none,
/// and says there is none yet; once a create made it, its counts are shown.
#[tokio::test]
async fn doctor_reads_a_ledger_only_when_there_is_one() {
    let env = Env::start(Config::default()).await;
    let ledgers = env.data.join("ledger");
    let made = || std::fs::read_dir(&ledgers).map_or(0, |d| d.count());
    for endpoint in [env.emu.url.clone(), "http://127.0.0.1:1".to_owned()] {
        let (_, shown) = doctor(&env, &[("ARK_ENDPOINT", &endpoint)]).await;
        let ledger = line_of(&shown, "ledger");
        assert!(
            ledger.starts_with("· ledger") && ledger.contains("none yet"),
            "{shown}"
        );
        assert_eq!(made(), 0, "{endpoint}: no ledger was made:\n{shown}");
    }
    let group = env.group("g").await;
    env.ok(&[
        "assets",
        "create",
        "--group",
        &group,
        "--no-check",
        "--url",
        &env.emu.sample_url("portrait.png"),
    ])
    .await;
    let ledger = line_of(&doctor(&env, &[]).await.1, "ledger");
    assert!(
        ledger.starts_with("✓") && ledger.contains("1 created"),
        "{ledger}"
    );
}

/// An endpoint that answers with a web page (a console, a proxy's login page) is named as not
/// the Assets API, and the next step is the endpoint, not the keys.
#[tokio::test]
async fn an_html_page_at_the_endpoint_is_not_the_assets_api() {
    let env = Env::start(Config::default()).await;
    let page = Reply {
        headers: vec![("content-type", "text/html; charset=utf-8".into())],
        ..Reply::json(
            200,
            "<!doctype html><html><title>Console</title><p>Sign in</p></html>",
        )
    };
    let stub = Stub::start(page).await;
    let (code, shown) = doctor(&env, &[("ARK_ENDPOINT", &stub.url)]).await;
    assert_eq!(code, Some(1), "{shown}");
    let read = line_of(&shown, "signed read");
    assert!(
        read.starts_with("✗") && read.contains("an HTML page: this endpoint is not the Assets API"),
        "{read}"
    );
    assert!(
        read.contains("next: check the profile's endpoint"),
        "{read}"
    );
    assert!(!read.contains("check the keys"), "{read}");
}

/// Run where standard input and output are not a terminal (a pipe, `ssh host` without `-t`),
/// the terminal check says so instead of a size it made up.
#[tokio::test]
async fn the_terminal_check_says_when_there_is_no_terminal() {
    let env = Env::start(Config::default()).await;
    let mut cmd = env.command(false);
    cmd.env("TERM", "xterm-256color")
        .arg("doctor")
        .stdin(std::process::Stdio::null());
    // `command` starts it in a session of its own: no controlling terminal.
    let out = cmd.output().await.unwrap();
    let shown = text(&out);
    let terminal = line_of(&shown, "terminal");
    assert!(
        terminal.starts_with("· terminal     not a terminal"),
        "{shown}"
    );
}

#[tokio::test]
async fn doctor_names_the_limits_in_force_and_where_they_come_from() {
    let env = Env::start(Config::default()).await;
    let config = env.data.join("config.toml");
    std::fs::write(&config, "[profiles.default]\ncreate_per_minute = 12\n").unwrap();
    let (_, shown) = doctor(&env, &[]).await;
    assert!(
        line_of(&shown, "limits")
            .contains("CreateAsset 12 a minute (the profile's create_per_minute)"),
        "{shown}"
    );
    std::fs::write(&config, "[profiles.default]\n").unwrap();
    let (_, shown) = doctor(&env, &[]).await;
    assert!(
        line_of(&shown, "limits").contains("CreateAsset 30 a second (the domestic default"),
        "{shown}"
    );
}

/// The data plane: without an ark API key, what the tasks need and how to set it; with one, one
/// listing of the recent tasks; a key refused, or a service that fails, fails the check with
/// the answer's request id after one request (a failed read is not tried again here).
#[tokio::test]
async fn the_data_plane_is_listed_once_with_a_key_and_named_without_one() {
    use ark_assets::emulator::tasks::DEMO_DATA_KEY;
    let env = Env::start(Config::default()).await;
    let profile = |key: &str, endpoint: &str| {
        let text = format!(
            "[profiles.default]\nark_api_key = \"{key}\"\ndata_endpoint = \"{endpoint}/api/v3\"\n"
        );
        ark_assets::files::write_private(&env.data.join("config.toml"), text.as_bytes()).unwrap();
    };
    let (code, out) = doctor(&env, &[]).await;
    assert_eq!(code, Some(0), "{out}");
    let line = line_of(&out, "data plane");
    assert!(line.starts_with("· data plane"), "{out}");
    assert!(
        line.contains("need an ark API key") && line.contains("ark_api_key"),
        "{line}"
    );
    assert!(
        line.contains("config init") && line.contains("ARK_API_KEY"),
        "{line}"
    );

    profile(DEMO_DATA_KEY, &env.emu.url);
    let (code, out) = doctor(&env, &[]).await;
    assert_eq!(code, Some(0), "{out}");
    let line = line_of(&out, "data plane");
    assert!(line.starts_with("✓ data plane"), "{out}");
    assert!(
        line.contains("the recent tasks listed (0 in the last 7 days)"),
        "{line}"
    );
    assert_eq!(env.emu.stats().tasks.get("list"), Some(&1), "one listing");

    profile("not-the-key", &env.emu.url);
    let (code, out) = doctor(&env, &[]).await;
    assert_eq!(code, Some(1), "{out}");
    let line = line_of(&out, "data plane");
    assert!(line.starts_with("✗ data plane"), "{out}");
    assert!(
        line.contains("AuthenticationError") && line.contains("request id "),
        "{line}"
    );
    assert!(line.contains("next: check the ark API key"), "{line}");

    let busy = r#"{"error":{"code":"ServiceUnavailable","message":"busy"}}"#;
    let stub = Stub::start(Reply::json(503, busy).header("x-request-id", "req-doctor-42")).await;
    profile(DEMO_DATA_KEY, &stub.url);
    let (code, out) = doctor(&env, &[]).await;
    assert_eq!(code, Some(1), "{out}");
    let line = line_of(&out, "data plane");
    assert!(
        line.contains("ServiceUnavailable") && line.contains("request id req-doctor-42"),
        "{line}"
    );
    let listed = stub.requests();
    assert_eq!(listed.len(), 1, "one request");
    assert!(
        listed[0].path.ends_with("/contents/generations/tasks"),
        "{}",
        listed[0].path
    );
}
