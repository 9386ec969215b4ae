//! Requests per second the emulator sustains (signature checked on every request, rate limits
//! off): `cargo bench --bench emulator`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ark_assets::api::Endpoint;
use ark_assets::api::model::Action;
use ark_assets::emulator::{Config, Emulator};

#[tokio::main]
async fn main() {
    let emu = Emulator::start(
        Config {
            rate_limits: false,
            seed_demo: true,
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let Endpoint::Domestic(d) = emu.domestic_endpoint(ark_assets::api::Addressing::ActionQuery)
    else {
        unreachable!()
    };
    let cases = [
        (
            "GetAssetGroup (small answer)",
            Action::GetAssetGroup,
            format!(
                r#"{{"Id":"{}"}}"#,
                emu.snapshot().groups.keys().next().unwrap()
            ),
        ),
        (
            "ListAssets, 100 items of 259",
            Action::ListAssets,
            r#"{"PageSize":100}"#.to_owned(),
        ),
    ];
    for (label, action, body) in cases {
        let x_date = ark_assets::api::sign::x_date(chrono::Utc::now());
        let signed = d.sign(action, body.as_bytes(), &x_date);
        let http = ark_assets::http::client(|b| b);
        let done = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(3);
        let workers: Vec<_> = (0..32)
            .map(|_| {
                let (http, signed, body, done) =
                    (http.clone(), signed.clone(), body.clone(), done.clone());
                tokio::spawn(async move {
                    while Instant::now() < deadline {
                        let mut req = http.post(signed.url.clone()).body(body.clone());
                        for (k, v) in &signed.headers {
                            req = req.header(k, v);
                        }
                        let resp = req.send().await.unwrap();
                        assert_eq!(resp.status(), 200);
                        resp.bytes().await.unwrap();
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for w in workers {
            w.await.unwrap();
        }
        let n = done.load(Ordering::Relaxed);
        println!(
            "{label}: {:.0} requests/s (32 connections, 3 s, load generator on the same 2 cores)",
            n as f64 / 3.0
        );
    }
}
