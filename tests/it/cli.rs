//! The real binary's subcommands against the emulator: human and `--json` output, exit codes,
//! import with bad rows and resume after a kill, and a global-dialect session.

use crate::support::cli_env;

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use ark_assets::api::model::Action;
use ark_assets::emulator::Config;
use cli_env::Env;

/// Runs `args`, expects exit code 3 (input refused, nothing sent) and returns stderr.
async fn refused(env: &Env, args: &[&str]) -> String {
    let out = env.run(args).await;
    assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
    stderr(&out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn groups_commands_in_both_output_forms() {
    let env = Env::start(Config::default()).await;
    let id = env
        .ok(&["groups", "create", "角色 cast", "--description", "main"])
        .await
        .trim()
        .to_owned();
    assert!(id.starts_with("group-"), "{id}");
    let created = env.json(&["groups", "create", "second"]).await;
    let second = created["Id"].as_str().unwrap().to_owned();

    let table = env.ok(&["groups", "list"]).await;
    assert!(table.starts_with("ID"), "{table}");
    assert!(table.contains(&id) && table.contains("角色 cast"));
    let list = env.json(&["groups", "list", "--name", "角色"]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["Id"], id.as_str());

    assert!(
        env.ok(&["groups", "get", &id])
            .await
            .contains("Description  main")
    );
    assert_eq!(env.json(&["groups", "get", &id]).await["Name"], "角色 cast");
    env.ok(&["groups", "rename", &id, "--name", "renamed"])
        .await;
    assert_eq!(env.json(&["groups", "get", &id]).await["Name"], "renamed");
    let err = refused(&env, &["groups", "rename", &id]).await;
    assert!(err.contains("nothing to change"), "{err}");

    assert_eq!(
        env.json(&["groups", "delete", &second]).await["Result"],
        "deleted"
    );
    let out = env.run(&["groups", "get", &second]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("NotFound.GroupId") && stderr(&out).contains("RequestId"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn assets_commands_and_input_errors() {
    let env = Env::start(Config::default()).await;
    let group = env.group("g").await;
    let url = env.emu.sample_url("portrait.png");
    let id = env
        .ok(&[
            "assets", "create", "--group", &group, "--url", &url, "--name", "hero",
        ])
        .await
        .trim()
        .to_owned();
    assert!(id.starts_with("asset-"));
    let waited = env
        .json(&[
            "assets", "create", "--group", &group, "--url", &url, "--wait",
        ])
        .await;
    assert_eq!(waited[0]["Status"], "Active");
    assert_eq!(
        waited[0]["Reference"],
        format!("Asset://{}", waited[0]["Id"].as_str().unwrap())
    );

    let got = env.json(&["assets", "get", &id]).await;
    assert_eq!(
        (got["Name"].as_str(), got["GroupId"].as_str()),
        (Some("hero"), Some(group.as_str()))
    );
    let shown = env.ok(&["assets", "get", &id]).await;
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("Reference") && l.ends_with(&format!(" Asset://{id}"))),
        "{shown}"
    );
    let listed = env.json(&["assets", "list", "--group", &group]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let named = env
        .ok(&["assets", "list", "--group", &group, "--name", "portrait"])
        .await;
    assert!(
        named.contains("portrait") && !named.contains("portrait.png") && !named.contains("hero"),
        "{named}"
    );
    env.ok(&["assets", "rename", &id, "hero 2"]).await;
    assert_eq!(env.json(&["assets", "get", &id]).await["Name"], "hero 2");
    env.ok(&["assets", "delete", "--yes", &id]).await;
    assert_eq!(env.group_size(&group), 1);

    // A local file needs object storage; without it nothing is sent (configuration: exit 4).
    let out = env
        .run(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            "/tmp/me.png",
        ])
        .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no object storage is configured"),
        "{}",
        stderr(&out)
    );
    refused(
        &env,
        &[
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            "ftp://x/y.png",
        ],
    )
    .await;
    let ico = env.emu.sample_url("unsupported.ico");
    let err = refused(
        &env,
        &["assets", "create", "--group", &group, "--url", &ico],
    )
    .await;
    assert!(err.contains("format ICO"), "{err}");
    assert_eq!(env.group_size(&group), 1, "nothing sent for bad input");
}

#[tokio::test]
async fn wait_exit_codes() {
    let env = Env::start(Config::default()).await;
    let group = env.group("g").await;
    let url = env.emu.sample_url("portrait.jpg");
    let mut good = Vec::new();
    for _ in 0..2 {
        good.push(
            env.ok(&["assets", "create", "--group", &group, "--url", &url])
                .await
                .trim()
                .to_owned(),
        );
    }
    let out = env.run(&["wait", &good[0], &good[1]]).await;
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("Asset://{}  Active", good[0])),
        "{text}"
    );

    let bad = env
        .ok(&[
            "assets",
            "create",
            "--no-check",
            "--group",
            &group,
            "--url",
            &env.emu.sample_url("unsupported.ico"),
        ])
        .await
        .trim()
        .to_owned();
    // `asset_scheme` in the config file spells every printed reference.
    ark_assets::files::write_private(
        &env.data.join("config.toml"),
        b"asset_scheme = \"asset://\"\n",
    )
    .unwrap();
    let text = env.ok(&["wait", &good[0]]).await;
    assert!(text.starts_with(&format!("asset://{}", good[0])), "{text}");
    std::fs::remove_file(env.data.join("config.toml")).unwrap();

    let out = env.run(&["--json", "wait", &good[0], &bad]).await;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[1]["Status"], "Failed");
    assert_eq!(
        v[1]["Error"]["Code"], "InvalidParameter.FormatUnsupported",
        "an error is one shape everywhere, the asset's own: {v}"
    );
    assert!(v[1]["Error"]["Message"].is_string(), "{v}");

    let slow = Env::start(Config {
        processing: (Duration::from_secs(60), Duration::from_secs(60)),
        ..Config::default()
    })
    .await;
    let group = slow.group("g").await;
    let id = slow
        .ok(&[
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            &slow.emu.sample_url("portrait.png"),
        ])
        .await;
    let out = slow.run(&["wait", "--timeout", "1", id.trim()]).await;
    assert_eq!(out.status.code(), Some(2));
}

/// `wait` asks about one asset every second: an asset Active 4.5 s after its create is read at
/// least four times (the first look, then polls a second apart until it is seen), not on a
/// schedule that backs off while it processes (0, 3, 9 s: three reads).
#[tokio::test]
async fn wait_reads_a_few_assets_every_second() {
    let env = Env::start(Config {
        processing: (Duration::from_millis(4_500), Duration::from_millis(4_500)),
        ..Config::default()
    })
    .await;
    let group = env.group("g").await;
    let url = env.emu.sample_url("portrait.jpg");
    let id = env
        .ok(&["assets", "create", "--group", &group, "--url", &url])
        .await;
    let asked = |action| env.emu.stats().requests.get(&action).copied().unwrap_or(0);
    let before = [asked(Action::GetAsset), asked(Action::ListAssets)];
    let text = env.ok(&["wait", id.trim()]).await;
    assert!(text.contains("Active"), "{text}");
    let read = asked(Action::GetAsset) - before[0];
    assert!((4..=7).contains(&read), "{read} GetAsset for 4.5 s or less");
    let listed = asked(Action::ListAssets) - before[1];
    assert_eq!(listed, 0, "one asset is read, not its group listed");
}

fn import_file(env: &Env, rows: usize, bad_lines: &[usize]) -> PathBuf {
    let mut text = String::from("url,name\n");
    for line in 2..rows + 2 {
        let row = if !bad_lines.contains(&line) {
            format!("{},row-{line}\n", env.emu.sample_url("portrait.webp"))
        } else if line % 3 == 0 {
            format!("ftp://example.com/{line}.png,row-{line}\n")
        } else if line % 3 == 1 {
            format!(
                "{},{}\n",
                env.emu.sample_url("portrait.png"),
                "n".repeat(65)
            )
        } else {
            format!("{},row-{line}\n", env.emu.sample_url("unsupported.ico"))
        };
        text.push_str(&row);
    }
    let path = env.data.join(format!("rows-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn import_reports_bad_rows_and_creates_the_rest() {
    let env = Env::start(Config::default()).await;
    let group = env.group("bulk").await;
    let file = import_file(&env, 120, &[9, 50, 101]);
    let out = env
        .run(&[
            "--json",
            "import",
            "--group",
            &group,
            file.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.status.code(), Some(1), "bad rows make the exit code 1");
    let err = stderr(&out);
    for line in [9, 50, 101] {
        assert!(
            err.contains(&format!("rows-120.csv:{line}:")),
            "line {line} not reported:\n{err}"
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Created"].as_array().unwrap().len(), 117);
    assert_eq!(report["Invalid"].as_array().unwrap().len(), 3);
    let bad = &report["Invalid"][0];
    assert_eq!(bad["Line"], 9, "{bad}");
    assert_eq!(bad["Error"]["Code"], "Invalid", "one shape of error: {bad}");
    assert!(bad["Error"]["Message"].as_str().unwrap().len() > 3, "{bad}");
    assert_eq!(env.group_size(&group), 117);

    // Running it again creates nothing.
    let out = env
        .run(&["import", "--group", &group, file.to_str().unwrap()])
        .await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0 created, 117 already imported, 3 invalid")
    );
    assert_eq!(env.group_size(&group), 117);
}

#[tokio::test]
async fn an_import_killed_halfway_resumes_without_duplicates() {
    let env = Env::start(Config::default()).await;
    let group = env.group("resume").await;
    let file = import_file(&env, 90, &[]);
    let child = env.import(&group, &file).spawn().unwrap();
    cli_env::kill_after_created(child, 30).await;
    let partial = env.group_size(&group);
    assert!(partial < 90, "killed too late: {partial} already");
    let out = env.import(&group, &file).output().await.unwrap();
    // Both runs have ended (the first was waited for after its kill).
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.group_size(&group),
        90,
        "exactly one asset per row after the re-run"
    );
}

/// The counts an import's `--json` report gives: created, created by another run, already.
fn counts(out: &Output) -> (usize, usize, usize) {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let n = |k: &str| report[k].as_array().unwrap().len();
    (n("Created"), n("ByOtherRun"), n("Already"))
}

#[tokio::test]
async fn two_imports_of_one_listing_at_once_create_each_row_once() {
    // A little latency, so that the two runs overlap.
    let env = Env::start(Config {
        faults: ark_assets::emulator::Faults {
            latency: Duration::from_millis(30),
            ..Default::default()
        },
        ..Config::default()
    })
    .await;
    let group = env.group("together").await;
    let file = import_file(&env, 60, &[]);
    let run = || {
        let mut cmd = env.import(&group, &file);
        cmd.arg("--json");
        cmd.output()
    };
    let (a, b) = tokio::join!(run(), run());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.status.success() && b.status.success(),
        "{}{}",
        stderr(&a),
        stderr(&b)
    );
    assert_eq!(env.group_size(&group), 60, "each row once");
    let (ca, oa, ra) = counts(&a);
    let (cb, ob, rb) = counts(&b);
    assert_eq!(ca + oa + ra, 60, "every row reported by the first run");
    assert_eq!(cb + ob + rb, 60, "every row reported by the second run");
    assert_eq!(ca + cb, 60, "each row created by one of them");
    assert!(oa + ob > 0, "the runs met: {ca} {oa} {ra} / {cb} {ob} {rb}");
}

#[tokio::test]
async fn a_run_killed_while_its_create_is_answered_is_reconciled_by_the_next() {
    // The create is applied, and its answer trickles out over seconds (every answer does).
    let env = Env::start(Config::default()).await;
    let group = env.group("killed").await;
    let file = import_file(&env, 1, &[]);
    env.emu.set_faults(ark_assets::emulator::Faults {
        slow_body: Some(Duration::from_secs(3)),
        ..Default::default()
    });
    let mut child = env.import(&group, &file).spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while env.group_size(&group) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the create was never applied"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // kill -9 while the ledger holds the attempt Pending, its answer not read.
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    env.emu.set_faults(ark_assets::emulator::Faults::default());
    let mut again = env.import(&group, &file);
    again.arg("--json");
    let out = again.output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(counts(&out), (1, 0, 0), "found by its name and claimed");
    assert_eq!(env.group_size(&group), 1, "not sent again");
}

#[tokio::test]
async fn a_global_session_lists_from_the_ledger() {
    let env = Env::start(Config::default()).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let out = env
            .command(true)
            .args([
                "assets",
                "create",
                "--group",
                "heroes",
                "--name",
                &format!("g{i}"),
                "--url",
                &env.emu.sample_url("portrait.gif"),
            ])
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        ids.push(String::from_utf8(out.stdout).unwrap().trim().to_owned());
    }
    let out = env
        .command(true)
        .args(["--json", "groups", "list"])
        .output()
        .await
        .unwrap();
    let groups: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(groups[0]["Name"], "heroes");
    let out = env
        .command(true)
        .args(["--json", "assets", "list", "--group", "heroes"])
        .output()
        .await
        .unwrap();
    let assets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(assets.as_array().unwrap().len(), 3);
    let mut args = vec!["wait".to_owned()];
    args.extend(ids.iter().cloned());
    let out = env.command(true).args(&args).output().await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .matches("Active")
            .count(),
        3
    );
    let out = env
        .command(true)
        .args(["groups", "create", "x"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not supported by the global endpoint"));
}

#[tokio::test]
async fn config_init_writes_a_byteplus_tier_and_refuses_one_elsewhere() {
    let env = Env::start(Config::default()).await;
    let init = |provider: &'static str, name: &'static str| {
        let mut cmd = env.command(false);
        cmd.args(["--profile", name, "config", "init", "--access-key", "AKLTt"])
            .args(["--provider", provider, "--tier", "entry"]);
        cmd
    };
    let out = init("volcengine", "volc").output().await.unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--tier entry is for BytePlus accounts"),
        "{}",
        stderr(&out)
    );
    let path = env.data.join("config.toml");
    assert!(!path.exists(), "nothing was written");
    let out = init("byteplus", "free").output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("tier = \"entry\""), "{written}");
    let out = env.run(&["--profile", "free", "doctor"]).await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("3 a minute"),
        "the tier is in force: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn config_commands_keep_secrets_private() {
    let env = Env::start(Config::default()).await;
    let out = env
        .command(false)
        .env("VOLC_SECRETKEY", "super-secret-value-123")
        .env("ARK_API_KEY", "ark-data-plane-key-4567")
        .args([
            "--profile",
            "work",
            "config",
            "init",
            "--access-key",
            "AKLTwork",
            "--project-name",
            "p1",
            "--provider",
            "byteplus",
            "--bucket",
            "work-assets",
        ])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let path = env.data.join("config.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let out = env
        .command(false)
        .env_remove("VOLC_SECRETKEY")
        .env_remove("VOLC_ACCESSKEY")
        .args(["config", "show"])
        .output()
        .await
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    let field = |key: &str| {
        shown
            .lines()
            .find_map(|l| l.strip_prefix(key).filter(|rest| rest.starts_with(' ')))
            .map(|rest| rest.trim().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(field("access_key"), "AKLTwork", "{shown}");
    assert_eq!(field("project"), "p1", "{shown}");
    assert!(!shown.contains("super-secret-value-123"), "{shown}");
    assert!(shown.contains("****23 (22 characters)"), "{shown}");
    assert_eq!(
        field("storage"),
        "https://tos-s3-ap-southeast-1.bytepluses.com/"
    );
    assert_eq!(field("bucket"), "work-assets");
    assert_eq!(field("region"), "ap-southeast-1", "the provider's region");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("provider = \"byteplus\""), "{written}");
    // The data plane's key is kept as a secret too (domestic: `ARK_API_KEY` off a terminal).
    assert!(
        written.contains("ark_api_key = \"ark-data-plane-key-4567\""),
        "{written}"
    );
    assert_eq!(field("ark_api_key"), "****67 (23 characters)", "{shown}");
    assert!(!shown.contains("ark-data-plane-key-4567"), "{shown}");
    let out = env
        .command(false)
        .args(["config", "profiles"])
        .output()
        .await
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "* work\n");
    let out = env
        .command(false)
        .args(["completions", "bash"])
        .output()
        .await
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("ark-assets")
    );
}

/// `--version` names the commit and its date when built from git (`ark-assets 0.3.0 (1a2b3c4
/// 2026-11-29)`); `man` prints one roff page for the tool and one for each subcommand.
#[tokio::test]
async fn version_names_the_commit_and_man_covers_the_whole_command_tree() {
    let env = Env::start(Config::default()).await;
    let out = env.command(false).arg("--version").output().await.unwrap();
    let version = String::from_utf8(out.stdout).unwrap();
    let expected = format!("ark-assets {}", env!("CARGO_PKG_VERSION"));
    let rest = version.trim().strip_prefix(&expected).expect(&version);
    if !rest.is_empty() {
        let inner = rest
            .trim()
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'));
        let (commit, date) = inner.and_then(|i| i.split_once(' ')).expect(&version);
        assert!(
            commit.len() == 7 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{version}"
        );
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{version}"
        );
    }
    let out = env.command(false).arg("man").output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie"),
        "roff: {}",
        &page[..40.min(page.len())]
    );
    for title in [
        ".TH ark-assets 1",
        ".TH ark-assets-groups-create 1",
        ".TH ark-assets-doctor 1",
        ".TH ark-assets-sync 1",
    ] {
        assert!(page.contains(title), "{title} missing");
    }
    assert!(
        page.contains(r"demo\-reset"),
        "global options are documented"
    );
    // The tool's own page (before the first subcommand's) has the sections clap does not know.
    let own = &page[..page.find(".TH ark-assets-groups 1").expect("groups' page")];
    for title in [
        ".SH \"GLOBAL OPTIONS\"",
        ".SH KEYS",
        ".SS \"Assets pane\"",
        ".SH \"ENVIRONMENT\"",
        ".SH \"FILES\"",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(own.contains(title), "{title} missing");
    }
    // --help shows the global options apart from the command's own.
    let help = env.ok(&["assets", "list", "--help"]).await;
    let (own, global) = help.split_once("Global options:").expect(&help);
    assert!(own.contains("--group") && !own.contains("--demo"), "{help}");
    assert!(
        global.contains("--demo") && global.contains("--json"),
        "{help}"
    );
}

#[tokio::test]
async fn api_errors_exit_1_with_the_request_id() {
    let env = Env::start(Config::default()).await;
    let out = env
        .command(false)
        .env("VOLC_SECRETKEY", "wrong")
        .args(["groups", "list"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("SignatureDoesNotMatch") && err.contains("[RequestId: "),
        "{err}"
    );
    assert!(!err.contains("wrong"), "the secret is not echoed: {err}");
}

#[tokio::test]
async fn demo_mode_works_for_every_subcommand() {
    let env = Env::start(Config::default()).await;
    let out = env
        .command(false)
        .args(["--demo", "--json", "groups", "list"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let groups: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["GroupType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "LivenessFace").count(),
        1,
        "the real person's group is listed with the others: {kinds:?}"
    );
}

/// `--demo` keeps its account between runs, as a real one would: a group made by one call is
/// listed by the next, under the same id; `--demo-reset` starts afresh.
#[tokio::test]
async fn the_demo_keeps_its_account_between_runs_until_reset() {
    let env = Env::start(Config::default()).await;
    let demo = |args: &[&str]| {
        let mut cmd = env.command(false);
        cmd.arg("--json").args(args);
        let asked = args.join(" ");
        async move {
            let out = cmd.output().await.unwrap();
            assert!(out.status.success(), "{asked}: {}", stderr(&out));
            (
                serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
                stderr(&out),
            )
        }
    };
    let names = |groups: &serde_json::Value| -> Vec<(String, String)> {
        let all = groups.as_array().unwrap().iter();
        all.map(|g| {
            (
                g["Name"].as_str().unwrap().to_owned(),
                g["Id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
    };
    let (made, _) = demo(&["--demo", "groups", "create", "Kept across runs"]).await;
    let id = made["Id"].as_str().unwrap().to_owned();
    let (listed, _) = demo(&["--demo", "groups", "list"]).await;
    let listed = names(&listed);
    assert!(
        listed.contains(&("Kept across runs".to_owned(), id.clone())),
        "{listed:?}"
    );
    assert_eq!(
        listed.len(),
        7,
        "the six of the sample data and the new one"
    );
    let (again, _) = demo(&["--demo", "groups", "list"]).await;
    assert_eq!(names(&again), listed, "the same ids each run");
    let (reset, _) = demo(&["--demo-reset", "groups", "list"]).await;
    let reset = names(&reset);
    assert_eq!(reset.len(), 6, "{reset:?}");
    assert!(!reset.iter().any(|(_, g)| *g == id));
    let (after, _) = demo(&["--demo", "groups", "list"]).await;
    assert_eq!(names(&after).len(), 6, "the reset is kept");
    // A kept account that cannot be read: one line that says so and how to start afresh.
    std::fs::write(env.data.join("demo/account.json"), "not json").unwrap();
    let out = env
        .command(false)
        .args(["--demo", "groups", "list"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("account.json") && err.contains("--demo-reset starts it afresh"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let (afresh, _) = demo(&["--demo-reset", "groups", "list"]).await;
    assert_eq!(names(&afresh).len(), 6);
}

#[tokio::test]
async fn the_standalone_emulator_prints_its_keys_and_saves_on_sigterm() {
    use tokio::io::AsyncBufReadExt;
    let env = Env::start(Config::default()).await;
    let data = env.data.join("standalone.json");
    let mut child = env
        .command(false)
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--empty",
            "--data",
            data.to_str().unwrap(),
            "--s3",
            env.data.join("objects").to_str().unwrap(),
            "--sts",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let mut banner = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("then:") {
            break;
        }
    }
    assert!(
        banner.contains("[profiles.local]") && banner.contains(&format!("endpoint = \"{url}\"")),
        "{banner}"
    );
    let in_use = env.data.join("config.toml");
    assert!(
        banner.contains(&format!("Add to {}:", in_use.display())),
        "the snippet names the config file in use (ARK_ASSETS_CONFIG): {banner}"
    );
    // The object store's snippet follows; with both snippets a local file becomes an asset.
    let mut snippet = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        snippet.push_str(&line);
        snippet.push('\n');
        if line.starts_with("secret_key") {
            break;
        }
    }
    // Temporary keys too: a profile with the session token they need works.
    let sts_start = banner.find("[profiles.local-sts]").expect("STS snippet");
    let sts_end = banner.find("then:").unwrap();
    assert!(
        banner[sts_start..].contains("session_token = \""),
        "{banner}"
    );
    let sts_path = env.data.join("sts.toml");
    ark_assets::files::write_private(&sts_path, &banner.as_bytes()[sts_start..sts_end]).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"))
        .env_clear()
        .env("ARK_ASSETS_CONFIG", &sts_path)
        .env("ARK_ASSETS_DATA", &env.data)
        .args(["--profile", "local-sts", "groups", "list"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let profile_start = banner.find("[profiles.local]").unwrap();
    let profile_end = banner.find("[profiles.local-global]").unwrap();
    let storage_start = snippet
        .find("[profiles.local.storage]")
        .expect("storage snippet");
    let config = format!(
        "{}\n{}",
        &banner[profile_start..profile_end],
        &snippet[storage_start..]
    );
    let config_path = env.data.join("standalone.toml");
    ark_assets::files::write_private(&config_path, config.as_bytes()).unwrap();
    let with_profile = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear()
            .env("ARK_ASSETS_CONFIG", &config_path)
            .env("ARK_ASSETS_DATA", &env.data)
            .args(["--profile", "local"])
            .args(args);
        cmd
    };
    let group = with_profile(&["groups", "create", "uploads"])
        .output()
        .await
        .unwrap();
    let group = String::from_utf8(group.stdout).unwrap().trim().to_owned();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png");
    let out = with_profile(&[
        "assets", "create", "--group", "uploads", "--file", sample, "--wait",
    ])
    .output()
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Active"));
    assert!(group.starts_with("group-"), "{group}");
    let out = env
        .command(false)
        .env("ARK_ENDPOINT", &url)
        .env("VOLC_ACCESSKEY", ark_assets::emulator::DEMO_ACCESS_KEY)
        .env("VOLC_SECRETKEY", ark_assets::emulator::DEMO_SECRET_KEY)
        .args(["groups", "create", "kept"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id().unwrap() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().await.unwrap().success());
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&data).unwrap()).unwrap();
    let mut names: Vec<&str> = saved["groups"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g["Name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["kept", "uploads"]);
}

#[tokio::test]
async fn input_rules_pipes_and_bounded_checks() {
    let env = Env::start(Config::default()).await;
    // Bidi overrides and zero-width characters are refused locally; values are escaped once.
    let err = refused(&env, &["groups", "create", "evil\u{202e}gnp.exe"]).await;
    assert!(
        err.contains("U+202E") && err.contains("evil\\u{202e}gnp.exe"),
        "{err}"
    );
    let err = refused(&env, &["groups", "create", "a\tb"]).await;
    assert!(
        err.contains("\"a\\tb\"") && !err.contains("\\\\t"),
        "escaped once: {err}"
    );
    refused(&env, &["groups", "create", "zero\u{200b}width"]).await;
    refused(&env, &["assets", "get", ""]).await;
    refused(&env, &["groups", "delete", ""]).await;

    // A newline in a description never makes a fake table row.
    let group = env
        .ok(&["groups", "create", "nl", "--description", "one\nFAKE ROW"])
        .await
        .trim()
        .to_owned();
    let table = env.ok(&["groups", "list"]).await;
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.contains("one\\nFAKE ROW"), "{table}");

    // A closed pipe ends the command quietly.
    let mut child = env
        .command(false)
        .args(["assets", "list", "--group", &group])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));

    // An image host that accepts connections and never answers is given up on, named.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/a.png", silent.local_addr().unwrap());
    let started = std::time::Instant::now();
    let err = refused(
        &env,
        &[
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            &url,
            "--check-timeout",
            "1",
        ],
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(20), "bounded");
    assert!(
        err.contains("host 127.0.0.1 did not send the file's bytes within 1 s"),
        "{err}"
    );
    drop(silent);

    // The emulator's fault rates are fractions.
    for bad in [["--error-rate", "2"], ["--drop-rate", "nan"]] {
        let out = env
            .run(&["emulator", "--listen", "127.0.0.1:0", bad[0], bad[1]])
            .await;
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&out).contains("not a fraction"), "{}", stderr(&out));
    }
}

#[tokio::test]
async fn imports_skip_existing_names_read_stdin_and_refuse_bad_rows() {
    let env = Env::start(Config::default()).await;
    let group = env.group("skip").await;
    let url = env.emu.sample_url("portrait.png");
    let rows = format!("{url},one\n{url},two\n{{\"url\":\"{url}\",\"name\":7}}\n\"{url},broken\n");
    let mut child = env
        .command(false)
        .args(["--json", "import", "--no-check", "--group", &group, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use tokio::io::AsyncWriteExt;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(rows.as_bytes()).await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "bad rows: exit 1");
    let err = stderr(&out);
    assert!(
        err.contains("<stdin>:3: field \"name\" is a number"),
        "{err}"
    );
    assert!(
        err.contains("<stdin>:4: has an unterminated quote"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Created"].as_array().unwrap().len(), 2);
    assert_eq!(env.group_size(&group), 2);

    // With the ledger gone, --skip-existing still creates nothing twice.
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let file = env.data.join("again.csv");
    std::fs::write(&file, format!("{url},one\n{url},two\n{url},three\n")).unwrap();
    let out = env
        .run(&[
            "import",
            "--no-check",
            "--skip-existing",
            "--group",
            &group,
            file.to_str().unwrap(),
        ])
        .await;
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("1 created, 0 already imported, 2 skipped (name already in the group)"),
        "{summary}"
    );
    assert_eq!(env.group_size(&group), 3);
}

#[tokio::test]
async fn each_account_keeps_its_own_ledger() {
    let env = Env::start(Config::default()).await;
    let group = env.group("domestic").await;
    env.ok(&[
        "assets",
        "create",
        "--no-check",
        "--group",
        &group,
        "--url",
        &env.emu.sample_url("portrait.png"),
    ])
    .await;
    // Both sessions are profile "default" (environment only): the global one must not list
    // the domestic group's id as a label.
    let out = env
        .command(true)
        .args(["--json", "groups", "list"])
        .output()
        .await
        .unwrap();
    let groups: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default"], "{groups}");
    let ledgers = std::fs::read_dir(env.data.join("ledger"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sqlite")
        })
        .count();
    assert_eq!(ledgers, 2, "one ledger per account");
}

#[tokio::test]
async fn read_only_refuses_every_mutating_command_and_reads_on() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Kept").await;
    for args in [
        vec!["--read-only", "groups", "create", "New"],
        vec!["--read-only", "groups", "delete", &group],
        vec![
            "--read-only",
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            "https://example.com/a.png",
        ],
        vec!["--read-only", "import", "--group", &group, "-"],
    ] {
        let out = env.run(&args).await;
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("is read-only"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("this command changes its "),
            "one sentence: {}",
            stderr(&out)
        );
    }
    // Reading still works, and nothing was changed.
    let groups = env.json(&["--read-only", "groups", "list"]).await;
    assert_eq!(groups.as_array().unwrap().len(), 1);
    // `read_only = true` in the profile does the same.
    // (The keys and endpoint come from the environment.)
    let config = "[profiles.default]\nread_only = true\n";
    ark_assets::files::write_private(&env.data.join("config.toml"), config.as_bytes()).unwrap();
    let out = env.run(&["groups", "rename", &group, "--name", "x"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[tokio::test]
async fn a_conflicting_keys_table_is_refused_at_start() {
    let env = Env::start(Config::default()).await;
    let config = "[keys]\nrefresh = \"d\"\n";
    ark_assets::files::write_private(&env.data.join("config.toml"), config.as_bytes()).unwrap();
    let out = env.run(&[]).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("\"d\" would be both delete and refresh"),
        "{err}"
    );
}

#[tokio::test]
async fn a_columns_table_without_the_name_or_with_a_column_twice_is_refused_at_start() {
    let env = Env::start(Config::default()).await;
    for (config, said) in [
        (
            "[columns]\nassets = [\"status\", \"id\"]\n",
            "columns.assets = [\"status\", \"id\"] lacks \"name\"",
        ),
        (
            "[columns]\nassets = [\"name\", \"id\", \"id\"]\n",
            "columns.assets names \"id\" twice",
        ),
        (
            "[columns]\nassets = [\"name\", \"size\"]\n",
            "unknown variant `size`",
        ),
    ] {
        let path = env.data.join("config.toml");
        ark_assets::files::write_private(&path, config.as_bytes()).unwrap();
        let out = env.run(&[]).await;
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(said), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[tokio::test]
async fn retry_creates_a_failed_asset_again_from_the_ledger_once() {
    let env = Env::start(Config::default()).await;
    let group = env.group("g").await;
    // The service fails a truncated image (not checked here first).
    let url = env.emu.sample_url("truncated.png");
    let out = env
        .run(&[
            "--json",
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            &url,
            "--name",
            "hero",
            "--no-check",
            "--wait",
        ])
        .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "a Failed asset: {}",
        stderr(&out)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed = created[0]["Id"].as_str().unwrap().to_owned();
    assert_eq!(created[0]["Status"], "Failed");

    // Created again from the same source, name and group; asking twice creates once.
    let retried = env.json(&["assets", "retry", &failed]).await;
    let new = retried["NewId"].as_str().unwrap().to_owned();
    assert_ne!(new, failed);
    assert_eq!(retried["Deleted"], false);
    let again = env.ok(&["assets", "retry", &failed]).await;
    assert_eq!(again.trim(), format!("{failed} created again as {new}"));
    assert_eq!(env.group_size(&group), 2);
    let store = env.emu.snapshot();
    let (old, fresh) = (&store.assets[&failed], &store.assets[&new]);
    assert_eq!(fresh.source_url, old.source_url);
    assert_eq!(
        (fresh.asset.name.as_str(), fresh.asset.group_id.as_str()),
        ("hero", group.as_str())
    );

    // Only Failed assets, and only those this profile created.
    let active = env
        .ok(&[
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            &env.emu.sample_url("portrait.png"),
            "--wait",
        ])
        .await;
    let active = active.split_whitespace().next().unwrap().to_owned();
    let out = env.run(&["assets", "retry", &active]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is Active, not Failed"),
        "{}",
        stderr(&out)
    );

    // The new one fails too (same file): retried with --delete-failed, the old one goes.
    assert_eq!(env.run(&["wait", &new]).await.status.code(), Some(1));
    let out = env
        .ok(&[
            "assets",
            "retry",
            "--delete-failed",
            &format!("Asset://{new}"),
        ])
        .await;
    assert!(out.contains("the Failed one deleted"), "{out}");
    assert!(!env.emu.snapshot().assets.contains_key(&new));
}

/// Groups of 99, 100, 101 and 200 assets list whole in both paging styles: through the
/// client's listing, `assets list` and a sync's plan. A service paging by token gives a full
/// last page no token, and answers page 2 (asked by number) with that page again.
#[tokio::test]
async fn groups_of_every_size_list_whole_in_either_paging_style() {
    use ark_assets::api::model::AssetFilter;
    use ark_assets::api::{Addressing, Client, ClientOptions};
    use ark_assets::emulator::paging::PagingStyle;
    for style in [PagingStyle::Token, PagingStyle::Number] {
        let env = Env::start(Config {
            paging: style,
            ..Config::default()
        })
        .await;
        let client = Client::new(
            env.emu.domestic_endpoint(Addressing::ActionQuery),
            ClientOptions::default(),
        );
        let ledger = ark_assets::ledger::Ledger::at(&env.data.join("listing.sqlite"));
        let catalog = ark_assets::catalog::Catalog::new(client, std::sync::Arc::new(ledger));
        for n in [99, 100, 101, 200] {
            let group = env.group(&format!("g{n}")).await;
            env.seed_assets(&group, &format!("p{n}-"), n, |i| format!("a{i}"));
            let listing = catalog.assets(&AssetFilter::group(&group)).await.unwrap();
            assert_eq!(
                (listing.items.len(), &listing.stopped),
                (n, &None),
                "{style:?}: {n}"
            );
            let out = env
                .run(&["--json", "assets", "list", "--group", &group])
                .await;
            assert!(out.status.success(), "{style:?}: {n}: {}", stderr(&out));
            let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(listed.as_array().unwrap().len(), n, "{style:?}");
        }
        let out = env.sync_empty("g100", &["--dry-run"]).await;
        assert!(out.status.success(), "{style:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("100 not in the folder (kept)"),
            "{style:?}: {}",
            stderr(&out)
        );
    }
}

/// A name another group has is refused (it would make `--group NAME` ambiguous), unless
/// `--allow-duplicate-name`; a create whose answer was lost is looked up, and the group it
/// made is reported as created, so the retry the error invites cannot make a second.
#[tokio::test]
async fn a_group_name_is_made_once_unless_asked_again_and_a_lost_answer_is_looked_up() {
    use ark_assets::api::model::Action;
    let env = Env::start(Config::default()).await;
    let first = env.group("Cast").await;
    let err = refused(&env, &["groups", "create", "Cast"]).await;
    assert!(
        err.contains("exists already")
            && err.contains(&first)
            && err.contains("--allow-duplicate-name"),
        "{err}"
    );
    let named = |name: &str| {
        (env.emu.snapshot().groups.values())
            .filter(|g| g.name == name)
            .count()
    };
    assert_eq!(named("Cast"), 1, "nothing was sent");
    let second = env
        .ok(&["groups", "create", "Cast", "--allow-duplicate-name"])
        .await;
    assert_ne!(second.trim(), first);
    assert_eq!(named("Cast"), 2);

    // The answer to the create is lost (applied, then the connection drops).
    env.emu.set_faults(ark_assets::emulator::Faults {
        lose_answer: vec![Action::CreateAssetGroup],
        ..Default::default()
    });
    let out = env.run(&["groups", "create", "Lost"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("was lost"), "{}", stderr(&out));
    let made = String::from_utf8(out.stdout).unwrap();
    assert!(made.trim().starts_with("group-"), "{made}");
    assert_eq!(named("Lost"), 1);
    let again = refused(&env, &["groups", "create", "Lost"]).await;
    assert!(again.contains(made.trim()), "{again}");
    assert_eq!(named("Lost"), 1);
}

/// Runs `cmd` with a standard output whose reader has gone before the command writes anything
/// (as `| head` leaves it once it has its lines: the write end of a pipe whose read end is
/// closed), stderr captured.
async fn with_stdout_closed(cmd: &mut tokio::process::Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = cmd
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().await.unwrap()
}

/// `completions` and `man` into a reader that has gone end quietly with 0, as any read-only
/// command does.
#[tokio::test]
async fn completions_and_man_end_quietly_when_stdout_closes() {
    let env = Env::start(Config::default()).await;
    for args in [&["completions", "bash"][..], &["man"], &["groups", "list"]] {
        let out = with_stdout_closed(env.command(false).args(args)).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

/// An import whose standard output closes early (`| head`, a dropped SSH session) creates
/// every file all the same and exits as a full success, saying on stderr that its output was
/// cut short.
#[tokio::test]
async fn an_import_whose_stdout_closes_finishes_its_work() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("cut short").await;
    const FILES: usize = 20;
    let dir = cli_env::distinct_pngs(&env, "cut-short", "cut", FILES);
    let out = with_stdout_closed(&mut env.import(&group, &dir)).await;
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert_eq!(env.group_size(&group), FILES, "{said}");
    assert!(said.contains("the output was cut short"), "{said}");
    assert_eq!(env.objects(), 0, "the uploads were cleaned up too: {said}");
}

/// The TUI started where standard input and output are not a terminal (`ssh host ark-assets`
/// without `-t`) says it needs one and what to do instead, and exits non-zero.
#[tokio::test]
async fn the_tui_without_a_terminal_says_it_needs_one() {
    let env = Env::start(Config::default()).await;
    for args in [&[][..], &["--demo"]] {
        let mut cmd = env.command(false);
        cmd.args(args)
            .env("TERM", "xterm-256color")
            .stdin(std::process::Stdio::null());
        // `command` starts it in a session of its own: no controlling terminal.
        let out = cmd.output().await.unwrap();
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains("the terminal UI needs a terminal")
                && said.contains("ssh -t")
                && said.contains("ark-assets groups list"),
            "{args:?}: {said}"
        );
        assert_eq!(said.trim().lines().count(), 1, "{said}");
    }
}

/// A `--demo` started while another holds the account waits for it, saying so with its pid,
/// then works on the same account; past the bound it refuses, naming the other.
#[tokio::test]
async fn a_second_demo_waits_for_the_first_and_shares_its_account() {
    use tokio::io::AsyncBufReadExt;
    let env = Env::start(Config::default()).await;
    let made = env.ok(&["--demo", "groups", "create", "Made first"]).await;
    let id = made.trim().to_owned();
    // Held as a running demo holds it: locked, with its pid and what it is written in.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(env.data.join("demo.lock"))
        .unwrap();
    lock.lock().unwrap();
    lock.set_len(0).unwrap();
    std::io::Write::write_all(&mut &lock, b"4242 the terminal UI\n").unwrap();
    let mut second = env
        .command(false)
        .args(["--demo", "--json", "groups", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = tokio::io::BufReader::new(second.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), said.next_line())
        .await
        .expect("the wait is said at once")
        .unwrap()
        .unwrap();
    assert!(
        first.contains("waiting for another --demo (pid 4242, the terminal UI)"),
        "{first}"
    );
    assert!(second.try_wait().unwrap().is_none(), "it waits: {first}");
    lock.unlock().unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), second.wait_with_output())
        .await
        .expect("it goes on once the account is free")
        .unwrap();
    assert!(out.status.success(), "{first}");
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = listed.as_array().unwrap();
    assert!(
        groups.iter().any(|g| g["Id"] == id.as_str()),
        "the same account: {listed}"
    );

    // Past the bound: refused, naming the other demo, nothing done.
    lock.lock().unwrap();
    let out = env
        .command(false)
        .env("ARK_ASSETS_DEMO_WAIT", "1")
        .args(["--demo", "groups", "create", "Never made"])
        .output()
        .await
        .unwrap();
    lock.unlock().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("still holds the demo's account after 1 s"),
        "{err}"
    );
    let groups = env.ok(&["--demo", "groups", "list"]).await;
    assert!(!groups.contains("Never made"), "{groups}");
}

/// `--demo assets create … | --demo assets delete -`: whichever starts first, the delete
/// acts on the account the create made the asset in.
#[tokio::test]
async fn a_demo_pipeline_acts_on_one_account() {
    let env = Env::start(Config::default()).await;
    let group = env.ok(&["--demo", "groups", "create", "piped"]).await;
    let group = group.trim();
    let args = [
        "--demo",
        "assets",
        "create",
        "--group",
        group,
        "--no-check",
        "--url",
        "http://127.0.0.1:1/piped.png",
    ];
    let mut create = env
        .command(false)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pipe: std::process::Stdio = create.stdout.take().unwrap().try_into().unwrap();
    let delete = env
        .command(false)
        .args(["--demo", "assets", "delete", "--yes", "-"])
        .stdin(pipe)
        .output();
    let (created, deleted) = tokio::join!(create.wait(), delete);
    let deleted = deleted.unwrap();
    assert!(created.unwrap().success());
    let said = String::from_utf8_lossy(&deleted.stdout);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(
        said.starts_with("deleted asset-"),
        "{said}{}",
        stderr(&deleted)
    );
    let left = env
        .json(&["--demo", "assets", "list", "--group", group])
        .await;
    assert_eq!(left.as_array().unwrap().len(), 0, "{left}");
}

/// What one `--demo` call starts, the next finishes: an asset created from a file without
/// `--wait`, and the sample video and audio seeded as Processing, are processed by a later
/// run (from the file kept when the create was accepted, and from the samples), not failed
/// for a port that went with the run that started them.
#[tokio::test]
async fn the_demo_finishes_in_a_later_run_what_an_earlier_one_started() {
    let env = Env::start(Config::default()).await;
    let group = env.ok(&["--demo", "groups", "create", "later runs"]).await;
    let image = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/portrait.png");
    let created = env
        .ok(&[
            "--demo",
            "assets",
            "create",
            "--group",
            group.trim(),
            "--file",
            image.to_str().unwrap(),
        ])
        .await;
    let clips = env
        .json(&[
            "--demo",
            "assets",
            "list",
            "--group",
            "Reference clips 参考视频与音频",
        ])
        .await;
    let seeded: Vec<String> = ["moov-at-end.mp4", "voice-cbr.mp3"]
        .iter()
        .map(|name| {
            let clip = clips
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["Name"] == *name);
            let clip = clip.unwrap_or_else(|| panic!("{name} in {clips}"));
            assert_ne!(clip["Status"], "Failed", "{clip}");
            clip["Id"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut ids = vec![created.trim()];
    ids.extend(seeded.iter().map(String::as_str));
    let mut args = vec!["--demo", "--json", "wait", "--timeout", "60"];
    args.extend(&ids);
    let out = env.run(&args).await;
    let waited: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for outcome in waited.as_array().unwrap() {
        assert_eq!(outcome["Status"], "Active", "{waited}");
    }
    assert_eq!(waited.as_array().unwrap().len(), 3, "{waited}");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `--group NAME` looks the name up in the listing at once: text not shaped like an id is never
/// sent as one (no GetAssetGroup answered NotFound, and logged, for every ordinary call); an
/// id still works.
#[tokio::test]
async fn a_group_name_is_not_sent_as_an_id_first() {
    let env = Env::start(Config::default()).await;
    let id = env.group("Lin Yue").await;
    env.ok(&["assets", "list", "--group", "Lin Yue"]).await;
    let log = std::fs::read_to_string(env.data.join("ark-assets.log")).unwrap_or_default();
    assert!(!log.contains("GetAssetGroup"), "{log}");
    env.ok(&["assets", "list", "--group", &id]).await;
    let missing = env
        .command(false)
        .args(["assets", "list", "--group", "nobody"])
        .output()
        .await
        .unwrap();
    let said = stderr(&missing);
    assert!(
        said.contains("no group has the id or name \"nobody\"") && !said.contains("as an id"),
        "{said}"
    );
}

/// `emulator --s3 --s3-listen ADDR` pins the object store's port, so a pasted storage snippet
/// survives a restart.
#[tokio::test]
async fn the_emulators_object_store_listens_where_asked() {
    use tokio::io::AsyncBufReadExt;
    let env = Env::start(Config::default()).await;
    // A free port, asked for by number: another process may take it between its release here
    // and the emulator's bind, so a bind refused is tried again on another.
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut child = env
            .command(false)
            .args(["emulator", "--listen", "127.0.0.1:0", "--empty", "--s3"])
            .args(["--s3-listen", &addr])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let said = loop {
            match lines.next_line().await.unwrap() {
                Some(line) if line.contains("object storage on") => break Some(line),
                Some(_) => continue,
                None => break None,
            }
        };
        let Some(said) = said else {
            let out = child.wait_with_output().await.unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.to_lowercase().contains("in use"), "{err}");
            continue;
        };
        assert!(said.contains(&format!("http://{addr}")), "{said}");
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        return;
    }
    panic!("five free ports were all taken before the emulator bound them");
}
