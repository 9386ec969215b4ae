//! What an import reads: media files, the media files of folders, and listings of sources
//! (CSV `source,name`, JSON lines, or one URL or path per line), each row with where it came
//! from, so every refusal names its file and line.

use std::path::{Path, PathBuf};

use super::super::local::{has_scheme, is_media_file, local_path};
use super::super::source::Source;
use super::super::walk::{Found, Reach, Walk};

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
    /// The name it gets when none is given (set for a whole run; see
    /// [`crate::catalog::names`]).
    pub default_name: Option<String>,
    /// The ledger key of a URL row given by whoever made the row (a copy keys it by the asset
    /// it copies, whose URL changes with every read), over the one its content makes.
    pub key: Option<String>,
}

/// A row or file that cannot be imported (or was left out), and why. In `--json` its reason
/// is an error object (see [`reasons`]), so it is written through the list it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Where it was found.
    pub origin: String,
    /// 1-based line in its listing (0 for files).
    pub line: usize,
    /// Why.
    pub error: String,
}

/// Lists of [`Refused`] as `--json` writes them: `{"Origin", "Line", "Error"}`, the error
/// in the one shape errors have ([`AssetError::new`](crate::api::model::AssetError::new)),
/// its code the list's: why the rows were not taken.
pub mod reasons {
    use serde::{Serialize, Serializer};

    use super::Refused;
    use crate::api::model::AssetError;

    /// The code of rows that break a rule.
    pub(crate) const INVALID: &str = "Invalid";
    /// The code of what a folder holds that is not taken.
    pub(crate) const LEFT_OUT: &str = "LeftOut";
    /// The code of steps that were tried and failed.
    pub(crate) const FAILED: &str = "Failed";
    /// The code of assets kept that were to be deleted.
    pub(crate) const KEPT: &str = "Kept";

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Shown<'a> {
        origin: &'a str,
        line: usize,
        error: AssetError,
    }

    fn with_code<S: Serializer>(rows: &[Refused], code: &str, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(rows.iter().map(|r| Shown {
            origin: &r.origin,
            line: r.line,
            error: AssetError::new(code, r.error.clone()),
        }))
    }

    /// `rows` with `code`, as a JSON value (for reports built by hand).
    pub(crate) fn to_json(rows: &[Refused], code: &str) -> serde_json::Value {
        with_code(rows, code, serde_json::value::Serializer).expect("rows serialise")
    }

    /// Rows that break a rule ([`INVALID`]).
    pub fn invalid<S: Serializer>(rows: &[Refused], s: S) -> Result<S::Ok, S::Error> {
        with_code(rows, INVALID, s)
    }

    /// What a folder holds that is not taken ([`LEFT_OUT`]).
    pub fn left_out<S: Serializer>(rows: &[Refused], s: S) -> Result<S::Ok, S::Error> {
        with_code(rows, LEFT_OUT, s)
    }

    /// Steps that were tried and failed ([`FAILED`]).
    pub fn failed<S: Serializer>(rows: &[Refused], s: S) -> Result<S::Ok, S::Error> {
        with_code(rows, FAILED, s)
    }

    /// Assets kept that were to be deleted ([`KEPT`]).
    pub fn kept<S: Serializer>(rows: &[Refused], s: S) -> Result<S::Ok, S::Error> {
        with_code(rows, KEPT, s)
    }
}

impl std::fmt::Display for Refused {
    /// `origin: why`, the origin made visible (a file name cannot fake a line of output) and
    /// the reason with only its own line breaks kept.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let origin = crate::text::visible(&self.origin);
        write!(f, "{origin}: {}", crate::text::visible_lines(&self.error))
    }
}

/// What an import is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A media file, a folder, or a listing file (or pipe).
    Path(PathBuf),
    /// Rows made elsewhere (a sync's files, named).
    Rows(Vec<Row>),
    /// A listing's text read elsewhere (standard input): its name in messages, and the folder
    /// its relative paths start from.
    Listing {
        /// How messages name it (`<stdin>`).
        name: String,
        /// Its text.
        text: String,
        /// Where its relative paths start.
        base: PathBuf,
    },
}

/// The rows of an import's inputs, the rows refused, and what folders held besides media.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    /// Rows to check and create.
    pub rows: Vec<Row>,
    /// Rows that cannot be read (bad CSV or JSON), and every path that could not be read (a
    /// file, a folder or a link's target, at any depth), with the error.
    pub refused: Vec<Refused>,
    /// What was read and is not taken, and why: files that are not media, folders without
    /// `--recursive`, links not followed, what was reached twice.
    pub left_out: Vec<Refused>,
}

/// Parses `source[,name]` rows: CSV (quoted fields allowed; an optional `url,name` header),
/// JSON lines (`{"url": …, "name": …}`), or one URL or path per line. A source that is not an
/// http(s) URL is a local path, relative to `base`. Blank lines and `#` comments are skipped.
pub fn parse(text: &str, listing: &str, base: &Path) -> (Vec<Row>, Vec<Refused>) {
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
                    default_name: None,
                    key: None,
                });
            }
            Err(error) => bad.push(Refused {
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

/// The rows of every input: media files, the media files of folders (as far as `reach` goes),
/// and listings; other files of folders are left out with the reason, and what cannot be read
/// is refused. Blocking.
pub(crate) fn gather(inputs: &[Input], reach: Reach) -> Gathered {
    let mut gathered = Gathered::default();
    let mut walk = Walk::new(reach);
    for input in inputs {
        match input {
            Input::Listing { name, text, base } => {
                let (rows, refused) = parse(text, name, base);
                gathered.rows.extend(rows);
                gathered.refused.extend(refused);
            }
            Input::Path(path) => gather_path(path, &mut walk, &mut gathered),
            Input::Rows(rows) => gathered.rows.extend(rows.iter().cloned()),
        }
    }
    gathered
}

/// The rows of one path: a folder's media files, a media file, or a listing.
fn gather_path(path: &Path, walk: &mut Walk, gathered: &mut Gathered) {
    let origin = path.display().to_string();
    let refuse = |error: String| Refused {
        origin: origin.clone(),
        line: 0,
        error,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return gathered
                .refused
                .push(refuse(format!("cannot be read: {e}")));
        }
    };
    if meta.is_dir() {
        let at = |path: PathBuf, error: String| Refused {
            origin: path.display().to_string(),
            line: 0,
            error,
        };
        for found in walk.folder(path) {
            match found {
                Found::Media(file) => gathered.rows.push(Row::file(file)),
                Found::LeftOut(path, why) => gathered.left_out.push(at(path, why)),
                Found::Unreadable(path, why) => gathered.refused.push(at(path, why)),
            }
        }
    } else if meta.is_file() && is_media_file(path).unwrap_or(false) {
        if walk.first_sight(path).is_ok() {
            gathered.rows.push(Row::file(path.to_owned()));
        }
    } else {
        // A listing; a pipe too (`<(…)`), which is read as its writer writes it. A file whose
        // first bytes could not be read is refused here, with the error.
        match read_listing(path) {
            Ok(text) => {
                let base = path.parent().unwrap_or(Path::new("."));
                let (rows, refused) = parse(&text, &origin, base);
                gathered.rows.extend(rows);
                gathered.refused.extend(refused);
            }
            Err(why) => gathered.refused.push(refuse(why)),
        }
    }
}

impl Row {
    /// A media file given or found in a folder.
    pub fn file(path: PathBuf) -> Row {
        Row {
            origin: path.display().to_string(),
            line: 0,
            source: Source::File(path),
            name: None,
            default_name: None,
            key: None,
        }
    }
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
}
