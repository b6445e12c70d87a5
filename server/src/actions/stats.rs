//! Statistics for policy, from the store's facts: the figures of a scope,
//! with the days without scans filled in, recalls with their reach, and
//! participation with chain completeness.

use serde::Deserialize;

use crate::actions::Error;
use crate::domain::account::User;
use crate::domain::rights;
use crate::domain::stats::{
    self, ComplaintStats, DayCount, MAX_CHAIN_CHECKS, Overview, Participation, RecallStats, ScanStats, Scope,
    StatsError,
};
use crate::store::{Result, Store};

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD` (Viet Nam time); default: 29 days before `to`.
    pub from: Option<String>,
    /// Last day; default: the last day with scans (today when none).
    pub to: Option<String>,
    /// A province code; default: the whole country (a provincial account: its province).
    pub province: Option<String>,
}

/// The scope of a request by `me` (refused before any figure is computed);
/// `today` is the Viet Nam day.
pub fn scope(store: &dyn Store, me: &User, q: &StatsQuery, today: &str) -> crate::actions::Result<Scope> {
    let province = rights::see_statistics(me, q.province.as_deref())?;
    // The last day with scans is needed only when no end day is asked for.
    let latest = match q.to.as_deref().filter(|t| !t.is_empty()) {
        Some(_) => None,
        None => store.latest_scan_day()?,
    };
    stats::scope(q.from.as_deref(), q.to.as_deref(), province, latest, today).map_err(|e| match e {
        StatsError::Invalid(why) => Error::bad_request("invalid_query", why),
    })
}

/// Complaints filed in the scope, by category, status and province.
pub fn complaints(store: &dyn Store, scope: &Scope) -> Result<ComplaintStats> {
    store.complaint_stats(scope)
}

/// Everything for the dashboard.
pub fn overview(store: &dyn Store, scope: &Scope) -> Result<Overview> {
    Ok(Overview {
        period: scope.period.clone(),
        province: scope.province.clone(),
        scans: scans(store, scope)?,
        complaints: store.complaint_stats(scope)?,
        recalls: recalls(store, scope)?,
        participation: participation(store, scope)?,
    })
}

/// Scans, with every day of the period present.
pub fn scans(store: &dyn Store, scope: &Scope) -> Result<ScanStats> {
    let mut stats = store.scan_stats(scope)?;
    let mut days = std::mem::take(&mut stats.by_day).into_iter().peekable();
    stats.by_day = scope
        .period
        .days()
        .into_iter()
        .map(|day| match days.next_if(|d| d.day == day) {
            Some(found) => found,
            None => DayCount { day, scans: 0, unregistered: 0 },
        })
        .collect();
    Ok(stats)
}

/// Recalls with their reach: the devices that scanned an affected lot or a
/// lot made from one (as the recall's notification counts them), and which
/// of those have pulled it since.
pub fn recalls(store: &dyn Store, scope: &Scope) -> Result<RecallStats> {
    let mut stats = store.recall_stats(scope)?;
    for item in &mut stats.items {
        let mut devices = std::collections::BTreeSet::new();
        for lot in &item.lots {
            devices.extend(crate::actions::provenance::reach(store, &item.gtin, lot)?.devices);
        }
        let devices: Vec<String> = devices.into_iter().collect();
        item.devices_scanned = devices.len() as u64;
        item.devices_notified = store.recall_received(&item.id, &devices)?;
    }
    Ok(stats)
}

/// Participation, with chain completeness resolved lot by lot when the
/// scope is small enough.
pub fn participation(store: &dyn Store, scope: &Scope) -> Result<Participation> {
    let mut p = store.participation(scope.province.as_deref())?;
    if p.lots <= MAX_CHAIN_CHECKS {
        // Chain completeness does not depend on the day; the period's end stands for it.
        let today = scope.period.to.clone();
        let mut complete = 0;
        for (gtin, lot) in store.lots_in(scope.province.as_deref())? {
            let code = format!("(01){gtin}(10){lot}");
            if crate::actions::provenance::resolve(store, &code, &today)?.chain.complete {
                complete += 1;
            }
        }
        p.lots_complete_chain = Some(complete);
    }
    Ok(p)
}
