//! `import`: many assets from local files, folders and listings, checked first, uploaded and
//! created at the rate limit, resumable.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;

use super::assets::clean_uploads;
use super::groups::listed;
use super::{Ctx, EXIT_FAILED, Failure, output};
use crate::api::model::{AssetFilter, CreateAsset};
use crate::api::sign::sha256_hex;
use crate::catalog::upload::{LocalFile, has_scheme, is_media_file, local_path};
use crate::catalog::walk::{Found, Walk};
use crate::catalog::{CreateError, Intent, Made, MadeBy};
use crate::ledger::{self, EntryState};
use crate::media::fit::FitMode;
use crate::media::{self, MediaKind, Policy};
use crate::storage::Cleanup;
use crate::text;
use crate::validate::{self, CheckTimeouts};

/// Where a row's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A public URL the service downloads.
    Url(String),
    /// A local file, uploaded first.
    File(PathBuf),
}

impl Source {
    /// How the source is shown.
    pub fn shown(&self) -> String {
        match self {
            Source::Url(u) => u.clone(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// One row of a listing, or one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where it was found: `listing.csv:12`, or the file's path.
    pub origin: String,
    /// 1-based line in its listing (0 for a file given or found in a folder).
    pub line: usize,
    /// What to create the asset from.
    pub source: Source,
    /// Name given in the listing.
    pub name: Option<String>,
}

/// A row or file that cannot be imported (or was left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BadRow {
    /// Where it was found.
    pub origin: String,
    /// 1-based line in its listing (0 for files).
    pub line: usize,
    /// Why.
    pub error: String,
}

/// Parses `source[,name]` rows: CSV (quoted fields allowed; an optional `url,name` header),
/// JSON lines (`{"url": …, "name": …}`), or one URL or path per line. A source that is not an
/// http(s) URL is a local path, relative to `base`. Blank lines and `#` comments are skipped.
pub fn parse(text: &str, listing: &str, base: &Path) -> (Vec<Row>, Vec<BadRow>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields: Result<(String, Option<String>), String> = if trimmed.starts_with('{') {
            json_row(trimmed)
        } else if trimmed.matches('"').count() % 2 == 1 {
            // Valid CSV doubles quotes inside quoted fields, so an odd count is always an
            // unterminated quote: refused rather than created with a broken name.
            Err(
                "has an unterminated quote (\"); quote whole fields and double quotes inside them"
                    .to_owned(),
            )
        } else {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .trim(csv::Trim::All)
                .from_reader(trimmed.as_bytes());
            match reader.records().next() {
                Some(Ok(record)) => {
                    let first = record.get(0).unwrap_or_default().to_owned();
                    let name = record.get(1).filter(|n| !n.is_empty()).map(str::to_owned);
                    if record.len() > 2 {
                        Err(format!(
                            "has {} fields; expected source[,name]",
                            record.len()
                        ))
                    } else {
                        Ok((first, name))
                    }
                }
                Some(Err(e)) => Err(format!("is not valid CSV: {e}")),
                None => continue,
            }
        };
        let origin = format!("{listing}:{line}");
        match fields {
            Ok((first, _))
                if rows.is_empty()
                    && bad.is_empty()
                    && (first.eq_ignore_ascii_case("url")
                        || first.eq_ignore_ascii_case("source")) => {}
            Ok((first, name)) => {
                let source = if has_scheme(&first) {
                    Source::Url(first)
                } else {
                    Source::File(local_path(&first, base))
                };
                rows.push(Row {
                    origin,
                    line,
                    source,
                    name,
                });
            }
            Err(error) => bad.push(BadRow {
                origin,
                line,
                error,
            }),
        }
    }
    (rows, bad)
}

/// `url` and `name` of a JSON line; each must be a string when present.
fn json_row(line: &str) -> Result<(String, Option<String>), String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("is not valid JSON: {e}"))?;
    let object = value
        .as_object()
        .ok_or_else(|| "is not a JSON object".to_owned())?;
    let field = |keys: &[&str]| -> Result<Option<String>, String> {
        match keys.iter().find_map(|k| object.get(*k)) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "field \"{}\" is {}; it must be a string",
                keys[0],
                match other {
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                }
            )),
        }
    };
    let source = field(&["url", "URL", "path", "file"])?
        .ok_or_else(|| "has no \"url\" (or \"path\") field".to_owned())?;
    Ok((source, field(&["name", "Name"])?))
}

/// The rows of every path: media files, the media files of folders (of sub-folders too when
/// `recursive`), and listings; other files of folders are left out with the reason.
fn collect(paths: &[PathBuf], recursive: bool) -> (Vec<Row>, Vec<BadRow>, Vec<BadRow>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut left_out = Vec::new();
    let mut walk = Walk::new();
    for path in paths {
        let origin = path.display().to_string();
        let refuse = |error: String| BadRow {
            origin: origin.clone(),
            line: 0,
            error,
        };
        if path.as_os_str() == "-" {
            let mut text = String::new();
            match std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
                Ok(_) => {
                    let (r, b) = parse(&text, "<stdin>", Path::new("."));
                    rows.extend(r);
                    bad.extend(b);
                }
                Err(e) => bad.push(refuse(format!("cannot read standard input: {e}"))),
            }
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                bad.push(refuse(format!("cannot be read: {e}")));
                continue;
            }
        };
        if meta.is_dir() {
            for found in walk.folder(path, recursive) {
                match found {
                    Found::Media(file) => rows.push(Row {
                        origin: file.display().to_string(),
                        line: 0,
                        source: Source::File(file),
                        name: None,
                    }),
                    Found::LeftOut(at, why) => left_out.push(BadRow {
                        origin: at.display().to_string(),
                        line: 0,
                        error: why,
                    }),
                }
            }
        } else if meta.is_file() && is_media_file(path) {
            if walk.first_sight(path).is_ok() {
                rows.push(Row {
                    origin,
                    line: 0,
                    source: Source::File(path.clone()),
                    name: None,
                });
            }
        } else {
            // A listing; a pipe too (`<(…)`), which is read as its writer writes it.
            match read_listing(path) {
                Ok(text) => {
                    let base = path.parent().unwrap_or(Path::new("."));
                    let (r, b) = parse(&text, &origin, base);
                    rows.extend(r);
                    bad.extend(b);
                }
                Err(why) => bad.push(refuse(why)),
            }
        }
    }
    (rows, bad, left_out)
}

/// The largest listing read (a million rows of URLs).
const MAX_LISTING_BYTES: u64 = 256 * 1024 * 1024;

/// The text of a listing given on the command line: a file, or a pipe.
fn read_listing(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let not_text =
        || "is neither an image, a video, audio nor a text listing of URLs or paths".to_owned();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LISTING_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_LISTING_BYTES {
        return Err(format!(
            "is a listing of more than {MAX_LISTING_BYTES} bytes"
        ));
    }
    String::from_utf8(bytes).map_err(|_| not_text())
}

/// A row that passed every rule, ready to create.
#[derive(Debug, Clone)]
enum Ready {
    /// From a URL of this kind.
    Url {
        row: Row,
        url: String,
        name: String,
        kind: MediaKind,
        warnings: Vec<String>,
    },
    /// From a checked local file.
    File {
        row: Row,
        file: Box<LocalFile>,
        name: String,
    },
}

impl Ready {
    fn row(&self) -> &Row {
        match self {
            Ready::Url { row, .. } | Ready::File { row, .. } => row,
        }
    }

    fn name(&self) -> &str {
        match self {
            Ready::Url { name, .. } | Ready::File { name, .. } => name,
        }
    }

    fn warnings(&self) -> &[String] {
        match self {
            Ready::Url { warnings, .. } => warnings,
            Ready::File { file, .. } => &file.warnings,
        }
    }

    fn kind(&self) -> MediaKind {
        match self {
            Ready::Url { kind, .. } => *kind,
            Ready::File { file, .. } => file.media.kind(),
        }
    }
}

/// The rule-check of every row under `policy`: field rules, each URL's probe (when `remote`),
/// each file's probe and hash.
async fn check(
    rows: Vec<Row>,
    remote: Option<CheckTimeouts>,
    policy: Policy,
    fit: Option<FitMode>,
) -> (Vec<Ready>, Vec<BadRow>) {
    let http = validate::check_client(remote.unwrap_or_default());
    let checked: Vec<Result<Ready, BadRow>> = futures::stream::iter(rows)
        .map(|row| {
            let http = http.clone();
            async move {
                let fail = |e: String| BadRow {
                    origin: row.origin.clone(),
                    line: row.line,
                    error: e,
                };
                let joined = |problems: Vec<validate::Invalid>| {
                    fail(
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                };
                match &row.source {
                    Source::Url(raw) => {
                        let url = validate::url(raw).map_err(|e| fail(e.to_string()))?;
                        let name = row
                            .name
                            .clone()
                            .unwrap_or_else(|| ledger::default_name(raw));
                        validate::name(&name, false).map_err(|e| fail(e.to_string()))?;
                        let (kind, warnings) = match remote {
                            Some(timeouts) => {
                                let checked = media::check_url(&http, &url, timeouts, &policy)
                                    .await
                                    .map_err(joined)?;
                                (checked.media.kind(), checked.warnings)
                            }
                            None => (policy.declared.unwrap_or(MediaKind::Image), Vec::new()),
                        };
                        Ok(Ready::Url {
                            url: raw.clone(),
                            name,
                            row,
                            kind,
                            warnings,
                        })
                    }
                    Source::File(path) => {
                        let file = LocalFile::inspect_fitting(path, &policy, fit)
                            .await
                            .map_err(joined)?;
                        let name = row.name.clone().unwrap_or_else(|| file.default_name());
                        validate::name(&name, false).map_err(|e| fail(e.to_string()))?;
                        Ok(Ready::File {
                            file: Box::new(file),
                            name,
                            row,
                        })
                    }
                }
            }
        })
        .buffered(16)
        .collect()
        .await;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for r in checked {
        match r {
            Ok(ready) => good.push(ready),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}

/// Ledger keys of URL rows by content, so that editing the listing (moving rows) does not
/// re-create them; identical rows are told apart by their occurrence. (Files are keyed by
/// their content's hash.)
fn keys<'a>(group: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    rows.map(|(url, name)| {
        let n = seen.entry((url.to_owned(), name.to_owned())).or_default();
        *n += 1;
        let digest = sha256_hex(format!("{group}\n{url}\n{name}").as_bytes());
        format!("import:{}:{}", &digest[..32], n)
    })
    .collect()
}

/// What an import did, row by row (`--json` prints it with PascalCase keys).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Report {
    created: Vec<Done>,
    by_other_run: Vec<Done>,
    already: Vec<Done>,
    skipped: Vec<Done>,
    left_out: Vec<BadRow>,
    invalid: Vec<BadRow>,
    failed: Vec<BadRow>,
}

/// A row that is an asset now.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Done {
    source: String,
    line: usize,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    asset_type: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

impl Done {
    fn of(ready: &Ready, id: String) -> Done {
        let (sha256, bytes) = match ready {
            Ready::File { file, .. } => {
                (Some(file.content.sha256.clone()), Some(file.content.bytes))
            }
            Ready::Url { .. } => (None, None),
        };
        Done {
            source: ready.row().source.shown(),
            line: ready.row().line,
            id,
            name: ready.name().to_owned(),
            sha256,
            bytes,
            asset_type: ready.kind().asset_type(),
            warnings: ready.warnings().to_vec(),
        }
    }
}

/// What `import` was asked to do.
pub(super) struct Options<'a> {
    /// Target group (id, or the global dialect's label).
    pub group: &'a str,
    /// Files, folders and listings.
    pub paths: &'a [PathBuf],
    /// Include sub-folders.
    pub recursive: bool,
    /// Check each URL's first bytes before sending, within these bounds.
    pub check: Option<CheckTimeouts>,
    /// How files and URLs are checked.
    pub policy: Policy,
    /// Fix local images that break the image rules, this way.
    pub fit: Option<FitMode>,
    /// Skip rows whose name the group already has.
    pub skip_existing: bool,
    /// Create files whose content the group already has.
    pub allow_duplicates: bool,
}

/// Prints a line on stderr above the progress bar, if there is one.
fn note(bar: Option<&indicatif::ProgressBar>, line: &str) {
    let line = text::visible(line);
    match bar {
        Some(b) => b.println(line),
        None => output::say(line),
    }
}

fn shown(b: &BadRow) -> String {
    format!("{}: {}", b.origin, b.error)
}

/// The outcome of one row's create.
type Outcome = Result<Made, String>;

pub(super) async fn run(ctx: &Ctx, opts: Options<'_>) -> Result<u8, Failure> {
    let group = opts.group;
    let paths = opts.paths.to_vec();
    let recursive = opts.recursive;
    let (rows, mut invalid, left_out) =
        tokio::task::spawn_blocking(move || collect(&paths, recursive))
            .await
            .map_err(|e| Failure::new(EXIT_FAILED, e.to_string()))?;
    let has_files = rows.iter().any(|r| matches!(r.source, Source::File(_)));
    if has_files {
        let storage = ctx.catalog.storage().ok_or(CreateError::NoStorage)?;
        storage.check_bucket().await?;
    }
    for b in &left_out {
        note(None, &format!("{}: left out: {}", b.origin, b.error));
    }
    let (ready, bad) = check(rows, opts.check, opts.policy, opts.fit).await;
    invalid.extend(bad);
    for b in &invalid {
        note(None, &shown(b));
    }
    for r in &ready {
        for w in r.warnings() {
            note(None, &format!("{}: warning: {w}", r.row().origin));
        }
    }
    if !invalid.is_empty() {
        output::say(format_args!(
            "{} invalid rows will not be imported",
            invalid.len()
        ));
    }
    let existing: HashMap<String, String> = if opts.skip_existing {
        // Names are skipped only by a complete listing: an incomplete one would create twice.
        let listing = ctx.catalog.assets(&AssetFilter::group(group)).await?;
        listed(&listing)?;
        listing.items.into_iter().map(|a| (a.name, a.id)).collect()
    } else {
        HashMap::new()
    };
    let url_keys = keys(
        group,
        ready.iter().filter_map(|r| match r {
            Ready::Url { url, name, .. } => Some((url.as_str(), name.as_str())),
            Ready::File { .. } => None,
        }),
    );
    let mut url_keys = url_keys.into_iter();
    let mut report = Report {
        left_out,
        invalid,
        ..Report::default()
    };
    let mut todo = Vec::new();
    for r in ready {
        let key = match &r {
            Ready::Url { .. } => url_keys.next(),
            Ready::File { .. } => None,
        };
        let recorded = match key.as_deref() {
            Some(k) => ctx.catalog.ledger().get(k).map_err(CreateError::from)?,
            None => None,
        };
        if let Some(e) = recorded
            && e.state == EntryState::Created
        {
            report.already.push(Done::of(&r, e.id.unwrap_or_default()));
            continue;
        }
        match existing.get(r.name()) {
            Some(id) => report.skipped.push(Done::of(&r, id.clone())),
            None => todo.push((r, key)),
        }
    }
    let upload_total: u64 = todo
        .iter()
        .map(|(r, _)| match r {
            Ready::File { file, .. } => file.content.bytes,
            Ready::Url { .. } => 0,
        })
        .sum();
    let progress = std::io::stderr().is_terminal() && !ctx.json;
    let bar = progress.then(|| {
        let bar = indicatif::ProgressBar::new(todo.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} created · {per_sec} · eta {eta} {msg}",
            )
            .expect("template is valid")
            .progress_chars("=> "),
        );
        bar
    });
    let uploaded = Arc::new(AtomicU64::new(0));
    // The client paces requests (30/s) and caps creations in flight (30).
    let catalog = &ctx.catalog;
    let bar_ref = bar.clone();
    let mut results = futures::stream::iter(todo)
        .map(|(ready, key)| {
            let uploaded = uploaded.clone();
            let bar = bar_ref.clone();
            async move {
                let outcome: Outcome = match &ready {
                    Ready::Url {
                        url, name, kind, ..
                    } => {
                        let req = CreateAsset::of(*kind, group, url.clone(), Some(name.clone()));
                        let key = key.expect("URL rows have keys");
                        let intent = Intent::new(&key, group);
                        catalog
                            .create_once(&intent, &req)
                            .await
                            .map_err(|e| e.to_string())
                    }
                    Ready::File { file, name, .. } => {
                        let last = AtomicU64::new(0);
                        let sent: crate::storage::Progress = Arc::new(move |n| {
                            let delta = n.saturating_sub(last.swap(n, Ordering::Relaxed));
                            let total = uploaded.fetch_add(delta, Ordering::Relaxed) + delta;
                            if let Some(b) = &bar {
                                b.set_message(format!(
                                    "· {:.1}/{:.1} MB uploaded",
                                    total as f64 / 1e6,
                                    upload_total as f64 / 1e6
                                ));
                            }
                        });
                        catalog
                            .create_from_file(file, group, name, opts.allow_duplicates, sent)
                            .await
                            .map(|o| o.made)
                            .map_err(|e| e.to_string())
                    }
                };
                (ready, outcome)
            }
        })
        .buffer_unordered(crate::api::limits::MAX_CONCURRENT_CREATIONS);
    let mut files_created = 0;
    while let Some((ready, outcome)) = results.next().await {
        let row = ready.row();
        match outcome {
            Ok(Made {
                id,
                by: MadeBy::EarlierRun,
            }) => {
                if let Some(b) = &bar {
                    b.inc(1);
                }
                note(
                    bar.as_ref(),
                    &format!("{}: already imported as {id} (same content)", row.origin),
                );
                report.already.push(Done::of(&ready, id));
            }
            Ok(Made {
                id,
                by: MadeBy::OtherRun,
            }) => {
                if let Some(b) = &bar {
                    b.inc(1);
                }
                note(
                    bar.as_ref(),
                    &format!("{}: created by another run as {id}", row.origin),
                );
                report.by_other_run.push(Done::of(&ready, id));
            }
            Ok(Made {
                id,
                by: MadeBy::ThisRun,
            }) => {
                if matches!(ready, Ready::File { .. }) {
                    files_created += 1;
                }
                match &bar {
                    Some(b) => b.inc(1),
                    None if !ctx.json => output::line(format_args!(
                        "{}: created {} {}",
                        text::visible(&row.origin),
                        text::visible(&id),
                        text::visible(ready.name())
                    )),
                    None => {}
                }
                report.created.push(Done::of(&ready, id));
            }
            Err(e) => {
                note(bar.as_ref(), &format!("{}: {e}", row.origin));
                report.failed.push(BadRow {
                    origin: row.origin.clone(),
                    line: row.line,
                    error: e,
                });
            }
        }
    }
    drop(results);
    if let Some(b) = bar {
        b.finish();
    }
    if files_created > 0 {
        wait_and_clean(ctx).await?;
    }
    report
        .created
        .sort_by(|a, b| (&a.source, a.line).cmp(&(&b.source, b.line)));
    ctx.show(&report, |r| {
        let skipped = if opts.skip_existing {
            format!(", {} skipped (name already in the group)", r.skipped.len())
        } else {
            String::new()
        };
        let left_out = if r.left_out.is_empty() {
            String::new()
        } else {
            format!(", {} left out", r.left_out.len())
        };
        let other = if r.by_other_run.is_empty() {
            String::new()
        } else {
            format!(", {} created by another run", r.by_other_run.len())
        };
        output::line(format_args!(
            "{} created{other}, {} already imported{skipped}, {} invalid, {} failed{left_out}",
            r.created.len(),
            r.already.len(),
            r.invalid.len(),
            r.failed.len()
        ))
    });
    Ok(if report.invalid.is_empty() && report.failed.is_empty() {
        0
    } else {
        EXIT_FAILED
    })
}

/// Longest wait for uploaded assets to leave Processing before their objects are deleted.
const CLEANUP_WAIT: Duration = Duration::from_secs(600);

/// With `cleanup = "after-active"`, waits (bounded) until the uploaded assets are done, deleting
/// each object as soon as its assets are; what is left is deleted by a later run.
async fn wait_and_clean(ctx: &Ctx) -> Result<(), Failure> {
    if ctx
        .catalog
        .storage()
        .is_none_or(|s| s.cleanup == Cleanup::Keep)
    {
        return Ok(());
    }
    let deadline = tokio::time::Instant::now() + CLEANUP_WAIT;
    let mut said = false;
    loop {
        let cleaned = ctx.catalog.clean_uploads().await?;
        if cleaned.waiting == 0 {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return clean_uploads(ctx).await;
        }
        if !said {
            output::say(format_args!(
                "waiting for {} uploaded assets to finish processing, to delete their objects \
                 (Ctrl-C keeps them for the next run)",
                cleaned.waiting
            ));
            said = true;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_every_format_with_line_numbers() {
        let text = "url,name\nhttps://x/a.png,hero\n\n# comment\n\"https://x/b.png\",\"name, with comma\"\n\
                    {\"url\":\"https://x/c.png\",\"name\":\"角色\"}\nhttps://x/d.png\n{broken\na,b,c\n\
                    pics/e.png,local\n{\"url\":\"https://x/f.png\",\"name\":7}\n\"https://x/g.png,open\n";
        let (rows, bad) = parse(text, "rows.csv", Path::new("/data"));
        let got: Vec<(usize, Source, Option<&str>)> = rows
            .iter()
            .map(|r| (r.line, r.source.clone(), r.name.as_deref()))
            .collect();
        let url = |u: &str| Source::Url(u.to_owned());
        assert_eq!(
            got,
            vec![
                (2, url("https://x/a.png"), Some("hero")),
                (5, url("https://x/b.png"), Some("name, with comma")),
                (6, url("https://x/c.png"), Some("角色")),
                (7, url("https://x/d.png"), None),
                (
                    10,
                    Source::File(PathBuf::from("/data/pics/e.png")),
                    Some("local")
                ),
            ]
        );
        assert_eq!(
            bad.iter().map(|b| b.line).collect::<Vec<_>>(),
            vec![8, 9, 11, 12]
        );
        assert!(bad[1].error.contains("3 fields"));
        assert_eq!(bad[1].origin, "rows.csv:9");
        assert_eq!(
            bad[2].error,
            "field \"name\" is a number; it must be a string"
        );
        assert!(bad[3].error.contains("unterminated quote"));
    }

    #[test]
    fn keys_follow_content_not_position() {
        let a = keys("g", [("u1", "n"), ("u2", "n"), ("u1", "n")].into_iter());
        let b = keys("g", [("u2", "n"), ("u1", "n"), ("u1", "n")].into_iter());
        assert_eq!(a[0], b[1]);
        assert_eq!(a[1], b[0]);
        assert_eq!(a[2], b[2]);
        assert_ne!(a[0], a[2]);
        assert_ne!(keys("other", [("u1", "n")].into_iter())[0], a[0]);
    }
}
