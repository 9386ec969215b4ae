//! `copy` between two accounts (each its own emulator and storage) and `pull` back into a
//! folder: a copy cut short and run again, a copy into the other dialect, a copy through the
//! destination's storage, a pull whose downloads are cut, and a pull then a sync that plans
//! nothing.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::accounts::Two;
use crate::support::cli_env::{Env, distinct_pngs, kill_after_created};

use ark_assets::api::model::Status;
use ark_assets::emulator::{Config, faults::Faults};

/// The names of every asset of `env`'s account in groups named `group`.
fn names_in(env: &Env, group: &str) -> BTreeSet<String> {
    let snapshot = env.emu.snapshot();
    let ids: BTreeSet<&String> = snapshot
        .groups
        .values()
        .filter(|g| g.name == group)
        .map(|g| &g.id)
        .collect();
    snapshot
        .assets
        .values()
        .filter(|a| ids.contains(&a.asset.group_id))
        .map(|a| a.asset.name.clone())
        .collect()
}

/// Every asset of `env`'s account.
fn all_assets(env: &Env) -> Vec<ark_assets::api::model::Asset> {
    let snapshot = env.emu.snapshot();
    snapshot.assets.values().map(|a| a.asset.clone()).collect()
}

/// Account `a`'s group `Refs` made from `count` distinct images, every asset Active (waited
/// for with `wait`); the folder they came from.
async fn source_group(two: &Two, count: usize) -> std::path::PathBuf {
    let dir = distinct_pngs(&two.a, "source", "ref", count);
    let dir_arg = dir.to_str().unwrap();
    two.ok(&["sync", dir_arg, "--group", "Refs", "--create-group"])
        .await;
    let ids: Vec<String> = all_assets(&two.a).into_iter().map(|a| a.id).collect();
    let mut args = vec!["wait"];
    args.extend(ids.iter().map(String::as_str));
    two.ok(&args).await;
    dir
}

/// The entries of `dir` whose name starts with a dot (a download's temporary file).
fn hidden_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_cut_short_and_run_again_makes_each_asset_once_and_pulls_back_to_a_no_op_sync() {
    let two = Two::start(Config::default, false).await;
    source_group(&two, 8).await;
    // Slow answers on the destination, so the copy is killed with creates in flight.
    two.b.emu.set_faults(Faults {
        latency: std::time::Duration::from_millis(150),
        ..Faults::default()
    });
    let child = two
        .command()
        .args(["copy", "Refs", "--to", "other"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    kill_after_created(child, 3).await;
    two.b.emu.set_faults(Faults::default());
    let report = two.json(&["copy", "Refs", "--to", "other"]).await;
    assert_eq!(
        report["GroupCreated"], false,
        "the first run made the group"
    );
    let wanted = names_in(&two.a, "Refs");
    assert_eq!(names_in(&two.b, "Refs"), wanted);
    assert_eq!(all_assets(&two.b).len(), 8, "each asset once: {report}");
    let again = two
        .json(&["copy", "Refs", "--to", "other", "--dry-run"])
        .await;
    assert_eq!(
        (again["Create"].as_u64(), again["Unchanged"].as_u64()),
        (Some(0), Some(8))
    );

    // The copies pulled back from the destination, then synced there: nothing to do, though
    // the destination's ledger knows each asset only as a copy.
    let ids: Vec<String> = all_assets(&two.b).into_iter().map(|a| a.id).collect();
    let mut wait = vec!["--profile", "other", "wait"];
    wait.extend(ids.iter().map(String::as_str));
    two.ok(&wait).await;
    let out = two.a.data.join("pulled");
    let out_arg = out.to_str().unwrap();
    let pulled = two
        .json(&["--profile", "other", "pull", "Refs", out_arg])
        .await;
    assert_eq!(pulled["Downloaded"].as_array().unwrap().len(), 8);
    let plan = two
        .json(&[
            "--profile",
            "other",
            "sync",
            out_arg,
            "--group",
            "Refs",
            "--dry-run",
        ])
        .await;
    let counts: Vec<Option<u64>> = ["Create", "Rename", "Delete", "Extra", "Unchanged"]
        .iter()
        .map(|k| plan[k].as_u64())
        .collect();
    assert_eq!(
        counts,
        [Some(0), Some(0), Some(0), Some(0), Some(8)],
        "{plan}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_goes_into_the_other_dialect_and_through_the_destinations_storage() {
    let two = Two::start(Config::default, true).await;
    source_group(&two, 3).await;
    let report = two.json(&["copy", "Refs", "--to", "other"]).await;
    assert_eq!(report["Import"]["Created"].as_array().unwrap().len(), 3);
    let made: BTreeSet<String> = all_assets(&two.b).into_iter().map(|a| a.name).collect();
    assert_eq!(made, names_in(&two.a, "Refs"));
    let again = two.json(&["copy", "Refs", "--to", "other"]).await;
    assert_eq!(
        again["Import"]["Created"].as_array().unwrap().len(),
        0,
        "{again}"
    );
    assert_eq!(all_assets(&two.b).len(), 3);

    let before = two.b.puts();
    let via = two
        .json(&[
            "copy",
            "Refs",
            "--to",
            "other",
            "--to-group",
            "Via",
            "--via-storage",
        ])
        .await;
    assert_eq!(
        via["Import"]["Created"].as_array().unwrap().len(),
        3,
        "{via}"
    );
    assert!(
        two.b.puts() >= before + 3,
        "uploaded through the destination's storage"
    );
    assert!(
        !via.to_string().contains("X-Signature"),
        "no signed link in the report: {via}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_persons_group_is_not_copied_and_says_why() {
    let two = Two::start(Config::default, false).await;
    let id = two
        .ok(&["groups", "create", "Face"])
        .await
        .trim()
        .to_owned();
    two.a.emu.edit(|store, _| {
        store.groups.get_mut(&id).unwrap().group_type = "LivenessFace".into();
    });
    let out = two.run(&["copy", &id, "--to", "other"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("real person"), "{stderr}");
    assert!(all_assets(&two.b).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_whose_downloads_are_cut_is_run_again_and_then_sync_plans_nothing() {
    let two = Two::start(Config::default, false).await;
    let source = source_group(&two, 6).await;
    two.a.emu.set_faults(Faults {
        cut_files: 2,
        ..Faults::default()
    });
    let out = two.a.data.join("pulled");
    let out_arg = out.to_str().unwrap();
    let cut = two.run(&["--json", "pull", "Refs", out_arg]).await;
    assert_eq!(cut.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&cut.stdout).unwrap();
    assert_eq!(report["Failed"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["Downloaded"].as_array().unwrap().len(), 4);
    assert_eq!(
        hidden_files(&out),
        Vec::<String>::new(),
        "no partial file left"
    );
    // What a pull killed midway leaves: removed by the next (no run holds it).
    std::fs::write(out.join(".ark-assets-pull-4242-0"), b"half").unwrap();

    let again = two.json(&["pull", "Refs", out_arg]).await;
    assert_eq!(again["Downloaded"].as_array().unwrap().len(), 2, "{again}");
    assert_eq!(again["Unchanged"].as_array().unwrap().len(), 4);
    assert_eq!(hidden_files(&out), Vec::<String>::new());
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let pulled = out.join(path.file_name().unwrap());
        assert_eq!(
            std::fs::read(&pulled).unwrap(),
            std::fs::read(&path).unwrap()
        );
    }
    let plan = two
        .json(&["sync", out_arg, "--group", "Refs", "--dry-run"])
        .await;
    assert_eq!(
        (
            plan["Create"].as_u64(),
            plan["Unchanged"].as_u64(),
            plan["Extra"].as_u64()
        ),
        (Some(0), Some(6), Some(0)),
        "{plan}"
    );
    let active = all_assets(&two.a)
        .iter()
        .all(|a| a.status == Status::Active);
    assert!(active);
}

/// A copy into a read-only profile (`--read-only`, or its `read_only = true`) is refused in one
/// line before anything is sent there; its plan (`--dry-run`) is still shown, and a pull, which
/// writes only here, runs.
#[tokio::test(flavor = "multi_thread")]
async fn a_copy_into_a_read_only_profile_is_refused_before_anything_is_sent() {
    let two = Two::start(Config::default, false).await;
    source_group(&two, 2).await;
    let refused = |out: &std::process::Output| {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains("profile other is read-only"), "{stderr}");
        assert_eq!(two.b.emu.stats().total(), 0, "nothing sent there");
    };
    refused(
        &two.run(&["--read-only", "copy", "Refs", "--to", "other"])
            .await,
    );
    let path = two.a.data.join("config.toml");
    let config = std::fs::read_to_string(&path).unwrap().replacen(
        "[profiles.other]\n",
        "[profiles.other]\nread_only = true\n",
        1,
    );
    ark_assets::files::write_private(&path, config.as_bytes()).unwrap();
    refused(&two.run(&["copy", "Refs", "--to", "other"]).await);

    let plan = two
        .json(&["--read-only", "copy", "Refs", "--to", "other", "--dry-run"])
        .await;
    assert_eq!(plan["Create"].as_u64(), Some(2), "{plan}");
    assert!(all_assets(&two.b).is_empty());
    let out = two.a.data.join("pulled");
    let pulled = two
        .json(&["--read-only", "pull", "Refs", out.to_str().unwrap()])
        .await;
    assert_eq!(
        pulled["Downloaded"].as_array().unwrap().len(),
        2,
        "{pulled}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_deletes_what_the_source_lacks_only_with_a_yes() {
    let two = Two::start(Config::default, false).await;
    source_group(&two, 2).await;
    two.ok(&["copy", "Refs", "--to", "other"]).await;
    let stray = distinct_pngs(&two.a, "stray", "stray", 1);
    let stray_arg = stray.to_str().unwrap();
    two.ok(&["--profile", "other", "sync", stray_arg, "--group", "Refs"])
        .await;
    assert_eq!(all_assets(&two.b).len(), 3);

    let asked = two
        .run(&["copy", "Refs", "--to", "other", "--delete"])
        .await;
    let stderr = String::from_utf8_lossy(&asked.stderr);
    assert_eq!(asked.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(all_assets(&two.b).len(), 3, "nothing deleted without a yes");

    let report = two
        .json(&["copy", "Refs", "--to", "other", "--delete", "--yes"])
        .await;
    assert_eq!(report["Deleted"].as_array().unwrap().len(), 1, "{report}");
    let left: BTreeSet<String> = all_assets(&two.b).into_iter().map(|a| a.name).collect();
    assert_eq!(left, names_in(&two.a, "Refs"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_whose_asset_failed_there_is_made_again_by_the_next_copy() {
    let two = Two::start(Config::default, false).await;
    source_group(&two, 2).await;
    two.ok(&["copy", "Refs", "--to", "other"]).await;
    let failed = two.b.emu.edit(|store, _| {
        let stored = store.assets.values_mut().next().unwrap();
        stored.asset.status = Status::Failed;
        stored.asset.id.clone()
    });
    let plan = two
        .json(&["copy", "Refs", "--to", "other", "--dry-run"])
        .await;
    assert_eq!(
        (plan["Create"].as_u64(), plan["Extra"].as_u64()),
        (Some(1), Some(1)),
        "{plan}"
    );
    let report = two.json(&["copy", "Refs", "--to", "other"]).await;
    let created = report["Import"]["Created"].as_array().unwrap();
    assert_eq!(created.len(), 1, "{report}");
    assert_ne!(created[0]["Id"].as_str(), Some(failed.as_str()));
    assert_eq!(
        all_assets(&two.b).len(),
        3,
        "the Failed one is kept without --delete"
    );
}

/// The TUI's effects copy and pull through the same use cases: the destination profile opened
/// by the runner's opener once, for the plan and its apply (its progress told as it goes), and
/// a pull.
#[tokio::test(flavor = "multi_thread")]
async fn the_tuis_effects_plan_and_apply_a_copy_into_another_profile_and_pull() {
    use crate::support::plans;
    use ark_assets::app::msg::Work;
    use ark_assets::app::{Effect, Msg, Runner};
    struct NoClipboard;
    impl ark_assets::app::effects::Clipboard for NoClipboard {
        fn copy(&self, _: &str) {}
    }
    let (a, b) = (plans::start().await, plans::start().await);
    let source = plans::source(&a);
    let there = plans::catalog(&b, "b");
    let opens = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = opens.clone();
    let open: ark_assets::app::effects::OpenProfile = std::sync::Arc::new(move |_: &str| {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok((there.clone(), false))
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(
        plans::catalog(&a, "a"),
        tx,
        std::sync::Arc::new(NoClipboard),
    )
    .with_profiles(open);
    let mut answer = async || loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
            .await
            .expect("an answer within 30 s")
            .unwrap();
        if !matches!(msg, Msg::Notice(_)) {
            return msg;
        }
    };
    runner.run(Effect::PlanCopy {
        profile: "other".into(),
        group_id: source.id.clone(),
        only: None,
    });
    let plan = match answer().await {
        Msg::CopyPlanned {
            profile,
            result: Ok(planned),
        } if profile == "other" && !planned.read_only => planned.plan,
        other => panic!("{other:?}"),
    };
    assert_eq!(plan.counts(), [2, 0, 1, 0, 0], "{plan:?}");
    runner.run(Effect::ApplyCopy {
        profile: "other".into(),
        plan: Box::new(plan),
    });
    let mut told = Vec::new();
    let report = loop {
        match answer().await {
            Msg::Progress {
                work: Work::Copy,
                done,
                ..
            } => told.push(done),
            Msg::Copied {
                result: Ok(report), ..
            } => break report,
            other => panic!("{other:?}"),
        }
    };
    assert!(report.is_complete() && report.group_created, "{report:?}");
    assert_eq!(report.import.created.len(), 2, "{report:?}");
    assert_eq!(told.last(), Some(&2), "{told:?}");
    assert_eq!(
        opens.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the destination opened for the plan is the apply's"
    );
    let names: BTreeSet<String> = b
        .snapshot()
        .assets
        .values()
        .map(|s| s.asset.name.clone())
        .collect();
    assert_eq!(names, BTreeSet::from(["hero".into(), "side".into()]));
    let folder = std::env::temp_dir().join(format!(
        "ark-assets-tui-pull-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    runner.run(Effect::Pull {
        group_id: source.id.clone(),
        folder: folder.clone(),
    });
    let report = loop {
        match answer().await {
            Msg::Progress {
                work: Work::Pull, ..
            } => {}
            Msg::Pulled {
                result: Ok(report), ..
            } => break report,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        (report.downloaded.len(), report.skipped.len()),
        (2, 1),
        "{report:?}"
    );
    assert!(folder.join("hero.png").is_file() && folder.join("side.png").is_file());
    std::fs::remove_dir_all(&folder).unwrap();
}

/// A copy of some assets (the TUI's marked ones) plans only those: the destination's other
/// assets are neither extra nor deleted, and one no longer in the group is skipped, named.
#[tokio::test(flavor = "multi_thread")]
async fn a_copy_of_some_assets_leaves_the_destinations_others_alone() {
    use crate::support::plans;
    use ark_assets::catalog::copy::{CopyOptions, CopyStep};
    let (a, b) = (plans::start().await, plans::start().await);
    let source = plans::source(&a);
    plans::destination(&b);
    let gone = "asset-20260101000000-s0009";
    let opts = CopyOptions {
        delete: true,
        only: Some(BTreeSet::from([
            "asset-20260101000000-s0001".to_owned(),
            gone.to_owned(),
        ])),
        ..CopyOptions::default()
    };
    let plan = plans::catalog(&a, "a")
        .plan_copy(&source.id, &plans::catalog(&b, "b"), &opts)
        .await
        .unwrap();
    assert_eq!(plan.counts(), [1, 0, 1, 0, 0], "{plan:?}");
    assert!(plan.doomed().is_empty());
    assert!(
        matches!(&plan.steps[0], CopyStep::Create { source, name, .. }
            if source == "asset-20260101000000-s0001" && name == "side"),
        "{plan:?}"
    );
    assert_eq!(
        plan.steps[1].line(),
        format!("skip      {gone} (it is not in the group any more)")
    );
}

/// What `sync DIR --group GROUP --delete --dry-run` plans, as (action, file name, asset id)
/// rows, sorted: `unchanged`, `rename`, `duplicate`, `create`, `delete`.
async fn delete_plan(env: &Env, dir: &Path, group: &str) -> Vec<(String, String, String)> {
    let dir = dir.to_str().unwrap();
    let plan = env
        .json(&["sync", dir, "--group", group, "--delete", "--dry-run"])
        .await;
    let text = |row: &serde_json::Value, field: &str| row[field].as_str().unwrap_or("").to_owned();
    let mut rows: Vec<(String, String, String)> = plan["Rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let file = text(row, "File");
            let file = file.rsplit('/').next().unwrap_or("").to_owned();
            (text(row, "Action"), file, text(row, "Id"))
        })
        .collect();
    rows.sort();
    rows
}

/// A group holding three copies of one picture under their own names (made in the console,
/// or by `import --allow-duplicates`): pulled into a folder, a sync of it with `--delete`
/// plans nothing, with this ledger and on a machine without it; a copy's file renamed is
/// that copy renamed, not deleted.
#[tokio::test(flavor = "multi_thread")]
async fn copies_of_one_file_pulled_then_synced_with_delete_keep_every_asset() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Copies").await;
    let names = ["hero", "hero-copy", "hero 2"];
    env.seed_assets(&group, "copy", names.len(), |i| names[i].to_owned());
    let ids: Vec<String> = (0..names.len())
        .map(|i| format!("asset-20260101000000-copy{i:04}"))
        .collect();
    let out = env.data.join("pulled");
    let pulled = env.json(&["pull", "Copies", out.to_str().unwrap()]).await;
    assert_eq!(
        pulled["Downloaded"].as_array().unwrap().len(),
        3,
        "{pulled}"
    );
    let unchanged =
        |file: &str, i: usize| ("unchanged".to_owned(), file.to_owned(), ids[i].clone());
    let all_unchanged = vec![
        unchanged("hero 2.png", 2),
        unchanged("hero-copy.png", 1),
        unchanged("hero.png", 0),
    ];
    assert_eq!(delete_plan(&env, &out, "Copies").await, all_unchanged);
    // Pulled again: every file is in its place already.
    let again = env.json(&["pull", "Copies", out.to_str().unwrap()]).await;
    assert_eq!(again["Unchanged"].as_array().unwrap().len(), 3, "{again}");

    // Applied: nothing deleted, and the next plan is the same (what was learned holds).
    let args = [
        "sync",
        out.to_str().unwrap(),
        "--group",
        "Copies",
        "--delete",
        "--yes",
    ];
    env.ok(&args).await;
    assert_eq!(env.group_size(&group), 3);
    assert_eq!(delete_plan(&env, &out, "Copies").await, all_unchanged);

    // A copy's file renamed: that copy is renamed.
    std::fs::rename(out.join("hero-copy.png"), out.join("hero-b.png")).unwrap();
    let renamed = delete_plan(&env, &out, "Copies").await;
    assert!(
        renamed.contains(&("rename".to_owned(), "hero-b.png".to_owned(), ids[1].clone())),
        "{renamed:?}"
    );
    assert!(
        renamed.iter().all(|(action, ..)| action != "delete"),
        "{renamed:?}"
    );
    std::fs::rename(out.join("hero-b.png"), out.join("hero-copy.png")).unwrap();

    // Another machine: no ledger. Each copy's file is matched by its name.
    std::fs::remove_dir_all(env.data.join("ledger")).unwrap();
    let fresh = delete_plan(&env, &out, "Copies").await;
    assert!(
        fresh.iter().all(|(action, ..)| action != "delete"),
        "{fresh:?}"
    );
    assert_eq!(fresh.len(), 3, "{fresh:?}");
}
