//! The signing vectors produced with the vendor's SDK (`tests/data/sign-vectors.json`).

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
}

/// Every vector of the file.
pub fn load() -> Vec<Vector> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sign-vectors.json"
    ))
    .expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
}
