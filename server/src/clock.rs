//! The wall clock. With the store's record times (`store::record_time`),
//! this is the only code in the server that reads the system time; the
//! rest is handed a [`Moment`].
//!
//! "Today" is a day in Viet Nam (UTC+7): lot expiry, certificate validity
//! and statistics' days all use it.

use truyxuat_core::journal::format_unix_ms;

/// Viet Nam's offset from UTC (no daylight saving time).
pub const VN_OFFSET_MS: i64 = 7 * 3_600_000;

/// A moment, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(i64);

impl Moment {
    pub fn from_unix_ms(ms: i64) -> Moment {
        Moment(ms)
    }

    /// An RFC 3339 time (any offset).
    pub fn parse(rfc3339: &str) -> Option<Moment> {
        truyxuat_core::journal::parse_rfc3339(rfc3339).map(|s| Moment(s * 1000))
    }

    pub fn unix_ms(self) -> i64 {
        self.0
    }

    pub fn unix_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub fn rfc3339(self) -> String {
        format_unix_ms(self.0)
    }

    /// The day in Viet Nam, `YYYY-MM-DD`.
    pub fn vn_day(self) -> String {
        format_unix_ms(self.0 + VN_OFFSET_MS)[..10].to_owned()
    }
}

/// Where the time comes from: the system, or a fixed moment (tests and
/// golden answers).
#[derive(Clone, Copy, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(Moment),
}

impl Clock {
    pub fn now(self) -> Moment {
        match self {
            Clock::System => now(),
            Clock::Fixed(m) => m,
        }
    }
}

/// The system's time.
pub fn now() -> Moment {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Moment(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viet_nam_day_starts_at_17_utc() {
        let before = Moment::parse("2026-12-03T16:59:59Z").unwrap();
        let after = Moment::parse("2026-12-03T17:00:00Z").unwrap();
        assert_eq!((before.vn_day().as_str(), after.vn_day().as_str()), ("2026-12-03", "2026-12-04"));
        assert_eq!(after.rfc3339(), "2026-12-03T17:00:00.000Z");
        assert_eq!(Clock::Fixed(after).now(), after);
    }
}
