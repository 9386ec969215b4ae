//! The real binary, run against an in-process emulator with a private data directory.

use std::path::PathBuf;
use std::process::Output;

use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::emulator::{self, Config, Emulator};
use secrecy::ExposeSecret;
use tokio::process::Command;

pub struct Env {
    pub emu: Emulator,
    pub data: PathBuf,
    /// Object storage, when the profile has it (see [`Env::with_storage`]).
    pub s3: Option<S3Server>,
    access_key: String,
    secret_key: String,
    api_key: String,
}

impl Env {
    pub async fn start(config: Config) -> Env {
        let account = config.accounts[0].clone();
        let emu = Emulator::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let data = std::env::temp_dir().join(format!(
            "ark-assets-cli-{}-{}",
            std::process::id(),
            rand_suffix()
        ));
        // A folder left by an earlier run of the same process id starts empty.
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).unwrap();
        Env {
            emu,
            data,
            s3: None,
            access_key: account.access_key.clone(),
            secret_key: account.secret_key.expose_secret().to_owned(),
            api_key: account.api_key.expose_secret().to_owned(),
        }
    }

    /// Starts an in-process S3 server with bucket `assets` and writes a config file whose
    /// default profile uploads there; `extra` lines go into its storage table.
    pub async fn with_storage(mut self, extra: &str) -> Env {
        let s3 = S3Server::temporary(
            S3Options {
                listen: "127.0.0.1:0".parse().unwrap(),
                access_key: "AKLTstorage".into(),
                secret_key: "storage-secret-key".into(),
                domain: None,
            },
            "assets",
        )
        .await
        .unwrap();
        let config = format!(
            "[profiles.default]\naccess_key = \"{}\"\nsecret_key = \"{}\"\n\n\
             [profiles.default.storage]\nendpoint = \"{}\"\nbucket = \"assets\"\n\
             path_style = true\naccess_key = \"AKLTstorage\"\nsecret_key = \"storage-secret-key\"\n{extra}",
            self.access_key, self.secret_key, s3.url
        );
        ark_assets::files::write_private(&self.data.join("config.toml"), config.as_bytes())
            .unwrap();
        self.s3 = Some(s3);
        self
    }

    /// Makes the config file's default profile (see [`Env::with_storage`]) reach the global
    /// dialect with the account's API key, keeping its storage.
    pub fn use_global_profile(&self) {
        let path = self.data.join("config.toml");
        let config = std::fs::read_to_string(&path)
            .unwrap()
            .replacen("bucket = ", "region = \"us-east-1\"\nbucket = ", 1)
            .replacen(
                &self.keys_toml(),
                &format!(
                    "api_key = \"{}\"\nendpoint = \"{}{}\"\ndialect = \"global\"\n",
                    self.api_key,
                    self.emu.url,
                    emulator::GLOBAL_PREFIX
                ),
                1,
            );
        ark_assets::files::write_private(&path, config.as_bytes()).unwrap();
    }

    /// Objects in the storage bucket now.
    pub fn objects(&self) -> usize {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| {
                            let p = e.path();
                            if p.is_dir() { count(&p) } else { 1 }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        count(&self.s3.as_ref().expect("storage").root.join("assets"))
    }

    /// The account's keys as a profile's lines of a config file.
    pub fn keys_toml(&self) -> String {
        format!(
            "access_key = \"{}\"\nsecret_key = \"{}\"\n",
            self.access_key, self.secret_key
        )
    }

    /// The account's API key (the global dialect's).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// PUTs the storage answered.
    pub fn puts(&self) -> u64 {
        self.s3
            .as_ref()
            .expect("storage")
            .stats
            .puts
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The binary, with this account's environment (and nothing of the test's), in a session
    /// of its own: it has no controlling terminal, so nothing it asks can wait on the
    /// developer's terminal (a question there is refused, as under cron).
    pub fn command(&self, global: bool) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ark-assets"));
        cmd.env_clear().envs(self.vars(global));
        // SAFETY: setsid is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid()
                    .map(drop)
                    .map_err(std::io::Error::from)
            });
        }
        cmd
    }

    /// The environment the binary runs with: config file, data folder, the account's keys and
    /// endpoint (the global dialect's API key with `global`).
    pub fn vars(&self, global: bool) -> Vec<(&'static str, String)> {
        let mut vars = vec![
            (
                "ARK_ASSETS_CONFIG",
                self.data.join("config.toml").display().to_string(),
            ),
            ("ARK_ASSETS_DATA", self.data.display().to_string()),
            ("NO_COLOR", "1".to_owned()),
        ];
        if global {
            vars.push(("ARK_API_KEY", self.api_key.clone()));
            let endpoint = format!("{}{}", self.emu.url, emulator::GLOBAL_PREFIX);
            vars.push(("ARK_ENDPOINT", endpoint));
        } else {
            vars.push(("VOLC_ACCESSKEY", self.access_key.clone()));
            vars.push(("VOLC_SECRETKEY", self.secret_key.clone()));
            vars.push(("ARK_ENDPOINT", self.emu.url.clone()));
        }
        vars
    }

    /// `import --no-check --group GROUP FILE` against the domestic dialect, output captured.
    pub fn import(&self, group: &str, file: &std::path::Path) -> Command {
        let mut cmd = self.command(false);
        cmd.args(["import", "--no-check", "--group", group])
            .arg(file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        self.command(false).args(args).output().await.unwrap()
    }

    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `sync` of an empty folder into `group`, with `extra` arguments.
    pub async fn sync_empty(&self, group: &str, extra: &[&str]) -> Output {
        let empty = self.data.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let mut args = vec!["sync", empty.to_str().unwrap(), "--group", group];
        args.extend_from_slice(extra);
        self.run(&args).await
    }

    /// Creates a group named `name` (domestic) and returns its id.
    pub async fn group(&self, name: &str) -> String {
        self.ok(&["groups", "create", name]).await.trim().to_owned()
    }

    pub async fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all).await).unwrap()
    }

    /// The names of `group`'s assets, sorted.
    pub fn asset_names(&self, group: &str) -> Vec<String> {
        let mut names: Vec<String> = (self.emu.snapshot().assets.values())
            .filter(|a| a.asset.group_id == group)
            .map(|a| a.asset.name.clone())
            .collect();
        names.sort();
        names
    }

    pub fn group_size(&self, group: &str) -> usize {
        self.emu
            .snapshot()
            .assets
            .values()
            .filter(|a| a.asset.group_id == group)
            .count()
    }
}

/// Reads `child`'s stdout until `n` assets were reported created, then kills it (SIGKILL, as
/// `kill -9` would) and waits for it.
pub async fn kill_after_created(mut child: tokio::process::Child, n: usize) {
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let mut created = 0;
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("created asset-") {
            created += 1;
        }
        if created == n {
            break;
        }
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// An Active image asset as the service keeps it, made at `at` from the emulator's sample
/// `portrait.png` (for seeding a store directly).
pub fn stored_image(
    id: &str,
    name: &str,
    group: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> ark_assets::emulator::store::StoredAsset {
    use ark_assets::api::model::{Asset, Status};
    let asset = Asset {
        id: id.to_owned(),
        name: name.to_owned(),
        url: String::new(),
        asset_type: "Image".into(),
        group_id: group.to_owned(),
        status: Status::Active,
        error: None,
        create_time: Some(at),
        update_time: Some(at),
        project_name: "default".into(),
        moderation: None,
        last_inference_time: None,
    };
    ark_assets::emulator::store::StoredAsset {
        asset,
        source_url: "https://example.com/portrait.png".into(),
        source: None,
        file: Some(ark_assets::emulator::copies::AssetFile::Sample(
            "portrait.png".into(),
        )),
    }
}

impl Env {
    /// Puts `count` Active assets named by `name(i)` into `group`, made an hour ago a
    /// millisecond apart, with ids `asset-20260101000000-<tag><i>` (as an earlier run would
    /// have left them).
    pub fn seed_assets(
        &self,
        group: &str,
        tag: &str,
        count: usize,
        name: impl Fn(usize) -> String,
    ) {
        self.emu.edit(|store, now| {
            for i in 0..count {
                let at =
                    now - chrono::Duration::hours(1) + chrono::Duration::milliseconds(i as i64);
                let id = format!("asset-20260101000000-{tag}{i:04}");
                store
                    .assets
                    .insert(id.clone(), stored_image(&id, &name(i), group, at));
            }
        });
    }
}

/// A valid PNG of distinct content: the sample portrait with `tag` appended after its end,
/// written as `<dir>/<tag>.png`.
pub fn distinct_png(dir: &std::path::Path, tag: &str) -> PathBuf {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/portrait.png");
    let mut bytes = std::fs::read(sample).unwrap();
    bytes.extend_from_slice(tag.as_bytes());
    let path = dir.join(format!("{tag}.png"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `count` PNGs of distinct content in a new folder `name` of the data folder
/// (`<prefix>-<i>.png`, see [`distinct_png`]); returns the folder.
pub fn distinct_pngs(env: &Env, name: &str, prefix: &str, count: usize) -> PathBuf {
    let dir = env.data.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..count {
        distinct_png(&dir, &format!("{prefix}-{i:03}"));
    }
    dir
}
