//! The signer against vectors produced by the vendor's own SDK and the vendor's signature docs.

use crate::support::vectors;

use ark_assets::api::sign::{self, Credentials};
use secrecy::SecretString;

fn creds(ak: &str, sk: &str, region: &str, service: &str) -> Credentials {
    Credentials {
        access_key_id: ak.into(),
        secret_access_key: SecretString::from(sk),
        region: region.into(),
        service: service.into(),
        session_token: None,
    }
}

#[test]
fn every_sdk_vector_matches_byte_for_byte() {
    let vectors = vectors::load();
    assert!(vectors.len() >= 5, "vector file lost entries");
    assert!(
        vectors.iter().filter(|v| v.session_token.is_some()).count() >= 3,
        "the temporary-key vectors are read"
    );
    for v in &vectors {
        let query: Vec<(String, String)> = v.query.clone().into_iter().collect();
        let mut headers = sign::ark_headers(&v.content_type, &v.host, v.body.as_bytes(), &v.x_date);
        if let Some(token) = &v.session_token {
            headers.push((sign::SECURITY_TOKEN.to_owned(), token.clone()));
        }
        let got = sign::sign(
            &sign::Request {
                method: &v.method,
                path: &v.path,
                query: &query,
                headers: &headers,
                body: v.body.as_bytes(),
                x_date: &v.x_date,
            },
            &creds(
                &v.access_key_id,
                &v.secret_access_key,
                &v.region,
                &v.service,
            ),
        );
        let e = &v.expected;
        assert_eq!(
            got.x_content_sha256, e.x_content_sha256,
            "{}: X-Content-Sha256",
            v.name
        );
        assert_eq!(
            got.signed_headers, e.signed_headers,
            "{}: SignedHeaders",
            v.name
        );
        assert_eq!(got.credential, e.credential, "{}: Credential", v.name);
        assert_eq!(got.signature, e.signature, "{}: Signature", v.name);
        assert_eq!(
            got.authorization, e.authorization,
            "{}: Authorization",
            v.name
        );
    }
}

/// The client's own request for temporary keys: the token goes out as a signed
/// `X-Security-Token`, and the whole request is the SDK's byte for byte.
#[test]
fn requests_with_a_session_token_are_the_sdks() {
    use ark_assets::api::model::Action;
    use ark_assets::api::{Addressing, Domestic};
    for v in vectors::load().iter().filter(|v| v.session_token.is_some()) {
        let domestic = Domestic {
            base: format!("https://{}", v.host).parse().unwrap(),
            credentials: Credentials {
                session_token: v.session_token.clone().map(SecretString::from),
                ..creds(
                    &v.access_key_id,
                    &v.secret_access_key,
                    &v.region,
                    &v.service,
                )
            },
            addressing: Addressing::ActionQuery,
            project: None,
        };
        let action = Action::from_name(&v.query["Action"]).unwrap();
        let signed = domestic.sign(action, v.body.as_bytes(), &v.x_date);
        let header = |name: &str| {
            signed
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let e = &v.expected;
        assert_eq!(
            header("Authorization"),
            Some(e.authorization.as_str()),
            "{}",
            v.name
        );
        assert_eq!(
            header("X-Security-Token"),
            e.x_security_token.as_deref(),
            "{}",
            v.name
        );
        assert_eq!(
            header("X-Content-Sha256"),
            Some(e.x_content_sha256.as_str())
        );
        // Debug output never shows the token.
        let shown = format!("{:?}", domestic.credentials);
        assert!(
            !shown.contains(v.session_token.as_deref().unwrap()),
            "{shown}"
        );
    }
}

#[test]
fn the_vendor_documentation_vectors_match() {
    const AK: &str = "AKLTYWViMTVmZGYzM2E0NDI5Mzk2MDZjNjFmMjc2MjRjMzg";
    const SK: &str = "WkRZeE1EQmxPVGhsWWpWak5HVmtNbUUxTXpZeU9UVXlOMlE1TmpZeVlqTQ==";
    let cases = [
        (
            "GET",
            vec![
                ("Action", "ListUsers"),
                ("Limit", "10"),
                ("Offset", "0"),
                ("Version", "2018-01-01"),
            ],
            "iam.volcengineapi.com",
            "",
            "20240619T071306Z",
            "iam",
            "e31c4558bcfe08a286001f59cedbf0791ffd0b2362f10e55ee2627467bcdde93",
        ),
        (
            "POST",
            vec![("Action", "ListBill"), ("Version", "2022-01-01")],
            "billing.volcengineapi.com",
            r#"{"Limit":10,"BillPeriod":"2023-08"}"#,
            "20250329T180937Z",
            "billing",
            "5e8480ceea12d0000a23c054151c50dd02c1a7dec835004057d19f13d53a7658",
        ),
    ];
    for (method, query, host, body, x_date, service, expected) in cases {
        let query: Vec<(String, String)> = query
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let headers = vec![
            ("Host".to_owned(), host.to_owned()),
            ("X-Date".to_owned(), x_date.to_owned()),
        ];
        let got = sign::sign(
            &sign::Request {
                method,
                path: "/",
                query: &query,
                headers: &headers,
                body: body.as_bytes(),
                x_date,
            },
            &creds(AK, SK, "cn-beijing", service),
        );
        assert_eq!(got.signed_headers, "host;x-date");
        assert_eq!(got.signature, expected, "{service}");
    }
}

#[test]
fn a_changed_byte_changes_the_signature() {
    let c = creds("AK", "SK", "cn-beijing", "ark");
    let headers = sign::ark_headers("application/json", "h", b"{}", "20250101T000000Z");
    let base = sign::Request {
        method: "POST",
        path: "/",
        query: &[],
        headers: &headers,
        body: b"{}",
        x_date: "20250101T000000Z",
    };
    let a = sign::sign(&base, &c);
    let b = sign::sign(
        &sign::Request {
            body: b"{ }",
            ..base.clone()
        },
        &c,
    );
    let d = sign::sign(&base, &creds("AK", "SK2", "cn-beijing", "ark"));
    assert_ne!(a.signature, b.signature);
    assert_ne!(a.signature, d.signature);
}
