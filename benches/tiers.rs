//! Account tiers against the CreateAsset bound: `ark-assets import` into the emulator playing
//! the advanced tier (120 creates in any minute, 429 `RequestLimitExceeded` past it):
//! `cargo bench --bench tiers`.
//!
//! First with the profile's `tier = "advanced"`: paced at the tier's rate, 40 creates take 39
//! intervals of half a second, the 19.5 s bound, and should meet no 429. Then with no tier set
//! (the domestic 30 a second, lowered by the 429s it meets): all rows created, none failed,
//! within twice the bound; and a second run right after, against the same emulator, starting
//! from the rate the first kept in the ledger, should meet at most one 429. 40 creates fit in
//! the tier's minute, so the same again with 160 (a minute's 120 and 40 more), which meet the
//! limit and learn the rate. The quick mode imports 6 rows each time, and not the 160.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ark_assets::api::limits::Tier;
use ark_assets::emulator::{self, Config, Emulator};

/// The tier the emulator plays.
const TIER: Tier = Tier::Advanced;

/// One import's figures.
struct Run {
    created: usize,
    failed: usize,
    /// 429s the import's report counted.
    throttled: u64,
    /// 429s the emulator answered meanwhile.
    refused: u64,
    wall: Duration,
}

/// An account: a data folder and config of its own, with a group in an emulator.
struct Account {
    dir: PathBuf,
    url: String,
    group: String,
}

/// An emulator playing [`TIER`], creating assets in a few milliseconds (the rate, not the
/// processing, bounds the import).
async fn emulator() -> Emulator {
    let config = Config {
        tier: Some(TIER),
        processing: (Duration::from_millis(5), Duration::from_millis(20)),
        ..Config::default()
    };
    Emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// The binary with `account`'s environment and nothing of the bench's.
fn command(account: &Account, args: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ark-assets"));
    cmd.env_clear()
        .env("VOLC_ACCESSKEY", emulator::DEMO_ACCESS_KEY)
        .env("VOLC_SECRETKEY", emulator::DEMO_SECRET_KEY)
        .env("ARK_ENDPOINT", &account.url)
        .env("ARK_ASSETS_CONFIG", account.dir.join("config.toml"))
        .env("ARK_ASSETS_DATA", &account.dir)
        .args(args);
    cmd
}

/// A new account in `emu` whose profile sets `tier` (a BytePlus one, the emulator standing in
/// for its endpoint) or nothing, with a group of its own.
async fn account(emu: &Emulator, label: &str, tier: Option<Tier>) -> Account {
    let dir = std::env::temp_dir().join(format!("ark-assets-tiers-{}-{label}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let profile = match tier {
        Some(tier) => format!(
            "[profiles.default]\nprovider = \"byteplus\"\nregion = \"cn-beijing\"\ntier = \"{tier}\"\n"
        ),
        None => "[profiles.default]\n".to_owned(),
    };
    ark_assets::files::write_private(&dir.join("config.toml"), profile.as_bytes()).unwrap();
    let mut account = Account {
        dir,
        url: emu.url.clone(),
        group: String::new(),
    };
    let out = support::run_ok(
        "groups create",
        &mut command(&account, &["--json", "groups", "create", label]),
    )
    .await;
    let group: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    account.group = group["Id"].as_str().unwrap().to_owned();
    account
}

/// Imports `rows` rows of `emu`'s sample portrait into `account`'s group (`--json`).
async fn import(emu: &Emulator, account: &Account, rows: usize, run: &str) -> Run {
    let file = account.dir.join(format!("{run}.csv"));
    let listing: String = (0..rows)
        .map(|i| format!("{},{run}-{i}\n", emu.sample_url("portrait.png")))
        .collect();
    std::fs::write(&file, listing).unwrap();
    let before = emu.stats().throttled;
    let start = Instant::now();
    let args = [
        "--json",
        "import",
        "--no-check",
        "--group",
        &account.group,
        file.to_str().unwrap(),
    ];
    let out = support::run_ok("import", &mut command(account, &args)).await;
    let wall = start.elapsed();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{run}: the import's report: {e}"));
    let count = |key: &str| {
        report[key]
            .as_array()
            .unwrap_or_else(|| panic!("{run}: no {key} in the report: {report}"))
            .len()
    };
    Run {
        created: count("Created"),
        failed: count("Failed"),
        throttled: report["Throttled"]
            .as_u64()
            .unwrap_or_else(|| panic!("{run}: no Throttled in the report: {report}")),
        refused: emu.stats().throttled - before,
        wall,
    }
}

/// Prints `run` against `bound`, and fails unless every row was created (the bench did not
/// measure what it says).
fn report(label: &str, run: &Run, rows: usize, bound: Duration) {
    println!(
        "{label}: {} created, {} failed in {:.1} s vs the {:.1} s bound ({:+.1}%, {:.2}×); \
         429s: {} in the report, {} answered by the emulator",
        run.created,
        run.failed,
        run.wall.as_secs_f64(),
        bound.as_secs_f64(),
        (run.wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        run.wall.as_secs_f64() / bound.as_secs_f64(),
        run.throttled,
        run.refused
    );
    assert_eq!(
        (run.created, run.failed),
        (rows, 0),
        "{label}: rows created and failed"
    );
}

/// The CreateAsset rate a minute kept in `account`'s ledger, if any.
fn kept_rate(account: &Account) -> Option<f64> {
    let ledgers = std::fs::read_dir(account.dir.join("ledger")).ok()?;
    ledgers.flatten().find_map(|entry| {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "sqlite") {
            return None;
        }
        let conn = rusqlite::Connection::open(&path).ok()?;
        conn.query_row(
            "SELECT per_minute FROM rates WHERE action = 'CreateAsset'",
            [],
            |row| row.get(0),
        )
        .ok()
    })
}

/// Removes the account's folder.
fn done(account: Account) {
    std::fs::remove_dir_all(Path::new(&account.dir)).ok();
}

/// Two imports of `rows` with no tier set, one right after the other, into a new emulator.
async fn untold(rows: usize, label: &str, bound: Duration) {
    let emu = emulator().await;
    let account = account(&emu, label, None).await;
    let first = import(&emu, &account, rows, "first").await;
    report(&format!("{label}, first run"), &first, rows, bound);
    let kept = |run| match kept_rate(&account) {
        Some(rate) => println!("  rate kept after the {run} run: {rate:.1} a minute"),
        None => println!("  no rate kept after the {run} run"),
    };
    kept("first");
    let second = import(&emu, &account, rows, "second").await;
    report(
        &format!("{label}, second run right after (the rate kept)"),
        &second,
        rows,
        bound,
    );
    kept("second");
    done(account);
}

/// The bound of `rows` creates at the tier's rate: the first at once, each next a period later.
fn bound(rows: usize) -> Duration {
    Duration::from_secs_f64((rows - 1) as f64 * 60.0 / f64::from(TIER.create_per_minute()))
}

#[tokio::main]
async fn main() {
    support::begin();
    let rows = support::scale(40, 6);
    println!(
        "{rows} creates at the {TIER} tier's {} a minute: bound {:.1} s",
        TIER.create_per_minute(),
        bound(rows).as_secs_f64()
    );
    let emu = emulator().await;
    let told = account(&emu, "told", Some(TIER)).await;
    let run = import(&emu, &told, rows, "told").await;
    report("tier = \"advanced\"", &run, rows, bound(rows));
    done(told);
    untold(rows, "no tier", bound(rows)).await;
    // More than a minute's creates: only these meet the tier's limit with no tier set. Not in
    // the quick mode (the limit is met after 120 creates, and lifts a minute later).
    if !support::quick() {
        let over = TIER.create_per_minute() as usize * 4 / 3;
        println!(
            "{over} creates, over the tier's minute: bound {:.1} s at its rate",
            bound(over).as_secs_f64()
        );
        untold(over, "no tier, over a minute's", bound(over)).await;
    }
}
