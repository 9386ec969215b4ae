//! Property tests of the matcher over random groups (a few names and contents, so copies of
//! one file and shared names come often; some assets Failed), random ledger knowledge and
//! random folders: every asset is in the plan exactly once, and a folder as a pull leaves it
//! plans nothing (every file unchanged, no asset extra).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::matcher::Matcher;
use super::{FolderFile, Step, SyncOptions, learn_content};
use crate::api::model::{Asset, Status};
use crate::catalog::names::forms;
use crate::ledger::Ledger;

const GROUP: &str = "group-20260101000000-g0001";
const NAMES: [&str; 4] = ["hero", "hero-copy", "villain", "hero 2"];

/// One asset as drawn: its name and content (indexes into small pools), whether it failed,
/// and whether this ledger learned its content.
#[derive(Debug, Clone)]
struct Drawn {
    name: usize,
    content: u8,
    failed: bool,
    learned: bool,
}

fn drawn() -> impl Strategy<Value = Drawn> {
    (
        0..NAMES.len(),
        0u8..3,
        proptest::bool::weighted(0.15),
        any::<bool>(),
    )
        .prop_map(|(name, content, failed, learned)| Drawn {
            name,
            content,
            failed,
            learned,
        })
}

fn sha(content: u8) -> String {
    format!("{content:064x}")
}

fn asset(i: usize, d: &Drawn, name: String) -> Asset {
    let at = chrono::DateTime::from_timestamp(1_780_000_000 + i as i64, 0);
    Asset {
        id: format!("asset-20260101000000-a{i:04}"),
        name,
        url: String::new(),
        asset_type: "Image".into(),
        group_id: GROUP.into(),
        status: if d.failed {
            Status::Failed
        } else {
            Status::Active
        },
        error: None,
        create_time: at,
        update_time: at,
        project_name: "default".into(),
        moderation: None,
        last_inference_time: None,
    }
}

fn file(name: &str, content: u8) -> FolderFile {
    let root = Path::new("/folder");
    let path = root.join(format!("{name}.png"));
    FolderFile {
        forms: forms(root, &path),
        path,
        name: name.to_owned(),
        sha256: sha(content),
    }
}

/// A ledger of its own, in a folder removed when the test ends.
struct Scratch {
    dir: PathBuf,
    ledger: Ledger,
}

impl Scratch {
    fn new() -> Scratch {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("ark-matcher-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ledger = Ledger::open(&dir.join("ledger.sqlite")).unwrap();
        Scratch { dir, ledger }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The steps and refusals for `files` against `assets`.
fn plan(ledger: &Ledger, assets: &[Asset], files: &[FolderFile]) -> (Vec<Step>, usize) {
    let opts = SyncOptions::default();
    let matcher = Matcher::new(ledger, GROUP, assets, &opts).unwrap();
    let (steps, refused) = matcher.steps(files).unwrap();
    (steps, refused.len())
}

/// How many times each asset is named by the plan (matched, recreated, extra or kept).
fn named(steps: &[Step]) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for step in steps {
        let id = match step {
            Step::Unchanged { id, .. } | Step::Extra { id, .. } | Step::Kept { id, .. } => id,
            Step::Rename { change, .. } => &change.id,
            Step::Recreate { failed, .. } => failed,
            Step::Create { .. } | Step::Busy { .. } | Step::Duplicate { .. } => continue,
        };
        *seen.entry(id.clone()).or_default() += 1;
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any group, any knowledge, any folder: no asset is matched twice, and every asset is
    /// in the plan (or refused) once.
    #[test]
    fn every_asset_is_in_the_plan_once(
        group in proptest::collection::vec(drawn(), 0..7),
        folder in proptest::collection::vec((0..NAMES.len(), 0u8..4), 0..7),
    ) {
        let scratch = Scratch::new();
        let assets: Vec<Asset> = group
            .iter()
            .enumerate()
            .map(|(i, d)| asset(i, d, NAMES[d.name].to_owned()))
            .collect();
        for (a, d) in assets.iter().zip(&group) {
            if d.learned {
                learn_content(&scratch.ledger, GROUP, a, &sha(d.content)).unwrap();
            }
        }
        let mut files: Vec<FolderFile> = Vec::new();
        for (name, content) in folder {
            if !files.iter().any(|f| f.name == NAMES[name]) {
                files.push(file(NAMES[name], content));
            }
        }
        let (steps, refused) = plan(&scratch.ledger, &assets, &files);
        let seen = named(&steps);
        prop_assert!(seen.values().all(|&n| n == 1), "{steps:#?}");
        prop_assert_eq!(seen.len() + refused, assets.len(), "{:#?}", steps);
    }

    /// A group's Active assets pulled (each under its own name, copies of one file
    /// included) and the folder synced: nothing created, renamed or deleted.
    #[test]
    fn a_pulled_folder_plans_nothing(
        group in proptest::collection::vec(drawn(), 1..7),
        order in any::<proptest::sample::Index>(),
    ) {
        let scratch = Scratch::new();
        // Names as a pull makes them: each asset its own.
        let assets: Vec<Asset> = group
            .iter()
            .enumerate()
            .map(|(i, d)| asset(i, &Drawn { failed: false, ..d.clone() }, format!("{}-{i}", NAMES[d.name])))
            .collect();
        let mut files: Vec<FolderFile> = assets
            .iter()
            .zip(&group)
            .map(|(a, d)| {
                learn_content(&scratch.ledger, GROUP, a, &sha(d.content)).unwrap();
                file(&a.name, d.content)
            })
            .collect();
        // The folder's order is not the pull's.
        let by = order.index(files.len());
        files.rotate_left(by);
        let (steps, _) = plan(&scratch.ledger, &assets, &files);
        let all_unchanged = steps.iter().all(|s| matches!(s, Step::Unchanged { .. }));
        prop_assert!(all_unchanged, "{:#?}", steps);
        prop_assert_eq!(steps.len(), assets.len());
    }
}
