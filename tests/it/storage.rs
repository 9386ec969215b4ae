//! The storage client against a real S3 implementation (s3s-fs) on loopback: uploads,
//! presigned downloads, deletes, both addressing styles, and failures named plainly.

use std::sync::Arc;

use ark_assets::emulator::s3::{S3Options, S3Server};
use ark_assets::storage::{Storage, StorageLimits, Stored, hash_file, redact};
use secrecy::SecretString;

fn root(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ark-assets-s3-{tag}-{}", std::process::id()))
}

async fn server(tag: &str, domain: Option<&str>) -> S3Server {
    let s3 = S3Server::start(
        &root(tag),
        S3Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            access_key: "AKLTstorage".into(),
            secret_key: "storage-secret".into(),
            domain: domain.map(str::to_owned),
        },
    )
    .await
    .unwrap();
    s3.create_bucket("assets").unwrap();
    s3
}

fn sample() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/portrait.png")
}

async fn round_trip(storage: &Storage, http: &reqwest::Client) {
    let file = sample();
    let content = hash_file(&file).await.unwrap();
    let key = storage.object_key(&content.sha256, "png");
    assert_eq!(
        storage.stored(&key, &content).await.unwrap(),
        Stored::Missing
    );
    let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    let uploaded = storage
        .upload(
            &key,
            &file,
            &content,
            Arc::new(move |n| seen.store(n, std::sync::atomic::Ordering::Relaxed)),
        )
        .await
        .unwrap();
    assert!(uploaded);
    assert_eq!(
        sent.load(std::sync::atomic::Ordering::Relaxed),
        content.bytes
    );
    assert_eq!(storage.stored(&key, &content).await.unwrap(), Stored::Same);
    // The same content again: nothing is sent.
    assert!(
        !storage
            .upload(&key, &file, &content, Arc::new(|_| {}))
            .await
            .unwrap()
    );
    let url = storage.presigned_get(&key);
    let body = http.get(url.clone()).send().await.unwrap();
    assert!(
        body.status().is_success(),
        "{}: {}",
        redact(&url),
        body.status()
    );
    assert_eq!(body.bytes().await.unwrap(), std::fs::read(&file).unwrap());
    storage.delete(&key).await.unwrap();
    assert_eq!(
        storage.stored(&key, &content).await.unwrap(),
        Stored::Missing
    );
    // Deleted again (another run cleaning up the same object): done, as S3 answers it.
    storage.delete(&key).await.unwrap();
}

#[tokio::test]
async fn path_style_upload_presigned_get_and_delete() {
    let s3 = server("path", None).await;
    let http = ark_assets::http::client(|b| b);
    let storage = Storage::new(&s3.config("assets"), http.clone()).unwrap();
    round_trip(&storage, &http).await;
    assert_eq!(s3.stats.puts.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[tokio::test]
async fn virtual_hosted_style_upload_presigned_get_and_delete() {
    let s3 = server("vhost", Some("s3.test")).await;
    let addr: std::net::SocketAddr = s3.url.trim_start_matches("http://").parse().unwrap();
    let http = ark_assets::http::client(|b| b.resolve("assets.s3.test", addr));
    let mut config = s3.config("assets");
    config.endpoint = format!("http://s3.test:{}", addr.port()).parse().unwrap();
    config.path_style = false;
    let storage = Storage::new(&config, http.clone()).unwrap();
    assert!(
        storage
            .presigned_get("k")
            .as_str()
            .starts_with(&format!("http://assets.s3.test:{}/k?", addr.port()))
    );
    round_trip(&storage, &http).await;
}

#[tokio::test]
async fn wrong_keys_and_missing_buckets_are_named() {
    let s3 = server("errors", None).await;
    let http = ark_assets::http::client(|b| b);
    let file = sample();
    let content = hash_file(&file).await.unwrap();
    let put = |storage: Storage| {
        let file = file.clone();
        let content = content.clone();
        async move {
            storage
                .upload("k.png", &file, &content, Arc::new(|_| {}))
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let mut config = s3.config("assets");
    config.secret_key = SecretString::from("wrong-secret");
    let err = put(Storage::new(&config, http.clone()).unwrap()).await;
    assert!(
        err.starts_with(&format!(
            "storage {} bucket assets: HEAD: SignatureDoesNotMatch",
            s3.url
        )),
        "{err}"
    );
    assert!(err.contains("check the storage secret_key"), "{err}");
    assert!(!err.contains("wrong-secret"), "{err}");
    assert!(
        !err.contains("X-Amz-Signature"),
        "no presigned URL in errors: {err}"
    );
    // A refused connection: the error names the store, never the presigned URL.
    let mut closed = s3.config("assets");
    closed.endpoint = "http://127.0.0.1:9".parse().unwrap();
    let err = put(Storage::new(&closed, http.clone()).unwrap()).await;
    assert!(
        err.contains("HEAD failed") && !err.contains("X-Amz"),
        "{err}"
    );
    let storage = Storage::new(&config, http.clone()).unwrap();
    let err = storage.check_bucket().await.unwrap_err().to_string();
    assert!(
        err.contains("access denied") && err.contains("secret_key"),
        "{err}"
    );
    let missing = Storage::new(&s3.config("nope"), http.clone()).unwrap();
    let err = missing.check_bucket().await.unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("storage {} bucket nope: NoSuchBucket", s3.url))
            && err.contains("create it"),
        "{err}"
    );
    Storage::new(&s3.config("assets"), http.clone())
        .unwrap()
        .check_bucket()
        .await
        .unwrap();
}

#[tokio::test]
async fn an_object_is_trusted_by_its_recorded_hash_not_its_size() {
    let s3 = server("content", None).await;
    let http = ark_assets::http::client(|b| b);
    let storage = Storage::new(&s3.config("assets"), http.clone()).unwrap();
    let file = sample();
    let content = hash_file(&file).await.unwrap();
    let key = storage.object_key(&content.sha256, "png");
    // What an interrupted upload of a file that changed left: the right size, other bytes.
    let path = s3.root.join("assets").join(&key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![b'x'; content.bytes as usize]).unwrap();
    assert_eq!(storage.stored(&key, &content).await.unwrap(), Stored::Other);
    assert!(
        storage
            .upload(&key, &file, &content, Arc::new(|_| {}))
            .await
            .unwrap()
    );
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&file).unwrap());
    // A body that is not the file's as it was hashed (it changed meanwhile) is refused by the
    // store, and nothing is left under the key.
    storage.delete(&key).await.unwrap();
    let mut changed = content.clone();
    changed.md5 = "1B2M2Y8AsgTpgAmY7PhCfg==".into();
    let err = storage
        .upload(&key, &file, &changed, Arc::new(|_| {}))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("BadDigest") && err.contains("changed meanwhile"),
        "{err}"
    );
    assert_eq!(
        storage.stored(&key, &content).await.unwrap(),
        Stored::Missing
    );
}

#[tokio::test]
async fn a_store_that_answers_success_and_keeps_nothing_is_found_out() {
    let s3 = server("drops", None).await;
    let http = ark_assets::http::client(|b| b);
    let storage = Storage::new(&s3.config("assets"), http.clone()).unwrap();
    let file = sample();
    let content = hash_file(&file).await.unwrap();
    s3.faults
        .drop_puts
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let err = storage
        .upload("k.png", &file, &content, Arc::new(|_| {}))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("PUT was answered with success, but the bucket holds nothing"),
        "{err}"
    );
}

#[tokio::test]
async fn a_redirect_never_takes_a_signed_request_to_another_host() {
    let s3 = server("redirect", None).await;
    // The other host counts what reaches it.
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_url = format!("http://{}", other.local_addr().unwrap());
    let reached = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = reached.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = other.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    *s3.faults.redirect_to.lock().unwrap() = Some(other_url);
    // The storage client as the CLI builds it; the previews' and checks' client too.
    for http in [
        ark_assets::http::client(|b| b.redirect(reqwest::redirect::Policy::none())),
        ark_assets::media::check_client(Default::default()),
    ] {
        let storage = Storage::new(&s3.config("assets"), http.clone()).unwrap();
        let err = storage.check_bucket().await.unwrap_err().to_string();
        assert!(err.contains("HTTP 307, redirecting to 127.0.0.1"), "{err}");
        let url = storage.presigned_get("k.png");
        let resp = http.get(url).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 307, "not followed");
    }
    // Every request above has been answered: a followed redirect would have reached it by now.
    assert_eq!(reached.load(std::sync::atomic::Ordering::Relaxed), 0);
}

#[tokio::test]
async fn a_store_that_never_answers_is_named_soon_and_given_up_on() {
    // Accepts connections and says nothing.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let _held = tokio::spawn(async move {
        let mut sockets = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            sockets.push(socket);
        }
    });
    let s3 = server("silent", None).await;
    let mut config = s3.config("assets");
    config.endpoint = url.parse().unwrap();
    let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let notes = said.clone();
    let storage = Storage::new(&config, ark_assets::http::client(|b| b))
        .unwrap()
        .with_limits(StorageLimits {
            answer: std::time::Duration::from_secs(2),
            min_rate: 1024 * 1024,
            notice_after: std::time::Duration::from_millis(300),
        })
        .with_notice(Arc::new(move |m: &str| {
            notes.lock().unwrap().push(m.to_owned())
        }));
    let started = std::time::Instant::now();
    let err = storage.check_bucket().await.unwrap_err().to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        err.starts_with(&format!(
            "storage {url} bucket assets: HEAD bucket: no answer within 2 s"
        )),
        "{err}"
    );
    let said = said.lock().unwrap();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with(&format!(
            "waiting for storage {url} bucket assets: HEAD bucket"
        )),
        "{said:?}"
    );
}
