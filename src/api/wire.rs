//! HTTP plumbing shared by both dialects: reading responses safely and classifying failures.

use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use super::error::{ApiError, ErrorKind};
use super::model::Action;

/// The content type of every request and response.
pub const JSON: &str = "application/json";

/// Largest response body the client reads; anything longer is an error, not an allocation.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Vendor codes that mean "throttled".
const THROTTLE_CODES: [&str; 3] = ["Throttling", "RequestLimitExceeded", "FlowLimitExceeded"];

/// A response read off the wire, before the dialect interprets it.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Body bytes (at most [`MAX_RESPONSE_BYTES`]).
    pub body: Vec<u8>,
    /// RequestId from a response header, when the body has none.
    pub request_id: Option<String>,
    /// `Retry-After`, when sent in seconds.
    pub retry_after: Option<Duration>,
    /// The server's clock (`Date` header), to explain clock-skew errors.
    pub server_date: Option<chrono::DateTime<chrono::Utc>>,
}

/// The `Host` header for a URL: host, plus the port only when it is not the scheme's default.
pub(crate) fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// `Retry-After` in whole seconds (HTTP dates are rare from APIs and are ignored).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The kind of a service error from its HTTP status and vendor code.
pub(crate) fn kind_for_status(status: u16, code: &str) -> ErrorKind {
    if status == 429 || THROTTLE_CODES.contains(&code) {
        ErrorKind::Throttled
    } else {
        ErrorKind::Service
    }
}

/// Advice for `InvalidTimestamp`: how far this machine's clock is from the server's.
pub(crate) fn clock_advice(server_date: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match server_date {
        Some(server) => {
            let skew = (chrono::Utc::now() - server).num_seconds();
            let direction = if skew > 0 { "ahead of" } else { "behind" };
            format!(
                " — this machine's clock is {} s {direction} the server's ({}); signatures are \
                 only accepted within 15 minutes: correct the clock (e.g. `timedatectl set-ntp true`)",
                skew.abs(),
                server.format("%Y-%m-%d %H:%M:%S UTC")
            )
        }
        None => {
            " — check this machine's clock (signatures are accepted within 15 minutes)".to_owned()
        }
    }
}

/// An error for a response whose body is not the documented envelope.
pub(crate) fn undecodable(
    action: Action,
    resp: &HttpResponse,
    why: &str,
    request_id: Option<String>,
) -> ApiError {
    let snippet: String = String::from_utf8_lossy(&resp.body)
        .chars()
        .take(120)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let ok = (200..300).contains(&resp.status);
    ApiError {
        action,
        kind: if resp.status == 429 {
            ErrorKind::Throttled
        } else if ok {
            ErrorKind::Malformed
        } else {
            ErrorKind::Service
        },
        http_status: Some(resp.status),
        code: if ok {
            "MalformedResponse".to_owned()
        } else {
            format!("HTTP{}", resp.status)
        },
        message: format!("unexpected response ({why}): {snippet:?}"),
        request_id: request_id.or_else(|| resp.request_id.clone()),
        retry_after: resp.retry_after,
    }
}

/// Classifies a reqwest failure: refused connections were never sent, anything else may have been.
pub(crate) fn transport_error(action: Action, err: &reqwest::Error) -> ApiError {
    let (kind, code) = if err.is_connect() {
        (ErrorKind::Connect, "ConnectFailed")
    } else if err.is_timeout() {
        (ErrorKind::Transport, "Timeout")
    } else {
        (ErrorKind::Transport, "TransportError")
    };
    ApiError::local(action, kind, code, crate::http::error_chain(err))
}

/// Reads a response, refusing bodies over [`MAX_RESPONSE_BYTES`].
pub async fn read(action: Action, mut resp: reqwest::Response) -> Result<HttpResponse, ApiError> {
    let status = resp.status().as_u16();
    let headers = resp.headers();
    let request_id = ["x-request-id", "x-tt-logid"]
        .iter()
        .find_map(|h| headers.get(*h)?.to_str().ok().map(str::to_owned));
    let retry_after = retry_after(headers);
    if (300..400).contains(&status) {
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("nowhere");
        return Err(ApiError {
            http_status: Some(status),
            request_id,
            ..ApiError::local(
                action,
                ErrorKind::Service,
                "Redirected",
                format!(
                    "the endpoint answered HTTP {status}, redirecting to {location}; requests are \
                     not followed there: check the profile's endpoint",
                ),
            )
        });
    }
    let server_date = headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        .map(|d| d.with_timezone(&chrono::Utc));
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| transport_error(action, &e))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(ApiError {
                http_status: Some(status),
                request_id,
                ..ApiError::local(
                    action,
                    ErrorKind::Malformed,
                    "ResponseTooLarge",
                    format!("response body exceeds {MAX_RESPONSE_BYTES} bytes"),
                )
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(HttpResponse {
        status,
        body,
        request_id,
        retry_after,
        server_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_omits_default_ports() {
        let h = |u: &str| host_header(&Url::parse(u).unwrap());
        assert_eq!(
            h("https://open.volcengineapi.com:443/"),
            "open.volcengineapi.com"
        );
        assert_eq!(h("http://example.com:80/x"), "example.com");
        assert_eq!(h("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }

    #[test]
    fn throttling_is_recognised_by_status_or_code() {
        assert_eq!(kind_for_status(429, "X"), ErrorKind::Throttled);
        assert_eq!(
            kind_for_status(400, "FlowLimitExceeded"),
            ErrorKind::Throttled
        );
        assert_eq!(kind_for_status(400, "InvalidParameter"), ErrorKind::Service);
    }
}
