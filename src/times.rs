//! How times are shown: in the user's zone (the system's, honouring `TZ`), marked with their
//! offset where there is room, or as an age (`5m`, `3h`, `2d`, as k9s shows them) where a
//! column is narrow. The service's times are UTC; `--json` keeps them so (RFC 3339).

use chrono::{DateTime, FixedOffset, Local, Utc};

/// The zone times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// The system's (`TZ`, else `/etc/localtime`).
    #[default]
    Local,
    /// A fixed offset (tests, and anyone who asks for one).
    Fixed(FixedOffset),
}

impl Zone {
    /// `t` in this zone.
    fn of(self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self {
            Zone::Local => t.with_timezone(&Local).fixed_offset(),
            Zone::Fixed(offset) => t.with_timezone(&offset),
        }
    }

    /// `11-29 18:55`: month, day and minute, for a table column.
    pub fn short(self, t: DateTime<Utc>) -> String {
        self.of(t).format("%m-%d %H:%M").to_string()
    }

    /// `2026-11-29 18:55`: a date and minute, for a table.
    pub fn minute(self, t: DateTime<Utc>) -> String {
        self.of(t).format("%Y-%m-%d %H:%M").to_string()
    }

    /// `2026-11-29 18:55:03 +08:00`: a whole time with its offset.
    pub fn long(self, t: DateTime<Utc>) -> String {
        self.of(t).format("%Y-%m-%d %H:%M:%S %:z").to_string()
    }

    /// `18:55:03`: the time of day (the messages log).
    pub fn clock(self, t: DateTime<Utc>) -> String {
        self.of(t).format("%H:%M:%S").to_string()
    }
}

/// How long before `now` `t` was, in one unit: `42s`, `5m`, `3h`, `2d`, `7w`, `2y` (a time
/// ahead of `now` is `0s`).
pub(crate) fn age(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds().max(0);
    let (n, unit) = match secs {
        s if s < 60 => (s, "s"),
        s if s < 3600 => (s / 60, "m"),
        s if s < 86_400 => (s / 3600, "h"),
        s if s < 14 * 86_400 => (s / 86_400, "d"),
        s if s < 365 * 86_400 => (s / (7 * 86_400), "w"),
        s => (s / (365 * 86_400), "y"),
    };
    format!("{n}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn times_show_in_the_zone_and_ages_in_one_unit() {
        let t = at("2026-11-29T10:55:03Z");
        let shanghai = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(shanghai.short(t), "11-29 18:55");
        assert_eq!(shanghai.long(t), "2026-11-29 18:55:03 +08:00");
        assert_eq!(
            Zone::Fixed(FixedOffset::east_opt(0).unwrap()).minute(t),
            "2026-11-29 10:55"
        );
        let now = at("2026-11-29T12:00:00Z");
        assert_eq!(age(now, t), "1h");
        assert_eq!(age(now, at("2026-11-29T11:59:18Z")), "42s");
        assert_eq!(age(now, at("2026-11-27T11:00:00Z")), "2d");
        assert_eq!(age(now, at("2026-09-01T00:00:00Z")), "12w");
        assert_eq!(age(now, at("2024-01-01T00:00:00Z")), "2y");
        assert_eq!(age(t, now), "0s");
    }
}
