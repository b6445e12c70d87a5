//! Every Vietnamese and English word the pages show for a domain value
//! (roles, complaint categories and statuses, product categories, steps,
//! units, severities, results, provinces), and how each language writes
//! numbers, dates and times. The JSON API carries codes; people read these.

use crate::domain::account::Role;
use crate::domain::catalog::provinces;

/// `(vi, en)` as the page's language asks.
fn pick<T>(vi: bool, words: (T, T)) -> T {
    if vi { words.0 } else { words.1 }
}

pub fn role(role: Role, vi: bool) -> &'static str {
    pick(
        vi,
        match role.as_str() {
            "authority" => ("Cơ quan quản lý", "Authority"),
            "inspector" => ("Thanh tra, kiểm tra", "Inspector"),
            "enterprise" => ("Doanh nghiệp", "Enterprise"),
            "admin" => ("Quản trị", "Administrator"),
            "farmer" => ("Nông hộ", "Farmer"),
            "partner" => ("Hệ thống đối tác", "Partner system"),
            "certifier" => ("Tổ chức chứng nhận", "Certification body"),
            _ => ("Người tiêu dùng", "Consumer"),
        },
    )
}

/// Vietnamese and English names of a complaint category.
pub fn complaint_category(category: &str) -> (&'static str, &'static str) {
    match category {
        "counterfeit" => ("Nghi hàng giả", "Suspected counterfeit"),
        "quality_safety" => ("Chất lượng, an toàn thực phẩm", "Quality or food safety"),
        "labelling" => ("Nhãn mác", "Labelling"),
        "expired" => ("Hết hạn sử dụng", "Expired"),
        _ => ("Khác", "Other"),
    }
}

/// Vietnamese and English names of a complaint status.
pub fn complaint_status(status: &str) -> (&'static str, &'static str) {
    match status {
        "received" => ("Đã tiếp nhận", "Received"),
        "processing" => ("Đang xử lý", "Processing"),
        "resolved" => ("Đã giải quyết", "Resolved"),
        _ => ("Từ chối", "Rejected"),
    }
}

/// A product category (none: the scans of unregistered codes).
pub fn product_category(category: Option<&str>, vi: bool) -> String {
    let words = match category {
        Some("coffee") => ("Cà phê", "Coffee"),
        Some("tea") => ("Chè, trà", "Tea"),
        Some("rice") => ("Gạo", "Rice"),
        Some("fruit") => ("Trái cây", "Fruit"),
        Some("seafood") => ("Thủy sản", "Seafood"),
        Some("nuts") => ("Hạt", "Nuts"),
        Some("spice") => ("Gia vị", "Spices"),
        Some("condiment") => ("Nước chấm, gia vị lỏng", "Condiments"),
        Some(other) => return other.to_owned(),
        None => ("Mã chưa đăng ký", "Unregistered codes"),
    };
    pick(vi, words).to_owned()
}

/// A step of a product's story.
pub fn step(kind: &str, vi: bool) -> &'static str {
    pick(
        vi,
        match kind {
            "harvest" => ("Thu hoạch", "Harvest"),
            "farm_diary" => ("Nhật ký canh tác", "Farm diary"),
            "transformation" => ("Chế biến / đóng gói", "Processing / packing"),
            "shipping" => ("Xuất hàng", "Shipped"),
            "receiving" => ("Nhận hàng", "Received"),
            "inspection" => ("Kiểm tra", "Inspection"),
            _ => ("Sự kiện", "Event"),
        },
    )
}

/// Common units in Vietnamese; others as recorded.
pub fn unit_vi(unit: &str) -> &str {
    match unit {
        "box" => "hộp",
        "bag" => "bao",
        "bottle" => "chai",
        "pack" => "gói",
        "can" => "lon",
        "jar" => "hũ",
        "tray" => "khay",
        "piece" => "cái",
        "crate" => "thùng",
        other => other,
    }
}

/// A recall's severity.
pub fn severity(severity: &str, vi: bool) -> &'static str {
    pick(
        vi,
        match severity {
            "high" => ("Cao", "High"),
            "medium" => ("Trung bình", "Medium"),
            _ => ("Thấp", "Low"),
        },
    )
}

/// An inspection's result.
pub fn inspection_result(conformant: bool, vi: bool) -> &'static str {
    pick(vi, if conformant { ("Đạt", "Conformant") } else { ("Không đạt", "Non-conformant") })
}

/// A province by its code ("unknown" when none or not a province).
pub fn province(code: Option<&str>, vi: bool) -> String {
    match code.and_then(provinces::province) {
        Some(names) => pick(vi, names).to_owned(),
        None => pick(vi, ("Chưa rõ", "Unknown")).to_owned(),
    }
}

/// An area: a province, or (none) the whole country.
pub fn area(province_code: Option<&str>, vi: bool) -> String {
    match province_code {
        Some(code) => province(Some(code), vi),
        None => pick(vi, ("Toàn quốc", "Whole country")).to_owned(),
    }
}

/// The provinces for a picker: `(code, name)`.
pub fn provinces(vi: bool) -> Vec<(&'static str, &'static str)> {
    provinces::PROVINCES.iter().map(|p| (p.0, pick(vi, (p.1, p.2)))).collect()
}

/// Thousands grouped the Vietnamese way (1.234) or the English way (1,234).
pub fn number(n: u64, vi: bool) -> String {
    let digits = n.to_string();
    let sep = if vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `YYYY-MM-DD…` as `DD/MM/YYYY`.
pub fn date_vn(d: &str) -> String {
    match (d.get(0..4), d.get(5..7), d.get(8..10)) {
        (Some(y), Some(m), Some(day)) => format!("{day}/{m}/{y}"),
        _ => d.to_owned(),
    }
}

/// An RFC 3339 UTC time as Viet Nam's wall clock, `DD/MM/YYYY HH:MM`.
pub fn vn_time(t: &str) -> String {
    match crate::clock::Moment::parse(t) {
        Some(m) => {
            let local =
                crate::clock::Moment::from_unix_ms(m.unix_ms() + crate::clock::VN_OFFSET_MS).rfc3339();
            format!("{} {}", date_vn(&local), &local[11..16])
        }
        None => t.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_names() {
        assert_eq!(number(1234567, true), "1.234.567");
        assert_eq!(number(1234, false), "1,234");
        assert_eq!(number(999, true), "999");
        assert_eq!(vn_time("2026-11-26T18:30:00.000Z"), "27/11/2026 01:30");
        assert_eq!(vn_time("not a time"), "not a time");
        assert_eq!(date_vn("2026-12-04"), "04/12/2026");
        assert_eq!(area(None, true), "Toàn quốc");
        assert_eq!(province(Some("99"), false), "Unknown");
        for r in Role::ALL {
            assert_ne!(role(r, true), role(r, false), "{r} has a name in each language");
        }
        assert_eq!(role(Role::Consumer, true), "Người tiêu dùng");
    }
}
