//! The two dialects' actions: the domestic envelope (`Action`/`Version`) and the global one
//! (`base_resp`), each applied to the store.

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::super::auth::{self, Signed};
use super::super::faults::Fault;
use super::super::store::{self, DEFAULT_PROJECT, Fail, Outcome};
use super::super::{Shared, lifecycle, verify};
use super::{admit, object, request_id, respond, stuck, with_urls};
use crate::api::domestic::VERSION;
use crate::api::model::{Action, CreateAsset};

pub(super) async fn domestic(
    shared: &Arc<Shared>,
    action_name: &str,
    version: Option<&str>,
    signed: &Signed<'_>,
) -> Response {
    let now = shared.now();
    let rid = request_id(now);
    let mut fault = Fault::None;
    let mut wait = None;
    let mut created = None;
    let result = (|| {
        let action = Action::from_name(action_name)
            .filter(|_| version == Some(VERSION))
            .ok_or_else(|| {
                Fail::new(
                    404,
                    "InvalidActionOrVersion",
                    format!(
                        "could not find operation {action_name:?} for version {:?}",
                        version.unwrap_or("")
                    ),
                )
            })?;
        let account = auth::verify_signature(signed, &shared.config.accounts, now)
            .inspect_err(|_| shared.stats.lock().expect("stats lock").refused += 1)?;
        fault = admit(shared, account, action).map_err(|(fail, w)| {
            wait = w;
            fail
        })?;
        let body = object(signed.body)?;
        let outcome = apply(shared, action, &body, now)?;
        for id in &outcome.removed_assets {
            shared.copies.remove(id);
        }
        if outcome.changed {
            shared.changed();
        }
        created = outcome.created_asset;
        if fault == Fault::InternalAfter {
            return Err(Fail::new(
                500,
                "InternalError",
                "internal error (injected fault, after applying)",
            ));
        }
        let result = match action {
            Action::ListAssets | Action::ListAssetGroups => stuck(shared, &body, outcome.result),
            _ => outcome.result,
        };
        Ok(match action {
            Action::GetAsset | Action::ListAssets => with_urls(shared, result),
            _ => result,
        })
    })();
    let metadata = |error: Option<&Fail>| {
        let mut m = json!({
            "RequestId": rid, "Action": action_name, "Version": version.unwrap_or(VERSION),
            "Service": "ark", "Region": "cn-beijing",
        });
        if let Some(f) = error {
            m["Error"] = json!({"Code": f.code, "CodeN": 0, "Message": f.message});
        }
        m
    };
    let (status, envelope) = match &result {
        Ok(r) => (
            200,
            json!({"ResponseMetadata": metadata(None), "Result": r}),
        ),
        Err(f) => (f.status, json!({"ResponseMetadata": metadata(Some(f))})),
    };
    if let Some(id) = created {
        lifecycle::accept(shared, id).await;
    }
    respond(shared, status, envelope, wait, fault).await
}

/// Applies one domestic `action` with request `body` at `now`: a liveness check's step, or
/// the store's action.
fn apply(
    shared: &Shared,
    action: Action,
    body: &Value,
    now: DateTime<Utc>,
) -> Result<Outcome, Fail> {
    let project = store::project_of(body);
    match action {
        Action::CreateVisualValidateSession => {
            let result = verify::create(&mut shared.store(), project, body, &shared.base_url, now);
            Ok(Outcome::write(result))
        }
        Action::GetVisualValidateResult => {
            let ttl = shared.config.verify_ttl;
            let result = verify::result(&mut shared.store(), &project, body, ttl, now);
            // The token is spent whatever the answer.
            shared.changed();
            Ok(Outcome::write(result?))
        }
        _ => shared
            .store()
            .apply(action, body, now, &shared.config.rules()),
    }
}

/// The global dialect's status code for a failure.
fn global_code(fail: &Fail) -> i64 {
    match fail.status {
        401 | 403 => 1004,
        429 => 1002,
        500..=599 => 1000,
        _ => 2013,
    }
}

pub(super) async fn global(
    shared: &Arc<Shared>,
    action_name: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let now = shared.now();
    let mut fault = Fault::None;
    let mut wait = None;
    let mut created = None;
    let result = (|| {
        let account = auth::verify_bearer(headers, &shared.config.accounts).ok_or_else(|| {
            shared.stats.lock().expect("stats lock").refused += 1;
            Fail::new(401, "Unauthorized", "invalid or missing API key")
        })?;
        let action = Action::from_name(action_name)
            .filter(|a| matches!(a, Action::CreateAsset | Action::GetAsset))
            .ok_or_else(|| {
                Fail::new(
                    404,
                    "InvalidAction",
                    format!("unknown action {action_name:?}"),
                )
            })?;
        fault = admit(shared, account, action).map_err(|(fail, w)| {
            wait = w;
            fail
        })?;
        let body = object(body)?;
        let result = if action == Action::CreateAsset {
            let url = body.get("URL").and_then(Value::as_str).unwrap_or_default();
            let req = CreateAsset {
                group_id: String::new(),
                url: url.to_owned(),
                name: body.get("Name").and_then(Value::as_str).map(str::to_owned),
                asset_type: body
                    .get("AssetType")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            };
            let outcome = shared.store().create_asset(
                req,
                DEFAULT_PROJECT.to_owned(),
                now,
                &shared.config.rules(),
            )?;
            shared.changed();
            created = outcome.created_asset;
            outcome.result
        } else {
            with_urls(shared, flat_asset(shared, &body)?)
        };
        if fault == Fault::InternalAfter {
            return Err(Fail::new(
                500,
                "InternalError",
                "internal error (injected fault, after applying)",
            ));
        }
        Ok(result)
    })();
    let (status, envelope) = match result {
        Ok(mut r) => {
            r["base_resp"] = json!({"status_code": 0, "status_msg": "success"});
            (200, r)
        }
        Err(f) => (
            f.status,
            json!({"base_resp": {"status_code": global_code(&f), "status_msg": format!("{}: {}", f.code, f.message)}}),
        ),
    };
    if let Some(id) = created {
        lifecycle::accept(shared, id).await;
    }
    respond(shared, status, envelope, wait, fault).await
}

/// The asset `body` names (`Id`) as the global dialect's GetAsset shows it: flat, without
/// group or project.
fn flat_asset(shared: &Shared, body: &Value) -> Result<Value, Fail> {
    let id = body.get("Id").and_then(Value::as_str).unwrap_or_default();
    let store = shared.store();
    let a = &store
        .assets
        .get(id)
        .ok_or_else(|| {
            Fail::new(
                404,
                "NotFound.AssetId",
                format!("asset {id:?} does not exist"),
            )
        })?
        .asset;
    let mut flat = json!({
        "Id": a.id, "Status": a.status, "AssetType": a.asset_type, "Name": a.name, "URL": a.url,
        "CreateTime": a.create_time, "UpdateTime": a.update_time,
    });
    if let Some(e) = &a.error {
        flat["Error"] = json!(e);
    }
    Ok(flat)
}
