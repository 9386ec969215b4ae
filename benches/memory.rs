//! Resident memory holding 100,000 assets in the app state, loaded as the TUI loads them (pages
//! of 100 with signed URLs of the length the service sends): `cargo bench --bench memory`. The
//! quick mode holds 2,000.

// The integration tests' fixtures; a bench uses some of them.
#[allow(dead_code)]
#[path = "../tests/it/support/fixtures.rs"]
mod fixtures;
// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use ark_assets::api::model::MAX_PAGE_SIZE;
use ark_assets::app::msg::Msg;
use ark_assets::app::update;
use ark_assets::catalog::{Cursor, Listing};

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A URL shaped like the service's: a TOS object with a V4-style query signature.
fn signed_url(i: usize) -> String {
    format!(
        "https://ark-content-generation-cn-beijing.tos-cn-beijing.volces.com/asset/\
         2100000000/{i:020}.png?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Content-Sha256=\
         UNSIGNED-PAYLOAD&X-Tos-Credential=AKLTNzY0YjQ5ZjQ5NDg0NDQxYjk0YjE4ZjE2YjNjMDEzYzM%2F\
         20260602%2Fcn-beijing%2Ftos%2Frequest&X-Tos-Date=20260602T110000Z&X-Tos-Expires=43200\
         &X-Tos-Signature={:064x}&X-Tos-SignedHeaders=host",
        i as u128 * 0x9e37_79b9_7f4a_7c15
    )
}

fn main() {
    support::begin();
    let count: usize = support::scale(100_000, 2_000);
    let before = status_kib("VmRSS:");
    let mut state = fixtures::with_assets((160, 48), 0);
    let page_size = MAX_PAGE_SIZE as usize;
    let pages = count.div_ceil(page_size);
    for page in 1..=pages {
        let items = ((page - 1) * page_size..(page * page_size).min(count))
            .map(|i| {
                let mut a = fixtures::mixed_asset(i);
                if !a.url.is_empty() {
                    a.url = signed_url(i);
                }
                a
            })
            .collect();
        let order = state.sort.service_order();
        update(
            &mut state,
            Msg::AssetsLoaded {
                group_id: fixtures::group(1, "").id,
                from: if page == 1 {
                    Cursor::FIRST
                } else {
                    Cursor::Page(page as u32)
                },
                order,
                result: Ok(Listing {
                    items,
                    total: Some(count as u64),
                    next: (page < pages).then_some(Cursor::Page(page as u32 + 1)),
                    stopped: None,
                    left_out: 0,
                }),
            },
        );
    }
    let after = status_kib("VmRSS:");
    let peak = status_kib("VmHWM:");
    assert_eq!(state.assets.items().len(), count);
    assert!(after > 0, "no resident memory read from /proc/self/status");
    println!("assets held: {}", state.assets.items().len());
    println!(
        "RSS before: {:.1} MB, holding: {:.1} MB, peak: {:.1} MB",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}
