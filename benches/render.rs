//! Render and update cost at scale: `cargo bench --bench render`.
//!
//! A full frame at 160x48 with 1k, 10k and 100k assets in the open group, scrolled to the
//! middle; `update` applying a poll result in which 100 assets changed status; and pairs of
//! keys at 100k assets. The quick mode: 2,000 assets, 5 samples of one iteration each.

// The integration tests' fixtures; a bench uses some of them.
#[allow(dead_code)]
#[path = "../tests/it/support/fixtures.rs"]
mod fixtures;
// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use ark_assets::api::model::Status;
use ark_assets::app::layout::list_rows;
use ark_assets::app::msg::Msg;
use ark_assets::app::update;
use ark_assets::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZE: (u16, u16) = (160, 48);

fn main() {
    support::begin();
    let divan = divan::Divan::from_args();
    if support::quick() {
        divan.sample_count(5).sample_size(1).main();
    } else {
        divan.main();
    }
}

/// Assets in the open group: several sizes, or one small one in the quick mode.
fn counts(full: &'static [usize]) -> &'static [usize] {
    support::scale(full, &[2_000])
}

#[divan::bench(args = counts(&[1_000, 10_000, 100_000]))]
fn full_frame_160x48(bencher: divan::Bencher, n: usize) {
    let mut state = fixtures::with_assets(SIZE, n);
    state.assets.selected = n / 2;
    state.assets.scroll(list_rows(SIZE));
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    bencher.bench_local(|| {
        terminal
            .draw(|f| render(&state, &Theme::default(), f))
            .unwrap();
    });
}

#[divan::bench(args = counts(&[1_000, 100_000]))]
fn update_poll_result_100_changes(bencher: divan::Bencher, n: usize) {
    let state = fixtures::with_assets(SIZE, n);
    let group = fixtures::group(1, "").id;
    let changed: Vec<_> = fixtures::mixed_assets(n)
        .into_iter()
        .filter(|a| a.status == Status::Processing)
        .take(100)
        .map(|mut a| {
            a.status = Status::Active;
            a
        })
        .collect();
    assert_eq!(changed.len(), 100.min(n / 7));
    bencher
        .with_inputs(|| {
            (
                state.clone(),
                Msg::Polled {
                    group_id: group.clone(),
                    result: Ok(changed.clone()),
                },
            )
        })
        .bench_local_values(|(mut state, action)| {
            update(&mut state, action);
            state
        });
}

/// A key and the one that undoes it at 100,000 assets, each followed by its frame: what the UI
/// loop spends on two keys (the latency bench adds the terminal, the pty and the other threads).
/// The quick mode has 2,000 assets.
#[divan::bench(args = ["j k", "PgDn PgUp", "/ Esc", "t Backspace", "o o o o", "O O"])]
fn keys_to_frames_100k(bencher: divan::Bencher, keys: &str) {
    use crossterm::event::KeyCode;
    let n = counts(&[100_000])[0];
    let mut state = fixtures::with_assets(SIZE, n);
    state.focus = ark_assets::app::state::Focus::Assets;
    state.assets.selected = n / 2;
    if keys.starts_with('t') {
        fixtures::typed(&mut state, "/ex");
    }
    let actions: Vec<Msg> = keys
        .split(' ')
        .map(|k| match k {
            "PgDn" => fixtures::key(KeyCode::PageDown),
            "PgUp" => fixtures::key(KeyCode::PageUp),
            "Esc" => fixtures::key(KeyCode::Esc),
            "Backspace" => fixtures::key(KeyCode::Backspace),
            k => fixtures::ch(k.chars().next().unwrap()),
        })
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    bencher.bench_local(|| {
        for action in &actions {
            update(&mut state, action.clone());
            terminal
                .draw(|f| render(&state, &Theme::default(), f))
                .unwrap();
        }
    });
}
