//! Effects on the session: switching to another profile (keeping the state of the one left),
//! and the two steps of a liveness check.

use std::sync::{Arc, RwLock};

use super::{OpenProfile, Reply, header};
use crate::api::AssetsApi;
use crate::api::model::CreateVisualValidateSession;
use crate::app::msg::{Msg, SwitchError, SwitchedProfile};
use crate::app::remembered::{Remembered, StateFiles};
use crate::catalog::Catalog;

/// What switching profiles takes.
pub(super) struct Switcher {
    /// Opens a profile by name (none: there are no others).
    pub open: Option<OpenProfile>,
    /// Where profiles' states are kept.
    pub states: StateFiles,
    /// The catalog in use, replaced by the profile opened.
    pub current: Arc<RwLock<Catalog>>,
    /// How slow calls are told.
    pub notice: crate::api::Notice,
}

/// Opens profile `to` (reading files, on a worker), keeping the state of the one `leaving`;
/// the catalog in use becomes its own.
pub(super) async fn switch_profile(
    switcher: Switcher,
    reply: Reply,
    to: String,
    leaving: Option<(String, Remembered)>,
) {
    let Switcher {
        open,
        states,
        current,
        notice,
    } = switcher;
    let opened = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        if let Some((profile, state)) = leaving
            && let Err(e) = states.save(&profile, &state)
        {
            problems.push(format!("profile {profile}'s state was not kept: {e}"));
        }
        let open = open.ok_or(SwitchError::NoProfiles)?;
        let (catalog, read_only) = open(&to).map_err(|e| SwitchError::Open(Arc::new(e)))?;
        let (remembered, ignored) = states.load(&to);
        problems.extend(ignored);
        Ok((catalog, read_only, remembered, to, problems))
    })
    .await
    .unwrap_or_else(|e| Err(SwitchError::Stopped(e.to_string())));
    let result = opened.map(|(catalog, read_only, remembered, to, problems)| {
        let header = header(&catalog, to);
        let data_plane = super::data_plane(&catalog);
        *current.write().expect("catalog lock") = catalog.with_notice(notice);
        SwitchedProfile {
            header,
            read_only,
            remembered,
            problems,
            data_plane,
        }
    });
    reply.send(Msg::ProfileSwitched(result));
}

/// Profile `name` opened by `open` on a blocking thread (it reads the config's files and the
/// ledger): its catalog and whether it is read-only.
pub(super) async fn opened(
    open: Option<OpenProfile>,
    name: String,
) -> Result<(Catalog, bool), SwitchError> {
    tokio::task::spawn_blocking(move || {
        let open = open.ok_or(SwitchError::NoProfiles)?;
        open(&name).map_err(|e| SwitchError::Open(Arc::new(e)))
    })
    .await
    .unwrap_or_else(|e| Err(SwitchError::Stopped(e.to_string())))
}

/// Starts a liveness check.
pub(super) async fn start_verification(catalog: Catalog, reply: Reply) {
    let req = CreateVisualValidateSession::default();
    let result = catalog.client().create_visual_validate_session(&req).await;
    reply.send(Msg::VerificationStarted(result));
}

/// Asks, once, for the result of the liveness check with `token`.
pub(super) async fn finish_verification(catalog: Catalog, reply: Reply, token: String) {
    let result = catalog
        .client()
        .get_visual_validate_result(&token)
        .await
        .map(|r| r.group_id);
    reply.send(Msg::Verified(result));
}
