//! HTTP front of the emulator: routing, authentication, limits, faults and the two envelopes.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::{Value, json};

mod dialects;

use super::auth::Signed;
use super::faults::Fault;
use super::store::Fail;
use super::{GLOBAL_PREFIX, Shared, copies, samples, tasks, verify};
use crate::api::domestic::VERSION;
use crate::api::model::Action;

/// The router: every request goes through [`handle`].
pub(crate) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(shared)
}

/// Answers a request, dated by the emulator's clock (which a test may set off, as a server
/// whose clock differs from this machine's).
async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut response = answer(&shared, method, uri, headers, body).await;
    let date = shared.now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(date) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, date);
    }
    response
}

async fn answer(
    shared: &Arc<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let shared = shared.clone();
    let path = uri.path();
    if let Some(name) = path.strip_prefix("/assets/") {
        return match samples::sample(name) {
            Some((bytes, kind)) => copies::serve_bytes(bytes, kind, &headers),
            None => copies::missing(),
        };
    }
    if let Some(id) = path.strip_prefix("/files/") {
        return asset_file(&shared, id, uri.query(), &headers).await;
    }
    if let Some(id) = path.strip_prefix(tasks::VIDEOS_PREFIX) {
        return tasks::video(&shared, id, uri.query(), &headers);
    }
    if let Some(rest) = path.strip_prefix(tasks::TASKS_PREFIX) {
        return tasks::answer(&shared, &method, rest, uri.query(), &headers, &body);
    }
    if let Some(step) = path.strip_prefix("/h5/verify") {
        return h5_page(&shared, step, uri.query(), &body);
    }
    if method != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "the Assets API takes POST requests\n",
        )
            .into_response();
    }
    let latency = shared.faults.lock().expect("faults lock").latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    // Signatures cover the decoded path (the signer escapes it again).
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let signed = Signed {
        path: &decoded,
        query: uri.query(),
        headers: &headers,
        body: &body,
    };
    if path == "/" {
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let find = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let action = find("Action").unwrap_or_default().to_owned();
        let version = find("Version").map(str::to_owned);
        return dialects::domestic(&shared, &action, version.as_deref(), &signed).await;
    }
    if let Some(action) = path.strip_prefix("/open/") {
        return dialects::domestic(&shared, action, Some(VERSION), &signed).await;
    }
    if let Some(action) = path
        .strip_prefix(GLOBAL_PREFIX)
        .and_then(|p| p.strip_prefix('/'))
    {
        return dialects::global(&shared, action, &headers, &body).await;
    }
    (StatusCode::NOT_FOUND, "no such endpoint\n").into_response()
}

/// The liveness check's H5 page (`GET /h5/verify?token=…`) and its two buttons
/// (`POST /h5/verify/pass|fail`).
fn h5_page(shared: &Arc<Shared>, step: &str, query: Option<&str>, body: &[u8]) -> Response {
    let named = |text: &[u8], name: &str| {
        url::form_urlencoded::parse(text)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let field = |text: &[u8]| named(text, "token");
    let html = |status, text: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            text,
        )
            .into_response()
    };
    match step {
        "" => html(StatusCode::OK, {
            let query = query.unwrap_or_default().as_bytes();
            let lang = crate::api::model::H5Lang::parse(&named(query, "lng")).unwrap_or_default();
            verify::page(&field(query), lang)
        }),
        "/pass" | "/fail" => {
            let passed = step == "/pass";
            if verify::decide(&mut shared.store(), &field(body), passed) {
                shared.changed();
                let outcome = if passed { "passed" } else { "did not pass" };
                html(
                    StatusCode::OK,
                    format!("<!doctype html><p>The check {outcome}. Return to the terminal.</p>"),
                )
            } else {
                html(
                    StatusCode::GONE,
                    "<!doctype html><p>This check is over or unknown.</p>".to_owned(),
                )
            }
        }
        _ => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
    }
}

/// An asset's file, at the signed URL its `URL` field gave (`GET /files/<id>?X-Expires…`).
async fn asset_file(
    shared: &Shared,
    id: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    if let Err(why) = shared.copies.authorised(id, query, shared.now()) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain")],
            format!("AccessDenied: {why}\n"),
        )
            .into_response();
    }
    let file = shared.store().assets.get(id).and_then(|a| a.file.clone());
    let Some(file) = file else {
        return copies::missing();
    };
    let served = shared.copies.serve(id, &file, headers).await;
    let cut = {
        let mut faults = shared.faults.lock().expect("faults lock");
        let cut = faults.cut_files > 0 && served.status() == StatusCode::OK;
        faults.cut_files -= u32::from(cut);
        cut
    };
    if cut { cut_short(served).await } else { served }
}

/// `served` with its whole length announced and only half its bytes sent (a download cut).
async fn cut_short(served: Response) -> Response {
    let (mut parts, body) = served.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return copies::missing();
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, bytes.len().into());
    parts.headers.remove(header::TRANSFER_ENCODING);
    Response::from_parts(
        parts,
        axum::body::Body::from(bytes.slice(..bytes.len() / 2)),
    )
}

/// The listing `result` as a stuck service answers it (the injected fault): the `NextToken`
/// the request sent comes back as the next one.
fn stuck(shared: &Shared, request: &Value, mut result: Value) -> Value {
    let sent = request.get("NextToken").filter(|t| t.is_string());
    if let Some(token) = sent
        && shared.faults.lock().expect("faults lock").stuck_token
    {
        result["NextToken"] = token.clone();
    }
    result
}

/// Writes the `URL` of each asset in `result` (one asset or a listing's `Items`) that has a
/// file: a signed link to the emulator's copy, made now, as the service makes its own.
fn with_urls(shared: &Shared, mut result: Value) -> Value {
    let now = shared.now();
    let store = shared.store();
    let mut fill = |asset: &mut Value| {
        let id = asset.get("Id").and_then(Value::as_str).unwrap_or_default();
        if store.assets.get(id).is_some_and(|a| a.file.is_some()) {
            asset["URL"] = json!(shared.copies.url(&shared.base_url, id, now));
        }
    };
    match result.get_mut("Items").and_then(Value::as_array_mut) {
        Some(items) => items.iter_mut().for_each(&mut fill),
        None => fill(&mut result),
    }
    result
}

fn request_id(now: DateTime<Utc>) -> String {
    format!(
        "{}{:012X}",
        now.format("%Y%m%d%H%M%S"),
        rand::rng().random::<u64>() & 0xFFFF_FFFF_FFFF
    )
}

/// Parses a JSON object body (empty means `{}`).
fn object(body: &[u8]) -> Result<Value, Fail> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Fail::invalid("the request body must be a JSON object")),
        Err(e) => Err(Fail::invalid(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

/// Counts the request, applies injected faults and the rate limit. Returns the fault to apply
/// after the action.
fn admit(
    shared: &Shared,
    account: usize,
    action: Action,
) -> Result<Fault, (Fail, Option<Duration>)> {
    *shared
        .stats
        .lock()
        .expect("stats lock")
        .requests
        .entry(action)
        .or_default() += 1;
    let throttled = |fail, wait| Err((fail, Some(wait)));
    let fault = shared.faults.lock().expect("faults lock").roll(action);
    if fault != Fault::None {
        shared.stats.lock().expect("stats lock").faults += 1;
    }
    match fault {
        Fault::Throttle => {
            return throttled(
                Fail::new(429, "Throttling", "request was throttled (injected fault)"),
                Duration::from_secs(1),
            );
        }
        Fault::Unavailable => {
            return Err((
                Fail::new(
                    503,
                    "ServiceUnavailable",
                    "service is temporarily unavailable (injected fault)",
                ),
                None,
            ));
        }
        _ => {}
    }
    if let Some((limit, window, said)) = rate_limit(&shared.config, action) {
        let now = tokio::time::Instant::now();
        let verdict = shared.throttle.lock().expect("throttle lock").admit(
            account,
            action,
            (limit, window),
            now,
        );
        if let Err(wait) = verdict {
            return throttled(
                Fail::new(
                    429,
                    "RequestLimitExceeded",
                    format!("{action} is limited to {limit} requests {said}"),
                ),
                wait,
            );
        }
    }
    Ok(fault)
}

/// The limit `action` is held to: so many in a window, and how the message says it. A tier's
/// CreateAsset counts a minute (and is enforced even without the per-second limits).
fn rate_limit(config: &super::Config, action: Action) -> Option<(u32, Duration, String)> {
    use super::throttle::{MINUTE, SECOND};
    match config.tier {
        Some(tier) if action == Action::CreateAsset => Some((
            tier.create_per_minute(),
            MINUTE,
            format!("a minute on the {tier} tier"),
        )),
        _ if config.rate_limits => Some((action.qps(), SECOND, "per second".to_owned())),
        _ => None,
    }
}

/// Seconds for `Retry-After`, rounded up, at least 1.
fn retry_after(wait: Duration) -> HeaderValue {
    HeaderValue::from(wait.as_secs_f64().ceil().max(1.0) as u64)
}

/// Sends the envelope, applying slow-body and dropped-connection faults.
async fn respond(
    shared: &Shared,
    status: u16,
    envelope: Value,
    wait: Option<Duration>,
    fault: Fault,
) -> Response {
    let mut wait = wait;
    if status == 429 {
        shared.stats.lock().expect("stats lock").throttled += 1;
        wait.get_or_insert(Duration::from_secs(1));
    }
    let bytes = Bytes::from(serde_json::to_vec(&envelope).expect("JSON serialises"));
    let slow = shared.faults.lock().expect("faults lock").slow_body;
    let body = if fault == Fault::DropAfter {
        // Half the body, then an error: the connection is cut mid-response.
        let half = bytes.slice(..bytes.len() / 2);
        Body::from_stream(futures::stream::iter([
            Ok(half),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected drop",
            )),
        ]))
    } else if let Some(total) = slow {
        let chunks: Vec<Bytes> = bytes.chunks(16).map(Bytes::copy_from_slice).collect();
        let pause = total / chunks.len().max(1) as u32;
        Body::from_stream(futures::stream::unfold(
            chunks.into_iter(),
            move |mut rest| async move {
                let chunk = rest.next()?;
                tokio::time::sleep(pause).await;
                Some((Ok::<_, std::io::Error>(chunk), rest))
            },
        ))
    } else {
        Body::from(bytes)
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(w) = wait {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, retry_after(w));
    }
    // The emulator's own clock, which tests may set off the real one.
    let date = shared.now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(date) = HeaderValue::from_str(&date) {
        resp.headers_mut().insert(header::DATE, date);
    }
    resp
}
