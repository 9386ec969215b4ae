//! Requests signed exactly as the vendor's SDK signed them are accepted by the emulator:
//! emulator, client and the vendor agree, not only the first two with each other.

use crate::support::vectors;

use ark_assets::emulator::{Account, Config, Emulator};
use secrecy::SecretString;
use vectors::Vector;

/// An emulator holding the vector's account, its clock set to the vector's signing time.
async fn emulator_for(v: &Vector) -> Emulator {
    let signed_at = chrono::NaiveDateTime::parse_from_str(&v.x_date, "%Y%m%dT%H%M%SZ")
        .unwrap()
        .and_utc();
    Emulator::start(
        Config {
            accounts: vec![Account {
                access_key: v.access_key_id.clone(),
                secret_key: SecretString::from(v.secret_access_key.clone()),
                api_key: SecretString::from("unused"),
                session_token: v.session_token.clone().map(SecretString::from),
            }],
            clock_offset: signed_at - chrono::Utc::now(),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn vendor_signed_requests_are_accepted() {
    let vectors = vectors::load();
    let http = ark_assets::http::client(|b| b);
    for v in &vectors {
        let emu = emulator_for(v).await;
        let mut url = reqwest::Url::parse(&format!("{}{}", emu.url, v.path)).unwrap();
        if !v.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&v.query);
        }
        let mut request = http.post(url);
        if let Some(token) = &v.expected.x_security_token {
            request = request.header("X-Security-Token", token);
        }
        let resp = request
            .header("Host", &v.host)
            .header("Content-Type", &v.content_type)
            .header("X-Date", &v.x_date)
            .header("X-Content-Sha256", &v.expected.x_content_sha256)
            .header("Authorization", &v.expected.authorization)
            .body(v.body.clone())
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body: serde_json::Value = resp.json().await.unwrap();
        let code = body["ResponseMetadata"]["Error"]["Code"]
            .as_str()
            .unwrap_or("");
        assert!(
            !matches!(
                code,
                "SignatureDoesNotMatch"
                    | "InvalidAccessKey"
                    | "InvalidTimestamp"
                    | "MissingParameter"
            ),
            "{}: rejected by authentication: {body}",
            v.name
        );
        // Authenticated; what follows is the action's own answer on an empty store.
        match v.name.as_str() {
            // Authenticated, then refused as the service refuses a listing without a Filter.
            "empty-body-other-region" => assert_eq!(code, "MissingParameter.Filter"),
            "create-group-open-path"
            | "list-assets-filter-and-spaces-in-query"
            | "sts-list-groups-token-paging"
            | "sts-list-assets-next-token" => {
                assert_eq!(status, 200, "{}: {body}", v.name)
            }
            _ => assert!(code.starts_with("NotFound"), "{}: {body}", v.name),
        }
    }
}

#[tokio::test]
async fn a_tampered_vendor_request_is_refused() {
    let vectors = vectors::load();
    let v = &vectors[0];
    let emu = emulator_for(v).await;
    let resp = ark_assets::http::client(|b| b)
        .post(format!("{}{}", emu.url, v.path))
        .header("Host", &v.host)
        .header("Content-Type", &v.content_type)
        .header("X-Date", &v.x_date)
        .header("X-Content-Sha256", &v.expected.x_content_sha256)
        .header("Authorization", &v.expected.authorization)
        .body(v.body.replace("my-character-group", "another-group"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body["ResponseMetadata"]["Error"]["Code"],
        "SignatureDoesNotMatch"
    );
}

#[tokio::test]
async fn temporary_keys_need_their_own_session_token() {
    let vectors = vectors::load();
    let v = vectors
        .iter()
        .find(|v| v.session_token.is_some())
        .expect("a temporary-key vector");
    let emu = emulator_for(v).await;
    let mut url = reqwest::Url::parse(&format!("{}{}", emu.url, v.path)).unwrap();
    url.query_pairs_mut().extend_pairs(&v.query);
    let send = |token: Option<&str>| {
        let mut request = ark_assets::http::client(|b| b)
            .post(url.clone())
            .header("Host", &v.host)
            .header("Content-Type", &v.content_type)
            .header("X-Date", &v.x_date)
            .header("X-Content-Sha256", &v.expected.x_content_sha256)
            .header("Authorization", &v.expected.authorization)
            .body(v.body.clone());
        if let Some(token) = token {
            request = request.header("X-Security-Token", token);
        }
        async move {
            let resp = request.send().await.unwrap();
            let status = resp.status().as_u16();
            let body: serde_json::Value = resp.json().await.unwrap();
            let code = body["ResponseMetadata"]["Error"]["Code"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            (status, code)
        }
    };
    assert_eq!(send(None).await, (400, "MissingParameter".to_owned()));
    assert_eq!(
        send(Some("STS2another-token")).await,
        (401, "InvalidSecretToken".to_owned())
    );
    assert_eq!(send(v.session_token.as_deref()).await.0, 200);
}
