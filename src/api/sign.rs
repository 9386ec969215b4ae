//! Volcengine V4 request signing (HMAC-SHA256), as done by the vendor's official SDKs.
//!
//! Pure functions, no I/O: the caller supplies the request parts and the time, and gets back the
//! header values to send. The same code verifies signatures in the local emulator.

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Characters escaped in canonical query strings and paths: all but RFC 3986 unreserved ones.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Like [`RFC3986`] but keeps `/` so path segments stay separated.
const RFC3986_PATH: &AsciiSet = &RFC3986.remove(b'/');

/// The signing algorithm name that starts the Authorization header.
pub(crate) const ALGORITHM: &str = "HMAC-SHA256";

/// Format of the `X-Date` header (`YYYYMMDDTHHMMSSZ`, UTC).
pub const X_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// An access key pair together with the scope it signs for.
#[derive(Clone)]
pub struct Credentials {
    /// Access key id (AK), sent in clear in the Authorization header.
    pub access_key_id: String,
    /// Secret access key (SK); never leaves this process.
    pub secret_access_key: SecretString,
    /// Region of the credential scope, e.g. `cn-beijing`.
    pub region: String,
    /// Service of the credential scope, e.g. `ark`.
    pub service: String,
    /// The session token of temporary (STS) keys: sent as `X-Security-Token`, a signed header.
    pub session_token: Option<SecretString>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[REDACTED]")
            .field("region", &self.region)
            .field("service", &self.service)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// The parts of a request that enter the signature.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Request path, e.g. `/` or `/open/CreateAsset` (unescaped).
    pub path: &'a str,
    /// Query pairs (unescaped); order does not matter.
    pub query: &'a [(String, String)],
    /// Headers to sign (names in any case); `Host` and `X-Date` must be among them.
    pub headers: &'a [(String, String)],
    /// Body bytes exactly as sent.
    pub body: &'a [u8],
    /// Value of the `X-Date` header.
    pub x_date: &'a str,
}

/// The outcome of signing: every value the vendor's SDK computes, for sending and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Hex SHA-256 of the body; also the value of `X-Content-Sha256`.
    pub x_content_sha256: String,
    /// Lower-case signed header names, sorted and `;`-joined.
    pub signed_headers: String,
    /// `AK/date/region/service/request`.
    pub credential: String,
    /// Hex HMAC signature.
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Canonical query string: pairs sorted by key then value, RFC 3986 escaped (space is `%20`).
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| {
            (
                utf8_percent_encode(k, RFC3986).to_string(),
                utf8_percent_encode(v, RFC3986).to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Canonical path: RFC 3986 escaped with `/` kept; empty becomes `/`.
pub fn canonical_path(path: &str) -> String {
    if path.is_empty() {
        "/".to_owned()
    } else {
        utf8_percent_encode(path, RFC3986_PATH).to_string()
    }
}

/// The `X-Date` header value for a time.
pub fn x_date(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format(X_DATE_FORMAT).to_string()
}

/// Signs `req` with `creds`, exactly as the vendor's `SignerV4` does.
pub fn sign(req: &Request<'_>, creds: &Credentials) -> Signature {
    let body_hash = sha256_hex(req.body);

    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.sort();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method.to_ascii_uppercase(),
        canonical_path(req.path),
        canonical_query(req.query),
        canonical_headers,
        signed_headers,
        body_hash
    );

    let short_date = req.x_date.get(..8).unwrap_or(req.x_date);
    let scope = format!("{short_date}/{}/{}/request", creds.region, creds.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{scope}\n{}",
        req.x_date,
        sha256_hex(canonical_request.as_bytes())
    );

    let secret = creds.secret_access_key.expose_secret().as_bytes();
    let k_date = hmac(secret, short_date.as_bytes());
    let k_region = hmac(&k_date, creds.region.as_bytes());
    let k_service = hmac(&k_region, creds.service.as_bytes());
    let k_signing = hmac(&k_service, b"request");
    let signature = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));

    let credential = format!("{}/{scope}", creds.access_key_id);
    let authorization = format!(
        "{ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Signature {
        x_content_sha256: body_hash,
        signed_headers,
        credential,
        signature,
        authorization,
    }
}

/// The header that carries temporary (STS) keys' session token; it is signed.
pub const SECURITY_TOKEN: &str = "X-Security-Token";

/// The headers an Ark request signs: Content-Type, Host, X-Content-Sha256 and X-Date.
pub fn ark_headers(
    content_type: &str,
    host: &str,
    body: &[u8],
    x_date: &str,
) -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), content_type.into()),
        ("Host".into(), host.into()),
        ("X-Content-Sha256".into(), sha256_hex(body)),
        ("X-Date".into(), x_date.into()),
    ]
}

/// The parsed parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Access key id from the credential.
    pub access_key_id: String,
    /// Short date (`YYYYMMDD`) of the scope.
    pub date: String,
    /// Region of the scope.
    pub region: String,
    /// Service of the scope.
    pub service: String,
    /// Lower-case signed header names.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses `HMAC-SHA256 Credential=AK/date/region/service/request, SignedHeaders=…, Signature=…`.
pub(crate) fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let access_key_id = scope.next()?.to_owned();
    let date = scope.next()?.to_owned();
    let region = scope.next()?.to_owned();
    let service = scope.next()?.to_owned();
    if scope.next()? != "request" || scope.next().is_some() {
        return None;
    }
    Some(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed?.split(';').map(str::to_owned).collect(),
        signature: signature?.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "AK".into(),
            secret_access_key: SecretString::from("SK"),
            region: "cn-beijing".into(),
            service: "ark".into(),
            session_token: None,
        }
    }

    #[test]
    fn query_is_sorted_and_rfc3986_escaped() {
        let q = vec![
            ("b".to_owned(), "a b+c~d".to_owned()),
            ("a".to_owned(), "é/=".to_owned()),
        ];
        assert_eq!(canonical_query(&q), "a=%C3%A9%2F%3D&b=a%20b%2Bc~d");
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn path_keeps_slashes_and_defaults_to_root() {
        assert_eq!(canonical_path(""), "/");
        assert_eq!(canonical_path("/open/Create Asset"), "/open/Create%20Asset");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", creds());
        assert!(!shown.contains("\"SK\""), "{shown}");
        assert!(shown.contains("REDACTED"));
    }

    #[test]
    fn authorization_round_trips() {
        let headers = ark_headers("application/json", "h", b"{}", "20250101T000000Z");
        let req = Request {
            method: "POST",
            path: "/",
            query: &[],
            headers: &headers,
            body: b"{}",
            x_date: "20250101T000000Z",
        };
        let sig = sign(&req, &creds());
        let parsed = parse_authorization(&sig.authorization).expect("parses");
        assert_eq!(parsed.access_key_id, "AK");
        assert_eq!(parsed.date, "20250101");
        assert_eq!(parsed.signature, sig.signature);
        assert_eq!(
            parsed.signed_headers,
            ["content-type", "host", "x-content-sha256", "x-date"]
        );
        assert!(parse_authorization("Bearer x").is_none());
        assert!(parse_authorization("HMAC-SHA256 Credential=a/b/c, Signature=x").is_none());
    }
}
