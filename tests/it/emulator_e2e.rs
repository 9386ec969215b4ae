//! The real client against the emulator on loopback: both dialects, both addressing styles.

use std::time::Duration;

use ark_assets::api::model::*;
use ark_assets::api::paging::{Cursor, Next, Pager};
use ark_assets::api::{Addressing, AssetsApi, Client, ClientOptions, Endpoint, ErrorKind};
use ark_assets::emulator::paging::PagingStyle;
use ark_assets::emulator::{Config, Emulator, Faults};
use secrecy::SecretString;

async fn start(config: Config) -> Emulator {
    Emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn client(endpoint: Endpoint) -> Client {
    Client::new(endpoint, ClientOptions::default())
}

async fn wait_done(client: &Client, id: &str) -> Asset {
    for _ in 0..100 {
        let a = client.get_asset(id).await.unwrap();
        if a.status != Status::Processing {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{id} still Processing after 10 s");
}

/// The status and body of a GET of `url`.
async fn fetch(url: &str) -> (u16, Vec<u8>) {
    let resp = reqwest::get(url).await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.bytes().await.unwrap().to_vec())
}

async fn lifecycle_with(addressing: Addressing) {
    let emu = start(Config::default()).await;
    let c = client(emu.domestic_endpoint(addressing));
    let group = c
        .create_asset_group(&CreateAssetGroup {
            name: "角色 group".into(),
            description: Some("for the trailer".into()),
            group_type: Some(GroupType::Aigc),
        })
        .await
        .unwrap();
    assert!(group.id.starts_with("group-"));
    let created = c
        .create_asset(&CreateAsset::image(
            &group.id,
            emu.sample_url("portrait.jpg"),
            Some("hero".into()),
        ))
        .await
        .unwrap();
    let processing = c.get_asset(&created.id).await.unwrap();
    assert_eq!(processing.status, Status::Processing);
    let done = wait_done(&c, &created.id).await;
    assert_eq!(done.status, Status::Active, "{:?}", done.error);
    // The asset's file is the service's own copy, at a signed URL that expires.
    assert!(
        done.url
            .starts_with(&format!("{}/files/{}?X-Expires=", emu.url, created.id)),
        "{}",
        done.url
    );
    let (status, bytes) = fetch(&done.url).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, std::fs::read("assets/portrait.jpg").unwrap());
    let forged = done.url.replace("X-Signature=", "X-Signature=0");
    assert_eq!(fetch(&forged).await.0, 403, "a forged signature is refused");
    let unsigned = done.url.split('?').next().unwrap().to_owned();
    assert_eq!(fetch(&unsigned).await.0, 403, "an unsigned URL is refused");
    assert_eq!(
        (done.group_id.as_str(), done.name.as_str()),
        (group.id.as_str(), "hero")
    );

    c.update_asset(&UpdateAsset {
        id: created.id.clone(),
        name: "hero v2".into(),
    })
    .await
    .unwrap();
    assert_eq!(c.get_asset(&created.id).await.unwrap().name, "hero v2");
    c.update_asset_group(&UpdateAssetGroup {
        id: group.id.clone(),
        name: Some("renamed".into()),
        description: None,
    })
    .await
    .unwrap();
    let g = c.get_asset_group(&group.id).await.unwrap();
    assert_eq!(
        (g.name.as_str(), g.description.as_str()),
        ("renamed", "for the trailer")
    );

    c.delete_asset(&created.id).await.unwrap();
    assert_eq!(
        fetch(&done.url).await.0,
        404,
        "a deleted asset's file is gone"
    );
    let err = c.get_asset(&created.id).await.unwrap_err();
    assert_eq!(
        (err.http_status, err.code.as_str()),
        (Some(404), "NotFound.AssetId")
    );
    assert!(err.request_id.is_some());
    c.delete_asset_group(&group.id).await.unwrap();
    assert_eq!(emu.snapshot().groups.len(), 0);
}

#[tokio::test]
async fn lifecycle_action_query() {
    lifecycle_with(Addressing::ActionQuery).await;
}

#[tokio::test]
async fn lifecycle_open_path() {
    lifecycle_with(Addressing::OpenPath).await;
}

#[tokio::test]
async fn bad_images_fail_with_the_reason() {
    let emu = start(Config::default()).await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let g = c
        .create_asset_group(&CreateAssetGroup {
            name: "g".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let cases = [
        (
            "unsupported.ico",
            "InvalidParameter.FormatUnsupported",
            "ICO",
        ),
        ("nope.png", "InvalidParameter.DownloadFailed", "HTTP 404"),
        ("edge-299x400.png", "InvalidParameter", "width is 299 px"),
        (
            "not-an-image.html",
            "InvalidParameter.FormatUnsupported",
            "HTML",
        ),
    ];
    for (file, code, needle) in cases {
        let id = c
            .create_asset(&CreateAsset::image(&g.id, emu.sample_url(file), None))
            .await
            .unwrap()
            .id;
        let a = wait_done(&c, &id).await;
        assert_eq!(a.status, Status::Failed, "{file}");
        let e = a.error.expect("failed assets carry an error");
        assert_eq!(e.code, code, "{file}");
        assert!(e.message.contains(needle), "{file}: {}", e.message);
    }
}

/// A request for `at` of the listing of `filter`, newest first by creation.
fn page_of(filter: AssetFilter, at: &Cursor, order: SortOrder) -> ListAssets {
    ListAssets {
        filter: Some(filter),
        paging: Paging::at(at).sorted(SortBy::CreateTime, order),
    }
}

#[tokio::test]
async fn listings_page_either_way_and_filter_as_the_service_does() {
    for style in [PagingStyle::Token, PagingStyle::Number] {
        let emu = start(Config {
            seed_demo: true,
            paging: style,
            ..Config::default()
        })
        .await;
        let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
        // Without a Filter the service refuses a group listing.
        let err = c
            .list_asset_groups(&ListAssetGroups::default())
            .await
            .unwrap_err();
        assert_eq!(err.code, "MissingParameter.Filter", "{style:?}");
        // One kind a listing: the virtual portraits' groups by default.
        let aigc = GroupFilter {
            group_type: Some(GroupType::Aigc),
            ..Default::default()
        };
        let groups = c
            .list_asset_groups(&ListAssetGroups {
                filter: Some(aigc),
                paging: Paging::at(&Cursor::FIRST),
            })
            .await
            .unwrap();
        assert!(
            groups
                .items
                .iter()
                .all(|g| g.kind() == Some(GroupType::Aigc))
        );
        let big = groups.items.iter().max_by_key(|g| g.name.len()).unwrap();
        // The big group in pages of 100, oldest first.
        let mut seen = Vec::new();
        let mut pager = Pager::new();
        let mut at = Cursor::FIRST;
        let mut pages = 0;
        loop {
            let filter = AssetFilter {
                group_type: Some(GroupType::Aigc),
                ..AssetFilter::group(&big.id)
            };
            let page = c
                .list_assets(&page_of(filter, &at, SortOrder::Asc))
                .await
                .unwrap();
            match style {
                PagingStyle::Token => assert_eq!(page.total_count, None),
                PagingStyle::Number => assert_eq!(page.total_count, Some(240)),
            }
            pages += 1;
            let (items, next) = pager.take(&at, page);
            seen.extend(items.into_iter().map(|a| a.name));
            match next {
                Next::At(cursor) => at = cursor,
                Next::End => break,
                Next::Stopped(why) => panic!("{style:?}: {why}"),
            }
        }
        assert_eq!((pages, seen.len()), (3, 240), "{style:?}");
        assert_eq!(
            (seen[0].as_str(), seen[239].as_str()),
            ("extra-001", "extra-240")
        );
        // A filter key the service does not know is ignored: every group's assets come.
        let mut singular = serde_json::to_value(page_of(
            AssetFilter::default(),
            &Cursor::FIRST,
            SortOrder::Desc,
        ))
        .unwrap();
        singular["Filter"]["GroupId"] = big.id.clone().into();
        let http = ark_assets::http::client(|b| b);
        let answer = signed_post(&http, &emu, "ListAssets", &singular).await;
        let items = answer["Result"]["Items"].as_array().unwrap();
        assert!(
            items.iter().any(|a| a["GroupId"] != big.id.as_str()),
            "{style:?}: GroupId (singular) filters nothing"
        );
        // Statuses and names filter; a page holds 10 when no size is asked.
        let failed = c
            .list_assets(&page_of(
                AssetFilter {
                    statuses: Some(vec![Status::Failed]),
                    group_type: Some(GroupType::Aigc),
                    ..AssetFilter::group(&big.id)
                },
                &Cursor::FIRST,
                SortOrder::Desc,
            ))
            .await
            .unwrap();
        assert!(
            !failed.items.is_empty()
                && failed
                    .items
                    .iter()
                    .all(|a| a.status == Status::Failed && a.error.is_some())
        );
        let by_name = c
            .list_assets(&ListAssets {
                filter: Some(AssetFilter {
                    name: Some("角色".into()),
                    ..Default::default()
                }),
                paging: Paging::default(),
            })
            .await
            .unwrap();
        assert_eq!(
            by_name.items.len(),
            10,
            "{style:?}: default page size is 10"
        );
        assert!(by_name.items.iter().all(|a| a.name.contains("角色")));
    }
}

/// POSTs `body` as `action`, signed with the demo keys, and returns the answer.
async fn signed_post(
    http: &reqwest::Client,
    emu: &Emulator,
    action: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    let Endpoint::Domestic(d) = emu.domestic_endpoint(Addressing::ActionQuery) else {
        unreachable!()
    };
    let body = serde_json::to_vec(body).unwrap();
    let x_date = ark_assets::api::sign::x_date(chrono::Utc::now());
    let signed = d.sign(Action::from_name(action).unwrap(), &body, &x_date);
    let mut req = http.post(signed.url).body(body);
    for (k, v) in signed.headers {
        req = req.header(k, v);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn authentication_failures_are_surfaced_with_request_ids() {
    let emu = start(Config::default()).await;
    let Endpoint::Domestic(mut d) = emu.domestic_endpoint(Addressing::ActionQuery) else {
        unreachable!()
    };
    d.credentials.secret_access_key = SecretString::from("wrong-secret");
    let err = client(Endpoint::Domestic(d.clone()))
        .get_asset("asset-1")
        .await
        .unwrap_err();
    assert_eq!(
        (err.http_status, err.code.as_str()),
        (Some(401), "SignatureDoesNotMatch")
    );
    let shown = err.to_string();
    assert!(
        shown.contains("[RequestId: 20") && !shown.contains("wrong-secret"),
        "{shown}"
    );

    d.credentials.access_key_id = "AKLTnobody".into();
    let err = client(Endpoint::Domestic(d))
        .get_asset("asset-1")
        .await
        .unwrap_err();
    assert_eq!(err.code, "InvalidAccessKey");

    let skewed = start(Config {
        clock_offset: chrono::TimeDelta::minutes(20),
        ..Config::default()
    })
    .await;
    let err = client(skewed.domestic_endpoint(Addressing::OpenPath))
        .get_asset("a")
        .await
        .unwrap_err();
    assert_eq!(err.code, "InvalidTimestamp");
    assert!(err.message.contains("15 minutes"), "{err}");
    assert!(
        err.message
            .contains("this machine's clock is 1200 s behind the server's")
            || err
                .message
                .contains("this machine's clock is 1199 s behind the server's"),
        "the skew is measured and explained: {err}"
    );

    let Endpoint::Global(mut g) = emu.global_endpoint() else {
        unreachable!()
    };
    g.api_key = SecretString::from("bad-token");
    let err = client(Endpoint::Global(g))
        .get_asset("a")
        .await
        .unwrap_err();
    assert_eq!(
        (err.http_status, err.code.as_str()),
        (Some(401), "base_resp.status_code=1004")
    );
}

#[tokio::test]
async fn a_throttling_burst_is_absorbed_by_retries() {
    let emu = start(Config::default()).await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    emu.set_faults(Faults {
        throttle_burst: 2,
        ..Faults::default()
    });
    let g = c
        .create_asset_group(&CreateAssetGroup {
            name: "burst".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(emu.stats().throttled, 2);
    assert_eq!(
        emu.snapshot().groups.len(),
        1,
        "exactly one group despite the re-sends"
    );
    assert!(emu.snapshot().groups.contains_key(&g.id));
}

#[tokio::test]
async fn the_global_dialect_creates_and_polls() {
    let emu = start(Config::default()).await;
    let c = client(emu.global_endpoint());
    let id = c
        .create_asset(&CreateAsset::image(
            "",
            emu.sample_url("portrait.webp"),
            Some("g1".into()),
        ))
        .await
        .unwrap()
        .id;
    let done = wait_done(&c, &id).await;
    assert_eq!((done.status, done.name.as_str()), (Status::Active, "g1"));
    let err = c
        .list_asset_groups(&ListAssetGroups::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    let err = c.get_asset("asset-missing").await.unwrap_err();
    assert!(err.message.contains("does not exist"), "{err}");
}

#[tokio::test]
async fn the_processing_cap_is_enforced_and_absorbed() {
    let emu = start(Config {
        max_processing: 1,
        ..Config::default()
    })
    .await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let g = c
        .create_asset_group(&CreateAssetGroup {
            name: "cap".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    for _ in 0..2 {
        c.create_asset(&CreateAsset::image(
            &g.id,
            emu.sample_url("portrait.png"),
            None,
        ))
        .await
        .unwrap();
    }
    assert!(emu.stats().throttled >= 1, "the second create met the cap");
    assert_eq!(emu.snapshot().assets.len(), 2);
}

#[tokio::test]
async fn state_survives_a_restart_with_a_data_file() {
    let path = std::env::temp_dir().join(format!("ark-assets-emu-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let config = Config {
        data: Some(path.clone()),
        ..Config::default()
    };
    let emu = start(config.clone()).await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let g = c
        .create_asset_group(&CreateAssetGroup {
            name: "kept".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let made = c
        .create_asset(&CreateAsset::image(
            &g.id,
            emu.sample_url("portrait.png"),
            None,
        ))
        .await
        .unwrap();
    let url = wait_done(&c, &made.id).await.url;
    let emu_url = emu.url.clone();
    emu.shutdown().await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let again = start(config).await;
    let c = client(again.domestic_endpoint(Addressing::OpenPath));
    assert_eq!(c.get_asset_group(&g.id).await.unwrap().name, "kept");
    // On a new port: the signature covers the asset and the expiry, not the address.
    let url = url.replace(&emu_url, &again.url);
    let (status, bytes) = fetch(&url).await;
    assert_eq!(
        status, 200,
        "a URL given before the restart still serves the file"
    );
    assert_eq!(bytes, std::fs::read("assets/portrait.png").unwrap());
    std::fs::remove_file(&path).unwrap();
    let mut files = path.into_os_string();
    files.push(".files");
    std::fs::remove_dir_all(files).unwrap();
}

#[tokio::test]
async fn malformed_requests_get_400_not_500() {
    let emu = start(Config::default()).await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let err = c
        .list_assets(&ListAssets {
            filter: Some(AssetFilter::default()),
            paging: Paging {
                max_results: Some(500),
                ..Default::default()
            },
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.http_status, err.code.as_str()),
        (Some(400), "InvalidParameter")
    );
    let err = c
        .create_asset(&CreateAsset::image(
            "group-none",
            "https://example.com/a.png",
            None,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code, "NotFound.GroupId");
}

/// An emulator that holds at most two assets Processing, and a client that keeps to two.
async fn capped_at_two() -> (Emulator, Client) {
    let emu = start(Config {
        max_processing: 2,
        ..Config::default()
    })
    .await;
    let options = ClientOptions {
        limits: ark_assets::api::LimitConfig {
            max_creations: 2,
            ..Default::default()
        },
        ..ClientOptions::default()
    };
    let c = Client::new(emu.domestic_endpoint(Addressing::ActionQuery), options);
    (emu, c)
}

#[tokio::test]
async fn the_client_keeps_its_creations_under_the_processing_cap() {
    let (emu, c) = capped_at_two().await;
    let g = c
        .create_asset_group(&CreateAssetGroup {
            name: "paced".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let creates = (0..6).map(|i| {
        let c = c.clone();
        let req = CreateAsset::image(&g.id, emu.sample_url("portrait.png"), Some(format!("a{i}")));
        async move { c.create_asset(&req).await.unwrap() }
    });
    futures::future::join_all(creates).await;
    assert_eq!(emu.snapshot().assets.len(), 6);
    assert_eq!(
        emu.stats().throttled,
        0,
        "the server never had to refuse a creation"
    );
}

/// The slot checks list the Processing assets of one kind of group once they know the kinds
/// held: creates into a real person's group and a portraits' group at once still never have
/// more Processing than the client's slots.
#[tokio::test]
async fn the_processing_cap_holds_across_both_kinds_of_group() {
    let (emu, c) = capped_at_two().await;
    let group = async |name: &str| {
        let req = CreateAssetGroup {
            name: name.into(),
            ..Default::default()
        };
        c.create_asset_group(&req).await.unwrap()
    };
    let (person, portraits) = (group("a person").await, group("portraits").await);
    // As a liveness check makes it: listed apart by the service.
    emu.edit(|store, _| {
        let kind = GroupType::LivenessFace.name().to_owned();
        store.groups.get_mut(&person.id).unwrap().group_type = kind;
    });
    let creates = (0..8).map(|i| {
        let c = c.clone();
        let group = if i % 2 == 0 {
            &person.id
        } else {
            &portraits.id
        };
        let req = CreateAsset::image(group, emu.sample_url("portrait.png"), Some(format!("b{i}")));
        async move { c.create_asset(&req).await.unwrap() }
    });
    let made = futures::future::join_all(creates).await;
    let groups = emu.snapshot();
    let in_group = |id: &str| groups.assets[id].asset.group_id.clone();
    let in_person = made.iter().filter(|m| in_group(&m.id) == person.id).count();
    assert_eq!((made.len(), in_person), (8, 4));
    assert_eq!(
        emu.stats().throttled,
        0,
        "the server never had to refuse a creation"
    );
}

#[tokio::test]
async fn slow_bodies_and_latency_are_waited_out() {
    let emu = start(Config {
        seed_demo: true,
        ..Config::default()
    })
    .await;
    emu.set_faults(Faults {
        latency: Duration::from_millis(300),
        slow_body: Some(Duration::from_millis(700)),
        ..Faults::default()
    });
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let started = std::time::Instant::now();
    let page = c
        .list_asset_groups(&ListAssetGroups {
            filter: Some(GroupFilter::default()),
            paging: Paging::default(),
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5, "the demo's virtual portraits' groups");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

/// The TUI's effects go through the catalog's use cases, as the CLI does: a made-up id is
/// not found (not an error), and a group of a name another has is refused, in the dialog.
#[tokio::test]
async fn the_tuis_effects_delete_and_create_as_the_cli_does() {
    use crate::support::fixtures::{ch, with_groups};
    use ark_assets::app::mode::Mode;
    use ark_assets::app::{Effect, Msg, Runner, update};
    use ark_assets::catalog::changes::Deletion;
    struct NoClipboard;
    impl ark_assets::app::effects::Clipboard for NoClipboard {
        fn copy(&self, _: &str) {}
    }
    let emu = start(Config::default()).await;
    let c = client(emu.domestic_endpoint(Addressing::ActionQuery));
    let cast = c
        .create_asset_group(&CreateAssetGroup {
            name: "Cast".into(),
            description: None,
            group_type: Some(GroupType::Aigc),
        })
        .await
        .unwrap()
        .id;
    let dir = std::env::temp_dir().join(format!(
        "ark-assets-effects-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let ledger = ark_assets::ledger::Ledger::at(&dir.join("ledger.sqlite"));
    let catalog = ark_assets::catalog::Catalog::new(c, std::sync::Arc::new(ledger));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(catalog, tx, std::sync::Arc::new(NoClipboard));
    let mut answer = async || loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("an answer within 10 s")
            .unwrap();
        if !matches!(msg, Msg::Notice(_)) {
            return msg;
        }
    };
    let typo = "asset-20260101000000-nope0".to_owned();
    runner.run(Effect::DeleteAssets(vec![typo.clone(), typo.clone()]));
    match answer().await {
        Msg::AssetsDeleted(outcomes) => assert_eq!(outcomes, [(typo, Deletion::NotFound)]),
        other => panic!("{other:?}"),
    }
    runner.run(Effect::CreateGroup {
        name: "Cast".into(),
        description: String::new(),
    });
    let refused = answer().await;
    assert!(matches!(refused, Msg::GroupCreated(Err(_))), "{refused:?}");
    // The new-group dialog says why, and stays open.
    let mut state = with_groups((80, 24));
    update(&mut state, ch('n'));
    update(&mut state, refused);
    let Mode::Form(dialog) = &state.mode else {
        panic!("the dialog is open: {:?}", state.mode)
    };
    let said = dialog.error.as_deref().unwrap_or_default();
    assert!(
        said.contains("exists already") && said.contains(&cast),
        "{said}"
    );
    drop(runner);
    let _ = std::fs::remove_dir_all(&dir);
}
