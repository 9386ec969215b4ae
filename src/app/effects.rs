//! Effects: the work `update` asks for, run as tokio tasks that answer with [`Action`]s.

use std::sync::{Arc, RwLock};

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, AssetBatch};
use super::poller;
use super::state::Target;
use crate::api::model::*;
use crate::api::{ApiError, AssetsApi, Client, Endpoint};
use crate::ledger::{self, Ledger};
use crate::validate;

/// Work to do outside `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// List every group.
    LoadGroups,
    /// Load pages `first_page..=last_page` of a group's assets.
    LoadAssets {
        /// Group.
        group_id: String,
        /// First page (1-based).
        first_page: u32,
        /// Last page.
        last_page: u32,
    },
    /// Refresh the status of a group's Processing assets.
    Poll {
        /// Group.
        group_id: String,
        /// Assets known to be Processing, as last seen.
        processing: Vec<Asset>,
    },
    /// Create a group.
    CreateGroup {
        /// Name.
        name: String,
        /// Description.
        description: String,
    },
    /// Check an image URL, then create an asset from it.
    CreateAsset {
        /// Group.
        group_id: String,
        /// Image URL.
        url: String,
        /// Name (may be empty).
        name: String,
    },
    /// Change a group's name and description.
    UpdateGroup {
        /// Group id.
        id: String,
        /// New name.
        name: String,
        /// New description.
        description: String,
    },
    /// Rename an asset.
    RenameAsset {
        /// Asset id.
        id: String,
        /// New name.
        name: String,
    },
    /// Delete a group or an asset.
    Delete(Target),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Scope requests to another project.
    SwitchProject(String),
}

/// Writes clipboard text; the TUI sends OSC 52 to its terminal.
pub trait Clipboard: Send + Sync {
    /// Copies `text`.
    fn copy(&self, text: &str);
}

/// Runs effects against the API and reports back over one channel.
pub struct Runner {
    client: RwLock<Client>,
    ledger: Arc<Ledger>,
    http: reqwest::Client,
    tx: UnboundedSender<Action>,
    clipboard: Arc<dyn Clipboard>,
}

impl Runner {
    /// A runner that uses `client` and answers on `tx`.
    pub fn new(
        client: Client,
        ledger: Arc<Ledger>,
        tx: UnboundedSender<Action>,
        clipboard: Arc<dyn Clipboard>,
    ) -> Self {
        Runner {
            client: RwLock::new(client),
            ledger,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(15))
                .build()
                .expect("the TLS backend initialises"),
            tx,
            clipboard,
        }
    }

    fn client(&self) -> Client {
        self.client.read().expect("client lock").clone()
    }

    /// Starts `effect`; its result arrives later as an action.
    pub fn run(&self, effect: Effect) {
        let api = self.client();
        let tx = self.tx.clone();
        let send = move |action| {
            // The UI may be gone while a task finishes; nothing to do then.
            let _ = tx.send(action);
        };
        match effect {
            Effect::Copy(text) => self.clipboard.copy(&text),
            Effect::SwitchProject(project) => {
                let mut client = self.client.write().expect("client lock");
                *client = client.with_project(Some(project));
            }
            Effect::LoadGroups => {
                let ledger = self.ledger.clone();
                tokio::spawn(async move {
                    let result = match api.endpoint() {
                        Endpoint::Domestic(_) => load_groups(&api).await,
                        Endpoint::Global(_) => Ok(ledger::groups(&ledger)),
                    };
                    send(Action::GroupsLoaded(result))
                });
            }
            Effect::LoadAssets {
                group_id,
                first_page,
                last_page,
            } => {
                let ledger = self.ledger.clone();
                tokio::spawn(async move {
                    let result = match api.endpoint() {
                        Endpoint::Domestic(_) => {
                            load_assets(&api, &AssetFilter::group(&group_id), first_page, last_page)
                                .await
                        }
                        Endpoint::Global(_) => ledger::assets(&api, &ledger, Some(&group_id))
                            .await
                            .map(|items| AssetBatch {
                                total: items.len() as u64,
                                items,
                                next_page: None,
                            }),
                    };
                    send(Action::AssetsLoaded {
                        group_id,
                        first_page,
                        result,
                    })
                });
            }
            Effect::Poll {
                group_id,
                processing,
            } => {
                tokio::spawn(async move {
                    let result = poller::poll(&api, &group_id, &processing).await;
                    send(Action::Polled { group_id, result })
                });
            }
            Effect::CreateGroup { name, description } => {
                tokio::spawn(async move {
                    let req = CreateAssetGroup {
                        name,
                        description: (!description.is_empty()).then_some(description),
                        group_type: Some("AIGC".to_owned()),
                    };
                    let result = api.create_asset_group(&req).await.map(|c| c.id);
                    send(Action::GroupCreated(result))
                });
            }
            Effect::CreateAsset {
                group_id,
                url,
                name,
            } => {
                let http = self.http.clone();
                let ledger = self.ledger.clone();
                tokio::spawn(async move {
                    let checked = match validate::url(&url) {
                        Ok(u) => validate::check_url(&http, &u).await.map(drop),
                        Err(e) => Err(vec![e]),
                    };
                    if let Err(problems) = checked {
                        let problems = problems.iter().map(ToString::to_string).collect();
                        return send(Action::AssetRejected(problems));
                    }
                    let name = if name.is_empty() {
                        ledger::default_name(&url)
                    } else {
                        name
                    };
                    let req = CreateAsset::image(&group_id, url, Some(name));
                    let key = ledger::one_off_key("tui");
                    let result = ledger::create_once(&api, &ledger, &key, &group_id, &req).await;
                    send(Action::AssetCreated { group_id, result })
                });
            }
            Effect::UpdateGroup {
                id,
                name,
                description,
            } => {
                tokio::spawn(async move {
                    let req = UpdateAssetGroup {
                        id: id.clone(),
                        name: Some(name.clone()),
                        description: Some(description.clone()),
                    };
                    let result = api.update_asset_group(&req).await;
                    send(Action::GroupUpdated {
                        id,
                        name,
                        description,
                        result,
                    })
                });
            }
            Effect::RenameAsset { id, name } => {
                tokio::spawn(async move {
                    let req = UpdateAsset {
                        id: id.clone(),
                        name: name.clone(),
                    };
                    let result = api.update_asset(&req).await;
                    send(Action::AssetRenamed { id, name, result })
                });
            }
            Effect::Delete(target) => {
                tokio::spawn(async move {
                    let result = match &target {
                        Target::Group(id) => api.delete_asset_group(id).await,
                        Target::Asset(id) => api.delete_asset(id).await,
                    };
                    send(Action::Deleted { target, result })
                });
            }
        }
    }
}

/// Lists every group, page by page.
pub async fn load_groups(api: &dyn AssetsApi) -> Result<Vec<AssetGroup>, ApiError> {
    let mut groups = Vec::new();
    for page_number in 1.. {
        let page = api
            .list_asset_groups(&ListAssetGroups {
                filter: None,
                paging: Paging::full(page_number, SortBy::CreateTime, SortOrder::Desc),
            })
            .await?;
        let more = page.has_more();
        groups.extend(page.items);
        if !more {
            break;
        }
    }
    Ok(groups)
}

/// Loads pages `first..=last` (newest first) of the assets matching `filter`.
pub async fn load_assets(
    api: &dyn AssetsApi,
    filter: &AssetFilter,
    first: u32,
    last: u32,
) -> Result<AssetBatch, ApiError> {
    let mut batch = AssetBatch {
        items: Vec::new(),
        total: 0,
        next_page: None,
    };
    for page_number in first..=last.max(first) {
        let page = api
            .list_assets(&ListAssets {
                filter: Some(filter.clone()),
                paging: Paging::full(page_number, SortBy::CreateTime, SortOrder::Desc),
            })
            .await?;
        batch.total = page.total_count;
        batch.next_page = page.has_more().then_some(page_number + 1);
        batch.items.extend(page.items);
        if batch.next_page.is_none() {
            break;
        }
    }
    Ok(batch)
}
