//! Deterministic groups, assets and app states for UI and update tests.

use ark_assets::api::model::{Asset, AssetError, AssetGroup, Status};
use ark_assets::app::msg::Msg;
use ark_assets::app::state::{AppState, Header};
use ark_assets::app::update;
use ark_assets::catalog::{Cursor, Listing};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn time(minute: i64) -> chrono::DateTime<chrono::Utc> {
    "2026-06-02T11:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        + chrono::Duration::minutes(minute)
}

pub fn group(n: usize, name: &str) -> AssetGroup {
    AssetGroup {
        id: format!("group-20260602110000-g{n:04}"),
        name: name.to_owned(),
        description: format!("description of {name}"),
        group_type: "AIGC".into(),
        project_name: "default".into(),
        create_time: Some(time(n as i64)),
        update_time: Some(time(n as i64)),
    }
}

pub fn asset(n: usize, name: &str, status: Status) -> Asset {
    Asset {
        id: format!("asset-20260602110000-a{n:04}"),
        name: name.to_owned(),
        url: if status == Status::Active {
            format!("https://cdn.example.com/assets/{n}.png?X-Expires=20260602T230000Z&X-Signature=abc")
        } else {
            String::new()
        },
        asset_type: "Image".into(),
        group_id: "group-20260602110000-g0001".into(),
        status,
        error: (status == Status::Failed).then(|| AssetError {
            code: "InvalidParameter.FormatUnsupported".into(),
            message: "Image: format ICO is not accepted; accepted formats: jpeg, png, webp, bmp, tiff, gif, heic/heif".into(),
        }),
        create_time: Some(time(100 + n as i64)),
        update_time: Some(time(200 + n as i64)),
        project_name: "default".into(),
        moderation: None,
        last_inference_time: None,
    }
}

/// A tick of the UI clock, at a fixed time (an hour after [`time`]`(0)`).
pub fn tick() -> Msg {
    Msg::Tick(time(60))
}

/// A new state for the fixtures' header at `size`, its times shown in UTC (whatever the
/// machine's zone), so screens are the same everywhere.
pub fn fresh(size: (u16, u16)) -> AppState {
    let mut state = AppState::new(header(), size);
    state.zone = ark_assets::times::Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap());
    // Hours after the fixtures' assets were made and changed: their ages read `6h`, `4h`.
    state.now = time(8 * 60);
    state
}

pub fn header() -> Header {
    Header {
        profile: "demo".into(),
        dialect: ark_assets::api::Dialect::Domestic,
        endpoint: "http://127.0.0.1:8383".into(),
        project: "default".into(),
    }
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), modifiers))
}

pub fn typed(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, ch(c));
    }
}

/// Groups loaded, none open.
pub fn with_groups(size: (u16, u16)) -> AppState {
    let mut state = fresh(size);
    update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(vec![
            group(1, "主角 Leading cast"),
            group(
                2,
                "Crowd extras for the festival scene, second unit, night shoot",
            ),
            group(3, "产品 Product shots"),
            group(4, "Empty group"),
        ]))),
    );
    state
}

/// The mixed-status assets of group 1.
pub fn mixed_assets(count: usize) -> Vec<Asset> {
    (0..count).map(mixed_asset).collect()
}

/// Asset `i` of [`mixed_assets`].
pub fn mixed_asset(i: usize) -> Asset {
    let status = match i % 7 {
        1 => Status::Processing,
        4 => Status::Failed,
        _ => Status::Active,
    };
    let name = if i.is_multiple_of(3) {
        format!("角色 {i:02} / hero")
    } else {
        format!("extra-{i:03}")
    };
    asset(i, &name, status)
}

/// The asset of `mixed_assets` with `id`, as GetAsset answers it.
pub fn asset_of(id: &str) -> Asset {
    mixed_assets(250).into_iter().find(|a| a.id == id).unwrap()
}

/// GetAsset's answer for `id`.
pub fn url_answer(id: &str) -> Msg {
    Msg::UrlFetched {
        id: id.to_owned(),
        result: Ok(asset_of(id)),
    }
}

/// Delivers a first page of group 1's assets to `state`.
pub fn deliver(state: &mut AppState, items: Vec<Asset>, total: u64, next_page: Option<u32>) {
    update(
        state,
        Msg::AssetsLoaded {
            group_id: group(1, "").id,
            from: Cursor::FIRST,
            order: state.sort.service_order(),
            result: Ok(Listing {
                items,
                total: Some(total),
                next: next_page.map(Cursor::Page),
                stopped: None,
                left_out: 0,
            }),
        },
    );
}

/// Group 1 open with `count` mixed assets loaded, focus on the assets pane.
pub fn with_assets(size: (u16, u16), count: usize) -> AppState {
    let mut state = with_groups(size);
    update(&mut state, key(KeyCode::Enter));
    deliver(&mut state, mixed_assets(count), count as u64, None);
    state
}

/// A Seedance task `n` in `status`, made `(n + 1) × 97` seconds before [`fresh`]'s now; a
/// Succeeded one has a video and a last frame, a Failed one an error.
pub fn seedance_task(n: usize, status: &str) -> ark_assets::seedance::Task {
    let created = time(8 * 60).timestamp() - 97 * (n as i64 + 1);
    let mut task = serde_json::json!({
        "id": format!("cgt-20260602-t{n:04}"),
        "model": "doubao-seedance-2-0-260128",
        "status": status,
        "created_at": created,
        "updated_at": created + 61,
        "ratio": "16:9",
        "resolution": "720p",
        "duration": 5,
    });
    if status == "succeeded" {
        task["content"] = serde_json::json!({
            "video_url": format!("https://cdn.example.com/tasks/{n}.mp4?X-Signature=abc"),
            "last_frame_url": format!("https://cdn.example.com/tasks/{n}.png?X-Signature=abc"),
        });
    }
    if status == "failed" {
        task["error"] = serde_json::json!({
            "code": "OutputVideoSensitiveContentDetected",
            "message": "the output video may contain sensitive content",
        });
    }
    serde_json::from_value(task).unwrap()
}

/// Four tasks, newest first: queued, running, succeeded, failed.
pub fn seedance_tasks() -> Vec<ark_assets::seedance::Task> {
    ["queued", "running", "succeeded", "failed"]
        .iter()
        .enumerate()
        .map(|(n, s)| seedance_task(n, s))
        .collect()
}

/// [`with_assets`] with a data plane (`[tasks]` polled every 2 s) and [`seedance_tasks`]
/// listed.
pub fn with_tasks(size: (u16, u16), count: usize) -> AppState {
    let mut state = with_assets(size, count);
    let defaults = ark_assets::config::TasksFile {
        model: Some("doubao-seedance-2-0-260128".into()),
        poll_seconds: 2,
        ..Default::default()
    };
    state.tasks = ark_assets::app::tasks::Tasks::new(Some(defaults));
    update(&mut state, Msg::TasksLoaded(Ok(seedance_tasks())));
    state
}

/// A task's plan whose legend names `refs` (id, name) as images, in order, with `warnings`.
pub fn image_plan(
    refs: &[(String, String)],
    warnings: Vec<String>,
) -> ark_assets::catalog::tasks::TaskPlan {
    let legend = refs
        .iter()
        .enumerate()
        .map(|(i, (id, name))| ark_assets::catalog::tasks::Reference {
            label: format!("Image {}", i + 1),
            role: ark_assets::seedance::Role::ReferenceImage,
            asset_id: id.clone(),
            name: name.clone(),
            seconds: None,
        })
        .collect();
    ark_assets::catalog::tasks::TaskPlan {
        request: ark_assets::seedance::CreateTask {
            model: "doubao-seedance-2-0-260128".into(),
            content: Vec::new(),
            ratio: None,
            resolution: None,
            duration: None,
            generate_audio: None,
        },
        legend,
        warnings,
    }
}
