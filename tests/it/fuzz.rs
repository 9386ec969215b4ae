//! Property tests (bounded, run with the suite): response parsing, the signer's
//! canonicalisation against the emulator's verifier, and the validation rules.
//! Run longer with e.g. `PROPTEST_CASES=100000 cargo test --release --test it fuzz`.

use ark_assets::api::model::{Action, Asset, AssetGroup, Page};
use ark_assets::api::sign::{self, Credentials};
use ark_assets::api::wire::HttpResponse;
use ark_assets::api::{Domestic, Global};
use ark_assets::emulator::auth::{self, Account, Signed};
use ark_assets::media::{self, ImageFormat, ImageInfo};
use ark_assets::validate;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use secrecy::SecretString;

fn response(status: u16, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status,
        body,
        request_id: None,
        retry_after: None,
        server_date: None,
    }
}

/// JSON values of any shape, a few levels deep, with the API's field names mixed in.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("ResponseMetadata".to_owned()),
        Just("Result".to_owned()),
        Just("Error".to_owned()),
        Just("Code".to_owned()),
        Just("RequestId".to_owned()),
        Just("Items".to_owned()),
        Just("Id".to_owned()),
        Just("Status".to_owned()),
        Just("TotalCount".to_owned()),
        Just("base_resp".to_owned()),
        Just("status_code".to_owned()),
        "[a-zA-Z]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_parsers(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..512)) {
        let resp = response(status, body);
        for action in Action::ALL {
            let _ = Domestic::parse(action, &resp);
            let _ = Global::parse(action, &resp);
        }
    }

    #[test]
    fn arbitrary_json_becomes_a_result_or_an_error(status in prop_oneof![Just(200u16), Just(400), Just(429), Just(503)], value in json_value()) {
        let resp = response(status, serde_json::to_vec(&value).unwrap());
        for action in [Action::GetAsset, Action::ListAssets, Action::UpdateAsset] {
            if let Ok(result) = Domestic::parse(action, &resp) {
                prop_assert!((200..300).contains(&status));
                let _ = serde_json::from_value::<Asset>(result.clone());
                let _ = serde_json::from_value::<Page<Asset>>(result.clone());
                let _ = serde_json::from_value::<AssetGroup>(result);
            }
            if let Err(e) = Global::parse(action, &resp) {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn whatever_the_client_signs_the_verifier_accepts(
        query in prop::collection::vec((".{0,8}", ".{0,8}"), 0..4),
        path in "(/[a-zA-Z0-9 ._~%-]{0,8}){1,3}",
        body in prop::collection::vec(any::<u8>(), 0..256),
        secret in "[ -~]{1,40}",
    ) {
        let creds = Credentials {
            access_key_id: "AKLTprop".into(),
            secret_access_key: SecretString::from(secret.clone()),
            region: "cn-beijing".into(),
            service: "ark".into(),
            session_token: None,
        };
        let now = chrono::Utc::now();
        let x_date = sign::x_date(now);
        let headers = sign::ark_headers("application/json", "127.0.0.1:9", &body, &x_date);
        let sig = sign::sign(&sign::Request { method: "POST", path: &path, query: &query, headers: &headers, body: &body, x_date: &x_date }, &creds);

        // What goes on the wire: the canonical query string, and the canonical path.
        let raw_query = sign::canonical_query(&query);
        let mut header_map = HeaderMap::new();
        for (k, v) in headers.iter().chain([("Authorization".to_owned(), sig.authorization.clone())].iter()) {
            header_map.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        let account = Account { access_key: "AKLTprop".into(), secret_key: SecretString::from(secret), api_key: SecretString::from("k"), session_token: None };
        let wire_path = sign::canonical_path(&path);
        let decoded_path = percent_decode(&wire_path);
        let signed = Signed {
            path: &decoded_path,
            query: (!raw_query.is_empty()).then_some(raw_query.as_str()),
            headers: &header_map,
            body: &body,
        };
        prop_assert_eq!(auth::verify_signature(&signed, std::slice::from_ref(&account), now).map_err(|f| f.message), Ok(0));

        // One changed byte of the body is refused.
        let mut tampered = body.clone();
        tampered.push(b'x');
        let signed = Signed { body: &tampered, ..signed };
        prop_assert!(auth::verify_signature(&signed, &[account], now).is_err());
    }

    #[test]
    fn canonical_queries_decode_back_to_the_sorted_pairs(query in prop::collection::vec((".{0,8}", ".{0,8}"), 0..5)) {
        let canonical = sign::canonical_query(&query);
        prop_assert!(!canonical.contains(' ') && !canonical.contains('+'));
        let back: Vec<(String, String)> = url::form_urlencoded::parse(canonical.as_bytes()).into_owned().collect();
        let mut back_sorted = back.clone();
        back_sorted.sort();
        let mut want = query;
        want.sort();
        prop_assert_eq!(back_sorted, want);
    }

    #[test]
    fn name_rules_count_characters(s in "\\PC{0,80}") {
        let ok = validate::name(&s, true).is_ok();
        let expected = !s.trim().is_empty() && s.chars().count() <= 64 && !s.chars().any(ark_assets::text::is_unsafe);
        prop_assert_eq!(ok, expected);
    }

    #[test]
    fn text_rules_never_panic(s in ".{0,400}") {
        let _ = validate::name(&s, false);
        let _ = validate::description(&s);
        let _ = validate::url(&s);
        if let Ok(u) = validate::url(&s) {
            let _ = validate::url_warning(&u);
        }
    }

    #[test]
    fn image_rules_match_the_spec(w in 0u64..8000, h in 0u64..8000, bytes in 0u64..40_000_000) {
        let info = ImageInfo { format: ImageFormat::Png, width: w, height: h, bytes: Some(bytes) };
        let ok = media::image_rules(&info).is_empty();
        let ratio = w as f64 / h as f64;
        let expected = w > 300 && w < 6000 && h > 300 && h < 6000
            && ratio > 0.4 && ratio < 2.5 && bytes < 30 * 1024 * 1024;
        prop_assert_eq!(ok, expected);
    }

    #[test]
    fn image_headers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = media::read_header(&bytes);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(bytes);
        let _ = media::read_header(&png);
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A RIFF WAVE file of chunks with random ids, sizes and bodies: the header walk and the
/// decoder behind it meet sizes that lie, chunks cut off and formats of zero.
fn wav_like() -> impl Strategy<Value = Vec<u8>> {
    let id = prop_oneof![
        Just(*b"fmt "),
        Just(*b"data"),
        Just(*b"LIST"),
        any::<[u8; 4]>()
    ];
    let chunk = (id, any::<u32>(), prop::collection::vec(any::<u8>(), 0..40));
    prop::collection::vec(chunk, 0..6).prop_map(|chunks| {
        let mut out = b"RIFF\0\0\0\0WAVE".to_vec();
        for (id, size, body) in chunks {
            out.extend_from_slice(&id);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&body);
        }
        out
    })
}

proptest! {
    #[test]
    fn wav_headers_of_any_shape_are_an_answer_not_a_panic(bytes in wav_like()) {
        use ark_assets::media::audio;
        let checked = audio::wav_format(&bytes);
        let read = audio::read_bytes(audio::AudioFormat::Wav, bytes);
        // Nothing the header check refuses reaches the decoder.
        prop_assert!(checked.is_ok() || read.is_err());
    }

    #[test]
    fn any_state_file_is_read_or_ignored_with_a_reason(value in json_value()) {
        let path = std::env::temp_dir().join(format!(
            "ark-fuzz-state-{}-{:?}.json",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, value.to_string()).unwrap();
        match ark_assets::app::remembered::load_from(&path) {
            Ok(kept) => {
                prop_assert!(kept.projects.len() <= ark_assets::app::remembered::MAX_PROJECTS);
                let unique: std::collections::HashSet<&String> = kept.projects.iter().collect();
                prop_assert_eq!(unique.len(), kept.projects.len(), "each project once");
            }
            Err(why) => prop_assert!(!why.to_string().is_empty()),
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn pages_of_any_shape_read_leniently_or_fail_whole(items in prop::collection::vec(json_value(), 0..4)) {
        // Items with null, numeric or nested fields: a page reads, or fails as a whole, never
        // panics; a readable page keeps every item.
        let page = serde_json::json!({"Items": items, "TotalCount": items.len()});
        if let Ok(read) = serde_json::from_value::<Page<Asset>>(page) {
            prop_assert_eq!(read.items.len(), items.len());
        }
    }
}
