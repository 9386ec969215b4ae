//! Answers as the real service may send them (spec section 11), recorded as fixtures in
//! `tests/data/answers/`: times in every accepted form, unknown fields and statuses, a
//! Moderation object, real-person groups, lists without paging fields, token pages (BytePlus:
//! no total, an empty `NextToken` on the last page, a filter the service ignored), and
//! update/delete answers without a Result.

use crate::support::stub;

use std::time::Duration;

use ark_assets::api::model::*;
use ark_assets::api::sign::Credentials;
use ark_assets::api::{Addressing, AssetsApi, Client, ClientOptions, Domestic, Endpoint};
use secrecy::SecretString;
use stub::{Reply, Stub};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/answers")
            .join(name),
    )
    .unwrap()
}

fn client(stub: &Stub) -> Client {
    Client::new(
        Endpoint::Domestic(Domestic {
            base: stub.url.parse().unwrap(),
            credentials: Credentials {
                access_key_id: "AKLTlenient".into(),
                secret_access_key: SecretString::from("s"),
                region: "cn-beijing".into(),
                service: "ark".into(),
                session_token: None,
            },
            addressing: Addressing::ActionQuery,
            project: None,
        }),
        ClientOptions {
            request_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    )
}

#[tokio::test]
async fn times_statuses_moderation_and_unknown_fields_are_read_leniently() {
    let stub = Stub::start(Reply::json(200, &fixture("list_assets_variants.json"))).await;
    let page = client(&stub)
        .list_assets(&ListAssets::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
    let (_, next) = ark_assets::api::paging::Pager::new()
        .take(&ark_assets::api::paging::Cursor::FIRST, page.clone());
    assert_eq!(
        next,
        ark_assets::api::paging::Next::End,
        "no PageNumber/PageSize: one page of five"
    );
    let at = |i: usize| page.items[i].create_time.map(|t| t.timestamp());
    let expected = Some(1_780_401_008);
    assert_eq!(at(0), expected, "RFC 3339 with +08:00");
    assert_eq!(at(1), expected, "YYYY-MM-DD HH:MM:SS");
    assert_eq!(at(2), expected, "Unix seconds (number)");
    assert_eq!(at(3), expected, "Unix milliseconds (number)");
    assert_eq!(
        page.items[2].update_time.map(|t| t.timestamp()),
        Some(1_780_401_011),
        "Unix seconds (string)"
    );
    assert_eq!(
        page.items[3].update_time.map(|t| t.timestamp()),
        Some(1_780_401_012),
        "Unix milliseconds (string)"
    );
    assert_eq!(at(4), None, "an unreadable time is no time, not an error");
    assert!(matches!(page.items[4].status, Status::Unknown(_)));
    assert_eq!(
        page.items[4].status.to_string(),
        "Frozen",
        "shown as it came"
    );
    assert_eq!(
        page.items[3].moderation_text().as_deref(),
        Some(r#"{"Labels":[],"Result":"Pass"}"#)
    );
    assert_eq!(
        page.items[2].error.as_ref().unwrap().code,
        "InvalidParameter.DownloadFailed"
    );
}

#[tokio::test]
async fn real_person_groups_and_results_without_a_body() {
    let stub = Stub::start(Reply::json(200, &fixture("list_groups_variants.json"))).await;
    let api = client(&stub);
    let groups = api
        .list_asset_groups(&ListAssetGroups::default())
        .await
        .unwrap()
        .items;
    assert!(groups[0].is_real_person() && !groups[1].is_real_person());
    stub.push(Reply::json(200, &fixture("update_without_result.json")));
    api.update_asset(&UpdateAsset {
        id: "asset-1".into(),
        name: "n".into(),
    })
    .await
    .unwrap();
    stub.push(Reply::json(200, &fixture("delete_with_empty_result.json")));
    api.delete_asset("asset-1").await.unwrap();
}

#[tokio::test]
async fn null_lists_and_odd_statuses_read_as_empty_and_unknown() {
    let stub = Stub::start(Reply::json(200, &fixture("list_groups_null_items.json"))).await;
    let groups = client(&stub)
        .list_asset_groups(&ListAssetGroups::default())
        .await
        .unwrap();
    assert!(groups.items.is_empty(), "\"Items\": null is an empty list");
    let stub = Stub::start(Reply::json(200, &fixture("list_assets_nulls.json"))).await;
    let page = client(&stub)
        .list_assets(&ListAssets::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3, "one odd asset does not fail the page");
    let [null, number, fine] = &page.items[..] else {
        panic!()
    };
    assert_eq!(null.status.name(), "null");
    assert!(matches!(null.status, Status::Unknown(_)));
    assert_eq!((null.name.as_str(), null.url.as_str()), ("", ""));
    assert_eq!(number.status.name(), "123");
    let error = number.error.as_ref().unwrap();
    assert_eq!((error.code.as_str(), error.message.as_str()), ("", "7"));
    assert_eq!(fine.status, Status::Active);
}

#[test]
fn the_printed_scheme_follows_the_configuration() {
    let file: ark_assets::config::ConfigFile =
        toml::from_str("asset_scheme = \"asset://\"\n").unwrap();
    assert_eq!(file.asset_scheme, AssetScheme::Lower);
    assert!(toml::from_str::<ark_assets::config::ConfigFile>("asset_scheme = \"a://\"").is_err());
    assert_eq!(AssetScheme::Lower.reference("asset-1"), "asset://asset-1");
    assert_eq!(
        AssetScheme::default().reference("asset-1"),
        "Asset://asset-1"
    );
}

#[test]
fn asset_references_are_accepted_in_either_case() {
    assert_eq!(strip_reference("asset://asset-1"), "asset-1");
    assert_eq!(strip_reference("Asset://asset-1"), "asset-1");
    assert_eq!(strip_reference("ASSET://asset-1"), "asset-1");
    assert_eq!(strip_reference("asset-1"), "asset-1");
}

#[tokio::test]
async fn token_pages_are_followed_to_an_empty_token_and_other_groups_are_left_out() {
    let stub = Stub::start(Reply::json(200, &fixture("list_assets_token_page_1.json"))).await;
    stub.push(Reply::json(200, &fixture("list_assets_token_page_1.json")));
    stub.push(Reply::json(
        200,
        &fixture("list_assets_token_page_last.json"),
    ));
    let ledger =
        std::env::temp_dir().join(format!("ark-assets-tokens-{}.sqlite", std::process::id()));
    let catalog = ark_assets::catalog::Catalog::new(
        client(&stub),
        std::sync::Arc::new(ark_assets::ledger::Ledger::at(&ledger)),
    );
    let filter = AssetFilter {
        group_type: Some(GroupType::Aigc),
        ..AssetFilter::group("group-a")
    };
    let listing = catalog.assets(&filter).await.unwrap();
    let names: Vec<&str> = listing.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["hero-01", "hero-02", "hero-03", "hero-04"]);
    assert_eq!((listing.left_out, listing.stopped.as_deref()), (1, None));
    assert_eq!(listing.total, None, "token pages say no total");
    let bodies: Vec<serde_json::Value> = stub
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 2, "an empty NextToken ends the listing");
    for body in &bodies {
        assert_eq!(body["Filter"]["GroupIds"], serde_json::json!(["group-a"]));
        assert_eq!(body["Filter"]["GroupType"], "AIGC");
        assert_eq!(body["MaxResults"], 100, "{body}");
    }
    // The first page is asked for both ways; the service uses the keys it knows.
    assert_eq!(bodies[0]["PageNumber"], 1, "{}", bodies[0]);
    assert_eq!(bodies[0]["PageSize"], 100, "{}", bodies[0]);
    assert!(bodies[0].get("NextToken").is_none());
    assert_eq!(
        bodies[1]["NextToken"], "eyJvZmZzZXQiOjN9",
        "the token is sent back as given"
    );
}
