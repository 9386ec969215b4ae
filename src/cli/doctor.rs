//! `doctor`: runs the checks of [`crate::doctor`] in order and prints one line a check.

use super::{Cli, EXIT_FAILED, Failure, output};
use crate::api::Endpoint;
use crate::config::{Config, Dirs, Env, Profile};
use crate::doctor::{self, Check, Verdict};
use crate::open::{self, Demo, Opened};

/// Runs every check; exit 0 when none failed, 1 when one did.
pub(super) async fn run(cli: &Cli, env: &Env) -> Result<u8, Failure> {
    let dirs = Dirs::of(env);
    let mut checks = Vec::new();
    let demo = if cli.demo || cli.demo_reset {
        Some(Demo::start(open::demo_faults(env)?, env, super::demo_run(cli)).await?)
    } else {
        None
    };
    let opened = match &demo {
        Some(demo) => {
            checks.push(Check::info("config file", "the demo needs none"));
            let url = &demo.emulator.url;
            checks.push(Check::pass(
                "profile",
                format!("demo: the emulator at {url}"),
            ));
            Some(demo.open(cli.project.as_deref())?)
        }
        None => configured(cli, env, &dirs, &mut checks),
    };
    if let Some(opened) = &opened {
        account(opened, &mut checks).await;
    }
    checks.push(doctor::data_dir(&dirs));
    if let Some(opened) = &opened {
        checks.push(doctor::ledger(opened.catalog.ledger()));
    }
    checks.push(doctor::log_file(&dirs));
    checks.extend(doctor::terminal(env));
    print(cli, &checks);
    let failed = checks.iter().any(|c| c.verdict == Verdict::Fail);
    Ok(if failed { EXIT_FAILED } else { 0 })
}

/// The config file and the profile it resolves to, opened; `None` when either fails.
fn configured(cli: &Cli, env: &Env, dirs: &Dirs, checks: &mut Vec<Check>) -> Option<Opened> {
    let config = Config::load(cli.config.as_deref(), env.clone());
    checks.push(doctor::config_file(&config, dirs));
    let config = config.ok()?;
    let next = "see `ark-assets config show`, or make one with `ark-assets config init`";
    let profile = match config.profile(cli.profile.as_deref()) {
        Ok(profile) => profile,
        Err(e) => {
            checks.push(Check::fail("profile", e.to_string(), next));
            return None;
        }
    };
    checks.push(Check::pass("profile", described(&profile)));
    match open::profile(&config, cli.profile.as_deref(), cli.project.as_deref()) {
        Ok(opened) => {
            checks.push(doctor::limits(&profile.rates, opened.catalog.ledger()));
            Some(opened)
        }
        Err(e) => {
            checks.push(Check::fail("profile", e.to_string(), next));
            None
        }
    }
}

/// The checks against the account: the endpoint and the clock, a signed read (when the
/// endpoint answers), the object storage, the data plane.
async fn account(opened: &Opened, checks: &mut Vec<Check>) {
    let client = opened.catalog.client();
    let reached = doctor::reach(client.endpoint()).await;
    let answered = reached.clock.is_some();
    checks.push(reached.endpoint);
    checks.extend(reached.clock);
    checks.push(if answered {
        doctor::signed_read(client, reached.page).await
    } else {
        Check::info("signed read", "not tried: the endpoint cannot be reached")
    });
    checks.push(doctor::storage(opened.catalog.storage()).await);
    checks.push(doctor::data_plane(opened.catalog.seedance().ok()).await);
}

/// `NAME: provider, dialect, endpoint, region, project` (nothing secret).
fn described(profile: &Profile) -> String {
    let base = profile.endpoint.base();
    let host = base.host_str().unwrap_or_default();
    let provider = if host.ends_with("volces.com") {
        "Volcengine"
    } else if host.contains("byteplus") {
        "BytePlus"
    } else {
        "custom endpoint"
    };
    let dialect = profile.endpoint.dialect();
    let mut said = format!("{}: {provider}, {dialect}, {base}", profile.name);
    if let Endpoint::Domestic(d) = &profile.endpoint {
        let project = d.project.as_deref().unwrap_or("default");
        said.push_str(&format!(
            ", region {}, project {project}",
            d.credentials.region
        ));
        if d.credentials.session_token.is_some() {
            said.push_str(", temporary (STS) keys");
        }
    }
    said
}

fn print(cli: &Cli, checks: &[Check]) {
    if cli.json {
        output::json(checks);
        return;
    }
    let width = checks.iter().map(|c| c.check.len()).max().unwrap_or(0);
    for c in checks {
        let detail = crate::text::visible(&c.detail);
        output::line(format_args!(
            "{} {:width$}  {detail}",
            c.verdict.symbol(),
            c.check
        ));
        if let Some(next) = &c.next {
            output::line(format_args!("  {:width$}  next: {next}", ""));
        }
    }
    let failed = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    let passed = checks.iter().filter(|c| c.verdict == Verdict::Pass).count();
    output::say(match failed {
        0 => format!("{passed} checks passed"),
        n => format!("{n} failed, {passed} passed"),
    });
}
