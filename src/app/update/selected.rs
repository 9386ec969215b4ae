//! Reading the selected asset for the detail pane, once per asset and kept (bounded): its signed
//! URL (GetAsset: rows do not keep URLs), then a preview of an image or a probe of a video or
//! audio file. The URL and the preview wait until the selection has rested on the asset until
//! the next tick, so fast moves start nothing; a probe starts as soon as the URL is known.
//! While the new-asset dialog is open, the same resting rule previews the local image its
//! source field names.

use super::super::dialog::{Form, ShownText};
use super::super::effect::Effect;
use super::super::keymap::{Command, Scope};
use super::super::messages::Level;
use super::super::mode::Mode;
use super::super::state::{AppState, Focus, Probe};
use super::super::urls::{Url, Wanted};
use super::{loaded, note};
use crate::api::ApiError;
use crate::api::model::{Asset, Status};
use crate::media::MediaKind;
use crate::preview::{Preview, PreviewState};

/// Probes kept at most; past it the cache starts again.
const MAX_PROBES: usize = 1024;

/// The overlay `u` opens, showing `text` (a URL, copyable, or why there is none).
fn url_shown(text: String, copyable: bool) -> Mode {
    Mode::Shown(ShownText {
        title: " Asset URL ",
        text,
        copyable,
    })
}

/// The selected asset when the detail pane shows it and it is Active: its id and kind.
fn selected_active(state: &AppState) -> Option<(String, Option<MediaKind>)> {
    if state.focus != Focus::Assets || !matches!(state.mode, Mode::Browse | Mode::Filter) {
        return None;
    }
    let a = state.assets.current()?;
    (a.status == Status::Active).then(|| (a.id.to_string(), a.kind.media()))
}

/// The reads the selection needs after an update; `tick` says the update was the clock's.
pub(super) fn follow(state: &mut AppState, tick: bool) -> Vec<Effect> {
    if let Mode::Form(dialog) = &state.mode
        && let Form::CreateAsset(_) = dialog.form
    {
        return local_file(state, tick).into_iter().collect();
    }
    let Some((id, kind)) = selected_active(state) else {
        state.resting_on = None;
        return Vec::new();
    };
    let rested = tick && state.resting_on.as_deref() == Some(id.as_str());
    state.resting_on = Some(id.clone());
    reads(state, id, kind, rested)
}

/// The URL when it is missing and the selection rested; then, with the URL, the preview (on
/// rest) or the probe.
fn reads(state: &mut AppState, id: String, kind: Option<MediaKind>, rested: bool) -> Vec<Effect> {
    let url = match state.urls.get(&id, state.tick) {
        Some(Url::Signed(url)) => url.clone(),
        Some(Url::Missing(_)) => return Vec::new(),
        None if rested && state.urls.fetching.is_none() => {
            state.urls.fetching = Some(id.clone());
            return vec![Effect::FetchUrl { id }];
        }
        None => return Vec::new(),
    };
    let effect = match kind {
        Some(MediaKind::Image) if rested => preview(state, id, url),
        Some(MediaKind::Video | MediaKind::Audio) => probe(state, id, url),
        _ => None,
    };
    effect.into_iter().collect()
}

/// How long typing rests on a path before it is judged: not while it is being typed.
const PATH_REST_TICKS: u64 = 3;

/// The new-asset dialog's local file, once its field has rested on it (typing stopped for
/// [`PATH_REST_TICKS`]): its preview, read and drawn on a worker (the field's value is not
/// looked at on disk here).
fn local_file(state: &mut AppState, tick: bool) -> Option<Effect> {
    let now = state.tick;
    let Mode::Form(dialog) = &mut state.mode else {
        return None;
    };
    let Form::CreateAsset(form) = &mut dialog.form else {
        return None;
    };
    let path = form.local_file();
    let key = path.as_ref().map(|p| format!("file:{}", p.display()));
    let since = match (&form.resting, &key) {
        (Some((rested_on, since)), Some(key)) if rested_on == key => *since,
        _ => now,
    };
    form.resting = key.clone().map(|k| (k, since));
    let rested = tick && key.is_some() && now >= since + PATH_REST_TICKS;
    if key != form.preview {
        form.preview = None;
    }
    if !rested || !state.preview_on || form.preview.is_some() {
        return None;
    }
    let (key, path) = (key?, path?);
    form.preview = Some(key.clone());
    let (cols, rows) = crate::app::layout::dialog_preview_cells(state.viewport)?;
    if state.previews.get(&key).is_some() {
        return None;
    }
    state.previews.put(key.clone(), PreviewState::Loading);
    Some(Effect::PreviewFile {
        key,
        path,
        cols,
        rows,
    })
}

fn preview(state: &mut AppState, id: String, url: String) -> Option<Effect> {
    if !state.preview_on || state.previews.get(&id).is_some() {
        return None;
    }
    let whole = matches!(state.mode, Mode::Detail);
    let (cols, rows) = crate::app::layout::detail_preview_cells(state.viewport, whole)?;
    state.previews.put(id.clone(), PreviewState::Loading);
    Some(Effect::Preview {
        id,
        url,
        cols,
        rows,
    })
}

fn probe(state: &mut AppState, id: String, url: String) -> Option<Effect> {
    if state.probes.contains_key(&id) {
        return None;
    }
    if state.probes.len() >= MAX_PROBES {
        state.probes.clear();
    }
    state.probes.insert(id.clone(), Probe::Reading);
    Some(Effect::Probe { id, url })
}

/// `u` (show) and `x` (open): the selected asset's URL, fetched first when it is not known.
pub(super) fn use_url(state: &mut AppState, wanted: Wanted) -> Vec<Effect> {
    let Some(a) = state.assets.current() else {
        return Vec::new();
    };
    let id = a.id.to_string();
    if a.status != Status::Active {
        let text = format!("{id} has no URL yet: the service signs one when it is Active");
        state.mode = url_shown(text, false);
        return Vec::new();
    }
    if let Some(url) = state.urls.signed(&id, state.tick) {
        let url = url.to_owned();
        return url_ready(state, url, wanted);
    }
    state.urls.wanted = Some((id.clone(), wanted));
    note(
        state,
        Level::Info,
        format!("fetching the URL of {id}… (Esc stops)"),
    );
    state.urls.fetching = Some(id.clone());
    vec![Effect::FetchUrl { id }]
}

/// What a URL asked for becomes: shown, or opened (shown when nothing here can open it).
fn url_ready(state: &mut AppState, url: String, wanted: Wanted) -> Vec<Effect> {
    match wanted {
        Wanted::Open if state.can_open => {
            note(state, Level::Info, "opening the file…".to_owned());
            vec![Effect::Open(url)]
        }
        Wanted::Open => {
            let copy = state.keys.key(Scope::Shown, Command::CopyShown).to_owned();
            state.mode = Mode::Shown(ShownText {
                title: " Asset URL (no browser or display here) ",
                text: url,
                copyable: true,
            });
            note(
                state,
                Level::Info,
                format!("nothing here opens a browser: {copy} copies the link"),
            );
            Vec::new()
        }
        Wanted::Show => {
            state.mode = url_shown(url, true);
            Vec::new()
        }
    }
}

/// `Esc` while a URL is fetched for `u` or `x`: it is not shown or opened when it comes.
pub(super) fn stop_waiting(state: &mut AppState) -> bool {
    if state.urls.wanted.take().is_none() {
        return false;
    }
    note(state, Level::Info, "stopped waiting for the URL".to_owned());
    true
}

/// Keeps the URL GetAsset brought (and the asset's fresh state); reads on at once when the
/// asset is still selected, since the selection rested to ask for it.
pub(super) fn url_fetched(
    state: &mut AppState,
    id: String,
    result: Result<Asset, ApiError>,
) -> Vec<Effect> {
    if state.urls.fetching.as_deref() == Some(id.as_str()) {
        state.urls.fetching = None;
    }
    let url = match result {
        Ok(asset) => {
            let url = if asset.url.is_empty() {
                Url::Missing(format!(
                    "the service sent no URL ({} is {})",
                    id, asset.status
                ))
            } else {
                Url::Signed(asset.url.clone())
            };
            loaded::apply_poll(state, vec![asset]);
            url
        }
        Err(e) => Url::Missing(e.to_string()),
    };
    let mut effects = Vec::new();
    if let Some((_, wanted)) = state.urls.wanted.take_if(|(wanted_id, _)| *wanted_id == id) {
        match &url {
            Url::Signed(text) => effects = url_ready(state, text.clone(), wanted),
            Url::Missing(reason) => {
                state.mode = url_shown(format!("no URL for {id}: {reason}"), false)
            }
        }
    }
    state.urls.put(&id, url, state.tick);
    if !effects.is_empty() {
        return effects;
    }
    match selected_active(state) {
        Some((current, kind)) if current == id => reads(state, id, kind, true),
        _ => Vec::new(),
    }
}

/// Keeps what a read found.
pub(super) fn probed(
    state: &mut AppState,
    id: String,
    result: Result<Vec<(&'static str, String)>, crate::validate::Invalid>,
) -> Vec<Effect> {
    let probe = match result {
        Ok(fields) => Probe::Read(fields),
        Err(broken) => Probe::Failed(broken.rule),
    };
    state.probes.insert(id, probe);
    Vec::new()
}

/// Keeps a finished preview.
pub(super) fn previewed(
    state: &mut AppState,
    id: String,
    result: Result<Preview, crate::preview::NoPreview>,
) -> Vec<Effect> {
    let preview = match result {
        Ok(p) => PreviewState::Ready(p),
        Err(reason) => PreviewState::Failed(reason.to_string()),
    };
    state.previews.put(id, preview);
    Vec::new()
}
