//! Requests per status transition: our poller against the seed's method (one GetAsset per asset
//! every 3 s), with 100 assets Processing in one group on the emulator:
//! `cargo bench --bench polling`. The quick mode: 10 assets, processing 1-2 s each.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use ark_assets::api::model::{
    Action, AssetFilter, CreateAsset, CreateAssetGroup, GroupType, Status,
};
use ark_assets::api::{Addressing, AssetsApi, Client, ClientOptions, LimitConfig};
use ark_assets::catalog::poll as poller;
use ark_assets::emulator::{Config, Emulator};

/// Creates a group `name` of `count` assets; its id and theirs.
async fn create_batch(
    client: &Client,
    emu: &Emulator,
    name: &str,
    count: usize,
) -> (String, Vec<String>) {
    let group = client
        .create_asset_group(&CreateAssetGroup {
            name: name.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for i in 0..count {
        let req = CreateAsset::image(
            &group,
            emu.sample_url("portrait.png"),
            Some(format!("{name}-{i}")),
        );
        ids.push(client.create_asset(&req).await.unwrap().id);
    }
    (group, ids)
}

fn reads(emu: &Emulator) -> u64 {
    let stats = emu.stats();
    [Action::ListAssets, Action::GetAsset]
        .iter()
        .map(|a| stats.requests.get(a).copied().unwrap_or(0))
        .sum()
}

/// Fails the benchmark when the assets `started` waiting have not all been seen done by now.
fn not_stuck(started: Instant, who: &str) {
    assert!(
        started.elapsed() < support::STUCK,
        "{who}: assets still Processing after {} s",
        support::STUCK.as_secs()
    );
}

/// Ours: the poller on the TUI's schedule, until it has seen every asset of a new batch done;
/// the reads it sent and the time it took.
async fn ours(client: &Client, emu: &Emulator, assets: usize) -> (u64, Duration) {
    let (group, ids) = create_batch(client, emu, "ours", assets).await;
    let mut pending = Vec::new();
    for id in &ids {
        pending.push(poller::Pending::from(&client.get_asset(id).await.unwrap()));
    }
    let before = reads(emu);
    let start = Instant::now();
    let mut schedule = poller::Schedule::default();
    let filter = AssetFilter {
        group_type: Some(GroupType::Aigc),
        ..AssetFilter::group(&group)
    };
    while !pending.is_empty() {
        not_stuck(start, "ours");
        tokio::time::sleep(schedule.interval()).await;
        let seen = poller::poll(client, &filter, &pending).await.unwrap();
        let done: Vec<String> = seen
            .iter()
            .filter(|a| a.status != Status::Processing)
            .map(|a| a.id.clone())
            .collect();
        pending.retain(|a| !done.contains(&a.id));
        schedule.polled(!done.is_empty());
    }
    (reads(emu) - before, start.elapsed())
}

/// The seed's method: GetAsset for every pending asset every 3 s, the same way.
async fn seeds(client: &Client, emu: &Emulator, assets: usize) -> (u64, Duration) {
    let (_, mut pending) = create_batch(client, emu, "seed", assets).await;
    let before = reads(emu);
    let start = Instant::now();
    while !pending.is_empty() {
        not_stuck(start, "seed");
        tokio::time::sleep(Duration::from_secs(3)).await;
        let mut still = Vec::new();
        for id in pending {
            if client.get_asset(&id).await.unwrap().status == Status::Processing {
                still.push(id);
            }
        }
        pending = still;
    }
    (reads(emu) - before, start.elapsed())
}

#[tokio::main]
async fn main() {
    support::begin();
    let (assets, processing) = support::scale((100, (5, 15)), (10, (1, 2)));
    let emu = Emulator::start(
        Config {
            processing: (
                Duration::from_secs(processing.0),
                Duration::from_secs(processing.1),
            ),
            max_processing: 2 * assets,
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let options = ClientOptions {
        limits: LimitConfig {
            max_creations: 2 * assets,
            ..LimitConfig::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::new(emu.domestic_endpoint(Addressing::ActionQuery), options);
    let (ours, ours_time) = ours(&client, &emu, assets).await;
    let (seed, seed_time) = seeds(&client, &emu, assets).await;
    assert!(
        ours > 0 && seed > 0,
        "no reads counted: ours {ours}, seed {seed}"
    );
    println!(
        "{assets} assets, processing {}-{} s each",
        processing.0, processing.1
    );
    println!(
        "ours: {ours} requests, {:.2} per transition, all seen after {:.1} s",
        ours as f64 / assets as f64,
        ours_time.as_secs_f64()
    );
    println!(
        "seed: {seed} requests, {:.2} per transition, all seen after {:.1} s",
        seed as f64 / assets as f64,
        seed_time.as_secs_f64()
    );
    println!(
        "ours uses 1/{:.0} of the seed's requests",
        seed as f64 / ours.max(1) as f64
    );
}
