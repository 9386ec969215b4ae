//! Two accounts, each with its own emulator and object storage, as two profiles of one config
//! file (`default` and `other`), for what works across accounts (`copy`).

use std::process::Output;

use ark_assets::emulator::{self, Config};
use tokio::process::Command;

use super::cli_env::Env;

/// Account `a` (the config's `default` profile, its data folder the binary's) and account `b`
/// (profile `other`).
pub struct Two {
    pub a: Env,
    pub b: Env,
}

/// A profile's table for `env`'s account and storage: the domestic dialect by its keys, or
/// the global one by its API key.
fn profile(env: &Env, name: &str, global: bool) -> String {
    let s3 = env.s3.as_ref().expect("storage");
    let account = if global {
        format!(
            "api_key = \"{}\"\nendpoint = \"{}{}\"\ndialect = \"global\"\n",
            env.api_key(),
            env.emu.url,
            emulator::GLOBAL_PREFIX
        )
    } else {
        format!("{}endpoint = \"{}\"\n", env.keys_toml(), env.emu.url)
    };
    format!(
        "[profiles.{name}]\n{account}\n[profiles.{name}.storage]\nendpoint = \"{}\"\n\
         bucket = \"assets\"\nregion = \"us-east-1\"\npath_style = true\n\
         access_key = \"AKLTstorage\"\nsecret_key = \"storage-secret-key\"\n\n",
        s3.url
    )
}

impl Two {
    /// Two emulators made by `config`, each with its storage; `other` in the global dialect
    /// when `global`.
    pub async fn start(config: impl Fn() -> Config, global: bool) -> Two {
        let a = Env::start(config()).await.with_storage("").await;
        let b = Env::start(config()).await.with_storage("").await;
        let text = profile(&a, "default", false) + &profile(&b, "other", global);
        ark_assets::files::write_private(&a.data.join("config.toml"), text.as_bytes()).unwrap();
        Two { a, b }
    }

    /// The binary with the config file's profiles only (no account in the environment).
    pub fn command(&self) -> Command {
        let mut cmd = self.a.command(false);
        for var in [
            "VOLC_ACCESSKEY",
            "VOLC_SECRETKEY",
            "ARK_ENDPOINT",
            "ARK_API_KEY",
        ] {
            cmd.env_remove(var);
        }
        cmd
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().await.unwrap()
    }

    /// Runs `args`, which must succeed; its stdout.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `--json args`, which must succeed, parsed.
    pub async fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all).await).unwrap()
    }
}
