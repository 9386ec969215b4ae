//! The command line's shape: every subcommand, flag and value parser (clap derive types).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::api::model::Status;
use crate::media::fit::FitMode;
use crate::media::{MediaKind, Model, Policy};

/// Manage Volcengine Ark / BytePlus ModelArk portrait assets from the terminal.
///
/// With no subcommand, opens the terminal UI.
/// The version `--version` prints: the package's, then the commit and its date when built
/// from a git checkout.
pub(crate) const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), env!("ARK_ASSETS_VERSION_SUFFIX"));

/// The help heading of the options every command takes, shown apart from a command's own.
const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(version = VERSION, about)]
pub struct Cli {
    /// Run against a local emulator of the Assets API with sample data (no account needed). Its
    /// account is kept in the data directory's demo/ between runs, so commands build on each
    /// other.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo: bool,
    /// The demo, its kept account erased first: it starts afresh with the sample data.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo_reset: bool,
    /// Profile of the config file to use (default: ARK_PROFILE, then the file's default_profile).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub profile: Option<String>,
    /// Project to scope requests to (domestic), instead of the profile's.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub project: Option<String>,
    /// Config file (default: ARK_ASSETS_CONFIG, then the platform config dir).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Print JSON on stdout instead of tables.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,
    /// Turn every command that changes the account off (also `read_only = true` in a profile).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub read_only: bool,
    /// Longest wait, in seconds, for one image URL check (connecting takes at most 5 of them).
    #[arg(long, global = true, help_heading = GLOBAL, env = "ARK_ASSETS_CHECK_TIMEOUT", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub check_timeout: u64,
    /// Longest wait, in seconds, for another run of ark-assets that is creating the same asset
    /// (its rows are reported as not done after it).
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "ARK_ASSETS_OTHER_RUN_WAIT",
        default_value_t = 300,
        value_name = "SECS"
    )]
    pub other_run_wait: u64,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Asset groups.
    #[command(subcommand)]
    Groups(GroupsCmd),
    /// Assets.
    #[command(subcommand)]
    Assets(AssetsCmd),
    /// Wait until assets are Active or Failed; prints Asset://<Id> per id.
    ///
    /// Exit code 0 when all are Active, 1 when any Failed, 2 on timeout.
    Wait {
        /// Asset ids (`Asset://<Id>` is accepted too).
        #[arg(required = true, value_parser = asset_id)]
        ids: Vec<String>,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// Create many assets from local files, folders, and listings of `source[,name]` rows (CSV,
    /// JSON lines, or one URL or path a line).
    ///
    /// Every row and file is checked first and all bad ones are reported with their line
    /// numbers; the rest are uploaded (files) and created as fast as the limits allow.
    /// Re-running after an interruption uploads and creates only what is missing.
    Import {
        /// Target group: its id, or its exact name.
        #[arg(long)]
        group: String,
        /// Files, folders (their images, videos and audio), or listings (`-` reads one from
        /// standard input).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Include the media files of sub-folders.
        #[arg(long, short)]
        recursive: bool,
        /// Follow links to folders and files outside the folders given (they are left out
        /// otherwise, and listed).
        #[arg(long)]
        follow_links: bool,
        /// Create files whose content is already an asset of the group again.
        #[arg(long)]
        allow_duplicates: bool,
        /// Skip downloading the first bytes of each URL to check it before sending.
        #[arg(long)]
        no_check: bool,
        #[command(flatten)]
        checks: MediaChecks,
        /// Skip rows whose name an asset of the group already has (e.g. after losing the
        /// ledger); the summary counts them.
        #[arg(long)]
        skip_existing: bool,
        /// On an account with a known quota (the entry tier's 50 assets), create the rows that
        /// fit instead of refusing the whole import.
        #[arg(long)]
        partial: bool,
    },
    /// Make a group hold one asset per media file of a folder: create what it lacks, rename
    /// assets whose file was renamed (never uploading them again), and with --delete delete
    /// what no file matches. It plans first and prints the plan; --dry-run stops there.
    /// Running it again right after changes nothing.
    Sync(super::sync::SyncArgs),
    /// Copy a group to another profile, project or group: a plan, then each asset made again
    /// there from its file (re-running creates only what is missing).
    Copy(super::copy::CopyArgs),
    /// Download every Active asset's file of a group into a folder (`sync` of it then plans
    /// nothing).
    Pull(super::pull::PullArgs),
    /// Seedance generation tasks from assets (the profile's ark API key).
    #[command(subcommand)]
    Tasks(super::tasks::TasksCmd),
    /// Run the local Assets API emulator on its own.
    Emulator(super::emulator_cmd::EmulatorArgs),
    /// Profiles and the config file.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Print shell completions.
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
    /// Check the set-up from end to end: config file, profile, endpoint and clock, a signed
    /// read, the object storage (put, presigned GET, delete), the Seedance data plane (one
    /// listing of the recent tasks), data folder, ledger, log and terminal. One line a check,
    /// with the next step for each failure.
    ///
    /// Exit code 0 when every check passes, 1 when one fails.
    Doctor,
    /// Print the man page of the whole command tree (roff), e.g.
    /// `ark-assets man > ~/.local/share/man/man1/ark-assets.1`.
    Man,
}

impl Cmd {
    /// The name of what it changes in the account, when it changes anything.
    pub(crate) fn mutation(&self) -> Option<&'static str> {
        match self {
            Cmd::Groups(
                GroupsCmd::Create { .. }
                | GroupsCmd::Rename { .. }
                | GroupsCmd::Delete { .. }
                | GroupsCmd::Verify { .. },
            ) => Some("groups"),
            Cmd::Assets(
                AssetsCmd::Create { .. }
                | AssetsCmd::Rename { .. }
                | AssetsCmd::Delete { .. }
                | AssetsCmd::Retry { .. },
            )
            | Cmd::Import { .. } => Some("assets"),
            Cmd::Sync(args) if !args.dry_run => Some("assets"),
            _ => None,
        }
    }

    /// Whether the command reads standard input whole (`-`: ids to delete, a listing).
    pub(crate) fn reads_stdin(&self) -> bool {
        match self {
            Cmd::Assets(AssetsCmd::Delete { ids, .. }) => ids.iter().any(|id| id == "-"),
            Cmd::Import { paths, .. } => paths.iter().any(|p| p.as_os_str() == "-"),
            _ => false,
        }
    }
}

/// `groups` subcommands.
#[derive(Debug, Subcommand)]
pub enum GroupsCmd {
    /// List groups (global dialect: the groups this client created assets under).
    List {
        /// Only names containing this.
        #[arg(long)]
        name: Option<String>,
        /// Only groups of this type: `aigc` (virtual portraits) or `livenessface` (verified
        /// real people).
        #[arg(long = "type", value_name = "TYPE")]
        group_type: Option<String>,
    },
    /// Show one group.
    Get {
        /// The group: its id or its exact name.
        group: String,
    },
    /// Create a group. A name another group has already is refused (exit 3, naming it): a
    /// second would make the name ambiguous wherever a group is given by name.
    Create {
        /// Name (at most 64 characters).
        name: String,
        /// Description (at most 300 characters).
        #[arg(long)]
        description: Option<String>,
        /// Create it although a group has that name already.
        #[arg(long)]
        allow_duplicate_name: bool,
    },
    /// Change a group's name or description.
    Rename {
        /// The group: its id or its exact name.
        group: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a group. The service deletes its assets with it, so a group that holds assets is
    /// refused (exit 3, nothing sent) unless --with-assets is given.
    Delete {
        /// The group: its id or its exact name.
        group: String,
        /// Delete the group although it holds assets: they are deleted with it.
        #[arg(long)]
        with_assets: bool,
    },
    /// Make a real person's group: a liveness check on their phone, shown here as a QR code.
    ///
    /// Press Enter once the phone shows success; the result is asked for once (its token is
    /// single-use) and the new group's id is printed.
    Verify {
        /// Language of the page on the phone: zh, en or zh-Hant.
        #[arg(long, value_parser = crate::api::model::H5Lang::parse, default_value = "zh")]
        lang: crate::api::model::H5Lang,
    },
}

/// `assets` subcommands.
#[derive(Debug, Subcommand)]
pub enum AssetsCmd {
    /// List assets.
    List {
        /// Only this group: its id or its exact name.
        #[arg(long)]
        group: Option<String>,
        /// Only these statuses (repeatable).
        #[arg(long, value_parser = parse_status)]
        status: Vec<Status>,
        /// Only names containing this.
        #[arg(long)]
        name: Option<String>,
        /// Only this type: image, video or audio.
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<MediaKind>,
    },
    /// Show one asset.
    Get {
        /// Asset id (`Asset://<Id>` is accepted too).
        #[arg(value_parser = asset_id)]
        id: String,
        /// Also read the file behind its URL (ranged reads) and show its format, resolution,
        /// frame rate, duration and codecs.
        #[arg(long)]
        probe: bool,
    },
    /// Create an asset from a public URL or a local file (image, video or audio).
    Create {
        /// Group id or exact name (global dialect: a local label to file it under).
        #[arg(long)]
        group: String,
        /// Public http(s) URL of the file.
        #[arg(long, required_unless_present = "file")]
        url: Option<String>,
        /// A local file: uploaded to the profile's object storage, then created from a
        /// presigned URL.
        #[arg(long, conflicts_with = "url")]
        file: Option<PathBuf>,
        /// Name (default: the stem of the file's or URL's file name).
        #[arg(long)]
        name: Option<String>,
        /// Create it even when the same content is already an asset of the group.
        #[arg(long)]
        allow_duplicates: bool,
        /// Wait until it is Active or Failed.
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
        /// Skip downloading the URL's first bytes to check it before sending.
        #[arg(long)]
        no_check: bool,
        #[command(flatten)]
        checks: MediaChecks,
    },
    /// Rename an asset, or (with `--group GROUP --editor`) many in $VISUAL / $EDITOR: one line
    /// per asset, `<Id><TAB><Name>`; only the names changed are sent.
    Rename {
        /// Asset id (`Asset://<Id>` is accepted too).
        #[arg(value_parser = asset_id, required_unless_present = "editor")]
        id: Option<String>,
        /// New name.
        #[arg(required_unless_present = "editor")]
        name: Option<String>,
        /// The group whose assets are edited (id or exact name).
        #[arg(long, requires = "editor", conflicts_with_all = ["id", "name"])]
        group: Option<String>,
        /// Edit the group's names in $VISUAL / $EDITOR (vi if neither is set).
        #[arg(long, requires = "group")]
        editor: bool,
    },
    /// Delete assets: ids as arguments, or `-` to read them from standard input (one a line).
    ///
    /// It asks once at the terminal (even when standard input or error are redirected); with
    /// no terminal (cron, a script) it refuses (exit 3) unless --yes is given. An id the
    /// service does not know is reported `not found` and exits 1, unless --ignore-missing.
    Delete {
        /// Asset ids (`Asset://<Id>` is accepted too), or `-`.
        #[arg(value_parser = asset_id, required = true)]
        ids: Vec<String>,
        /// Do not ask: delete at once (what runs without a terminal needs).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Accept ids that are not found (deleted already) as done: exit 0 for them.
        #[arg(long)]
        ignore_missing: bool,
    },
    /// Create Failed assets again from this profile's ledger: the same group, name and source
    /// (the URL sent, or the uploaded file). Retrying the same asset twice creates it once.
    Retry {
        /// Failed asset ids (`Asset://<Id>` is accepted too).
        #[arg(value_parser = asset_id, required = true)]
        ids: Vec<String>,
        /// Delete each Failed asset once it was created again.
        #[arg(long)]
        delete_failed: bool,
    },
}

/// How files and URLs are checked before anything is sent.
#[derive(Debug, Clone, Args)]
pub struct MediaChecks {
    /// The asset type: image, video or audio (default: read from the content). Content of
    /// another type is refused.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<MediaKind>,
    /// Refuse what breaks the model's rules (video and audio durations, Seedance's pixel
    /// window) instead of warning.
    #[arg(long)]
    pub strict: bool,
    /// The model whose rules are checked: seedance-2.0 (videos of 2–15 s) or seedance-2.5
    /// (2–30 s).
    #[arg(long, default_value = "seedance-2.0", value_name = "MODEL")]
    pub model: Model,
    /// Fix local images that break the size, ratio or byte rules instead of refusing them:
    /// scaled below 6000 px a side, padded (`--fit`, `--fit=pad`) or cropped (`--fit=crop`)
    /// into the 0.4–2.5 ratio, re-encoded under 30 MB. Images of 300 px or less a side are
    /// still refused, never scaled up.
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "pad",
        value_name = "pad|crop"
    )]
    pub fit: Option<FitMode>,
}

impl MediaChecks {
    /// The checking policy these options ask for.
    pub fn policy(&self) -> Policy {
        Policy {
            model: self.model,
            strict: self.strict,
            declared: self.kind,
            // The catalog knows whose service it is and puts it in.
            service: crate::media::Service::Unknown,
        }
    }
}

/// `config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Write a profile to the config file (asks on a terminal; secrets are read hidden).
    Init(super::config_cmd::InitArgs),
    /// Show the resolved profile, secrets masked.
    Show,
    /// List the profiles of the config file.
    Profiles,
}

/// An asset id, given bare or as `Asset://<Id>` / `asset://<Id>`.
fn asset_id(s: &str) -> Result<String, String> {
    Ok(crate::api::model::strip_reference(s).to_owned())
}

fn parse_status(s: &str) -> Result<Status, String> {
    match s.to_ascii_lowercase().as_str() {
        "active" => Ok(Status::Active),
        "processing" => Ok(Status::Processing),
        "failed" => Ok(Status::Failed),
        _ => Err("expected active, processing or failed".to_owned()),
    }
}
