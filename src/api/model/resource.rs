//! The resources: [`Asset`], [`AssetGroup`], what a create answers and a page of a listing;
//! references to assets (`Asset://<Id>`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Status, lenient, lenient_time};

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

impl AssetError {
    /// An error in the one shape every `--json` output gives an error, the service's own for
    /// an asset's: `{"Code": code, "Message": message}`. `code` is the vendor's where there is
    /// one, else a word for what kind of failure this client met (`Invalid`, `Failed`, …).
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> AssetError {
        AssetError {
            code: code.into(),
            message: message.into(),
        }
    }
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
    /// The last time Seedance used the asset, when the service says (GetAsset, spec 13): what
    /// tells which assets are in use before deleting.
    #[serde(
        default,
        deserialize_with = "lenient_time::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_inference_time: Option<DateTime<Utc>>,
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
