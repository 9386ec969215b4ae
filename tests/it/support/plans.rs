//! A real copy plan for the TUI's tests: made by the catalog's `plan_copy` between two
//! in-process emulators whose stores are seeded directly (so its ids and names are fixed).

use std::sync::Arc;

use ark_assets::api::model::{AssetGroup, Status};
use ark_assets::api::{Addressing, Client, ClientOptions};
use ark_assets::catalog::Catalog;
use ark_assets::catalog::copy::{CopyOptions, CopyPlan};
use ark_assets::emulator::{Config, Emulator};

use super::cli_env::stored_image;
use super::fixtures::group;

/// The destination's group of the source's name.
pub const THERE: &str = "group-20260101000000-b0001";

/// `emu`'s catalog, with a ledger of its own.
pub fn catalog(emu: &Emulator, tag: &str) -> Catalog {
    let client = Client::new(
        emu.domestic_endpoint(Addressing::ActionQuery),
        ClientOptions::default(),
    );
    let dir = std::env::temp_dir().join(format!(
        "ark-assets-plan-{tag}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let ledger = ark_assets::ledger::Ledger::at(&dir.join("ledger.sqlite"));
    Catalog::new(client, Arc::new(ledger))
}

/// Puts `group` and its assets (`(id, name, status)`, a minute apart) into `emu`'s store.
pub fn seed(emu: &Emulator, group: &AssetGroup, assets: &[(&str, &str, Status)]) {
    emu.edit(|store, now| {
        store.groups.insert(group.id.clone(), group.clone());
        for (i, (id, name, status)) in assets.iter().enumerate() {
            let at = now - chrono::Duration::minutes(10 - i as i64);
            let mut stored = stored_image(id, name, &group.id, at);
            stored.asset.status = *status;
            store.assets.insert((*id).to_owned(), stored);
        }
    });
}

/// An emulator on loopback.
pub async fn start() -> Emulator {
    Emulator::start(Config::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// The fixtures' group 1 in `emu`: `hero` and `side`, Active, and `draft`, which Failed.
pub fn source(emu: &Emulator) -> AssetGroup {
    let source = group(1, "主角 Leading cast");
    seed(
        emu,
        &source,
        &[
            ("asset-20260101000000-s0000", "hero", Status::Active),
            ("asset-20260101000000-s0001", "side", Status::Active),
            ("asset-20260101000000-s0002", "draft", Status::Failed),
        ],
    );
    source
}

/// The source's group in `emu`, another account: `hero` there already, and `old take`, which
/// no source asset matches.
pub fn destination(emu: &Emulator) {
    let there = AssetGroup {
        id: THERE.to_owned(),
        ..group(1, "主角 Leading cast")
    };
    seed(
        emu,
        &there,
        &[
            ("asset-20260101000000-d0000", "hero", Status::Active),
            ("asset-20260101000000-d0001", "old take", Status::Active),
        ],
    );
}

/// The plan of copying the fixtures' group 1 (`hero`, `side`, and `draft`, which Failed)
/// into another account, whose group of that name has `hero` already and `old take`, which
/// no source asset matches.
pub async fn copy_plan() -> CopyPlan {
    let (a, b) = (start().await, start().await);
    let source = source(&a);
    destination(&b);
    catalog(&a, "a")
        .plan_copy(&source.id, &catalog(&b, "b"), &CopyOptions::default())
        .await
        .expect("a plan")
}
