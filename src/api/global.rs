//! The global (BytePlus proxy) dialect: Bearer token, CreateAsset/GetAsset only, `base_resp` envelope.

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use super::error::{ApiError, ErrorKind};
use super::model::Action;
use super::wire::{self, HttpResponse};

/// The default global endpoint.
pub(crate) const DEFAULT_ENDPOINT: &str = "https://api.agentsflare.com/byteplus/_unstable/open";

/// A global endpoint with its API key.
#[derive(Clone)]
pub struct Global {
    /// Base URL; actions are appended as a path segment.
    pub base: Url,
    /// Bearer token.
    pub api_key: SecretString,
}

impl std::fmt::Debug for Global {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Global")
            .field("base", &self.base.as_str())
            .field("api_key", &"[REDACTED]")
            .finish()
    }
}

/// The request fields each supported action accepts.
fn accepted_fields(action: Action) -> Option<&'static [&'static str]> {
    match action {
        Action::CreateAsset => Some(&["Name", "URL", "AssetType"]),
        Action::GetAsset => Some(&["Id"]),
        _ => None,
    }
}

impl Global {
    /// Fails with a clear error for actions the global endpoint does not have, and drops request
    /// fields it does not take (GroupId, ProjectName).
    pub fn shape(action: Action, body: &mut Value) -> Result<(), ApiError> {
        let fields = accepted_fields(action).ok_or_else(|| {
            ApiError::local(
                action,
                ErrorKind::Unsupported,
                "UnsupportedAction",
                format!(
                    "{action} is not supported by the global endpoint (it has only CreateAsset and GetAsset)"
                ),
            )
        })?;
        if let Value::Object(map) = body {
            map.retain(|k, _| fields.contains(&k.as_str()));
        }
        Ok(())
    }

    /// URL of `action`.
    pub fn url(&self, action: Action) -> Url {
        let mut url = self.base.clone();
        let path = format!("{}/{}", url.path().trim_end_matches('/'), action.name());
        url.set_path(&path);
        url
    }

    /// Headers to send with every request.
    pub fn headers(&self) -> Vec<(String, String)> {
        vec![
            ("Content-Type".to_owned(), wire::JSON.to_owned()),
            (
                "Authorization".to_owned(),
                format!("Bearer {}", self.api_key.expose_secret()),
            ),
        ]
    }

    /// Reads a flat response: fields plus `base_resp {status_code, status_msg}` (0 = ok).
    pub fn parse(action: Action, resp: &HttpResponse) -> Result<Value, ApiError> {
        let mut value: Value = match serde_json::from_slice(&resp.body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return Err(wire::undecodable(action, resp, "not a JSON object", None)),
            Err(e) => return Err(wire::undecodable(action, resp, &e.to_string(), None)),
        };
        let base = value.as_object_mut().and_then(|m| m.remove("base_resp"));
        let status_code = base
            .as_ref()
            .and_then(|b| b.get("status_code"))
            .and_then(Value::as_i64);
        let status_msg = base
            .as_ref()
            .and_then(|b| b.get("status_msg"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        match status_code {
            Some(0) if (200..300).contains(&resp.status) => Ok(value),
            Some(code) => {
                let code = code.to_string();
                Err(ApiError {
                    action,
                    kind: wire::kind_for_status(resp.status, &code),
                    http_status: Some(resp.status),
                    code: format!("base_resp.status_code={code}"),
                    message: status_msg,
                    request_id: resp.request_id.clone(),
                    retry_after: resp.retry_after,
                })
            }
            None => Err(wire::undecodable(
                action,
                resp,
                "no base_resp.status_code",
                None,
            )),
        }
    }
}
