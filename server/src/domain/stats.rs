//! Statistics for policy: scans by day, province and category, scans of
//! unregistered codes, complaints and how long they take, recalls and whom
//! they reached, and who takes part.
//!
//! Invariant: pure; the figures come from the store's facts (`scan_facts`,
//! complaints, recalls, the catalog), never from payloads read here; who may
//! see which province is `rights::see_statistics`. Days are Vietnamese
//! calendar days (UTC+7).

use serde::{Deserialize, Serialize};

/// The longest period one request may cover.
pub const MAX_DAYS: i64 = 366;
/// The default period: this many days, ending with the last day with scans.
pub const DEFAULT_DAYS: i64 = 30;
/// Above this many lots in scope, chain completeness is not computed per
/// request: it resolves each lot's provenance (about a millisecond each).
pub const MAX_CHAIN_CHECKS: u64 = 1_000;
/// The scans one account makes in one day (Viet Nam) that count in the
/// figures; the rest are kept, but one account cannot weigh on a
/// province's figures (1,000 fake scans in one push did).
pub const MAX_COUNTED_SCANS_PER_DAY: i64 = 200;

/// Inclusive range of days, `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    pub from: String,
    pub to: String,
}

impl Period {
    /// Every day of the period, in order.
    pub fn days(&self) -> Vec<String> {
        let (Some(from), Some(to)) = (day_number(&self.from), day_number(&self.to)) else {
            return Vec::new();
        };
        (from..=to).map(day_string).collect()
    }
}

/// What a request covers: a period and a province (none: the whole country).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub period: Period,
    pub province: Option<String>,
}

/// Why a statistics request is refused: a bad date, an empty or too long
/// period, an unknown province.
#[derive(Debug, PartialEq, Eq)]
pub enum StatsError {
    Invalid(String),
}

/// A count under a key (a province code, a category, a status …); `key` is
/// null for "unknown".
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub key: Option<String>,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DayCount {
    pub day: String,
    pub scans: u64,
    pub unregistered: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScanStats {
    pub total: u64,
    /// Scans of codes no product in the catalog had when the scan arrived.
    pub unregistered: u64,
    /// Every day of the period, days without scans included.
    pub by_day: Vec<DayCount>,
    /// Where scanned: nearest catalog location's province, else the
    /// scanner's account province; null when neither is known.
    pub by_province: Vec<Count>,
    /// Product category; null for unregistered codes.
    pub by_category: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ComplaintStats {
    /// Filed in the period (in the province, when scoped).
    pub total: u64,
    /// Of those, still received or processing.
    pub open: u64,
    pub by_category: Vec<Count>,
    pub by_status: Vec<Count>,
    pub by_province: Vec<Count>,
    /// Of those, resolved or rejected, and the hours from filing to that.
    pub closed: u64,
    pub median_hours_to_close: Option<f64>,
    pub mean_hours_to_close: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RecallReach {
    pub id: String,
    pub gtin: String,
    pub product_vi: Option<String>,
    pub lots: Vec<String>,
    pub severity: String,
    pub declared_at: String,
    /// Null for a nationwide recall.
    pub province: Option<String>,
    /// Devices whose journals hold a scan of an affected lot.
    pub devices_scanned: u64,
    /// Of those, devices that have since pulled the recall.
    pub devices_notified: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RecallStats {
    /// Declared in the period (nationwide ones and the province's, when scoped).
    pub total: u64,
    pub items: Vec<RecallReach>,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Participation {
    /// Companies registered in the province (or the country).
    pub companies: u64,
    /// Their products and lots.
    pub products: u64,
    pub lots: u64,
    /// Lots whose chain from farm to shop has no gap; null when there are
    /// more lots in scope than [`MAX_CHAIN_CHECKS`].
    pub lots_complete_chain: Option<u64>,
    /// Phones that have synced, and accounts by role (not scoped).
    pub devices: u64,
    pub accounts_by_role: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub period: Period,
    pub province: Option<String>,
    pub scans: ScanStats,
    pub complaints: ComplaintStats,
    pub recalls: RecallStats,
    pub participation: Participation,
}

/// The asked period, and the province (none: the whole country) the
/// account may see (`rights::see_statistics` decides it): by default the
/// [`DEFAULT_DAYS`] days up to the last day with scans (or `today`).
pub fn scope(
    from: Option<&str>,
    to: Option<&str>,
    province: Option<String>,
    latest_day: Option<String>,
    today: &str,
) -> std::result::Result<Scope, StatsError> {
    if let Some(p) = &province
        && crate::domain::catalog::provinces::province(p).is_none()
    {
        return Err(StatsError::Invalid(format!("unknown province code {p:?}")));
    }
    let parse = |name: &str, d: &str| {
        day_number(d)
            .ok_or_else(|| StatsError::Invalid(format!("{name} must be a date YYYY-MM-DD, not {d:?}")))
    };
    let to = match to.filter(|d| !d.is_empty()) {
        Some(d) => parse("to", d)?,
        None => latest_day
            .as_deref()
            .or(Some(today))
            .and_then(day_number)
            .ok_or_else(|| StatsError::Invalid(format!("today {today:?} is not a date")))?,
    };
    let from = match from.filter(|d| !d.is_empty()) {
        Some(d) => parse("from", d)?,
        None => to - (DEFAULT_DAYS - 1),
    };
    if from > to {
        return Err(StatsError::Invalid("from is after to".into()));
    }
    if to - from + 1 > MAX_DAYS {
        return Err(StatsError::Invalid(format!("a period covers at most {MAX_DAYS} days")));
    }
    Ok(Scope { period: Period { from: day_string(from), to: day_string(to) }, province })
}

/// The [`MAX_DAYS`] days up to `today`.
pub fn last_year(today: &str) -> Period {
    let to = day_number(today).unwrap_or(0);
    Period { from: day_string(to - (MAX_DAYS - 1)), to: day_string(to) }
}

/// Median and mean of durations in hours.
pub fn median_mean(mut hours: Vec<f64>) -> (Option<f64>, Option<f64>) {
    if hours.is_empty() {
        return (None, None);
    }
    hours.sort_by(f64::total_cmp);
    let n = hours.len();
    let median = if n % 2 == 1 { hours[n / 2] } else { (hours[n / 2 - 1] + hours[n / 2]) / 2.0 };
    let mean = hours.iter().sum::<f64>() / n as f64;
    (Some(round1(median)), Some(round1(mean)))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Days since 1970-01-01 of a strict `YYYY-MM-DD` date.
fn day_number(d: &str) -> Option<i64> {
    if !truyxuat_core::journal::valid_date(d) {
        return None;
    }
    let secs = truyxuat_core::journal::parse_rfc3339(&format!("{d}T00:00:00Z"))?;
    Some(secs.div_euclid(86_400))
}

fn day_string(n: i64) -> String {
    truyxuat_core::journal::format_unix_ms(n * 86_400_000)[..10].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-12-04";

    #[test]
    fn periods() {
        let s = scope(None, None, None, Some("2026-11-26".into()), TODAY).unwrap();
        assert_eq!(s.period, Period { from: "2026-10-28".into(), to: "2026-11-26".into() });
        assert_eq!((s.period.days().len(), s.province), (30, None));
        let s = scope(Some("2024-02-28"), Some("2024-03-01"), Some("66".into()), None, TODAY).unwrap();
        assert_eq!(s.period.days(), ["2024-02-28", "2024-02-29", "2024-03-01"]);
        assert_eq!(s.province.as_deref(), Some("66"));
        for (from, to) in
            [("2026-11-02", "2026-11-01"), ("2026-13-01", "2026-11-01"), ("2024-01-01", "2025-12-31")]
        {
            assert!(matches!(scope(Some(from), Some(to), None, None, TODAY), Err(StatsError::Invalid(_))));
        }
        assert!(matches!(scope(None, None, Some("99".into()), None, TODAY), Err(StatsError::Invalid(_))));
    }

    #[test]
    fn medians() {
        assert_eq!(median_mean(vec![]), (None, None));
        assert_eq!(median_mean(vec![5.0, 1.0, 3.0]), (Some(3.0), Some(3.0)));
        assert_eq!(median_mean(vec![4.0, 1.0, 2.0, 10.0]), (Some(3.0), Some(4.3)));
    }
}
