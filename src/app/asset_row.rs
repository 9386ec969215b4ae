//! The assets pane's rows: what the TUI keeps of each asset, compact enough to hold 100,000.
//!
//! A listing's signed URLs are not kept: each is hundreds of bytes and expires in 12 h. The
//! selected asset's URL is fetched when it is needed (see [`super::urls`]).

use chrono::{DateTime, Utc};

use crate::api::model::{Asset, AssetError, Status, asset_reference, content_item};
use crate::media::MediaKind;

/// One asset of the open group, as the assets pane holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetRow {
    /// `asset-…` id.
    pub id: Box<str>,
    /// Display name.
    pub name: Box<str>,
    /// Asset type.
    pub kind: Kind,
    /// Processing state.
    pub status: Status,
    /// Creation time.
    pub created: Stamp,
    /// Last update time.
    pub updated: Stamp,
    /// Why processing failed, when `Failed`.
    pub error: Option<Box<AssetError>>,
    /// What few assets carry (boxed, so a row stays small).
    pub extra: Option<Box<Extra>>,
}

/// What few assets carry, kept apart from the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// The service's moderation verdict as one line of JSON, when it sent one.
    pub moderation: Option<Box<str>>,
    /// The last time Seedance used it, when the service said (GetAsset).
    pub used: Stamp,
}

impl From<Asset> for AssetRow {
    fn from(a: Asset) -> Self {
        // Fresh exact-size copies rather than `into_boxed_str`, whose in-place shrinking leaves
        // the answer's freed strings and the kept ones interleaved (measured: +13 MB at 100k).
        let moderation = a.moderation_text().map(|m| Box::from(m.as_str()));
        let used = Stamp::of(a.last_inference_time);
        let extra = (moderation.is_some() || used.time().is_some())
            .then(|| Box::new(Extra { moderation, used }));
        AssetRow {
            kind: Kind::of(&a.asset_type),
            id: Box::from(a.id.as_str()),
            name: Box::from(a.name.as_str()),
            status: a.status,
            created: Stamp::of(a.create_time),
            updated: Stamp::of(a.update_time),
            error: a.error.map(Box::new),
            extra,
        }
    }
}

impl AssetRow {
    /// The reference to use in Seedance requests: `Asset://<Id>`.
    pub fn reference(&self) -> String {
        asset_reference(&self.id)
    }

    /// The asset as the service sent it (what `--json` prints), in `group` of `project`, with
    /// its signed `url` when it is known (rows do not keep URLs).
    pub(crate) fn to_asset(&self, group: &str, project: &str, url: Option<String>) -> Asset {
        Asset {
            id: self.id.to_string(),
            name: self.name.to_string(),
            url: url.unwrap_or_default(),
            asset_type: self.kind.name().to_owned(),
            group_id: group.to_owned(),
            status: self.status,
            error: self.error.as_deref().cloned(),
            create_time: self.created.time(),
            update_time: self.updated.time(),
            project_name: project.to_owned(),
            moderation: self.moderation().and_then(|m| serde_json::from_str(m).ok()),
            last_inference_time: self.used(),
        }
    }

    /// The service's moderation verdict as one line of JSON, when it sent one.
    pub fn moderation(&self) -> Option<&str> {
        self.extra.as_ref()?.moderation.as_deref()
    }

    /// The last time Seedance used it, when the service said.
    pub fn used(&self) -> Option<DateTime<Utc>> {
        self.extra.as_ref()?.used.time()
    }

    /// The Seedance request content item for this asset, by its type.
    pub(crate) fn content_item(&self) -> serde_json::Value {
        content_item(self.kind.name(), &self.id)
    }
}

/// An asset type: one of the media kinds, or a name this client does not know, kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `Image`, `Video` or `Audio`.
    Media(MediaKind),
    /// Any other name the service sent.
    Other(Box<str>),
}

impl Kind {
    /// The kind the service's `AssetType` names.
    pub fn of(asset_type: &str) -> Kind {
        match MediaKind::of_asset_type(asset_type) {
            Some(k) => Kind::Media(k),
            None => Kind::Other(asset_type.into()),
        }
    }

    /// The media kind, when it is one.
    pub fn media(&self) -> Option<MediaKind> {
        match self {
            Kind::Media(k) => Some(*k),
            Kind::Other(_) => None,
        }
    }

    /// The type's name as the service spells it.
    pub fn name(&self) -> &str {
        match self {
            Kind::Media(k) => k.asset_type(),
            Kind::Other(name) => name,
        }
    }
}

/// A time to the second in eight bytes, or none. Orders as `Option` does: none first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(i64);

impl Stamp {
    const NONE: i64 = i64::MIN;

    /// The stamp of `time` (sub-second digits dropped).
    pub fn of(time: Option<DateTime<Utc>>) -> Stamp {
        Stamp(time.map_or(Stamp::NONE, |t| t.timestamp()))
    }

    /// The time, when there is one.
    pub fn time(self) -> Option<DateTime<Utc>> {
        (self.0 != Stamp::NONE)
            .then(|| DateTime::from_timestamp(self.0, 0))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_keeps_what_the_pane_shows_and_drops_the_url() {
        let asset = Asset {
            id: "asset-1".into(),
            name: "hero".into(),
            url: "https://cdn.example.com/a.png?X-Signature=s".into(),
            asset_type: "Video".into(),
            group_id: "group-1".into(),
            status: Status::Active,
            error: None,
            create_time: DateTime::from_timestamp(1_780_000_000, 0),
            update_time: None,
            project_name: "default".into(),
            moderation: Some(serde_json::json!({"Result": "pass"})),
            last_inference_time: DateTime::from_timestamp(1_780_003_600, 0),
        };
        let row = AssetRow::from(asset.clone());
        assert_eq!(&*row.id, "asset-1");
        assert_eq!(row.kind, Kind::Media(MediaKind::Video));
        assert_eq!(row.created.time(), asset.create_time);
        assert_eq!(row.updated.time(), None);
        assert!(
            row.updated < row.created,
            "none sorts first, as Option does"
        );
        assert_eq!(row.moderation(), Some(r#"{"Result":"pass"}"#));
        assert_eq!(row.used(), asset.last_inference_time);
        assert_eq!(
            row.to_asset("group-1", "default", None).last_inference_time,
            asset.last_inference_time
        );
        let item = crate::api::model::content_item(&asset.asset_type, &asset.id);
        assert_eq!(row.content_item(), item);
    }

    #[test]
    fn an_unknown_type_is_kept_as_sent() {
        let kind = Kind::of("Model3D");
        assert_eq!((kind.name(), kind.media()), ("Model3D", None));
        assert_eq!(Kind::of("image").name(), "Image");
    }

    #[test]
    fn a_row_is_small() {
        // What lets the pane hold 100,000 assets in a few MB (the strings come on top).
        assert!(std::mem::size_of::<AssetRow>() <= 96);
    }
}
