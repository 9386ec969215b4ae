//! Reading every page of a listing, whichever way the service pages, without trusting it.
//!
//! The service pages one of two ways (spec section 12): by `PageNumber`/`PageSize` with a
//! `TotalCount` (Volcengine), or by `MaxResults` and the `NextToken` of the last answer
//! (BytePlus, which ignores `PageNumber`). A first page asks both ways; an answer with a
//! `NextToken` is followed by token, one without by page number ([`Pager::take`]).
//!
//! A listing is never cut short in silence: a page that brings nothing new, a token given back
//! again, or [`MAX_PAGES`] pages end it with the reason ([`Listing::stopped`]), which the CLI
//! prints (exit 1) and the TUI shows in the pane's title. One repeat is the end instead: a
//! full last page without a token is followed by page 2, by number, which a service paging by
//! token answers with the same page again ([`repeat_is_the_end`]).

use std::collections::HashSet;
use std::future::Future;

use crate::api::ApiResult;
use crate::api::model::{HasId, MAX_PAGE_SIZE, Page, Paging};

/// Most pages one listing reads: 2,000 pages of 100 are 200,000 items.
pub(crate) const MAX_PAGES: u32 = 2_000;

/// Where a page of a listing starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// Page-number paging: this page (1-based).
    Page(u32),
    /// Token paging: the token the previous answer carried.
    Token(String),
}

impl Cursor {
    /// The first page.
    pub const FIRST: Cursor = Cursor::Page(1);
}

/// What one page of a listing says about the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// More pages: the next one starts here.
    At(Cursor),
    /// The listing is complete.
    End,
    /// The listing cannot go on: why, in one line.
    Stopped(String),
}

/// Tracks what a listing has seen and decides how it goes on.
#[derive(Debug, Default)]
pub struct Pager {
    seen: HashSet<String>,
    tokens: HashSet<String>,
    /// The ids of the page taken last.
    last: HashSet<String>,
    read: u32,
}

/// Whether a page that brought only items listed already ends the listing rather than
/// stopping it: it was asked for by a page number after the first (so the page before it came
/// without a token), and it has neither a token nor a total. A service that pages by token
/// ignores `PageNumber` and answers its one page again; one that pages by number says its
/// total, and a repeat there is a fault.
pub(crate) fn repeat_is_the_end(asked: &Cursor, total: Option<u64>, token: Option<&str>) -> bool {
    matches!(asked, Cursor::Page(n) if *n > 1) && total.is_none() && token.is_none()
}

impl Pager {
    /// A pager for a new listing.
    pub fn new() -> Self {
        Pager::default()
    }

    /// Items listed so far.
    pub fn listed(&self) -> usize {
        self.seen.len()
    }

    /// Takes the page asked for at `asked`: returns its items not seen before, and how the
    /// listing goes on.
    pub fn take<T: HasId>(&mut self, asked: &Cursor, page: Page<T>) -> (Vec<T>, Next) {
        self.read += 1;
        let brought = page.items.len();
        let ids: HashSet<String> = page.items.iter().map(|i| i.id().to_owned()).collect();
        let repeats_last = brought > 0 && ids == self.last;
        self.last = ids;
        let fresh: Vec<T> = page
            .items
            .into_iter()
            .filter(|item| self.seen.insert(item.id().to_owned()))
            .collect();
        let listed = self.seen.len();
        let next = if repeats_last
            && repeat_is_the_end(asked, page.total_count, page.next_token.as_deref())
        {
            Next::End
        } else if brought > 0 && fresh.is_empty() {
            Next::Stopped(format!(
                "the page after the first {listed} items repeated them ({}), so the listing \
                 cannot go on",
                how_asked(asked)
            ))
        } else if let Some(token) = page.next_token {
            let given_back = *asked == Cursor::Token(token.clone());
            if !self.tokens.insert(token.clone()) || given_back {
                Next::Stopped(format!(
                    "the service gave back a NextToken it had given before after {listed} items, \
                     so the listing cannot go on"
                ))
            } else {
                Next::At(Cursor::Token(token))
            }
        } else {
            match (asked, page.total_count) {
                // Token paging without a token: the last page.
                (Cursor::Token(_), _) => Next::End,
                (Cursor::Page(n), Some(total)) => {
                    let size = match page.page_size {
                        0 => MAX_PAGE_SIZE,
                        size => size,
                    };
                    let more = u64::from(*n) * u64::from(size) < total && brought > 0;
                    if more {
                        Next::At(Cursor::Page(n + 1))
                    } else {
                        Next::End
                    }
                }
                // Neither a token nor a total: a full page may have more after it.
                (Cursor::Page(n), None) if brought >= MAX_PAGE_SIZE as usize => {
                    Next::At(Cursor::Page(n + 1))
                }
                (Cursor::Page(_), None) => Next::End,
            }
        };
        let next = match next {
            Next::At(_) if self.read >= MAX_PAGES => Next::Stopped(format!(
                "stopped after {MAX_PAGES} pages ({listed} items); the service has more"
            )),
            other => other,
        };
        (fresh, next)
    }
}

/// How a page was asked for, in words.
fn how_asked(asked: &Cursor) -> String {
    match asked {
        Cursor::Page(n) => format!("page {n} was asked for, and no NextToken came"),
        Cursor::Token(_) => "asked with a NextToken".to_owned(),
    }
}

/// What a listing read.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<T> {
    /// Items in the service's order.
    pub items: Vec<T>,
    /// Matching items on the service, when it says (page-number paging).
    pub total: Option<u64>,
    /// Where the listing goes on, when it was read only in part.
    pub next: Option<Cursor>,
    /// Why the listing stopped before the service said it was complete.
    pub stopped: Option<String>,
    /// Items the service sent that the request did not ask for (another group's), left out.
    pub left_out: usize,
}

impl<T> Listing<T> {
    /// Everything there is: no more pages.
    pub fn complete(items: Vec<T>) -> Self {
        Listing {
            total: Some(items.len() as u64),
            items,
            next: None,
            stopped: None,
            left_out: 0,
        }
    }

    /// One line on what the listing lacks, when it lacks anything: why it stopped, and the
    /// items of other groups left out.
    pub fn warning(&self) -> Option<String> {
        let left_out = (self.left_out > 0).then(|| {
            format!(
                "{} items of other groups the service sent were left out (it ignored a filter)",
                self.left_out
            )
        });
        match (&self.stopped, left_out) {
            (Some(why), Some(left)) => Some(format!("{why}; {left}")),
            (Some(why), None) => Some(why.clone()),
            (None, left) => left,
        }
    }
}

/// Reads a listing from `start`: pages come from `fetch`, at most `pages` of them (`next` then
/// says where the rest starts), fewer when `enough` says so of a page's items; it ends when the
/// service says it is complete, or stops when it cannot go on ([`Listing::stopped`]).
pub async fn read<T, F, Fut>(
    start: Cursor,
    pages: u32,
    mut fetch: F,
    mut enough: impl FnMut(&[T]) -> bool,
) -> ApiResult<Listing<T>>
where
    T: HasId,
    F: FnMut(Cursor) -> Fut,
    Fut: Future<Output = ApiResult<Page<T>>>,
{
    let mut listing = Listing::complete(Vec::new());
    let mut pager = Pager::new();
    let mut at = start;
    for read in 1..=pages.max(1) {
        let page = fetch(at.clone()).await?;
        listing.total = page.total_count;
        let done = enough(&page.items);
        let (items, next) = pager.take(&at, page);
        listing.items.extend(items);
        match next {
            Next::At(cursor) if !done && read < pages.max(1) => at = cursor,
            Next::At(cursor) if !done => {
                listing.next = Some(cursor);
                break;
            }
            Next::At(_) | Next::End => break,
            Next::Stopped(why) => {
                listing.stopped = Some(why);
                break;
            }
        }
    }
    Ok(listing)
}

impl Paging {
    /// The page `at` points to, at the largest page size: a page number is asked both ways
    /// (with `MaxResults` for a service that pages by token), a token alone.
    pub fn at(at: &Cursor) -> Self {
        let (page_number, page_size, next_token) = match at {
            Cursor::Page(n) => (Some(*n), Some(MAX_PAGE_SIZE), None),
            Cursor::Token(token) => (None, None, Some(token.clone())),
        };
        Paging {
            page_number,
            page_size,
            max_results: Some(MAX_PAGE_SIZE),
            next_token,
            sort_by: None,
            sort_order: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Created;

    fn page(ids: std::ops::Range<u32>, total: Option<u64>, token: Option<&str>) -> Page<Created> {
        Page {
            items: ids
                .map(|i| Created {
                    id: format!("a{i}"),
                })
                .collect(),
            page_number: 0,
            page_size: 0,
            total_count: total,
            next_token: token.map(str::to_owned),
        }
    }

    #[test]
    fn page_numbers_follow_the_total() {
        let mut pager = Pager::new();
        let (items, next) = pager.take(&Cursor::Page(1), page(0..100, Some(250), None));
        assert_eq!((items.len(), next), (100, Next::At(Cursor::Page(2))));
        let (_, next) = pager.take(&Cursor::Page(2), page(100..200, Some(250), None));
        assert_eq!(next, Next::At(Cursor::Page(3)));
        let (_, next) = pager.take(&Cursor::Page(3), page(200..250, Some(250), None));
        assert_eq!(next, Next::End);
    }

    #[test]
    fn tokens_are_followed_until_there_is_none() {
        let mut pager = Pager::new();
        let (_, next) = pager.take(&Cursor::Page(1), page(0..100, None, Some("t1")));
        assert_eq!(next, Next::At(Cursor::Token("t1".into())));
        let (_, next) = pager.take(
            &Cursor::Token("t1".into()),
            page(100..200, None, Some("t2")),
        );
        assert_eq!(next, Next::At(Cursor::Token("t2".into())));
        let (items, next) = pager.take(&Cursor::Token("t2".into()), page(200..257, None, None));
        assert_eq!((items.len(), next), (57, Next::End));
        assert_eq!(pager.listed(), 257);
    }

    #[test]
    fn a_listing_that_cannot_advance_says_so() {
        // A token given back: stuck.
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, None, Some("t1")));
        let (_, next) = pager.take(
            &Cursor::Token("t1".into()),
            page(100..200, None, Some("t1")),
        );
        assert!(
            matches!(next, Next::Stopped(why) if why.contains("NextToken it had given before after 200 items"))
        );
        // A page repeated in the middle: by token, or by number with a total.
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, None, Some("t1")));
        let (items, next) = pager.take(&Cursor::Token("t1".into()), page(0..100, None, None));
        assert!(items.is_empty());
        assert!(matches!(next, Next::Stopped(why) if why.contains("repeated them")));
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, Some(300), None));
        let (_, next) = pager.take(&Cursor::Page(2), page(0..100, Some(300), None));
        assert!(matches!(next, Next::Stopped(why) if why.contains("repeated them")));
        // Page 2 bringing only items of page 1 in part, or of a page before the last: stopped.
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, None, None));
        let (_, next) = pager.take(&Cursor::Page(2), page(50..100, None, None));
        assert!(matches!(next, Next::Stopped(why) if why.contains("repeated them")));
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, None, None));
        pager.take(&Cursor::Page(2), page(100..200, None, None));
        let (_, next) = pager.take(&Cursor::Page(3), page(0..100, None, None));
        assert!(matches!(next, Next::Stopped(why) if why.contains("repeated them")));
        // An absurd total: the cap holds.
        let mut pager = Pager::new();
        let mut n = 1;
        while let (_, Next::At(_)) = pager.take(
            &Cursor::Page(n),
            page(n * 100..n * 100 + 100, Some(u64::MAX), None),
        ) {
            n += 1;
        }
        assert_eq!(n, MAX_PAGES);
    }

    #[test]
    fn a_full_only_page_asked_again_by_number_is_the_end() {
        // A service paging by token ignores PageNumber: page 2 is page 1 again, the end.
        let mut pager = Pager::new();
        let (_, next) = pager.take(&Cursor::Page(1), page(0..100, None, None));
        assert_eq!(next, Next::At(Cursor::Page(2)), "a full page may have more");
        let (items, next) = pager.take(&Cursor::Page(2), page(0..100, None, None));
        assert_eq!((items.len(), next, pager.listed()), (0, Next::End, 100));
        // In another order, too (ties of one time in the service's sort).
        let mut pager = Pager::new();
        pager.take(&Cursor::Page(1), page(0..100, None, None));
        let mut again = page(0..100, None, None);
        again.items.reverse();
        assert_eq!(pager.take(&Cursor::Page(2), again).1, Next::End);
    }

    /// The pages of `n` items as each style of service answers them: by token (page numbers
    /// ignored; no total) or by number (with the total).
    fn served(n: u32, by_token: bool, at: &Cursor) -> Page<Created> {
        let size = MAX_PAGE_SIZE;
        let start = match at {
            Cursor::Page(p) if !by_token => (p - 1) * size,
            Cursor::Page(_) => 0,
            Cursor::Token(t) => t.parse().unwrap(),
        };
        let end = (start + size).min(n);
        let token = (by_token && end < n).then(|| end.to_string());
        let total = (!by_token).then_some(u64::from(n));
        page(start.min(n)..end, total, token.as_deref())
    }

    proptest::proptest! {
        #[test]
        fn every_size_lists_whole_in_either_style(n in 0u32..650, by_token: bool) {
            let mut pager = Pager::new();
            let mut at = Cursor::FIRST;
            let mut listed = Vec::new();
            loop {
                let (items, next) = pager.take(&at, served(n, by_token, &at));
                listed.extend(items.into_iter().map(|c| c.id));
                match next {
                    Next::At(cursor) => at = cursor,
                    Next::End => break,
                    Next::Stopped(why) => panic!("{n} items, by token {by_token}: {why}"),
                }
            }
            let expected: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
            proptest::prop_assert_eq!(listed, expected);
        }
    }

    #[tokio::test]
    async fn a_reader_stops_where_asked_and_says_where_the_rest_starts() {
        let pages = |at: Cursor| async move {
            Ok(match at {
                Cursor::Page(1) => page(0..100, None, Some("t1")),
                Cursor::Token(t) if t == "t1" => page(100..200, None, Some("t2")),
                _ => page(200..210, None, None),
            })
        };
        let all = read(Cursor::FIRST, u32::MAX, pages, |_| false)
            .await
            .unwrap();
        assert_eq!((all.items.len(), all.next, all.stopped), (210, None, None));
        let two = read(Cursor::FIRST, 2, pages, |_| false).await.unwrap();
        assert_eq!(two.items.len(), 200);
        assert_eq!(two.next, Some(Cursor::Token("t2".into())));
        let one = read(Cursor::FIRST, 9, pages, |_| true).await.unwrap();
        assert_eq!((one.items.len(), one.next), (100, None));
    }
}
