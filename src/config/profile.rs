//! A profile completed: the file's table with the environment over it, the provider's
//! defaults filled in, and everything the client and the object storage need checked.

use secrecy::SecretString;
use url::Url;

use super::env::Env;
use super::error::{ConfigError, without_userinfo};
use super::file::ProfileFile;
use crate::api::limits::Tier;
use crate::api::sign::Credentials;
use crate::api::{Dialect, Domestic, Endpoint, Global, domestic, global};
use crate::storage::{StorageConfig, StorageFile};

pub use super::provider::Provider;

/// The region of an `ark.<region>.…` host (the signing region must match it).
pub fn region_of_host(host: &str) -> Option<&str> {
    let rest = host.strip_prefix("ark.")?;
    let (region, domain) = rest.split_once('.')?;
    (!region.is_empty() && domain.contains('.')).then_some(region)
}

/// A profile resolved into everything the client needs.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Profile name.
    pub name: String,
    /// Endpoint with credentials.
    pub endpoint: Endpoint,
    /// Object storage for local files, when configured.
    pub storage: Option<StorageConfig>,
    /// Every command that changes the account is off.
    pub read_only: bool,
    /// The CreateAsset rate and quota the profile sets.
    pub rates: Rates,
    /// Who runs the service, when the profile names it (`provider`).
    pub provider: Option<Provider>,
    /// The Seedance data plane, when the profile has an ark API key.
    pub data_plane: Option<DataPlane>,
    /// Defaults of `tasks create` (the model filled in from the provider).
    pub tasks: super::file::TasksFile,
}

/// Where the Seedance data plane is and the ark API key it takes.
#[derive(Debug, Clone)]
pub struct DataPlane {
    /// `…/api/v3`.
    pub base: Url,
    /// The ark API key (Bearer).
    pub key: SecretString,
}

/// The profile's data plane: its key (`ARK_API_KEY` over `ark_api_key`) at `data_endpoint`,
/// else the provider's; none without a key. Its `[tasks]` defaults, checked.
fn data_plane(
    name: &str,
    stored: &ProfileFile,
    env: &Env,
) -> Result<(Option<DataPlane>, super::file::TasksFile), ConfigError> {
    let provider = stored.provider.unwrap_or(Provider::Volcengine);
    let mut tasks = stored.tasks.clone();
    tasks
        .model
        .get_or_insert_with(|| provider.default_model().to_owned());
    if tasks.poll_seconds < 2 {
        return Err(ConfigError::Setting {
            profile: name.to_owned(),
            field: "tasks.poll_seconds",
            value: tasks.poll_seconds.to_string(),
            rule: "must be at least 2",
        });
    }
    let key = env
        .get("ARK_API_KEY")
        .map(SecretString::from)
        .or(stored.ark_api_key.clone());
    let Some(key) = key else {
        return Ok((None, tasks));
    };
    // A gateway's profile without `data_endpoint` has no data plane (`tasks` says so).
    let Some(endpoint) = stored
        .data_endpoint
        .clone()
        .or(provider.data_endpoint().map(str::to_owned))
    else {
        return Ok((None, tasks));
    };
    let base = endpoint_url(name, &endpoint)?;
    Ok((Some(DataPlane { base, key }), tasks))
}

/// The limits a profile sets: the BytePlus tier and the CreateAsset rate a minute over it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    /// The account's tier (BytePlus).
    pub tier: Option<Tier>,
    /// `create_per_minute`, over the tier's.
    pub create_per_minute: Option<u32>,
}

impl Rates {
    /// CreateAsset requests a minute in force: `create_per_minute`, else the tier's; `None` is
    /// the domestic 30 a second.
    pub fn create_per_minute(&self) -> Option<u32> {
        self.create_per_minute
            .or(self.tier.map(Tier::create_per_minute))
    }

    /// The account's quota, when its tier has one.
    pub fn quota(&self) -> Option<crate::api::limits::Quota> {
        self.tier.and_then(Tier::quota)
    }

    /// Where the CreateAsset rate comes from, in words (`doctor`).
    pub fn source(&self) -> String {
        match (self.create_per_minute, self.tier) {
            (Some(_), _) => "the profile's create_per_minute".to_owned(),
            (None, Some(tier)) => format!("the {tier} tier"),
            (None, None) => "the domestic default (no tier set); a 429 lowers it".to_owned(),
        }
    }
}

/// The profile's `tier` and `create_per_minute`, checked: a tier only for BytePlus, a rate
/// above zero.
fn rates(name: &str, stored: &ProfileFile) -> Result<Rates, ConfigError> {
    let bad = |field, value: String, rule| ConfigError::Setting {
        profile: name.to_owned(),
        field,
        value,
        rule,
    };
    if let Some(tier) = stored.tier
        && stored.provider.is_some_and(|p| p != Provider::Byteplus)
    {
        return Err(bad(
            "tier",
            tier.to_string(),
            "is for BytePlus accounts (provider = \"byteplus\"); use create_per_minute elsewhere",
        ));
    }
    if stored.create_per_minute == Some(0) {
        return Err(bad(
            "create_per_minute",
            "0".to_owned(),
            "must be at least 1",
        ));
    }
    Ok(Rates {
        tier: stored.tier,
        create_per_minute: stored.create_per_minute,
    })
}

impl Profile {
    /// The dialect of the endpoint.
    pub fn dialect(&self) -> Dialect {
        self.endpoint.dialect()
    }

    /// The project requests are scoped to (domestic only).
    pub fn project(&self) -> Option<&str> {
        match &self.endpoint {
            Endpoint::Domestic(d) => d.project.as_deref(),
            Endpoint::Global(_) => None,
        }
    }
}

/// `endpoint` as a URL: http(s), with a host, and no credentials in it.
fn endpoint_url(profile: &str, endpoint: &str) -> Result<Url, ConfigError> {
    let base = Url::parse(endpoint)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| ConfigError::BadEndpoint {
            profile: profile.to_owned(),
            value: without_userinfo(endpoint),
        })?;
    if !base.username().is_empty() || base.password().is_some() {
        return Err(ConfigError::CredentialsInEndpoint {
            profile: profile.to_owned(),
            value: without_userinfo(endpoint),
        });
    }
    Ok(base)
}

/// The endpoint of a profile that names none: its provider's (in its region), else the
/// dialect's generic one.
fn default_endpoint(provider: Option<Provider>, dialect: Dialect, region: Option<&str>) -> String {
    match (provider, dialect) {
        (Some(p), _) => p.endpoint(region.unwrap_or_else(|| p.default_region())),
        (None, Dialect::Domestic) => domestic::DEFAULT_ENDPOINT.to_owned(),
        (None, Dialect::Global) => global::DEFAULT_ENDPOINT.to_owned(),
    }
}

/// The signing region, which must be the host's: named, or read off `ark.<region>.…`, or the
/// provider's.
fn signing_region(named: Option<String>, base: &url::Url, provider: Option<Provider>) -> String {
    named
        .or_else(|| base.host_str().and_then(region_of_host).map(str::to_owned))
        .unwrap_or_else(|| {
            provider
                .unwrap_or(Provider::Volcengine)
                .default_region()
                .to_owned()
        })
}

/// Completes a stored profile: the environment over it, defaults filled in, checked.
pub fn complete(name: &str, stored: ProfileFile, env: &Env) -> Result<Profile, ConfigError> {
    let rates = rates(name, &stored)?;
    let (data_plane, tasks) = data_plane(name, &stored, env)?;
    let access_key = env
        .get("VOLC_ACCESSKEY")
        .map(str::to_owned)
        .or(stored.access_key);
    let secret_key = env
        .get("VOLC_SECRETKEY")
        .map(SecretString::from)
        .or(stored.secret_key);
    let session_token = env
        .get("VOLC_SESSIONTOKEN")
        .map(SecretString::from)
        .or(stored.session_token);
    let api_key = env
        .get("ARK_API_KEY")
        .map(SecretString::from)
        .or(stored.api_key);
    let provider = stored.provider;
    let dialect = stored
        .dialect
        .or(provider.map(Provider::dialect))
        .unwrap_or(if api_key.is_some() && access_key.is_none() {
            Dialect::Global
        } else {
            Dialect::Domestic
        });
    let endpoint = env
        .get("ARK_ENDPOINT")
        .map(str::to_owned)
        .or(stored.endpoint)
        .unwrap_or_else(|| default_endpoint(provider, dialect, stored.region.as_deref()));
    let base = endpoint_url(name, &endpoint)?;
    let missing = |what, hint| ConfigError::Missing {
        profile: name.to_owned(),
        what,
        hint,
    };
    let region = signing_region(stored.region.clone(), &base, provider);
    let endpoint = match dialect {
        Dialect::Domestic => Endpoint::Domestic(Domestic {
            base,
            credentials: Credentials {
                access_key_id: access_key.ok_or_else(|| {
                    missing(
                        "access key",
                        "set VOLC_ACCESSKEY or access_key in the profile (or run `ark-assets config init`)",
                    )
                })?,
                secret_access_key: secret_key.ok_or_else(|| {
                    missing(
                        "secret key",
                        "set VOLC_SECRETKEY or secret_key in the profile (or run `ark-assets config init`)",
                    )
                })?,
                region,
                service: "ark".to_owned(),
                session_token,
            },
            addressing: stored.addressing.unwrap_or_default(),
            project: stored.project,
        }),
        Dialect::Global => Endpoint::Global(Global {
            base,
            api_key: api_key.ok_or_else(|| {
                missing(
                    "API key",
                    "set ARK_API_KEY or api_key in the profile (or run `ark-assets config init`)",
                )
            })?,
        }),
    };
    let storage = match stored.storage {
        Some(file) => Some(resolve_storage(
            name,
            file,
            &endpoint,
            provider.unwrap_or(Provider::Volcengine),
        )?),
        None => None,
    };
    Ok(Profile {
        name: name.to_owned(),
        endpoint,
        storage,
        read_only: stored.read_only,
        rates,
        provider,
        data_plane,
        tasks,
    })
}

/// Fills a storage table's defaults from the profile: the region's TOS endpoint, the region,
/// the AK/SK; refuses what cannot work (no bucket, no keys, a lifetime over 7 days).
fn resolve_storage(
    profile: &str,
    file: StorageFile,
    endpoint: &Endpoint,
    provider: Provider,
) -> Result<StorageConfig, ConfigError> {
    let bad = |field: &'static str, value: String, rule: String| ConfigError::Storage {
        profile: profile.to_owned(),
        field,
        value,
        rule,
    };
    let (profile_region, profile_keys) = match endpoint {
        Endpoint::Domestic(d) => (
            Some(d.credentials.region.clone()),
            Some((
                d.credentials.access_key_id.clone(),
                d.credentials.secret_access_key.clone(),
                d.credentials.session_token.clone(),
            )),
        ),
        Endpoint::Global(_) => (None, None),
    };
    let region = file.region.or(profile_region).ok_or_else(|| {
        bad(
            "region",
            String::new(),
            "is required with an API-key profile".into(),
        )
    })?;
    let bucket = file
        .bucket
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| bad("bucket", String::new(), "is required".into()))?;
    if let Some(rule) = crate::storage::config::bucket_rule(&bucket) {
        return Err(bad("bucket", bucket, rule));
    }
    let prefix = file
        .prefix
        .unwrap_or_else(|| crate::storage::config::DEFAULT_PREFIX.to_owned());
    if let Some(rule) = crate::storage::config::prefix_rule(&prefix) {
        return Err(bad("prefix", prefix, rule));
    }
    let shown_endpoint = file
        .endpoint
        .clone()
        .unwrap_or_else(|| provider.storage_endpoint(&region));
    let url = Url::parse(&shown_endpoint)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| {
            bad(
                "endpoint",
                without_userinfo(&shown_endpoint),
                "is not an http(s) URL".into(),
            )
        })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "endpoint",
            without_userinfo(&shown_endpoint),
            "carries credentials (user:password@); keys belong in access_key/secret_key".into(),
        ));
    }
    let (access_key, secret_key, session_token) =
        match (file.access_key, file.secret_key, profile_keys) {
            (Some(a), Some(s), _) => (a, s, file.session_token),
            (None, None, Some(keys)) => keys,
            _ => {
                return Err(bad(
                    "access_key",
                    String::new(),
                    "and secret_key are both required (an API-key profile has no keys to lend)"
                        .into(),
                ));
            }
        };
    let url_expiry = match file.url_expiry {
        Some(text) => crate::storage::config::parse_expiry(&text)
            .map_err(|rule| bad("url_expiry", text.clone(), rule))?,
        None => std::time::Duration::from_secs(24 * 3600),
    };
    Ok(StorageConfig {
        endpoint: url,
        bucket,
        region,
        prefix,
        path_style: file.path_style.unwrap_or(false),
        access_key,
        secret_key,
        session_token,
        url_expiry,
        cleanup: file.cleanup.unwrap_or_default(),
    })
}
