//! Probing the committed sample videos and audio (assets/media/, made by its generate.sh):
//! from local files and over HTTP with ranged reads, and the rules each one meets or breaks.

use std::path::{Path, PathBuf};

use ark_assets::emulator::{Config, Emulator};
use ark_assets::media::{
    self, AudioFormat, Codec, Container, Media, MediaKind, Model, Policy, VideoInfo,
};
use ark_assets::media::{CheckTimeouts, check_client};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/media")
        .join(name)
}

async fn probe(name: &str) -> Media {
    media::probe_file(&sample(name))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .media
}

fn video(m: Media) -> VideoInfo {
    match m {
        Media::Video(v) => v,
        other => panic!("not a video: {other:?}"),
    }
}

async fn check(name: &str, policy: Policy) -> Result<media::Checked, Vec<String>> {
    check_path(&sample(name), policy).await
}

async fn check_path(path: &Path, policy: Policy) -> Result<media::Checked, Vec<String>> {
    media::check_file(path, &policy)
        .await
        .map_err(|e| e.iter().map(ToString::to_string).collect())
}

#[tokio::test]
async fn both_containers_both_codecs_and_every_audio_track() {
    let v = video(probe("h264-aac-24fps.mp4").await);
    assert_eq!(v.container, Container::Mp4);
    assert_eq!((v.width, v.height, v.rotation), (640, 640, 0));
    assert_eq!(v.fps, 24.0);
    assert!((v.duration - 3.0).abs() < 0.05, "{}", v.duration);
    assert_eq!(v.video_codec, Codec::H264);
    assert_eq!(v.audio_codec, Some(Codec::Aac));

    let v = video(probe("hevc-pcm.mov").await);
    assert_eq!(v.container, Container::Mov);
    assert_eq!(
        (v.video_codec, v.audio_codec),
        (Codec::H265, Some(Codec::Pcm))
    );
    assert_eq!(v.fps, 25.0);
    assert!(check("hevc-pcm.mov", Policy::default()).await.is_ok());

    let v = video(probe("hevc-mp3-60fps.mp4").await);
    assert_eq!(
        (v.video_codec, v.audio_codec),
        (Codec::H265, Some(Codec::Mp3))
    );
    assert_eq!(v.fps, 60.0);
    assert!(check("hevc-mp3-60fps.mp4", Policy::default()).await.is_ok());

    let v = video(probe("moov-at-end.mp4").await);
    assert_eq!((v.width, v.height, v.fps), (640, 640, 30.0));
}

#[tokio::test]
async fn rotation_swaps_the_shown_sides() {
    let v = video(probe("rotated.mp4").await);
    assert_eq!(v.rotation % 180, 90, "{v:?}");
    assert_eq!((v.width, v.height), (640, 960));
}

#[tokio::test]
async fn service_rules_refuse_with_the_value() {
    for (name, expected) in [
        (
            "fps-23.mp4",
            "Video \"23 fps\": frame rate must be 24–60 fps",
        ),
        (
            "fps-61.mp4",
            "Video \"61 fps\": frame rate must be 24–60 fps",
        ),
        ("small-320x320.mp4", "frame has 102400 pixels"),
        (
            "mpeg4-part2.mp4",
            "Video \"mp4v\": video codec is not accepted",
        ),
        (
            "opus-audio.mp4",
            "Video \"Opus\": audio track codec is not accepted",
        ),
        (
            "voice.m4a",
            "is AAC audio in MP4; audio assets must be mp3 or wav",
        ),
    ] {
        let err = check(name, Policy::default()).await.unwrap_err();
        assert!(err.iter().any(|e| e.contains(expected)), "{name}: {err:?}");
    }
}

#[tokio::test]
async fn model_rules_warn_unless_strict_and_follow_the_model() {
    let ok = check("long-16s.mp4", Policy::default()).await.unwrap();
    assert!(
        ok.warnings[0].contains("seedance-2.0 takes reference videos of 2–15 s"),
        "{ok:?}"
    );
    let strict = Policy {
        strict: true,
        ..Policy::default()
    };
    let err = check("long-16s.mp4", strict).await.unwrap_err();
    assert!(err[0].starts_with("Model \"seedance-2.0\""), "{err:?}");
    let v25 = Policy {
        model: Model::Seedance25,
        strict: true,
        ..Policy::default()
    };
    assert!(
        check("long-16s.mp4", v25)
            .await
            .unwrap()
            .warnings
            .is_empty()
    );
    let short = check("short-1s.mp4", v25).await.unwrap_err();
    assert!(short[0].contains("1.0 s"), "{short:?}");

    let long_audio = check("voice-16s.mp3", Policy::default()).await.unwrap();
    assert!(
        long_audio.warnings[0].contains("at most 15 s"),
        "{long_audio:?}"
    );
    assert!(check("voice-16s.mp3", strict).await.is_err());
}

#[tokio::test]
async fn wav_and_mp3_durations() {
    for (name, format, seconds) in [
        ("voice.wav", AudioFormat::Wav, 2.0),
        ("voice-cbr.mp3", AudioFormat::Mp3, 2.0),
        ("voice-vbr.mp3", AudioFormat::Mp3, 3.0),
        ("voice-16s.mp3", AudioFormat::Mp3, 16.0),
    ] {
        let Media::Audio(a) = probe(name).await else {
            panic!("{name} is not audio");
        };
        assert_eq!(a.format, format, "{name}");
        let d = a.duration.unwrap_or_else(|| panic!("{name}: no duration"));
        // Encoder padding adds up to a frame or so.
        assert!((d - seconds).abs() < 0.25, "{name}: {d}");
    }
}

#[tokio::test]
async fn truncated_lying_and_oversized_files() {
    let dir = tempfile_dir();
    // Cut inside the movie box (faststart puts it near the start).
    let whole = std::fs::read(sample("h264-aac-24fps.mp4")).unwrap();
    for cut in [7, 40, 600, whole.len() / 2] {
        let path = dir.join(format!("cut-{cut}.mp4"));
        std::fs::write(&path, &whole[..cut]).unwrap();
        let err = media::check_file(&path, &Policy::default()).await;
        assert!(err.is_err(), "cut at {cut} passed");
    }
    // A video named like an image: reported, and its type is video.
    let lying = dir.join("photo.png");
    std::fs::copy(sample("h264-aac-24fps.mp4"), &lying).unwrap();
    let checked = check_path(&lying, Policy::default()).await.unwrap();
    assert_eq!(checked.media.kind(), MediaKind::Video);
    assert!(
        checked
            .warnings
            .iter()
            .any(|w| w.contains(".png but the content is video mp4"))
    );
    // --type image refuses a video.
    let as_image = Policy {
        declared: Some(MediaKind::Image),
        ..Policy::default()
    };
    let err = check_path(&lying, as_image).await.unwrap_err();
    assert!(err[0].contains("the content is video"), "{err:?}");
    // 200 MB + 1 byte (sparse): refused by size, the rest still read.
    let big = dir.join("big.mp4");
    std::fs::copy(sample("h264-aac-24fps.mp4"), &big).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(media::rules::MAX_VIDEO_BYTES + 1)
        .unwrap();
    let err = check_path(&big, Policy::default()).await.unwrap_err();
    assert!(err[0].contains("at most 200 MB"), "{err:?}");
    let big_audio = dir.join("big.wav");
    std::fs::copy(sample("voice.wav"), &big_audio).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big_audio)
        .unwrap()
        .set_len(media::rules::MAX_AUDIO_BYTES + 1)
        .unwrap();
    let err = check_path(&big_audio, Policy::default()).await.unwrap_err();
    assert!(err[0].contains("at most 15 MB"), "{err:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// An ISO base media box of `kind` around `body`.
fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

#[tokio::test]
async fn many_small_boxes_no_tracks_and_wavs_without_a_format() {
    let dir = std::env::temp_dir().join(format!("ark-media-shapes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 5,000 `free` boxes between ftyp and the movie header.
    let whole = std::fs::read(sample("h264-aac-24fps.mp4")).unwrap();
    let ftyp = u32::from_be_bytes(whole[..4].try_into().unwrap()) as usize;
    let mut padded = whole[..ftyp].to_vec();
    for _ in 0..5_000 {
        padded.extend_from_slice(&mp4_box(b"free", &[]));
    }
    padded.extend_from_slice(&whole[ftyp..]);
    let path = dir.join("free-boxes.mp4");
    std::fs::write(&path, padded).unwrap();
    let probed = media::probe_file(&path).await.unwrap();
    assert_eq!(video(probed.media).fps, 24.0);
    // A movie header without tracks is a video without anything in it, not audio.
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    let mut empty = mp4_box(b"ftyp", b"isom\0\0\x02\0isom");
    empty.extend_from_slice(&mp4_box(b"moov", &mp4_box(b"mvhd", &mvhd)));
    let path = dir.join("no-tracks.mp4");
    std::fs::write(&path, empty).unwrap();
    let err = check_path(&path, Policy::default()).await.unwrap_err();
    assert_eq!(
        err,
        ["Video: is an MP4 file that holds no video or audio track"]
    );
    // A WAV without its fmt chunk is refused, not read with a warning.
    let mut wav = b"RIFF\x0c\0\0\0WAVE".to_vec();
    wav.extend_from_slice(b"data\x04\0\0\0\0\0\0\0");
    let path = dir.join("no-fmt.wav");
    std::fs::write(&path, wav).unwrap();
    let err = check_path(&path, Policy::default()).await.unwrap_err();
    assert!(err[0].contains("before any fmt chunk"), "{err:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ark-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn urls_are_read_with_ranges_and_moov_at_the_end_costs_little() {
    let emu = Emulator::start(Config::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let http = check_client(CheckTimeouts::default());
    for name in [
        "moov-at-end.mp4",
        "hevc-pcm.mov",
        "voice-cbr.mp3",
        "voice.wav",
    ] {
        let url = url::Url::parse(&emu.sample_url(&format!("media/{name}"))).unwrap();
        let from_url = media::probe_url(&http, &url, CheckTimeouts::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(from_url.media, probe(name).await, "{name}");
    }
    let url = url::Url::parse(&emu.sample_url("media/fps-23.mp4")).unwrap();
    let err = media::check_url(&http, &url, CheckTimeouts::default(), &Policy::default())
        .await
        .unwrap_err();
    assert!(err[0].to_string().contains("23 fps"), "{err:?}");
    emu.shutdown().await.unwrap();
}
