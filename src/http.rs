//! HTTP clients: one way to build them (this tool's `User-Agent`), and made on their first
//! use: building a `reqwest::Client` loads the system's root certificates (every file of
//! `/etc/ssl/certs`, a few milliseconds a client), which would otherwise come before the TUI's
//! first frame.

use std::sync::{Arc, LazyLock};

type Build = Box<dyn FnOnce() -> reqwest::Client + Send>;

/// A client with this tool's `User-Agent` and what `configure` sets (timeouts, redirects).
pub fn client(
    configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> reqwest::Client {
    configure(reqwest::Client::builder())
        .user_agent(concat!("ark-assets/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

/// A `reqwest::Client` built when a request first needs it. Clones share it (and so its
/// connections).
#[derive(Clone)]
pub struct Http(Arc<LazyLock<reqwest::Client, Build>>);

impl Http {
    /// A client that `build` makes on first use.
    pub fn lazy(build: impl FnOnce() -> reqwest::Client + Send + 'static) -> Self {
        Http(Arc::new(LazyLock::new(Box::new(build))))
    }
}

impl From<reqwest::Client> for Http {
    fn from(client: reqwest::Client) -> Self {
        Http::lazy(move || client)
    }
}

impl std::ops::Deref for Http {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        &self.0
    }
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the client's own: printing must not build it.
        f.write_str("Http")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_client_is_built_once_on_first_use_and_shared() {
        static BUILT: AtomicUsize = AtomicUsize::new(0);
        let http = Http::lazy(|| {
            BUILT.fetch_add(1, Ordering::SeqCst);
            reqwest::Client::new()
        });
        let copy = http.clone();
        assert_eq!(BUILT.load(Ordering::SeqCst), 0, "not built until used");
        let _ = copy.get("http://127.0.0.1:9/");
        let _ = http.get("http://127.0.0.1:9/");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
    }
}
