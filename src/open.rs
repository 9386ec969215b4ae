//! Opening what a session works on, for either front end: a configured profile (its client,
//! ledger and object storage, as one [`Catalog`]), or the demo (the emulator and an S3 server
//! in this process, with the demo account's keys).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::api::{Addressing, Client, ClientOptions, Endpoint, Notice};
use crate::catalog::Catalog;
use crate::config::{Config, ConfigError, Env};
use crate::emulator::s3::{S3Options, S3Server};
use crate::emulator::{self, Emulator, Faults};
use crate::ledger;
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
         throttle_rate=F, latency_ms=N"
    )]
    DemoFaults(String),
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
    };
    Ok(Opened {
        catalog: place.catalog(&profile.name)?,
        name: profile.name,
        read_only: profile.read_only,
    })
}

/// The demo: the emulator with its sample data and an S3 server, in this process, for as
/// long as this lives.
pub(crate) struct Demo {
    /// The emulator.
    pub emulator: Emulator,
    /// Its object storage.
    pub s3: S3Server,
}

/// The bucket of the demo's object storage.
pub(crate) const DEMO_BUCKET: &str = "demo";

impl Demo {
    /// Starts the emulator (with `faults`) and the object storage on loopback.
    pub async fn start(faults: Faults) -> Result<Demo, OpenError> {
        let config = emulator::Config {
            faults,
            ..emulator::Config::demo()
        };
        let emulator = Emulator::start(config, ([127, 0, 0, 1], 0).into())
            .await
            .map_err(|e| OpenError::Demo(e.to_string()))?;
        let s3 = S3Server::temporary(S3Options::demo(), DEMO_BUCKET)
            .await
            .map_err(|e| OpenError::Demo(format!("object storage: {e}")))?;
        Ok(Demo { emulator, s3 })
    }

    /// The demo as a profile: scoped to `project` when given, its ledger a file of this run.
    pub fn open(&self, project: Option<&str>) -> Result<Opened, OpenError> {
        let ledger =
            std::env::temp_dir().join(format!("ark-assets-demo-{}.sqlite", std::process::id()));
        let place = Place {
            endpoint: self.emulator.domestic_endpoint(Addressing::ActionQuery),
            storage: Some(self.s3.config(DEMO_BUCKET)),
            project,
            ledger: LedgerAt::At(ledger),
        };
        Ok(Opened {
            name: "demo".to_owned(),
            catalog: place.catalog("demo")?,
            read_only: false,
        })
    }

    /// The URL of the sample image the demo's new-asset dialog offers.
    pub fn sample_url(&self) -> String {
        self.emulator.sample_url("portrait.png")
    }
}

/// Faults for the demo from `ARK_ASSETS_DEMO_FAULTS`, e.g.
/// `error_rate=0.1,drop_rate=0.05,throttle_rate=0.1,latency_ms=300`, to watch the product cope
/// with a flaky service.
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
            "latency_ms" => {
                faults.latency = Duration::from_millis(value.parse().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        }
    }
    Ok(faults)
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
}

impl Place<'_> {
    /// The catalog of `profile` here: client, ledger (opened on first use), object storage.
    fn catalog(self, profile: &str) -> Result<Catalog, OpenError> {
        let notice: Notice =
            Arc::new(|message: &str| eprintln!("{}", crate::text::visible(message)));
        let options = ClientOptions {
            notice: Some(notice.clone()),
            ..ClientOptions::default()
        };
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
        let mut catalog = Catalog::new(client, Arc::new(ledger::Ledger::at(&ledger_path)));
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
