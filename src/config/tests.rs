//! The tests of the configuration: loading files and profiles, the environment over them,
//! providers, tiers and the errors and warnings said.

use super::error::without_userinfo;
use super::*;
use crate::api::{Addressing, Endpoint, global};

/// A profile as a front end loads it, and the config's warnings.
#[derive(Debug)]
struct Loaded {
    profile: Profile,
    warnings: Vec<String>,
}

fn load(path: Option<&Path>, requested: Option<&str>, env: &Env) -> Result<Loaded, ConfigError> {
    let config = Config::load(path, env.clone())?;
    Ok(Loaded {
        profile: config.profile(requested)?,
        warnings: config.warnings,
    })
}

#[test]
fn a_toml_error_names_its_line_and_column_in_one_line() {
    let dir = tempdir("toml-error");
    let p = write(&dir, "[columns]\nassets = [\"name\", \"size\"]\n");
    let err = Config::load(Some(&p), Env::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is invalid: line 2, column 19: unknown variant `size`"),
        "{err}"
    );
    assert!(
        !err.contains('|') && !err.contains('^'),
        "no caret art: {err}"
    );
    assert!(
        !err.contains("config init"),
        "a typo is fixed, not started again: {err}"
    );
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("config.toml");
    crate::files::write_private(&p, text.as_bytes()).unwrap();
    p
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ark-assets-config-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn env_overrides_the_file_and_debug_hides_secrets() {
    let dir = tempdir("env");
    let p = write(
        &dir,
        "default_profile = \"cn\"\n[profiles.cn]\naccess_key = \"AKfile\"\nsecret_key = \"file-secret-123\"\nproject = \"p1\"\naddressing = \"open-path\"\n",
    );
    let env = Env::from_pairs([("VOLC_SECRETKEY", "env-secret-456")]);
    let loaded = load(Some(&p), None, &env).unwrap();
    assert_eq!(loaded.profile.name, "cn");
    assert_eq!(loaded.profile.project(), Some("p1"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let Endpoint::Domestic(d) = &loaded.profile.endpoint else {
        panic!("domestic expected")
    };
    assert_eq!(d.credentials.access_key_id, "AKfile");
    assert_eq!(d.addressing, Addressing::OpenPath);
    use secrecy::ExposeSecret;
    assert_eq!(
        d.credentials.secret_access_key.expose_secret(),
        "env-secret-456"
    );
    let shown = format!("{loaded:?}");
    assert!(!shown.contains("env-secret-456") && !shown.contains("file-secret-123"));
}

#[test]
fn the_data_plane_comes_from_the_provider_the_file_and_the_environment() {
    use secrecy::ExposeSecret;
    let dir = tempdir("data-plane");
    let p = write(
        &dir,
        "[profiles.bp]\nprovider = \"byteplus\"\naccess_key = \"AK\"\nsecret_key = \"s\"\n\
             ark_api_key = \"file-ark-key\"\n[profiles.bp.tasks]\nratio = \"9:16\"\n\
             [profiles.own]\naccess_key = \"AK\"\nsecret_key = \"s\"\n\
             data_endpoint = \"http://127.0.0.1:9/api/v3\"\n\
             [profiles.slow]\naccess_key = \"AK\"\nsecret_key = \"s\"\n[profiles.slow.tasks]\npoll_seconds = 1\n",
    );
    let bp = load(Some(&p), Some("bp"), &Env::default()).unwrap().profile;
    let plane = bp.data_plane.as_ref().expect("a key, a data plane");
    assert_eq!(
        plane.base.as_str(),
        "https://ark.ap-southeast.bytepluses.com/api/v3"
    );
    assert_eq!(plane.key.expose_secret(), "file-ark-key");
    assert_eq!(
        bp.tasks.model.as_deref(),
        Some("dreamina-seedance-2-0-260128")
    );
    assert_eq!((bp.tasks.ratio.as_str(), bp.tasks.duration), ("9:16", 5));
    assert!(!format!("{bp:?}").contains("file-ark-key"));
    let own = load(Some(&p), Some("own"), &Env::default())
        .unwrap()
        .profile;
    assert!(own.data_plane.is_none(), "no key, no data plane");
    let env = Env::from_pairs([("ARK_API_KEY", "env-ark-key")]);
    let own = load(Some(&p), Some("own"), &env).unwrap().profile;
    let plane = own.data_plane.expect("the environment's key");
    assert_eq!(plane.base.as_str(), "http://127.0.0.1:9/api/v3");
    assert_eq!(plane.key.expose_secret(), "env-ark-key");
    let err = load(Some(&p), Some("slow"), &Env::default()).unwrap_err();
    assert!(err.to_string().contains("tasks.poll_seconds"), "{err}");
}

#[test]
fn api_key_alone_means_global() {
    let env = Env::from_pairs([("ARK_API_KEY", "tok-789")]);
    let loaded = load(Some(Path::new("/nonexistent/x.toml")), None, &env).unwrap();
    assert_eq!(loaded.profile.dialect(), Dialect::Global);
    assert_eq!(
        loaded.profile.endpoint.base().as_str(),
        format!("{}", global::DEFAULT_ENDPOINT)
    );
    assert!(!format!("{loaded:?}").contains("tok-789"));
}

#[test]
fn clear_errors_for_bad_files_and_profiles() {
    let dir = tempdir("errors");
    let p = write(&dir, "[profiles.a]\naccess_key = \"x\"\n");
    let err = load(Some(&p), Some("b"), &Env::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown profile \"b\"; profiles in the config file: a"
    );
    let err = load(Some(&p), Some("a"), &Env::default()).unwrap_err();
    assert!(err.to_string().contains("no secret key"), "{err}");
    let p = write(&dir, "[profiles.a\n");
    assert!(matches!(
        load(Some(&p), None, &Env::default()),
        Err(ConfigError::Parse { .. })
    ));
    let p = write(&dir, "[profiles.a]\nsecret = \"x\"\n");
    let err = load(Some(&p), None, &Env::default()).unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
    // A long bad line is quoted cut, not whole.
    let p = write(
        &dir,
        &format!("[profiles.a]\naccess_key = 1{}\n", "x".repeat(1 << 19)),
    );
    let err = load(Some(&p), None, &Env::default())
        .unwrap_err()
        .to_string();
    assert!(err.len() < 600, "{} bytes: {err}", err.len());
    // A file too large to be a config is not read.
    let p = write(&dir, &format!("# {}\n", "x".repeat(2 << 20)));
    let err = load(Some(&p), None, &Env::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most 1048576 are read"), "{err}");
}

#[test]
fn a_tier_sets_the_create_rate_and_create_per_minute_overrides_it() {
    let dir = tempdir("tiers");
    let keys = "access_key = \"a\"\nsecret_key = \"s\"\n";
    let p = write(
        &dir,
        &format!(
            "[profiles.free]\nprovider = \"byteplus\"\ntier = \"entry\"\n{keys}\
                 [profiles.fast]\nprovider = \"byteplus\"\ntier = \"entry\"\ncreate_per_minute = 10\n{keys}\
                 [profiles.plain]\n{keys}\
                 [profiles.volc]\nprovider = \"volcengine\"\ntier = \"premium\"\n{keys}\
                 [profiles.zero]\ncreate_per_minute = 0\n{keys}"
        ),
    );
    let rates = |name| {
        load(Some(&p), Some(name), &Env::default())
            .map(|c| c.profile.rates)
            .map_err(|e| e.to_string())
    };
    let free = rates("free").unwrap();
    assert_eq!(free.create_per_minute(), Some(3));
    assert_eq!(free.quota().map(|q| (q.assets, q.groups)), Some((50, 50)));
    assert_eq!(free.source(), "the entry tier");
    let fast = rates("fast").unwrap();
    assert_eq!(fast.create_per_minute(), Some(10));
    assert_eq!(fast.source(), "the profile's create_per_minute");
    assert_eq!(rates("plain").unwrap().create_per_minute(), None);
    assert_eq!(
        rates("volc").unwrap_err(),
        "tier = premium of profile \"volc\" is for BytePlus accounts (provider = \"byteplus\"); \
             use create_per_minute elsewhere"
    );
    assert!(rates("zero").unwrap_err().contains("create_per_minute = 0"));
}

#[test]
fn providers_set_endpoint_region_and_dialect() {
    let dir = tempdir("providers");
    let p = write(
        &dir,
        "[profiles.v]\nprovider = \"volcengine\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.b]\nprovider = \"byteplus\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.bj]\nprovider = \"byteplus\"\nregion = \"ap-southeast-3\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.a]\nprovider = \"agentsflare\"\napi_key = \"k\"\n\
             [profiles.host]\nendpoint = \"https://ark.cn-shanghai.volcengineapi.com\"\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.old]\naccess_key = \"a\"\nsecret_key = \"s\"\n\
             [profiles.s]\nprovider = \"byteplus\"\naccess_key = \"a\"\nsecret_key = \"s\"\n[profiles.s.storage]\nbucket = \"refs\"\n",
    );
    let load_as = |name| load(Some(&p), Some(name), &Env::default()).unwrap().profile;
    let domestic = |name| match load_as(name).endpoint {
        Endpoint::Domestic(d) => (d.base.to_string(), d.credentials.region),
        Endpoint::Global(_) => panic!("{name}: domestic expected"),
    };
    assert_eq!(
        domestic("v"),
        (
            "https://ark.cn-beijing.volcengineapi.com/".into(),
            "cn-beijing".into()
        )
    );
    assert_eq!(
        domestic("b"),
        (
            "https://ark.ap-southeast-1.byteplusapi.com/".into(),
            "ap-southeast-1".into()
        )
    );
    assert_eq!(
        domestic("bj"),
        (
            "https://ark.ap-southeast-3.byteplusapi.com/".into(),
            "ap-southeast-3".into()
        )
    );
    assert_eq!(
        domestic("host").1,
        "cn-shanghai",
        "region read off the host"
    );
    assert_eq!(
        domestic("old"),
        (
            "https://open.volcengineapi.com/".into(),
            "cn-beijing".into()
        ),
        "profiles without a provider keep working as before"
    );
    assert_eq!(load_as("a").dialect(), Dialect::Global);
    assert_eq!(
        load_as("s").storage.unwrap().endpoint.as_str(),
        "https://tos-s3-ap-southeast-1.bytepluses.com/"
    );
    assert_eq!(
        region_of_host("ark.cn-beijing.volcengineapi.com"),
        Some("cn-beijing")
    );
    assert_eq!(region_of_host("open.volcengineapi.com"), None);
}

#[test]
fn missing_profiles_and_credentials_in_endpoints_are_refused_in_one_line() {
    let dir = tempdir("missing");
    let p = write(
        &dir,
        "default_profile = \"gone\"\n[profiles.a]\naccess_key = \"x\"\n",
    );
    let err = load(Some(&p), None, &Env::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("unknown profile \"gone\"; it is the default_profile"),
        "{err}"
    );
    assert!(err.ends_with("profiles in the config file: a"), "{err}");
    let env = Env::from_pairs([("VOLC_ACCESSKEY", "AK"), ("VOLC_SECRETKEY", "SK")]);
    let none = dir.join("absent.toml");
    let err = load(Some(&none), Some("typo"), &env)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("unknown profile \"typo\"; there is no config file"),
        "{err}"
    );
    assert!(
        load(Some(&none), None, &env).is_ok(),
        "environment alone still works"
    );
    let env = Env::from_pairs([
        ("VOLC_ACCESSKEY", "AK"),
        ("VOLC_SECRETKEY", "SK"),
        ("ARK_ENDPOINT", "https://me:hunter2@ark.example.com/"),
    ]);
    let err = load(Some(&none), None, &env).unwrap_err().to_string();
    assert!(
        err.contains("carries credentials") && !err.contains("hunter2"),
        "{err}"
    );
    assert_eq!(without_userinfo("htp://u:pw@x/a@b"), "htp://x/a@b");
}

#[cfg(unix)]
#[test]
fn world_readable_files_are_warned_about_and_writes_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("perm");
    let p = write(&dir, "[profiles.default]\napi_key = \"k\"\n");
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let loaded = load(Some(&p), None, &Env::default()).unwrap();
    assert!(
        loaded.warnings[0].contains("chmod 600"),
        "{:?}",
        loaded.warnings
    );
}
