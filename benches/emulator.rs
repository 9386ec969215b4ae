//! Requests per second the emulator sustains (signature checked on every request, rate limits
//! off): `cargo bench --bench emulator`. 3 s per request kind (1 s in the quick mode).

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ark_assets::api::Endpoint;
use ark_assets::api::domestic::SignedRequest;
use ark_assets::api::model::Action;
use ark_assets::emulator::{Config, Emulator};

/// Connections sending at once.
const CONNECTIONS: usize = 32;

/// Sends `signed` with `body` on [`CONNECTIONS`] connections for `run`; the requests answered
/// (every answer must be a 200).
async fn load(signed: SignedRequest, body: String, run: Duration) -> u64 {
    let http = ark_assets::http::client(|b| b);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + run;
    let workers: Vec<_> = (0..CONNECTIONS)
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
                    let status = resp.status();
                    let answer = resp.bytes().await.unwrap();
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    done.load(Ordering::Relaxed)
}

#[tokio::main]
async fn main() {
    support::begin();
    let run = support::scale(Duration::from_secs(3), Duration::from_secs(1));
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
    let snapshot = emu.snapshot();
    let cases = [
        (
            "GetAssetGroup (small answer)".to_owned(),
            Action::GetAssetGroup,
            format!(r#"{{"Id":"{}"}}"#, snapshot.groups.keys().next().unwrap()),
        ),
        (
            // The first page as the client asks for it (the service needs a Filter).
            format!("ListAssets, 100 items of {}", snapshot.assets.len()),
            Action::ListAssets,
            r#"{"Filter":{"GroupType":"AIGC"},"MaxResults":100,"PageNumber":1,"PageSize":100}"#
                .to_owned(),
        ),
    ];
    for (label, action, body) in cases {
        let x_date = ark_assets::api::sign::x_date(chrono::Utc::now());
        let signed = d.sign(action, body.as_bytes(), &x_date);
        let n = load(signed, body, run).await;
        assert!(n > 0, "{label}: no request answered");
        println!(
            "{label}: {:.0} requests/s ({CONNECTIONS} connections, {} s, load generator on the \
             same 2 cores)",
            n as f64 / run.as_secs_f64(),
            run.as_secs()
        );
    }
}
