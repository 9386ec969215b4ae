//! The storage client against a real S3 implementation (s3s-fs) on loopback: uploads,
//! presigned downloads, deletes, both addressing styles, and failures named plainly.

use std::sync::Arc;

use ark_assets::storage::server::{S3Options, S3Server};
use ark_assets::storage::{Storage, hash_file, redact};
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
    let (sha, bytes) = hash_file(&file).await.unwrap();
    let key = storage.object_key(&sha, "png");
    assert_eq!(storage.size_of(&key).await.unwrap(), None);
    let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    storage
        .put_file(
            &key,
            &file,
            &sha,
            Arc::new(move |n| seen.store(n, std::sync::atomic::Ordering::Relaxed)),
        )
        .await
        .unwrap();
    assert_eq!(sent.load(std::sync::atomic::Ordering::Relaxed), bytes);
    assert_eq!(storage.size_of(&key).await.unwrap(), Some(bytes));
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
    assert_eq!(storage.size_of(&key).await.unwrap(), None);
}

#[tokio::test]
async fn path_style_upload_presigned_get_and_delete() {
    let s3 = server("path", None).await;
    let http = reqwest::Client::new();
    let storage = Storage::new(&s3.config("assets"), http.clone()).unwrap();
    round_trip(&storage, &http).await;
    assert_eq!(s3.stats.puts.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[tokio::test]
async fn virtual_hosted_style_upload_presigned_get_and_delete() {
    let s3 = server("vhost", Some("s3.test")).await;
    let addr: std::net::SocketAddr = s3.url.trim_start_matches("http://").parse().unwrap();
    let http = reqwest::Client::builder()
        .resolve("assets.s3.test", addr)
        .build()
        .unwrap();
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
    let http = reqwest::Client::new();
    let file = sample();
    let (sha, _) = hash_file(&file).await.unwrap();
    let put = |storage: Storage| {
        let file = file.clone();
        let sha = sha.clone();
        async move {
            storage
                .put_file("k.png", &file, &sha, Arc::new(|_| {}))
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
            "storage {} bucket assets: PUT: SignatureDoesNotMatch",
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
        err.contains("PUT failed") && !err.contains("X-Amz"),
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
