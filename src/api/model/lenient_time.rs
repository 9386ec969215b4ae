//! Times as the service writes them, read leniently (spec section 11): RFC 3339 with any
//! offset, `YYYY-MM-DD HH:MM:SS` (UTC), or Unix seconds or milliseconds, as a number or a
//! string. Anything else reads as no time rather than failing the whole answer.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer};

/// Parses one time value; `None` when it is none of the accepted forms.
pub(crate) fn parse(value: &serde_json::Value) -> Option<DateTime<Utc>> {
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
