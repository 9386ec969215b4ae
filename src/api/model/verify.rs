//! The liveness check's requests and answers (spec section 10).

use serde::{Deserialize, Serialize};

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

/// The language of the liveness check's H5 page (its link's `lng`, spec 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum H5Lang {
    /// English (the TUI's own language).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
    /// Traditional Chinese.
    ZhHant,
}

impl H5Lang {
    /// Every language, in the order a key cycles them.
    pub const ALL: [H5Lang; 3] = [H5Lang::En, H5Lang::Zh, H5Lang::ZhHant];

    /// The `lng` value: `en`, `zh`, `zh-Hant`.
    pub fn code(self) -> &'static str {
        match self {
            H5Lang::En => "en",
            H5Lang::Zh => "zh",
            H5Lang::ZhHant => "zh-Hant",
        }
    }

    /// Its name in itself: `English`, `简体中文`, `繁體中文`.
    pub fn name(self) -> &'static str {
        match self {
            H5Lang::En => "English",
            H5Lang::Zh => "简体中文",
            H5Lang::ZhHant => "繁體中文",
        }
    }

    /// The language after this one.
    pub fn next(self) -> H5Lang {
        let at = H5Lang::ALL.iter().position(|l| *l == self).unwrap_or(0);
        H5Lang::ALL[(at + 1) % H5Lang::ALL.len()]
    }

    /// The language `code` names (`zh`, `en`, `zh-Hant`).
    pub fn parse(code: &str) -> Result<H5Lang, String> {
        H5Lang::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
            .ok_or_else(|| {
                format!(
                    "{:?} is not a language of the page; use zh, en or zh-Hant",
                    crate::text::visible(code)
                )
            })
    }

    /// `link` with its `lng` set to this language (a link that is no URL as it is).
    pub fn on(self, link: &str) -> String {
        let Ok(mut url) = url::Url::parse(link) else {
            return link.to_owned();
        };
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "lng")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(pairs)
            .append_pair("lng", self.code());
        url.to_string()
    }
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
