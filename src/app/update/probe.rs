//! Reading asset files for the detail pane, once per asset and kept (bounded): video and audio
//! assets are probed when first selected; image assets are previewed when the selection has
//! rested on them until the next tick (fast moves start nothing).

use super::super::effects::Effect;
use super::super::state::{AppState, Focus, Mode, Probe};
use crate::api::model::Status;
use crate::media::MediaKind;
use crate::preview::{Preview, PreviewState};

/// Probes kept at most; past it the cache starts again.
const MAX_PROBES: usize = 1024;

/// The read the selection needs, if any: an Active video or audio asset not read yet.
pub(super) fn follow(state: &mut AppState) -> Option<Effect> {
    if state.focus != Focus::Assets || !matches!(state.mode, Mode::Browse) {
        return None;
    }
    let a = state.assets.current()?;
    let kind = MediaKind::of_asset_type(&a.asset_type)?;
    if kind == MediaKind::Image
        || a.status != Status::Active
        || a.url.is_empty()
        || state.probes.contains_key(&a.id)
    {
        return None;
    }
    let (id, url) = (a.id.clone(), a.url.clone());
    if state.probes.len() >= MAX_PROBES {
        state.probes.clear();
    }
    state.probes.insert(id.clone(), Probe::Reading);
    Some(Effect::Probe { id, url })
}

/// Keeps what a read found.
pub(super) fn result(
    state: &mut AppState,
    id: String,
    result: Result<Vec<(&'static str, String)>, String>,
) {
    let probe = match result {
        Ok(fields) => Probe::Read(fields),
        Err(reason) => Probe::Failed(reason),
    };
    state.probes.insert(id, probe);
}

/// The preview the selection wants: an Active image asset not asked for yet.
fn wanted_preview(state: &AppState) -> Option<(String, String)> {
    if !state.preview_on
        || state.focus != Focus::Assets
        || !matches!(state.mode, Mode::Browse | Mode::Filter)
    {
        return None;
    }
    crate::app::layout::preview_cells(state.viewport)?;
    let a = state.assets.current()?;
    let image = MediaKind::of_asset_type(&a.asset_type) == Some(MediaKind::Image);
    (image
        && a.status == Status::Active
        && !a.url.is_empty()
        && state.previews.get(&a.id).is_none())
    .then(|| (a.id.clone(), a.url.clone()))
}

/// Debounces previews: the selection marks an image as pending; a tick that finds it still
/// selected starts its preview.
pub(super) fn follow_preview(state: &mut AppState, tick: bool) -> Option<Effect> {
    let Some((id, url)) = wanted_preview(state) else {
        state.preview_pending = None;
        return None;
    };
    if !tick || state.preview_pending.as_deref() != Some(&id) {
        state.preview_pending = Some(id);
        return None;
    }
    state.preview_pending = None;
    let (cols, rows) = crate::app::layout::preview_cells(state.viewport)?;
    state.previews.put(id.clone(), PreviewState::Loading);
    Some(Effect::Preview {
        id,
        url,
        cols,
        rows,
    })
}

/// Keeps a finished preview.
pub(super) fn previewed(state: &mut AppState, id: String, result: Result<Preview, String>) {
    let preview = match result {
        Ok(p) => PreviewState::Ready(p),
        Err(reason) => PreviewState::Failed(reason),
    };
    state.previews.put(id, preview);
}
