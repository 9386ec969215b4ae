//! Seedance tasks from assets: the request body against spec 14's shapes, every refusal made
//! before anything is sent, a lost create answer looked for and never sent again, and the
//! real binary end to end on the emulator (create → wait → download → an MP4 on disk).

use std::sync::Arc;
use std::time::Duration;

use ark_assets::api::model::Status;
use ark_assets::api::{Client, ClientOptions};
use ark_assets::catalog::Catalog;
use ark_assets::catalog::tasks::{TaskAsk, TaskError};
use ark_assets::emulator::copies::AssetFile;
use ark_assets::emulator::tasks::DEMO_DATA_KEY;
use ark_assets::emulator::{Config, Emulator};
use ark_assets::seedance::{Seedance, SeedanceOptions};
use secrecy::SecretString;

use crate::support::cli_env::{Env, stored_image};
use crate::support::stub::{Reply, Stub};

const MODEL: &str = "doubao-seedance-2-0-260128";

/// Puts an asset of `kind` (`Image`, `Video`, `Audio`) into the store, made from `sample`.
fn put(emu: &Emulator, id: &str, kind: &str, sample: &str, status: Status, project: &str) {
    emu.edit(|store, now| {
        let mut a = stored_image(id, &format!("{id}-name"), "group-1", now);
        a.asset.asset_type = kind.to_owned();
        a.asset.status = status;
        a.asset.project_name = project.to_owned();
        a.file = Some(AssetFile::Sample(sample.to_owned()));
        store.assets.insert(id.to_owned(), a);
    });
}

/// The assets the tests use.
fn seed(emu: &Emulator) {
    put(
        emu,
        "asset-img1",
        "Image",
        "portrait.png",
        Status::Active,
        "default",
    );
    put(
        emu,
        "asset-img2",
        "Image",
        "portrait.jpg",
        Status::Active,
        "default",
    );
    put(
        emu,
        "asset-vid1",
        "Video",
        "media/h264-aac-24fps.mp4",
        Status::Active,
        "default",
    );
    put(
        emu,
        "asset-long",
        "Video",
        "media/long-16s.mp4",
        Status::Active,
        "default",
    );
    put(
        emu,
        "asset-aud1",
        "Audio",
        "media/voice.wav",
        Status::Active,
        "default",
    );
    put(
        emu,
        "asset-busy",
        "Image",
        "portrait.png",
        Status::Processing,
        "default",
    );
    put(
        emu,
        "asset-bad",
        "Image",
        "portrait.png",
        Status::Failed,
        "default",
    );
    put(
        emu,
        "asset-theirs",
        "Image",
        "portrait.png",
        Status::Active,
        "elsewhere",
    );
}

/// A catalog reaching the emulator's asset API and the data plane at `data` (`…/api/v3`).
fn catalog(emu: &Emulator, data: &str, options: SeedanceOptions) -> Catalog {
    let client = Client::new(
        emu.domestic_endpoint(ark_assets::api::Addressing::ActionQuery),
        ClientOptions::default(),
    );
    let ledger = std::env::temp_dir().join(format!(
        "ark-assets-tasks-{}-{:08x}.sqlite",
        std::process::id(),
        rand::random::<u32>()
    ));
    let http = ark_assets::http::Http::from(ark_assets::http::client(|b| b));
    let seedance = Seedance::new(
        data.parse().unwrap(),
        SecretString::from(DEMO_DATA_KEY),
        http,
    )
    .with_options(options);
    Catalog::new(client, Arc::new(ark_assets::ledger::Ledger::at(&ledger)))
        .with_tasks(Some(seedance), Default::default())
}

/// The emulator with the test's assets, and a catalog reaching its data plane.
async fn seeded() -> (Emulator, Catalog) {
    let emu = Emulator::start(Config::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    seed(&emu);
    let cat = catalog(
        &emu,
        &format!("{}/api/v3", emu.url),
        SeedanceOptions::default(),
    );
    (emu, cat)
}

fn ask(assets: &[&str]) -> TaskAsk {
    TaskAsk {
        assets: assets.iter().map(|s| s.to_string()).collect(),
        prompt: "Image 1 dances to Audio 1".into(),
        model: MODEL.into(),
        duration: Some(5),
        ..TaskAsk::default()
    }
}

#[tokio::test]
async fn the_request_is_ordered_text_images_videos_audios_with_roles_beside_types() {
    let (_emu, cat) = seeded().await;
    let plan = cat
        .plan_task(&ask(&[
            "asset-aud1",
            "asset-vid1",
            "asset-img2",
            "asset-img1",
        ]))
        .await
        .unwrap();
    let body = serde_json::to_string(&plan.request).unwrap();
    assert_eq!(
        body,
        format!(
            "{{\"model\":\"{MODEL}\",\"content\":[\
             {{\"type\":\"text\",\"text\":\"Image 1 dances to Audio 1\"}},\
             {{\"type\":\"image_url\",\"role\":\"reference_image\",\"image_url\":{{\"url\":\"asset://asset-img2\"}}}},\
             {{\"type\":\"image_url\",\"role\":\"reference_image\",\"image_url\":{{\"url\":\"asset://asset-img1\"}}}},\
             {{\"type\":\"video_url\",\"role\":\"reference_video\",\"video_url\":{{\"url\":\"asset://asset-vid1\"}}}},\
             {{\"type\":\"audio_url\",\"role\":\"reference_audio\",\"audio_url\":{{\"url\":\"asset://asset-aud1\"}}}}\
             ],\"duration\":5}}"
        )
    );
    let legend: Vec<String> = plan.legend.iter().map(|r| r.line()).collect();
    assert_eq!(
        legend,
        [
            "Image 1 = asset-img2-name (asset-img2)",
            "Image 2 = asset-img1-name (asset-img1)",
            "Video 1 = asset-vid1-name (asset-vid1)",
            "Audio 1 = asset-aud1-name (asset-aud1)",
        ]
    );
    assert!(
        plan.legend[2].seconds.is_some(),
        "the video's length is read"
    );
    // The emulator takes what was built, as the service would.
    let made = cat.create_task(&plan).await.unwrap();
    assert!(made.id.starts_with("cgt-") && !made.looked_up);

    let mut frames = ask(&[]);
    frames.first_frame = Some("asset-img1".into());
    frames.last_frame = Some("asset-img2".into());
    let plan = cat.plan_task(&frames).await.unwrap();
    let content = serde_json::to_value(&plan.request).unwrap()["content"].clone();
    assert_eq!(content[1]["role"], "first_frame");
    assert_eq!(content[2]["role"], "last_frame");
    assert_eq!(content[2]["image_url"]["url"], "asset://asset-img2");
}

/// `ask` is refused before anything is sent, with a line containing `says`.
async fn refused(cat: &Catalog, emu: &Emulator, ask: TaskAsk, says: &str) {
    match cat.plan_task(&ask).await {
        Err(TaskError::Refused(lines)) => {
            assert!(
                lines.iter().any(|l| l.contains(says)),
                "{lines:?} lacks {says:?}"
            )
        }
        other => panic!("{ask:?} was not refused: {other:?}"),
    }
    assert_eq!(emu.stats().tasks.get("create"), None, "nothing was sent");
}

#[tokio::test]
async fn every_refusal_comes_before_anything_is_sent() {
    let (emu, cat) = seeded().await;
    refused(&cat, &emu, ask(&["asset-busy"]), "asset-busy is Processing").await;
    refused(&cat, &emu, ask(&["asset-bad"]), "asset-bad is Failed").await;
    refused(&cat, &emu, ask(&["asset-gone"]), "no such asset").await;
    refused(&cat, &emu, ask(&["asset-theirs"]), "no such asset").await;
    refused(&cat, &emu, ask(&["asset-aud1"]), "audio alone").await;
    refused(
        &cat,
        &emu,
        ask(&["asset-vid1", "asset-long"]),
        "takes at most 15 s",
    )
    .await;
    let ten: Vec<String> = (0..10).map(|i| format!("asset-many{i}")).collect();
    for id in &ten {
        put(&emu, id, "Image", "portrait.png", Status::Active, "default");
    }
    let many: Vec<&str> = ten.iter().map(String::as_str).collect();
    refused(
        &cat,
        &emu,
        ask(&many),
        "10 images given: Seedance 2.0 takes at most 9",
    )
    .await;
    let mut mixed = ask(&["asset-img1"]);
    mixed.first_frame = Some("asset-img2".into());
    refused(&cat, &emu, mixed, "a mode of their own").await;
    let mut frame = ask(&[]);
    frame.first_frame = Some("asset-vid1".into());
    refused(&cat, &emu, frame, "not an image").await;
    let mut long = ask(&["asset-img1"]);
    long.duration = Some(20);
    refused(&cat, &emu, long, "4–15 s").await;
    let mut empty = ask(&["asset-img1"]);
    empty.prompt = " ".into();
    refused(&cat, &emu, empty, "--prompt is empty").await;
    // 2.5 takes what 2.0 refuses.
    let mut wider = ask(&many);
    wider.model = "doubao-seedance-2-5-260628".into();
    wider.duration = Some(-1);
    assert!(cat.plan_task(&wider).await.is_ok());
}

#[tokio::test]
async fn a_lost_create_answer_is_looked_for_and_never_sent_again() {
    let emu = Emulator::start(Config::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    seed(&emu);
    let stub = Stub::start(Reply::json(500, "{}")).await;
    let options = SeedanceOptions {
        call_timeout: Duration::from_millis(300),
        retry_wait: Duration::from_millis(10),
        ..SeedanceOptions::default()
    };
    let cat = catalog(&emu, &format!("{}/api/v3", stub.url), options);
    let plan = cat.plan_task(&ask(&["asset-img1"])).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    stub.push(Reply::json(200, r#"{"id":"cgt-lost"}"#).delayed(Duration::from_secs(5)));
    stub.push(Reply::json(
        200,
        &format!(
            r#"{{"total":2,"items":[{{"id":"cgt-found","model":"{MODEL}","status":"queued","created_at":{now}}},
            {{"id":"cgt-old","model":"{MODEL}","status":"succeeded","created_at":{}}}]}}"#,
            now - 3600
        ),
    ));
    let made = cat.create_task(&plan).await.unwrap();
    assert_eq!(made.id, "cgt-found");
    assert!(made.looked_up);
    let sent = stub.requests();
    let posts: Vec<_> = sent.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 1, "sent once");
    assert_eq!(posts[0].path, "/api/v3/contents/generations/tasks");
    assert_eq!(
        posts[0].header("authorization"),
        format!("Bearer {DEMO_DATA_KEY}")
    );
    let body: serde_json::Value = serde_json::from_slice(&posts[0].body).unwrap();
    assert_eq!(body["content"][1]["image_url"]["url"], "asset://asset-img1");

    // Nothing like it in the recent tasks: said, and still not sent again.
    stub.push(Reply::json(200, r#"{"id":"cgt-lost"}"#).delayed(Duration::from_secs(5)));
    stub.push(Reply::json(200, r#"{"total":0,"items":[]}"#));
    match cat.create_task(&plan).await {
        Err(TaskError::Unsettled { candidates, .. }) => assert_eq!(candidates, Some(vec![])),
        other => panic!("{other:?}"),
    }
    let posts = stub
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 2, "one create each time, none re-sent");
}

#[tokio::test]
async fn service_errors_carry_their_code_and_request_id() {
    let emu = Emulator::start(Config::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let cat = catalog(
        &emu,
        &format!("{}/api/v3", emu.url),
        SeedanceOptions::default(),
    );
    let text = cat.get_task("cgt-nope").await.unwrap_err().to_string();
    assert!(text.contains("ResourceNotFound"), "{text}");
    assert!(text.contains("HTTP 404, request id "), "{text}");
}

/// The binary's environment with a profile whose data plane is the emulator's.
fn tasks_profile(env: &Env) {
    let config = format!(
        "[profiles.default]\nark_api_key = \"{DEMO_DATA_KEY}\"\ndata_endpoint = \"{}/api/v3\"\n\n\
         [profiles.default.tasks]\npoll_seconds = 2\n",
        env.emu.url
    );
    ark_assets::files::write_private(&env.data.join("config.toml"), config.as_bytes()).unwrap();
}

/// The binary's environment against a seeded emulator whose tasks take 400 ms, its profile's
/// data plane the emulator's.
async fn tasks_env() -> Env {
    let env = Env::start(Config {
        task_time: Duration::from_millis(400),
        ..Config::default()
    })
    .await;
    seed(&env.emu);
    tasks_profile(&env);
    env
}

#[tokio::test]
async fn create_wait_and_download_end_to_end() {
    let env = tasks_env().await;
    let out = env.data.join("made.mp4");
    let out_arg = out.display().to_string();
    let run = env
        .run(&[
            "tasks",
            "create",
            "--asset",
            "Asset://asset-img1",
            "--asset",
            "asset-vid1",
            "--prompt",
            "Image 1 walks",
            "--out",
            &out_arg,
        ])
        .await;
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Image 1 = asset-img1-name (asset-img1)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Video 1 = asset-vid1-name (asset-vid1)"),
        "{stderr}"
    );
    let video = std::fs::read(&out).unwrap();
    assert_eq!(&video[4..8], b"ftyp", "an MP4 on disk");
    let tasks = env.json(&["tasks", "list", "--status", "succeeded"]).await;
    let id = tasks[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(tasks.as_array().unwrap().len(), 1);

    // Never overwritten unasked; --force replaces it.
    let again = env
        .run(&["tasks", "download", &id, "--out", &out_arg])
        .await;
    assert_eq!(again.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    env.ok(&["tasks", "download", &id, "--out", &out_arg, "--force"])
        .await;
    // A finished task cannot be cancelled; a missing asset refuses before sending.
    assert_eq!(
        env.run(&["tasks", "cancel", &id]).await.status.code(),
        Some(3)
    );
    let missing = env
        .run(&["tasks", "create", "--asset", "asset-gone", "--prompt", "x"])
        .await;
    assert_eq!(missing.status.code(), Some(3));
    assert_eq!(env.emu.stats().tasks.get("create"), Some(&1));
    // With --json, one document says it all.
    let second = env.data.join("second.mp4").display().to_string();
    let made = env
        .json(&[
            "tasks",
            "create",
            "--asset",
            "asset-img1",
            "--prompt",
            "p",
            "--out",
            &second,
        ])
        .await;
    assert_eq!(made["task"]["status"], "succeeded");
    assert_eq!(made["legend"][0]["label"], "Image 1");
    assert_eq!(made["download"]["bytes"], video.len());
    // `wait` of a task made to fail exits 1 with the service's error.
    let failing = env
        .ok(&[
            "tasks",
            "create",
            "--asset",
            "asset-img1",
            "--prompt",
            "[fail] now",
        ])
        .await;
    let waited = env.run(&["tasks", "wait", failing.trim()]).await;
    assert_eq!(waited.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&waited.stdout).contains("failed"));
}

/// `tasks create --wait` and `tasks wait` say a task's end once: the result's line on stdout,
/// not a progress line on stderr as well.
#[tokio::test]
async fn a_waited_task_says_its_end_once() {
    let env = tasks_env().await;
    let said = |out: &std::process::Output, id: &str| {
        let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        all.matches(&format!("{id}  succeeded")).count()
    };
    let args = ["tasks", "create", "--asset", "asset-img1", "--prompt", "p"];
    let created = env.run(&[&args[..], &["--wait"]].concat()).await;
    assert_eq!(created.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&created.stderr);
    let id = stderr
        .split_once("created ")
        .and_then(|(_, rest)| rest.split(';').next())
        .unwrap_or_else(|| panic!("no created line: {stderr}"))
        .to_owned();
    assert_eq!(said(&created, &id), 1, "{stderr}");
    assert!(
        String::from_utf8_lossy(&created.stdout).contains(&format!("{id}  succeeded")),
        "the end is the result, on stdout"
    );
    let waited = env.run(&["tasks", "wait", &id]).await;
    assert_eq!(waited.status.code(), Some(0));
    assert_eq!(said(&waited, &id), 1);
}

#[tokio::test]
async fn a_queued_task_is_cancelled_and_video_links_expire() {
    let env = Env::start(Config {
        task_time: Duration::from_secs(3600),
        task_link_lifetime: chrono::TimeDelta::seconds(-5),
        ..Config::default()
    })
    .await;
    seed(&env.emu);
    tasks_profile(&env);
    let id = env
        .ok(&["tasks", "create", "--asset", "asset-img1", "--prompt", "x"])
        .await;
    let cancelled = env.json(&["tasks", "cancel", id.trim()]).await;
    assert_eq!(cancelled["status"], "cancelled");
    // A finished task's link that has expired says why.
    env.emu.edit(|store, _| {
        let task = store.tasks.get_mut(id.trim()).unwrap();
        task.cancelled_ms = None;
        task.phases_ms = (0, 0);
    });
    let out = env.data.join("late.mp4").display().to_string();
    let late = env
        .run(&["tasks", "download", id.trim(), "--out", &out])
        .await;
    assert_eq!(late.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&late.stderr);
    assert!(stderr.contains("expire 24 h after"), "{stderr}");
    assert!(!std::path::Path::new(&out).exists());
}

#[tokio::test]
async fn listings_are_read_to_their_end_and_many_tasks_are_followed_by_listing() {
    let emu = Emulator::start(
        Config {
            task_time: Duration::from_millis(600),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    seed(&emu);
    let now = chrono::Utc::now().timestamp_millis();
    emu.edit(|store, _| {
        for i in 0..120 {
            let task = ark_assets::emulator::tasks::StoredTask {
                id: format!("cgt-old-{i:03}"),
                project: "default".into(),
                model: MODEL.into(),
                created_ms: now - 3_600_000 + i,
                phases_ms: (0, 0),
                fails: false,
                cancelled_ms: None,
                ratio: None,
                resolution: None,
                duration: None,
                generate_audio: None,
            };
            store.tasks.insert(task.id.clone(), task);
        }
    });
    let options = SeedanceOptions {
        spacing: Duration::from_millis(1),
        ..SeedanceOptions::default()
    };
    let cat = catalog(&emu, &format!("{}/api/v3", emu.url), options);
    let all = cat.list_tasks(None).await.unwrap();
    assert_eq!(all.len(), 120, "every page read");
    assert_eq!(all[0].id, "cgt-old-119", "newest first");
    assert_eq!(emu.stats().tasks.get("list"), Some(&3));

    let plan = cat.plan_task(&ask(&["asset-img1"])).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(cat.create_task(&plan).await.unwrap().id);
    }
    let poll = ark_assets::catalog::tasks::TaskPoll {
        every: Duration::from_millis(100),
        most: Duration::from_millis(400),
    };
    let mut seen = 0;
    let waited = cat
        .wait_tasks(&ids, Duration::from_secs(60), poll, &mut |_| seen += 1)
        .await
        .unwrap();
    assert!(!waited.timed_out);
    assert!(
        waited
            .tasks
            .values()
            .all(|t| t.status == ark_assets::seedance::TaskStatus::Succeeded)
    );
    assert!(seen >= 5, "each task told at least once");
    assert_eq!(
        emu.stats().tasks.get("get"),
        None,
        "one listing a round, no GET per task"
    );
}

/// The TUI's effects on the emulator: the form's legend read, a refusal before sending, a
/// task created, followed by rounds of the poll until it succeeds, its video downloaded (with
/// progress) and a cancel of a finished task refused; every answer goes through `update`.
#[tokio::test]
async fn the_tuis_effects_plan_create_follow_download_and_cancel_a_task() {
    use ark_assets::app::{Effect, Msg, Runner, update};
    struct NoClipboard;
    impl ark_assets::app::effects::Clipboard for NoClipboard {
        fn copy(&self, _: &str) {}
    }
    let config = Config {
        task_time: Duration::from_millis(300),
        ..Config::default()
    };
    let emu = Emulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    seed(&emu);
    let cat = catalog(
        &emu,
        &format!("{}/api/v3", emu.url),
        SeedanceOptions::default(),
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(cat, tx, Arc::new(NoClipboard));
    let mut state = crate::support::fixtures::fresh((80, 24));
    state.tasks = ark_assets::app::tasks::Tasks::new(Some(Default::default()));
    let next = async |rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>| -> Msg {
        tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("an answer in time")
            .unwrap()
    };
    let answer = async |rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>, effect: Effect| {
        runner.run(effect);
        next(rx).await
    };

    let Msg::TaskPlanned(Ok(plan)) = answer(
        &mut rx,
        Effect::PlanTask(TaskAsk {
            prompt: String::new(),
            ..ask(&["asset-img1", "asset-aud1"])
        }),
    )
    .await
    else {
        panic!("no legend");
    };
    let legend: Vec<String> = plan.legend.iter().map(|r| r.line()).collect();
    assert_eq!(legend[0], "Image 1 = asset-img1-name (asset-img1)");
    assert_eq!(legend[1], "Audio 1 = asset-aud1-name (asset-aud1)");

    let refused = answer(&mut rx, Effect::CreateTask(ask(&["asset-busy"]))).await;
    let Msg::TaskCreated(Err(TaskError::Refused(problems))) = refused else {
        panic!("not refused: {refused:?}");
    };
    assert!(problems[0].contains("Processing"), "{problems:?}");

    let Msg::TaskCreated(Ok(submitted)) =
        answer(&mut rx, Effect::CreateTask(ask(&["asset-img1"]))).await
    else {
        panic!("not created");
    };
    let id = submitted.id.clone();
    let mut effects = update(&mut state, Msg::TaskCreated(Ok(submitted)));
    // Rounds of the poll until the task has finished (the emulator's task takes 300 ms).
    for round in 0.. {
        assert!(round < 200, "the task never finished");
        let Some(Effect::PollTasks(ids)) = effects.pop() else {
            break;
        };
        assert_eq!(ids, vec![id.clone()]);
        let polled = answer(&mut rx, Effect::PollTasks(ids)).await;
        update(&mut state, polled);
        effects = state
            .tasks
            .unfinished()
            .is_empty()
            .then(Vec::new)
            .unwrap_or_else(|| vec![Effect::PollTasks(state.tasks.unfinished())]);
    }
    let task = state.tasks.current().unwrap().clone();
    assert_eq!(
        (task.id.as_str(), task.status.name()),
        (id.as_str(), "succeeded")
    );
    assert!(task.video_url().is_some());

    let out = std::env::temp_dir().join(format!(
        "ark-assets-tui-task-{}-{:08x}.mp4",
        std::process::id(),
        rand::random::<u32>()
    ));
    runner.run(Effect::DownloadTask {
        id: id.clone(),
        path: out.clone(),
    });
    let mut progressed = false;
    let downloaded = loop {
        match next(&mut rx).await {
            Msg::TaskDownloading { bytes, .. } => progressed |= bytes > 0,
            Msg::TaskDownloaded { result, .. } => break result.unwrap(),
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(progressed, "progress was told");
    assert_eq!(downloaded.path, out);
    assert_eq!(std::fs::metadata(&out).unwrap().len(), downloaded.bytes);
    std::fs::remove_file(&out).unwrap();

    let Msg::TaskCancelled { result, .. } = answer(&mut rx, Effect::CancelTask(id)).await else {
        panic!("no answer to the cancel");
    };
    assert!(matches!(result, Err(TaskError::Refused(_))), "{result:?}");
}
