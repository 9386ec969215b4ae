//! Reading every page of a listing without trusting the service's paging.
//!
//! A server that repeats pages or reports an absurd `TotalCount` must not make a listing run
//! forever: a page that brings no item not seen before ends it, and so does [`MAX_PAGES`]. Either
//! way the reason is kept in one line for the user.

use std::collections::HashSet;

use crate::api::model::{HasId, Page};

/// Most pages one listing reads: 2,000 pages of 100 are 200,000 items.
pub const MAX_PAGES: u32 = 2_000;

/// Tracks the ids a listing has seen and decides when it must stop.
#[derive(Debug, Default)]
pub struct Pager {
    seen: HashSet<String>,
    read: u32,
    /// Why the listing stopped before the service said it was complete.
    pub stopped: Option<String>,
}

impl Pager {
    /// A pager for a new listing.
    pub fn new() -> Self {
        Pager::default()
    }

    /// Takes page `number`: returns its items not seen before and whether to ask for the next
    /// page (false at the end, and when the page brought nothing new or the cap is reached,
    /// with the reason in [`Pager::stopped`]).
    pub fn take<T: HasId>(&mut self, number: u32, page: Page<T>) -> (Vec<T>, bool) {
        self.read += 1;
        let more = page.more_after(number);
        let total = page.total_count;
        let had_items = !page.items.is_empty();
        let fresh: Vec<T> = page
            .items
            .into_iter()
            .filter(|item| self.seen.insert(item.id().to_owned()))
            .collect();
        if had_items && fresh.is_empty() {
            self.stopped = Some(format!(
                "stopped listing at page {number}: it repeated items of earlier pages, so the \
                 service's paging cannot be trusted ({} items listed, {total} reported)",
                self.seen.len()
            ));
            return (fresh, false);
        }
        if more && self.read >= MAX_PAGES {
            self.stopped = Some(format!(
                "stopped listing after {MAX_PAGES} pages ({} items); the service reports {total}",
                self.seen.len()
            ));
            return (fresh, false);
        }
        (fresh, more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Created;

    fn page(ids: std::ops::Range<u32>, number: u32, total: u64) -> Page<Created> {
        Page {
            items: ids
                .map(|i| Created {
                    id: format!("a{i}"),
                })
                .collect(),
            page_number: number,
            page_size: 100,
            total_count: total,
        }
    }

    #[test]
    fn a_repeated_page_ends_the_listing_with_a_reason() {
        let mut pager = Pager::new();
        let (items, more) = pager.take(1, page(0..100, 1, 1_000_000_000_000));
        assert_eq!((items.len(), more), (100, true));
        let (items, more) = pager.take(2, page(0..100, 2, 1_000_000_000_000));
        assert_eq!((items.len(), more), (0, false));
        assert!(pager.stopped.unwrap().contains("repeated"));
    }

    #[test]
    fn overlapping_pages_keep_only_new_items_and_the_cap_holds() {
        let mut pager = Pager::new();
        pager.take(1, page(0..100, 1, 300));
        let (items, more) = pager.take(2, page(50..150, 2, 300));
        assert_eq!((items.len(), more), (50, true));
        let mut pager = Pager::new();
        let mut n = 0;
        while pager
            .take(n + 1, page(n * 100..n * 100 + 100, n + 1, u64::MAX))
            .1
        {
            n += 1;
        }
        assert_eq!(n + 1, MAX_PAGES);
        assert!(pager.stopped.unwrap().contains("2000 pages"));
    }
}
