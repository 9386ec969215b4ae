//! The Seedance data plane (spec section 14) at `/api/v3/contents/generations/tasks`: Bearer
//! ark API keys (each of one project, as the service's are), creates refused as the service
//! refuses them (unknown, non-Active or another project's assets, mixed modes, too many
//! references, bad lengths), a lifecycle queued → running → succeeded | failed timed by
//! `Config::task_time` and read off the clock (so it survives restarts), and a real small
//! MP4 as the result behind a signed link that expires.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Shared;
pub use super::store::StoredTask;
use crate::api::model::Status;

/// Where the tasks are.
pub(crate) const TASKS_PREFIX: &str = "/api/v3/contents/generations/tasks";
/// Where the result videos are served.
pub(crate) const VIDEOS_PREFIX: &str = "/videos/";
/// The sample every task's video is.
pub(crate) const RESULT_SAMPLE: &str = "media/h264-aac-24fps.mp4";
/// A prompt holding this makes the task fail (to see failures end to end).
pub(crate) const FAIL_MARK: &str = "[fail]";

/// The demo's ark API key (it protects nothing but the local emulator).
pub const DEMO_DATA_KEY: &str = "demo-ark-api-key-local-emulator";

/// An ark API key and the project its tasks may use the assets of.
#[derive(Clone)]
pub struct DataKey {
    /// The key.
    pub key: SecretString,
    /// The project.
    pub project: String,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey")
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}

/// The demo's key, of the default project.
pub(crate) fn demo_key() -> DataKey {
    DataKey {
        key: SecretString::from(DEMO_DATA_KEY),
        project: super::store::DEFAULT_PROJECT.to_owned(),
    }
}

/// A failure answered as `{"error":{"code","message"}}`.
struct Refusal(StatusCode, &'static str, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let request_id = format!("{:016x}", rand::random::<u64>());
        let body = json!({"error": {"code": self.1, "message": self.2}});
        (self.0, [("x-request-id", request_id)], axum::Json(body)).into_response()
    }
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, "InvalidParameter", message.into())
}

/// Answers a request under [`TASKS_PREFIX`] (`rest` is what follows it).
pub(crate) fn answer(
    shared: &Shared,
    method: &Method,
    rest: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let Some(project) = key_project(shared, headers) else {
        shared.stats.lock().expect("stats lock").refused += 1;
        return Refusal(
            StatusCode::UNAUTHORIZED,
            "AuthenticationError",
            "the API key is missing or not valid".into(),
        )
        .into_response();
    };
    let id = percent_encoding::percent_decode_str(rest.trim_start_matches('/')).decode_utf8_lossy();
    let id = id.as_ref();
    let op = match (method, id.is_empty()) {
        (&Method::POST, true) => "create",
        (&Method::GET, true) => "list",
        (&Method::GET, false) => "get",
        (&Method::DELETE, false) => "delete",
        _ => return (StatusCode::METHOD_NOT_ALLOWED, "no such operation\n").into_response(),
    };
    *shared
        .stats
        .lock()
        .expect("stats lock")
        .tasks
        .entry(op)
        .or_default() += 1;
    let result = match op {
        "create" => create(shared, &project, body),
        "list" => Ok(list(shared, &project, query)),
        "get" => get(shared, &project, id),
        _ => delete(shared, &project, id),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The project of the request's Bearer key.
fn key_project(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let token = headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    shared
        .config
        .data_keys
        .iter()
        .find(|k| k.key.expose_secret() == token)
        .map(|k| k.project.clone())
}

/// The create's body as the emulator reads it.
#[derive(Deserialize)]
struct Body {
    model: String,
    content: Vec<Value>,
    ratio: Option<String>,
    resolution: Option<String>,
    duration: Option<i64>,
    generate_audio: Option<bool>,
}

fn create(shared: &Shared, project: &str, body: &[u8]) -> Result<Response, Refusal> {
    let body: Body = serde_json::from_slice(body).map_err(|e| bad(format!("the body: {e}")))?;
    // The client's own table of the service's limits (as the asset rules are shared).
    let (limits, known) = crate::catalog::tasks::limits_of(&body.model);
    if !known {
        return Err(Refusal(
            StatusCode::NOT_FOUND,
            "InvalidEndpointOrModel.NotFound",
            format!(
                "the model {:?} does not exist or is not open to you",
                body.model
            ),
        ));
    }
    let (lo, hi) = limits.durations;
    let (images, videos, audios) = (limits.images, limits.videos, limits.audios);
    if let Some(d) = body.duration
        && !(lo..=hi).contains(&d)
        && !(limits.auto_duration && d == -1)
    {
        return Err(bad(format!("duration {d} is not within {lo}–{hi}")));
    }
    let (counts, prompt) = read_content(&shared.store(), project, &body.content)?;
    let count = |role: &str| counts.get(role).copied().unwrap_or(0);
    let frames = count("first_frame") + count("last_frame");
    let references = count("reference_image") + count("reference_video") + count("reference_audio");
    if frames > 0 && references > 0 {
        return Err(bad(
            "first/last frames cannot be mixed with reference images, videos or audios",
        ));
    }
    if count("reference_image") > images
        || count("reference_video") > videos
        || count("reference_audio") > audios
    {
        return Err(bad(format!(
            "too many references: at most {images} images, {videos} videos, {audios} audios"
        )));
    }
    if frames == 0 && count("reference_image") + count("reference_video") == 0 {
        return Err(bad(
            "at least one image or video is required (audio alone is refused)",
        ));
    }
    let task = new_task(shared, project, &body, prompt.contains(FAIL_MARK));
    let id = task.id.clone();
    shared.store().tasks.insert(id.clone(), task);
    shared.changed();
    Ok(axum::Json(json!({"id": id})).into_response())
}

/// The roles of `content`'s references, counted, and its prompt; a reference that is not an
/// Active asset of `project` of the item's type refused.
fn read_content(
    store: &super::Store,
    project: &str,
    content: &[Value],
) -> Result<(BTreeMap<String, usize>, String), Refusal> {
    let mut counts = BTreeMap::new();
    let mut prompt = String::new();
    for item in content {
        let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
        if kind == "text" {
            prompt.push_str(item.get("text").and_then(Value::as_str).unwrap_or_default());
            continue;
        }
        let role = item.get("role").and_then(Value::as_str).unwrap_or_default();
        let url = item
            .get(kind)
            .and_then(|u| u.get("url"))
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("a {kind:?} item has no {kind}.url")))?;
        let id = url
            .get(..8)
            .filter(|s| s.eq_ignore_ascii_case("asset://"))
            .map(|_| &url[8..])
            .ok_or_else(|| bad(format!("{url:?} is not an asset:// reference")))?;
        let asset = store
            .assets
            .get(id)
            .filter(|a| a.asset.project_name == project)
            .ok_or_else(|| bad(format!("asset {id} does not exist in this key's project")))?;
        if asset.asset.status != Status::Active {
            return Err(bad(format!("asset {id} is not Active")));
        }
        let expected = match role {
            "reference_image" | "first_frame" | "last_frame" => ("image_url", "Image"),
            "reference_video" => ("video_url", "Video"),
            "reference_audio" => ("audio_url", "Audio"),
            _ => return Err(bad(format!("role {role:?} is not known"))),
        };
        if kind != expected.0 || !asset.asset.asset_type.eq_ignore_ascii_case(expected.1) {
            return Err(bad(format!(
                "asset {id} ({}) cannot be a {kind} {role}",
                asset.asset.asset_type
            )));
        }
        *counts.entry(role.to_owned()).or_default() += 1;
    }
    Ok((counts, prompt))
}

fn new_task(shared: &Shared, project: &str, body: &Body, fails: bool) -> StoredTask {
    let total = shared.config.task_time.as_millis() as i64;
    StoredTask {
        id: format!(
            "cgt-{}-{:08x}",
            shared.now().format("%Y%m%d%H%M%S"),
            rand::random::<u32>()
        ),
        project: project.to_owned(),
        model: body.model.clone(),
        created_ms: shared.now().timestamp_millis(),
        phases_ms: (total / 4, total - total / 4),
        fails,
        cancelled_ms: None,
        ratio: body.ratio.clone(),
        resolution: body.resolution.clone(),
        duration: body.duration,
        generate_audio: body.generate_audio,
    }
}

/// Task `task` as the service answers it at `now`, its video's link signed for the
/// configured lifetime from when it finished.
fn shown(shared: &Shared, task: &StoredTask, now: DateTime<Utc>) -> Value {
    let (status, since_ms) = task.status(now.timestamp_millis());
    let mut value = json!({
        "id": task.id,
        "model": task.model,
        "status": status,
        "error": null,
        "created_at": task.created_ms / 1000,
        "updated_at": since_ms / 1000,
        "ratio": task.ratio,
        "resolution": task.resolution,
        "duration": task.duration,
        "generate_audio": task.generate_audio,
        "framespersecond": 24,
        "service_tier": "default",
    });
    match status {
        "succeeded" => {
            let finished = DateTime::from_timestamp_millis(since_ms).unwrap_or(now);
            let expires = (finished + shared.config.task_link_lifetime).timestamp();
            let signature = shared
                .copies
                .signature(&format!("video:{}", task.id), expires);
            let url = format!(
                "{}{VIDEOS_PREFIX}{}?X-Expires={expires}&X-Signature={signature}",
                shared.base_url, task.id
            );
            value["content"] = json!({"video_url": url});
            value["usage"] = json!({"completion_tokens": 108_900, "total_tokens": 108_900});
        }
        "failed" => {
            value["error"] = json!({"code": "OutputVideoSensitiveContentDetected", "message": "the emulator was asked to fail this task"});
        }
        _ => {}
    }
    value
}

fn get(shared: &Shared, project: &str, id: &str) -> Result<Response, Refusal> {
    let store = shared.store();
    let task = store
        .tasks
        .get(id)
        .filter(|t| t.project == project)
        .ok_or_else(|| not_found(id))?;
    Ok(axum::Json(shown(shared, task, shared.now())).into_response())
}

fn not_found(id: &str) -> Refusal {
    Refusal(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("the task {id} does not exist"),
    )
}

/// The last 7 days' tasks of the project, newest first, filtered and paged as asked.
fn list(shared: &Shared, project: &str, query: Option<&str>) -> Response {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let ids: Vec<&str> = pairs
        .iter()
        .filter(|(n, _)| n == "filter.task_ids")
        .flat_map(|(_, v)| v.split(','))
        .collect();
    let page = get("page_num")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let size = get("page_size")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(10)
        .clamp(1, 500);
    let now = shared.now();
    let week_ago = (now - chrono::TimeDelta::days(7)).timestamp_millis();
    let store = shared.store();
    let mut items: Vec<(i64, Value)> = store
        .tasks
        .values()
        .filter(|t| t.project == project && t.created_ms >= week_ago)
        .filter(|t| ids.is_empty() || ids.contains(&t.id.as_str()))
        .filter(|t| get("filter.model").is_none_or(|m| m == t.model))
        .map(|t| (t.created_ms, shown(shared, t, now)))
        .filter(|(_, v)| get("filter.status").is_none_or(|s| v["status"] == s))
        .collect();
    items.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let total = items.len();
    let page: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|(_, v)| v)
        .collect();
    axum::Json(json!({"total": total, "items": page})).into_response()
}

fn delete(shared: &Shared, project: &str, id: &str) -> Result<Response, Refusal> {
    let now_ms = shared.now().timestamp_millis();
    let mut store = shared.store();
    let task = store
        .tasks
        .get_mut(id)
        .filter(|t| t.project == project)
        .ok_or_else(|| not_found(id))?;
    match task.status(now_ms).0 {
        "queued" => task.cancelled_ms = Some(now_ms),
        "running" => {
            return Err(Refusal(
                StatusCode::CONFLICT,
                "OperationDenied.TaskRunning",
                format!("the task {id} is running: it can be neither cancelled nor deleted"),
            ));
        }
        _ => {
            store.tasks.remove(id);
        }
    }
    drop(store);
    shared.changed();
    Ok(axum::Json(json!({})).into_response())
}

/// The result video of task `id` (`GET /videos/<id>?X-Expires=…&X-Signature=…`).
pub(crate) fn video(
    shared: &Shared,
    id: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    if let Err(why) = shared
        .copies
        .authorised(&format!("video:{id}"), query, shared.now())
    {
        return (StatusCode::FORBIDDEN, format!("{why}\n")).into_response();
    }
    let finished = shared
        .store()
        .tasks
        .get(id)
        .is_some_and(|t| t.status(shared.now().timestamp_millis()).0 == "succeeded");
    match super::samples::sample(RESULT_SAMPLE) {
        Some((bytes, kind)) if finished => super::copies::serve_bytes(bytes, kind, headers),
        _ => super::copies::missing(),
    }
}
