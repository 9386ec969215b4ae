//! Following many Seedance tasks: 50 tasks in flight on the emulator, waited for by
//! `Catalog::wait_tasks` at the shortest poll a profile may set (2 s); counts the list
//! requests and the GETs it sent, and checks that all of them together stay at one list
//! request every 2 s (the first round's own apart): `cargo bench --bench tasks_poll`. The
//! quick mode: 10 tasks of 4 s.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ark_assets::api::model::Status;
use ark_assets::api::{Addressing, Client, ClientOptions};
use ark_assets::catalog::Catalog;
use ark_assets::catalog::tasks::{TaskAsk, TaskPoll};
use ark_assets::emulator::copies::AssetFile;
use ark_assets::emulator::store::StoredAsset;
use ark_assets::emulator::tasks::DEMO_DATA_KEY;
use ark_assets::emulator::{Config, Emulator};
use ark_assets::seedance::{Seedance, TaskStatus};

/// An Active image asset `id` in the emulator's store.
fn put_image(emu: &Emulator, id: &str) {
    emu.edit(|store, now| {
        let asset = ark_assets::api::model::Asset {
            id: id.to_owned(),
            name: "hero".into(),
            url: String::new(),
            asset_type: "Image".into(),
            group_id: "group-1".into(),
            status: Status::Active,
            error: None,
            create_time: Some(now),
            update_time: Some(now),
            project_name: "default".into(),
            moderation: None,
            last_inference_time: None,
        };
        let stored = StoredAsset {
            asset,
            source_url: String::new(),
            source: None,
            file: Some(AssetFile::Sample("portrait.png".into())),
        };
        store.assets.insert(id.to_owned(), stored);
    });
}

fn count(emu: &Emulator, op: &str) -> u64 {
    emu.stats().tasks.get(op).copied().unwrap_or(0)
}

#[tokio::main]
async fn main() {
    support::begin();
    let (tasks, task_time) = support::scale((50, 30), (10, 4));
    let emu = Emulator::start(
        Config {
            task_time: Duration::from_secs(task_time),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    put_image(&emu, "asset-hero");
    let client = Client::new(
        emu.domestic_endpoint(Addressing::ActionQuery),
        ClientOptions::default(),
    );
    let dir = tempdir();
    let http = ark_assets::http::Http::from(ark_assets::http::client(|b| b));
    let plane = emu.data_plane();
    let seedance = Seedance::new(plane.base, secrecy::SecretString::from(DEMO_DATA_KEY), http);
    let catalog = Catalog::new(
        client,
        Arc::new(ark_assets::ledger::Ledger::at(&dir.join("l.sqlite"))),
    )
    .with_tasks(Some(seedance), Default::default());
    let ask = TaskAsk {
        assets: vec!["asset-hero".into()],
        prompt: "Image 1 waves".into(),
        model: "doubao-seedance-2-0-260128".into(),
        ..TaskAsk::default()
    };
    let plan = catalog.plan_task(&ask).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..tasks {
        ids.push(catalog.create_task(&plan).await.unwrap().id);
    }
    let (lists, gets) = (count(&emu, "list"), count(&emu, "get"));
    let start = Instant::now();
    let mut moves = 0;
    let waited = catalog
        .wait_tasks(
            &ids,
            support::STUCK,
            TaskPoll::every_seconds(2),
            &mut |_| moves += 1,
        )
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert!(
        !waited.timed_out,
        "tasks still not finished after {} s",
        support::STUCK.as_secs()
    );
    assert!(
        waited
            .tasks
            .values()
            .all(|t| t.status == TaskStatus::Succeeded)
    );
    let (lists, gets) = (count(&emu, "list") - lists, count(&emu, "get") - gets);
    let allowed = 1 + (elapsed.as_secs_f64() / 2.0).floor() as u64;
    println!(
        "{tasks} tasks of {task_time} s, followed for {:.1} s",
        elapsed.as_secs_f64()
    );
    println!(
        "{lists} list requests and {gets} GETs in all ({moves} changes seen); one every 2 s allows {allowed}"
    );
    println!(
        "a GET per task every 10 s (the gateways' advice) would have sent about {}",
        tasks as u64 * (1 + elapsed.as_secs() / 10)
    );
    assert!(gets == 0, "a listing a round, no GET per task: {gets} GETs");
    assert!(
        lists <= allowed,
        "{lists} list requests in {:.1} s",
        elapsed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ark-assets-bench-tasks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
