//! The data plane's HTTP client: Bearer ark API key, its own pacing, bounded reads retried a
//! few times, a create sent once and never again by this layer, and errors
//! `{"error":{"code","message"}}` typed with the request id.

use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;

use super::model::{CreatedTask, Task, TaskPage};
use super::request::CreateTask;

/// The path of the tasks under the base (`…/api/v3`).
pub(crate) const TASKS_PATH: &str = "contents/generations/tasks";

/// Largest answer read (a listing of 100 tasks is a few hundred KB).
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// What kind of failure a data-plane request met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The service answered with an error.
    Service,
    /// The request could not be sent (nothing reached the service).
    Connect,
    /// The request may have reached the service, but no answer came in time.
    Lost,
    /// The answer was not the documented shape.
    Malformed,
}

/// A data-plane request that failed: what was asked, the service's code and message, the
/// HTTP status and the request id (`X-Request-Id`) to quote to support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct SeedanceError {
    /// `create task`, `get task`, …
    pub op: &'static str,
    /// What kind of failure.
    pub kind: FailureKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The service's code (`InvalidParameter`, …), or this client's (`Timeout`).
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The answer's request id.
    pub request_id: Option<String>,
}

impl SeedanceError {
    pub(crate) fn local(op: &'static str, kind: FailureKind, code: &str, message: String) -> Self {
        SeedanceError {
            op,
            kind,
            status: None,
            code: code.to_owned(),
            message,
            request_id: None,
        }
    }

    fn describe(&self) -> String {
        let clean = |s: &str| crate::text::visible(&crate::text::redact_urls(s)).into_owned();
        let mut text = format!(
            "{}: {}: {}",
            self.op,
            clean(&self.code),
            clean(&self.message)
        );
        if let Some(status) = self.status {
            text.push_str(&format!(" (HTTP {status}"));
            if let Some(id) = &self.request_id {
                text.push_str(&format!(", request id {}", clean(id)));
            }
            text.push(')');
        }
        text
    }

    /// Whether the service said that the task does not exist.
    pub(crate) fn is_not_found(&self) -> bool {
        self.status == Some(404) || self.code.to_ascii_lowercase().contains("notfound")
    }

    /// Whether trying the same read again may help.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            FailureKind::Connect | FailureKind::Lost => true,
            FailureKind::Service => matches!(self.status, Some(429 | 500 | 502 | 503 | 504)),
            FailureKind::Malformed => false,
        }
    }
}

/// How the client paces and bounds its requests.
#[derive(Debug, Clone, Copy)]
pub struct SeedanceOptions {
    /// The shortest time between two requests.
    pub spacing: Duration,
    /// The bound of one request, answer read included.
    pub call_timeout: Duration,
    /// Attempts of a read (GET) in all.
    pub read_attempts: u32,
    /// The first wait before a read is tried again (doubling).
    pub retry_wait: Duration,
}

impl Default for SeedanceOptions {
    fn default() -> Self {
        SeedanceOptions {
            spacing: Duration::from_millis(200),
            call_timeout: Duration::from_secs(30),
            read_attempts: 3,
            retry_wait: Duration::from_secs(1),
        }
    }
}

/// The data plane: where it is, the key, the HTTP client and the pacer. Cheap to clone;
/// clones share the pacer.
#[derive(Clone)]
pub struct Seedance {
    base: Url,
    key: SecretString,
    http: crate::http::Http,
    options: SeedanceOptions,
    next_slot: Arc<Mutex<Instant>>,
}

impl std::fmt::Debug for Seedance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seedance")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl Seedance {
    /// A client of the data plane at `base` (`…/api/v3`) with the ark API key `key`.
    pub fn new(base: Url, key: SecretString, http: crate::http::Http) -> Self {
        Seedance {
            base,
            key,
            http,
            options: SeedanceOptions::default(),
            next_slot: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// The same client with other pacing and bounds.
    pub fn with_options(self, options: SeedanceOptions) -> Self {
        Seedance { options, ..self }
    }

    /// The base URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The HTTP client (downloads use it too).
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn url(&self, tail: &str) -> Url {
        let base = self.base.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}/{TASKS_PATH}{tail}")).expect("a base URL with a path")
    }

    /// Waits for this request's turn: at most one request every `spacing`.
    async fn pace(&self) {
        let mut next = self.next_slot.lock().await;
        let now = Instant::now();
        let at = (*next).max(now);
        *next = at + self.options.spacing;
        drop(next);
        tokio::time::sleep_until(at).await;
    }

    /// Sends one request and reads its answer, within the call's bound.
    async fn send_once(
        &self,
        op: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, SeedanceError> {
        self.pace().await;
        let request = request
            .bearer_auth(self.key.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json");
        let bound = self.options.call_timeout;
        match tokio::time::timeout(bound, exchange(op, request)).await {
            Ok(answer) => answer,
            Err(_) => Err(SeedanceError::local(
                op,
                FailureKind::Lost,
                "Timeout",
                format!("no answer within {} s", bound.as_secs()),
            )),
        }
    }

    /// A read, tried again on a throttle, a server error or a lost answer (a few times, with
    /// growing waits).
    async fn read<T: DeserializeOwned>(
        &self,
        op: &'static str,
        url: Url,
        method: reqwest::Method,
    ) -> Result<T, SeedanceError> {
        let mut wait = self.options.retry_wait;
        let mut attempt = 1;
        loop {
            let request = self.http.request(method.clone(), url.clone());
            match self.send_once(op, request).await {
                Ok(body) => return decode(op, &body),
                Err(e) if e.is_retryable() && attempt < self.options.read_attempts => {
                    tracing::debug!(%e, attempt, "data plane read tried again");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Creates a task: sent once. A lost answer is [`FailureKind::Lost`]: the task may exist,
    /// and the caller looks for it before anything is sent again.
    pub async fn create(&self, req: &CreateTask) -> Result<String, SeedanceError> {
        let op = "create task";
        let request = self.http.post(self.url("")).json(req);
        let body = self.send_once(op, request).await?;
        let created: CreatedTask = decode(op, &body)?;
        Ok(created.id)
    }

    /// Reads task `id`.
    pub async fn get(&self, id: &str) -> Result<Task, SeedanceError> {
        let url = self.url(&format!("/{}", escape(id)));
        self.read("get task", url, reqwest::Method::GET).await
    }

    /// One page of the last 7 days' tasks that match `query`.
    pub async fn list(&self, query: &TaskQuery) -> Result<TaskPage, SeedanceError> {
        let mut url = self.url("");
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("page_num", &query.page_num.to_string());
            pairs.append_pair("page_size", &query.page_size.to_string());
            if let Some(status) = &query.status {
                pairs.append_pair("filter.status", status);
            }
            if let Some(model) = &query.model {
                pairs.append_pair("filter.model", model);
            }
            for id in &query.task_ids {
                pairs.append_pair("filter.task_ids", id);
            }
        }
        self.read("list tasks", url, reqwest::Method::GET).await
    }

    /// Cancels a queued task, or deletes a finished task's record. Sent once: a delete that
    /// lost its answer is read back by the caller.
    pub async fn delete(&self, id: &str) -> Result<(), SeedanceError> {
        let op = "cancel task";
        let url = self.url(&format!("/{}", escape(id)));
        self.send_once(op, self.http.delete(url)).await.map(drop)
    }
}

/// A listing's question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskQuery {
    /// Page, from 1.
    pub page_num: u32,
    /// Tasks a page.
    pub page_size: u32,
    /// Only tasks of this status.
    pub status: Option<String>,
    /// Only tasks of this model.
    pub model: Option<String>,
    /// Only these tasks.
    pub task_ids: Vec<String>,
}

/// What is escaped in a path segment: all but letters, digits and `-._~`.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment of outside text, escaped.
fn escape(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

/// Sends `request` and reads the answer (bounded), an error answer made a [`SeedanceError`].
async fn exchange(
    op: &'static str,
    request: reqwest::RequestBuilder,
) -> Result<Vec<u8>, SeedanceError> {
    let mut resp = request.send().await.map_err(|e| {
        let (kind, code) = if e.is_connect() {
            (FailureKind::Connect, "ConnectFailed")
        } else {
            (FailureKind::Lost, "TransportError")
        };
        SeedanceError::local(op, kind, code, crate::http::error_chain(&e.without_url()))
    })?;
    let status = resp.status().as_u16();
    let request_id = ["x-request-id", "x-tt-logid"]
        .iter()
        .find_map(|h| resp.headers().get(*h)?.to_str().ok().map(str::to_owned));
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| {
        SeedanceError::local(
            op,
            FailureKind::Lost,
            "TransportError",
            crate::http::error_chain(&e.without_url()),
        )
    })? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(SeedanceError::local(
                op,
                FailureKind::Malformed,
                "AnswerTooLarge",
                format!("the answer is over {MAX_ANSWER_BYTES} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    if (200..300).contains(&status) {
        return Ok(body);
    }
    Err(error_answer(op, status, request_id, &body))
}

/// The error an answer of HTTP `status` carries (`{"error":{"code","message"}}`), or one
/// saying what came instead.
fn error_answer(
    op: &'static str,
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> SeedanceError {
    #[derive(serde::Deserialize)]
    struct Envelope {
        error: super::model::TaskFailure,
    }
    let (code, message) = match serde_json::from_slice::<Envelope>(body) {
        Ok(e) => (e.error.code, e.error.message),
        Err(_) => (
            format!("HTTP{status}"),
            String::from_utf8_lossy(&body[..body.len().min(160)]).into_owned(),
        ),
    };
    SeedanceError {
        op,
        kind: FailureKind::Service,
        status: Some(status),
        code,
        message,
        request_id,
    }
}

/// The answer as `T`, or an error naming where it broke.
fn decode<T: DeserializeOwned>(op: &'static str, body: &[u8]) -> Result<T, SeedanceError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        SeedanceError::local(
            op,
            FailureKind::Malformed,
            "MalformedAnswer",
            format!(
                "the answer is not the documented shape at {}: {}",
                e.path(),
                e.inner()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_code_the_status_and_the_request_id() {
        let e = error_answer(
            "create task",
            400,
            Some("req-1".into()),
            br#"{"error":{"code":"InvalidParameter","message":"bad \u001b[31mratio"}}"#,
        );
        assert_eq!(e.code, "InvalidParameter");
        let text = e.to_string();
        assert!(text.contains("InvalidParameter"), "{text}");
        assert!(text.contains("HTTP 400, request id req-1"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        let other = error_answer("get task", 502, None, b"<html>bad gateway</html>");
        assert_eq!(other.code, "HTTP502");
        assert!(other.is_retryable());
    }
}
