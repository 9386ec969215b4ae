//! The checks that talk to the service and the object storage.

use std::time::Duration;

use super::Check;
use crate::api::model::{GroupFilter, GroupType, ListAssetGroups, Paging};
use crate::api::paging::Cursor;
use crate::api::{AssetsApi, Client, Endpoint};
use crate::config::Rates;
use crate::ledger::Ledger;
use crate::storage::Storage;

/// The longest wait for the endpoint to answer anything.
const REACH_TIMEOUT: Duration = Duration::from_secs(10);
/// The clock difference from which signatures are at risk (the service accepts 15 minutes).
const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// What a plain GET of the endpoint found.
pub struct Reached {
    /// Whether it answers at all (any HTTP answer will do).
    pub endpoint: Check,
    /// How far this machine's clock is from the server's `Date`, when it answered.
    pub clock: Option<Check>,
    /// Whether it answered with a web page (`text/html`): a console, a proxy's login or the
    /// documentation rather than the API.
    pub page: bool,
}

/// Whether the endpoint answers at all (any HTTP answer will do), and, when it does, how far
/// this machine's clock is from the server's `Date` and whether it serves a web page.
pub async fn reach(endpoint: &Endpoint) -> Reached {
    let base = endpoint.base();
    let http = crate::http::client(|b| b.timeout(REACH_TIMEOUT).connect_timeout(REACH_TIMEOUT));
    let answer = match http.get(base.clone()).send().await {
        Ok(answer) => answer,
        Err(e) => {
            let why = crate::http::error_chain(&e);
            let failed = Check::fail(
                "endpoint",
                format!("{base} cannot be reached: {why}"),
                "check the endpoint (or the region it names), the network, and HTTPS_PROXY",
            );
            return Reached {
                endpoint: failed,
                clock: None,
                page: false,
            };
        }
    };
    let page = answer
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let reached = Check::pass(
        "endpoint",
        format!("{base} answers (HTTP {})", answer.status()),
    );
    let date = answer
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
    let clock = match date {
        Some(date) => clock(chrono::Utc::now() - date.to_utc()),
        None => Check::info(
            "clock",
            "the endpoint sends no Date: the clock is not compared",
        ),
    };
    Reached {
        endpoint: reached,
        clock: Some(clock),
        page,
    }
}

/// The clock check for this machine being `skew` ahead of the server.
fn clock(skew: chrono::TimeDelta) -> Check {
    let seconds = skew.num_seconds();
    let direction = if seconds > 0 { "ahead of" } else { "behind" };
    let said = format!(
        "this machine's clock is {} s {direction} the server's",
        seconds.abs()
    );
    if seconds.abs() <= MAX_SKEW_SECONDS {
        return Check::pass("clock", format!("{said} (signatures allow 15 minutes)"));
    }
    Check::fail(
        "clock",
        said,
        "correct the clock (e.g. `timedatectl set-ntp true`): signed requests are refused past \
         15 minutes",
    )
}

/// A signed read: the keys, their IAM policy and the project (domestic: one page of groups;
/// global: an asset that does not exist, which a known key is told is not found). `page`:
/// the endpoint serves a web page (see [`Reached`]).
pub async fn signed_read(client: &Client, page: bool) -> Check {
    let read = if client.endpoint().dialect().can_list() {
        let req = ListAssetGroups {
            filter: Some(GroupFilter {
                group_type: Some(GroupType::ALL[0]),
                ..GroupFilter::default()
            }),
            paging: Paging::at(&Cursor::FIRST),
        };
        client.list_asset_groups(&req).await.map(|page| {
            let shown = match page.total_count {
                Some(total) => format!("{total} AIGC groups"),
                None => format!("a page of {} AIGC groups", page.items.len()),
            };
            format!("ListAssetGroups accepted ({shown})")
        })
    } else {
        match client.get_asset("asset-doctor-00000000000000-00000").await {
            Err(e) if e.is_not_found() => Ok("GetAsset accepted (the API key is known)".to_owned()),
            Err(e) => Err(e),
            Ok(_) => Ok("GetAsset accepted".to_owned()),
        }
    };
    match read {
        Ok(detail) => Check::pass("signed read", detail),
        // No envelope at all: the keys were not even looked at.
        Err(e) if e.code == "MalformedResponse" || e.code.starts_with("HTTP") => {
            let answer = if page {
                "an HTML page"
            } else {
                "no JSON envelope"
            };
            Check::fail(
                "signed read",
                format!("{e} — {answer}: this endpoint is not the Assets API"),
                "check the profile's endpoint (ARK_ENDPOINT or `endpoint`): the API's base URL, \
                 e.g. https://ark.cn-beijing.volces.com/, not a console or documentation page",
            )
        }
        Err(e) => {
            let next = e.advice().unwrap_or(
                "check the keys, the region and the project of the profile \
                 (`ark-assets config show`)",
            );
            Check::fail("signed read", e.to_string(), next)
        }
    }
}

/// The object storage, end to end: the bucket, a tiny object put, read back through a
/// presigned GET (as the service downloads what is uploaded) and deleted.
pub async fn storage(storage: Option<&Storage>) -> Check {
    let Some(storage) = storage else {
        return Check::info(
            "storage",
            "no storage table: assets can be made from URLs, not from local files",
        );
    };
    let place = storage.place();
    match round_trip(storage).await {
        Ok(()) => Check::pass(
            "storage",
            format!("{place}: an object put, read back through a presigned GET, deleted"),
        ),
        Err(e) => Check::fail(
            "storage",
            format!("{place}: {e}"),
            "check the profile's storage table: bucket, region, endpoint and its keys",
        ),
    }
}

/// Puts a small object, reads it back by its presigned URL, and deletes it.
async fn round_trip(storage: &Storage) -> Result<(), String> {
    let said = |e: crate::storage::StorageError| format!("{}{}", e.what, e.hint);
    storage.check_bucket().await.map_err(said)?;
    let body = format!("ark-assets doctor {:016x}\n", rand::random::<u64>());
    let file = std::env::temp_dir().join(format!("ark-assets-doctor-{}.txt", std::process::id()));
    crate::files::write_private(&file, body.as_bytes()).map_err(|e| e.to_string())?;
    let result = async {
        let content = crate::storage::hash_file(&file)
            .await
            .map_err(|e| e.to_string())?;
        let key = storage.object_key(&content.sha256, "txt");
        storage
            .upload(&key, &file, &content, std::sync::Arc::new(|_| {}))
            .await
            .map_err(said)?;
        let read = read_back(storage, &key).await;
        let deleted = storage.delete(&key).await.map_err(said);
        match read? == body.as_bytes() {
            true => deleted,
            false => Err("the presigned GET read other bytes than were put".to_owned()),
        }
    }
    .await;
    let _ = std::fs::remove_file(&file);
    result
}

/// The object `key` as a presigned GET reads it (the way the service will).
async fn read_back(storage: &Storage, key: &str) -> Result<Vec<u8>, String> {
    let url = storage.presigned_get(key);
    let http = crate::http::client(|b| b.timeout(REACH_TIMEOUT));
    let answer = http
        .get(url)
        .send()
        .await
        .map_err(|e| format!("the presigned GET failed: {}", crate::http::error_chain(&e)))?;
    if !answer.status().is_success() {
        return Err(format!(
            "the presigned GET was refused (HTTP {})",
            answer.status()
        ));
    }
    let bytes = answer.bytes().await.map_err(|e| e.to_string())?;
    Ok(bytes.to_vec())
}

/// The CreateAsset rate and quota in force and where they come from: the profile's
/// `create_per_minute`, its tier, the domestic default, and a rate learned from 429s that the
/// ledger keeps (read only when the ledger exists: a check makes none).
pub fn limits(rates: &Rates, ledger: &Ledger) -> Check {
    let rate = match rates.create_per_minute() {
        Some(n) => format!("CreateAsset {n} a minute"),
        None => "CreateAsset 30 a second".to_owned(),
    };
    let mut detail = format!("{rate} ({})", rates.source());
    if let Some(q) = rates.quota() {
        detail.push_str(&format!(
            "; at most {} assets, {} groups",
            q.assets, q.groups
        ));
    }
    let kept = ledger
        .path()
        .exists()
        .then(|| ledger.rates().ok())
        .flatten()
        .unwrap_or_default();
    if let Some((_, _, learned)) = kept.iter().find(|(action, ..)| action == "CreateAsset") {
        detail.push_str(&format!("; learned from 429s: {learned:.1} a minute"));
    }
    Check::info("limits", detail)
}
