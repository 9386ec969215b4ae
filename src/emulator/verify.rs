//! Real-person groups (spec section 10): a liveness-check session whose H5 page the person
//! opens on a phone; here the page is a plain HTML form with pass / fail buttons. The token is
//! single-use: the first `GetVisualValidateResult` consumes it, whatever it says.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::fail::Fail;
use super::store::{Check, Session, Store, new_id};
use crate::api::model::AssetGroup;

/// `CreateVisualValidateSession`: a token and the page link for it.
pub fn create(
    store: &mut Store,
    project: String,
    body: &Value,
    base: &str,
    now: DateTime<Utc>,
) -> Value {
    let token = new_id("token", now);
    store.sessions.insert(
        token.clone(),
        Session {
            project,
            created: now,
            check: Check::Waiting,
            used: false,
        },
    );
    let callback = body
        .get("CallbackURL")
        .and_then(Value::as_str)
        .unwrap_or_default();
    json!({
        "BytedToken": token,
        "H5Link": format!("{base}/h5/verify?token={token}&lng=zh"),
        "CallbackURL": callback,
    })
}

/// `GetVisualValidateResult`: spends the token; a passed check becomes a `LivenessFace` group.
pub fn result(
    store: &mut Store,
    project: &str,
    body: &Value,
    ttl: std::time::Duration,
    now: DateTime<Utc>,
) -> Result<Value, Fail> {
    let token = body
        .get("BytedToken")
        .and_then(Value::as_str)
        .ok_or_else(|| Fail::new(400, "MissingParameter", "BytedToken is required"))?;
    let session = store
        .sessions
        .get_mut(token)
        .filter(|s| s.project == project)
        .ok_or_else(|| Fail::new(404, "NotFound.BytedToken", format!("no session {token}")))?;
    if session.used {
        return Err(Fail::new(
            400,
            "InvalidParameter.BytedToken",
            "the token was already used: start a new session",
        ));
    }
    session.used = true;
    let age = (now - session.created).to_std().unwrap_or_default();
    match session.check {
        _ if age > ttl && session.check == Check::Waiting => Err(Fail::new(
            400,
            "InvalidParameter.BytedTokenExpired",
            "the session expired before the check was completed",
        )),
        Check::Waiting => Err(Fail::new(
            400,
            "OperationDenied.VerificationNotCompleted",
            "the person has not completed the check",
        )),
        Check::Failed => Err(Fail::new(
            400,
            "OperationDenied.VerificationFailed",
            "the liveness check did not pass",
        )),
        Check::Passed => {
            let id = new_id("group", now);
            store.groups.insert(
                id.clone(),
                AssetGroup {
                    id: id.clone(),
                    name: format!("Verified person {}", &token[token.len() - 5..]),
                    description: "a real person, verified by a liveness check".to_owned(),
                    group_type: "LivenessFace".to_owned(),
                    project_name: project.to_owned(),
                    create_time: Some(now),
                    update_time: Some(now),
                },
            );
            Ok(json!({ "GroupId": id }))
        }
    }
}

/// The H5 page for `token`: what the person sees on the phone.
pub fn page(token: &str) -> String {
    let token = html_escape(token);
    format!(
        "<!doctype html><meta name=viewport content=\"width=device-width\">\
         <title>Liveness check</title><h1>Liveness check (emulator)</h1>\
         <p>A real service films the person here. Choose the outcome:</p>\
         <form method=post action=\"/h5/verify/pass\"><input type=hidden name=token value=\"{token}\">\
         <button>Pass</button></form>\
         <form method=post action=\"/h5/verify/fail\"><input type=hidden name=token value=\"{token}\">\
         <button>Fail</button></form>"
    )
}

/// Records what the person chose on the page; false when there is no such waiting session.
pub fn decide(store: &mut Store, token: &str, passed: bool) -> bool {
    match store.sessions.get_mut(token) {
        Some(s) if s.check == Check::Waiting && !s.used => {
            s.check = if passed { Check::Passed } else { Check::Failed };
            true
        }
        _ => false,
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
