//! A local emulator of the Assets API (both dialects), for `--demo`, tests and benchmarks.
//!
//! It checks real V4 signatures and Bearer tokens, enforces the per-action rate limits and the
//! cap on assets Processing, processes created assets by downloading and checking their images,
//! can inject faults, and can keep its state in a JSON file across restarts.

pub mod auth;
mod config;
pub mod copies;
pub mod fail;
pub mod faults;
pub(crate) mod lifecycle;
pub mod paging;
pub mod s3;
pub(crate) mod samples;
pub mod seed;
mod server;
pub mod store;
pub mod tasks;
pub(crate) mod throttle;
pub mod verify;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Notify;

pub use auth::Account;
pub use config::Config;
pub use faults::Faults;
pub use store::Store;

use crate::api::model::Action;
use crate::api::sign::Credentials;
use crate::api::{Addressing, Domestic, Endpoint, Global};
use throttle::Throttle;

/// Path prefix of the global dialect, as on the real proxy.
pub const GLOBAL_PREFIX: &str = "/byteplus/_unstable/open";

/// The demo account's access key id.
pub const DEMO_ACCESS_KEY: &str = "AKLTdemoaccesskey0000000000";
/// The demo account's secret key (it protects nothing but the local emulator).
pub const DEMO_SECRET_KEY: &str = "ZGVtby1zZWNyZXQta2V5LWxvY2FsLWVtdWxhdG9y";
/// The demo account's API key for the global dialect.
pub(crate) const DEMO_API_KEY: &str = "demo-api-key-local-emulator";

/// The account `--demo` and the standalone emulator accept.
pub(crate) fn demo_account() -> Account {
    Account {
        access_key: DEMO_ACCESS_KEY.to_owned(),
        secret_key: SecretString::from(DEMO_SECRET_KEY),
        api_key: SecretString::from(DEMO_API_KEY),
        session_token: None,
    }
}

/// The access key id of the demo's temporary (STS) keys.
pub const DEMO_STS_ACCESS_KEY: &str = "AKTPdemotemporarykey000000";
/// The secret key of the demo's temporary keys.
pub(crate) const DEMO_STS_SECRET_KEY: &str = "dGVtcG9yYXJ5LXNlY3JldC1sb2NhbC1lbXVsYXRvcg";

/// Temporary (STS) demo keys with a fresh session token: requests must carry the token.
pub fn demo_sts_account() -> Account {
    Account {
        access_key: DEMO_STS_ACCESS_KEY.to_owned(),
        secret_key: SecretString::from(DEMO_STS_SECRET_KEY),
        api_key: SecretString::from(format!("demo-sts-{:016x}", rand::random::<u64>())),
        session_token: Some(SecretString::from(format!(
            "STSeyJkZW1vIjp0cnVlfQ{:032x}",
            rand::random::<u128>()
        ))),
    }
}

/// Requests seen, by action, and how many were throttled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Authenticated requests per action.
    pub requests: HashMap<Action, u64>,
    /// Requests answered 429 (rate limit, processing cap or injected).
    pub throttled: u64,
    /// Faults injected (throttling, server errors, dropped connections).
    pub faults: u64,
    /// Requests refused because their signature, key or token did not check out.
    pub refused: u64,
    /// Requests of the Seedance data plane: `create`, `get`, `list`, `delete`.
    pub tasks: HashMap<&'static str, u64>,
}

impl Stats {
    /// Requests of all actions.
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// State shared by the server's handlers and background tasks.
pub(crate) struct Shared {
    config: Config,
    base_url: String,
    store: Mutex<Store>,
    throttle: Mutex<Throttle>,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
    http: crate::http::Http,
    copies: copies::Copies,
    dirty: Notify,
    /// Held from a save's snapshot to its write, so an older snapshot never replaces a newer.
    saving: Mutex<()>,
}

impl Shared {
    /// The emulator's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.config.clock_offset
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("store lock is never poisoned")
    }

    /// Marks the store as changed so the saver writes it.
    fn changed(&self) {
        if self.config.data.is_some() {
            self.dirty.notify_one();
        }
    }

    fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.config.data else {
            return Ok(());
        };
        let _saving = self.saving.lock().expect("save lock is never poisoned");
        let json = serde_json::to_vec_pretty(&*self.store()).expect("store serialises");
        crate::files::write_private(path, &json)
    }
}

/// The saved state named by `config.data`, or an empty store.
fn load(config: &Config) -> Result<Store, StartError> {
    let Some(path) = &config.data else {
        return Ok(Store::default());
    };
    let failed = |message: String| StartError::Load {
        path: path.clone(),
        message,
    };
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| failed(e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Store::default()),
        Err(e) => Err(failed(e.to_string())),
    }
}

/// A running emulator.
pub struct Emulator {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
    saver: tokio::task::JoinHandle<()>,
    stop: Arc<Notify>,
}

impl Drop for Emulator {
    /// Stops serving and saving: once it is gone, nothing writes its state file (which the
    /// next run, the demo's lock released, may own).
    fn drop(&mut self) {
        self.server.abort();
        self.saver.abort();
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// I/O error.
        source: std::io::Error,
    },
    /// The state could not be saved before a restart.
    #[error("cannot save emulator state to {path}: {source}")]
    Save {
        /// File.
        path: PathBuf,
        /// I/O error.
        source: std::io::Error,
    },
    /// The data file exists but is not a saved state.
    #[error("cannot load emulator state from {path}: {message}")]
    Load {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Emulator {
    /// Starts the emulator on `addr` (port 0 picks a free port).
    pub async fn start(config: Config, addr: SocketAddr) -> Result<Emulator, StartError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let url = format!("http://{local}");

        let mut store = load(&config)?;
        let now = Utc::now() + config.clock_offset;
        if config.seed_demo && store.groups.is_empty() {
            seed::demo(&mut store, &url, now);
        }
        if store.file_secret.is_empty() {
            store.file_secret = format!("{:032x}", rand::random::<u128>());
        }
        let copies =
            copies::Copies::new(config.files_dir(), store.file_secret.clone()).map_err(|e| {
                StartError::Load {
                    path: config.files_dir().unwrap_or_default(),
                    message: format!("cannot make the folder for assets' files: {e}"),
                }
            })?;
        let pending: Vec<String> = store
            .assets
            .values()
            .filter(|a| a.asset.status == crate::api::model::Status::Processing)
            .map(|a| a.asset.id.clone())
            .collect();

        let http =
            crate::http::Http::lazy(|| crate::http::client(|b| b.timeout(Duration::from_secs(20))));
        let shared = Arc::new(Shared {
            faults: Mutex::new(config.faults.clone()),
            config,
            base_url: url.clone(),
            store: Mutex::new(store),
            throttle: Mutex::new(Throttle::default()),
            stats: Mutex::new(Stats::default()),
            http,
            copies,
            dirty: Notify::new(),
            saving: Mutex::new(()),
        });
        for id in pending {
            tokio::spawn(lifecycle::process(shared.clone(), id));
        }
        shared.changed();
        let saver = tokio::spawn({
            let shared = shared.clone();
            async move {
                loop {
                    shared.dirty.notified().await;
                    // Coalesce bursts of changes into one write.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    if let Err(e) = shared.save() {
                        tracing::error!(%e, "saving emulator state failed");
                    }
                }
            }
        });
        let app = server::router(shared.clone());
        let stop = Arc::new(Notify::new());
        let stopped = stop.clone();
        let server = tokio::spawn(async move {
            // Small answers go out at once, not after the peer's delayed ACK.
            let listener = axum::serve::ListenerExt::tap_io(listener, |socket| {
                socket.set_nodelay(true).ok();
            });
            let serve = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stopped.notified().await });
            if let Err(e) = serve.await {
                tracing::error!(%e, "emulator server stopped");
            }
        });
        Ok(Emulator {
            url,
            stop,
            shared,
            server,
            saver,
        })
    }

    /// A copy of the current state.
    pub fn snapshot(&self) -> Store {
        self.shared.store().clone()
    }

    /// Changes the stored state directly, as a service with data the API would refuse (names
    /// with terminal sequences, thousands of same-named assets) would hold it.
    pub fn edit<R>(&self, change: impl FnOnce(&mut Store, DateTime<Utc>) -> R) -> R {
        let now = self.shared.now();
        let result = change(&mut self.shared.store(), now);
        self.shared.dirty.notify_one();
        result
    }

    /// Request counts so far.
    pub fn stats(&self) -> Stats {
        self.shared.stats.lock().expect("stats lock").clone()
    }

    /// Replaces the injected faults.
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().expect("faults lock") = faults;
    }

    /// A domestic endpoint for the first account.
    pub fn domestic_endpoint(&self, addressing: Addressing) -> Endpoint {
        let account = &self.shared.config.accounts[0];
        Endpoint::Domestic(Domestic {
            base: self.url.parse().expect("emulator URL parses"),
            credentials: Credentials {
                access_key_id: account.access_key.clone(),
                secret_access_key: account.secret_key.clone(),
                region: "cn-beijing".to_owned(),
                service: "ark".to_owned(),
                session_token: None,
            },
            addressing,
            project: None,
        })
    }

    /// A global endpoint for the first account.
    pub fn global_endpoint(&self) -> Endpoint {
        Endpoint::Global(Global {
            base: format!("{}{GLOBAL_PREFIX}", self.url)
                .parse()
                .expect("emulator URL parses"),
            api_key: self.shared.config.accounts[0].api_key.clone(),
        })
    }

    /// The Seedance data plane of the first ark API key.
    pub fn data_plane(&self) -> crate::config::DataPlane {
        crate::config::DataPlane {
            base: format!("{}/api/v3", self.url)
                .parse()
                .expect("emulator URL parses"),
            key: self.shared.config.data_keys[0].key.clone(),
        }
    }

    /// URL of a sample image served by the emulator.
    pub fn sample_url(&self, name: &str) -> String {
        format!("{}/assets/{name}", self.shared.base_url)
    }

    /// Writes the state now (when it is kept in a file).
    pub(crate) fn save(&self) -> std::io::Result<()> {
        self.shared.save()
    }

    /// Stops serving and writes the state one last time.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.stop_serving().await
    }

    /// Stops accepting, lets requests in progress finish (briefly), closes idle connections,
    /// and saves the state.
    async fn stop_serving(&self) -> std::io::Result<()> {
        self.stop.notify_one();
        let server = &self.server;
        if tokio::time::timeout(Duration::from_secs(2), async {
            while !server.is_finished() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .is_err()
        {
            server.abort();
        }
        self.saver.abort();
        self.shared.save()
    }

    /// Simulates a server restart: stops serving, stays down for `down_for`, and starts again on
    /// the same address from the saved state (kept only when `Config::data` is set).
    pub async fn restart(&mut self, down_for: Duration) -> Result<(), StartError> {
        let addr: SocketAddr = self
            .url
            .trim_start_matches("http://")
            .parse()
            .expect("the emulator's own URL parses");
        self.stop_serving().await.map_err(|e| StartError::Save {
            path: self.shared.config.data.clone().unwrap_or_default(),
            source: e,
        })?;
        tokio::time::sleep(down_for).await;
        *self = Emulator::start(self.shared.config.clone(), addr).await?;
        Ok(())
    }
}

/// What the standalone emulator prints on start: its URL, the demo keys (and the temporary
/// ones of `sts`, with their session token), and a config snippet for the file at `config`
/// (the one in use: `--config`, `ARK_ASSETS_CONFIG` or the platform's).
pub fn banner(
    url: &str,
    data: Option<&std::path::Path>,
    sts: Option<&Account>,
    config: Option<&std::path::Path>,
) -> String {
    let data_key = tasks::DEMO_DATA_KEY;
    let kept = data.map_or_else(
        || "state is kept in memory only (use --data FILE.json to keep it)".to_owned(),
        |p| {
            format!(
                "state is kept in {0} (copies of assets' files in {0}.files)",
                p.display()
            )
        },
    );
    let (sts_keys, sts_profile) = sts.map_or_else(Default::default, |a| {
        let (ak, sk) = (&a.access_key, a.secret_key.expose_secret());
        let token = a.session_token.as_ref().map_or("", |t| t.expose_secret());
        (
            format!(
                "temporary (STS):   access key {ak}\n\
                 \x20                  secret key {sk}\n\
                 \x20                  session token {token}\n"
            ),
            format!(
                "[profiles.local-sts]\n\
                 endpoint = \"{url}\"\n\
                 access_key = \"{ak}\"\n\
                 secret_key = \"{sk}\"\n\
                 session_token = \"{token}\"\n\n"
            ),
        )
    });
    let config = config.map_or_else(
        || "the config file".to_owned(),
        |p| crate::text::visible(&p.display().to_string()).into_owned(),
    );
    format!(
        "Assets API emulator listening on {url}\n\
         {kept}\n\n\
         domestic (AK/SK):  access key {DEMO_ACCESS_KEY}\n\
         \x20                  secret key {DEMO_SECRET_KEY}\n\
         {sts_keys}\
         global (Bearer):   {url}{GLOBAL_PREFIX}  token {DEMO_API_KEY}\n\
         Seedance tasks:    {url}/api/v3  ark API key {data_key}\n\n\
         Add to {config}:\n\n\
         [profiles.local]\n\
         endpoint = \"{url}\"\n\
         access_key = \"{DEMO_ACCESS_KEY}\"\n\
         secret_key = \"{DEMO_SECRET_KEY}\"\n\
         ark_api_key = \"{data_key}\"\n\
         data_endpoint = \"{url}/api/v3\"\n\n\
         [profiles.local-global]\n\
         dialect = \"global\"\n\
         endpoint = \"{url}{GLOBAL_PREFIX}\"\n\
         api_key = \"{DEMO_API_KEY}\"\n\n\
         {sts_profile}\
         then: ark-assets --profile local    (Ctrl-C stops the emulator)"
    )
}
