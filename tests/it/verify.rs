//! Real-person groups through the real binary: `groups verify` shows the H5 link (QR code and
//! link), the person passes or fails on the emulator's page, Enter asks for the result once,
//! and a token is never good twice or after it expired.

use crate::support::cli_env;

use std::process::Stdio;
use std::time::Duration;

use ark_assets::emulator::Config;
use cli_env::Env;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

/// Starts `groups verify`, reads the link it shows, lets the person `choose` ("pass", "fail" or
/// nothing) on the page, presses Enter, and returns the exit code, stdout and stderr.
async fn verify(
    env: &Env,
    lang: &str,
    choose: Option<&str>,
    wait: Duration,
) -> (i32, String, String) {
    let mut child = env
        .command(false)
        .args(["groups", "verify", "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut shown = String::new();
    let link = loop {
        let line = err.next_line().await.unwrap().expect("a link is shown");
        shown.push_str(&line);
        shown.push('\n');
        if let Some(at) = line.find("http://") {
            break line[at..].to_owned();
        }
    };
    assert!(
        shown.contains('▀') || shown.contains('▄'),
        "a QR code is drawn:\n{shown}"
    );
    assert!(link.ends_with(&format!("lng={lang}")), "{link}");
    let token = link
        .split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let http = ark_assets::http::client(|b| b);
    let page = http.get(&link).send().await.unwrap().text().await.unwrap();
    // The emulator's page speaks the link's language.
    let (pass, fail) = match lang {
        "en" => ("Pass", "Fail"),
        "zh-Hant" => ("通過", "不通過"),
        _ => ("通过", "不通过"),
    };
    assert!(page.contains(pass) && page.contains(fail), "{page}");
    assert!(page.contains(&format!("lang=\"{lang}\"")), "{page}");
    if let Some(choice) = choose {
        let done = http
            .post(format!("{}/h5/verify/{choice}", env.emu.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .await
            .unwrap();
        assert!(done.status().is_success());
    }
    tokio::time::sleep(wait).await;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\n").await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    let mut rest = String::new();
    while let Ok(Some(line)) = err.next_line().await {
        rest.push_str(&line);
        rest.push('\n');
    }
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        shown + &rest,
    )
}

#[tokio::test]
async fn a_passed_check_makes_a_real_person_group_and_a_failed_one_is_reported() {
    let env = Env::start(Config::default()).await;
    let (code, out, err) = verify(&env, "en", Some("pass"), Duration::ZERO).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("verified: real-person group group-"),
        "{out}"
    );
    let people = env
        .json(&["groups", "list", "--type", "livenessface"])
        .await;
    assert_eq!(people.as_array().unwrap().len(), 1);
    assert_eq!(people[0]["GroupType"], "LivenessFace");
    let table = env.ok(&["groups", "list"]).await;
    assert!(table.contains("real person"), "{table}");

    let (code, _, err) = verify(&env, "zh-Hant", Some("fail"), Duration::ZERO).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("VerificationFailed") && err.contains("token is spent"),
        "{err}"
    );
    let people = env
        .json(&["groups", "list", "--type", "livenessface"])
        .await;
    assert_eq!(
        people.as_array().unwrap().len(),
        1,
        "a failed check makes no group"
    );
}

#[tokio::test]
async fn tokens_are_single_use_and_expire() {
    let env = Env::start(Config {
        verify_ttl: Duration::from_millis(500),
        ..Config::default()
    })
    .await;
    let (code, _, err) = verify(&env, "zh", None, Duration::from_millis(800)).await;
    assert_eq!(code, 1);
    assert!(err.contains("BytedTokenExpired"), "{err}");

    use ark_assets::api::AssetsApi;
    let api = ark_assets::api::Client::new(
        env.emu
            .domestic_endpoint(ark_assets::api::Addressing::ActionQuery),
        ark_assets::api::ClientOptions::default(),
    );
    let session = api
        .create_visual_validate_session(&Default::default())
        .await
        .unwrap();
    ark_assets::http::client(|b| b)
        .post(format!("{}/h5/verify/pass", env.emu.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={}", session.byted_token))
        .send()
        .await
        .unwrap();
    let first = api
        .get_visual_validate_result(&session.byted_token)
        .await
        .unwrap();
    assert!(first.group_id.starts_with("group-"));
    let again = api
        .get_visual_validate_result(&session.byted_token)
        .await
        .unwrap_err();
    assert_eq!(again.code, "InvalidParameter.BytedToken", "{again}");
}
