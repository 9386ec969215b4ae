//! Reading the files of video and audio assets for the detail pane: once per asset, when it is
//! first selected, kept for the session (bounded).

use super::super::effects::Effect;
use super::super::state::{AppState, Focus, Mode, Probe};
use crate::api::model::Status;
use crate::media::MediaKind;

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
