//! Values read as the service may send them (spec section 11): what cannot be what the field
//! holds reads as its empty value, not as a failure of the whole answer.

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
