//! Secrets never leave: every output and file the CLI produces (logs at trace level included)
//! is searched for the test account's secret key and API key.

use crate::support::cli_env;

use ark_assets::api::{Client, ClientOptions};
use ark_assets::emulator::{Account, Config};
use cli_env::Env;
use secrecy::SecretString;

const SECRET: &str = "S3cr3t-Key-That-Must-Never-Leak-7f3a9c";
const TOKEN: &str = "T0ken-That-Must-Never-Leak-b81e44";
const WRONG: &str = "Wr0ng-Secret-Also-Private-0c2d55";

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test]
async fn no_output_log_or_file_contains_a_secret() {
    let account = Account {
        access_key: "AKLTsecretstest".into(),
        secret_key: SecretString::from(SECRET),
        api_key: SecretString::from(TOKEN),
        session_token: None,
    };
    let env = Env::start(Config {
        accounts: vec![account],
        ..Config::default()
    })
    .await;
    let mut outputs = Vec::new();
    let group = env.ok(&["groups", "create", "g"]).await.trim().to_owned();
    let url = env.emu.sample_url("portrait.png");
    let runs: Vec<Vec<&str>> = vec![
        vec!["groups", "list"],
        vec![
            "--json", "assets", "create", "--group", &group, "--url", &url, "--wait",
        ],
        vec!["assets", "list", "--group", &group],
        vec!["assets", "get", "asset-nope"],
        vec![
            "assets",
            "create",
            "--group",
            &group,
            "--url",
            "file:///etc/passwd",
        ],
        vec!["groups", "get", "group-nope"],
        vec!["config", "show"],
        vec!["--profile", "missing", "config", "show"],
    ];
    for args in &runs {
        let out = env
            .command(false)
            .env("ARK_ASSETS_LOG", "trace")
            .args(args)
            .output()
            .await
            .unwrap();
        outputs.push((format!("{args:?}"), out));
    }
    for global in [true] {
        let out = env
            .command(global)
            .env("ARK_ASSETS_LOG", "trace")
            .args(["assets", "create", "--group", "x", "--url", &url])
            .output()
            .await
            .unwrap();
        outputs.push(("global create".into(), out));
    }
    let wrong = env
        .command(false)
        .env("VOLC_SECRETKEY", WRONG)
        .env("ARK_ASSETS_LOG", "trace")
        .args(["groups", "list"])
        .output()
        .await
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    outputs.push(("wrong secret".into(), wrong));

    for (what, out) in &outputs {
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            for secret in [SECRET, TOKEN, WRONG] {
                assert!(!text.contains(secret), "{what} printed a secret:\n{text}");
            }
        }
    }
    let mut files = Vec::new();
    files_under(&env.data, &mut files);
    let log = env.data.join("ark-assets.log");
    assert!(files.contains(&log), "the log file exists: {files:?}");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("CreateAsset"),
        "the log has content"
    );
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for secret in [SECRET, TOKEN, WRONG] {
            assert!(!text.contains(secret), "{} holds a secret", file.display());
        }
    }

    // Debug output of a configured client.
    let client = Client::new(
        env.emu
            .domestic_endpoint(ark_assets::api::Addressing::OpenPath),
        ClientOptions::default(),
    );
    let shown = format!("{client:?} {:?}", env.emu.global_endpoint());
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
}

#[tokio::test]
async fn a_signature_the_service_quotes_in_an_error_is_never_shown() {
    // Short enough for the emulator's message to quote it whole, as the service does.
    const SIGNATURE: &str = "5e3f0c";
    let env = Env::start(Config::default()).await;
    let group = env.group("signed").await;
    let url = format!("{}/m?X-Amz-Signature={SIGNATURE}", env.emu.url);
    let id = env
        .ok(&[
            "assets",
            "create",
            "--no-check",
            "--group",
            &group,
            "--url",
            &url,
        ])
        .await
        .trim()
        .to_owned();
    let waited = env.run(&["wait", &id, "--timeout", "60"]).await;
    assert_eq!(waited.status.code(), Some(1), "Failed: {waited:?}");
    let quoted = env.emu.snapshot().assets[&id].asset.error.clone().unwrap();
    assert!(
        quoted.message.contains(SIGNATURE),
        "the service's message quotes the URL: {quoted:?}"
    );
    let mut outputs = vec![waited];
    for args in [
        vec!["--json", "wait", &id],
        vec!["assets", "get", &id],
        vec!["--json", "assets", "get", &id],
        vec!["--json", "assets", "list", "--group", &group],
        vec!["assets", "list", "--group", &group],
    ] {
        outputs.push(env.run(&args).await);
    }
    for (i, out) in outputs.iter().enumerate() {
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(!text.contains(SIGNATURE), "{text}");
        // (The table cuts its error column before the URL's end.)
        let whole = i + 1 < outputs.len();
        assert!(
            !whole || text.contains("/m?…"),
            "the error is shown: {text}"
        );
    }
    let mut files = Vec::new();
    files_under(&env.data, &mut files);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SIGNATURE), "{}", file.display());
    }
}
