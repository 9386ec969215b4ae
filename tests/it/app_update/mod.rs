//! `update` for every key of the keymap, dialogs, and poller results.

use crate::support::fixtures;

use ark_assets::api::model::{Asset, SortBy, SortOrder, Status};
use ark_assets::api::{ApiError, ErrorKind};
use ark_assets::app::clock::{POLL_MAX_TICKS, POLL_MIN_TICKS, TICKS_PER_SECOND};
use ark_assets::app::dialog::{Dialog, Form, Holds};
use ark_assets::app::keymap::{Binding, Command, Key, Keymap, Scope};
use ark_assets::app::layout::list_rows;
use ark_assets::app::messages::{Level, MAX_MESSAGES};
use ark_assets::app::mode::{Mode, Verification};
use ark_assets::app::msg::Msg;
use ark_assets::app::msg::SwitchError;
use ark_assets::app::remembered::MAX_PROJECTS;
use ark_assets::app::state::{AppState, Focus, Header, Probe, StatusFilter};
use ark_assets::app::{Effect, update};
use ark_assets::catalog::add::{AddError, Added};
use ark_assets::catalog::changes::{Deletion, GroupNotDeleted};
use ark_assets::catalog::import::{Done, Refused, Report, Source};
use ark_assets::catalog::poll::Pending;
use ark_assets::catalog::retry::RetryError;
use ark_assets::catalog::{Cursor, ListError, Listing};
use ark_assets::validate::Invalid;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fixtures::*;

const SIZE: (u16, u16) = (80, 24);
/// The order assets load in by default.
const NEWEST_FIRST: (SortBy, SortOrder) = (SortBy::CreateTime, SortOrder::Desc);

/// The status-line message (there must be one).
fn toast_text(state: &AppState) -> &str {
    &state
        .toast
        .as_ref()
        .expect("a message in the status line")
        .text
}

fn selected_asset(state: &AppState) -> String {
    state.assets.current().unwrap().name.to_string()
}

/// The open form (there must be one).
fn dialog(state: &AppState) -> &Dialog {
    match &state.mode {
        Mode::Form(d) => d,
        other => panic!("no form open: {other:?}"),
    }
}

fn run_ticks(state: &mut AppState, n: u64) -> Vec<Effect> {
    (0..n).flat_map(|_| update(state, tick())).collect()
}

/// The first page of the group `n`'s assets, newest first: what opening or reloading asks.
fn first_page(n: usize) -> Effect {
    Effect::LoadAssets {
        group_id: group(n, "").id,
        from: Cursor::FIRST,
        pages: 1,
        order: NEWEST_FIRST,
    }
}

/// An import's report: `created` assets made, `already` there, and one file refused.
fn import_report(created: usize, already: usize, (file, why): (&str, &str)) -> Report {
    let done = |i: usize| Done {
        source: format!("/clips/{i}.mp4"),
        line: 0,
        origin: format!("/clips/{i}.mp4"),
        id: format!("asset-{i}"),
        name: i.to_string(),
        sha256: None,
        bytes: None,
        asset_type: "Video",
        warnings: Vec::new(),
    };
    Report {
        created: (0..created).map(done).collect(),
        already: (created..created + already).map(done).collect(),
        invalid: vec![Refused {
            origin: file.to_owned(),
            line: 0,
            error: why.to_owned(),
        }],
        ..Report::default()
    }
}

mod assets;
mod dialogs;
mod keys;
mod order;
mod panes;
mod projects;
mod session;
mod tasks;
mod transfer;
mod workflow;
