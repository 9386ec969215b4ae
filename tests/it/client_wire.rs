//! The exact requests the client sends, and how each kind of answer becomes a result or an error.

use crate::support::stub;

use std::time::{Duration, Instant};

use ark_assets::api::model::*;
use ark_assets::api::sign::{self, Credentials};
use ark_assets::api::{
    Addressing, AssetsApi, Client, ClientOptions, Domestic, Endpoint, ErrorKind, Global,
    LimitConfig, RetryPolicy,
};
use secrecy::SecretString;
use stub::{Captured, Reply, Stub};

fn creds() -> Credentials {
    Credentials {
        access_key_id: "AKLTtest".into(),
        secret_access_key: SecretString::from("test-secret-key"),
        region: "cn-beijing".into(),
        service: "ark".into(),
        session_token: None,
    }
}

fn options(timeout: Duration) -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: timeout,
        limits: LimitConfig {
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_secs(5),
            },
            ..LimitConfig::default()
        },
        ..ClientOptions::default()
    }
}

fn domestic(stub: &Stub, addressing: Addressing) -> Client {
    Client::new(
        Endpoint::Domestic(Domestic {
            base: stub.url.parse().unwrap(),
            credentials: creds(),
            addressing,
            project: Some("proj-a".into()),
        }),
        options(Duration::from_secs(5)),
    )
}

fn global(stub: &Stub) -> Client {
    Client::new(
        Endpoint::Global(Global {
            base: format!("{}/byteplus/_unstable/open", stub.url)
                .parse()
                .unwrap(),
            api_key: SecretString::from("global-token-xyz"),
        }),
        options(Duration::from_secs(5)),
    )
}

/// Re-signs what the server received and checks the client's headers agree.
fn assert_signed(req: &Captured, host: &str) {
    assert_eq!(req.method, "POST");
    assert_eq!(req.header("content-type"), "application/json");
    assert_eq!(req.header("host"), host);
    assert_eq!(req.header("x-content-sha256"), sign::sha256_hex(&req.body));
    let x_date = req.header("x-date");
    let sent =
        chrono::NaiveDateTime::parse_from_str(x_date, sign::X_DATE_FORMAT).expect("X-Date format");
    let skew = (chrono::Utc::now().naive_utc() - sent).num_seconds().abs();
    assert!(skew < 30, "X-Date {x_date} is {skew}s off");
    let query: Vec<(String, String)> = req
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers = sign::ark_headers("application/json", host, &req.body, x_date);
    let expected = sign::sign(
        &sign::Request {
            method: "POST",
            path: &req.path,
            query: &query,
            headers: &headers,
            body: &req.body,
            x_date,
        },
        &creds(),
    );
    assert_eq!(req.header("authorization"), expected.authorization);
    assert!(
        expected
            .authorization
            .starts_with("HMAC-SHA256 Credential=AKLTtest/")
    );
}

#[tokio::test]
async fn action_query_requests_are_exact() {
    let stub = Stub::start(Reply::ok(r#"{"Id":"asset-1"}"#)).await;
    let client = domestic(&stub, Addressing::ActionQuery);
    let created = client
        .create_asset(&CreateAsset::image(
            "group-1",
            "https://example.com/a.png",
            Some("角色 01".into()),
        ))
        .await
        .unwrap();
    assert_eq!(created.id, "asset-1");
    let req = &stub.requests()[0];
    assert_eq!(req.path, "/");
    assert_eq!(
        req.query.as_deref(),
        Some("Action=CreateAsset&Version=2024-01-01")
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"GroupId":"group-1","URL":"https://example.com/a.png","Name":"角色 01",
            "AssetType":"Image","ProjectName":"proj-a"})
    );
    let host = stub.url.trim_start_matches("http://");
    assert_signed(req, host);
}

#[tokio::test]
async fn open_path_requests_are_exact() {
    let stub = Stub::start(Reply::ok(
        r#"{"Items":[{"Id":"asset-1","Status":"Processing","GroupId":"g"}],"PageNumber":1,"PageSize":100,"TotalCount":1}"#,
    ))
    .await;
    let client = domestic(&stub, Addressing::OpenPath);
    let page = client
        .list_assets(&ListAssets {
            filter: Some(AssetFilter {
                group_ids: Some(vec!["g".into()]),
                statuses: Some(vec![Status::Processing]),
                ..Default::default()
            }),
            paging: Paging {
                page_size: Some(100),
                ..Default::default()
            },
        })
        .await
        .unwrap();
    assert_eq!(page.items[0].status, Status::Processing);
    let req = &stub.requests()[0];
    assert_eq!(req.path, "/open/ListAssets");
    assert_eq!(req.query, None);
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        r#"{"Filter":{"GroupIds":["g"],"Statuses":["Processing"]},"PageSize":100,"ProjectName":"proj-a"}"#
    );
    assert_signed(req, stub.url.trim_start_matches("http://"));
}

#[tokio::test]
async fn global_requests_use_bearer_and_only_two_actions() {
    let stub = Stub::start(Reply::json(
        200,
        r#"{"Id":"asset-9","Status":"Active","Name":"n","URL":"https://x","base_resp":{"status_code":0,"status_msg":"ok"}}"#,
    ))
    .await;
    let client = global(&stub);
    let asset = client.get_asset("asset-9").await.unwrap();
    assert_eq!(
        (asset.id.as_str(), asset.status),
        ("asset-9", Status::Active)
    );
    client
        .create_asset(&CreateAsset::image(
            "group-ignored",
            "https://example.com/a.png",
            None,
        ))
        .await
        .unwrap();
    let reqs = stub.requests();
    assert_eq!(reqs[0].path, "/byteplus/_unstable/open/GetAsset");
    assert_eq!(reqs[0].header("authorization"), "Bearer global-token-xyz");
    assert_eq!(reqs[0].body, br#"{"Id":"asset-9"}"#);
    assert_eq!(reqs[1].path, "/byteplus/_unstable/open/CreateAsset");
    assert_eq!(
        reqs[1].body,
        br#"{"AssetType":"Image","URL":"https://example.com/a.png"}"#
    );

    let err = client
        .list_assets(&ListAssets::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(
        err.to_string()
            .contains("not supported by the global endpoint"),
        "{err}"
    );
    assert_eq!(stub.requests().len(), 2, "unsupported actions send nothing");
}

#[tokio::test]
async fn error_envelopes_become_api_errors() {
    let stub = Stub::start(Reply::ok("{}")).await;
    let client = domestic(&stub, Addressing::ActionQuery);
    stub.push(Reply::json(
        401,
        r#"{"ResponseMetadata":{"RequestId":"20251124-abc","Action":"GetAsset","Error":{"Code":"SignatureDoesNotMatch","CodeN":100010,"Message":"The request signature we calculated does not match"}}}"#,
    ));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(err.http_status, Some(401));
    assert_eq!(err.code, "SignatureDoesNotMatch");
    assert_eq!(err.request_id.as_deref(), Some("20251124-abc"));
    assert_eq!(
        err.to_string(),
        "GetAsset failed: SignatureDoesNotMatch (HTTP 401): The request signature we calculated does not match [RequestId: 20251124-abc]"
    );

    stub.push(Reply::json(
        404,
        r#"{"ResponseMetadata":{"RequestId":"r2","Error":{"Code":"NotFound.AssetId","Message":"no such asset"}}}"#,
    ));
    let err = client.get_asset("asset-x").await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Service, "NotFound.AssetId")
    );

    // An error inside HTTP 200 is a failure, for reads and creates alike, and a definite one.
    let in_200 = r#"{"ResponseMetadata":{"RequestId":"r200","Error":{"Code":"InvalidParameter.URL","Message":"the URL cannot be downloaded"}},"Result":{"Id":"asset-ghost"}}"#;
    stub.push(Reply::json(200, in_200));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(
        (err.http_status, err.code.as_str(), err.kind),
        (Some(200), "InvalidParameter.URL", ErrorKind::Service)
    );
    let sent_before = stub.requests().len();
    stub.push(Reply::json(200, in_200));
    let err = client
        .create_asset(&CreateAsset::image("g", "https://x/a.png", None))
        .await
        .unwrap_err();
    assert_eq!(err.code, "InvalidParameter.URL");
    assert!(!err.may_have_applied() && !err.is_retryable());
    assert_eq!(stub.requests().len(), sent_before + 1, "not sent again");

    stub.push(Reply::json(200, "{not json"));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Malformed, "MalformedResponse")
    );

    stub.push(Reply::json(
        200,
        r#"{"ResponseMetadata":{"RequestId":"r3"},"Result":{"Name":"no id"}}"#,
    ));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Malformed);
    assert!(err.message.contains("documented shape"), "{err}");

    stub.push(Reply::json(400, "<html>bad gateway</html>"));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!((err.http_status, err.code.as_str()), (Some(400), "HTTP400"));
    assert!(err.message.contains("<html>"), "{err}");

    let g = Stub::start(Reply::json(
        200,
        r#"{"base_resp":{"status_code":1004,"status_msg":"invalid api key"}}"#,
    ))
    .await;
    let err = global(&g).get_asset("asset-1").await.unwrap_err();
    assert_eq!(err.code, "base_resp.status_code=1004");
    assert_eq!(err.message, "invalid api key");
}

#[tokio::test]
async fn a_liveness_link_that_is_not_a_sane_http_link_is_refused() {
    let stub = Stub::start(Reply::ok("{}")).await;
    let client = domestic(&stub, Addressing::ActionQuery);
    let session = |link: &str| {
        Reply::ok(
            &serde_json::json!({"BytedToken": "t", "H5Link": link, "CallbackURL": ""}).to_string(),
        )
    };
    let long = format!("https://h5.example/v?x={}", "a".repeat(100_000));
    for (link, why) in [
        ("javascript:alert(1)", "uses javascript:"),
        ("data:text/html,<b>x</b>", "uses data:"),
        ("https://h5.example/\u{1b}]8;;x", "control characters"),
        (long.as_str(), "a link to open is at most 2048"),
    ] {
        stub.push(session(link));
        let err = client
            .create_visual_validate_session(&CreateVisualValidateSession::default())
            .await
            .unwrap_err();
        assert_eq!(err.code, "UnusableLink", "{link:.40}");
        assert!(err.to_string().contains(why), "{err}");
        assert!(err.to_string().len() < 400, "the link is not echoed whole");
    }
    stub.push(session("https://h5.example/v?token=t&lng=zh"));
    let ok = client
        .create_visual_validate_session(&CreateVisualValidateSession::default())
        .await
        .unwrap();
    assert_eq!(ok.h5_link, "https://h5.example/v?token=t&lng=zh");
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after() {
    let stub = Stub::start(Reply::ok(r#"{"Id":"asset-2"}"#)).await;
    stub.push(
        Reply::json(
            429,
            r#"{"ResponseMetadata":{"RequestId":"r","Error":{"Code":"RequestLimitExceeded","Message":"slow down"}}}"#,
        )
        .header("retry-after", "1"),
    );
    let client = domestic(&stub, Addressing::ActionQuery);
    let start = Instant::now();
    let created = client
        .create_asset(&CreateAsset::image("g", "https://example.com/a.png", None))
        .await
        .unwrap();
    assert_eq!(created.id, "asset-2");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After not honoured"
    );
    assert_eq!(
        stub.requests().len(),
        2,
        "a throttled create was never processed: re-sent once"
    );
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_until_attempts_run_out() {
    let stub = Stub::start(Reply::json(503, r#"{"ResponseMetadata":{"RequestId":"r","Error":{"Code":"ServiceUnavailable","Message":"busy"}}}"#)).await;
    let client = domestic(&stub, Addressing::ActionQuery);
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(err.code, "ServiceUnavailable");
    assert_eq!(stub.requests().len(), 3, "max_attempts is 3");
}

#[tokio::test]
async fn a_create_that_timed_out_is_not_sent_again() {
    let stub = Stub::start(Reply::ok(r#"{"Id":"asset-3"}"#).delayed(Duration::from_secs(2))).await;
    let client = Client::new(
        Endpoint::Domestic(Domestic {
            base: stub.url.parse().unwrap(),
            credentials: creds(),
            addressing: Addressing::ActionQuery,
            project: None,
        }),
        options(Duration::from_millis(300)),
    );
    let err = client
        .create_asset(&CreateAsset::image("g", "https://example.com/a.png", None))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Ambiguous);
    assert_eq!(err.code, "Timeout");
    assert!(err.to_string().contains("not re-sent"), "{err}");
    // The call has returned: a re-send would have come before its error.
    assert_eq!(stub.requests().len(), 1);

    // A read that timed out is safe to repeat.
    let err = client.get_asset("asset-3").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transport);
    assert_eq!(stub.requests().len(), 4);

    // A create that failed with 500 may have been applied: surfaced, not repeated.
    let stub = Stub::start(Reply::json(500, r#"{"ResponseMetadata":{"RequestId":"r5","Error":{"Code":"InternalError","Message":"oops"}}}"#)).await;
    let err = domestic(&stub, Addressing::OpenPath)
        .create_asset_group(&CreateAssetGroup {
            name: "g".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.request_id.as_deref()),
        (ErrorKind::Ambiguous, Some("r5"))
    );
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn refused_connections_are_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(
        Endpoint::Global(Global {
            base: format!("http://{addr}/open").parse().unwrap(),
            api_key: SecretString::from("k"),
        }),
        options(Duration::from_secs(2)),
    );
    let err = client.get_asset("a").await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Connect, "ConnectFailed")
    );
}

#[tokio::test]
async fn huge_bodies_are_refused_not_buffered() {
    let mut reply = Reply::ok("{}");
    reply.body = vec![b' '; ark_assets::api::wire::MAX_RESPONSE_BYTES + 1];
    let stub = Stub::start(reply).await;
    let err = domestic(&stub, Addressing::ActionQuery)
        .get_asset("a")
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Malformed, "ResponseTooLarge")
    );
}

#[tokio::test]
async fn hostile_error_text_redirects_and_wrong_types_are_reported_plainly() {
    let stub = Stub::start(Reply::ok("{}")).await;
    let client = domestic(&stub, Addressing::ActionQuery);
    stub.push(Reply::json(
        400,
        r#"{"ResponseMetadata":{"RequestId":"r\u001b[2J","Error":{"Code":"Bad\u009b31m","Message":"line\nFAKE \u001b]52;c;aGk=\u0007 \u202eevil"}}}"#,
    ));
    let shown = client.get_asset("asset-1").await.unwrap_err().to_string();
    assert!(
        !shown.chars().any(ark_assets::text::is_unsafe),
        "raw control in {shown:?}"
    );
    assert!(
        shown.contains("\\x1b]52;c;") && shown.contains("\\u{9b}31m") && shown.contains("\\n"),
        "{shown}"
    );

    stub.push(Reply::json(301, "").header("location", "https://ark.cn-beijing.volcengineapi.com/"));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert_eq!(err.code, "Redirected");
    assert!(
        err.message
            .contains("redirecting to https://ark.cn-beijing.volcengineapi.com/"),
        "{err}"
    );

    stub.push(Reply::ok(r#"{"Id":5,"Name":"n"}"#));
    let err = client.get_asset("asset-1").await.unwrap_err();
    assert!(
        err.message.starts_with("Result.Id does not match"),
        "the field is named: {err}"
    );
}

#[tokio::test]
async fn a_server_that_lies_about_paging_is_listed_once() {
    let items: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"Id":"asset-{i}","Name":"n{i}","Status":"Active"}}"#))
        .collect();
    let page = format!(
        r#"{{"Items":[{}],"PageNumber":1,"PageSize":100,"TotalCount":1000000000000}}"#,
        items.join(",")
    );
    let stub = Stub::start(Reply::ok(&page)).await;
    let catalog = ark_assets::catalog::Catalog::new(
        domestic(&stub, Addressing::ActionQuery),
        // A listing never opens the ledger.
        std::sync::Arc::new(ark_assets::ledger::Ledger::at(
            &std::env::temp_dir().join(format!("ark-assets-lying-{}.sqlite", std::process::id())),
        )),
    );
    let filter = AssetFilter {
        group_type: Some(GroupType::Aigc),
        ..AssetFilter::default()
    };
    let listing = catalog.assets(&filter).await.unwrap();
    assert_eq!(listing.items.len(), 100);
    assert_eq!(
        stub.requests().len(),
        2,
        "the repeated page ends the listing"
    );
    assert!(listing.stopped.unwrap().contains("repeated them"));
}

/// A client of `stub` that notes a call after 300 ms and gives up after 2 s (no notice yet).
fn impatient_client(stub: &Stub) -> Client {
    Client::new(
        Endpoint::Domestic(Domestic {
            base: stub.url.parse().unwrap(),
            credentials: creds(),
            addressing: Addressing::ActionQuery,
            project: None,
        }),
        ClientOptions {
            call_deadline: Duration::from_secs(2),
            notice_after: Duration::from_millis(300),
            ..options(Duration::from_secs(30))
        },
    )
}

#[tokio::test]
async fn a_hung_server_gets_a_note_within_seconds_and_an_error_within_the_deadline() {
    let stub = Stub::start(Reply::ok("{}").delayed(Duration::from_secs(600))).await;
    let notes = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = notes.clone();
    let client = impatient_client(&stub).with_notice(std::sync::Arc::new(move |m: &str| {
        sink.lock().unwrap().push(m.to_owned())
    }));
    let started = Instant::now();
    let err = client.get_asset("asset-1").await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "bounded: {took:?}");
    assert_eq!(
        (err.kind, err.code.as_str()),
        (ErrorKind::Transport, "Timeout")
    );
    assert!(err.message.contains("within 2 s"), "{err}");
    let notes = notes.lock().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("waiting for 127.0.0.1:"), "{notes:?}");
}

/// The TUI's runner says a call is slow in its status line (an action), not on stderr, which
/// would land on its screen.
#[tokio::test]
async fn the_tuis_runner_turns_slow_call_notes_into_actions() {
    use ark_assets::app::{Effect, Msg, Runner};
    struct NoClipboard;
    impl ark_assets::app::effects::Clipboard for NoClipboard {
        fn copy(&self, _: &str) {}
    }
    let stub = Stub::start(Reply::ok("{}").delayed(Duration::from_secs(600))).await;
    let client = impatient_client(&stub);
    let ledger =
        std::env::temp_dir().join(format!("ark-assets-notes-{}.sqlite", std::process::id()));
    let ledger = std::sync::Arc::new(ark_assets::ledger::Ledger::at(&ledger));
    let catalog = ark_assets::catalog::Catalog::new(client, ledger);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(catalog, tx, std::sync::Arc::new(NoClipboard));
    runner.run(Effect::FetchUrl {
        id: "asset-1".into(),
    });
    let first = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    let Msg::Notice(note) = first else {
        panic!("a note first, not {first:?}")
    };
    assert!(note.starts_with("waiting for 127.0.0.1:"), "{note}");
    let answer = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(answer, Msg::UrlFetched { result: Err(_), .. }),
        "{answer:?}"
    );
}
