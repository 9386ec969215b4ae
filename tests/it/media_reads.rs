//! Reads that fail are told from files that are broken: a host that loses the connection or
//! stalls while a video's movie header or an audio file is read makes the file "could not be
//! read" (worth a retry), never a broken video; a file that is really cut short stays a format
//! problem. Served by a loopback host that answers byte ranges.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ark_assets::emulator::Config;
use ark_assets::media::{self, CheckTimeouts, Media, check_client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::cli_env::Env;

/// How the host answers every request after the first (the first bytes are always sent).
#[derive(Debug, Clone, Copy)]
enum After {
    /// The range asked for.
    Serve,
    /// Half the range, then the connection closed.
    Cut,
    /// Nothing: the connection is held open without an answer.
    Stall,
}

/// A loopback host serving `bytes` at `/clip` in byte ranges, answering as `after` says once
/// the first request is served; its URL.
async fn host(bytes: Vec<u8>, after: After) -> url::Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/clip", listener.local_addr().unwrap());
    let bytes = Arc::new(bytes);
    let served = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            tokio::spawn(answer(conn, bytes.clone(), served.clone(), after));
        }
    });
    url::Url::parse(&url).unwrap()
}

/// Answers the requests of one connection.
async fn answer(mut conn: TcpStream, bytes: Arc<Vec<u8>>, served: Arc<AtomicUsize>, after: After) {
    let mut pending = Vec::new();
    while let Some(request) = next_request(&mut conn, &mut pending).await {
        let (start, end) = range(&request, bytes.len());
        let body = &bytes[start..=end];
        let head = format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{end}/{}\r\n\
             Content-Length: {}\r\n\r\n",
            bytes.len(),
            body.len()
        );
        let first = served.fetch_add(1, Ordering::SeqCst) == 0;
        let sent = match (first, after) {
            (true, _) | (false, After::Serve) => [head.as_bytes(), body].concat(),
            (false, After::Cut) => [head.as_bytes(), &body[..body.len() / 2]].concat(),
            (false, After::Stall) => return std::future::pending().await,
        };
        if conn.write_all(&sent).await.is_err() {
            return;
        }
        if !first && matches!(after, After::Cut) {
            return;
        }
    }
}

/// The head of the next request on `conn` (`pending`: bytes read past the last one).
async fn next_request(conn: &mut TcpStream, pending: &mut Vec<u8>) -> Option<String> {
    loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let request = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 4);
            return Some(request);
        }
        let mut chunk = [0u8; 4096];
        match conn.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The first and last byte a request's `Range` asks for, within `len`.
fn range(request: &str, len: usize) -> (usize, usize) {
    let asked = request
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("range: bytes=")
                .map(str::to_owned)
        })
        .and_then(|r| {
            let (a, b) = r.split_once('-')?;
            Some((a.trim().parse().ok()?, b.trim().parse().unwrap_or(len - 1)))
        });
    let (start, end) = asked.unwrap_or((0, len - 1));
    (start, end.min(len - 1))
}

fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

/// A sample video with 100 KB of padding after its `ftyp`, so that its movie header (at its
/// end) comes in a read of its own; and where that movie header starts.
fn padded_video() -> (Vec<u8>, usize) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/media/moov-at-end.mp4");
    let whole = std::fs::read(path).unwrap();
    let ftyp = u32::from_be_bytes(whole[..4].try_into().unwrap()) as usize;
    let mut padded = whole[..ftyp].to_vec();
    padded.extend_from_slice(&mp4_box(b"free", &vec![0; 100_000]));
    padded.extend_from_slice(&whole[ftyp..]);
    let moov = padded.windows(4).rposition(|w| w == b"moov").unwrap() - 4;
    (padded, moov)
}

/// A 100 KB mono 16 kHz 16-bit WAV file (more than the first read).
fn long_wav() -> Vec<u8> {
    let data = 100_000u32;
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt \x10\0\0\0\x01\0\x01\0");
    out.extend_from_slice(&16_000u32.to_le_bytes());
    out.extend_from_slice(&32_000u32.to_le_bytes());
    out.extend_from_slice(b"\x02\0\x10\0data");
    out.extend_from_slice(&data.to_le_bytes());
    out.resize(out.len() + data as usize, 0);
    out
}

async fn probe(bytes: Vec<u8>, after: After, timeouts: CheckTimeouts) -> Result<Media, String> {
    let url = host(bytes, after).await;
    media::probe_url(&check_client(timeouts), &url, timeouts)
        .await
        .map(|p| p.media)
        .map_err(|e| {
            let shown = e.to_string();
            // The kind and the words agree: unreadable is never a format problem.
            assert_eq!(
                e.is_unreadable(),
                shown.contains("could not be read") || shown.contains("did not send"),
                "{shown}"
            );
            assert!(!(e.is_unreadable() && e.is_format_problem()));
            format!(
                "{}{shown}",
                if e.is_unreadable() {
                    "unreadable: "
                } else {
                    ""
                }
            )
        })
}

#[tokio::test]
async fn a_lost_connection_is_unreadable_and_a_cut_file_is_broken() {
    let (video, moov) = padded_video();
    let fine = CheckTimeouts::default();
    let read = probe(video.clone(), After::Serve, fine).await.unwrap();
    assert!(
        matches!(read, Media::Video(v) if v.width > 0),
        "the file itself is fine"
    );

    let lost = probe(video.clone(), After::Cut, fine).await.unwrap_err();
    assert!(
        lost.starts_with("unreadable: URL \"http://127.0.0.1:"),
        "{lost}"
    );
    assert!(
        lost.contains("could not be read") && lost.contains("try again"),
        "{lost}"
    );
    assert!(!lost.contains("Video"), "not called a broken video: {lost}");

    let cut = probe(video[..moov].to_vec(), After::Serve, fine)
        .await
        .unwrap_err();
    assert!(cut.starts_with("Video: it has no movie header"), "{cut}");

    let wav = long_wav();
    let sound = probe(wav.clone(), After::Serve, fine).await.unwrap();
    assert!(
        matches!(&sound, Media::Audio(a) if a.duration == Some(3.125)),
        "{sound:?}"
    );
    let lost = probe(wav, After::Cut, fine).await.unwrap_err();
    assert!(
        lost.starts_with("unreadable: URL ") && !lost.contains("Audio"),
        "{lost}"
    );
}

#[tokio::test]
async fn a_host_that_stalls_on_the_movie_header_times_out_as_unreadable() {
    let (video, _) = padded_video();
    let timeouts = CheckTimeouts::within(Duration::from_secs(1));
    let stalled = probe(video, After::Stall, timeouts).await.unwrap_err();
    assert!(
        stalled.starts_with("unreadable: URL ")
            && stalled.contains("did not send the file's bytes within 1 s"),
        "{stalled}"
    );
}

/// `assets create` (the use case the TUI's create dialog runs too) and `import`'s report say
/// a lost connection as a read that failed, and send nothing.
#[tokio::test]
async fn create_and_import_say_a_lost_connection_is_not_a_broken_video() {
    let env = Env::start(Config::default()).await;
    let group = env.group("reads").await;
    let url = host(padded_video().0, After::Cut).await;
    let out = env
        .run(&["assets", "create", "--group", &group, "--url", url.as_str()])
        .await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("could not be read") && !err.contains("Video"),
        "{err}"
    );

    let url = host(padded_video().0, After::Cut).await;
    let listing = env.data.join("reads.txt");
    std::fs::write(&listing, format!("{url}\n")).unwrap();
    let out = env
        .run(&["import", "--group", &group, listing.to_str().unwrap()])
        .await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("reads.txt:1:") && err.contains("could not be read") && !err.contains("Video"),
        "{err}"
    );
    assert_eq!(env.group_size(&group), 0, "nothing sent");
}
