//! The Assets API client: one typed method per action, both dialects, limits and retries built in.

pub mod domestic;
pub mod error;
pub mod global;
pub mod limits;
pub mod model;
pub mod sign;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use domestic::{Addressing, Domestic};
pub use error::{ApiError, ErrorKind};
pub use global::Global;
pub use limits::{LimitConfig, Limits, RetryPolicy};
use model::*;

/// Result of an API call.
pub type ApiResult<T> = Result<T, ApiError>;

/// The operations of the Assets API. Implemented by [`Client`] for both dialects; the global
/// dialect answers every action but CreateAsset/GetAsset with [`ErrorKind::Unsupported`].
#[async_trait]
pub trait AssetsApi: Send + Sync {
    /// Creates an asset group.
    async fn create_asset_group(&self, req: &CreateAssetGroup) -> ApiResult<Created>;
    /// Reads an asset group.
    async fn get_asset_group(&self, id: &str) -> ApiResult<AssetGroup>;
    /// Lists asset groups.
    async fn list_asset_groups(&self, req: &ListAssetGroups) -> ApiResult<Page<AssetGroup>>;
    /// Updates an asset group's name and description.
    async fn update_asset_group(&self, req: &UpdateAssetGroup) -> ApiResult<()>;
    /// Deletes an asset group.
    async fn delete_asset_group(&self, id: &str) -> ApiResult<()>;
    /// Creates an asset (it starts `Processing`).
    async fn create_asset(&self, req: &CreateAsset) -> ApiResult<Created>;
    /// Reads an asset.
    async fn get_asset(&self, id: &str) -> ApiResult<Asset>;
    /// Lists assets.
    async fn list_assets(&self, req: &ListAssets) -> ApiResult<Page<Asset>>;
    /// Renames an asset.
    async fn update_asset(&self, req: &UpdateAsset) -> ApiResult<()>;
    /// Deletes an asset.
    async fn delete_asset(&self, id: &str) -> ApiResult<()>;
}

/// Where requests go and how they are authenticated.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// Volcengine Ark, AK/SK signed.
    Domestic(Domestic),
    /// BytePlus proxy, Bearer token.
    Global(Global),
}

impl Endpoint {
    /// `"domestic"` or `"global"`.
    pub fn dialect(&self) -> &'static str {
        match self {
            Endpoint::Domestic(_) => "domestic",
            Endpoint::Global(_) => "global",
        }
    }

    /// The base URL.
    pub fn base(&self) -> &url::Url {
        match self {
            Endpoint::Domestic(d) => &d.base,
            Endpoint::Global(g) => &g.base,
        }
    }
}

/// Settings of the HTTP transport.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for one whole request.
    pub request_timeout: Duration,
    /// Rate limits and retry policy.
    pub limits: LimitConfig,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            limits: LimitConfig::default(),
        }
    }
}

/// The HTTP client of the Assets API. Cheap to clone; clones share connections and limits.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: Arc<Endpoint>,
    limits: Arc<Limits>,
    /// When creation slots were last checked; waiting creators share one check per
    /// [`SLOT_CHECK_INTERVAL`].
    last_slot_check: Arc<tokio::sync::Mutex<Option<tokio::time::Instant>>>,
}

impl Client {
    /// A client for `endpoint`.
    pub fn new(endpoint: Endpoint, options: ClientOptions) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ark-assets/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the TLS backend initialises");
        Client {
            http,
            endpoint: Arc::new(endpoint),
            limits: Arc::new(Limits::new(options.limits)),
            last_slot_check: Arc::default(),
        }
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The same client scoped to another project (domestic only); it shares connections and
    /// limits, as both speak for the same account.
    pub fn with_project(&self, project: Option<String>) -> Client {
        let endpoint = match &*self.endpoint {
            Endpoint::Domestic(d) => Endpoint::Domestic(Domestic {
                project,
                ..d.clone()
            }),
            global => global.clone(),
        };
        Client {
            http: self.http.clone(),
            endpoint: Arc::new(endpoint),
            limits: self.limits.clone(),
            last_slot_check: self.last_slot_check.clone(),
        }
    }

    /// Sends one request, without retries, and returns the `Result` payload.
    async fn send_once(&self, action: Action, body: &[u8]) -> ApiResult<Value> {
        let (url, headers) = match &*self.endpoint {
            Endpoint::Domestic(d) => {
                let x_date = sign::x_date(chrono::Utc::now());
                let signed = d.sign(action, body, &x_date);
                (signed.url, signed.headers)
            }
            Endpoint::Global(g) => (g.url(action), g.headers()),
        };
        let mut req = self.http.post(url).body(body.to_vec());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| wire::transport_error(action, &e))?;
        let resp = wire::read(action, resp).await?;
        match &*self.endpoint {
            Endpoint::Domestic(_) => Domestic::parse(action, &resp),
            Endpoint::Global(_) => Global::parse(action, &resp),
        }
    }

    /// Serialises `req`, sends it within the limits, retries what is safe to retry, and decodes
    /// the result.
    async fn call<Req, Resp>(&self, action: Action, req: &Req) -> ApiResult<Resp>
    where
        Req: Serialize + Sync + ?Sized,
        Resp: DeserializeOwned,
    {
        let encode_err = |e: serde_json::Error| {
            ApiError::local(action, ErrorKind::Malformed, "EncodeFailed", e.to_string())
        };
        let mut body = serde_json::to_value(req).map_err(encode_err)?;
        match &*self.endpoint {
            Endpoint::Domestic(d) => d.shape(&mut body),
            Endpoint::Global(_) => Global::shape(action, &mut body)?,
        }
        let body = serde_json::to_vec(&body).map_err(encode_err)?;

        let policy = self.limits.retry().clone();
        let mut attempt = 1;
        let result = loop {
            self.limits.admit(action).await;
            let started = std::time::Instant::now();
            let outcome = self.send_once(action, &body).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match &outcome {
                Ok(_) => tracing::debug!(%action, elapsed_ms, "ok"),
                Err(e) => tracing::info!(%action, elapsed_ms, error = %e, "failed"),
            }
            match outcome {
                Err(e) if e.is_retryable() && attempt < policy.max_attempts => {
                    let delay = policy.delay(attempt, e.retry_after);
                    tracing::warn!(%e, attempt, ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) if action.is_create() && e.may_have_applied() => {
                    break Err(e.into_ambiguous());
                }
                other => break other,
            }
        }?;
        serde_json::from_value(result).map_err(|e| {
            ApiError::local(
                action,
                ErrorKind::Malformed,
                "MalformedResponse",
                format!("Result does not match the documented shape: {e}"),
            )
        })
    }
}

/// How often waiting creators check which of their assets left Processing (4 ListAssets a
/// second at most, of the 30 allowed).
const SLOT_CHECK_INTERVAL: Duration = Duration::from_millis(250);

/// Slots never seen leaving Processing are freed after this long.
const SLOT_EXPIRY: Duration = Duration::from_secs(15 * 60);

impl Client {
    /// Takes a creation slot, waiting while this client has the service's maximum of assets
    /// Processing. While waiting it checks which of them finished, with one shared request per
    /// [`SLOT_CHECK_INTERVAL`].
    async fn creation_slot(&self) -> limits::Slot {
        let slots = self.limits.creations();
        loop {
            if let Some(slot) = slots.try_take() {
                return slot;
            }
            slots.expire(SLOT_EXPIRY);
            {
                let mut last = self.last_slot_check.lock().await;
                if last.is_none_or(|t| t.elapsed() >= SLOT_CHECK_INTERVAL) {
                    self.refresh_processing().await;
                    *last = Some(tokio::time::Instant::now());
                }
            }
            if let Some(slot) = slots.take_within(SLOT_CHECK_INTERVAL).await {
                return slot;
            }
        }
    }

    /// Frees the slots of assets that left Processing: one ListAssets(Statuses=[Processing])
    /// (domestic), or GetAsset per held asset (global).
    async fn refresh_processing(&self) {
        let held = self.limits.creations().held();
        match &*self.endpoint {
            Endpoint::Domestic(_) => {
                let mut processing = Vec::new();
                for page_number in 1.. {
                    let req = ListAssets {
                        filter: Some(AssetFilter {
                            statuses: Some(vec![Status::Processing]),
                            ..Default::default()
                        }),
                        paging: Paging::full(page_number, SortBy::CreateTime, SortOrder::Desc),
                    };
                    let Ok(page) = self.call::<_, Page<Asset>>(Action::ListAssets, &req).await
                    else {
                        return;
                    };
                    let more = page.has_more();
                    processing.extend(page.items.into_iter().map(|a| a.id));
                    if !more {
                        break;
                    }
                }
                for id in held {
                    self.limits
                        .creations()
                        .observe(&id, processing.contains(&id));
                }
            }
            Endpoint::Global(_) => {
                for id in held {
                    // get_asset observes the result itself.
                    let _ = self.get_asset(&id).await;
                }
            }
        }
    }

    /// Frees creation slots of assets seen out of Processing.
    fn observe(&self, assets: &[Asset]) {
        for a in assets {
            self.limits
                .creations()
                .observe(&a.id, a.status == Status::Processing);
        }
    }
}

/// Decodes the empty `{}` results of update/delete.
#[derive(serde::Deserialize)]
struct Empty {}

#[async_trait]
impl AssetsApi for Client {
    async fn create_asset_group(&self, req: &CreateAssetGroup) -> ApiResult<Created> {
        self.call(Action::CreateAssetGroup, req).await
    }
    async fn get_asset_group(&self, id: &str) -> ApiResult<AssetGroup> {
        self.call(Action::GetAssetGroup, &ById { id: id.into() })
            .await
    }
    async fn list_asset_groups(&self, req: &ListAssetGroups) -> ApiResult<Page<AssetGroup>> {
        self.call(Action::ListAssetGroups, req).await
    }
    async fn update_asset_group(&self, req: &UpdateAssetGroup) -> ApiResult<()> {
        self.call::<_, Empty>(Action::UpdateAssetGroup, req)
            .await
            .map(drop)
    }
    async fn delete_asset_group(&self, id: &str) -> ApiResult<()> {
        self.call::<_, Empty>(Action::DeleteAssetGroup, &ById { id: id.into() })
            .await
            .map(drop)
    }
    async fn create_asset(&self, req: &CreateAsset) -> ApiResult<Created> {
        let slot = self.creation_slot().await;
        let created: Created = self.call(Action::CreateAsset, req).await?;
        self.limits.creations().hold(&created.id, slot);
        Ok(created)
    }
    async fn get_asset(&self, id: &str) -> ApiResult<Asset> {
        let asset: Asset = self.call(Action::GetAsset, &ById { id: id.into() }).await?;
        self.observe(std::slice::from_ref(&asset));
        Ok(asset)
    }
    async fn list_assets(&self, req: &ListAssets) -> ApiResult<Page<Asset>> {
        let page: Page<Asset> = self.call(Action::ListAssets, req).await?;
        self.observe(&page.items);
        Ok(page)
    }
    async fn update_asset(&self, req: &UpdateAsset) -> ApiResult<()> {
        self.call::<_, Empty>(Action::UpdateAsset, req)
            .await
            .map(drop)
    }
    async fn delete_asset(&self, id: &str) -> ApiResult<()> {
        self.call::<_, Empty>(Action::DeleteAsset, &ById { id: id.into() })
            .await
            .map(drop)
    }
}
