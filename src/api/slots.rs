//! The client's creation slots: a CreateAsset waits while this client has the service's
//! maximum of assets Processing, and checks which of them finished while it waits.

use std::time::Duration;

use tokio::time::Instant;

use super::client::Client;
use super::endpoint::Endpoint;
use super::limits;
use super::model::{Action, Asset, AssetFilter, ById, ListAssets, Page, Paging, Status};
use super::slot_checks::SlotChecks;
use super::{ApiResult, paging};

/// Slots never seen leaving Processing are freed after this long.
const SLOT_EXPIRY: Duration = Duration::from_secs(15 * 60);

impl Client {
    /// Takes a creation slot, waiting while this client has the service's maximum of assets
    /// Processing. While waiting it checks which of them finished, one shared check at a time
    /// on the schedule of [`SlotChecks`].
    pub(super) async fn creation_slot(&self) -> limits::Slot {
        let slots = self.limits.creations();
        loop {
            if let Some(slot) = slots.try_take() {
                return slot;
            }
            slots.expire(SLOT_EXPIRY);
            let next = {
                let mut checks = self.slot_checks.lock().await;
                let now = Instant::now();
                if checks.due(now) {
                    let (action, requests) = self.refresh_processing(&mut checks).await;
                    checks.checked(now, action, requests);
                }
                checks.next(now)
            };
            if let Some(slot) = slots.take_until(next).await {
                return slot;
            }
        }
    }

    /// Frees the slots of assets that left Processing: ListAssets(Statuses=[Processing]) of
    /// the kinds of group held (domestic), or GetAsset per held asset (global). Answers the
    /// action and how many requests of it were sent.
    async fn refresh_processing(&self, checks: &mut SlotChecks) -> (Action, u32) {
        let held = self.limits.creations().held();
        if let Endpoint::Global(_) = &*self.endpoint {
            for (id, _) in &held {
                // Observed as it is read.
                let _ = self.get_observed(id).await;
            }
            return (Action::GetAsset, held.len() as u32);
        }
        let mut sent = 0;
        let mut processing = Vec::new();
        for kind in checks.kinds_to_list(held.iter().map(|(_, group)| group.as_str())) {
            let filter = AssetFilter {
                statuses: Some(vec![Status::Processing]),
                group_type: Some(kind),
                ..Default::default()
            };
            let listing = paging::read(
                paging::Cursor::FIRST,
                u32::MAX,
                |at| {
                    sent += 1;
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
                    checks.learn(&held, kind, &listing.items);
                    processing.extend(listing.items.into_iter().map(|a| a.id));
                }
                _ => return (Action::ListAssets, sent),
            }
        }
        for (id, _) in held {
            self.limits
                .creations()
                .observe(&id, processing.contains(&id));
        }
        (Action::ListAssets, sent)
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
