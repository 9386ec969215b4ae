//! The liveness check of a real person (spec 10) in the TUI: start a session, show its link as
//! a QR code with a countdown, and ask for the result once when the user says the phone shows
//! success (Enter first asks "has the phone shown success?": the token is spent by asking, so
//! only `y` asks). The link's advised lifetime is counted down but decides nothing (live use
//! reports 120 s and 30 min): Enter asks whenever it is pressed, and the answer decides. A
//! failed check offers a new session.

use super::super::effect::Effect;
use super::super::keymap::{Command, Scope};
use super::super::messages::Level;
use super::super::mode::{Mode, Verification};
use super::super::msg::Msg;
use super::super::state::AppState;
use super::toast;
/// Opens the check (domestic only: the global proxy has no real-person groups).
pub(super) fn open(state: &mut AppState) -> Vec<Effect> {
    if !state.header.dialect.can_list() {
        let text = "the global endpoint has no real-person groups".to_owned();
        toast(state, Level::Info, text);
        return Vec::new();
    }
    state.mode = Mode::Verify(Verification::Starting);
    vec![Effect::StartVerification]
}

/// A key while the check is shown.
pub(super) fn key(
    state: &mut AppState,
    check: Verification,
    command: Option<Command>,
) -> Vec<Effect> {
    let (next, effects) = match (command, check) {
        // "Has the phone shown success?": only a yes spends the token; anything else goes back.
        (
            command,
            Verification::Showing {
                link,
                token,
                since,
                asking: true,
            },
        ) => match command {
            Some(Command::Submit) => (
                Verification::Checking,
                vec![Effect::FinishVerification(token)],
            ),
            _ => (
                Verification::Showing {
                    link,
                    token,
                    since,
                    asking: false,
                },
                Vec::new(),
            ),
        },
        (Some(Command::Cancel), _) => return Vec::new(),
        (
            Some(Command::Submit),
            Verification::Showing {
                link, token, since, ..
            },
        ) => (
            Verification::Showing {
                link,
                token,
                since,
                asking: true,
            },
            Vec::new(),
        ),
        (Some(Command::Submit), Verification::Failed(_)) => {
            (Verification::Starting, vec![Effect::StartVerification])
        }
        (
            Some(Command::CopyShown),
            Verification::Showing {
                link,
                token,
                since,
                asking,
            },
        ) => {
            toast(state, Level::Success, "copied the link".to_owned());
            let copy = Effect::Copy(link.clone());
            (
                Verification::Showing {
                    link,
                    token,
                    since,
                    asking,
                },
                vec![copy],
            )
        }
        (_, check) => (check, Vec::new()),
    };
    state.mode = Mode::Verify(next);
    effects
}

/// The answers of the service.
pub(super) fn result(state: &mut AppState, action: Msg) -> Vec<Effect> {
    let again = state.keys.key(Scope::Verify, Command::Submit).to_owned();
    let Mode::Verify(check) = &mut state.mode else {
        return Vec::new();
    };
    match action {
        Msg::VerificationStarted(Err(e)) => {
            *check = Verification::Failed(format!("{e} — {again} tries again"));
            Vec::new()
        }
        Msg::Verified(Err(e)) => {
            *check = Verification::Failed(format!(
                "{e} — the token is spent: {again} starts a new session"
            ));
            Vec::new()
        }
        Msg::VerificationStarted(Ok(session)) => {
            *check = Verification::Showing {
                link: session.h5_link,
                token: session.byted_token,
                since: state.tick,
                asking: false,
            };
            Vec::new()
        }
        Msg::Verified(Ok(group)) => {
            let text =
                format!("verified: real-person group {group}; add the person's assets to it");
            super::panes::show_new_group(state, group, text)
        }
        _ => Vec::new(),
    }
}

/// The clock: the countdown moves.
pub(super) fn tick(state: &mut AppState) {
    if matches!(state.mode, Mode::Verify(_)) {
        state.redraw = true;
    }
}
