//! Bytes written to the terminal per scroll step at 160x48, since SSH links are slow:
//! `cargo bench --bench terminal_bytes`. Only changed cells should be sent. 10,000 assets in the
//! open group (2,000 in the quick mode).

// The integration tests' fixtures; a bench uses some of them.
#[allow(dead_code)]
#[path = "../tests/it/support/fixtures.rs"]
mod fixtures;
// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ark_assets::app::update;
use ark_assets::ui::{Theme, render};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// A terminal that counts what it is sent.
#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        *self.0.lock().unwrap() += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    support::begin();
    let size = (160, 48);
    let mut state = fixtures::with_assets(size, support::scale(10_000, 2_000));
    let counter = Counter::default();
    let backend = CrosstermBackend::new(counter.clone());
    let mut terminal = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, size.0, size.1)),
        },
    )
    .unwrap();
    let mut draw = |state: &ark_assets::app::AppState| {
        let before = *counter.0.lock().unwrap();
        terminal
            .draw(|f| render(state, &Theme::default(), f))
            .unwrap();
        *counter.0.lock().unwrap() - before
    };
    let first = draw(&state);
    // A frame of 160x48 cells is kilobytes: less is a terminal that was not drawn on.
    assert!(first > 160 * 48, "the first frame sent {first} bytes");
    println!("first frame (full screen, 160x48): {first} bytes");
    let mut steps = Vec::new();
    for _ in 0..20 {
        update(&mut state, fixtures::ch('j'));
        steps.push(draw(&state));
    }
    let within: Vec<usize> = steps[..10].to_vec();
    println!("scroll step, selection moves within the window (j): {within:?} bytes");
    for _ in 0..60 {
        update(&mut state, fixtures::ch('j'));
    }
    draw(&state);
    let mut scrolling = Vec::new();
    for _ in 0..5 {
        update(&mut state, fixtures::ch('j'));
        scrolling.push(draw(&state));
    }
    println!("scroll step, list scrolls by one row (j at the bottom): {scrolling:?} bytes");
    assert!(
        steps.iter().chain(&scrolling).all(|&n| n > 0),
        "a step that moved the selection sent nothing"
    );
    update(&mut state, fixtures::key(KeyCode::PageDown));
    println!("page down: {} bytes", draw(&state));
    println!("unchanged redraw: {} bytes", draw(&state));
}
