//! The one error type of the API client: what went wrong, with everything support asks for.

use std::time::Duration;

use super::model::Action;
use crate::text::{redact_urls, visible};

/// What kind of failure an [`ApiError`] is; decides whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The service answered with an error envelope (vendor code and message).
    Service,
    /// The service throttled the request (HTTP 429); it was not processed.
    Throttled,
    /// The connection could not be made; the request was never sent.
    Connect,
    /// The request was sent but no complete answer came back (timeout, dropped connection).
    /// The service may or may not have applied it.
    Transport,
    /// A create request ended without a clear answer and was deliberately not re-sent:
    /// the caller must check (e.g. list by name) before trying again.
    Ambiguous,
    /// The answer was not the JSON the API documents.
    Malformed,
    /// The action does not exist in this dialect (the global endpoint has only CreateAsset/GetAsset).
    Unsupported,
}

/// An error from one API call: HTTP status, vendor code, message and RequestId on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The action that failed.
    pub action: Action,
    /// What kind of failure it is.
    pub kind: ErrorKind,
    /// HTTP status, when a response arrived.
    pub http_status: Option<u16>,
    /// Vendor error code (`SignatureDoesNotMatch`, `NotFound.AssetId`, …) or a local one.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The service's RequestId, when it sent one.
    pub request_id: Option<String>,
    /// How long the service asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// A local (non-service) error of `kind`.
    pub fn local(action: Action, kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            action,
            kind,
            http_status: None,
            code: code.to_owned(),
            message: message.into(),
            request_id: None,
            retry_after: None,
        }
    }

    /// Whether the service says the resource does not exist (`NotFound`, `NotFound.AssetId`…;
    /// the global proxy says so in words).
    pub(crate) fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::Service
            && (self.code.starts_with("NotFound")
                || self.http_status == Some(404)
                || self.message.contains("does not exist"))
    }

    /// The next step for account and set-up errors (spec section 8), shown under the error.
    pub(crate) fn advice(&self) -> Option<&'static str> {
        let code = self.code.as_str();
        Some(match code {
            "AccessDenied" => {
                "the keys' IAM user needs a policy that allows the ark:*Asset* actions \
                 (IAM console → users → permissions)"
            }
            "SubscriptionRequired" => {
                "a plan this action needs is not active (not a key problem; not retried): on \
                 BytePlus, the account's Advanced Creation Rights, or an Advanced or Premium \
                 plan for some actions; enable or renew it in the ModelArk console"
            }
            _ if self.is_over_quota() => {
                "the account is at its quota of assets or groups (the free Entry tier allows \
                 50 assets and 50 groups; not retried): delete some, or move to a paid tier"
            }
            "NotFound.ProjectName" => {
                "no such project in this account: check `project` or --project (assets must be \
                 in the same ProjectName as the Seedance API key that will use them)"
            }
            "InvalidAccessKey" => {
                "the access key id is not known: check access_key or VOLC_ACCESSKEY \
                 (IAM console → access keys)"
            }
            "InvalidSecretToken" => {
                "the temporary keys' session token expired or does not belong to them: get new \
                 temporary keys and set session_token (or VOLC_SESSIONTOKEN) with them"
            }
            "SignatureDoesNotMatch" => {
                "check the secret key: it is used exactly as the console shows it (not \
                 base64-decoded), and the region must be the endpoint's"
            }
            _ if self.action == Action::CreateAssetGroup
                && (code.contains("Authoriz") || code.contains("Unauthorized")) =>
            {
                "a first group needs the one-time authorisation letter: sign it in the console \
                 (ModelArk → assets), then try again"
            }
            _ => return None,
        })
    }

    /// Whether the service refused a create for the account's size (its tier's quota): the
    /// code is not published, so any code or message that names a quota.
    pub(crate) fn is_over_quota(&self) -> bool {
        self.kind != ErrorKind::Malformed
            && self.http_status.is_some()
            && (self.code.to_ascii_lowercase().contains("quota")
                || self.message.to_ascii_lowercase().contains("quota"))
    }

    /// Whether no retry can change the answer: keys the service does not know, expired
    /// temporary keys, a plan that is not active, the account's quota.
    pub(crate) fn is_final(&self) -> bool {
        matches!(
            self.code.as_str(),
            "InvalidAccessKey" | "InvalidSecretToken" | "SubscriptionRequired"
        ) || self.is_over_quota()
    }

    /// Whether the error came from a status code the SDKs retry (429, 500, 502, 503, 504).
    pub(crate) fn is_retryable_status(&self) -> bool {
        matches!(self.http_status, Some(429 | 500 | 502 | 503 | 504))
    }

    /// Whether re-sending the same request is safe and may succeed.
    ///
    /// Throttling (429), refused connections and 503 Service Unavailable mean the service did
    /// not take the request, so any action may be re-sent. Other server errors and broken
    /// transfers may have been applied, so only non-create actions (whose repetition cannot
    /// duplicate anything) are re-sent after them.
    pub fn is_retryable(&self) -> bool {
        if self.is_final() {
            return false;
        }
        match self.kind {
            ErrorKind::Throttled | ErrorKind::Connect => true,
            ErrorKind::Transport => !self.action.is_create(),
            ErrorKind::Service | ErrorKind::Malformed => {
                self.is_retryable_status() && (!self.action.is_create() || !self.may_have_applied())
            }
            ErrorKind::Ambiguous | ErrorKind::Unsupported => false,
        }
    }

    /// Whether the service might have applied the request although the call failed.
    pub fn may_have_applied(&self) -> bool {
        match self.kind {
            ErrorKind::Transport | ErrorKind::Ambiguous => true,
            ErrorKind::Service => matches!(self.http_status, Some(500 | 502 | 504)),
            ErrorKind::Malformed => {
                matches!(self.http_status, None | Some(200..=299 | 500 | 502 | 504))
            }
            ErrorKind::Throttled | ErrorKind::Connect | ErrorKind::Unsupported => false,
        }
    }

    /// Turns an error of a create call that may have been applied into [`ErrorKind::Ambiguous`].
    pub(crate) fn into_ambiguous(self) -> Self {
        ApiError {
            kind: ErrorKind::Ambiguous,
            message: format!(
                "{} — the request may have been applied, so it was not re-sent; check before retrying",
                self.message
            ),
            ..self
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Code, message and RequestId come from the service: shown, never obeyed; a URL the
        // message quotes (a presigned one, with its signature) is shown without its query.
        write!(f, "{} failed: {}", self.action, visible(&self.code))?;
        if let Some(status) = self.http_status {
            write!(f, " (HTTP {status})")?;
        }
        write!(f, ": {}", visible(&redact_urls(&self.message)))?;
        if let Some(id) = &self.request_id {
            write!(f, " [RequestId: {}]", visible(id))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(action: Action, status: u16) -> ApiError {
        ApiError {
            action,
            kind: ErrorKind::Service,
            http_status: Some(status),
            code: "InternalError".into(),
            message: "boom".into(),
            request_id: Some("req-1".into()),
            retry_after: None,
        }
    }

    #[test]
    fn display_is_one_line_with_everything() {
        let e = service(Action::GetAsset, 500);
        assert_eq!(
            e.to_string(),
            "GetAsset failed: InternalError (HTTP 500): boom [RequestId: req-1]"
        );
    }

    #[test]
    fn a_url_in_the_message_is_shown_without_its_query() {
        let e = ApiError {
            message: "cannot fetch https://b.example/o.png?X-Amz-Signature=5e3f".into(),
            ..service(Action::CreateAsset, 400)
        };
        assert!(
            e.to_string()
                .contains(": cannot fetch https://b.example/o.png?… [RequestId"),
            "{e}"
        );
    }

    #[test]
    fn account_errors_come_with_a_next_step() {
        let with = |action, code: &str| ApiError {
            code: code.into(),
            ..service(action, 403)
        };
        assert!(
            with(Action::GetAsset, "AccessDenied")
                .advice()
                .unwrap()
                .contains("ark:*Asset*")
        );
        assert!(
            with(Action::GetAsset, "SignatureDoesNotMatch")
                .advice()
                .unwrap()
                .contains("not base64-decoded")
        );
        assert!(
            with(Action::CreateAssetGroup, "OperationDenied.Unauthorized")
                .advice()
                .unwrap()
                .contains("authorisation letter")
        );
        assert!(
            with(Action::GetAsset, "NotFound.ProjectName")
                .advice()
                .unwrap()
                .contains("ProjectName")
        );
        assert_eq!(with(Action::GetAsset, "InternalError").advice(), None);
        let expired = ApiError {
            code: "InvalidSecretToken".into(),
            ..service(Action::ListAssets, 503)
        };
        assert!(expired.advice().unwrap().contains("get new temporary keys"));
        assert!(!expired.is_retryable(), "not retried, whatever the status");
    }

    #[test]
    fn a_plan_not_active_and_the_quota_are_named_and_never_retried() {
        for status in [403, 429, 503] {
            let plan = ApiError {
                code: "SubscriptionRequired".into(),
                kind: ErrorKind::Throttled,
                ..service(Action::CreateAsset, status)
            };
            assert!(!plan.is_retryable(), "{status}");
            assert!(
                plan.advice()
                    .unwrap()
                    .contains("plan this action needs is not active")
            );
            let quota = ApiError {
                code: "QuotaExceeded".into(),
                kind: ErrorKind::Throttled,
                ..service(Action::CreateAsset, status)
            };
            assert!(!quota.is_retryable() && quota.is_over_quota(), "{status}");
            assert!(quota.advice().unwrap().contains("at its quota"));
        }
        let worded = ApiError {
            message: "asset quota of the account exceeded".into(),
            ..service(Action::CreateAsset, 400)
        };
        assert!(worded.is_over_quota() && !worded.is_retryable());
        assert!(!service(Action::CreateAsset, 429).is_over_quota());
    }

    #[test]
    fn creates_are_not_retried_after_ambiguous_failures() {
        assert!(service(Action::GetAsset, 503).is_retryable());
        assert!(service(Action::GetAsset, 500).is_retryable());
        assert!(service(Action::CreateAsset, 503).is_retryable());
        assert!(!service(Action::CreateAsset, 500).is_retryable());
        assert!(service(Action::CreateAsset, 502).may_have_applied());
        assert!(!service(Action::GetAsset, 400).is_retryable());
        let timeout = ApiError::local(Action::CreateAsset, ErrorKind::Transport, "Timeout", "t");
        assert!(!timeout.is_retryable() && timeout.may_have_applied());
        let refused = ApiError::local(Action::CreateAsset, ErrorKind::Connect, "Connect", "c");
        assert!(refused.is_retryable() && !refused.may_have_applied());
        let ambiguous = timeout.into_ambiguous();
        assert_eq!(ambiguous.kind, ErrorKind::Ambiguous);
        assert!(ambiguous.message.contains("not re-sent"));
    }
}
