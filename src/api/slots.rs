//! The client's creation slots: a CreateAsset waits while this client has the service's
//! maximum of assets Processing, and checks which of them finished while it waits.

use std::time::Duration;

use super::client::Client;
use super::endpoint::Endpoint;
use super::limits;
use super::model::{Action, Asset, AssetFilter, ById, GroupType, ListAssets, Page, Paging, Status};
use super::{ApiResult, paging};

/// How often waiting creators check which of their assets left Processing: one shared
/// `ListAssets(Statuses=[Processing])` of each kind of group per interval at most, and only
/// while a creator waits for a slot (20 a second at most, of the 30 allowed). A freed slot
/// wakes its waiter at once; the interval bounds how late a finished asset is noticed (50 ms on
/// average).
const SLOT_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// Slots never seen leaving Processing are freed after this long.
const SLOT_EXPIRY: Duration = Duration::from_secs(15 * 60);

impl Client {
    /// Takes a creation slot, waiting while this client has the service's maximum of assets
    /// Processing. While waiting it checks which of them finished, with one shared request per
    /// [`SLOT_CHECK_INTERVAL`].
    pub(super) async fn creation_slot(&self) -> limits::Slot {
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

    /// Frees the slots of assets that left Processing: ListAssets(Statuses=[Processing]) of
    /// both kinds of group (domestic), or GetAsset per held asset (global).
    async fn refresh_processing(&self) {
        let held = self.limits.creations().held();
        match &*self.endpoint {
            Endpoint::Domestic(_) => {
                let mut processing = Vec::new();
                for kind in GroupType::ALL {
                    let filter = AssetFilter {
                        statuses: Some(vec![Status::Processing]),
                        group_type: Some(kind),
                        ..Default::default()
                    };
                    let listing = paging::read(
                        paging::Cursor::FIRST,
                        u32::MAX,
                        |at| {
                            let req = ListAssets {
                                filter: Some(filter.clone()),
                                paging: Paging::at(&at),
                            };
                            async move { self.call::<_, Page<Asset>>(Action::ListAssets, &req).await }
                        },
                        |_| false,
                    );
                    // A check that fails or is cut short frees nothing: slots expire.
                    match listing.await {
                        Ok(listing) if listing.stopped.is_none() => {
                            processing.extend(listing.items.into_iter().map(|a| a.id));
                        }
                        _ => return,
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
                    // Observed as it is read.
                    let _ = self.get_observed(&id).await;
                }
            }
        }
    }

    /// Frees creation slots of assets seen out of Processing.
    pub(super) fn observe(&self, assets: &[Asset]) {
        for a in assets {
            self.limits
                .creations()
                .observe(&a.id, a.status == Status::Processing);
        }
    }

    /// GetAsset, its answer observed (its creation slot freed once it left Processing).
    pub(super) async fn get_observed(&self, id: &str) -> ApiResult<Asset> {
        let asset: Asset = self.call(Action::GetAsset, &ById { id: id.into() }).await?;
        self.observe(std::slice::from_ref(&asset));
        Ok(asset)
    }
}
