//! What the upload and sync benchmarks share: a folder of distinct images, and a config file
//! whose default profile uses the emulator and the in-process S3 server.

use std::path::Path;

use ark_assets::emulator::{self, s3::S3Server};

/// `count` valid PNGs of `size` bytes (at least the sample's 5.6 KB) named
/// `<prefix>-NNNN.png`, each of distinct content, last changed an hour ago.
pub fn make_files(dir: &Path, count: usize, size: usize, prefix: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let sample =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.png")).unwrap();
    assert!(
        size >= sample.len() + 8,
        "{size} bytes would cut the sample"
    );
    for i in 0..count {
        let mut bytes = sample.clone();
        bytes.resize(size - 8, 0x5a);
        bytes.extend_from_slice(&(i as u64).to_le_bytes());
        let path = dir.join(format!("{prefix}-{i:04}.png"));
        std::fs::write(&path, bytes).unwrap();
        // As a folder's files usually are: last changed well before a sync reads them (a file
        // changed in the last seconds is hashed again by the next sync, its times not trusted).
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
}

/// Writes `path`: a default profile with the demo keys against `emulator_url`, uploading to
/// `s3`'s bucket `bench` (`extra` lines added to its storage table).
pub fn write_config(path: &Path, emulator_url: &str, s3: &S3Server, extra: &str) {
    let profile = format!(
        "[profiles.default]\naccess_key = \"{}\"\nsecret_key = \"{}\"\nendpoint = \"{}\"\n\n{}{extra}",
        emulator::DEMO_ACCESS_KEY,
        emulator::DEMO_SECRET_KEY,
        emulator_url,
        s3.snippet("bench")
            .replace("[profiles.local.storage]", "[profiles.default.storage]")
    );
    ark_assets::files::write_private(path, profile.as_bytes()).unwrap();
}
