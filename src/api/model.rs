//! Typed models of the Assets API: actions, resources, requests and pages (serde, PascalCase).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Every action of the Assets API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// Create an asset group.
    CreateAssetGroup,
    /// Read one asset group.
    GetAssetGroup,
    /// List asset groups with filters and paging.
    ListAssetGroups,
    /// Rename / re-describe an asset group.
    UpdateAssetGroup,
    /// Delete an asset group.
    DeleteAssetGroup,
    /// Create an asset from a public image URL.
    CreateAsset,
    /// Read one asset.
    GetAsset,
    /// List assets with filters and paging.
    ListAssets,
    /// Rename an asset.
    UpdateAsset,
    /// Delete an asset.
    DeleteAsset,
    /// Start a liveness check of a real person (an H5 page for their phone).
    CreateVisualValidateSession,
    /// The outcome of a liveness check: the new real-person group (one query per token).
    GetVisualValidateResult,
}

impl Action {
    /// All actions, in a stable order.
    pub const ALL: [Action; 12] = [
        Action::CreateAssetGroup,
        Action::GetAssetGroup,
        Action::ListAssetGroups,
        Action::UpdateAssetGroup,
        Action::DeleteAssetGroup,
        Action::CreateAsset,
        Action::GetAsset,
        Action::ListAssets,
        Action::UpdateAsset,
        Action::DeleteAsset,
        Action::CreateVisualValidateSession,
        Action::GetVisualValidateResult,
    ];

    /// The action name as sent on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Action::CreateAssetGroup => "CreateAssetGroup",
            Action::GetAssetGroup => "GetAssetGroup",
            Action::ListAssetGroups => "ListAssetGroups",
            Action::UpdateAssetGroup => "UpdateAssetGroup",
            Action::DeleteAssetGroup => "DeleteAssetGroup",
            Action::CreateAsset => "CreateAsset",
            Action::GetAsset => "GetAsset",
            Action::ListAssets => "ListAssets",
            Action::UpdateAsset => "UpdateAsset",
            Action::DeleteAsset => "DeleteAsset",
            Action::CreateVisualValidateSession => "CreateVisualValidateSession",
            Action::GetVisualValidateResult => "GetVisualValidateResult",
        }
    }

    /// Parses a wire action name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Requests per second the service allows per account for this action.
    pub(crate) fn qps(self) -> u32 {
        match self {
            Action::GetAsset | Action::GetAssetGroup => 100,
            _ => 30,
        }
    }

    /// Whether the action creates something, so that re-sending it blindly could duplicate
    /// (a verification result is single-use: asking twice loses it).
    pub(crate) fn is_create(self) -> bool {
        matches!(
            self,
            Action::CreateAsset
                | Action::CreateAssetGroup
                | Action::CreateVisualValidateSession
                | Action::GetVisualValidateResult
        )
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Processing state of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Status {
    /// Ready: usable as `Asset://<Id>`.
    Active,
    /// The service is downloading and checking the image.
    #[default]
    Processing,
    /// The image was rejected; see the asset's error.
    Failed,
    /// A status this client does not know, kept as the service wrote it (see [`Status::name`])
    /// rather than failing the whole answer.
    Unknown(UnknownStatus),
}

/// A status the service sent that this client does not know: an index into the few such
/// names seen in this process (a status is a word, so they stay few; past [`MAX_UNKNOWN`]
/// distinct ones, the rest read as `Unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownStatus(u16);

/// Most distinct unknown status names remembered.
const MAX_UNKNOWN: usize = 64;

fn unknown_names() -> &'static std::sync::Mutex<Vec<&'static str>> {
    static NAMES: std::sync::OnceLock<std::sync::Mutex<Vec<&'static str>>> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(Default::default)
}

impl Status {
    /// The status named `name` on the wire; unknown names are kept.
    pub fn parse(name: &str) -> Status {
        match name {
            "Active" => Status::Active,
            "Processing" => Status::Processing,
            "Failed" => Status::Failed,
            other => {
                let mut names = unknown_names().lock().expect("status names lock");
                let index = match names.iter().position(|n| *n == other) {
                    Some(i) => i,
                    None if names.len() < MAX_UNKNOWN => {
                        // Shown on terminals: made visible once, here.
                        let short: String = other.chars().take(32).collect();
                        let shown = crate::text::visible(&short).into_owned();
                        names.push(Box::leak(shown.into_boxed_str()));
                        names.len() - 1
                    }
                    None => usize::from(u16::MAX),
                };
                Status::Unknown(UnknownStatus(index as u16))
            }
        }
    }

    /// The wire name (an unknown status as the service wrote it).
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Processing => "Processing",
            Status::Failed => "Failed",
            Status::Unknown(UnknownStatus(i)) => unknown_names()
                .lock()
                .expect("status names lock")
                .get(usize::from(i))
                .copied()
                .unwrap_or("Unknown"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Status {
    /// Any JSON value: a string is the status's name; anything else (`null`, `123`) is kept as
    /// an unknown status written as it came, never a failure of the whole answer.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(name) => Status::parse(&name),
            other => Status::parse(&other.to_string()),
        })
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an asset failed processing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssetError {
    /// Vendor error code, e.g. `InvalidParameter.DownloadFailed`.
    #[serde(deserialize_with = "lenient::text")]
    pub code: String,
    /// Human-readable explanation; a URL it quotes is kept without its query (a presigned
    /// URL's signature never stays, nor reaches a table, `--json` or the TUI).
    #[serde(deserialize_with = "lenient::message")]
    pub message: String,
}

/// The kind of a group: virtual portraits, or a verified real person (spec section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupType {
    /// Virtual portraits (`AIGC`): made with CreateAssetGroup.
    #[serde(rename = "AIGC")]
    Aigc,
    /// A verified real person (`LivenessFace`): made by a liveness check.
    LivenessFace,
}

impl GroupType {
    /// Both kinds: a listing of every group asks for each (the service lists one per request).
    pub const ALL: [GroupType; 2] = [GroupType::Aigc, GroupType::LivenessFace];

    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            GroupType::Aigc => "AIGC",
            GroupType::LivenessFace => "LivenessFace",
        }
    }

    /// The kind a `GroupType` value names, in any case.
    pub fn of(name: &str) -> Option<GroupType> {
        GroupType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }
}

/// An asset group: a named folder of assets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssetGroup {
    /// `group-…` id.
    pub id: String,
    /// Display name (≤ 64 characters).
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    /// Free text (≤ 300 characters).
    #[serde(default, deserialize_with = "lenient::text")]
    pub description: String,
    /// Group type, `AIGC` or `LivenessFace` (kept as the service wrote it; see
    /// [`AssetGroup::kind`]).
    #[serde(default, deserialize_with = "lenient::text")]
    pub group_type: String,
    /// Project the group belongs to.
    #[serde(default, deserialize_with = "lenient::text")]
    pub project_name: String,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient_time::deserialize")]
    pub create_time: Option<DateTime<Utc>>,
    /// Last update time.
    #[serde(default, deserialize_with = "lenient_time::deserialize")]
    pub update_time: Option<DateTime<Utc>>,
}

/// An asset: one reference image inside a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    /// `asset-…` id; use as `Asset://<Id>`.
    pub id: String,
    /// Display name (≤ 64 characters).
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    /// Signed download URL (valid 12 h) once Active.
    #[serde(rename = "URL", default, deserialize_with = "lenient::text")]
    pub url: String,
    /// Asset type, `Image`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub asset_type: String,
    /// Parent group id (absent in the global dialect).
    #[serde(default, deserialize_with = "lenient::text")]
    pub group_id: String,
    /// Processing state.
    #[serde(default)]
    pub status: Status,
    /// Why processing failed, when `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AssetError>,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient_time::deserialize")]
    pub create_time: Option<DateTime<Utc>>,
    /// Last update time.
    #[serde(default, deserialize_with = "lenient_time::deserialize")]
    pub update_time: Option<DateTime<Utc>>,
    /// Project the asset belongs to.
    #[serde(default, deserialize_with = "lenient::text")]
    pub project_name: String,
    /// The service's content moderation verdict, when it sends one; kept as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<serde_json::Value>,
}

/// The Seedance request content item for asset `id` of `asset_type`: `image_url` /
/// `reference_image`, `video_url` / `reference_video`, `audio_url` / `reference_audio`.
pub(crate) fn content_item(asset_type: &str, id: &str) -> serde_json::Value {
    let (kind, role) = match asset_type.to_ascii_lowercase().as_str() {
        "video" => ("video_url", "reference_video"),
        "audio" => ("audio_url", "reference_audio"),
        _ => ("image_url", "reference_image"),
    };
    serde_json::json!({"type": kind, kind: {"url": asset_reference(id)}, "role": role})
}

/// Something the service identifies by an id.
pub trait HasId {
    /// The id.
    fn id(&self) -> &str;
}

impl HasId for Asset {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for AssetGroup {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for Created {
    fn id(&self) -> &str {
        &self.id
    }
}

impl AssetGroup {
    /// Whether the group holds a verified real person (`GroupType` `LivenessFace`, spec 10).
    pub fn is_real_person(&self) -> bool {
        self.kind() == Some(GroupType::LivenessFace)
    }

    /// Its kind, when the service wrote one this client knows.
    pub fn kind(&self) -> Option<GroupType> {
        GroupType::of(&self.group_type)
    }
}

impl Asset {
    /// The moderation verdict as one line of JSON, when the service sent one.
    pub fn moderation_text(&self) -> Option<String> {
        self.moderation.as_ref().map(|m| m.to_string())
    }

    /// The reference to use in Seedance requests: `Asset://<Id>`.
    pub fn reference(&self) -> String {
        asset_reference(&self.id)
    }
}

/// The id in `Asset://<Id>` or `asset://<Id>` (any case of the scheme); other text as it is.
pub fn strip_reference(text: &str) -> &str {
    let text = text.trim();
    match text.get(..8) {
        Some(scheme) if scheme.eq_ignore_ascii_case("asset://") => &text[8..],
        _ => text,
    }
}

/// How references are written: `Asset://` (the seed page's spelling, the default) or
/// `asset://` (the vendor's API pages). Both are read everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum AssetScheme {
    /// `Asset://<Id>`.
    #[default]
    #[serde(rename = "Asset://")]
    Upper,
    /// `asset://<Id>`.
    #[serde(rename = "asset://")]
    Lower,
}

static SCHEME: std::sync::OnceLock<AssetScheme> = std::sync::OnceLock::new();

impl AssetScheme {
    /// Makes this the spelling of every reference this process prints (set once, at start).
    pub fn install(self) {
        let _ = SCHEME.set(self);
    }

    fn prefix(self) -> &'static str {
        match self {
            AssetScheme::Upper => "Asset://",
            AssetScheme::Lower => "asset://",
        }
    }

    /// The reference to asset `id` in this spelling.
    pub fn reference(self, id: &str) -> String {
        format!("{}{id}", self.prefix())
    }
}

/// `Asset://<Id>` (or `asset://<Id>`, as configured) for an asset id.
pub(crate) fn asset_reference(id: &str) -> String {
    SCHEME.get().copied().unwrap_or_default().reference(id)
}

/// Values read as the service may send them (spec section 11): what cannot be what the field
/// holds reads as its empty value, not as a failure of the whole answer.
pub mod lenient {
    use serde::{Deserialize, Deserializer};

    /// A text field: `null` is empty, a number or boolean is its JSON text.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        })
    }

    /// A text field of the service's own words (an error's message): as [`text`], with the
    /// query of every URL in it cut ([`crate::text::redact_urls`]).
    pub fn message<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let message = text(d)?;
        Ok(match crate::text::redact_urls(&message) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(cut) => cut,
        })
    }

    /// A paging token: `null`, empty or not text is none.
    pub fn token<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) if !s.is_empty() => Some(s),
            _ => None,
        })
    }

    /// A list: `null` is empty.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
    }
}

/// Times as the service writes them, read leniently (spec section 11): RFC 3339 with any
/// offset, `YYYY-MM-DD HH:MM:SS` (UTC), or Unix seconds or milliseconds, as a number or a
/// string. Anything else reads as no time rather than failing the whole answer.
pub(crate) mod lenient_time {
    use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
    use serde::{Deserialize, Deserializer};

    /// Parses one time value; `None` when it is none of the accepted forms.
    pub fn parse(value: &serde_json::Value) -> Option<DateTime<Utc>> {
        match value {
            serde_json::Value::Number(n) => from_epoch(n.as_f64()?),
            serde_json::Value::String(s) => {
                let s = s.trim();
                if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                    return Some(t.with_timezone(&Utc));
                }
                for format in [
                    "%Y-%m-%d %H:%M:%S",
                    "%Y-%m-%dT%H:%M:%S",
                    "%Y-%m-%d %H:%M:%S%.f",
                ] {
                    if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
                        return Some(Utc.from_utc_datetime(&t));
                    }
                }
                from_epoch(s.parse::<f64>().ok()?)
            }
            _ => None,
        }
    }

    /// Unix seconds, or milliseconds when the number is too large to be seconds of this era.
    fn from_epoch(n: f64) -> Option<DateTime<Utc>> {
        if !n.is_finite() || n < 0.0 {
            return None;
        }
        let millis = if n >= 1e11 { n } else { n * 1000.0 };
        DateTime::from_timestamp_millis(millis as i64)
    }

    /// serde `deserialize_with` for `Option<DateTime<Utc>>`.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Ok(parse(&serde_json::Value::deserialize(d)?))
    }
}

/// Sort key for list actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    /// By creation time.
    CreateTime,
    /// By last update time.
    UpdateTime,
}

/// Sort direction for list actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

/// Filter of `ListAssetGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupFilter {
    /// Substring of the group name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only these group ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Only groups of this type (the service lists one type per request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Filter of `ListAssets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssetFilter {
    /// Only assets of these groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Only assets in these states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<Status>>,
    /// Substring of the asset name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only assets of groups of this type (the service lists one type per request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Paging and sorting shared by the list actions. The service pages one of two ways (spec
/// section 12): by `PageNumber`/`PageSize` with a `TotalCount`, or by `MaxResults` and the
/// `NextToken` of the last answer; a first page asks both ways (each ignores the other's keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Paging {
    /// 1-based page number (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_number: Option<u32>,
    /// Page size (default 10, max 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Items a token page holds at most (1–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Where the last token page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Sort key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SortBy>,
    /// Sort direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

/// Largest page size the service accepts.
pub const MAX_PAGE_SIZE: u32 = 100;

impl Paging {
    /// The same page, sorted by `sort_by` in `order`.
    pub fn sorted(self, sort_by: SortBy, order: SortOrder) -> Self {
        Paging {
            sort_by: Some(sort_by),
            sort_order: Some(order),
            ..self
        }
    }
}

impl AssetFilter {
    /// Assets of one group (the catalog adds its type before asking).
    pub fn group(group_id: &str) -> Self {
        AssetFilter {
            group_ids: Some(vec![group_id.to_owned()]),
            ..AssetFilter::default()
        }
    }

    /// The one group the filter names, if it names exactly one.
    pub(crate) fn single_group(&self) -> Option<&str> {
        match self.group_ids.as_deref() {
            Some([one]) => Some(one),
            _ => None,
        }
    }
}

/// Request of `CreateAssetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAssetGroup {
    /// Group name (required, ≤ 64 characters).
    pub name: String,
    /// Description (≤ 300 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Group type: `AIGC` (a real person's group is made by a liveness check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

/// Request of `ListAssetGroups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAssetGroups {
    /// Filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<GroupFilter>,
    /// Paging and sorting.
    #[serde(flatten)]
    pub paging: Paging,
}

/// Request of `UpdateAssetGroup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAssetGroup {
    /// Group id.
    pub id: String,
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Request of `CreateAsset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAsset {
    /// Parent group (required in the domestic dialect; not sent to the global one).
    pub group_id: String,
    /// Public http(s) URL of the file.
    #[serde(rename = "URL")]
    pub url: String,
    /// Asset name (≤ 64 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Asset type: `Image`, `Video` or `Audio`.
    pub asset_type: String,
}

impl CreateAsset {
    /// An image asset request.
    pub fn image(
        group_id: impl Into<String>,
        url: impl Into<String>,
        name: Option<String>,
    ) -> Self {
        CreateAsset::of(crate::media::MediaKind::Image, group_id, url, name)
    }

    /// A request for an asset of `kind`.
    pub fn of(
        kind: crate::media::MediaKind,
        group_id: impl Into<String>,
        url: impl Into<String>,
        name: Option<String>,
    ) -> Self {
        CreateAsset {
            group_id: group_id.into(),
            url: url.into(),
            name,
            asset_type: kind.asset_type().into(),
        }
    }
}

/// Request of `ListAssets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAssets {
    /// Filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<AssetFilter>,
    /// Paging and sorting.
    #[serde(flatten)]
    pub paging: Paging,
}

/// Request of `UpdateAsset`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAsset {
    /// Asset id.
    pub id: String,
    /// New name.
    pub name: String,
}

/// Request of `CreateVisualValidateSession`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateVisualValidateSession {
    /// Where the H5 page sends the person afterwards (optional: a terminal has no address).
    #[serde(rename = "CallbackURL", skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

/// How long a liveness check's H5 link is said to stay valid (spec section 10): advice only,
/// since live use reports 120 s and about 30 min (section 12); the one result query decides.
pub(crate) const VERIFY_LINK_LIFETIME: std::time::Duration = std::time::Duration::from_secs(120);

/// The longest a liveness check's link is reported to work (about 30 min): waiting for the
/// user's word ends there.
pub(crate) const VERIFY_LINK_LONGEST: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A liveness-check session: the link for the person's phone and the single-use token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VisualValidateSession {
    /// The token; one `GetVisualValidateResult` consumes it.
    pub byted_token: String,
    /// The H5 page (valid 120 s); `lng=zh|en|zh-Hant` sets its language.
    #[serde(rename = "H5Link")]
    pub h5_link: String,
    /// The callback, when one was given.
    #[serde(rename = "CallbackURL", default)]
    pub callback_url: String,
}

/// Request of `GetVisualValidateResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetVisualValidateResult {
    /// The session's token.
    pub byted_token: String,
}

/// Result of `GetVisualValidateResult`: the new real-person group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VisualValidateResult {
    /// The `LivenessFace` group created for the person.
    pub group_id: String,
}

/// Request of the actions that take only an id (Get*/Delete*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ById {
    /// Resource id.
    pub id: String,
}

/// Result of the create actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Created {
    /// Id of the new resource.
    pub id: String,
}

/// One page of a list action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Page<T> {
    /// Items of this page (`null` reads as none).
    #[serde(
        default = "Vec::new",
        deserialize_with = "lenient::list",
        bound(deserialize = "T: Deserialize<'de>")
    )]
    pub items: Vec<T>,
    /// 1-based page number (page-number paging).
    #[serde(default)]
    pub page_number: u32,
    /// Page size (page-number paging).
    #[serde(default)]
    pub page_size: u32,
    /// Matching items over all pages (page-number paging; token pages have none).
    #[serde(default)]
    pub total_count: Option<u64>,
    /// Where the next token page starts; absent or empty on the last one.
    #[serde(default, deserialize_with = "lenient::token")]
    pub next_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_parses_with_unknown_status_and_missing_fields() {
        let a: Asset = serde_json::from_str(r#"{"Id":"asset-1","Status":"Frozen"}"#).unwrap();
        assert_eq!(a.status.name(), "Frozen", "kept as it came");
        assert_eq!(serde_json::to_value(a.status).unwrap(), "Frozen");
        assert_eq!(a.group_id, "");
        assert_eq!(a.reference(), "Asset://asset-1");
        assert!(serde_json::from_str::<Asset>(r#"{"Name":"x"}"#).is_err());
    }

    #[test]
    fn requests_serialise_pascal_case_without_nulls() {
        use crate::api::paging::Cursor;
        // As the client sends it: a JSON value, so its object keys are sorted.
        fn sent<T: Serialize>(req: &T) -> String {
            serde_json::to_value(req).unwrap().to_string()
        }
        // The bodies of the vendor's signing vectors (sign-vectors-sts.json) for the same pages.
        let groups = ListAssetGroups {
            filter: Some(GroupFilter {
                group_type: Some(GroupType::Aigc),
                ..Default::default()
            }),
            paging: Paging::at(&Cursor::Page(1)),
        };
        assert_eq!(
            sent(&groups),
            r#"{"Filter":{"GroupType":"AIGC"},"MaxResults":100,"PageNumber":1,"PageSize":100}"#
        );
        let assets = ListAssets {
            filter: Some(AssetFilter {
                group_type: Some(GroupType::Aigc),
                ..AssetFilter::group("group-20260602115008-abcde")
            }),
            paging: Paging::at(&Cursor::Token("eyJvZmZzZXQiOjEwMH0=".into()))
                .sorted(SortBy::UpdateTime, SortOrder::Desc),
        };
        assert_eq!(
            sent(&assets),
            r#"{"Filter":{"GroupIds":["group-20260602115008-abcde"],"GroupType":"AIGC"},"MaxResults":100,"NextToken":"eyJvZmZzZXQiOjEwMH0=","SortBy":"UpdateTime","SortOrder":"Desc"}"#
        );
        let create = CreateAsset::image("g", "https://x/y.png", None);
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            r#"{"GroupId":"g","URL":"https://x/y.png","AssetType":"Image"}"#
        );
    }

    #[test]
    fn actions_know_their_limits_and_whether_they_create() {
        assert!(Action::from_name("GetAsset").is_some_and(|a| a.qps() == 100));
        assert!(Action::CreateAsset.is_create() && !Action::UpdateAsset.is_create());
    }
}
