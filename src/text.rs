//! Text that came from outside (service answers, files, config, CSV) made safe to show, and
//! text fitted to terminal cells ([`fit`], [`wrap`]).
//!
//! A terminal obeys what it is sent: an asset named `ESC ] 52 ; c ; … BEL` would write the
//! user's clipboard, `ESC [ 2 J` would clear the screen, `U+009B` works as CSI, and bidi
//! overrides reorder what is read. Every string from outside passes [`visible`] (or
//! [`visible_lines`]) before it reaches a terminal, a table, an error line or the log; JSON
//! output goes through [`JsonFormatter`], which escapes the same characters.

use std::borrow::Cow;
use std::io;

/// Whether `c` must not reach a terminal as it is: C0 controls, DEL, C1 controls, bidi
/// controls and zero-width characters.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Whether `c` is a bidi control, a zero-width character or a line/paragraph separator:
/// invisible, yet it changes what a reader sees.
pub(crate) fn is_invisible_format(c: char) -> bool {
    is_unsafe(c) && !c.is_control()
}

fn escape_into(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// `s` with every unsafe character shown as an escape (`\x1b`, `\n`, `\u{202e}`), so it is one
/// line that a terminal prints as it reads.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape_except(s, |_| false)
}

/// `s` cut to `max` characters, the last of them `…` when cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Like [`visible`], but newlines are kept: for messages made of several lines of our own,
/// whose parts from outside were already made [`visible`].
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    escape_except(s, |c| c == '\n')
}

fn escape_except(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with the query of every http(s) URL in it cut to `?…`: a server's message that quotes
/// a presigned URL keeps the address and loses the signature. A URL runs to a space, a quote,
/// an angle bracket or a control character.
pub(crate) fn redact_urls(s: &str) -> Cow<'_, str> {
    let lower = s.to_ascii_lowercase();
    let ends =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>') || is_unsafe(c);
    let mut out = String::new();
    // `s[copied..]` is still to be copied; `from` is where the next URL is looked for.
    let (mut copied, mut from) = (0, 0);
    while let Some(at) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| lower[from..].find(scheme))
        .min()
    {
        let start = from + at;
        let end = s[start..].find(ends).map_or(s.len(), |n| start + n);
        if let Some(q) = s[start..end].find('?') {
            out.push_str(&s[copied..start + q]);
            out.push_str("?…");
            copied = end;
        }
        from = end;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// serde_json's pretty printer, escaping what serde_json leaves raw: DEL, C1 controls, bidi
/// controls and zero-width characters become `\uXXXX`, so `--json` output is safe on a terminal
/// and still decodes to the same strings.
#[derive(Default)]
pub(crate) struct JsonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON with every unsafe character escaped (see [`JsonFormatter`]).
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, JsonFormatter::default());
    value.serialize(&mut ser)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// `s` in Unicode's composed form (NFC), the form names are compared in: `café` typed on one
/// machine and read from a file name on another (decomposed, NFD) are one name.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    icu_normalizer::ComposingNormalizer::new_nfc().normalize(s)
}

/// `n` and `word`, in the plural unless `n` is 1 (`1 asset`, `3 assets`).
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Display columns of a character (CJK takes two).
fn columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `text` cut to `width` display columns with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + columns(c) > width - 1 {
            break;
        }
        used += columns(c);
        out.push(c);
    }
    out.push('…');
    out
}

/// The end of `text` within `width` display columns, `…` first where its start is cut (a field
/// being typed, whose cursor is at its end).
pub(crate) fn fit_end(text: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        if used + columns(c) > width.saturating_sub(1) {
            break;
        }
        used += columns(c);
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// `text` wrapped at spaces into lines of at most `width` display columns; longer words are cut.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let word_width = unicode_width::UnicodeWidthStr::width(word);
        if used > 0 && used + 1 + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            if used + columns(c) > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += columns(c);
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(
            super::wrap("uses file:// so it must", 10),
            ["uses", "file:// so", "it must"]
        );
        assert_eq!(super::wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(super::wrap("", 4), [""]);
        assert_eq!(super::wrap("角色角色角", 4), ["角色", "角色", "角"]);
        assert_eq!(super::fit("角色 hero", 6), "角色 …");
        assert_eq!(super::fit("short", 6), "short");
    }

    use super::*;

    #[test]
    fn urls_in_text_lose_their_query() {
        let message = "URL \"https://b.s3.example/o.png?X-Amz-Credential=AK%2F1&X-Amz-Signature=\
                       5e3f\": answered HTTP 403; see HTTP://x/y?sig=1, or http://plain/path.";
        assert_eq!(
            redact_urls(message),
            "URL \"https://b.s3.example/o.png?…\": answered HTTP 403; see HTTP://x/y?… or \
             http://plain/path."
        );
        assert!(matches!(redact_urls("no address here"), Cow::Borrowed(_)));
        assert!(matches!(redact_urls("http://a/b c"), Cow::Borrowed(_)));
        assert_eq!(redact_urls("x https://h/p?a\nb"), "x https://h/p?…\nb");
        assert_eq!(
            redact_urls("角色 https://h/角?s=1 角"),
            "角色 https://h/角?… 角"
        );
    }

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        assert_eq!(visible("plain 角色"), "plain 角色");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("\u{1b}]52;c;aGk=\u{7}"), "\\x1b]52;c;aGk=\\x07");
        assert_eq!(visible("a\u{9b}2J"), "a\\u{9b}2J");
        assert_eq!(
            visible("x\u{202e}y\u{200b}z\u{feff}"),
            "x\\u{202e}y\\u{200b}z\\u{feff}"
        );
        assert_eq!(visible("two\nlines\r\t"), "two\\nlines\\r\\t");
        assert_eq!(visible_lines("a\nb\u{1b}"), "a\nb\\x1b");
        assert_eq!(visible("\u{7f}"), "\\x7f");
    }

    #[test]
    fn json_escapes_c1_and_bidi_and_still_round_trips() {
        let value = serde_json::json!({"Name": "a\u{9b}b\u{202e}c\u{1b}d\u{7f}", "N": 1});
        let text = to_json(&value).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert!(text.contains("\n  \"N\": 1"), "still pretty: {text}");
    }
}
