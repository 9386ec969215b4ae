//! Signed URLs of the assets the user looked at, fetched one at a time with GetAsset when the
//! selection needs one (the detail pane, a preview, a probe, `u`) and kept until shortly before
//! they expire. Rows do not hold URLs (see [`super::asset_row`]).

use std::collections::HashMap;

use super::clock::TICKS_PER_SECOND;

/// URLs kept at most; past it the cache starts again (each is a few hundred bytes).
const MAX_URLS: usize = 256;

/// A URL is fetched again after this many ticks: the service signs them for 12 h.
const FRESH_TICKS: u64 = 11 * 3600 * TICKS_PER_SECOND;

/// What is known of an asset's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Url {
    /// The signed URL.
    Signed(String),
    /// GetAsset failed or the asset has no URL (yet): why.
    Missing(String),
}

/// The URL cache.
#[derive(Debug, Clone, Default)]
pub struct Urls {
    known: HashMap<String, (Url, u64)>,
    /// The asset whose URL is being fetched.
    pub fetching: Option<String>,
    /// The asset whose URL was asked for (`u` to show it, `x` to open it), and what for, once
    /// it arrives; `Esc` stops waiting.
    pub wanted: Option<(String, Wanted)>,
}

/// What a URL being fetched is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// Shown (and copyable).
    Show,
    /// Opened in the browser.
    Open,
}

impl Urls {
    /// What is known of `id`'s URL at `tick`, unless it is too old to trust.
    pub fn get(&self, id: &str, tick: u64) -> Option<&Url> {
        self.known
            .get(id)
            .filter(|(_, at)| tick.saturating_sub(*at) < FRESH_TICKS)
            .map(|(url, _)| url)
    }

    /// `id`'s signed URL at `tick`, when one is known and fresh.
    pub fn signed(&self, id: &str, tick: u64) -> Option<&str> {
        match self.get(id, tick)? {
            Url::Signed(url) => Some(url),
            Url::Missing(_) => None,
        }
    }

    /// Keeps what was learnt of `id`'s URL at `tick`.
    pub fn put(&mut self, id: &str, url: Url, tick: u64) {
        if self.known.len() >= MAX_URLS && !self.known.contains_key(id) {
            self.known.clear();
        }
        self.known.insert(id.to_owned(), (url, tick));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_kept_until_shortly_before_it_expires() {
        let mut urls = Urls::default();
        urls.put("a", Url::Signed("https://x/a".into()), 10);
        assert_eq!(urls.signed("a", 10 + FRESH_TICKS - 1), Some("https://x/a"));
        assert_eq!(urls.signed("a", 10 + FRESH_TICKS), None);
        urls.put("b", Url::Missing("gone".into()), 0);
        assert_eq!(urls.signed("b", 0), None);
        assert_eq!(urls.get("b", 0), Some(&Url::Missing("gone".into())));
    }

    #[test]
    fn the_cache_is_bounded() {
        let mut urls = Urls::default();
        for i in 0..=MAX_URLS {
            urls.put(&i.to_string(), Url::Signed(String::new()), 0);
        }
        assert!(urls.known.len() <= MAX_URLS);
        assert!(
            urls.get(&MAX_URLS.to_string(), 0).is_some(),
            "the newest is kept"
        );
    }
}
