//! Opening what a session works on, for either front end: a configured profile (its client,
//! ledger and object storage, as one [`Catalog`]), or the demo (the emulator and an S3 server
//! in this process, with the demo account's keys).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::api::{Addressing, Client, ClientOptions, Endpoint, Notice};
use crate::catalog::Catalog;
use crate::config::{Config, ConfigError, Env, Provider};
use crate::emulator::s3::{S3Options, S3Server};
use crate::emulator::{self, Emulator, Faults};
use crate::ledger;
use crate::media::Service;
use crate::storage::{Storage, StorageConfig, StorageError};

/// A profile ready to use: its name, its catalog (client, ledger, object storage) and whether
/// it is read-only.
pub struct Opened {
    /// The profile's name.
    pub name: String,
    /// Its service, ledger and object storage.
    pub catalog: Catalog,
    /// `read_only = true` in the profile (or `--read-only`).
    pub read_only: bool,
}

/// Why a profile or the demo could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The config is missing or wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The project named breaks the name rules.
    #[error(transparent)]
    Project(#[from] crate::validate::Invalid),
    /// There is nowhere to keep the ledger.
    #[error("there is no data directory for the ledger: set ARK_ASSETS_DATA")]
    NoDataDir,
    /// The object storage table cannot be used.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// `ARK_ASSETS_DEMO_FAULTS` is not a list of faults.
    #[error(
        "ARK_ASSETS_DEMO_FAULTS: {0:?} is not one of error_rate=F, drop_rate=F, \
         throttle_rate=F, latency_ms=N, seed=N"
    )]
    DemoFaults(String),
    /// `ARK_ASSETS_DEMO_WAIT` is not a number of seconds.
    #[error("ARK_ASSETS_DEMO_WAIT: {0:?} is not a number of seconds")]
    DemoWait(String),
    /// The demo's emulator or object storage did not start.
    #[error("the demo could not start: {0}")]
    Demo(String),
}

impl OpenError {
    /// Whether the configuration is at fault (rather than the machine).
    pub(crate) fn is_config(&self) -> bool {
        matches!(
            self,
            OpenError::Config(_) | OpenError::NoDataDir | OpenError::Storage(_)
        )
    }
}

/// Opens profile `name` (the default one when none) of `config`, with requests scoped to
/// `project` when given. Sends nothing; the ledger is opened when it is first used.
pub fn profile(
    config: &Config,
    name: Option<&str>,
    project: Option<&str>,
) -> Result<Opened, OpenError> {
    config.asset_scheme().install();
    let profile = config.profile(name)?;
    let data = crate::config::Dirs::of(config.env()).data;
    let place = Place {
        endpoint: profile.endpoint,
        storage: profile.storage,
        project,
        ledger: LedgerAt::Default(data),
        rates: profile.rates,
        service: match profile.provider {
            Some(Provider::Byteplus) => Service::Byteplus,
            Some(Provider::Volcengine) => Service::Volcengine,
            Some(Provider::Agentsflare) | None => Service::Unknown,
        },
        data_plane: profile.data_plane,
        tasks: profile.tasks,
    };
    Ok(Opened {
        catalog: place.catalog(&profile.name)?,
        name: profile.name,
        read_only: profile.read_only,
    })
}

/// The demo: the emulator with its sample data and an S3 server, in this process, for as
/// long as this lives. Its account (groups, assets, their files, stored objects, the ledger)
/// is kept in the data directory's `demo/` between runs, so that commands build on each
/// other as with a real account; one demo runs on it at a time, a second waits for it.
pub(crate) struct Demo {
    /// The emulator.
    pub emulator: Emulator,
    /// Its object storage.
    pub s3: S3Server,
    /// The ledger's file.
    ledger: PathBuf,
    /// Why this run keeps nothing, when it does not (there is no data directory).
    pub note: Option<String>,
    /// The lock on the kept folder, held while this runs.
    _lock: Option<std::fs::File>,
}

/// Who runs a demo, and how it is told that it waits for another.
pub(crate) struct DemoRun<'a> {
    /// The kept account is erased first (`--demo-reset`).
    pub reset: bool,
    /// What this run is, as a demo waiting for it names it (`the terminal UI`, `a command`).
    pub what: &'static str,
    /// Told once when another demo holds the account and this one waits for it.
    pub waiting: &'a dyn Fn(&str),
}

/// Where a demo keeps its state, or why it keeps none.
struct DemoHome {
    /// The folder, locked for this run.
    kept: Option<(PathBuf, std::fs::File)>,
    /// Why nothing is kept.
    note: Option<String>,
}

/// How long a demo waits for another to let go of the account, unless
/// `ARK_ASSETS_DEMO_WAIT` says (in seconds).
const DEMO_WAIT: Duration = Duration::from_secs(60);

impl DemoHome {
    /// The data directory's `demo/`, locked (waiting while another demo holds it), emptied
    /// first when `run.reset`; no folder (and a note saying why) when there is no data
    /// directory.
    async fn claim(env: &Env, run: &DemoRun<'_>) -> Result<DemoHome, OpenError> {
        let Some(data) = crate::config::Dirs::of(env).data else {
            return Ok(DemoHome::fresh(
                "there is no data directory (set ARK_ASSETS_DATA)",
            ));
        };
        let dir = data.join("demo");
        let failed = |e: std::io::Error| OpenError::Demo(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(&data).map_err(failed)?;
        let path = data.join("demo.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(failed)?;
        lock_account(&lock, &path, demo_wait(env)?, run.waiting).await?;
        // Said to a demo that waits for this one.
        lock.set_len(0).map_err(failed)?;
        std::io::Write::write_all(
            &mut &lock,
            format!("{} {}\n", std::process::id(), run.what).as_bytes(),
        )
        .map_err(failed)?;
        if run.reset && dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(failed)?;
        }
        crate::files::create_private_dir(&dir).map_err(failed)?;
        Ok(DemoHome {
            kept: Some((dir, lock)),
            note: None,
        })
    }

    fn fresh(why: &str) -> DemoHome {
        DemoHome {
            kept: None,
            note: Some(format!(
                "demo: {why}; this run starts afresh and keeps nothing"
            )),
        }
    }
}

/// How long to wait for another demo: `ARK_ASSETS_DEMO_WAIT` seconds, else [`DEMO_WAIT`].
fn demo_wait(env: &Env) -> Result<Duration, OpenError> {
    match env.get("ARK_ASSETS_DEMO_WAIT") {
        None => Ok(DEMO_WAIT),
        Some(text) => text
            .parse()
            .map(Duration::from_secs)
            .map_err(|_| OpenError::DemoWait(text.to_owned())),
    }
}

/// Takes `lock` (the file at `path`), waiting at most `wait` while another demo holds it;
/// `waiting` is told once, naming the other demo.
async fn lock_account(
    lock: &std::fs::File,
    path: &Path,
    wait: Duration,
    waiting: &dyn Fn(&str),
) -> Result<(), OpenError> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut said = false;
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(OpenError::Demo(format!("{}: {e}", path.display())));
            }
        }
        let holder = holder(path);
        if tokio::time::Instant::now() >= deadline {
            return Err(OpenError::Demo(format!(
                "{holder} still holds the demo's account after {} s: let it finish (a terminal \
                 UI demo holds it until it quits), then run this again",
                wait.as_secs()
            )));
        }
        if !said {
            waiting(&format!(
                "demo: waiting for {holder} to finish: it holds the demo's account (at most {} s)",
                wait.as_secs()
            ));
            said = true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The demo holding the lock file at `path`, as it wrote itself there (`<pid> <what>`).
fn holder(path: &Path) -> String {
    let text = crate::files::read_bounded(path, 256).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    match text.trim().split_once(' ') {
        Some((pid, what)) if pid.parse::<u32>().is_ok() => {
            format!("another --demo (pid {pid}, {})", crate::text::visible(what))
        }
        _ => "another --demo".to_owned(),
    }
}

/// The bucket of the demo's object storage.
pub(crate) const DEMO_BUCKET: &str = "demo";

impl Demo {
    /// Starts the emulator (with `faults`) and the object storage on loopback, from the state
    /// the last demo left in the data directory of `env` (erased first with `run.reset`),
    /// once no other demo holds it.
    pub(crate) async fn start(
        faults: Faults,
        env: &Env,
        run: DemoRun<'_>,
    ) -> Result<Demo, OpenError> {
        let home = DemoHome::claim(env, &run).await?;
        let dir = home.kept.as_ref().map(|(dir, _)| dir.clone());
        let config = emulator::Config {
            faults,
            tier: demo_tier(env)?,
            data: dir.as_ref().map(|d| d.join("account.json")),
            ..emulator::Config::demo()
        };
        let config = emulator::Config {
            task_time: demo_task_time(env)?.unwrap_or(config.task_time),
            ..config
        };
        let emulator = Emulator::start(config, ([127, 0, 0, 1], 0).into())
            .await
            .map_err(|e| match &dir {
                // A kept account that cannot be read (damaged, or another version's).
                Some(_) => OpenError::Demo(format!("{e} (--demo-reset starts it afresh)")),
                None => OpenError::Demo(e.to_string()),
            })?;
        let storage_failed = |e: std::io::Error| OpenError::Demo(format!("object storage: {e}"));
        let (s3, ledger) = match &dir {
            Some(dir) => {
                let s3 = S3Server::start(&dir.join("storage"), S3Options::demo())
                    .await
                    .map_err(storage_failed)?;
                s3.create_bucket(DEMO_BUCKET).map_err(storage_failed)?;
                (s3, dir.join("ledger.sqlite"))
            }
            None => {
                let s3 = S3Server::temporary(S3Options::demo(), DEMO_BUCKET)
                    .await
                    .map_err(storage_failed)?;
                let name = format!("ark-assets-demo-{}.sqlite", std::process::id());
                (s3, std::env::temp_dir().join(name))
            }
        };
        Ok(Demo {
            emulator,
            s3,
            ledger,
            note: home.note,
            _lock: home.kept.map(|(_, lock)| lock),
        })
    }

    /// Writes the account's state now (it is also written as it changes, a moment later).
    pub(crate) fn save(&self) -> Result<(), OpenError> {
        self.emulator
            .save()
            .map_err(|e| OpenError::Demo(format!("its state could not be saved: {e}")))
    }

    /// The demo as a profile: scoped to `project` when given.
    pub(crate) fn open(&self, project: Option<&str>) -> Result<Opened, OpenError> {
        let place = Place {
            endpoint: self.emulator.domestic_endpoint(Addressing::ActionQuery),
            storage: Some(self.s3.config(DEMO_BUCKET)),
            project,
            ledger: LedgerAt::At(self.ledger.clone()),
            rates: crate::config::Rates::default(),
            service: Service::Unknown,
            data_plane: Some(self.emulator.data_plane()),
            tasks: crate::config::TasksFile {
                model: Some(
                    crate::config::Provider::Volcengine
                        .default_model()
                        .to_owned(),
                ),
                // The demo's tasks finish in seconds: it polls as often as profiles may.
                poll_seconds: 2,
                ..Default::default()
            },
        };
        Ok(Opened {
            name: "demo".to_owned(),
            catalog: place.catalog("demo")?,
            read_only: false,
        })
    }

    /// The URL of the sample image the demo's new-asset dialog offers.
    pub(crate) fn sample_url(&self) -> String {
        self.emulator.sample_url("portrait.png")
    }
}

/// Faults for the demo from `ARK_ASSETS_DEMO_FAULTS`, e.g.
/// `error_rate=0.1,drop_rate=0.05,throttle_rate=0.1,latency_ms=300`, to watch the product cope
/// with a flaky service (`seed=N` rolls the same faults again).
pub(crate) fn demo_faults(env: &Env) -> Result<Faults, OpenError> {
    let mut faults = Faults::default();
    let spec = env.get("ARK_ASSETS_DEMO_FAULTS").unwrap_or_default();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || OpenError::DemoFaults(part.to_owned());
        let (key, value) = part.split_once('=').ok_or_else(bad)?;
        let rate = || {
            value
                .parse::<f64>()
                .ok()
                .filter(|r| (0.0..=1.0).contains(r))
                .ok_or_else(bad)
        };
        match key {
            "error_rate" => faults.error_rate = rate()?,
            "drop_rate" => faults.drop_rate = rate()?,
            "throttle_rate" => faults.throttle_rate = rate()?,
            "seed" => faults.seed = Some(value.parse().map_err(|_| bad())?),
            "latency_ms" => {
                faults.latency = Duration::from_millis(value.parse().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        }
    }
    Ok(faults)
}

/// The tier the demo's service plays, from `ARK_ASSETS_DEMO_TIER` (`entry`, `advanced`,
/// `premium`; none when unset or empty).
pub(crate) fn demo_tier(env: &Env) -> Result<Option<crate::api::limits::Tier>, OpenError> {
    match env.get("ARK_ASSETS_DEMO_TIER").map(str::trim) {
        None | Some("") => Ok(None),
        Some(name) => crate::api::limits::Tier::parse(name)
            .map(Some)
            .map_err(|e| OpenError::Demo(format!("ARK_ASSETS_DEMO_TIER: {e}"))),
    }
}

/// How long the demo's Seedance tasks take, from `ARK_ASSETS_DEMO_TASK_MS` (milliseconds;
/// the emulator's default when unset).
fn demo_task_time(env: &Env) -> Result<Option<Duration>, OpenError> {
    match env.get("ARK_ASSETS_DEMO_TASK_MS").map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(|ms| Some(Duration::from_millis(ms)))
            .map_err(|_| {
                OpenError::Demo(format!(
                    "ARK_ASSETS_DEMO_TASK_MS: {text:?} is not a number of milliseconds"
                ))
            }),
    }
}

/// Where a profile's ledger is.
enum LedgerAt {
    /// The profile's own under this data directory.
    Default(Option<PathBuf>),
    /// This file.
    At(PathBuf),
}

/// Where a profile's requests, records and files go.
struct Place<'a> {
    endpoint: Endpoint,
    storage: Option<StorageConfig>,
    project: Option<&'a str>,
    ledger: LedgerAt,
    rates: crate::config::Rates,
    service: Service,
    data_plane: Option<crate::config::DataPlane>,
    tasks: crate::config::TasksFile,
}

impl Place<'_> {
    /// The catalog of `profile` here: client, ledger (opened on first use), object storage.
    fn catalog(self, profile: &str) -> Result<Catalog, OpenError> {
        let notice: Notice =
            Arc::new(|message: &str| eprintln!("{}", crate::text::visible(message)));
        let mut options = ClientOptions {
            notice: Some(notice.clone()),
            ..ClientOptions::default()
        };
        options.limits.create_per_minute = self.rates.create_per_minute().map(f64::from);
        let mut client = Client::new(self.endpoint, options);
        if let Some(project) = self.project {
            crate::validate::name(project, true)?;
            client = client.with_project(Some(project.to_owned()));
        }
        let ledger_path = match self.ledger {
            LedgerAt::At(path) => path,
            LedgerAt::Default(data) => {
                let data = data.ok_or(OpenError::NoDataDir)?;
                ledger_file(&data, profile, &client)
            }
        };
        let seedance = self.data_plane.map(|plane| {
            crate::seedance::Seedance::new(plane.base, plane.key, data_plane_client())
        });
        let mut catalog = Catalog::new(client, Arc::new(ledger::Ledger::at(&ledger_path)))
            .with_quota(self.rates.quota())
            .with_service(self.service)
            .with_tasks(seedance, self.tasks);
        if let Some(config) = self.storage {
            let storage = Storage::new(&config, storage_client())?.with_notice(notice);
            catalog = catalog.with_storage(storage);
        }
        Ok(catalog)
    }
}

/// The ledger file of `profile` reached through `client`, under the data directory `data`.
fn ledger_file(data: &Path, profile: &str, client: &Client) -> PathBuf {
    ledger::default_path(data, profile, &client.endpoint().account_identity())
}

/// The HTTP client of uploads, made on first use: bounded connects and reads (each request is
/// bounded as a whole by the storage itself), and no redirect followed: a presigned request
/// is never sent to another host.
fn storage_client() -> crate::http::Http {
    crate::http::Http::lazy(|| {
        crate::http::client(|b| {
            b.connect_timeout(Duration::from_secs(10))
                .read_timeout(Duration::from_secs(60))
                .redirect(reqwest::redirect::Policy::none())
        })
    })
}

/// The HTTP client of the Seedance data plane and its videos, made on first use: bounded
/// connects and reads (each request is bounded as a whole by the client), and redirects that
/// never carry a signed link to another host.
fn data_plane_client() -> crate::http::Http {
    crate::http::Http::lazy(|| {
        crate::http::client(|b| {
            b.connect_timeout(Duration::from_secs(10))
                .read_timeout(Duration::from_secs(60))
                .redirect(crate::http::safe_redirects())
        })
    })
}
