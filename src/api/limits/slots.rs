//! [`CreationSlots`]: at most the service's number of assets Processing at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Most assets the service lets an account have Processing at once.
pub(crate) const MAX_CONCURRENT_CREATIONS: usize = 30;

/// Slots for assets being created: one is taken before a CreateAsset is sent and kept, under the
/// new asset's id, until the client sees the asset leave Processing, so that this client never
/// has more than the service's limit of assets Processing at once.
#[derive(Debug)]
pub struct CreationSlots {
    semaphore: Arc<Semaphore>,
    held: Mutex<HashMap<String, Held>>,
}

/// A slot kept for an asset Processing.
#[derive(Debug)]
struct Held {
    _permit: OwnedSemaphorePermit,
    /// The asset's group.
    group: String,
    since: Instant,
}

/// A slot taken for one creation.
#[derive(Debug)]
pub(crate) struct Slot(OwnedSemaphorePermit);

impl CreationSlots {
    /// `capacity` slots.
    pub fn new(capacity: usize) -> Self {
        CreationSlots {
            semaphore: Arc::new(Semaphore::new(capacity.max(1))),
            held: Mutex::new(HashMap::new()),
        }
    }

    /// A free slot, if any.
    pub(crate) fn try_take(&self) -> Option<Slot> {
        self.semaphore.clone().try_acquire_owned().ok().map(Slot)
    }

    /// Waits until `deadline` at most for a slot.
    pub(crate) async fn take_until(&self, deadline: Instant) -> Option<Slot> {
        let acquire = self.semaphore.clone().acquire_owned();
        match tokio::time::timeout_at(deadline, acquire).await {
            Ok(permit) => Some(Slot(
                permit.expect("the creation semaphore is never closed"),
            )),
            Err(_) => None,
        }
    }

    /// Keeps `slot` taken while asset `id` of `group` is Processing.
    pub(crate) fn hold(&self, id: &str, group: &str, slot: Slot) {
        let held = Held {
            _permit: slot.0,
            group: group.to_owned(),
            since: Instant::now(),
        };
        self.held
            .lock()
            .expect("slots lock")
            .insert(id.to_owned(), held);
    }

    /// Frees the slot of `id` when `still_processing` is false.
    pub(crate) fn observe(&self, id: &str, still_processing: bool) {
        if !still_processing {
            self.held.lock().expect("slots lock").remove(id);
        }
    }

    /// The assets whose slots are held, as (id, group).
    pub fn held(&self) -> Vec<(String, String)> {
        self.held
            .lock()
            .expect("slots lock")
            .iter()
            .map(|(id, held)| (id.clone(), held.group.clone()))
            .collect()
    }

    /// Frees slots held longer than `age` (an asset whose end was never observed).
    pub(crate) fn expire(&self, age: Duration) {
        self.held
            .lock()
            .expect("slots lock")
            .retain(|_, held| held.since.elapsed() < age);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::time::Instant;

    use super::super::Limits;

    #[tokio::test(start_paused = true)]
    async fn the_31st_creation_waits_until_one_leaves_processing() {
        let limits = Arc::new(Limits::default());
        let slots = limits.creations();
        for i in 0..30 {
            let slot = slots.try_take().expect("30 slots");
            slots.hold(&format!("asset-{i}"), "group-1", slot);
        }
        assert!(
            slots.try_take().is_none(),
            "31st creation admitted while 30 Processing"
        );
        let in_5s = Instant::now() + Duration::from_secs(5);
        assert!(slots.take_until(in_5s).await.is_none());
        slots.observe("asset-3", true);
        assert!(slots.try_take().is_none(), "still Processing frees nothing");
        let waiting = tokio::spawn({
            let limits = limits.clone();
            async move {
                let in_60s = Instant::now() + Duration::from_secs(60);
                limits.creations().take_until(in_60s).await
            }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        slots.observe("asset-3", false);
        assert!(
            waiting.await.unwrap().is_some(),
            "freed when it left Processing"
        );
        assert_eq!(slots.held().len(), 29);
        assert!(slots.held().iter().all(|(_, group)| group == "group-1"));
        tokio::time::sleep(Duration::from_secs(3600)).await;
        slots.expire(Duration::from_secs(900));
        assert!(slots.held().is_empty(), "slots never seen finishing expire");
    }
}
