//! Authentication as the real gateway does it: V4 signatures (domestic) and Bearer tokens (global).

use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::fail::Fail;
use crate::api::sign::{self, Credentials};

/// Largest accepted difference between X-Date and the server's clock.
pub(crate) const MAX_SKEW_MINUTES: i64 = 15;

/// An account of the emulator.
#[derive(Clone)]
pub struct Account {
    /// Access key id (domestic).
    pub access_key: String,
    /// Secret access key (domestic).
    pub secret_key: SecretString,
    /// API key (global).
    pub api_key: SecretString,
    /// The session token of temporary (STS) keys: requests must carry it as a signed
    /// `X-Security-Token`.
    pub session_token: Option<SecretString>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

/// The request parts a signature covers.
pub struct Signed<'a> {
    /// Request path.
    pub path: &'a str,
    /// Raw query string.
    pub query: Option<&'a str>,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// Body bytes.
    pub body: &'a [u8],
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Verifies a V4-signed request; returns the index of the account it belongs to.
pub fn verify_signature(
    req: &Signed<'_>,
    accounts: &[Account],
    now: DateTime<Utc>,
) -> Result<usize, Fail> {
    let missing = |what: &str| {
        Fail::new(
            400,
            "MissingParameter",
            format!("the {what} header is required"),
        )
    };
    let auth = header(req.headers, "authorization").ok_or_else(|| missing("Authorization"))?;
    let x_date = header(req.headers, "x-date").ok_or_else(|| missing("X-Date"))?;
    let parsed = sign::parse_authorization(auth).ok_or_else(|| {
        Fail::new(
            401,
            "SignatureDoesNotMatch",
            "the Authorization header is not of the form HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…",
        )
    })?;
    let index = accounts
        .iter()
        .position(|a| a.access_key == parsed.access_key_id)
        .ok_or_else(|| {
            Fail::new(
                401,
                "InvalidAccessKey",
                format!("the access key {} does not exist", parsed.access_key_id),
            )
        })?;
    check_time(x_date, now)?;
    for required in ["host", "x-date"] {
        if !parsed.signed_headers.iter().any(|h| h == required) {
            return Err(Fail::new(
                401,
                "SignatureDoesNotMatch",
                format!("SignedHeaders must include {required}"),
            ));
        }
    }
    let account = &accounts[index];
    check_session_token(req.headers, &parsed.signed_headers, account)?;
    let expected = expected_signature(req, &parsed, account, x_date)?;
    // Any region is accepted (the emulator stands in for every region); the service must be ark.
    let scope_ok = parsed.date == x_date.get(..8).unwrap_or_default() && parsed.service == "ark";
    if !scope_ok || expected.signature != parsed.signature {
        return Err(Fail::new(
            401,
            "SignatureDoesNotMatch",
            "the request signature we calculated does not match the signature you provided; check your secret key and signing method",
        ));
    }
    Ok(index)
}

/// `X-Date` read, and within [`MAX_SKEW_MINUTES`] of `now`.
fn check_time(x_date: &str, now: DateTime<Utc>) -> Result<(), Fail> {
    let sent = NaiveDateTime::parse_from_str(x_date, sign::X_DATE_FORMAT)
        .map_err(|_| {
            Fail::new(
                400,
                "InvalidTimestamp",
                format!("X-Date {x_date:?} is not YYYYMMDDTHHMMSSZ"),
            )
        })?
        .and_utc();
    let skew = (now - sent).num_seconds();
    if skew.abs() > MAX_SKEW_MINUTES * 60 {
        return Err(Fail::new(
            400,
            "InvalidTimestamp",
            format!(
                "X-Date {x_date} is {skew} s from the server time {}; at most {MAX_SKEW_MINUTES} minutes are allowed",
                now.format(sign::X_DATE_FORMAT)
            ),
        ));
    }
    Ok(())
}

/// The signature `req` should carry, signed with `account`'s secret over the headers it says
/// it signed.
fn expected_signature(
    req: &Signed<'_>,
    parsed: &sign::Authorization,
    account: &Account,
    x_date: &str,
) -> Result<sign::Signature, Fail> {
    let mut headers = Vec::new();
    for name in &parsed.signed_headers {
        let value = header(req.headers, name.as_str()).ok_or_else(|| {
            Fail::new(
                400,
                "MissingParameter",
                format!("the {name} header is required"),
            )
        })?;
        headers.push((name.to_string(), value.to_owned()));
    }
    let query: Vec<(String, String)> = req
        .query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    Ok(sign::sign(
        &sign::Request {
            method: "POST",
            path: req.path,
            query: &query,
            headers: &headers,
            body: req.body,
            x_date,
        },
        &Credentials {
            access_key_id: account.access_key.clone(),
            secret_access_key: account.secret_key.clone(),
            region: parsed.region.clone(),
            service: parsed.service.clone(),
            session_token: None,
        },
    ))
}

/// Temporary keys are good only with their session token, sent as a signed `X-Security-Token`:
/// without it the gateway answers `MissingParameter`, with another one `InvalidSecretToken`.
fn check_session_token(
    headers: &HeaderMap,
    signed: &[String],
    account: &Account,
) -> Result<(), Fail> {
    let Some(expected) = &account.session_token else {
        return Ok(());
    };
    let sent = header(headers, "x-security-token").ok_or_else(|| {
        Fail::new(
            400,
            "MissingParameter",
            "temporary keys need their session token: the X-Security-Token header is required",
        )
    })?;
    if !signed.iter().any(|h| h == "x-security-token") {
        return Err(Fail::new(
            401,
            "SignatureDoesNotMatch",
            "SignedHeaders must include x-security-token",
        ));
    }
    if sent != expected.expose_secret() {
        return Err(Fail::new(
            401,
            "InvalidSecretToken",
            "the session token is not valid or has expired",
        ));
    }
    Ok(())
}

/// Checks a Bearer token; returns the index of its account.
pub(crate) fn verify_bearer(headers: &HeaderMap, accounts: &[Account]) -> Option<usize> {
    let token = header(headers, "authorization")?
        .strip_prefix("Bearer ")?
        .trim();
    accounts
        .iter()
        .position(|a| a.api_key.expose_secret() == token)
}
