//! Local files through the real binary: uploaded to a real S3 implementation (s3s-fs, in this
//! process), created from presigned URLs by the emulator, deduplicated by content, resumed after
//! a kill, cleaned up, and storage failures named plainly.

use crate::support::cli_env;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ark_assets::api::model::Action;
use ark_assets::emulator::Config;
use cli_env::Env;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

use cli_env::distinct_png;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn a_folder_is_checked_uploaded_created_deduplicated_and_cleaned_up() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    env.group("Heroes").await;
    let dir = env.data.join("pictures");
    std::fs::create_dir_all(dir.join("more")).unwrap();
    std::fs::copy(sample("portrait.png"), dir.join("hero.png")).unwrap();
    std::fs::copy(sample("portrait.jpg"), dir.join("villain.jpg")).unwrap();
    std::fs::copy(sample("edge-299x400.png"), dir.join("tiny.png")).unwrap();
    std::fs::copy(sample("not-an-image.html"), dir.join("notes.html")).unwrap();
    std::fs::copy(sample("portrait.webp"), dir.join("more/extra.webp")).unwrap();
    let dir_arg = dir.to_str().unwrap();

    // By exact group name; the folder's images, not its other files or sub-folders.
    let out = env
        .run(&["--json", "import", "--group", "Heroes", dir_arg])
        .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "one invalid file: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("tiny.png: Image \"299x400\": width is 299 px"),
        "{err}"
    );
    assert!(err.contains("notes.html: left out: not an image"), "{err}");
    assert!(
        err.contains("more: left out: folder (--recursive includes it)"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let created = report["Created"].as_array().unwrap();
    assert_eq!(created.len(), 2, "{report}");
    assert_eq!(created[0]["Name"], "hero");
    assert_eq!(
        created[0]["Bytes"],
        std::fs::metadata(sample("portrait.png")).unwrap().len()
    );
    assert_eq!(created[0]["Sha256"].as_str().unwrap().len(), 64);
    let group = env.json(&["groups", "list", "--name", "Heroes"]).await[0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.group_size(&group), 2);
    assert_eq!(env.puts(), 2);
    let assets = env.json(&["assets", "list", "--group", &group]).await;
    assert!(
        assets
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["Status"] == "Active"),
        "the emulator downloaded both presigned URLs: {assets}"
    );
    assert_eq!(
        env.objects(),
        0,
        "objects are deleted once their assets are done"
    );
    // The service keeps its own copy: the assets' files outlive the user's objects.
    for asset in assets.as_array().unwrap() {
        let url = asset["URL"].as_str().unwrap();
        let file = if asset["Name"] == "hero" {
            "portrait.png"
        } else {
            "portrait.jpg"
        };
        let body = reqwest::get(url).await.unwrap().bytes().await.unwrap();
        assert_eq!(body.as_ref(), std::fs::read(sample(file)).unwrap(), "{url}");
    }

    // The same content again: nothing uploaded, nothing created; --recursive adds the rest.
    let out = env.run(&["import", "--group", &group, "-r", dir_arg]).await;
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("1 created, 2 already imported"),
        "{summary}"
    );
    assert_eq!(env.group_size(&group), 3);
    assert_eq!(env.puts(), 3);

    // `assets create --file` of known content says so; --allow-duplicates makes another.
    let hero = dir.join("hero.png");
    let hero = hero.to_str().unwrap();
    let again = env
        .json(&["assets", "create", "--group", &group, "--file", hero])
        .await;
    assert_eq!(again["Status"], "existing");
    assert_eq!(env.group_size(&group), 3);
    let dup = env
        .json(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            hero,
            "--allow-duplicates",
            "--name",
            "hero again",
        ])
        .await;
    assert_eq!(dup["Status"], "created");
    assert_eq!(env.group_size(&group), 4);
}

#[tokio::test]
async fn an_import_killed_mid_way_resumes_without_duplicates_or_re_uploads() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("resume").await;
    let files = 40;
    let dir = cli_env::distinct_pngs(&env, "many", "f", files);
    let child = env
        .command(false)
        .args(["import", "--group", &group, dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    cli_env::kill_after_created(child, 10).await;
    let puts_before = env.puts();
    let during = env.group_size(&group);
    assert!(during >= 10 && during < files, "killed mid-way ({during})");
    let out = env
        .command(false)
        .args(["import", "--group", &group, dir.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.group_size(&group), files, "exactly one asset per file");
    let re_sent = env.puts() - puts_before;
    assert!(
        re_sent <= (files - during) as u64,
        "objects stored before the kill are not sent again ({re_sent} PUTs after it)"
    );
    assert_eq!(
        env.objects(),
        0,
        "a later run deletes what the killed one left"
    );
}

#[tokio::test]
async fn storage_failures_are_named_and_nothing_is_created() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("failures").await;
    let file = sample("portrait.png");
    // A wrong storage secret: refused before anything is uploaded or created.
    let config = std::fs::read_to_string(env.data.join("config.toml")).unwrap();
    let wrong = config.replace("storage-secret-key", "not-the-secret");
    ark_assets::files::write_private(&env.data.join("config.toml"), wrong.as_bytes()).unwrap();
    let out = env
        .run(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            file.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let url = &env.s3.as_ref().unwrap().url;
    assert!(
        err.contains(&format!("storage {url} bucket assets: access denied")),
        "{err}"
    );
    assert!(!err.contains("not-the-secret"), "{err}");
    // A bucket that does not exist.
    let missing = config.replace("bucket = \"assets\"", "bucket = \"nope\"");
    ark_assets::files::write_private(&env.data.join("config.toml"), missing.as_bytes()).unwrap();
    let out = env
        .run(&["import", "--group", &group, file.to_str().unwrap()])
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bucket nope: NoSuchBucket"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.group_size(&group), 0);
    // A presigned lifetime over 7 days is refused when the config is read.
    let long = config.replace(
        "path_style = true",
        "path_style = true\nurl_expiry = \"8d\"",
    );
    ark_assets::files::write_private(&env.data.join("config.toml"), long.as_bytes()).unwrap();
    let out = env.run(&["groups", "list"]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("storage url_expiry \"8d\""),
        "{}",
        stderr(&out)
    );
    // Prefixes that would leave the bucket's folder and names S3 forbids are refused too.
    for (line, field) in [
        ("prefix = \"../../x/\"", "storage prefix \"../../x/\""),
        ("prefix = \"/../../etc/\"", "storage prefix \"/../../etc/\""),
    ] {
        let bad = config.replace("path_style = true", &format!("path_style = true\n{line}"));
        ark_assets::files::write_private(&env.data.join("config.toml"), bad.as_bytes()).unwrap();
        let out = env.run(&["groups", "list"]).await;
        assert_eq!(out.status.code(), Some(4), "{line}");
        assert!(stderr(&out).contains(field), "{}", stderr(&out));
    }
    let bad = config.replace("bucket = \"assets\"", "bucket = \"My_Bucket\"");
    ark_assets::files::write_private(&env.data.join("config.toml"), bad.as_bytes()).unwrap();
    let out = env.run(&["groups", "list"]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        stderr(&out).contains("storage bucket \"My_Bucket\"")
            && stderr(&out).contains("lower-case"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.puts(), 0);
}

#[tokio::test]
async fn keep_leaves_the_objects() {
    let env = Env::start(Config::default())
        .await
        .with_storage("cleanup = \"keep\"\n")
        .await;
    let group = env.group("keep").await;
    let file = sample("portrait.png");
    env.ok(&[
        "assets",
        "create",
        "--group",
        &group,
        "--file",
        file.to_str().unwrap(),
        "--wait",
    ])
    .await;
    assert_eq!(env.objects(), 1);
}

fn media(name: &str) -> PathBuf {
    sample(&format!("media/{name}"))
}

#[tokio::test]
async fn videos_and_audio_are_typed_from_their_bytes_with_warnings_and_strict_checks() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Clips").await;
    let dir = env.data.join("clips");
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "h264-aac-24fps.mp4",
        "hevc-pcm.mov",
        "voice.wav",
        "voice-cbr.mp3",
        "long-16s.mp4",
        "fps-23.mp4",
        "voice.m4a",
    ] {
        std::fs::copy(media(name), dir.join(name)).unwrap();
    }
    // A video named like an image is a video, and the name is reported.
    std::fs::copy(media("hevc-mp3-60fps.mp4"), dir.join("still.png")).unwrap();

    let out = env
        .run(&["--json", "import", "--group", &group, dir.to_str().unwrap()])
        .await;
    assert_eq!(out.status.code(), Some(1), "two refused: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("fps-23.mp4: Video \"23 fps\": frame rate must be 24–60 fps"),
        "{err}"
    );
    assert!(
        err.contains("voice.m4a: Audio: is AAC audio in MP4"),
        "{err}"
    );
    assert!(
        err.contains("long-16s.mp4: warning: video is 16.0 s; seedance-2.0"),
        "{err}"
    );
    assert!(
        err.contains("still.png: warning: its name ends in .png but the content is video mp4"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let created = report["Created"].as_array().unwrap();
    let type_of = |name: &str| {
        let row = created
            .iter()
            .find(|r| r["Name"] == name)
            .unwrap_or_else(|| panic!("{name} not created: {report}"));
        (
            row["AssetType"].as_str().unwrap().to_owned(),
            row.get("Warnings").cloned(),
        )
    };
    assert_eq!(type_of("h264-aac-24fps").0, "Video");
    assert_eq!(type_of("hevc-pcm").0, "Video");
    assert_eq!(type_of("still").0, "Video");
    // voice.wav and voice.m4a share a stem: both take their whole file names.
    assert_eq!(type_of("voice.wav").0, "Audio");
    assert_eq!(type_of("voice-cbr").0, "Audio");
    let (_, warnings) = type_of("long-16s");
    assert!(warnings.unwrap()[0].as_str().unwrap().contains("2–15 s"));
    assert_eq!(created.len(), 6, "{report}");
    // The service's record says the type; `--type` filters by it.
    let videos = env
        .json(&["assets", "list", "--group", &group, "--type", "video"])
        .await;
    assert_eq!(videos.as_array().unwrap().len(), 4, "{videos}");
    assert!(
        videos
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["AssetType"] == "Video")
    );

    // --strict refuses what only warned; --model seedance-2.5 allows 16 s; --type must match.
    let long = media("long-16s.mp4");
    let long = long.to_str().unwrap();
    let strict = env
        .run(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            long,
            "--strict",
            "--allow-duplicates",
        ])
        .await;
    assert_eq!(strict.status.code(), Some(3), "{}", stderr(&strict));
    assert!(
        stderr(&strict).contains("Model \"seedance-2.0\": video is 16.0 s"),
        "{}",
        stderr(&strict)
    );
    let v25 = env
        .json(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            long,
            "--strict",
            "--model",
            "seedance-2.5",
            "--allow-duplicates",
        ])
        .await;
    assert_eq!(v25["AssetType"], "Video");
    assert_eq!(v25["Warnings"], serde_json::json!([]));
    let wrong = env
        .run(&[
            "assets", "create", "--group", &group, "--file", long, "--type", "audio",
        ])
        .await;
    assert_eq!(wrong.status.code(), Some(3));
    assert!(
        stderr(&wrong).contains("Type \"Audio\": the content is video"),
        "{}",
        stderr(&wrong)
    );
}

#[tokio::test]
async fn a_video_url_is_probed_before_and_after_it_becomes_an_asset() {
    let env = Env::start(Config::default()).await;
    let group = env.group("Clips").await;
    let url = env.emu.sample_url("media/moov-at-end.mp4");
    let created = env
        .json(&[
            "assets", "create", "--group", &group, "--url", &url, "--wait",
        ])
        .await;
    let id = created[0]["Id"]
        .as_str()
        .or(created["Id"].as_str())
        .unwrap()
        .to_owned();
    let got = env.json(&["assets", "get", &id, "--probe"]).await;
    assert_eq!(got["AssetType"], "Video");
    assert_eq!(got["Status"], "Active");
    assert_eq!(got["Probe"]["FrameRate"], "30 fps");
    assert_eq!(got["Probe"]["Resolution"], "640x640");
    assert_eq!(got["Probe"]["VideoCodec"], "H.264");
    let shown = env.ok(&["assets", "get", &id, "--probe"]).await;
    assert!(shown.contains("Duration     3.00 s"), "{shown}");
    // A URL whose content breaks a video rule is refused before anything is sent.
    let bad = env.emu.sample_url("media/fps-23.mp4");
    let out = env
        .run(&["assets", "create", "--group", &group, "--url", &bad])
        .await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("frame rate must be 24–60 fps"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn fit_pads_crops_and_scales_images_instead_of_refusing_them() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Fitted").await;
    let dir = env.data.join("to-fit");
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "edge-2500x1000.png",
        "edge-6000x3000.png",
        "edge-299x400.png",
        "portrait.png",
    ] {
        std::fs::copy(sample(name), dir.join(name)).unwrap();
    }
    let dir_arg = dir.to_str().unwrap();
    // Without --fit, two are refused (ratio, side) besides the tiny one.
    let plain = env
        .run(&["--json", "import", "--group", &group, dir_arg])
        .await;
    let report: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(report["Invalid"].as_array().unwrap().len(), 3, "{report}");

    let out = env
        .run(&["--json", "import", "--group", &group, "--fit", dir_arg])
        .await;
    let err = stderr(&out);
    assert!(
        err.contains("edge-2500x1000.png: warning: fitted: padded 2500x1000 → 2500x1001"),
        "{err}"
    );
    assert!(
        err.contains("edge-6000x3000.png: warning: fitted: scaled 6000x3000 → 5999x2999"),
        "{err}"
    );
    assert!(err.contains("edge-299x400.png: Image"), "{err}");
    assert!(err.contains("not scaled up"), "{err}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let created: Vec<&str> = report["Created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Name"].as_str().unwrap())
        .collect();
    assert_eq!(created, ["edge-2500x1000", "edge-6000x3000"], "{report}");
    assert_eq!(
        report["Already"].as_array().unwrap().len(),
        1,
        "portrait was imported before"
    );

    // --fit=crop cuts instead; the fitted file is what is uploaded, so the service sees a
    // ratio strictly inside (0.4, 2.5).
    let tall = sample("edge-400x1000.png");
    let cropped = env
        .json(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            tall.to_str().unwrap(),
            "--fit=crop",
        ])
        .await;
    assert_eq!(cropped["Warnings"][0], "fitted: cropped 400x1000 → 400x999");
    assert_eq!(cropped["Status"], "created");
}

/// The object a file's content is stored under in the test bucket.
fn object_path(env: &Env, file: &Path) -> PathBuf {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(std::fs::read(file).unwrap()));
    let s3 = env.s3.as_ref().unwrap();
    s3.root.join("assets/ark-assets").join(format!("{sha}.png"))
}

#[tokio::test]
async fn only_the_files_own_bytes_become_an_asset() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("bytes").await;
    let file = distinct_png(&env.data, "own-bytes");
    let create = ["assets", "create", "--group", &group, "--wait", "--file"];
    // An interrupted upload of a file that changed meanwhile left other bytes of the same size
    // under the file's hash: they are not taken for the file.
    let object = object_path(&env, &file);
    std::fs::create_dir_all(object.parent().unwrap()).unwrap();
    std::fs::write(
        &object,
        vec![0u8; std::fs::metadata(&file).unwrap().len() as usize],
    )
    .unwrap();
    let mut args = create.to_vec();
    args.push(file.to_str().unwrap());
    let out = env.run(&args).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Active"));
    assert_eq!(env.puts(), 1, "uploaded again");
    // The asset fails later (as a service may decide): its content does not block creating it
    // again from the file.
    let first = env.json(&["assets", "list", "--group", &group]).await[0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.emu.edit(|store, _| {
        store.assets.get_mut(&first).unwrap().asset.status = ark_assets::api::model::Status::Failed;
    });
    let out = env.run(&args).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("already has this content"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.group_size(&group), 2, "created again");
    // A store that answers a PUT with success and keeps nothing: no asset is made of it.
    env.s3
        .as_ref()
        .unwrap()
        .faults
        .drop_puts
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let other = distinct_png(&env.data, "dropped");
    let out = env
        .run(&[
            "assets",
            "create",
            "--group",
            &group,
            "--file",
            other.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holds nothing under its key"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.group_size(&group), 2, "nothing created");
}

#[tokio::test]
async fn a_file_named_with_terminal_sequences_is_shown_escaped() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("escapes").await;
    // A PNG named as a JPEG, its name holding an OSC 8 link, a bell and a clear-screen.
    let name = "\u{1b}]8;;evil.example\u{7}x\u{1b}]8;;\u{7}\u{1b}[2J.jpg";
    let file = env.data.join(name);
    std::fs::copy(sample("portrait.png"), &file).unwrap();
    let args = [
        "assets",
        "create",
        "--group",
        &group,
        "--name",
        "clean",
        "--file",
        file.to_str().unwrap(),
    ];
    for _ in 0..2 {
        // The second time the group already has the content: said with the path too.
        let out = env.run(&args).await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("its name ends in .jpg"), "{err}");
        assert!(err.contains("\\x1b]8;;evil.example\\x07"), "{err}");
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    }
    assert!(stderr(&env.run(&args).await).contains("already has this content"));
}

/// Waits (at most 30 s) until `done` holds, checking every 50 ms; panics naming `what`.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "{what} within 30 s");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The TUI cleans up as the CLI does, in the background: the object of a file it uploaded is
/// deleted once its asset is Active, and at its start it deletes what an earlier run left.
#[tokio::test]
async fn the_tui_deletes_uploaded_objects_once_their_assets_are_active() {
    use ark_assets::api::{Addressing, Client, ClientOptions};
    use ark_assets::app::effects::Clipboard;
    use ark_assets::app::{Effect, Msg, Runner};
    use ark_assets::catalog::import::Source;
    struct NoClipboard;
    impl Clipboard for NoClipboard {
        fn copy(&self, _: &str) {}
    }
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("tui uploads").await;
    let catalog = || {
        let client = Client::new(
            env.emu.domestic_endpoint(Addressing::ActionQuery),
            ClientOptions::default(),
        );
        let ledger = ark_assets::ledger::Ledger::at(&env.data.join("tui.sqlite"));
        let s3 = env.s3.as_ref().unwrap().config("assets");
        let storage = ark_assets::storage::Storage::new(&s3, ark_assets::http::client(|b| b));
        ark_assets::catalog::Catalog::new(client, std::sync::Arc::new(ledger))
            .with_storage(storage.unwrap())
    };
    let status = |id: &str| env.emu.snapshot().assets[id].asset.status;
    let active = ark_assets::api::model::Status::Active;

    // The `n` dialog's upload: created, then its object deleted once the asset is Active.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(catalog(), tx, std::sync::Arc::new(NoClipboard));
    runner.run(Effect::AddAsset {
        group_id: group.clone(),
        source: Source::File(distinct_png(&env.data, "tui-added")),
        name: String::new(),
        fit: None,
    });
    let id = loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
            .await
            .expect("the create is answered")
            .unwrap();
        if let Msg::AssetCreated { result, .. } = msg {
            break result.unwrap().id;
        }
    };
    until("the upload's object deleted", || env.objects() == 0).await;
    assert_eq!(status(&id), active, "deleted once its asset is Active");

    // An earlier run left an object (its asset done): the TUI's start deletes it.
    let add = ark_assets::catalog::add::Add {
        source: Source::File(distinct_png(&env.data, "left-behind")),
        name: None,
        checks: Default::default(),
        allow_duplicates: false,
    };
    let http = ark_assets::http::client(|b| b);
    let earlier = catalog();
    let left = earlier.add(&group, add, &http, std::sync::Arc::new(|_, _| {}));
    let left = left.await.unwrap().id;
    until("the earlier run's asset Active", || status(&left) == active).await;
    assert_eq!(env.objects(), 1, "left by the earlier run");
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(catalog(), tx, std::sync::Arc::new(NoClipboard));
    runner.run(Effect::CleanUploads);
    until("the earlier run's object deleted", || env.objects() == 0).await;
}

/// The clean-up after an import reads many Processing uploads of a group by listing the group:
/// twelve files Processing 3 s are each read once, then the group is listed about once a second
/// until they are Active (not a GetAsset each every second), and every object is deleted.
#[tokio::test]
async fn the_clean_up_lists_a_group_of_many_uploads_instead_of_reading_each() {
    let env = Env::start(Config {
        processing: (Duration::from_secs(3), Duration::from_secs(3)),
        ..Config::default()
    })
    .await
    .with_storage("")
    .await;
    let group = env.group("Many").await;
    let dir = cli_env::distinct_pngs(&env, "many", "m", 12);
    let asked = |action| env.emu.stats().requests.get(&action).copied().unwrap_or(0);
    let before = [asked(Action::GetAsset), asked(Action::ListAssets)];
    let out = env
        .run(&["import", "--group", &group, dir.to_str().unwrap()])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.objects(),
        0,
        "every object deleted once its asset is Active"
    );
    let read = asked(Action::GetAsset) - before[0];
    let listed = asked(Action::ListAssets) - before[1];
    println!("the import and its clean-up: GetAsset {read}, ListAssets {listed}");
    // Each read once; at most the last few of them read again one by one. A GetAsset each
    // every second for 3 s would be 48.
    assert!((12..=22).contains(&read), "{read} GetAsset");
    assert!(listed >= 1, "the group listed");
}

#[tokio::test]
async fn each_provider_s_reported_video_and_audio_figures_warn() {
    let env = Env::start(Config::default()).await.with_storage("").await;
    let group = env.group("Clips").await;
    let path = env.data.join("config.toml");
    let plain = std::fs::read_to_string(&path).unwrap();
    let with_provider = |provider: &str| {
        let config = plain.replacen(
            "[profiles.default]\n",
            &format!("[profiles.default]\nprovider = \"{provider}\"\nregion = \"cn-beijing\"\n"),
            1,
        );
        ark_assets::files::write_private(&path, config.as_bytes()).unwrap();
    };
    let create = |file: &'static str| {
        let file = media(file);
        let group = group.clone();
        let env = &env;
        async move {
            let args = ["assets", "create", "--group", &group, "--file"];
            let mut args: Vec<&str> = args.to_vec();
            args.push(file.to_str().unwrap());
            args.extend(["--model", "seedance-2.5"]);
            env.run(&args).await
        }
    };
    with_provider("volcengine");
    let out = create("long-16s.mp4").await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("video is 16.0 s; Volcengine is reported to take videos of 2–15 s"),
        "{}",
        stderr(&out)
    );
    with_provider("byteplus");
    let out = create("long-16s.mp4").await;
    assert!(
        !stderr(&out).contains("reported to take"),
        "16 s is in BytePlus's 2–30 s: {}",
        stderr(&out)
    );
    let out = create("short-1s.mp4").await;
    assert!(
        stderr(&out).contains("BytePlus is reported to take videos of 2–30 s"),
        "{}",
        stderr(&out)
    );
}
