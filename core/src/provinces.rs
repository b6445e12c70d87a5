//! Viet Nam's 34 provincial-level units as they stand since the merger of
//! 1 July 2025 (Resolution 202/2025/QH15), with their administrative codes.

/// `(code, Vietnamese name, English name)`.
pub const PROVINCES: [(&str, &str, &str); 34] = [
    ("01", "Thành phố Hà Nội", "Ha Noi"),
    ("04", "Tỉnh Cao Bằng", "Cao Bang"),
    ("08", "Tỉnh Tuyên Quang", "Tuyen Quang"),
    ("11", "Tỉnh Điện Biên", "Dien Bien"),
    ("12", "Tỉnh Lai Châu", "Lai Chau"),
    ("14", "Tỉnh Sơn La", "Son La"),
    ("15", "Tỉnh Lào Cai", "Lao Cai"),
    ("19", "Tỉnh Thái Nguyên", "Thai Nguyen"),
    ("20", "Tỉnh Lạng Sơn", "Lang Son"),
    ("22", "Tỉnh Quảng Ninh", "Quang Ninh"),
    ("24", "Tỉnh Bắc Ninh", "Bac Ninh"),
    ("25", "Tỉnh Phú Thọ", "Phu Tho"),
    ("31", "Thành phố Hải Phòng", "Hai Phong"),
    ("33", "Tỉnh Hưng Yên", "Hung Yen"),
    ("37", "Tỉnh Ninh Bình", "Ninh Binh"),
    ("38", "Tỉnh Thanh Hóa", "Thanh Hoa"),
    ("40", "Tỉnh Nghệ An", "Nghe An"),
    ("42", "Tỉnh Hà Tĩnh", "Ha Tinh"),
    ("44", "Tỉnh Quảng Trị", "Quang Tri"),
    ("46", "Thành phố Huế", "Hue"),
    ("48", "Thành phố Đà Nẵng", "Da Nang"),
    ("51", "Tỉnh Quảng Ngãi", "Quang Ngai"),
    ("52", "Tỉnh Gia Lai", "Gia Lai"),
    ("56", "Tỉnh Khánh Hòa", "Khanh Hoa"),
    ("66", "Tỉnh Đắk Lắk", "Dak Lak"),
    ("68", "Tỉnh Lâm Đồng", "Lam Dong"),
    ("75", "Tỉnh Đồng Nai", "Dong Nai"),
    ("79", "Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("80", "Tỉnh Tây Ninh", "Tay Ninh"),
    ("82", "Tỉnh Đồng Tháp", "Dong Thap"),
    ("86", "Tỉnh Vĩnh Long", "Vinh Long"),
    ("91", "Tỉnh An Giang", "An Giang"),
    ("92", "Thành phố Cần Thơ", "Can Tho"),
    ("96", "Tỉnh Cà Mau", "Ca Mau"),
];

/// The unit with this code.
pub fn province(code: &str) -> Option<(&'static str, &'static str)> {
    PROVINCES.iter().find(|p| p.0 == code).map(|p| (p.1, p.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_four_units_six_of_them_cities() {
        let mut codes: Vec<_> = PROVINCES.iter().map(|p| p.0).collect();
        codes.dedup();
        assert_eq!(codes.len(), 34);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(PROVINCES.iter().filter(|p| p.1.starts_with("Thành phố")).count(), 6);
        assert_eq!(province("66"), Some(("Tỉnh Đắk Lắk", "Dak Lak")));
    }
}
