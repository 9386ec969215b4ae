//! HTTP clients: one way to build them (this tool's `User-Agent`), and made on their first
//! use: building a `reqwest::Client` loads the system's root certificates (every file of
//! `/etc/ssl/certs`, a few milliseconds a client), which would otherwise come before the TUI's
//! first frame.

use std::sync::{Arc, LazyLock};

/// An error and its sources on one line (`a: b: c`), as reqwest's own message omits the cause.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

type Build = Box<dyn FnOnce() -> reqwest::Client + Send>;

/// A client with this tool's `User-Agent` and what `configure` sets (timeouts, redirects). Its
/// TLS is rustls with ring, installed as the process's provider on first use.
pub fn client(
    configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> reqwest::Client {
    static PROVIDER: std::sync::Once = std::sync::Once::new();
    PROVIDER.call_once(|| {
        // Another part of the process may have installed one first: it is used then.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    configure(reqwest::Client::builder())
        .user_agent(concat!("ark-assets/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

/// Most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;

/// The redirects a client follows: at most [`MAX_REDIRECTS`], and never one that would carry a
/// signed request (a credential or signature in its query, as presigned URLs have) to another
/// origin: the signature is a credential for a while, and another host has no use for it.
pub(crate) fn safe_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        match first {
            _ if attempt.previous().len() > MAX_REDIRECTS => attempt.stop(),
            Some(first) if is_signed(&first) && !same_origin(&first, attempt.url()) => {
                attempt.stop()
            }
            _ => attempt.follow(),
        }
    })
}

/// Whether `url`'s query carries a signature or a credential.
pub(crate) fn is_signed(url: &url::Url) -> bool {
    url.query_pairs().any(|(k, _)| is_secret_parameter(&k))
}

/// Whether a query parameter named `key` carries a credential (S3's presigned URLs, TOS's,
/// and the emulator's).
pub(crate) fn is_secret_parameter(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "x-amz-signature"
            | "x-amz-credential"
            | "x-amz-security-token"
            | "x-tos-signature"
            | "x-tos-credential"
            | "x-tos-security-token"
            | "x-signature"
            | "signature"
    )
}

/// Whether two URLs have one scheme, host and port.
fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.origin() == b.origin()
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

    /// A client can be built (reqwest without a provider of its own panics otherwise), and its
    /// TLS is ring's: the provider the process uses offers TLS 1.3 suites.
    #[test]
    fn clients_use_rustls_with_ring() {
        let _ = client(|b| b);
        let provider = rustls::crypto::CryptoProvider::get_default().expect("installed");
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(provider.cipher_suites, ring.cipher_suites);
        assert!(!provider.cipher_suites.is_empty());
    }

    #[test]
    fn the_client_is_built_once_on_first_use_and_shared() {
        static BUILT: AtomicUsize = AtomicUsize::new(0);
        let http = Http::lazy(|| {
            BUILT.fetch_add(1, Ordering::SeqCst);
            client(|b| b)
        });
        let copy = http.clone();
        assert_eq!(BUILT.load(Ordering::SeqCst), 0, "not built until used");
        let _ = copy.get("http://127.0.0.1:9/");
        let _ = http.get("http://127.0.0.1:9/");
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
    }
}
