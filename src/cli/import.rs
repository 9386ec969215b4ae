//! `import`: many assets from a file, checked first, created at the rate limit, resumable.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use futures::StreamExt;
use serde::Serialize;

use super::groups::listed;
use super::{Ctx, EXIT_FAILED, EXIT_INVALID, Failure, output};
use crate::api::model::{AssetFilter, CreateAsset};
use crate::api::sign::sha256_hex;
use crate::ledger::{self, EntryState};
use crate::text;
use crate::validate::{self, CheckTimeouts};

/// One row of the input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line number.
    pub line: usize,
    /// Image URL.
    pub url: String,
    /// Name (defaulted from the URL when absent).
    pub name: String,
}

/// A row that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BadRow {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub error: String,
}

/// Parses `url[,name]` rows: CSV (quoted fields allowed; an optional `url,name` header), JSON
/// lines (`{"url": …, "name": …}`), or one URL per line. Blank lines and `#` comments are skipped.
pub fn parse(text: &str) -> (Vec<Row>, Vec<BadRow>) {
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
                    let url = record.get(0).unwrap_or_default().to_owned();
                    let name = record.get(1).filter(|n| !n.is_empty()).map(str::to_owned);
                    if record.len() > 2 {
                        Err(format!("has {} fields; expected url[,name]", record.len()))
                    } else {
                        Ok((url, name))
                    }
                }
                Some(Err(e)) => Err(format!("is not valid CSV: {e}")),
                None => continue,
            }
        };
        match fields {
            Ok((url, _))
                if rows.is_empty() && bad.is_empty() && url.eq_ignore_ascii_case("url") => {}
            Ok((url, name)) => {
                let name = name.unwrap_or_else(|| ledger::default_name(&url));
                rows.push(Row { line, url, name });
            }
            Err(error) => bad.push(BadRow { line, error }),
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
    let field = |key: &str, alt: &str| -> Result<Option<String>, String> {
        match object.get(key).or_else(|| object.get(alt)) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "field \"{key}\" is {}; it must be a string",
                match other {
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                }
            )),
        }
    };
    let url = field("url", "URL")?.ok_or_else(|| "has no \"url\" field".to_owned())?;
    Ok((url, field("name", "Name")?))
}

/// The rule-check of every row: field rules, then (when `remote`) each image's header.
async fn check(rows: Vec<Row>, remote: Option<CheckTimeouts>) -> (Vec<Row>, Vec<BadRow>) {
    let http = validate::check_client(remote.unwrap_or_default());
    let checked: Vec<Result<Row, BadRow>> = futures::stream::iter(rows)
        .map(|row| {
            let http = http.clone();
            async move {
                let fail = |e: String| BadRow {
                    line: row.line,
                    error: e,
                };
                let url = validate::url(&row.url).map_err(|e| fail(e.to_string()))?;
                validate::name(&row.name, false).map_err(|e| fail(e.to_string()))?;
                if let Some(timeouts) = remote {
                    validate::check_url(&http, &url, timeouts)
                        .await
                        .map_err(|problems| {
                            fail(
                                problems
                                    .iter()
                                    .map(ToString::to_string)
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            )
                        })?;
                }
                Ok(row)
            }
        })
        .buffered(16)
        .collect()
        .await;
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for r in checked {
        match r {
            Ok(row) => good.push(row),
            Err(b) => bad.push(b),
        }
    }
    (good, bad)
}

/// Ledger keys by content, so that editing the file (moving rows) does not re-create them;
/// identical rows are told apart by their occurrence.
fn keys(group: &str, rows: &[Row]) -> Vec<String> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    rows.iter()
        .map(|r| {
            let n = seen.entry((r.url.clone(), r.name.clone())).or_default();
            *n += 1;
            let digest = sha256_hex(format!("{group}\n{}\n{}", r.url, r.name).as_bytes());
            format!("import:{}:{}", &digest[..32], n)
        })
        .collect()
}

/// What an import did, row by row (`--json` prints it with PascalCase keys).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Report {
    created: Vec<Done>,
    already: Vec<Done>,
    skipped: Vec<Done>,
    invalid: Vec<BadRow>,
    failed: Vec<BadRow>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Done {
    line: usize,
    id: String,
    name: String,
}

/// What `import` was asked to do.
pub(super) struct Options<'a> {
    /// Target group (id, or the global dialect's label).
    pub group: &'a str,
    /// The rows' file; `-` is standard input.
    pub file: &'a Path,
    /// Check each image URL's first bytes before sending, within these bounds.
    pub check: Option<CheckTimeouts>,
    /// Skip rows whose name the group already has.
    pub skip_existing: bool,
}

fn read_rows(file: &Path) -> Result<String, Failure> {
    let result = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text)
    } else {
        std::fs::read_to_string(file)
    };
    result.map_err(|e| Failure::new(EXIT_INVALID, format!("cannot read {}: {e}", file.display())))
}

/// Prints a line on stderr above the progress bar, if there is one.
fn note(bar: Option<&indicatif::ProgressBar>, line: &str) {
    let line = text::visible(line);
    match bar {
        Some(b) => b.println(line),
        None => eprintln!("{line}"),
    }
}

pub(super) async fn run(ctx: &Ctx, opts: Options<'_>) -> Result<u8, Failure> {
    let Options { group, file, .. } = opts;
    let shown = if file.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        file.display().to_string()
    };
    let (rows, mut invalid) = parse(&read_rows(file)?);
    let (rows, bad) = check(rows, opts.check).await;
    invalid.extend(bad);
    invalid.sort_by_key(|b| b.line);
    for b in &invalid {
        note(None, &format!("{shown}:{}: {}", b.line, b.error));
    }
    if !invalid.is_empty() {
        eprintln!("{} invalid rows will not be imported", invalid.len());
    }
    let existing: HashMap<String, String> = if opts.skip_existing {
        let filter = AssetFilter::group(group);
        listed(ctx.catalog.assets(&filter, 1, u32::MAX).await?)
            .into_iter()
            .map(|a| (a.name, a.id))
            .collect()
    } else {
        HashMap::new()
    };
    let keys = keys(group, &rows);
    let mut report = Report {
        created: Vec::new(),
        already: Vec::new(),
        skipped: Vec::new(),
        invalid,
        failed: Vec::new(),
    };
    let mut todo = Vec::new();
    for (row, key) in rows.into_iter().zip(keys) {
        let done = |id: String, row: Row| Done {
            line: row.line,
            id,
            name: row.name,
        };
        match ctx.catalog.ledger().get(&key) {
            Some(e) if e.state == EntryState::Created => {
                report.already.push(done(e.id.unwrap_or_default(), row))
            }
            _ => match existing.get(&row.name) {
                Some(id) => report.skipped.push(done(id.clone(), row)),
                None => todo.push((row, key)),
            },
        }
    }
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
    // The client paces requests (30/s) and caps creations in flight (30).
    let catalog = &ctx.catalog;
    let mut results = futures::stream::iter(todo)
        .map(|(row, key)| async move {
            let req = CreateAsset::image(group, row.url.clone(), Some(row.name.clone()));
            let result = catalog.create_once(&key, group, &req).await;
            (row, result)
        })
        .buffer_unordered(crate::api::limits::MAX_CONCURRENT_CREATIONS);
    while let Some((row, result)) = results.next().await {
        match result {
            Ok(id) => {
                match &bar {
                    Some(b) => b.inc(1),
                    None if !ctx.json => output::line(format_args!(
                        "line {}: created {} {}",
                        row.line,
                        text::visible(&id),
                        text::visible(&row.name)
                    )),
                    None => {}
                }
                report.created.push(Done {
                    line: row.line,
                    id,
                    name: row.name,
                });
            }
            Err(e) => {
                note(bar.as_ref(), &format!("{shown}:{}: {e}", row.line));
                report.failed.push(BadRow {
                    line: row.line,
                    error: e.to_string(),
                });
            }
        }
    }
    if let Some(b) = bar {
        b.finish();
    }
    report.created.sort_by_key(|d| d.line);
    ctx.show(&report, |r| {
        let skipped = if opts.skip_existing {
            format!(", {} skipped (name already in the group)", r.skipped.len())
        } else {
            String::new()
        };
        output::line(format_args!(
            "{} created, {} already imported{skipped}, {} invalid, {} failed",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_every_format_with_line_numbers() {
        let text = "url,name\nhttps://x/a.png,hero\n\n# comment\n\"https://x/b.png\",\"name, with comma\"\n\
                    {\"url\":\"https://x/c.png\",\"name\":\"角色\"}\nhttps://x/d.png\n{broken\na,b,c\n";
        let (rows, bad) = parse(text);
        let got: Vec<(usize, &str, &str)> = rows
            .iter()
            .map(|r| (r.line, r.url.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "https://x/a.png", "hero"),
                (5, "https://x/b.png", "name, with comma"),
                (6, "https://x/c.png", "角色"),
                (7, "https://x/d.png", "d.png"),
            ]
        );
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![8, 9]);
        assert!(bad[1].error.contains("3 fields"));
    }

    #[test]
    fn keys_follow_content_not_position() {
        let row = |line, url: &str| Row {
            line,
            url: url.into(),
            name: "n".into(),
        };
        let a = keys("g", &[row(1, "u1"), row(2, "u2"), row(3, "u1")]);
        let b = keys("g", &[row(7, "u2"), row(8, "u1"), row(9, "u1")]);
        assert_eq!(a[0], b[1]);
        assert_eq!(a[1], b[0]);
        assert_eq!(a[2], b[2]);
        assert_ne!(a[0], a[2]);
        assert_ne!(keys("other", &[row(1, "u1")])[0], a[0]);
    }
}
