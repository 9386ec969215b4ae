//! The CLI in a terminal: tables cut to its width (a pipe gets every column whole), and what
//! `assets get` and a delete question say of an asset Seedance used lately;
//! through the real binary in a pseudo-terminal.

use std::time::Duration;

use unicode_width::UnicodeWidthStr;

use crate::pty_demo::Session;
use crate::support::cli_env::Env;

/// The lines `args` prints in a terminal of `cols` columns.
fn printed(env: &Env, args: &[&str], cols: u16) -> Vec<String> {
    let vars = env.vars(false);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut s = Session::run_sized(env!("CARGO_BIN_EXE_ark-assets"), args, &vars, (cols, 24));
    assert!(
        s.wait_exit(Duration::from_secs(30)).success(),
        "{}",
        s.contents()
    );
    s.raw_text()
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn groups_and_assets_lists_fit_the_terminal_and_a_pipe_gets_them_whole() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (env, group) = runtime.block_on(async {
        let env = Env::start(ark_assets::emulator::Config::default()).await;
        let group = env
            .ok(&[
                "groups",
                "create",
                "reference portraits of the spring campaign",
                "--description",
                "every face the spring campaign's videos use, in the light of the studio",
            ])
            .await
            .trim()
            .to_owned();
        env.seed_assets(&group, "w", 3, |i| {
            format!("a long name of the reference portrait number {i}")
        });
        (env, group)
    });
    for args in [
        vec!["groups", "list"],
        vec!["assets", "list", "--group", group.as_str()],
    ] {
        let lines = printed(&env, &args, 80);
        assert!(lines.len() >= 2, "{args:?}: {lines:?}");
        for line in &lines {
            assert!(
                line.width() <= 80,
                "{args:?}: {} columns: {line}",
                line.width()
            );
        }
        assert!(
            lines.iter().any(|l| l.contains('…')),
            "{args:?}: the widest text column is cut: {lines:?}"
        );
        let piped = runtime.block_on(env.ok(&args));
        assert!(
            piped.lines().any(|l| l.width() > 80),
            "{args:?}: a pipe gets every column whole: {piped}"
        );
    }
}

#[test]
fn assets_get_shows_when_seedance_used_it_and_deleting_it_warns_first() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (env, id) = runtime.block_on(async {
        let env = Env::start(ark_assets::emulator::Config::default()).await;
        let group = env.group("In use").await;
        env.seed_assets(&group, "u", 1, |_| "lead".to_owned());
        let id = "asset-20260101000000-u0000".to_owned();
        env.emu.edit(|store, now| {
            let a = store.assets.get_mut(&id).unwrap();
            a.asset.last_inference_time = Some(now - chrono::Duration::hours(2));
        });
        (env, id)
    });
    let shown = runtime.block_on(env.ok(&["assets", "get", &id]));
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("LastInferenceTime") && l.ends_with("(2h ago)")),
        "{shown}"
    );
    let json = runtime.block_on(env.json(&["assets", "get", &id]));
    assert!(json["LastInferenceTime"].is_string(), "{json}");
    let vars = env.vars(false);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bin = env!("CARGO_BIN_EXE_ark-assets");
    let mut s = Session::run_sized(bin, &["assets", "delete", &id], &vars, (80, 24));
    s.wait_for(
        "Delete 1 asset? It was used by Seedance 2h ago: a running task using it fails.",
        Duration::from_secs(30),
    );
    s.send("n\r");
    assert_eq!(s.wait_exit(Duration::from_secs(30)).exit_code(), 1);
    assert_eq!(env.emu.snapshot().assets.len(), 1, "n keeps it");
}
