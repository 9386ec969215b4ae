//! Human tables and JSON on stdout. Every string from the service passes [`text::visible`]
//! here, so a name cannot steer the terminal. A closed pipe ends a command that only reads
//! quietly; one that changes the account stops printing and finishes its work.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::{Ctx, EXIT_FAILED, Failure};
use crate::api::model::{Asset, AssetGroup};
use crate::catalog::Listing;
use crate::text;

/// Whether the command running changes the account (see [`finish_work_when_cut`]).
static FINISH_WORK: AtomicBool = AtomicBool::new(false);

/// Why standard output stopped taking lines, once it did (while [`FINISH_WORK`] is set).
static CUT: Mutex<Option<std::io::Error>> = Mutex::new(None);

/// From now on a standard output that closes (`| head`, a dropped SSH session) or fails only
/// stops the printing: the command is one that changes the account, and it finishes its work
/// (what it did is in the service and the ledger); [`cut_short`] then says why lines are
/// missing.
pub(crate) fn finish_work_when_cut() {
    FINISH_WORK.store(true, Ordering::Relaxed);
}

/// Why lines were dropped (the error's kind and its words), when standard output stopped
/// taking them during the command.
pub(crate) fn cut_short() -> Option<(std::io::ErrorKind, String)> {
    let cut = CUT.lock().expect("output lock");
    cut.as_ref().map(|e| (e.kind(), e.to_string()))
}

/// Writes one line to stdout. When the reader has gone (`ark-assets assets list | head -1`),
/// a command that only reads ends quietly with success, as other command-line tools do; one
/// that changes the account goes on without printing (see [`finish_work_when_cut`]).
pub fn line(line: impl std::fmt::Display) {
    write(|out| writeln!(out, "{line}"));
}

/// Writes `bytes` to stdout as they are (a man page, a completion script), as [`line`] does.
pub fn bytes(bytes: &[u8]) {
    write(|out| out.write_all(bytes).and_then(|()| out.flush()));
}

/// Runs `put` on stdout, unless it was cut already, and handles a write that fails.
fn write(put: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>) {
    let mut cut = CUT.lock().expect("output lock");
    if cut.is_some() {
        return;
    }
    let Err(e) = put(&mut std::io::stdout().lock()) else {
        return;
    };
    if FINISH_WORK.load(Ordering::Relaxed) {
        *cut = Some(e);
    } else if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    } else {
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(i32::from(super::EXIT_FAILED));
    }
}

/// Writes a message line to stderr, as every message and error of the CLI goes: whatever came
/// from outside in it (a path, a name, a server's words) is shown escaped, never obeyed. Only
/// newlines are kept, for messages of several lines of our own.
pub fn say(message: impl std::fmt::Display) {
    eprintln!("{}", text::visible_lines(&message.to_string()));
}

/// Asks `question` at the terminal: `/dev/tty`, whatever standard input and error are (pipes,
/// files), so a person at it is always asked; true when the answer starts with `y`. With no
/// terminal (cron, a service, `setsid`) there is no one to ask: refused (exit 3), nothing
/// changed, and the message says to pass `--yes`.
pub(crate) fn confirm(question: &str) -> Result<bool, super::Failure> {
    use std::io::{BufRead, Write};
    let shown = text::visible(question);
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| {
            super::Failure::new(
                super::EXIT_INVALID,
                format!(
                    "there is no terminal to ask \"{shown}\" ({e}); nothing was changed: pass \
                     --yes to go ahead without asking"
                ),
            )
        })?;
    let mut writer = &tty;
    write!(writer, "{shown} [y/N] ")?;
    writer.flush()?;
    let mut answer = String::new();
    std::io::BufReader::new(&tty).read_line(&mut answer)?;
    Ok(answer.trim_start().starts_with(['y', 'Y']))
}

/// Prints `value` as pretty JSON, with terminal-unsafe characters escaped.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    line(text::to_json(value).expect("output serialises"));
}

/// A column of a table: its header and the widest it may grow (in display columns) before
/// cells are cut with `…`.
pub struct Column {
    /// Header.
    pub name: &'static str,
    /// Widest cell shown; `None` never cuts (ids, times).
    pub max: Option<usize>,
}

const fn col(name: &'static str, max: Option<usize>) -> Column {
    Column { name, max }
}

/// `s` cut to `width` display columns, with `…` when cut.
fn cut(s: &str, width: usize) -> Cow<'_, str> {
    if s.width() <= width {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// The width of the terminal standard output is, in columns; `None` when it is not one (a
/// pipe or a file gets every column whole, as gh does).
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(cols, _)| usize::from(cols))
        .filter(|c| *c > 0)
}

/// Narrowest a cut column gets: its header, and never under this.
const NARROWEST: usize = 8;

/// Column widths that fit `limit` columns with two spaces between columns: the widest column
/// that may be cut (one with a `max`) is cut first, down to its header or [`NARROWEST`], then
/// the next widest. Columns without a `max` (ids, times) are never cut, so a terminal too
/// narrow for them gets a wider table.
fn fitted(columns: &[Column], mut widths: Vec<usize>, limit: Option<usize>) -> Vec<usize> {
    let Some(limit) = limit else {
        return widths;
    };
    let gaps = 2 * columns.len().saturating_sub(1);
    loop {
        let total: usize = widths.iter().sum::<usize>() + gaps;
        let floor = |i: usize| columns[i].name.width().max(NARROWEST);
        let widest = (0..columns.len())
            .filter(|&i| columns[i].max.is_some() && widths[i] > floor(i))
            .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)));
        let (Some(i), true) = (widest, total > limit) else {
            return widths;
        };
        // Down to the next widest column's width (or as far as the excess asks), so the
        // widest columns are cut evenly.
        let next = (0..columns.len())
            .filter(|&j| j != i && columns[j].max.is_some())
            .map(|j| widths[j])
            .filter(|w| *w < widths[i])
            .max()
            .unwrap_or(0);
        let cut_to = widths[i]
            .saturating_sub(total - limit)
            .max(next)
            .max(floor(i));
        widths[i] = cut_to;
    }
}

/// The lines of a table: a header and one line per row, columns aligned by display width (CJK
/// counts double). Cells are made [`text::visible`] (a newline never splits a row), cut to
/// their column's maximum, then to fit `limit` columns (see [`fitted`]).
fn table_lines(columns: &[Column], rows: &[Vec<String>], limit: Option<usize>) -> Vec<String> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(columns)
                .map(|(cell, c)| {
                    let shown = text::visible(cell);
                    match c.max {
                        Some(max) => cut(&shown, max).into_owned(),
                        None => shown.into_owned(),
                    }
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.name.width()).collect();
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let widths = fitted(columns, widths, limit);
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let cell = cut(cell, *w);
            out.push_str(&cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        out.trim_end().to_owned()
    };
    std::iter::once(line(columns.iter().map(|c| c.name).collect()))
        .chain(
            cells
                .iter()
                .map(|row| line(row.iter().map(String::as_str).collect())),
        )
        .collect()
}

/// Prints rows under a header (see [`table_lines`]), fitted to the terminal's width when
/// standard output is one.
pub fn table(columns: &[Column], rows: &[Vec<String>]) {
    for l in table_lines(columns, rows, terminal_width()) {
        line(l);
    }
}

/// `t` in the user's zone (`TZ`), to the minute.
fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| crate::times::Zone::Local.minute(t))
        .unwrap_or_default()
}

/// The groups table.
pub fn groups(groups: &[AssetGroup]) {
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            vec![
                g.id.clone(),
                g.name.clone(),
                if g.is_real_person() {
                    "real person".to_owned()
                } else {
                    g.group_type.clone()
                },
                time(g.create_time),
                g.description.clone(),
            ]
        })
        .collect();
    table(
        &[
            col("ID", None),
            col("NAME", Some(40)),
            col("TYPE", Some(12)),
            col("CREATED", None),
            col("DESCRIPTION", Some(60)),
        ],
        &rows,
    );
}

/// The assets table.
pub fn assets(assets: &[Asset]) {
    let rows: Vec<Vec<String>> = assets
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.status.to_string(),
                a.name.clone(),
                time(a.update_time),
                a.error
                    .as_ref()
                    .map(|e| format!("{}: {}", e.code, e.message))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            col("ID", Some(64)),
            col("STATUS", Some(12)),
            col("NAME", Some(40)),
            col("UPDATED", None),
            col("ERROR", Some(60)),
        ],
        &rows,
    );
}

/// `key: value` lines; values are made [`text::visible`] and shown whole.
pub fn fields(pairs: &[(&str, String)]) {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in pairs {
        line(format_args!("{k:<width$}  {}", text::visible(v)));
    }
}

/// One group in detail.
pub fn group(g: &AssetGroup) {
    fields(&[
        ("Id", g.id.clone()),
        ("Name", g.name.clone()),
        ("Description", g.description.clone()),
        ("GroupType", g.group_type.clone()),
        ("ProjectName", g.project_name.clone()),
        ("CreateTime", time(g.create_time)),
        ("UpdateTime", time(g.update_time)),
    ]);
}

/// One asset in detail.
pub fn asset(a: &Asset) {
    let mut pairs = vec![
        ("Id", a.id.clone()),
        ("Reference", a.reference()),
        ("Name", a.name.clone()),
        ("Status", a.status.to_string()),
        ("GroupId", a.group_id.clone()),
        ("AssetType", a.asset_type.clone()),
        ("URL", a.url.clone()),
        ("CreateTime", time(a.create_time)),
        ("UpdateTime", time(a.update_time)),
    ];
    if let Some(e) = &a.error {
        pairs.push(("Error", format!("{}: {}", e.code, e.message)));
    }
    if let Some(m) = a.moderation_text() {
        pairs.push(("Moderation", m));
    }
    if let Some(t) = a.last_inference_time {
        let ago = crate::times::age(chrono::Utc::now(), t);
        pairs.push((
            "LastInferenceTime",
            format!("{} ({ago} ago)", time(Some(t))),
        ));
    }
    fields(&pairs);
}

/// Says on stderr what a listing lacks, when it lacks anything; a listing that stopped before
/// it was complete is a failure (exit 1) once what it listed is shown.
pub(super) fn listed<T>(listing: &Listing<T>) -> Result<(), Failure> {
    if listing.left_out > 0 {
        say(format_args!(
            "warning: {} items of other groups the service sent were left out (it ignored the \
             group filter)",
            listing.left_out
        ));
    }
    match &listing.stopped {
        None => Ok(()),
        Some(why) => Err(Failure::new(
            EXIT_FAILED,
            format!(
                "the listing is incomplete: {} items listed, then {}",
                listing.items.len(),
                crate::text::visible(why)
            ),
        )),
    }
}

/// Reports a change to one resource.
pub(super) fn done(ctx: &Ctx, what: &str, id: &str) {
    ctx.show(&serde_json::json!({ "Id": id, "Result": what }), |_| {
        line(format_args!("{what} {}", crate::text::visible(id)))
    });
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::{col, table_lines};

    #[test]
    fn a_table_fits_the_width_by_cutting_its_widest_text_column() {
        let columns = [
            col("ID", None),
            col("NAME", Some(40)),
            col("UPDATED", None),
            col("ERROR", Some(60)),
        ];
        let rows = vec![vec![
            "asset-20260101000000-abcde".to_owned(),
            "a long name of a reference".to_owned(),
            "2026-12-06 10:00".to_owned(),
            "InvalidParameter.DownloadFailed: the URL cannot be downloaded".to_owned(),
        ]];
        let whole = table_lines(&columns, &rows, None);
        assert!(
            whole[1].width() > 120,
            "a pipe gets every column whole: {whole:?}"
        );
        let fitted = table_lines(&columns, &rows, Some(80));
        for line in &fitted {
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
        }
        assert!(
            fitted[1].starts_with("asset-20260101000000-abcde  "),
            "{fitted:?}"
        );
        assert!(
            fitted[1].contains("2026-12-06 10:00"),
            "times are never cut"
        );
        assert!(fitted[1].contains('…'), "{fitted:?}");
        // The widest (the error) is cut first: a width that only it must give keeps the name.
        let roomy = table_lines(&columns, &rows, Some(120));
        assert!(
            roomy[1].contains("a long name of a reference  "),
            "{roomy:?}"
        );
        assert!(
            roomy[1].ends_with('…') && roomy[1].width() <= 120,
            "{roomy:?}"
        );
        // Too narrow for the columns that are never cut: those stay whole.
        let narrow = table_lines(&columns, &rows, Some(30));
        assert!(narrow[1].contains("asset-20260101000000-abcde"));
    }

    #[test]
    fn cells_are_cut_by_display_width() {
        assert_eq!(super::cut("abcdef", 4), "abc…");
        assert_eq!(super::cut("角色角色", 5), "角色…");
        assert_eq!(super::cut("abc", 3), "abc");
    }
}
