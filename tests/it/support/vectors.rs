//! The signing vectors produced with the vendor's SDK (`tests/data/sign-vectors.json`, and
//! `tests/data/sign-vectors-sts.json` for temporary keys with a session token).

use serde::Deserialize;

/// One signed request and what the SDK computed for it.
#[derive(Debug, Deserialize)]
pub struct Vector {
    pub name: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: String,
    pub service: String,
    pub method: String,
    pub host: String,
    pub path: String,
    pub query: std::collections::BTreeMap<String, String>,
    pub content_type: String,
    pub body: String,
    pub x_date: String,
    /// The session token of temporary (STS) keys.
    #[serde(default)]
    pub session_token: Option<String>,
    pub expected: Expected,
}

/// The SDK's output.
#[derive(Debug, Deserialize)]
pub struct Expected {
    pub x_content_sha256: String,
    pub signed_headers: String,
    pub credential: String,
    pub signature: String,
    pub authorization: String,
    /// The `X-Security-Token` header sent (temporary keys).
    #[serde(default)]
    pub x_security_token: Option<String>,
}

/// Every vector of both files: long-lived keys first, then temporary ones.
pub fn load() -> Vec<Vector> {
    ["sign-vectors.json", "sign-vectors-sts.json"]
        .into_iter()
        .flat_map(|name| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name);
            let text = std::fs::read_to_string(&path).expect("vector file");
            serde_json::from_str::<Vec<Vector>>(&text).expect("vector JSON")
        })
        .collect()
}
