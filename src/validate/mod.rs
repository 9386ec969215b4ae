//! Input rules of the Assets API, checked before anything is sent: pure functions of a value
//! (names, descriptions, ids, URLs, links), no I/O. What a file holds is `media`'s.
//!
//! Every failure is an [`Invalid`] that names the field, the value and the rule, so the user
//! can fix it without guessing, and says of which [`Kind`] it is.

use std::net::IpAddr;
use std::path::Path;
use url::Url;

/// Longest name, in characters (not bytes).
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// Longest description, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 300;

/// What a rule is about: a field of a request, or what a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A group's or an asset's name.
    Name,
    /// A group's description.
    Description,
    /// A project's name.
    Project,
    /// An id given for an asset.
    Id,
    /// A group given by id or name.
    GroupId,
    /// A URL to create an asset from.
    Url,
    /// A liveness check's link.
    H5Link,
    /// A local file.
    File,
    /// The type a file was declared to be.
    Type,
    /// An image's contents.
    Image,
    /// A video's contents.
    Video,
    /// An audio file's contents.
    Audio,
    /// A model's rules.
    Model,
    /// Whether a folder's sub-folders are taken too.
    SubFolders,
    /// A task's length in seconds.
    Duration,
}

impl Field {
    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Description => "Description",
            Field::Project => "Project",
            Field::Id => "Id",
            Field::GroupId => "GroupId",
            Field::Url => "URL",
            Field::H5Link => "H5Link",
            Field::File => "File",
            Field::Type => "Type",
            Field::Image => "Image",
            Field::Video => "Video",
            Field::Audio => "Audio",
            Field::Model => "Model",
            Field::SubFolders => "Sub-folders",
            Field::Duration => "Duration",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of problem an [`Invalid`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A required value is missing.
    Missing,
    /// The value breaks a rule: a length, a range, a form, a figure of what a file holds.
    Rule,
    /// What a file holds is not of a format the service takes, or is damaged (not an MP4, no
    /// movie header, a cut-off header): the file itself is at fault.
    Format,
    /// The file or URL could not be read (a timeout, a lost connection, an unreadable file):
    /// nothing is known of what it holds, and trying again may work.
    Unreadable,
}

/// A value that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// What it is about.
    pub field: Field,
    /// The offending value, shortened for display (empty when there is none to show: a
    /// missing value, or a file's contents).
    pub value: String,
    /// The rule it breaks, in words.
    pub rule: String,
    /// What kind of problem it is.
    pub kind: Kind,
}

impl Invalid {
    /// `field` holding `value` breaks `rule`.
    pub fn new(field: Field, value: impl std::fmt::Display, rule: impl Into<String>) -> Self {
        Invalid::of_kind(Kind::Rule, field, value, rule)
    }

    /// A problem of `kind`: `field` holding `value` breaks `rule`.
    fn of_kind(
        kind: Kind,
        field: Field,
        value: impl std::fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        Invalid {
            field,
            value: crate::text::cut(&value.to_string(), 48),
            rule: rule.into(),
            kind,
        }
    }

    /// `field` has no value and needs one.
    pub fn missing(field: Field) -> Self {
        Invalid::of_kind(Kind::Missing, field, "", "is required")
    }

    /// What a file holds (`field`: an image, a video, audio) is not of an accepted format or
    /// is damaged, as `rule` says.
    pub fn format(field: Field, rule: impl Into<String>) -> Self {
        Invalid::of_kind(Kind::Format, field, "", rule)
    }

    /// `value` (a file's path, a URL) of `field` could not be read, as `rule` says.
    pub fn unreadable(
        field: Field,
        value: impl std::fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        Invalid::of_kind(Kind::Unreadable, field, value, rule)
    }

    /// A problem with the local file at `path`.
    pub fn file(path: &Path, rule: impl Into<String>) -> Self {
        Invalid::new(Field::File, path.display(), rule)
    }

    /// The same problem said of `field` holding `value` (a copy's problem said of the URL it
    /// came from).
    pub(crate) fn said_of(self, field: Field, value: impl std::fmt::Display) -> Self {
        Invalid::of_kind(self.kind, field, value, self.rule)
    }

    /// Whether this is about what a file is (format unknown, unsupported or damaged) rather
    /// than its figures (dimensions, size) or whether it could be read.
    pub fn is_format_problem(&self) -> bool {
        self.kind == Kind::Format
    }

    /// Whether the file or URL could not be read: it may be fine, and trying again may work.
    pub fn is_unreadable(&self) -> bool {
        self.kind == Kind::Unreadable
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.rule)
        } else {
            // The value is shown escaped once: quotes around it, unsafe characters as `\x1b`.
            write!(
                f,
                "{} \"{}\": {}",
                self.field,
                crate::text::visible(&self.value),
                self.rule
            )
        }
    }
}

impl std::error::Error for Invalid {}

fn text(field: Field, value: &str, max: usize, required: bool) -> Result<(), Invalid> {
    if required && value.trim().is_empty() {
        return Err(Invalid::missing(field));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(Invalid::new(
            field,
            value,
            format!("is {chars} characters; at most {max} are allowed"),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Invalid::new(
            field,
            value,
            format!("contains the control character U+{:04X}", c as u32),
        ));
    }
    if let Some(c) = value.chars().find(|&c| crate::text::is_invisible_format(c)) {
        return Err(Invalid::new(
            field,
            value,
            format!(
                "contains U+{:04X}, an invisible formatting character (bidi control, zero-width \
                 or line separator) that changes how the text reads; remove it",
                c as u32
            ),
        ));
    }
    Ok(())
}

/// A group or asset name: at most 64 characters, no control characters; `required` for groups.
pub fn name(value: &str, required: bool) -> Result<(), Invalid> {
    text(Field::Name, value, MAX_NAME_CHARS, required)
}

/// A group description: at most 300 characters, no control characters but newlines and tabs.
pub fn description(value: &str) -> Result<(), Invalid> {
    let flat: String = value
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    text(Field::Description, &flat, MAX_DESCRIPTION_CHARS, false)
}

/// A required id (`GroupId`, `Id`).
pub fn id(field: Field, value: &str) -> Result<(), Invalid> {
    text(field, value, 128, true)
}

/// An asset's id: the rules of [`id`], and no white space (ids are one word: `asset-…`).
pub fn asset_id(value: &str) -> Result<(), Invalid> {
    id(Field::Id, value)?;
    if value.chars().any(char::is_whitespace) {
        return Err(Invalid::new(
            Field::Id,
            value,
            "holds white space; an asset id is one word",
        ));
    }
    Ok(())
}

/// An image URL: http or https with a host.
pub fn url(value: &str) -> Result<Url, Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Invalid::missing(Field::Url));
    }
    let parsed = Url::parse(trimmed).map_err(|e| {
        Invalid::new(
            Field::Url,
            trimmed,
            format!("is not a URL ({e}); it must start with http:// or https://"),
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Invalid::new(
            Field::Url,
            trimmed,
            format!(
                "uses {}://; the service downloads the image itself, so it must be a public http(s) URL",
                parsed.scheme()
            ),
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Invalid::new(Field::Url, trimmed, "has no host"));
    }
    Ok(parsed)
}

/// Longest link the service may hand out to be opened (its H5 links are a few hundred
/// characters).
pub(crate) const MAX_LINK_CHARS: usize = 2048;

/// A link from the service meant for a person to open (a liveness check's page): http(s) with
/// a host, at most [`MAX_LINK_CHARS`], nothing a terminal would obey. Anything else (a
/// `javascript:` or `data:` link, a 100 KB one) is refused rather than shown as a QR code or a
/// clickable link.
pub fn link(field: Field, value: &str) -> Result<Url, Invalid> {
    let chars = value.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(Invalid::new(
            field,
            value,
            format!("is {chars} characters; a link to open is at most {MAX_LINK_CHARS}"),
        ));
    }
    if value.chars().any(crate::text::is_unsafe) {
        return Err(Invalid::new(field, value, "holds control characters"));
    }
    let parsed = Url::parse(value.trim())
        .map_err(|e| Invalid::new(field, value, format!("is not a link ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(Invalid::new(
            field,
            value,
            format!(
                "uses {}:, not http(s) with a host: it is not shown to be opened",
                parsed.scheme()
            ),
        ));
    }
    Ok(parsed)
}

/// A warning (not an error) for URLs the real service cannot reach: loopback, private and
/// link-local addresses, and `localhost`.
pub fn url_warning(url: &Url) -> Option<String> {
    let private = match url.host()? {
        url::Host::Domain(d) => {
            d == "localhost" || d.ends_with(".localhost") || d.ends_with(".local")
        }
        url::Host::Ipv4(ip) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        url::Host::Ipv6(ip) => {
            let ip = IpAddr::V6(ip);
            ip.is_loopback()
                || ip.is_unspecified()
                || matches!(ip, IpAddr::V6(v6) if (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    };
    private.then(|| {
        format!(
            "{} is a private address: the service downloads images over the internet and will not reach it",
            url.host_str().unwrap_or_default()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_count_characters_not_bytes() {
        let cjk = "角".repeat(64);
        assert!(cjk.len() > 64);
        assert!(name(&cjk, true).is_ok());
        let err = name(&"角".repeat(65), true).unwrap_err();
        assert_eq!(err.field, Field::Name);
        assert!(err.rule.contains("65 characters"), "{err}");
        assert!(name(&"a".repeat(64), true).is_ok());
        assert!(name(&"a".repeat(65), true).is_err());
    }

    #[test]
    fn required_and_control_characters() {
        let missing = name("  ", true).unwrap_err();
        assert_eq!(
            (missing.kind, missing.rule.as_str()),
            (Kind::Missing, "is required")
        );
        assert_eq!(missing.to_string(), "Name: is required");
        assert_eq!(name("a\u{7}b", false).unwrap_err().kind, Kind::Rule);
        assert!(name("", false).is_ok());
        assert!(name("a\u{7}b", false).unwrap_err().rule.contains("control"));
        assert!(name("emoji 🎬 and עברית", true).is_ok());
        assert!(id(Field::GroupId, "").is_err());
    }

    #[test]
    fn descriptions_allow_300_characters_and_newlines() {
        assert!(description(&"d".repeat(300)).is_ok());
        let err = description(&"d".repeat(301)).unwrap_err();
        assert!(err.to_string().starts_with("Description \""), "{err}");
        assert!(description("two\nlines").is_ok());
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(url("https://example.com/a.png").is_ok());
        assert!(url("http://127.0.0.1:9/a.png").is_ok());
        assert!(url("").unwrap_err().rule.contains("required"));
        assert!(url("example.com/a.png").unwrap_err().rule.contains("http"));
        assert!(
            url("file:///tmp/a.png")
                .unwrap_err()
                .rule
                .contains("file://")
        );
        assert!(url("ftp://example.com/a.png").is_err());
    }

    #[test]
    fn private_hosts_are_warned_about() {
        let warn = |u: &str| url_warning(&Url::parse(u).unwrap());
        assert!(warn("http://127.0.0.1/a.png").is_some());
        assert!(warn("http://192.168.1.4/a.png").is_some());
        assert!(warn("http://localhost:8080/a.png").is_some());
        assert!(warn("http://[::1]/a.png").is_some());
        assert!(warn("https://example.com/a.png").is_none());
    }
}
