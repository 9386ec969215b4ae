//! [`PreviewCache`]: the previews made, by asset id, bounded by bytes.

use std::collections::{HashMap, VecDeque};

use super::Preview;

/// The most the cache holds, in bytes of cells.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// What is known of an asset's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewState {
    /// Being fetched and drawn.
    Loading,
    /// Ready.
    Ready(Preview),
    /// It could not be made.
    Failed(String),
}

/// Previews by asset id, the least recently stored dropped past [`CACHE_BYTES`].
#[derive(Debug, Clone, Default)]
pub struct PreviewCache {
    entries: HashMap<String, PreviewState>,
    order: VecDeque<String>,
    bytes: usize,
}

impl PreviewCache {
    /// The state of `id`'s preview, if it was asked for.
    pub fn get(&self, id: &str) -> Option<&PreviewState> {
        self.entries.get(id)
    }

    /// Records `state` for `id`, dropping the oldest entries while over the bound.
    pub fn put(&mut self, id: String, state: PreviewState) {
        if let Some(old) = self.entries.remove(&id) {
            self.bytes -= size(&old);
            self.order.retain(|o| *o != id);
        }
        self.bytes += size(&state);
        self.entries.insert(id.clone(), state);
        self.order.push_back(id);
        while self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.entries.remove(&oldest) {
                self.bytes -= size(&gone);
            }
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

fn size(state: &PreviewState) -> usize {
    match state {
        PreviewState::Ready(p) => p.bytes(),
        PreviewState::Loading | PreviewState::Failed(_) => 64,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Picture;
    use super::*;

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let mut cache = PreviewCache::default();
        let big = Preview {
            width: 1000,
            height: 1000,
            picture: Picture::Cells(vec![([0; 3], [0; 3]); 1_000_000]),
        };
        for i in 0..10 {
            cache.put(format!("a{i}"), PreviewState::Ready(big.clone()));
        }
        assert!(cache.bytes() <= CACHE_BYTES);
        assert!(cache.get("a9").is_some() && cache.get("a0").is_none());
    }
}
