//! A real S3 server in this process: s3s with its file-system backend (s3s-fs) over a
//! directory, on loopback. `--demo`, `emulator --s3` and the tests upload to it, so uploads are
//! exercised through the real protocol (SigV4 headers and presigned query strings) without an
//! account.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use secrecy::SecretString;

use crate::storage::config::{Cleanup, DEFAULT_PREFIX, StorageConfig};

/// Requests the server answered, by method.
#[derive(Debug, Default)]
pub struct S3Stats {
    /// PUTs (object uploads).
    pub puts: AtomicU64,
    /// GETs (downloads, presigned ones included).
    pub gets: AtomicU64,
    /// DELETEs.
    pub deletes: AtomicU64,
}

/// Faults the server can play, to test clients against stores that misbehave.
#[derive(Debug, Default)]
pub struct S3Faults {
    /// PUTs are answered 200 and their bodies dropped: nothing is stored.
    pub drop_puts: std::sync::atomic::AtomicBool,
    /// Every request is answered `307 Temporary Redirect` to this base URL (path and query
    /// kept), as a store fronted by another host might.
    pub redirect_to: std::sync::Mutex<Option<String>>,
}

/// What a fault does with a request instead of the store.
enum Faulty {
    /// Answer this.
    Answer(hyper::Response<s3s::Body>),
    /// Read the body, store nothing, answer 200.
    DropPut,
}

/// The file of the object a path-style DELETE names (`/bucket/key`), if it is one.
fn deleted_object(root: &Path, req: &hyper::Request<hyper::body::Incoming>) -> Option<PathBuf> {
    if req.method() != hyper::Method::DELETE {
        return None;
    }
    let path = percent_encoding::percent_decode_str(req.uri().path())
        .decode_utf8()
        .ok()?;
    let (bucket, key) = path.trim_start_matches('/').split_once('/')?;
    let safe = |part: &str| !part.is_empty() && part != "." && part != "..";
    (safe(bucket) && key.split('/').all(safe)).then(|| root.join(bucket).join(key))
}

/// S3 answers a DELETE of an object that is not there with 204, as done; s3s-fs fails it as
/// an internal error. An object gone when the answer is a server error was not there.
fn as_s3_deletes(
    answer: hyper::Response<s3s::Body>,
    deleted: Option<&Path>,
) -> hyper::Response<s3s::Body> {
    match deleted {
        Some(file) if answer.status().is_server_error() && !file.exists() => {
            hyper::Response::builder()
                .status(204)
                .body(s3s::Body::empty())
                .unwrap_or(answer)
        }
        _ => answer,
    }
}

/// What the faults set do with `req`, if anything.
fn faulty(faults: &S3Faults, req: &hyper::Request<hyper::body::Incoming>) -> Option<Faulty> {
    let redirect = faults.redirect_to.lock().expect("faults lock").clone();
    if let Some(base) = redirect {
        let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
        return hyper::Response::builder()
            .status(307)
            .header("location", format!("{base}{path}"))
            .body(s3s::Body::empty())
            .ok()
            .map(Faulty::Answer);
    }
    let dropped = faults.drop_puts.load(Ordering::Relaxed) && req.method() == hyper::Method::PUT;
    dropped.then_some(Faulty::DropPut)
}

/// A 200 answer after the request's body was read and dropped.
async fn drop_put(req: hyper::Request<hyper::body::Incoming>) -> hyper::Response<s3s::Body> {
    let body = axum::body::Body::new(req.into_body());
    let _ = axum::body::to_bytes(body, usize::MAX).await;
    hyper::Response::builder()
        .status(200)
        .body(s3s::Body::empty())
        .expect("a plain answer builds")
}

/// A running in-process S3 server.
pub struct S3Server {
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// Directory the buckets live in (one folder per bucket).
    pub root: PathBuf,
    /// Requests answered so far.
    pub stats: Arc<S3Stats>,
    /// Faults it plays (none unless set).
    pub faults: Arc<S3Faults>,
    access_key: String,
    secret_key: String,
    task: tokio::task::JoinHandle<()>,
    /// Remove the root when the server stops (a temporary demo store).
    temporary: bool,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.task.abort();
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// Options of [`S3Server::start`].
#[derive(Debug, Clone)]
pub struct S3Options {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Access key id it accepts.
    pub access_key: String,
    /// Secret key it accepts.
    pub secret_key: String,
    /// Base domain for virtual-hosted addressing (`<bucket>.<domain>:<port>`); `None` serves
    /// path-style only.
    pub domain: Option<String>,
}

impl S3Options {
    /// Loopback on a free port, path-style, with the demo account's keys (`--demo`, the
    /// standalone emulator's `--s3`, benchmarks).
    pub fn demo() -> Self {
        S3Options {
            listen: ([127, 0, 0, 1], 0).into(),
            access_key: super::DEMO_ACCESS_KEY.to_owned(),
            secret_key: super::DEMO_SECRET_KEY.to_owned(),
            domain: None,
        }
    }
}

impl S3Server {
    /// Serves the buckets under `root` (created when missing).
    pub async fn start(root: &Path, options: S3Options) -> std::io::Result<S3Server> {
        std::fs::create_dir_all(root)?;
        let fs =
            s3s_fs::FileSystem::new(root).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let mut builder = s3s::service::S3ServiceBuilder::new(fs);
        builder.set_auth(s3s::auth::SimpleAuth::from_single(
            options.access_key.clone(),
            options.secret_key.clone(),
        ));
        let listener = tokio::net::TcpListener::bind(options.listen).await?;
        let addr = listener.local_addr()?;
        if let Some(domain) = &options.domain {
            // Host headers carry the port, so the base domain does too.
            let domain = format!("{domain}:{}", addr.port());
            let host = s3s::host::SingleDomain::new(&domain)
                .map_err(|e| std::io::Error::other(format!("domain {domain:?}: {e:?}")))?;
            builder.set_host(host);
        }
        let service = builder.build();
        let stats = Arc::new(S3Stats::default());
        let counted = stats.clone();
        let faults = Arc::new(S3Faults::default());
        let played = faults.clone();
        let served = root.to_owned();
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                // Small answers (ranged reads, HEADs) go out at once, not after a delayed ACK.
                socket.set_nodelay(true).ok();
                let service = service.clone();
                let stats = counted.clone();
                let faults = played.clone();
                let root = served.clone();
                let handler = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let counter = match *req.method() {
                            hyper::Method::PUT => Some(&stats.puts),
                            hyper::Method::GET => Some(&stats.gets),
                            hyper::Method::DELETE => Some(&stats.deletes),
                            _ => None,
                        };
                        if let Some(c) = counter {
                            c.fetch_add(1, Ordering::Relaxed);
                        }
                        let faulty = faulty(&faults, &req);
                        let service = service.clone();
                        let deleted = deleted_object(&root, &req);
                        async move {
                            match faulty {
                                Some(Faulty::Answer(answer)) => Ok(answer),
                                Some(Faulty::DropPut) => Ok(drop_put(req).await),
                                None => hyper::service::Service::call(&service, req)
                                    .await
                                    .map(|answer| as_s3_deletes(answer, deleted.as_deref())),
                            }
                        }
                    },
                );
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), handler)
                        .await;
                });
            }
        });
        Ok(S3Server {
            url: format!("http://{addr}"),
            root: root.to_owned(),
            stats,
            faults,
            access_key: options.access_key,
            secret_key: options.secret_key,
            task,
            temporary: false,
        })
    }

    /// A server over a new temporary directory, removed when the server is dropped, with
    /// `bucket` created.
    pub async fn temporary(options: S3Options, bucket: &str) -> std::io::Result<S3Server> {
        let root = std::env::temp_dir().join(format!(
            "ark-assets-s3-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let mut server = S3Server::start(&root, options).await?;
        server.temporary = true;
        server.create_bucket(bucket)?;
        Ok(server)
    }

    /// Creates bucket `name` (a folder under the root).
    pub fn create_bucket(&self, name: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(self.root.join(name))
    }

    /// A path-style storage configuration for `bucket` on this server.
    pub fn config(&self, bucket: &str) -> StorageConfig {
        StorageConfig {
            endpoint: self.url.parse().expect("the server's URL parses"),
            bucket: bucket.to_owned(),
            region: "cn-beijing".to_owned(),
            prefix: DEFAULT_PREFIX.to_owned(),
            path_style: true,
            access_key: self.access_key.clone(),
            secret_key: SecretString::from(self.secret_key.clone()),
            session_token: None,
            url_expiry: Duration::from_secs(24 * 3600),
            cleanup: Cleanup::AfterActive,
        }
    }

    /// The `[profiles.<name>.storage]` snippet for this server and `bucket`.
    pub fn snippet(&self, bucket: &str) -> String {
        format!(
            "[profiles.local.storage]\nendpoint = \"{}\"\nbucket = \"{bucket}\"\npath_style = true\n\
             access_key = \"{}\"\nsecret_key = \"{}\"\n",
            self.url, self.access_key, self.secret_key
        )
    }
}
