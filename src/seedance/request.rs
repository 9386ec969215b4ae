//! The create request's body in the order spec section 14 gives: the model, then `content`
//! (text, images, videos, audios; `role` beside `type`; `asset://` in lower case), then the
//! settings.

use serde::Serialize;

/// What a reference is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An image the video draws on.
    ReferenceImage,
    /// A video the video draws on.
    ReferenceVideo,
    /// A sound the video draws on.
    ReferenceAudio,
    /// The video's first frame.
    FirstFrame,
    /// The video's last frame.
    LastFrame,
}

impl Role {
    /// The content item's `type` this role goes with.
    fn item_type(self) -> &'static str {
        match self {
            Role::ReferenceVideo => "video_url",
            Role::ReferenceAudio => "audio_url",
            Role::ReferenceImage | Role::FirstFrame | Role::LastFrame => "image_url",
        }
    }
}

/// A URL as the content item holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlRef {
    /// `asset://<Id>`.
    pub url: String,
}

/// One item of `content`: fields in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentItem {
    /// `text`, `image_url`, `video_url` or `audio_url`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// What a reference is for (beside `type`, not inside the URL object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<UrlRef>,
    /// A video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_url: Option<UrlRef>,
    /// A sound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<UrlRef>,
}

impl ContentItem {
    /// The prompt's item.
    pub fn text(prompt: &str) -> Self {
        ContentItem {
            kind: "text",
            role: None,
            text: Some(prompt.to_owned()),
            image_url: None,
            video_url: None,
            audio_url: None,
        }
    }

    /// Asset `id` in `role`, as `asset://<id>` (lower case, as the vendor's guides write it).
    pub fn asset(role: Role, id: &str) -> Self {
        let url = Some(UrlRef {
            url: format!("asset://{id}"),
        });
        let kind = role.item_type();
        ContentItem {
            kind,
            role: Some(role),
            text: None,
            image_url: if kind == "image_url" {
                url.clone()
            } else {
                None
            },
            video_url: if kind == "video_url" {
                url.clone()
            } else {
                None
            },
            audio_url: if kind == "audio_url" { url } else { None },
        }
    }
}

/// `POST /contents/generations/tasks`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateTask {
    /// The model's id (`doubao-seedance-2-0-260128`, …).
    pub model: String,
    /// Text, then images, videos, audios.
    pub content: Vec<ContentItem>,
    /// `16:9`, `9:16`, `1:1`, `adaptive`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// `480p`, `720p`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Seconds (4–15; 2.5: 4–30 or -1 for the model to choose).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Whether the video has sound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_written_in_order_with_the_role_beside_the_type() {
        let item =
            serde_json::to_string(&ContentItem::asset(Role::ReferenceVideo, "asset-1")).unwrap();
        assert_eq!(
            item,
            r#"{"type":"video_url","role":"reference_video","video_url":{"url":"asset://asset-1"}}"#
        );
        let first =
            serde_json::to_string(&ContentItem::asset(Role::FirstFrame, "asset-2")).unwrap();
        assert_eq!(
            first,
            r#"{"type":"image_url","role":"first_frame","image_url":{"url":"asset://asset-2"}}"#
        );
    }
}
