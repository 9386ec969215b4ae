//! Image previews: a 5998x3998 JPEG (the largest an asset may be: each side under 6000 px)
//! from request to half-block cells on a worker (download from the in-process S3 server
//! through a presigned GET, decode, scale), and the longest time the UI loop spends on preview
//! work (applying the result and drawing a frame with it): `cargo bench --bench preview`. The
//! quick mode: a 3000x2000 JPEG, 3 runs.

// What the benches share; each uses some of it.
#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use ark_assets::app::msg::Msg;
use ark_assets::app::state::{AppState, Focus, Header};
use ark_assets::app::{layout, update};
use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::preview;
use ark_assets::storage::{Storage, hash_file};
use ark_assets::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZE: (u16, u16) = (160, 48);

/// A JPEG of `width` x `height` with some structure (gradients), so it is not trivially small.
fn big_jpeg((width, height): (u32, u32)) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 24) as u8, (y / 16) as u8, ((x + y) / 40) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out.into_inner()
}

/// Times in milliseconds, sorted: the median and the largest.
fn median_max(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() - 1]))
}

/// The UI loop's share of a preview: applying the worker's `cells` and drawing a frame with
/// the picture.
fn ui_share(cells: preview::Preview) -> Duration {
    let mut state = AppState::new(Header::default(), SIZE);
    state.preview_on = true;
    state.focus = Focus::Assets;
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let start = Instant::now();
    update(
        &mut state,
        Msg::Previewed {
            id: "a".into(),
            result: Ok(cells),
        },
    );
    terminal
        .draw(|f| render(&state, &Theme::default(), f))
        .unwrap();
    start.elapsed()
}

#[tokio::main]
async fn main() {
    support::begin();
    // An asset's sides are under 6000 px, and a picture claiming more is not previewed at all.
    let (runs, sides) = support::scale((10, (5998, 3998)), (3, (3000, 2000)));
    let s3 = S3Server::temporary(S3Options::demo(), "bench")
        .await
        .unwrap();
    let config = s3.config("bench");
    let storage = Storage::new(&config, ark_assets::http::client(|b| b)).unwrap();
    let path = std::env::temp_dir().join(format!("ark-assets-preview-{}.jpg", std::process::id()));
    let jpeg = big_jpeg(sides);
    std::fs::write(&path, &jpeg).unwrap();
    let content = hash_file(&path).await.unwrap();
    let key = format!("{}big.jpg", config.prefix);
    storage
        .upload(&key, &path, &content, std::sync::Arc::new(|_| {}))
        .await
        .unwrap();
    let url = storage.presigned_get(&key).to_string();
    let (cols, rows) = layout::preview_cells(SIZE).unwrap();
    let http = ark_assets::http::client(|b| b);

    let mut worker = Vec::new();
    let mut ui = Duration::ZERO;
    for _ in 0..runs {
        let start = Instant::now();
        let bytes = preview::fetch(&http, &url).await.unwrap();
        let cells = tokio::task::spawn_blocking(move || {
            preview::render_image(&preview::Painter::HalfBlocks, &bytes, cols, rows)
        })
        .await
        .unwrap()
        .unwrap();
        worker.push(start.elapsed());
        ui = ui.max(ui_share(cells));
    }
    let (median, max) = median_max(worker);
    println!(
        "preview of a {}x{} JPEG ({:.1} MB) to {cols}x{rows} half-block cells on a worker: \
         median {median:.0} ms, max {max:.0} ms over {runs} (bound: < 150 ms)",
        sides.0,
        sides.1,
        jpeg.len() as f64 / 1e6,
    );
    println!(
        "UI loop blocked by preview work (apply + full frame with the picture): max {:.2} ms \
         (bound: < 2 ms)",
        ui.as_secs_f64() * 1000.0
    );
    // The same picture for a terminal speaking kitty's protocol (10x20 px cells): decoded at
    // the cells' pixel size and encoded on the worker.
    let mut picker = ratatui_image::picker::Picker::halfblocks();
    picker.set_protocol_type(ratatui_image::picker::ProtocolType::Kitty);
    let kitty = preview::Painter::Graphics(Box::new(picker));
    let bytes = preview::fetch(&http, &url).await.unwrap();
    let encoded = (0..runs)
        .map(|_| {
            let start = Instant::now();
            preview::render_image(&kitty, &bytes, cols, rows).unwrap();
            start.elapsed()
        })
        .collect();
    let (median, max) = median_max(encoded);
    println!(
        "the same for kitty graphics ({}x{} px): decode, scale and encode median {median:.0} ms, \
         max {max:.0} ms",
        cols * 10,
        rows * 20,
    );
    std::fs::remove_file(&path).ok();
}
