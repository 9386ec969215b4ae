//! Whole screens on a TestBackend, at 80x24 and 160x48.

use crate::support::fixtures;

use ark_assets::api::model::Status;
use ark_assets::api::{ApiError, ErrorKind};
use ark_assets::app::mode::Mode;
use ark_assets::app::msg::Msg;
use ark_assets::app::state::AppState;
use ark_assets::app::{Effect, update};
use ark_assets::catalog::Listing;
use ark_assets::preview::Painter;
use ark_assets::ui::{Theme, render};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fixtures::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (160, 48);
const TINY: (u16, u16) = (40, 12);

fn draw(state: &AppState) -> Terminal<TestBackend> {
    draw_in(state, &Theme::default())
}

fn draw_in(state: &AppState, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.viewport.0, state.viewport.1)).unwrap();
    terminal.draw(|f| render(state, theme, f)).unwrap();
    terminal
}

fn screen(state: &AppState) -> String {
    draw(state).backend().to_string()
}

/// Cells of a drawn picture: half blocks in true colour.
fn picture_cells(terminal: &Terminal<TestBackend>) -> usize {
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .filter(|c| c.symbol() == "▀" && matches!(c.fg, Color::Rgb(..)))
        .count()
}

fn select_status(state: &mut AppState, status: Status) {
    while state.assets.current().unwrap().status != status {
        update(state, ch('j'));
    }
}

#[test]
fn empty_states() {
    let loading = AppState {
        groups: ark_assets::app::list_pane::ListPane::loading(),
        ..fresh(SMALL)
    };
    insta::assert_snapshot!("loading_80x24", screen(&loading));
    let mut empty = fresh(SMALL);
    update(&mut empty, Msg::GroupsLoaded(Ok(Listing::complete(vec![]))));
    insta::assert_snapshot!("no_groups_80x24", screen(&empty));
    let mut empty_group = with_groups(LARGE);
    update(&mut empty_group, key(KeyCode::Enter));
    deliver(&mut empty_group, vec![], 0, None);
    insta::assert_snapshot!("empty_group_160x48", screen(&empty_group));
}

#[test]
fn groups_and_mixed_assets() {
    for size in [SMALL, LARGE] {
        let mut state = with_assets(size, 60);
        select_status(&mut state, Status::Processing);
        insta::assert_snapshot!(format!("mixed_{}x{}", size.0, size.1), screen(&state));
    }
}

#[test]
fn detail_of_a_failed_asset() {
    for size in [SMALL, LARGE] {
        let mut state = with_assets(size, 20);
        select_status(&mut state, Status::Failed);
        let text = screen(&state);
        assert!(
            text.contains("InvalidParameter.FormatUnsupported"),
            "{text}"
        );
        insta::assert_snapshot!(format!("failed_detail_{}x{}", size.0, size.1), text);
    }
}

#[test]
fn dialogs_with_inline_errors() {
    let ctrl_u = Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let cases: Vec<(&str, Vec<Msg>)> = vec![
        (
            "create_group",
            vec![
                ch('h'),
                ch('n'),
                Msg::Paste("n".repeat(70)),
                key(KeyCode::Enter),
            ],
        ),
        (
            "create_asset",
            vec![
                ch('n'),
                Msg::Paste("file:///home/me/hero.png".into()),
                key(KeyCode::Enter),
            ],
        ),
        (
            "rename_group",
            vec![ch('h'), ch('r'), ctrl_u.clone(), key(KeyCode::Enter)],
        ),
        (
            "rename_asset",
            vec![
                ch('r'),
                ctrl_u.clone(),
                Msg::Paste("bell\u{7}".into()),
                key(KeyCode::Enter),
            ],
        ),
        ("confirm_delete", vec![ch('d')]),
        // The open group, loaded whole: its assets are counted at once.
        ("confirm_delete_group", vec![ch('h'), ch('d')]),
        // Enter on an answer that is neither the name nor the count deletes nothing.
        (
            "confirm_delete_group_mistyped",
            vec![ch('h'), ch('d'), ch('y'), key(KeyCode::Enter)],
        ),
        // Another group: counted by listing it first; the question waits.
        (
            "confirm_delete_group_counting",
            vec![ch('h'), ch('j'), ch('d')],
        ),
        ("show_url", vec![ch('u')]),
    ];
    for (name, actions) in cases {
        let mut state = with_assets(SMALL, 10);
        for a in actions {
            update(&mut state, a);
        }
        assert!(
            matches!(
                state.mode,
                Mode::Form(_) | Mode::Confirm(_) | Mode::Shown(_)
            ),
            "{name}: no dialog"
        );
        insta::assert_snapshot!(format!("dialog_{name}_80x24"), screen(&state));
    }
}

#[test]
fn service_error_in_a_dialog_and_in_a_pane() {
    let err = ApiError {
        action: ark_assets::api::model::Action::CreateAssetGroup,
        kind: ErrorKind::Service,
        http_status: Some(401),
        code: "SignatureDoesNotMatch".into(),
        message: "the request signature we calculated does not match".into(),
        request_id: Some("20260602110000ABCDEF012345".into()),
        retry_after: None,
    };
    let mut state = with_assets(SMALL, 10);
    update(&mut state, ch('h'));
    update(&mut state, ch('n'));
    update(&mut state, Msg::Paste("new group".into()));
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, Msg::GroupCreated(Err(err.clone().into())));
    insta::assert_snapshot!("dialog_service_error_80x24", screen(&state));

    let mut state = fresh(SMALL);
    update(&mut state, Msg::GroupsLoaded(Err(err.into())));
    let shown = screen(&state);
    assert!(
        shown.contains("│Not listed: m shows   │") && shown.contains("│why, R retries.       │"),
        "{shown}"
    );
    assert!(
        state
            .messages
            .iter()
            .any(|m| m.text.contains("SignatureDoesNotMatch")),
        "the error itself is in the messages"
    );
    insta::assert_snapshot!("groups_error_80x24", shown);
}

#[test]
fn help_overlay() {
    for size in [SMALL, LARGE, TINY] {
        let mut state = with_assets(size, 10);
        update(&mut state, ch('?'));
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), screen(&state));
    }
}

/// Scrolled from top to bottom, the help shows every word of every key's meaning, in every
/// scope, whole: nothing is cut at the edge or drawn over, at 80x24 as at 40x12.
#[test]
fn help_shows_every_key_of_every_scope_whole() {
    for size in [SMALL, TINY] {
        let mut state = with_assets(size, 10);
        update(&mut state, ch('?'));
        let mut words = std::collections::HashSet::new();
        let mut last = String::new();
        loop {
            let shown = screen(&state);
            if shown == last {
                break;
            }
            for line in shown.lines() {
                let inside = line.trim_matches(|c| c == '"' || c == '│' || c == ' ');
                words.extend(inside.split_whitespace().map(str::to_owned));
            }
            last = shown;
            update(&mut state, ch('j'));
        }
        for b in state.keys.bindings() {
            for word in b.help.split_whitespace() {
                assert!(words.contains(word), "{size:?}: {word:?} of {:?}", b.help);
            }
        }
        for word in ["5j,", "3PgDn;", "10G"] {
            assert!(words.contains(word), "{size:?}: counts");
        }
    }
}

#[test]
fn filters_in_effect() {
    let mut state = with_assets(LARGE, 60);
    update(&mut state, ch('s'));
    update(&mut state, ch('/'));
    for c in "hero".chars() {
        update(&mut state, ch(c));
    }
    insta::assert_snapshot!("filter_160x48", screen(&state));
}

/// While the filter is typed, the footer shows its keys (not the pane's).
#[test]
fn the_footer_shows_the_filter_keys_while_typing_at_80x24() {
    let mut state = with_assets(SMALL, 60);
    update(&mut state, ch('/'));
    typed(&mut state, "hero");
    let shown = screen(&state);
    let footer = shown.lines().last().unwrap();
    assert!(
        footer.contains("Enter keeps") && footer.contains("Esc clears"),
        "{shown}"
    );
    assert!(!footer.contains("d del"), "{shown}");
    insta::assert_snapshot!("filter_80x24", shown);
}

/// `v` says VISUAL in the footer while it is live.
#[test]
fn a_visual_selection_is_shown_in_the_footer_at_80x24() {
    let mut state = with_assets(SMALL, 20);
    update(&mut state, ch('v'));
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let shown = screen(&state);
    assert!(
        shown.lines().last().unwrap().starts_with("\"VISUAL "),
        "{shown}"
    );
    insta::assert_snapshot!("visual_80x24", shown);
    update(&mut state, ch('v'));
    assert!(!screen(&state).contains("VISUAL"));
}

/// Below 110 columns Enter on an asset opens its whole detail over the panes: name, type,
/// times, the picture; Esc goes back.
#[test]
fn enter_opens_the_whole_detail_at_80x24() {
    let mut state = with_assets(SMALL, 20);
    state.preview_on = true;
    let strip = screen(&state);
    assert!(!strip.contains("Created"), "{strip}");
    assert_eq!(ark_assets::app::layout::preview_cells(SMALL), None);
    update(&mut state, key(KeyCode::Enter));
    let id = state.assets.current().unwrap().id.to_string();
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
    let (cols, rows) = ark_assets::app::layout::detail_preview_cells(SMALL, true).unwrap();
    let preview =
        ark_assets::preview::render_image(&Painter::HalfBlocks, &png, cols, rows).unwrap();
    update(
        &mut state,
        Msg::Previewed {
            id,
            result: Ok(preview),
        },
    );
    let terminal = draw(&state);
    assert!(picture_cells(&terminal) > 50, "the picture shows");
    let shown = terminal.backend().to_string();
    assert!(
        shown.contains("Detail") && shown.contains("Created") && shown.contains("Name"),
        "{shown}"
    );
    assert!(
        shown.lines().last().unwrap().contains("Esc back"),
        "{shown}"
    );
    insta::assert_snapshot!("whole_detail_80x24", shown);
    // j shows the next asset's detail; Esc goes back to the list.
    let first = state.assets.selected;
    update(&mut state, ch('j'));
    assert!(matches!(state.mode, Mode::Detail));
    assert_eq!(state.assets.selected, first + 1);
    update(&mut state, key(KeyCode::Esc));
    assert!(matches!(state.mode, Mode::Browse));
}

#[test]
fn no_color_uses_symbols_and_reverse_video_only() {
    let mut state = with_assets(SMALL, 20);
    select_status(&mut state, Status::Failed);
    let terminal = draw_in(
        &state,
        &Theme {
            color: false,
            ..Theme::default()
        },
    );
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "coloured cell {cell:?}"
        );
    }
    let text = terminal.backend().to_string();
    assert!(text.contains("✓ Active") && text.contains("✗ Failed"));
    insta::assert_snapshot!("no_color_80x24", text);

    let coloured = with_assets(SMALL, 20);
    let terminal = draw(&coloured);
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg == Color::Green)
    );
}

#[test]
fn tiny_terminals_do_not_panic() {
    for size in [(20, 5), (1, 1), (40, 8)] {
        let mut state = with_assets(size, 10);
        screen(&state);
        update(&mut state, ch('?'));
        screen(&state);
        update(&mut state, key(KeyCode::Esc));
        update(&mut state, ch('n'));
        screen(&state);
    }
}

/// Names, descriptions and errors from a hostile service are shown escaped: nothing a terminal
/// would obey reaches a cell, and the detail pane keeps Id, Status and "Use as" in view.
#[test]
fn hostile_strings_are_shown_escaped() {
    let hostile = "x\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}31m\u{202e}cba\u{200b}\nFAKE";
    for size in [SMALL, LARGE] {
        let mut state = fresh(size);
        let mut g = group(1, hostile);
        g.description = hostile.repeat(4);
        update(
            &mut state,
            Msg::GroupsLoaded(Ok(Listing::complete(vec![g]))),
        );
        update(&mut state, key(KeyCode::Enter));
        let mut a = asset(1, &hostile.repeat(3), Status::Failed);
        a.error.as_mut().unwrap().message = hostile.to_owned();
        deliver(&mut state, vec![a], 1, None);
        let terminal = draw(&state);
        let buffer = terminal.backend().buffer();
        let raw: Vec<&str> = buffer
            .content
            .iter()
            .map(|c| c.symbol())
            .filter(|s| s.chars().any(ark_assets::text::is_unsafe))
            .collect();
        assert!(raw.is_empty(), "raw characters reached cells: {raw:?}");
        let shown = terminal.backend().to_string();
        assert!(shown.contains("\\x1b]52;c;"), "{shown}");
        if size == LARGE {
            assert!(
                shown.contains("Use as      Asset://asset-20260602110000-a0001"),
                "{shown}"
            );
        }
        insta::assert_snapshot!(format!("hostile_{}x{}", size.0, size.1), shown);
    }
}

/// The liveness check's QR code fits an 80x24 terminal with its link and keys.
#[test]
fn verification_qr_code_at_80x24() {
    let mut state = with_groups(SMALL);
    update(&mut state, ch('V'));
    update(
        &mut state,
        Msg::VerificationStarted(Ok(ark_assets::api::model::VisualValidateSession {
            byted_token: "token-20261126101010-ab3de".into(),
            h5_link: "http://127.0.0.1:8383/h5/verify?token=token-20261126101010-ab3de&lng=zh"
                .into(),
            callback_url: String::new(),
        })),
    );
    let shown = screen(&state);
    assert!(
        shown.contains("s left") && shown.contains("Enter result"),
        "{shown}"
    );
    insta::assert_snapshot!("verify_80x24", shown);
    // Enter asks first: the token is spent by asking for the result.
    update(&mut state, key(KeyCode::Enter));
    let asking = screen(&state);
    assert!(
        asking.contains("Has the phone shown success?") && asking.contains("y yes"),
        "{asking}"
    );
    insta::assert_snapshot!("verify_asking_80x24", asking);
    update(&mut state, key(KeyCode::Esc));
    // Past the advised lifetime the link is still offered, and Enter still asks.
    for _ in 0..(121 * ark_assets::app::clock::TICKS_PER_SECOND) {
        update(&mut state, tick());
    }
    let late = screen(&state);
    assert!(
        late.contains("The advised 120 s passed") && late.contains("Enter result"),
        "{late}"
    );
    insta::assert_snapshot!("verify_late_80x24", late);
    // The page's language follows the UI (English) and its key changes it.
    let Mode::Verify(ark_assets::app::mode::Verification::Showing { link, .. }) = &state.mode
    else {
        panic!("{:?}", state.mode)
    };
    assert!(link.ends_with("&lng=en"), "{link}");
    update(&mut state, ch('l'));
    let Mode::Verify(ark_assets::app::mode::Verification::Showing { link, .. }) = &state.mode
    else {
        panic!("{:?}", state.mode)
    };
    assert!(link.ends_with("&lng=zh"), "{link}");
    let chinese = screen(&state);
    assert!(
        chinese.contains("Verify a real person · page in 简体中文"),
        "{chinese}"
    );
    assert!(chinese.contains("l language"), "{chinese}");
    assert!(
        chinese.contains("lng=zh"),
        "the link shown is the one encoded: {chinese}"
    );
}

/// Marked assets: the pane title counts them and each marked row shows a dot.
#[test]
fn marks_at_80x24() {
    let mut state = with_assets(SMALL, 10);
    for _ in 0..3 {
        update(&mut state, ch(' '));
    }
    let shown = screen(&state);
    assert!(shown.contains("3 marked"), "{shown}");
    insta::assert_snapshot!("marks_80x24", shown);
}

#[test]
fn detail_of_a_probed_video_at_160x48() {
    let mut state = with_assets(LARGE, 0);
    let mut items = mixed_assets(4);
    for (a, kind) in items.iter_mut().zip(["Video", "Audio", "Image", "Model3D"]) {
        a.asset_type = kind.into();
    }
    items[0].status = Status::Active;
    items[0].url = "https://cdn.example.com/clip.mp4?X-Signature=s".into();
    let id = items[0].id.clone();
    deliver(&mut state, items, 4, None);
    update(
        &mut state,
        Msg::Probed {
            id,
            result: Ok(vec![
                ("Format", "mp4".into()),
                ("Resolution", "640x960".into()),
                ("Frame rate", "24 fps".into()),
                ("Duration", "3.00 s".into()),
                ("Video codec", "H.264".into()),
                ("Audio codec", "AAC".into()),
                ("Rotation", "90°".into()),
            ]),
        },
    );
    insta::assert_snapshot!("probed_video_160x48", screen(&state));
}

#[test]
fn palette_at_80x24_and_160x48() {
    for size in [SMALL, LARGE] {
        let mut state = with_assets(size, 12);
        update(&mut state, ch(':'));
        for c in "hero".chars() {
            update(&mut state, ch(c));
        }
        insta::assert_snapshot!(format!("palette_{}x{}", size.0, size.1), screen(&state));
    }
}

#[test]
fn read_only_footer_at_80x24() {
    let mut state = with_assets(SMALL, 12);
    state.read_only = true;
    let shown = screen(&state);
    let footer = shown.lines().last().unwrap();
    assert!(footer.starts_with("\"READ-ONLY "), "{footer}");
    assert!(
        !footer.contains(" new ") && !footer.contains(" del "),
        "{footer}"
    );
    insta::assert_snapshot!("read_only_80x24", shown);
}

/// 160x48, the selected asset's preview (the sample portrait) painted by `painter` and shown.
fn previewing(painter: &Painter) -> AppState {
    let mut state = with_assets(LARGE, 12);
    state.preview_on = true;
    let id = state.assets.current().unwrap().id.to_string();
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
    let (cols, rows) = ark_assets::app::layout::preview_cells(LARGE).unwrap();
    let preview = ark_assets::preview::render_image(painter, &png, cols, rows).unwrap();
    update(
        &mut state,
        Msg::Previewed {
            id,
            result: Ok(preview),
        },
    );
    state
}

#[test]
fn halfblocks_preview_of_a_fixed_image_at_160x48() {
    let mut state = previewing(&Painter::HalfBlocks);
    let terminal = draw(&state);
    // The picture's colours reach the cells: the sample's background is steel blue.
    let coloured = picture_cells(&terminal);
    assert!(coloured > 100, "{coloured} half-block cells");
    insta::assert_snapshot!("preview_160x48", terminal.backend().to_string());
    // Under an overlay it is hidden.
    update(&mut state, ch('?'));
    assert!(!draw(&state).backend().to_string().contains('▀'));
}

#[test]
fn a_custom_theme_colours_statuses_selection_and_borders() {
    use ark_assets::config::{ThemeBase, ThemeFile};
    let file = ThemeFile {
        base: Some(ThemeBase::Light),
        active: Some("#00aa55".into()),
        selected: Some("lightyellow".into()),
        ..ThemeFile::default()
    };
    let theme = Theme::default().with(&file).unwrap();
    let mut state = with_assets(SMALL, 12);
    update(&mut state, ch('j'));
    let terminal = draw_in(&state, &theme);
    let buffer = terminal.backend().buffer();
    let cells = |pred: &dyn Fn(&ratatui::buffer::Cell) -> bool| {
        buffer.content.iter().filter(|c| pred(c)).count()
    };
    assert!(
        cells(&|c| c.fg == Color::Rgb(0, 0xaa, 0x55)) > 0,
        "Active in the theme's colour"
    );
    assert!(
        cells(&|c| c.fg == Color::Magenta) > 0,
        "light: Processing in magenta"
    );
    assert!(
        cells(&|c| c.bg == Color::LightYellow) > 20,
        "the selected row's background"
    );
    assert!(
        cells(&|c| c.fg == Color::Blue) > 20,
        "light: the focused border in blue"
    );
    insta::assert_snapshot!("custom_theme_80x24", terminal.backend().to_string());
    // NO_COLOR still wins: no colour at all.
    let plain = draw_in(
        &state,
        &Theme {
            color: false,
            ..theme
        },
    );
    assert!(
        plain
            .backend()
            .buffer()
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    // Bad values are named.
    let bad = ThemeFile {
        failed: Some("bluish".into()),
        ..ThemeFile::default()
    };
    assert!(
        Theme::default()
            .with(&bad)
            .unwrap_err()
            .to_string()
            .starts_with("theme.failed = \"bluish\": not a colour")
    );
    let err = toml::from_str::<ThemeFile>("base = \"solarized\"").unwrap_err();
    assert!(
        err.to_string().contains("expected `dark` or `light`"),
        "{err}"
    );
    // Indexes as numbers, as the README writes them, and as strings.
    let indexed: ThemeFile = toml::from_str("active = 100\nfailed = \"160\"").unwrap();
    let theme = Theme::default().with(&indexed).unwrap();
    assert_eq!(theme.status(Status::Active).fg, Some(Color::Indexed(100)));
    assert_eq!(theme.status(Status::Failed).fg, Some(Color::Indexed(160)));
    let over: ThemeFile = toml::from_str("active = 300").unwrap();
    let err = Theme::default().with(&over).unwrap_err();
    assert_eq!(
        err.to_string(),
        "theme.active = 300: a colour index is 0–255"
    );
}

#[test]
fn u_fetches_the_url_rows_do_not_keep_and_says_why_when_there_is_none() {
    let mut state = with_assets((160, 48), 10);
    // Row 2 is Active; its URL came with the page but only the selection's is kept.
    update(&mut state, ch('j'));
    update(&mut state, ch('j'));
    let id = state.assets.current().unwrap().id.to_string();
    assert!(screen(&state).contains("URL: u shows it"));
    assert_eq!(
        update(&mut state, ch('u')),
        vec![Effect::FetchUrl { id: id.clone() }]
    );
    assert!(screen(&state).contains("Fetching the URL…"));
    update(&mut state, url_answer(&id));
    let url = asset_of(&id).url;
    assert!(
        matches!(&state.mode, Mode::Shown(t) if t.text == url && t.copyable),
        "{:?}",
        state.mode
    );
    // Known now: `u` shows it without asking again, and the detail pane has it.
    update(&mut state, key(KeyCode::Esc));
    assert!(screen(&state).contains("X-Signature=abc"));
    assert!(update(&mut state, ch('u')).is_empty());
    assert!(matches!(&state.mode, Mode::Shown(t) if t.text == url));
    update(&mut state, key(KeyCode::Esc));
    // A failed GetAsset is shown, not a URL.
    update(&mut state, ch('j'));
    let gone = state.assets.current().unwrap().id.to_string();
    assert_eq!(
        update(&mut state, ch('u')),
        vec![Effect::FetchUrl { id: gone.clone() }]
    );
    let missing = ApiError::local(
        ark_assets::api::model::Action::GetAsset,
        ErrorKind::Service,
        "NotFound",
        "the asset does not exist",
    );
    update(
        &mut state,
        Msg::UrlFetched {
            id: gone.clone(),
            result: Err(missing),
        },
    );
    assert!(
        matches!(&state.mode, Mode::Shown(t) if !t.copyable && t.text.contains("does not exist")),
        "{:?}",
        state.mode
    );
    update(&mut state, key(KeyCode::Esc));
    assert!(screen(&state).contains("No URL:"));
}

#[test]
fn help_scrolls_to_its_last_row_when_it_does_not_fit_at_80x20() {
    let mut state = with_assets((80, 20), 12);
    update(&mut state, ch('?'));
    let top = screen(&state);
    assert!(top.contains("· j/k ·"), "{top}");
    let sections = ark_assets::app::help::sections(&state.keys);
    let last: String = sections
        .last()
        .unwrap()
        .rows
        .last()
        .unwrap()
        .1
        .chars()
        .take(20)
        .collect();
    let last = last.as_str();
    assert!(!top.contains(last), "{top}");
    for _ in 0..20 {
        update(&mut state, key(KeyCode::PageDown));
    }
    let bottom = screen(&state);
    assert!(bottom.contains(last), "{bottom}");
    insta::assert_snapshot!("help_scrolled_80x20", bottom);
    // It stops at the end: one row up shows something else at once.
    update(&mut state, ch('k'));
    assert_ne!(screen(&state), bottom);
}

#[test]
fn the_new_asset_dialog_previews_a_local_image_at_80x24() {
    let mut state = with_assets(SMALL, 12);
    state.preview_on = true;
    update(&mut state, ch('n'));
    let previews = |effects: Vec<Effect>| -> Vec<Effect> {
        effects
            .into_iter()
            .filter(|e| matches!(e, Effect::PreviewFile { .. }))
            .collect()
    };
    // Typed slowly (a tick or two between keys), the path is not judged while it is typed:
    // no preview is read, nothing is said of it.
    for (i, c) in "assets/portrait.pn".chars().enumerate() {
        update(&mut state, ch(c));
        for _ in 0..1 + i % 2 {
            assert!(previews(update(&mut state, tick())).is_empty(), "at {c}");
        }
        assert!(!screen(&state).contains("No preview"));
    }
    // Relative to the working directory (tests run in the crate's).
    update(&mut state, ch('g'));
    // Once typing rests on the file, its preview is read on a worker (run here), once.
    assert!(previews(update(&mut state, tick())).is_empty());
    assert!(previews(update(&mut state, tick())).is_empty());
    let effects = previews(update(&mut state, tick()));
    assert!(previews(update(&mut state, tick())).is_empty());
    let [
        Effect::PreviewFile {
            key,
            path,
            cols,
            rows,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        Some((*cols, *rows)),
        ark_assets::app::layout::dialog_preview_cells(SMALL)
    );
    let shown = screen(&state);
    assert!(shown.contains("Reading the file for a preview…"), "{shown}");
    let result = ark_assets::preview::render_file(&Painter::HalfBlocks, path, *cols, *rows);
    update(
        &mut state,
        Msg::Previewed {
            id: key.clone(),
            result,
        },
    );
    let terminal = draw(&state);
    let coloured = picture_cells(&terminal);
    assert!(coloured > 50, "{coloured} half-block cells");
    insta::assert_snapshot!("dialog_preview_80x24", terminal.backend().to_string());
    // Another source: the picture goes at once; a file that is no image says so.
    update(&mut state, ch('x'));
    assert!(!screen(&state).contains('▀'));
    let not_image = ark_assets::preview::render_file(
        &Painter::HalfBlocks,
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")),
        20,
        8,
    );
    assert_eq!(not_image, Err(ark_assets::preview::NoPreview::NotMedia));
}

#[test]
fn a_graphic_preview_reaches_the_terminal_past_the_guard() {
    let mut picker = ratatui_image::picker::Picker::halfblocks();
    picker.set_protocol_type(ratatui_image::picker::ProtocolType::Kitty);
    let mut state = previewing(&Painter::Graphics(Box::new(picker)));
    let terminal = draw(&state);
    let sent = |terminal: &Terminal<TestBackend>| {
        terminal
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.symbol().contains("\x1b_G"))
    };
    // Made here from pixels, the protocol's sequences pass; the rest of the frame is guarded.
    assert!(sent(&terminal));
    // Under an overlay it is not drawn.
    update(&mut state, ch('?'));
    assert!(!sent(&draw(&state)));
}

/// Every hint names the key the `[keys]` table bound, not the built-in one: the empty panes,
/// an error's retry, the filter's clear, the footer.
#[test]
fn hints_name_the_keys_a_keys_table_binds() {
    use ark_assets::app::keymap::Keymap;
    let overrides = std::collections::BTreeMap::from([
        ("refresh".to_owned(), vec!["z".to_owned()]),
        ("create".to_owned(), vec!["a".to_owned()]),
        ("clear_filter".to_owned(), vec!["ctrl-l".to_owned()]),
    ]);
    let mut state = fresh(SMALL);
    state.keys = Keymap::default().with_overrides(&overrides).unwrap();
    update(
        &mut state,
        Msg::GroupsLoaded(Ok(Listing::complete(Vec::new()))),
    );
    let empty = screen(&state);
    assert!(empty.contains("No groups yet: press a"), "{empty}");
    let err = ApiError {
        action: ark_assets::api::model::Action::ListAssetGroups,
        kind: ErrorKind::Service,
        http_status: Some(503),
        code: "ServiceUnavailable".into(),
        message: "try later".into(),
        request_id: None,
        retry_after: None,
    };
    update(&mut state, Msg::GroupsLoaded(Err(err.into())));
    let failed = screen(&state);
    assert!(failed.contains("z retries"), "{failed}");
    let toast = &state.toast.as_ref().unwrap().text;
    assert!(toast.ends_with("— z retries"), "{toast}");
    assert!(!failed.contains("Press R"), "{failed}");
    insta::assert_snapshot!("remapped_hints_80x24", failed);
}

/// Times in the user's zone: the pane's column and the detail pane (with UTC beside it).
#[test]
fn times_in_the_users_zone_at_160x48() {
    let mut state = with_assets(LARGE, 5);
    state.zone = ark_assets::times::Zone::Fixed(chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let shown = screen(&state);
    // The fixtures' asset 0 was updated at 14:20 UTC: 22:20 in Shanghai.
    assert!(shown.contains("06-02 22:20"), "{shown}");
    assert!(
        shown.contains("Updated     2026-06-02 22:20:00 +08:00"),
        "{shown}"
    );
    assert!(
        shown.contains("            2026-06-02 14:20:00 UTC"),
        "{shown}"
    );
    insta::assert_snapshot!("times_in_shanghai_160x48", shown);
}

/// `[columns]` chooses and orders the assets pane's columns; as the terminal narrows, the id
/// goes first, then times turn into ages, then status into its symbol: the name keeps its
/// room, and whatever is cut ends in `…`.
#[test]
fn columns_chosen_ordered_and_fitted_at_80x24_and_40x12() {
    use ark_assets::config::{Column, Columns};
    for size in [SMALL, TINY] {
        let mut state = with_assets(size, 12);
        update(&mut state, ch('l'));
        insta::assert_snapshot!(
            format!("columns_default_{}x{}", size.0, size.1),
            screen(&state)
        );
    }
    let mut state = with_assets(LARGE, 12);
    state.columns = Columns(vec![
        Column::Name,
        Column::Created,
        Column::Id,
        Column::Status,
    ]);
    let shown = screen(&state);
    let header = shown.lines().nth(2).unwrap();
    let at = |word: &str| {
        header
            .find(word)
            .unwrap_or_else(|| panic!("{word}: {header}"))
    };
    assert!(
        at("Name") < at("Created") && at("Created") < at("Id"),
        "{header}"
    );
    assert!(shown.contains("asset-20260602110000-a0000"), "{shown}");
    insta::assert_snapshot!("columns_chosen_160x48", shown);
}

/// The selected row is one bar of one colour: its status and type cells keep no colours of
/// their own (in colour, and in reverse video with NO_COLOR).
#[test]
fn the_selection_bar_is_one_colour_across_the_row() {
    for color in [true, false] {
        let theme = Theme {
            color,
            ..Theme::default()
        };
        let mut state = with_assets(LARGE, 12);
        update(&mut state, ch('l'));
        // The second row: a processing asset named in ASCII (no wide characters' hidden
        // cells).
        update(&mut state, ch('j'));
        let terminal = draw_in(&state, &theme);
        let buffer = terminal.backend().buffer();
        let area = ark_assets::app::layout::areas(buffer.area).assets;
        let y = area.y + 3;
        let row: Vec<_> = (area.x + 1..area.right() - 1)
            .map(|x| &buffer[(x, y)])
            .collect();
        let first = (row[0].fg, row[0].bg, row[0].modifier);
        for (x, cell) in row.iter().enumerate() {
            assert_eq!(
                (cell.fg, cell.bg, cell.modifier),
                first,
                "{x}: {cell:?} in {color}"
            );
        }
        assert_ne!(
            first,
            (
                Color::Reset,
                Color::Reset,
                ratatui::style::Modifier::empty()
            )
        );
    }
}

/// The status line of a drawn screen, as its cells read.
fn status_row(state: &AppState) -> String {
    let terminal = draw(state);
    let buffer = terminal.backend().buffer();
    let y = state.viewport.1 - 2;
    let row: String = (0..state.viewport.0)
        .map(|x| buffer[(x, y)].symbol().to_owned())
        .collect();
    row.trim_end().to_owned()
}

/// No status message is cut without "… (m)", and the messages log then holds it whole: errors
/// and notes (steps of work, which the log otherwise skips), at 80 and 40 columns, and after a
/// resize makes a shown message too long.
#[test]
fn no_status_message_is_cut_without_pointing_to_the_log() {
    let long = "imported 17 of 19 files into \"Product shots\"; 2 not: hero-2.png: 200x200 px: \
                each side must be 301-5999 px; retry reasons and the read-only notice in full";
    let said: Vec<(&str, Msg)> = vec![
        ("failed", Msg::TaskFailed(long.to_owned())),
        ("noted", Msg::Notice(long.to_owned())),
        ("short", Msg::Notice("refreshed".to_owned())),
    ];
    for size in [(80, 24), (40, 12)] {
        for (what, msg) in &said {
            let mut state = with_assets(size, 5);
            update(&mut state, msg.clone());
            let text = state.toast.as_ref().unwrap().text.clone();
            let row = status_row(&state);
            let whole = row.ends_with(text.as_str());
            assert!(
                whole || row.ends_with("… (m)"),
                "{what} at {size:?}: {row:?}"
            );
            if !whole {
                let last = state.messages.iter().last().unwrap();
                assert_eq!(
                    last.text, text,
                    "{what} at {size:?}: the log holds it whole"
                );
            }
        }
    }
    // A note that fitted at 160 columns is kept once a resize to 80 cuts it.
    let mut state = with_assets(LARGE, 5);
    let fits = "syncing the group with the folder ~/refs/product-shots-2026-winter (38 files)…";
    update(&mut state, Msg::Notice(fits.to_owned()));
    assert!(state.messages.iter().all(|m| m.text != fits));
    update(&mut state, Msg::Resize(60, 24));
    assert!(status_row(&state).ends_with("… (m)"));
    assert_eq!(state.messages.iter().last().unwrap().text, fits);
    // A run's steps are one message, its last.
    let before = state.messages.len();
    update(&mut state, Msg::Notice(format!("{fits} 1 of 38")));
    update(&mut state, Msg::Notice(format!("{fits} 2 of 38")));
    assert_eq!(state.messages.len(), before);
    assert!(
        state
            .messages
            .iter()
            .last()
            .unwrap()
            .text
            .ends_with("2 of 38")
    );
}

/// The assets pane's title: "loading…" while the first page is on its way (not a count of 0),
/// then where the selection is among the rows (`5/20`).
#[test]
fn the_assets_title_says_loading_then_the_position() {
    let mut state = with_groups(SMALL);
    update(&mut state, key(KeyCode::Enter));
    let loading = screen(&state);
    assert!(
        loading.contains("Assets (loading…)") && !loading.contains("Assets (0)"),
        "{loading}"
    );
    let mut state = with_assets(SMALL, 20);
    for _ in 0..4 {
        update(&mut state, ch('j'));
    }
    assert!(screen(&state).contains("Assets (5/20)"));
}

/// A one-field dialog names what Enter does and shows no "Tab next field".
#[test]
fn one_field_dialogs_name_what_enter_does_at_80x24() {
    for (open, hint, name) in [(
        'r',
        "Enter rename   Esc cancel",
        "dialog_rename_asset_open_80x24",
    )] {
        let mut state = with_assets(SMALL, 10);
        update(&mut state, ch(open));
        let shown = screen(&state);
        assert!(shown.contains(hint), "{shown}");
        assert!(!shown.contains("next field"), "{shown}");
        insta::assert_snapshot!(name, shown);
    }
}

/// The palette at 80x24: a long CJK input is cut by display width inside its border; Ctrl-U
/// clears it; a command is found by its `[keys]` name.
#[test]
fn the_palette_cuts_wide_input_clears_it_and_finds_keys_names_at_80x24() {
    let mut state = with_assets(SMALL, 10);
    update(&mut state, ch(':'));
    typed(&mut state, &"角色".repeat(30));
    let shown = screen(&state);
    // The input's end shows, cut by display width: its line ends at the palette's border, and
    // no wide character of the panes under it covers its left border.
    let input = shown.lines().find(|l| l.contains(": …")).expect(&shown);
    assert!(input.contains("角色 │"), "{shown}");
    let buffer = draw(&state).backend().buffer().clone();
    let Some(left) = (0..SMALL.0).find(|&x| buffer[(x, 2)].symbol() == "┌") else {
        panic!("{shown}")
    };
    for y in 3..5 {
        assert_eq!(buffer[(left, y)].symbol(), "│", "row {y}: {shown}");
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(buffer[(left - 1, y)].symbol()),
            1,
            "row {y}: {shown}"
        );
    }
    insta::assert_snapshot!("palette_wide_input_80x24", shown);
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    let Mode::Palette(p) = &state.mode else {
        panic!("{:?}", state.mode)
    };
    assert!(p.input.is_empty());
    typed(&mut state, "visual_select");
    let Mode::Palette(p) = &state.mode else {
        panic!("{:?}", state.mode)
    };
    assert!(
        p.current().unwrap().label.starts_with("mark a range"),
        "{:?}",
        p.current()
    );
}

/// `p` in a session whose profile names `team-a` and that used `p9` (open) and `p7` before.
fn picking_a_project() -> AppState {
    let mut state = with_assets(SMALL, 10);
    state.header.project = "team-a".into();
    state.restore(&ark_assets::app::remembered::Remembered {
        project: Some("p9".into()),
        projects: vec!["p9".into(), "p7".into()],
        ..Default::default()
    });
    update(&mut state, ch('p'));
    state
}

#[test]
fn the_project_picker_at_80x24() {
    let mut state = picking_a_project();
    let shown = screen(&state);
    for line in [
        "▸ p7 ",
        "p9  · open now",
        "team-a  · the profile's",
        "  default ",
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    insta::assert_snapshot!("projects_80x24", shown);
    // Typing narrows the list; a name no project listed is comes first.
    typed(&mut state, "p");
    let shown = screen(&state);
    assert!(shown.contains("▸ p  · typed, not used here yet"), "{shown}");
    assert!(!shown.contains("default"), "{shown}");
    insta::assert_snapshot!("projects_typed_80x24", shown);
    // A name the API refuses: the rule, under the list.
    update(&mut state, ch('\u{7}'));
    update(&mut state, key(KeyCode::Enter));
    let shown = screen(&state);
    assert!(shown.contains("Project"), "{shown}");
    insta::assert_snapshot!("projects_refused_80x24", shown);
}

/// Group 1 open, `other` and `staging` to copy to, and `C` pressed.
fn copying(size: (u16, u16)) -> AppState {
    let mut state = with_assets(size, 5);
    state.profiles = vec!["demo".into(), "other".into(), "staging".into()];
    update(&mut state, ch('C'));
    state
}

#[test]
fn the_copys_profile_list_at_80x24() {
    let mut state = copying(SMALL);
    let shown = screen(&state);
    assert!(
        shown.contains("Copy group \"主角 Leading cast\""),
        "{shown}"
    );
    assert!(shown.contains(" other "), "{shown}");
    assert!(
        !shown.contains(" demo  "),
        "the session's own is not offered: {shown}"
    );
    insta::assert_snapshot!("copy_profiles_80x24", shown);
    update(&mut state, key(KeyCode::Enter));
    let shown = screen(&state);
    assert!(shown.contains("planning the copy into other…"), "{shown}");
    insta::assert_snapshot!("copy_planning_80x24", shown);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_copys_plan_at_80x24_and_160x48() {
    let plan = crate::support::plans::copy_plan().await;
    for size in [SMALL, LARGE] {
        let mut state = copying(size);
        update(&mut state, key(KeyCode::Enter));
        update(
            &mut state,
            Msg::CopyPlanned {
                profile: "other".into(),
                result: Ok(ark_assets::app::msg::PlannedCopy {
                    plan: plan.clone(),
                    read_only: false,
                }),
            },
        );
        let shown = screen(&state);
        assert!(
            shown.contains("1 to create, 1 unchanged, 0 to delete, 1 not Active (skipped)"),
            "{shown}"
        );
        assert!(
            shown.contains("create    asset-20260101000000-s0001"),
            "{shown}"
        );
        assert!(
            shown.contains("1 asset only in the destination is kept"),
            "{shown}"
        );
        let name = format!("copy_plan_{}x{}", size.0, size.1);
        insta::assert_snapshot!(name, shown);
    }
    // `d`, then Enter: the question before deleting.
    let mut state = copying(SMALL);
    update(&mut state, key(KeyCode::Enter));
    update(
        &mut state,
        Msg::CopyPlanned {
            profile: "other".into(),
            result: Ok(ark_assets::app::msg::PlannedCopy {
                plan,
                read_only: false,
            }),
        },
    );
    update(&mut state, ch('d'));
    update(&mut state, key(KeyCode::Enter));
    let shown = screen(&state);
    assert!(
        shown.contains("delete    asset-20260101000000-d0001"),
        "{shown}"
    );
    assert!(
        shown.contains("Delete 1 asset only in the destination?"),
        "{shown}"
    );
    insta::assert_snapshot!("copy_plan_deleting_80x24", shown);
}

#[test]
fn the_pull_dialog_at_80x24() {
    let mut state = with_assets(SMALL, 5);
    update(&mut state, ch('P'));
    typed(&mut state, "~/refs-back");
    let shown = screen(&state);
    assert!(shown.contains("Pull the group's files"), "{shown}");
    assert!(shown.contains("Enter pull"), "{shown}");
    insta::assert_snapshot!("pull_dialog_80x24", shown);
}

#[test]
fn an_asset_seedance_used_lately_says_so_in_its_detail_and_its_delete_question_at_80x24() {
    let mut state = with_assets(SMALL, 20);
    let id = state.assets.current().unwrap().id.to_string();
    // GetAsset (the selection's URL) says when Seedance last used it: two hours ago.
    let mut answer = asset_of(&id);
    answer.last_inference_time = Some(state.now - chrono::Duration::hours(2));
    update(
        &mut state,
        Msg::UrlFetched {
            id: id.clone(),
            result: Ok(answer),
        },
    );
    update(&mut state, key(KeyCode::Enter));
    let detail = screen(&state);
    assert!(
        detail.contains("Last used   2026-06-02 17:00:00 UTC (2h ago)"),
        "{detail}"
    );
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, ch('d'));
    let asked = screen(&state);
    assert!(asked.contains("Used by Seedance 2h ago"), "{asked}");
    assert!(asked.contains("a running task using it fails"), "{asked}");
    insta::assert_snapshot!("delete_an_asset_in_use_80x24", asked);
    // An asset no task used lately asks as before.
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, ch('j'));
    update(&mut state, ch('d'));
    assert!(!screen(&state).contains("Seedance"));
}

#[test]
fn the_import_dialog_asks_about_sub_folders_at_80x24() {
    let mut state = with_assets(SMALL, 10);
    update(&mut state, ch('I'));
    let shown = screen(&state);
    assert!(shown.contains("Sub-folders too (y/n)"), "{shown}");
    assert!(shown.contains("Enter import"), "{shown}");
    insta::assert_snapshot!("dialog_import_folder_80x24", shown);
}

#[test]
fn the_task_form_with_its_legend_and_a_refusal_at_80x24_and_160x48() {
    for size in [SMALL, LARGE] {
        let mut state = with_tasks(size, 6);
        update(&mut state, ch(' '));
        update(&mut state, ch('j'));
        update(&mut state, ch(' '));
        update(&mut state, ch('g'));
        let refs: Vec<(String, String)> = state
            .marked_in_order()
            .iter()
            .map(|a| (a.id.to_string(), a.name.to_string()))
            .collect();
        let plan = image_plan(&refs, Vec::new());
        update(&mut state, Msg::TaskPlanned(Ok(plan)));
        typed(
            &mut state,
            "Image 1 walks slowly across a rainy street at dusk while Image 2 watches from a \
             lit window above; the camera follows at shoulder height",
        );
        update(&mut state, key(KeyCode::Enter));
        let refused = ark_assets::catalog::tasks::TaskError::Refused(vec![
            "asset asset-20260602110000-a0001 is Processing: only Active assets can be used".into(),
        ]);
        update(&mut state, Msg::TaskCreated(Err(refused)));
        insta::assert_snapshot!(format!("task_form_{}x{}", size.0, size.1), screen(&state));
    }
}

#[test]
fn the_tasks_view_at_80x24_and_160x48() {
    for size in [SMALL, LARGE] {
        let mut state = with_tasks(size, 6);
        update(&mut state, ch('T'));
        update(&mut state, Msg::TasksLoaded(Ok(seedance_tasks())));
        // On the failed task: its error shows in the detail.
        for _ in 0..3 {
            update(&mut state, ch('j'));
        }
        insta::assert_snapshot!(
            format!("tasks_{}x{}_failed", size.0, size.1),
            screen(&state)
        );
        update(&mut state, ch('k'));
        insta::assert_snapshot!(
            format!("tasks_{}x{}_succeeded", size.0, size.1),
            screen(&state)
        );
    }
}

/// A succeeded task's last frame: asked for once the task is selected in the view, drawn in its
/// detail at 160x48.
#[test]
fn a_tasks_last_frame_in_the_detail_at_160x48() {
    let mut state = with_tasks(LARGE, 6);
    state.preview_on = true;
    update(&mut state, ch('T'));
    update(&mut state, Msg::TasksLoaded(Ok(seedance_tasks())));
    update(&mut state, ch('j'));
    let effects = update(&mut state, ch('j'));
    let (cols, rows) = ark_assets::app::layout::task_frame_cells(LARGE).unwrap();
    let id = "cgt-20260602-t0002".to_owned();
    let want = Effect::Preview {
        id: id.clone(),
        url: "https://cdn.example.com/tasks/2.png?X-Signature=abc".into(),
        cols,
        rows,
    };
    assert_eq!(effects, vec![want]);
    assert!(
        update(&mut state, ch('k')).is_empty(),
        "the failed task has no frame"
    );
    assert!(update(&mut state, ch('j')).is_empty(), "asked for once");
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
    let preview =
        ark_assets::preview::render_image(&Painter::HalfBlocks, &png, cols, rows).unwrap();
    update(
        &mut state,
        Msg::Previewed {
            id,
            result: Ok(preview),
        },
    );
    let terminal = draw(&state);
    assert!(picture_cells(&terminal) > 100);
    insta::assert_snapshot!("task_last_frame_160x48", terminal.backend().to_string());
}
