//! The statistics dashboard: the figures of `/v1/stats/overview` for a
//! period and a province, with charts drawn on the server (SVG for the
//! days, HTML bars that stay readable on a phone for the rest).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::{Nav, PortalUser, nav, respond};
use crate::actions::stats::{self, StatsQuery};
use crate::domain::account::User;
use crate::domain::rights;
use crate::domain::stats::{Count, DayCount, Overview, RecallReach, Scope};
use crate::pages::{is_vi, render, words};
use crate::state::{AppState, read};

struct DayBar {
    day: String,
    scans: u64,
    unregistered: u64,
    x: f64,
    w: f64,
    y: f64,
    h: f64,
    /// The unregistered part, drawn on top in red.
    uy: f64,
    uh: f64,
    title: String,
}

struct Tick {
    y: f64,
    label: String,
}

struct XLabel {
    x: f64,
    text: String,
}

struct DayChart {
    bars: Vec<DayBar>,
    ticks: Vec<Tick>,
    labels: Vec<XLabel>,
}

const DAY_W: f64 = 720.0;
const DAY_H: f64 = 220.0;
const DAY_LEFT: f64 = 40.0;
const DAY_BOTTOM: f64 = 24.0;

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

fn day_chart(days: &[DayCount], vi: bool) -> DayChart {
    let top = nice_max(days.iter().map(|d| d.scans).max().unwrap_or(0));
    let plot_h = DAY_H - DAY_BOTTOM - 8.0;
    let slot = (DAY_W - DAY_LEFT - 4.0) / days.len().max(1) as f64;
    let scale = |n: u64| n as f64 / top as f64 * plot_h;
    let base = DAY_H - DAY_BOTTOM;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (h, uh) = (scale(d.scans), scale(d.unregistered));
            let title = if vi {
                format!(
                    "{}: {} lượt quét, {} mã chưa đăng ký",
                    words::date_vn(&d.day),
                    d.scans,
                    d.unregistered
                )
            } else {
                format!("{}: {} scans, {} unregistered", d.day, d.scans, d.unregistered)
            };
            DayBar {
                day: d.day.clone(),
                scans: d.scans,
                unregistered: d.unregistered,
                x: round2(DAY_LEFT + i as f64 * slot + slot * 0.1),
                w: round2(slot * 0.8),
                y: round2(base - h),
                h: round2(h),
                uy: round2(base - h),
                uh: round2(uh),
                title,
            }
        })
        .collect();
    let ticks = (0..=4)
        .map(|k| {
            let value = top * k / 4;
            Tick { y: round2(base - scale(value)), label: words::number(value, vi) }
        })
        .collect();
    let every = days.len().div_ceil(6).max(1);
    let labels = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, d)| XLabel {
            x: round2(DAY_LEFT + i as f64 * slot + slot / 2.0),
            text: format!("{}/{}", &d.day[8..10], &d.day[5..7]),
        })
        .collect();
    DayChart { bars, ticks, labels }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One row of a horizontal bar chart (HTML, so its labels stay readable on
/// a phone); `pct` is the bar's length against the largest, leaving room
/// for the figure after it.
struct HBar {
    key: String,
    label: String,
    count: u64,
    pct: f64,
}

struct HChart {
    bars: Vec<HBar>,
}

fn h_chart(counts: &[Count], label: impl Fn(Option<&str>) -> String) -> HChart {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let bars = counts
        .iter()
        .map(|c| HBar {
            key: c.key.clone().unwrap_or_default(),
            label: label(c.key.as_deref()),
            count: c.count,
            pct: round2(85.0 * c.count as f64 / max as f64),
        })
        .collect();
    HChart { bars }
}

struct ProvinceRow {
    code: String,
    name: String,
    scans: u64,
    complaints: u64,
}

pub(super) struct RecallRow {
    pub(super) id: String,
    pub(super) severity_name: &'static str,
    pub(super) product: String,
    pub(super) gtin: String,
    pub(super) lots: String,
    pub(super) severity: String,
    pub(super) declared: String,
    pub(super) area: String,
    pub(super) scanned: u64,
    pub(super) notified: u64,
}

pub(super) fn recall_rows(items: &[RecallReach], vi: bool) -> Vec<RecallRow> {
    items
        .iter()
        .map(|r| RecallRow {
            id: r.id.clone(),
            severity_name: words::severity(&r.severity, vi),
            product: r.product_vi.clone().unwrap_or_default(),
            gtin: r.gtin.clone(),
            lots: r.lots.join(", "),
            severity: r.severity.clone(),
            declared: words::date_vn(&r.declared_at),
            area: match &r.province {
                Some(p) => words::province(Some(p), vi),
                None => (if vi { "Toàn quốc" } else { "Nationwide" }).to_owned(),
            },
            scanned: r.devices_scanned,
            notified: r.devices_notified,
        })
        .collect()
}

struct Figure {
    key: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "portal_dashboard.html")]
struct DashboardPage {
    vi: bool,
    nav: Option<Nav>,
    from: String,
    to: String,
    period: String,
    province: String,
    scope_name: String,
    pick_province: bool,
    provinces: Vec<(&'static str, &'static str)>,
    figures: Vec<Figure>,
    days: DayChart,
    by_province: HChart,
    by_category: HChart,
    complaint_categories: HChart,
    complaint_statuses: Vec<(String, u64)>,
    resolution: String,
    table: Vec<ProvinceRow>,
    recalls: Vec<RecallRow>,
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    from: Option<String>,
    to: Option<String>,
    province: Option<String>,
    lang: Option<String>,
}

pub async fn dashboard(
    State(state): State<Arc<AppState>>,
    PortalUser(me): PortalUser,
    headers: HeaderMap,
    Query(q): Query<DashboardQuery>,
) -> Response {
    let vi = is_vi(&headers, q.lang.as_deref());
    let asked = StatsQuery { from: q.from, to: q.to, province: q.province };
    let today = state.clock.now().vn_day();
    let who = me.clone();
    let figures = read(&state, move |s| {
        let scope = stats::scope(s, &who, &asked, &today)?;
        let overview = stats::overview(s, &scope)?;
        Ok((scope, overview))
    })
    .await;
    let page = figures.and_then(|(scope, o)| render(&dashboard_page(&me, vi, &scope, &o)));
    respond(vi, &me, page, q.lang.as_deref())
}

fn dashboard_page(me: &User, vi: bool, scope: &Scope, o: &Overview) -> DashboardPage {
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let s = &o.scans;
    let c = &o.complaints;
    let p = &o.participation;
    let mut figures = vec![
        Figure { key: "scans-total", label: t("Lượt quét", "Scans"), value: words::number(s.total, vi) },
        Figure {
            key: "scans-unregistered",
            label: t("Quét mã chưa đăng ký", "Scans of unregistered codes"),
            value: words::number(s.unregistered, vi),
        },
        Figure {
            key: "complaints-total",
            label: t("Phản ánh", "Complaints"),
            value: words::number(c.total, vi),
        },
        Figure {
            key: "complaints-open",
            label: t("Phản ánh chưa xử lý xong", "Complaints open"),
            value: words::number(c.open, vi),
        },
        Figure {
            key: "recalls", label: t("Thu hồi", "Recalls"), value: words::number(o.recalls.total, vi)
        },
        Figure {
            key: "companies",
            label: t("Doanh nghiệp", "Companies"),
            value: words::number(p.companies, vi),
        },
        Figure {
            key: "products", label: t("Sản phẩm", "Products"), value: words::number(p.products, vi)
        },
        Figure { key: "lots", label: t("Lô hàng", "Lots"), value: words::number(p.lots, vi) },
    ];
    if let Some(complete) = p.lots_complete_chain {
        figures.push(Figure {
            key: "lots-complete",
            label: t("Lô có chuỗi đầy đủ", "Lots with a complete chain"),
            value: words::number(complete, vi),
        });
    }
    // The table by province: every province with scans or complaints.
    let mut table: Vec<ProvinceRow> = Vec::new();
    for (counts, is_scan) in [(&s.by_province, true), (&c.by_province, false)] {
        for count in counts.iter() {
            let code = count.key.clone().unwrap_or_default();
            let row = match table.iter_mut().position(|r| r.code == code) {
                Some(i) => &mut table[i],
                None => {
                    table.push(ProvinceRow {
                        name: words::province(count.key.as_deref(), vi),
                        code,
                        scans: 0,
                        complaints: 0,
                    });
                    table.last_mut().expect("just pushed")
                }
            };
            if is_scan { row.scans = count.count } else { row.complaints = count.count }
        }
    }
    table.sort_by(|a, b| {
        b.scans.cmp(&a.scans).then(b.complaints.cmp(&a.complaints)).then(a.name.cmp(&b.name))
    });
    let resolution = match (c.median_hours_to_close, c.mean_hours_to_close) {
        (Some(median), Some(mean)) if vi => {
            format!(
                "{} phản ánh đã đóng; trung vị {median:.1} giờ, trung bình {mean:.1} giờ từ khi nhận",
                c.closed
            )
        }
        (Some(median), Some(mean)) => {
            format!("{} closed; median {median:.1} h, mean {mean:.1} h from filing", c.closed)
        }
        _ => t("Chưa có phản ánh nào được đóng trong kỳ.", "No complaint closed in the period.").to_owned(),
    };
    DashboardPage {
        vi,
        nav: Some(nav(me, vi, "/portal/dashboard")),
        from: scope.period.from.clone(),
        to: scope.period.to.clone(),
        period: format!("{} – {}", words::date_vn(&scope.period.from), words::date_vn(&scope.period.to)),
        province: scope.province.clone().unwrap_or_default(),
        scope_name: words::area(scope.province.as_deref(), vi),
        pick_province: rights::is_national(me),
        provinces: words::provinces(vi),
        figures,
        days: day_chart(&s.by_day, vi),
        by_province: h_chart(&s.by_province, |k| words::province(k, vi)),
        by_category: h_chart(&s.by_category, |k| words::product_category(k, vi)),
        complaint_categories: h_chart(&c.by_category, |k| {
            let (v, e) = words::complaint_category(k.unwrap_or(""));
            (if vi { v } else { e }).to_owned()
        }),
        complaint_statuses: c
            .by_status
            .iter()
            .map(|s| {
                let (v, e) = words::complaint_status(s.key.as_deref().unwrap_or(""));
                ((if vi { v } else { e }).to_owned(), s.count)
            })
            .collect(),
        resolution,
        table,
        recalls: recall_rows(&o.recalls.items, vi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes() {
        assert_eq!([0, 1, 3, 7, 20, 21, 480].map(nice_max), [1, 1, 5, 10, 20, 50, 500]);
    }

    #[test]
    fn a_day_chart_scales_to_its_largest_day() {
        let days = [("2026-11-01", 4, 1), ("2026-11-02", 0, 0), ("2026-11-03", 10, 0)]
            .map(|(d, s, u)| DayCount { day: d.into(), scans: s, unregistered: u });
        let chart = day_chart(&days, true);
        assert_eq!(chart.bars.len(), 3);
        let plot = DAY_H - DAY_BOTTOM - 8.0;
        assert_eq!(chart.bars[2].h, round2(plot), "10 is the top of a 0–10 axis");
        assert_eq!(chart.bars[1].h, 0.0);
        assert_eq!(chart.bars[0].uh, round2(plot / 10.0));
        assert_eq!(chart.ticks.last().map(|t| t.label.as_str()), Some("10"));
        assert_eq!(chart.labels[0].text, "01/11");
    }
}
