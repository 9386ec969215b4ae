//! Effects: the work `update` asks for. [`Runner::run`] only dispatches: each effect has its
//! handler (in [`listing`], [`changes`], [`transfer`], [`media`], [`session`] and
//! [`cleanup`]), run as a tokio task that answers with [`Msg`]s. An effect that may upload
//! files is followed, on its task, by the clean-up of uploaded objects.

mod changes;
mod cleanup;
mod listing;
mod media;
mod session;
mod tasks;
mod transfer;

use std::sync::{Arc, RwLock};

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use super::effect::Effect;
use super::msg::Msg;
use super::remembered::StateFiles;
use super::state::Header;
use crate::catalog::Catalog;
use crate::http::Http;

/// Writes clipboard text; the TUI sends OSC 52 to its terminal.
pub trait Clipboard: Send + Sync {
    /// Copies `text`.
    fn copy(&self, text: &str);
}

/// Opens a configured profile by name: its catalog and whether it is read-only, or why not.
/// It reads files (the config, the ledger), so the runner calls it on a blocking thread.
pub type OpenProfile =
    Arc<dyn Fn(&str) -> Result<(Catalog, bool), crate::open::OpenError> + Send + Sync>;

/// What the title bar shows for `catalog`'s endpoint under `profile`.
pub fn header(catalog: &Catalog, profile: String) -> Header {
    let endpoint = catalog.client().endpoint();
    Header {
        profile,
        dialect: endpoint.dialect(),
        endpoint: endpoint.base().as_str().trim_end_matches('/').to_owned(),
        project: match endpoint {
            crate::api::Endpoint::Domestic(d) => {
                d.project.clone().unwrap_or_else(|| "default".to_owned())
            }
            crate::api::Endpoint::Global(_) => String::new(),
        },
    }
}

/// `catalog`'s `[tasks]` table when it has a Seedance data plane.
pub fn data_plane(catalog: &Catalog) -> Option<crate::config::TasksFile> {
    catalog
        .seedance()
        .ok()
        .map(|_| catalog.task_defaults().clone())
}

/// Says that calls are slow as [`Msg::Notice`]s on `tx`.
fn slow_calls_to(tx: &UnboundedSender<Msg>) -> crate::api::Notice {
    let tx = tx.clone();
    Arc::new(move |message: &str| {
        let _ = tx.send(Msg::Notice(message.to_owned()));
    })
}

/// Runs `task`; should it panic, says so with [`Msg::TaskFailed`] (the panic message goes to
/// the log), so that nothing waits for an answer that will never come.
fn spawn_reported(tx: &UnboundedSender<Msg>, task: impl Future<Output = ()> + Send + 'static) {
    let tx = tx.clone();
    tokio::spawn(async move {
        if std::panic::AssertUnwindSafe(task)
            .catch_unwind()
            .await
            .is_err()
        {
            let _ = tx.send(Msg::TaskFailed(
                "a background task failed unexpectedly (details in the log)".to_owned(),
            ));
        }
    });
}

/// Sends a task's answer to the UI; the UI may be gone while a task finishes, and then there
/// is no one to tell.
#[derive(Clone)]
pub(super) struct Reply(UnboundedSender<Msg>);

impl Reply {
    /// Sends `action`.
    pub(super) fn send(&self, action: Msg) {
        let _ = self.0.send(action);
    }
}

/// Runs effects against the service and reports back over one channel.
pub struct Runner {
    /// The profile's catalog; replaced when the profile or the project changes (tasks already
    /// running keep the one they started with).
    catalog: Arc<RwLock<Catalog>>,
    /// Opens other profiles (none: there are none to switch to).
    open_profile: Option<OpenProfile>,
    /// Where profiles' states are kept (a switch keeps the one left, reads the one opened).
    states: StateFiles,
    /// How previews are painted.
    painter: crate::preview::Painter,
    /// What opens a link (none: nothing here can).
    opener: Option<String>,
    /// One preview is decoded at a time: moving across many images queues their decodes
    /// instead of holding all their pixels at once.
    decodes: Arc<tokio::sync::Semaphore>,
    /// The client of previews, probes and checks: made on its first use, on a task (it loads
    /// the system's root certificates, which would delay the first frame).
    http: Http,
    /// One clean-up of uploaded objects at a time.
    cleaning: Arc<tokio::sync::Mutex<()>>,
    /// The destination profiles opened for copies' plans, kept for their applies.
    destinations: transfer::Kept,
    tx: UnboundedSender<Msg>,
    clipboard: Arc<dyn Clipboard>,
}

impl Runner {
    /// A runner that works through `catalog` and answers on `tx`.
    pub fn new(catalog: Catalog, tx: UnboundedSender<Msg>, clipboard: Arc<dyn Clipboard>) -> Self {
        let notice = slow_calls_to(&tx);
        Runner {
            catalog: Arc::new(RwLock::new(catalog.with_notice(notice))),
            open_profile: None,
            states: StateFiles::default(),
            painter: crate::preview::Painter::HalfBlocks,
            opener: None,
            decodes: Arc::new(tokio::sync::Semaphore::new(1)),
            http: Http::lazy(|| crate::media::check_client(crate::media::CheckTimeouts::default())),
            cleaning: Arc::default(),
            destinations: transfer::Kept::default(),
            tx,
            clipboard,
        }
    }

    /// Lets the runner switch to the profiles `open` opens.
    pub fn with_profiles(self, open: OpenProfile) -> Self {
        Runner {
            open_profile: Some(open),
            ..self
        }
    }

    /// Keeps and reads profiles' states in `states` when the profile changes.
    pub(crate) fn with_states(self, states: StateFiles) -> Self {
        Runner { states, ..self }
    }

    /// Opens links with `opener` (see [`crate::programs::opener`]).
    pub(crate) fn with_opener(self, opener: Option<String>) -> Self {
        Runner { opener, ..self }
    }

    /// Paints previews with `painter` (the terminal's graphics protocol, or half blocks).
    pub(crate) fn with_painter(self, painter: crate::preview::Painter) -> Self {
        Runner { painter, ..self }
    }

    fn catalog(&self) -> Catalog {
        self.catalog.read().expect("catalog lock").clone()
    }

    /// Starts `effect`; its result arrives later as a message.
    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Copy(text) => self.clipboard.copy(&text),
            Effect::SwitchProject(project) => {
                let mut current = self.catalog.write().expect("catalog lock");
                *current = current.with_project(Some(project));
            }
            effect => spawn_reported(&self.tx, self.task(effect)),
        }
    }

    /// The task that does `effect` and answers; one that may upload files then cleans up
    /// (in the background: its answer is sent first).
    fn task(&self, effect: Effect) -> BoxFuture<'static, ()> {
        let uploads = matches!(
            effect,
            Effect::AddAsset { .. }
                | Effect::ImportFolder { .. }
                | Effect::ApplySync(_)
                | Effect::Retry { .. }
        );
        let work = self.work(effect);
        if !uploads {
            return work;
        }
        let clean = self.work(Effect::CleanUploads);
        work.then(|()| clean).boxed()
    }

    /// The handler's task for `effect`.
    fn work(&self, effect: Effect) -> BoxFuture<'static, ()> {
        let (catalog, reply) = (self.catalog(), Reply(self.tx.clone()));
        match effect {
            Effect::LoadGroups => listing::groups(catalog, reply).boxed(),
            Effect::LoadAssets {
                group_id,
                from,
                pages,
                order,
            } => listing::assets(catalog, reply, group_id, (from, pages), order).boxed(),
            Effect::Poll {
                group_id,
                processing,
            } => listing::poll(catalog, reply, group_id, processing).boxed(),
            Effect::CountAssets { group_id } => listing::count(catalog, reply, group_id).boxed(),
            Effect::FetchUrl { id } => listing::url(catalog, reply, id).boxed(),
            Effect::CreateGroup { name, description } => {
                changes::create_group(catalog, reply, name, description).boxed()
            }
            Effect::AddAsset {
                group_id,
                source,
                name,
                fit,
            } => {
                let asked = (source, name, fit);
                changes::add(catalog, reply, self.http.clone(), group_id, asked).boxed()
            }
            Effect::ImportFolder {
                group_id,
                path,
                recursive,
            } => changes::import_folder(catalog, reply, group_id, (path, recursive)).boxed(),
            Effect::PlanSync { group_id, folder } => {
                changes::plan_sync(catalog, reply, group_id, folder).boxed()
            }
            Effect::ApplySync(plan) => changes::apply_sync(catalog, reply, *plan).boxed(),
            Effect::PlanCopy {
                profile,
                group_id,
                only,
            } => transfer::plan_copy(catalog, self.destination(profile), reply, group_id, only)
                .boxed(),
            Effect::ApplyCopy { profile, plan } => {
                transfer::apply_copy(catalog, self.destination(profile), reply, *plan).boxed()
            }
            Effect::Pull { group_id, folder } => {
                transfer::pull(catalog, reply, group_id, folder).boxed()
            }
            Effect::RenameMany(changes) => changes::rename_many(catalog, reply, changes).boxed(),
            Effect::UpdateGroup {
                id,
                name,
                description,
            } => changes::update_group(catalog, reply, id, name, description).boxed(),
            Effect::RenameAsset { id, name } => changes::rename(catalog, reply, id, name).boxed(),
            Effect::DeleteGroup(id) => changes::delete_group(catalog, reply, id).boxed(),
            Effect::DeleteAssets(ids) => changes::delete_assets(catalog, reply, ids).boxed(),
            Effect::Retry { group_id, ids } => {
                changes::retry(catalog, reply, group_id, ids).boxed()
            }
            Effect::Preview {
                id,
                url,
                cols,
                rows,
            } => media::preview(self.picture(), reply, id, url, (cols, rows)).boxed(),
            Effect::PreviewFile {
                key,
                path,
                cols,
                rows,
            } => media::preview_file(self.picture(), reply, key, path, (cols, rows)).boxed(),
            Effect::Probe { id, url } => media::probe(self.http.clone(), reply, id, url).boxed(),
            Effect::Open(url) => media::open(self.opener.clone(), reply, url).boxed(),
            Effect::Sort { epoch, job } => media::sort(reply, epoch, job).boxed(),
            Effect::SwitchProfile { to, leaving } => {
                session::switch_profile(self.switcher(), reply, to, leaving).boxed()
            }
            Effect::CleanUploads => {
                cleanup::clean_uploads(catalog, reply, self.cleaning.clone()).boxed()
            }
            Effect::StartVerification => session::start_verification(catalog, reply).boxed(),
            Effect::FinishVerification(token) => {
                session::finish_verification(catalog, reply, token).boxed()
            }
            Effect::PlanTask(ask) => tasks::plan(catalog, reply, ask).boxed(),
            Effect::CreateTask(ask) => tasks::create(catalog, reply, ask).boxed(),
            Effect::LoadTasks => tasks::list(catalog, reply).boxed(),
            Effect::PollTasks(ids) => tasks::poll(catalog, reply, ids).boxed(),
            Effect::CancelTask(id) => tasks::cancel(catalog, reply, id).boxed(),
            Effect::DownloadTask { id, path } => tasks::download(catalog, reply, id, path).boxed(),
            // Done where it is handled: the clipboard, the catalog, the terminal's owner.
            Effect::Copy(_) | Effect::SwitchProject(_) | Effect::EditNames(_) | Effect::Suspend => {
                async {}.boxed()
            }
        }
    }

    /// What drawing a preview takes: the client, the painter and the one decode at a time.
    fn picture(&self) -> media::Picture {
        media::Picture {
            http: self.http.clone(),
            painter: self.painter.clone(),
            decodes: self.decodes.clone(),
        }
    }

    /// Profile `profile`, to copy into.
    fn destination(&self, profile: String) -> transfer::Destination {
        transfer::Destination {
            open: self.open_profile.clone(),
            profile,
            notice: slow_calls_to(&self.tx),
            kept: self.destinations.clone(),
        }
    }

    /// What switching profiles takes: the opener, the state files, the catalog in use (which
    /// the switch replaces) and how slow calls are told.
    fn switcher(&self) -> session::Switcher {
        session::Switcher {
            open: self.open_profile.clone(),
            states: self.states.clone(),
            current: self.catalog.clone(),
            notice: slow_calls_to(&self.tx),
        }
    }
}
