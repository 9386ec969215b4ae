//! [`Client`]: the HTTP client of the Assets API: a call serialised, sent within the limits,
//! retried where safe and within its deadline, and decoded.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::endpoint::Endpoint;
use super::limits::{self, LimitConfig, Limits};
use super::model::Action;
use super::{ApiError, ApiResult, Domestic, ErrorKind, Global, sign, wire};

/// Receives a one-line note while a call waits long for the service (the CLI prints it on
/// stderr), so that a hung server is never met with silence.
pub type Notice = Arc<dyn Fn(&str) + Send + Sync>;

/// Settings of the HTTP transport.
#[derive(Clone)]
pub struct ClientOptions {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of a request.
    pub request_timeout: Duration,
    /// Time allowed for one call, retries included (waiting for the rate limits is not counted).
    pub call_deadline: Duration,
    /// Where to say that a call is waiting long; `None` stays silent.
    pub notice: Option<Notice>,
    /// How long a call waits before it says so through `notice`.
    pub notice_after: Duration,
    /// Rate limits and retry policy.
    pub limits: LimitConfig,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("call_deadline", &self.call_deadline)
            .field("notice_after", &self.notice_after)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(20),
            call_deadline: Duration::from_secs(60),
            notice: None,
            notice_after: Duration::from_secs(5),
            limits: LimitConfig::default(),
        }
    }
}

/// The waiting note is repeated at most this often, however many calls wait.
const NOTICE_EVERY: Duration = Duration::from_secs(15);

/// Says, at most every [`NOTICE_EVERY`], that calls are waiting long.
#[derive(Clone, Default)]
pub(super) struct Notifier {
    sink: Option<Notice>,
    last: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notifier")
    }
}

impl Notifier {
    pub(super) fn say(&self, message: &str) {
        let Some(sink) = &self.sink else { return };
        let mut last = self.last.lock().expect("notice lock is never poisoned");
        if last.is_none_or(|t| t.elapsed() >= NOTICE_EVERY) {
            *last = Some(std::time::Instant::now());
            sink(message);
        }
    }
}

/// The HTTP client of the Assets API. Cheap to clone; clones share connections and limits.
#[derive(Debug, Clone)]
pub struct Client {
    http: crate::http::Http,
    pub(super) endpoint: Arc<Endpoint>,
    pub(super) limits: Arc<Limits>,
    /// The checks of creation slots that waiting creators share (one at a time, on one
    /// schedule).
    pub(super) slot_checks: Arc<tokio::sync::Mutex<super::slot_checks::SlotChecks>>,
    call_deadline: Duration,
    notice_after: Duration,
    pub(super) notifier: Notifier,
    /// The service's clock minus ours, from the last `Date` header ([`NO_OFFSET`] until one came).
    pub(super) clock_offset_ms: Arc<std::sync::atomic::AtomicI64>,
}

/// [`Client::clock_offset`] before any answer carried a `Date` header.
pub(super) const NO_OFFSET: i64 = i64::MIN;

impl Client {
    /// A client for `endpoint`.
    pub fn new(endpoint: Endpoint, options: ClientOptions) -> Self {
        let (connect, request) = (options.connect_timeout, options.request_timeout);
        let http = crate::http::Http::lazy(move || {
            crate::http::client(|b| {
                b.connect_timeout(connect)
                    .timeout(request)
                    .redirect(reqwest::redirect::Policy::none())
            })
        });
        Client {
            http,
            endpoint: Arc::new(endpoint),
            limits: Arc::new(Limits::new(options.limits)),
            slot_checks: Arc::default(),
            call_deadline: options.call_deadline,
            notice_after: options.notice_after,
            clock_offset_ms: Arc::new(std::sync::atomic::AtomicI64::new(NO_OFFSET)),
            notifier: Notifier {
                sink: options.notice,
                last: Arc::default(),
            },
        }
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The limits this client's requests share (and learn).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The same client scoped to another project (domestic only); it shares connections and
    /// limits, as both speak for the same account.
    pub(crate) fn with_project(&self, project: Option<String>) -> Client {
        let endpoint = match &*self.endpoint {
            Endpoint::Domestic(d) => Endpoint::Domestic(Domestic {
                project,
                ..d.clone()
            }),
            global => global.clone(),
        };
        Client {
            http: self.http.clone(),
            endpoint: Arc::new(endpoint),
            ..self.clone()
        }
    }

    /// The same client saying that calls are slow through `notice` instead (the TUI shows it
    /// in its status line; stderr would land on its screen).
    pub fn with_notice(&self, notice: Notice) -> Client {
        Client {
            notifier: Notifier {
                sink: Some(notice),
                last: Arc::default(),
            },
            ..self.clone()
        }
    }

    /// Sends one request, without retries, and returns the `Result` payload.
    async fn send_once(&self, action: Action, body: &[u8]) -> ApiResult<Value> {
        let (url, headers) = match &*self.endpoint {
            Endpoint::Domestic(d) => {
                let x_date = sign::x_date(chrono::Utc::now());
                let signed = d.sign(action, body, &x_date);
                (signed.url, signed.headers)
            }
            Endpoint::Global(g) => (g.url(action), g.headers()),
        };
        let mut req = self.http.post(url).body(body.to_vec());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| wire::transport_error(action, &e))?;
        let resp = wire::read(action, resp).await?;
        if let Some(server) = resp.server_date {
            let offset = (server - chrono::Utc::now()).num_milliseconds();
            self.clock_offset_ms
                .store(offset, std::sync::atomic::Ordering::Relaxed);
        }
        match &*self.endpoint {
            Endpoint::Domestic(_) => Domestic::parse(action, &resp),
            Endpoint::Global(_) => Global::parse(action, &resp),
        }
    }

    /// Serialises `req`, sends it within the limits, retries what is safe to retry, and decodes
    /// the result.
    pub(super) async fn call<Req, Resp>(&self, action: Action, req: &Req) -> ApiResult<Resp>
    where
        Req: Serialize + Sync + ?Sized,
        Resp: DeserializeOwned,
    {
        let encode_err = |e: serde_json::Error| {
            ApiError::local(action, ErrorKind::Malformed, "EncodeFailed", e.to_string())
        };
        let mut body = serde_json::to_value(req).map_err(encode_err)?;
        match &*self.endpoint {
            Endpoint::Domestic(d) => d.shape(&mut body),
            Endpoint::Global(_) => Global::shape(action, &mut body)?,
        }
        let body = serde_json::to_vec(&body).map_err(encode_err)?;

        let policy = self.limits.retry().clone();
        let mut attempt = 1;
        // The call's deadline runs from its first send: waiting for the limits is not counted.
        let mut first_send = None;
        let mut throttled = 0;
        let result = loop {
            let sent = self.limits.admit(action).await;
            let started = tokio::time::Instant::now();
            let first = *first_send.get_or_insert(started);
            let outcome = self
                .attempt(action, &body, first + self.call_deadline, attempt)
                .await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match &outcome {
                Ok(_) => tracing::debug!(%action, elapsed_ms, "ok"),
                Err(e) => tracing::info!(%action, elapsed_ms, error = %e, "failed"),
            }
            if self.learn(action, sent, &outcome) && throttled < MAX_THROTTLED {
                // Waits its turn at the lowered rate: not a failed attempt, and the deadline
                // starts again at the next send.
                throttled += 1;
                first_send = None;
                continue;
            }
            let retry_by = |delay| tokio::time::Instant::now() + delay < first + self.call_deadline;
            match outcome {
                Err(e)
                    if e.is_retryable()
                        && attempt < policy.max_attempts
                        && retry_by(policy.delay(attempt, e.retry_after)) =>
                {
                    let delay = policy.delay(attempt, e.retry_after);
                    tracing::warn!(%e, attempt, ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) if action.is_create() && e.may_have_applied() => {
                    break Err(e.into_ambiguous());
                }
                other => break other,
            }
        }?;
        serde_path_to_error::deserialize(result).map_err(|e| {
            // Name the field: `Result.Items[3].Name does not match …: invalid type: …`.
            let at = match e.path().to_string() {
                root if root == "." => "Result".to_owned(),
                path => format!("Result.{path}"),
            };
            ApiError::local(
                action,
                ErrorKind::Malformed,
                "MalformedResponse",
                format!("{at} does not match the documented shape: {}", e.inner()),
            )
        })
    }
}

/// Most 429 answers of the rate limit one call waits through before it fails.
const MAX_THROTTLED: u32 = 50;

impl Client {
    /// Tells the limits when the request `sent` was answered with a 429; true when it was one
    /// of the rate limit (which cuts the action's rate), to be sent again in its turn. A 429 for
    /// the assets Processing (`FlowLimitExceeded`) is counted but retried as before.
    fn learn(&self, action: Action, sent: limits::Sent, outcome: &ApiResult<Value>) -> bool {
        match outcome {
            Err(e) if e.kind == ErrorKind::Throttled && !e.is_final() => {
                let rate_limit = e.code != "FlowLimitExceeded";
                self.limits
                    .throttled_at(action, sent, e.retry_after, rate_limit);
                rate_limit
            }
            _ => false,
        }
    }

    /// One attempt of a call, cut off at `deadline`; says so through the notice when the
    /// service is slow to answer.
    async fn attempt(
        &self,
        action: Action,
        body: &[u8],
        deadline: tokio::time::Instant,
        attempt: u32,
    ) -> ApiResult<Value> {
        let host = wire::host_header(self.endpoint.base());
        let send = self.send_once(action, body);
        tokio::pin!(send);
        let waited = tokio::select! {
            outcome = &mut send => return outcome,
            _ = tokio::time::sleep_until(deadline) => false,
            _ = tokio::time::sleep(self.notice_after) => true,
        };
        if waited {
            self.notifier.say(&format!(
                "waiting for {host}: {action} has had no answer for {} s (attempt {attempt}); \
                 giving up {} s after the first try",
                self.notice_after.as_secs_f32(),
                self.call_deadline.as_secs()
            ));
            tokio::select! {
                outcome = &mut send => return outcome,
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
        Err(ApiError::local(
            action,
            ErrorKind::Transport,
            "Timeout",
            format!(
                "no complete answer from {host} within {} s ({attempt} attempts)",
                self.call_deadline.as_secs()
            ),
        ))
    }
}
