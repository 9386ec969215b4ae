//! The domestic (Volcengine Ark) dialect: AK/SK V4 signatures, `ResponseMetadata`/`Result` envelope.

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::error::{ApiError, ErrorKind};
use super::model::Action;
use super::sign::{self, Credentials};
use super::wire::{self, HttpResponse};

/// API version of the Assets actions.
pub(crate) const VERSION: &str = "2024-01-01";

/// The default domestic endpoint.
pub(crate) const DEFAULT_ENDPOINT: &str = "https://open.volcengineapi.com";

/// How the action is put in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Addressing {
    /// `POST /?Action=CreateAsset&Version=2024-01-01` (what the official SDKs send).
    #[default]
    ActionQuery,
    /// `POST /open/CreateAsset`.
    OpenPath,
}

/// A domestic endpoint with its credentials.
#[derive(Debug, Clone)]
pub struct Domestic {
    /// Base URL, e.g. `https://open.volcengineapi.com`.
    pub base: Url,
    /// AK/SK with region and service.
    pub credentials: Credentials,
    /// Addressing style.
    pub addressing: Addressing,
    /// Project every request is scoped to (`ProjectName`), when not the service default.
    pub project: Option<String>,
}

/// The request to send, signed.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// Full URL, query included.
    pub url: Url,
    /// Headers to send (Content-Type, Host, X-Date, X-Content-Sha256, Authorization).
    pub headers: Vec<(String, String)>,
}

impl Domestic {
    /// Path and query pairs for `action` in this endpoint's addressing style.
    pub fn target(&self, action: Action) -> (String, Vec<(String, String)>) {
        let prefix = self.base.path().trim_end_matches('/');
        match self.addressing {
            Addressing::ActionQuery => (
                format!("{prefix}/"),
                vec![
                    ("Action".to_owned(), action.name().to_owned()),
                    ("Version".to_owned(), VERSION.to_owned()),
                ],
            ),
            Addressing::OpenPath => (format!("{prefix}/open/{}", action.name()), Vec::new()),
        }
    }

    /// Adds the endpoint's `ProjectName` to a request body that does not name one.
    pub fn shape(&self, body: &mut Value) {
        if let (Some(project), Value::Object(map)) = (&self.project, body) {
            map.entry("ProjectName")
                .or_insert_with(|| Value::String(project.clone()));
        }
    }

    /// Builds and signs the request for `action` with `body`, dated `x_date`.
    pub fn sign(&self, action: Action, body: &[u8], x_date: &str) -> SignedRequest {
        let (path, query) = self.target(action);
        let mut url = self.base.clone();
        url.set_path(&path);
        let qs = sign::canonical_query(&query);
        url.set_query((!qs.is_empty()).then_some(qs.as_str()));
        let host = wire::host_header(&url);
        let mut headers = sign::ark_headers(wire::JSON, &host, body, x_date);
        if let Some(token) = &self.credentials.session_token {
            use secrecy::ExposeSecret;
            headers.push((
                sign::SECURITY_TOKEN.to_owned(),
                token.expose_secret().to_owned(),
            ));
        }
        let signature = sign::sign(
            &sign::Request {
                method: "POST",
                path: &path,
                query: &query,
                headers: &headers,
                body,
                x_date,
            },
            &self.credentials,
        );
        headers.push(("Authorization".to_owned(), signature.authorization));
        SignedRequest { url, headers }
    }

    /// Reads a response envelope: the `Result` on success, the vendor error otherwise.
    pub fn parse(action: Action, resp: &HttpResponse) -> Result<Value, ApiError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Envelope {
            response_metadata: Option<Metadata>,
            result: Option<Value>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Metadata {
            request_id: Option<String>,
            error: Option<VendorError>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct VendorError {
            #[serde(default)]
            code: String,
            #[serde(default)]
            message: String,
        }

        let envelope: Envelope = match serde_json::from_slice(&resp.body) {
            Ok(env) => env,
            Err(e) => return Err(wire::undecodable(action, resp, &e.to_string(), None)),
        };
        let request_id = envelope
            .response_metadata
            .as_ref()
            .and_then(|m| m.request_id.clone())
            .or_else(|| resp.request_id.clone());
        if let Some(err) = envelope.response_metadata.and_then(|m| m.error) {
            let mut message = err.message;
            if err.code == "InvalidTimestamp" {
                message.push_str(&wire::clock_advice(resp.server_date));
            }
            return Err(ApiError {
                action,
                kind: wire::kind_for_status(resp.status, &err.code),
                http_status: Some(resp.status),
                code: err.code,
                message,
                request_id,
                retry_after: resp.retry_after,
            });
        }
        if !(200..300).contains(&resp.status) {
            return Err(wire::undecodable(
                action,
                resp,
                "error status without an error in ResponseMetadata",
                request_id,
            ));
        }
        match envelope.result {
            Some(result) => Ok(result),
            None if matches!(
                action,
                Action::UpdateAsset
                    | Action::UpdateAssetGroup
                    | Action::DeleteAsset
                    | Action::DeleteAssetGroup
            ) =>
            {
                Ok(Value::Object(Default::default()))
            }
            None => Err(ApiError {
                http_status: Some(resp.status),
                request_id,
                ..ApiError::local(
                    action,
                    ErrorKind::Malformed,
                    "MalformedResponse",
                    "no Result in the response",
                )
            }),
        }
    }
}
