//! Reference code lists for the GS1 Application Identifier linters.
//!
//! Facts taken from ISO 3166-1 (country codes), ISO 4217 (currency codes),
//! UN/ECE Recommendation 21 (package type codes, with the GS1 `PackageTypeCode`
//! additions) and the GS1 Company Prefix list. Written for truyxuat; the lists
//! are plain data (no code from other projects) and reflect the published
//! lists as known in 2024-2025. Every list is sorted so that lookups can use
//! binary search; the unit tests at the bottom enforce that.

use std::cmp::Ordering;

/// ISO 3166-1 numeric country codes (ISO 3166-1:2020 with the ISO 3166/MA
/// updates through 2024): the 249 officially assigned codes, withdrawn codes
/// excluded. Sorted ascending.
pub(crate) static ISO3166_NUMERIC: &[u16] = &[
    4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70, 72, 74, 76, 84, 86,
    90, 92, 96, 100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148, 152, 156, 158, 162, 166, 170,
    174, 175, 178, 180, 184, 188, 191, 192, 196, 203, 204, 208, 212, 214, 218, 222, 226, 231, 232, 233, 234,
    238, 239, 242, 246, 248, 250, 254, 258, 260, 262, 266, 268, 270, 275, 276, 288, 292, 296, 300, 304, 308,
    312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348, 352, 356, 360, 364, 368, 372, 376, 380, 384, 388,
    392, 398, 400, 404, 408, 410, 414, 417, 418, 422, 426, 428, 430, 434, 438, 440, 442, 446, 450, 454, 458,
    462, 466, 470, 474, 478, 480, 484, 492, 496, 498, 499, 500, 504, 508, 512, 516, 520, 524, 528, 531, 533,
    534, 535, 540, 548, 554, 558, 562, 566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604,
    608, 612, 616, 620, 624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674,
    678, 682, 686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748, 752,
    756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818, 826, 831, 832,
    833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894,
];

/// ISO 3166-1 alpha-2 country codes (ISO 3166-1:2020 with the ISO 3166/MA
/// updates through 2024): the 249 officially assigned codes, i.e. the same
/// countries as [`ISO3166_NUMERIC`]. User-assigned codes such as `XK` are not
/// included. Sorted ascending.
pub(crate) static ISO3166_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
    "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
    "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
    "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
    "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
    "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
    "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// ISO 4217 numeric currency codes (ISO 4217:2015, "list one" as maintained
/// by the maintenance agency, 2024-2025 amendments: ZWG 924 and XCG 532
/// added, HRK 191 withdrawn). Includes fund codes (e.g. BOV, CHE, USN),
/// precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA-XBD),
/// XDR, XSU, XUA, the testing code XTS 963 and XXX 999 ("no currency").
/// Codes in a published transition period (ANG/XCG 532, BGN 975, CUC 931,
/// SLL 694, ZWL 932) are kept so that recent data still validates.
/// Sorted ascending, one entry per numeric code.
pub(crate) static ISO4217_NUMERIC: &[u16] = &[
    8, 12, 32, 36, 44, 48, 50, 51, 52, 60, 64, 68, 72, 84, 90, 96, 104, 108, 116, 124, 132, 136, 144, 152,
    156, 170, 174, 188, 192, 203, 208, 214, 222, 230, 232, 238, 242, 262, 270, 292, 320, 324, 328, 332, 340,
    344, 348, 352, 356, 360, 364, 368, 376, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418, 422, 426, 430,
    434, 446, 454, 458, 462, 480, 484, 496, 498, 504, 512, 516, 524, 532, 533, 548, 554, 558, 566, 578, 586,
    590, 598, 600, 604, 608, 634, 643, 646, 654, 682, 690, 694, 702, 704, 706, 710, 728, 748, 752, 756, 760,
    764, 776, 780, 784, 788, 800, 807, 818, 826, 834, 840, 858, 860, 882, 886, 901, 924, 925, 926, 927, 928,
    929, 930, 931, 932, 933, 934, 936, 938, 940, 941, 943, 944, 946, 947, 948, 949, 950, 951, 952, 953, 955,
    956, 957, 958, 959, 960, 961, 962, 963, 964, 965, 967, 968, 969, 970, 971, 972, 973, 975, 976, 977, 978,
    979, 980, 981, 984, 985, 986, 990, 994, 997, 999,
];

/// Package type codes accepted in AI (7041): the alphanumeric codes of
/// UN/ECE Recommendation 21 ("Codes for types of cargo, packages and
/// packaging materials", Annexes V and VI, rev. 9 and later) together with
/// the GS1 additions of the GS1 `PackageTypeCode` code list (e.g. `200`-`212`
/// pallet types, `8`, `9`, `APE`, `BRI`, `X11`). The Rec. 21 codes `AE`
/// (aerosol) and `BA` (barrel) are not in the GS1 list and are excluded.
/// Codes are one to three characters. Sorted ascending in byte order.
pub(crate) static PACKAGE_TYPES: &[&str] = &[
    "1A", "1B", "1D", "1F", "1G", "1W", "200", "201", "202", "203", "204", "205", "206", "210", "211", "212",
    "2C", "3A", "3H", "43", "44", "4A", "4B", "4C", "4D", "4F", "4G", "4H", "5H", "5L", "5M", "6H", "6P",
    "7A", "7B", "8", "8A", "8B", "8C", "9", "AA", "AB", "AC", "AD", "AF", "AG", "AH", "AI", "AJ", "AL", "AM",
    "AP", "APE", "AT", "AV", "B4", "BB", "BC", "BD", "BE", "BF", "BG", "BGE", "BH", "BI", "BJ", "BK", "BL",
    "BM", "BME", "BN", "BO", "BP", "BQ", "BR", "BRI", "BS", "BT", "BU", "BV", "BW", "BX", "BY", "BZ", "CA",
    "CB", "CBL", "CC", "CCE", "CD", "CE", "CF", "CG", "CH", "CI", "CJ", "CK", "CL", "CM", "CN", "CO", "CP",
    "CQ", "CR", "CS", "CT", "CU", "CV", "CW", "CX", "CY", "CZ", "DA", "DB", "DC", "DG", "DH", "DI", "DJ",
    "DK", "DL", "DM", "DN", "DP", "DPE", "DR", "DS", "DT", "DU", "DV", "DW", "DX", "DY", "E1", "E2", "E3",
    "EC", "ED", "EE", "EF", "EG", "EH", "EI", "EN", "FB", "FC", "FD", "FE", "FI", "FL", "FO", "FOB", "FP",
    "FPE", "FR", "FT", "FW", "FX", "GB", "GI", "GL", "GR", "GU", "GY", "GZ", "HA", "HB", "HC", "HG", "HN",
    "HR", "IA", "IB", "IC", "ID", "IE", "IF", "IG", "IH", "IK", "IL", "IN", "IZ", "JB", "JC", "JG", "JR",
    "JT", "JY", "KG", "KI", "LAB", "LE", "LG", "LT", "LU", "LV", "LZ", "MA", "MB", "MC", "ME", "MPE", "MR",
    "MS", "MT", "MW", "MX", "NA", "NE", "NF", "NG", "NS", "NT", "NU", "NV", "OA", "OB", "OC", "OD", "OE",
    "OF", "OK", "OPE", "OT", "OU", "P2", "PA", "PAE", "PB", "PC", "PD", "PE", "PF", "PG", "PH", "PI", "PJ",
    "PK", "PL", "PLP", "PN", "PO", "POP", "PP", "PPE", "PR", "PT", "PU", "PUE", "PV", "PX", "PY", "PZ", "QA",
    "QB", "QC", "QD", "QF", "QG", "QH", "QJ", "QK", "QL", "QM", "QN", "QP", "QQ", "QR", "QS", "RB1", "RB2",
    "RB3", "RCB", "RD", "RG", "RJ", "RK", "RL", "RO", "RT", "RZ", "S1", "SA", "SB", "SC", "SD", "SE", "SEC",
    "SH", "SI", "SK", "SL", "SM", "SO", "SP", "SS", "ST", "STL", "SU", "SV", "SW", "SX", "SY", "SZ", "T1",
    "TB", "TC", "TD", "TE", "TEV", "TG", "THE", "TI", "TK", "TL", "TN", "TO", "TR", "TRE", "TS", "TT", "TTE",
    "TU", "TV", "TW", "TWE", "TY", "TZ", "UC", "UN", "UUE", "VA", "VG", "VI", "VK", "VL", "VN", "VO", "VP",
    "VQ", "VR", "VS", "VY", "WA", "WB", "WC", "WD", "WF", "WG", "WH", "WJ", "WK", "WL", "WM", "WN", "WP",
    "WQ", "WR", "WRP", "WS", "WT", "WU", "WV", "WW", "WX", "WY", "WZ", "X11", "X12", "X15", "X16", "X17",
    "X18", "X19", "X20", "X3", "XA", "XB", "XC", "XD", "XF", "XG", "XH", "XJ", "XK", "YA", "YB", "YC", "YD",
    "YF", "YG", "YH", "YJ", "YK", "YL", "YM", "YN", "YP", "YQ", "YR", "YS", "YT", "YV", "YW", "YX", "YY",
    "YZ", "ZA", "ZB", "ZC", "ZD", "ZF", "ZG", "ZH", "ZJ", "ZK", "ZL", "ZM", "ZN", "ZP", "ZQ", "ZR", "ZS",
    "ZT", "ZU", "ZV", "ZW", "ZX", "ZY", "ZZ",
];

/// One range of GS1 prefixes (the first three digits of a GS1 Company Prefix,
/// e.g. of a GTIN-13) and who issues numbers from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gs1Prefix {
    /// First prefix of the range (inclusive), 0-999.
    pub start: u16,
    /// Last prefix of the range (inclusive), 0-999.
    pub end: u16,
    /// ISO 3166-1 alpha-2 code of the GS1 Member Organisation's country, or
    /// `""` for ranges that do not belong to a country (restricted
    /// circulation, coupons, ISBN, ISSN, GS1 Global Office). Kosovo uses the
    /// user-assigned code `XK`.
    pub country: &'static str,
    /// Vietnamese name.
    pub name_vi: &'static str,
    /// English name.
    pub name_en: &'static str,
}

const fn pfx(
    start: u16,
    end: u16,
    country: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
) -> Gs1Prefix {
    Gs1Prefix { start, end, country, name_vi, name_en }
}

const RCN_REGION_VI: &str = "Số lưu hành hạn chế trong khu vực địa lý (do tổ chức thành viên GS1 quy định)";
const RCN_REGION_EN: &str = "Restricted circulation numbers within a geographic region (MO defined)";
const RCN_COMPANY_VI: &str = "Số lưu hành hạn chế trong nội bộ doanh nghiệp";
const RCN_COMPANY_EN: &str = "Restricted circulation numbers within a company";
const US_RESERVED_VI: &str = "Hoa Kỳ (GS1 US dự trữ cho tương lai)";
const US_RESERVED_EN: &str = "United States (GS1 US, reserved for future use)";
const GO_SPECIAL_VI: &str = "GS1 Global Office: ứng dụng đặc biệt";
const GO_SPECIAL_EN: &str = "GS1 Global Office: special applications";
const GO_EPC_VI: &str = "GS1 Global Office: General Manager Number cho mã hóa thẻ EPC";
const GO_EPC_EN: &str = "GS1 Global Office: EPC General Manager Numbers";
const GO_DEMO_VI: &str = "GS1 Global Office: dùng cho ví dụ và trình diễn";
const GO_DEMO_EN: &str = "GS1 Global Office: demonstrations and examples";
const GO_GTIN8_VI: &str = "GS1 Global Office: tiền tố GTIN-8";
const GO_GTIN8_EN: &str = "GS1 Global Office: GTIN-8 prefixes";
const ISBN_VI: &str = "Sách (ISBN); 979-0 dành cho bản nhạc (ISMN)";
const ISBN_EN: &str = "Bookland (ISBN); 979-0 for printed music (ISMN)";
const CCA_COUPON_VI: &str = "Phiếu giảm giá GS1 cho khu vực tiền tệ chung";
const CCA_COUPON_EN: &str = "GS1 coupon identification for common currency areas";
const UAE_VI: &str = "Các Tiểu vương quốc Ả Rập Thống nhất";

/// GS1 prefix ranges and the issuing GS1 Member Organisation (GS1 Company
/// Prefix list published by GS1 Global Office, as known in 2024-2025).
/// Sorted by `start`, non-overlapping; prefixes not covered (e.g. 140-199)
/// are currently unassigned.
#[rustfmt::skip]
pub(crate) static GS1_PREFIXES: &[Gs1Prefix] = &[
    pfx(0,   19,  "US", "Hoa Kỳ", "United States"),
    pfx(20,  29,  "",   RCN_REGION_VI, RCN_REGION_EN),
    pfx(30,  39,  "US", "Hoa Kỳ", "United States"),
    pfx(40,  49,  "",   RCN_COMPANY_VI, RCN_COMPANY_EN),
    pfx(50,  59,  "US", US_RESERVED_VI, US_RESERVED_EN),
    pfx(60,  139, "US", "Hoa Kỳ", "United States"),
    pfx(200, 299, "",   RCN_REGION_VI, RCN_REGION_EN),
    pfx(300, 379, "FR", "Pháp", "France"),
    pfx(380, 380, "BG", "Bulgaria", "Bulgaria"),
    pfx(383, 383, "SI", "Slovenia", "Slovenia"),
    pfx(385, 385, "HR", "Croatia", "Croatia"),
    pfx(387, 387, "BA", "Bosnia và Herzegovina", "Bosnia and Herzegovina"),
    pfx(389, 389, "ME", "Montenegro", "Montenegro"),
    pfx(390, 390, "XK", "Kosovo", "Kosovo"),
    pfx(400, 440, "DE", "Đức", "Germany"),
    pfx(450, 459, "JP", "Nhật Bản", "Japan"),
    pfx(460, 469, "RU", "Nga", "Russia"),
    pfx(470, 470, "KG", "Kyrgyzstan", "Kyrgyzstan"),
    pfx(471, 471, "TW", "Đài Loan", "Taiwan"),
    pfx(474, 474, "EE", "Estonia", "Estonia"),
    pfx(475, 475, "LV", "Latvia", "Latvia"),
    pfx(476, 476, "AZ", "Azerbaijan", "Azerbaijan"),
    pfx(477, 477, "LT", "Litva", "Lithuania"),
    pfx(478, 478, "UZ", "Uzbekistan", "Uzbekistan"),
    pfx(479, 479, "LK", "Sri Lanka", "Sri Lanka"),
    pfx(480, 480, "PH", "Philippines", "Philippines"),
    pfx(481, 481, "BY", "Belarus", "Belarus"),
    pfx(482, 482, "UA", "Ukraina", "Ukraine"),
    pfx(483, 483, "TM", "Turkmenistan", "Turkmenistan"),
    pfx(484, 484, "MD", "Moldova", "Moldova"),
    pfx(485, 485, "AM", "Armenia", "Armenia"),
    pfx(486, 486, "GE", "Gruzia", "Georgia"),
    pfx(487, 487, "KZ", "Kazakhstan", "Kazakhstan"),
    pfx(488, 488, "TJ", "Tajikistan", "Tajikistan"),
    pfx(489, 489, "HK", "Hồng Kông", "Hong Kong"),
    pfx(490, 499, "JP", "Nhật Bản", "Japan"),
    pfx(500, 509, "GB", "Vương quốc Anh", "United Kingdom"),
    pfx(520, 521, "GR", "Hy Lạp", "Greece"),
    pfx(528, 528, "LB", "Liban", "Lebanon"),
    pfx(529, 529, "CY", "Síp", "Cyprus"),
    pfx(530, 530, "AL", "Albania", "Albania"),
    pfx(531, 531, "MK", "Bắc Macedonia", "North Macedonia"),
    pfx(535, 535, "MT", "Malta", "Malta"),
    pfx(539, 539, "IE", "Ireland", "Ireland"),
    pfx(540, 549, "BE", "Bỉ và Luxembourg", "Belgium and Luxembourg"),
    pfx(560, 560, "PT", "Bồ Đào Nha", "Portugal"),
    pfx(569, 569, "IS", "Iceland", "Iceland"),
    pfx(570, 579, "DK", "Đan Mạch", "Denmark"),
    pfx(590, 590, "PL", "Ba Lan", "Poland"),
    pfx(594, 594, "RO", "Romania", "Romania"),
    pfx(599, 599, "HU", "Hungary", "Hungary"),
    pfx(600, 601, "ZA", "Nam Phi", "South Africa"),
    pfx(603, 603, "GH", "Ghana", "Ghana"),
    pfx(604, 604, "SN", "Sénégal", "Senegal"),
    pfx(605, 605, "UG", "Uganda", "Uganda"),
    pfx(606, 606, "AO", "Angola", "Angola"),
    pfx(607, 607, "OM", "Oman", "Oman"),
    pfx(608, 608, "BH", "Bahrain", "Bahrain"),
    pfx(609, 609, "MU", "Mauritius", "Mauritius"),
    pfx(611, 611, "MA", "Maroc", "Morocco"),
    pfx(613, 613, "DZ", "Algérie", "Algeria"),
    pfx(615, 615, "NG", "Nigeria", "Nigeria"),
    pfx(616, 616, "KE", "Kenya", "Kenya"),
    pfx(617, 617, "CM", "Cameroon", "Cameroon"),
    pfx(618, 618, "CI", "Bờ Biển Ngà", "Côte d'Ivoire"),
    pfx(619, 619, "TN", "Tunisia", "Tunisia"),
    pfx(620, 620, "TZ", "Tanzania", "Tanzania"),
    pfx(621, 621, "SY", "Syria", "Syria"),
    pfx(622, 622, "EG", "Ai Cập", "Egypt"),
    pfx(623, 623, "BN", "Brunei", "Brunei"),
    pfx(624, 624, "LY", "Libya", "Libya"),
    pfx(625, 625, "JO", "Jordan", "Jordan"),
    pfx(626, 626, "IR", "Iran", "Iran"),
    pfx(627, 627, "KW", "Kuwait", "Kuwait"),
    pfx(628, 628, "SA", "Ả Rập Xê Út", "Saudi Arabia"),
    pfx(629, 629, "AE", UAE_VI, "United Arab Emirates"),
    pfx(630, 630, "QA", "Qatar", "Qatar"),
    pfx(631, 631, "NA", "Namibia", "Namibia"),
    pfx(632, 632, "RW", "Rwanda", "Rwanda"),
    pfx(640, 649, "FI", "Phần Lan", "Finland"),
    pfx(680, 681, "CN", "Trung Quốc", "China"),
    pfx(690, 699, "CN", "Trung Quốc", "China"),
    pfx(700, 709, "NO", "Na Uy", "Norway"),
    pfx(729, 729, "IL", "Israel", "Israel"),
    pfx(730, 739, "SE", "Thụy Điển", "Sweden"),
    pfx(740, 740, "GT", "Guatemala", "Guatemala"),
    pfx(741, 741, "SV", "El Salvador", "El Salvador"),
    pfx(742, 742, "HN", "Honduras", "Honduras"),
    pfx(743, 743, "NI", "Nicaragua", "Nicaragua"),
    pfx(744, 744, "CR", "Costa Rica", "Costa Rica"),
    pfx(745, 745, "PA", "Panama", "Panama"),
    pfx(746, 746, "DO", "Cộng hòa Dominica", "Dominican Republic"),
    pfx(750, 750, "MX", "México", "Mexico"),
    pfx(754, 755, "CA", "Canada", "Canada"),
    pfx(759, 759, "VE", "Venezuela", "Venezuela"),
    pfx(760, 769, "CH", "Thụy Sĩ", "Switzerland"),
    pfx(770, 771, "CO", "Colombia", "Colombia"),
    pfx(773, 773, "UY", "Uruguay", "Uruguay"),
    pfx(775, 775, "PE", "Peru", "Peru"),
    pfx(777, 777, "BO", "Bolivia", "Bolivia"),
    pfx(778, 779, "AR", "Argentina", "Argentina"),
    pfx(780, 780, "CL", "Chile", "Chile"),
    pfx(784, 784, "PY", "Paraguay", "Paraguay"),
    pfx(786, 786, "EC", "Ecuador", "Ecuador"),
    pfx(789, 790, "BR", "Brasil", "Brazil"),
    pfx(800, 839, "IT", "Ý", "Italy"),
    pfx(840, 849, "ES", "Tây Ban Nha", "Spain"),
    pfx(850, 850, "CU", "Cuba", "Cuba"),
    pfx(858, 858, "SK", "Slovakia", "Slovakia"),
    pfx(859, 859, "CZ", "Séc", "Czechia"),
    pfx(860, 860, "RS", "Serbia", "Serbia"),
    pfx(865, 865, "MN", "Mông Cổ", "Mongolia"),
    pfx(867, 867, "KP", "Triều Tiên", "North Korea"),
    pfx(868, 869, "TR", "Thổ Nhĩ Kỳ", "Türkiye"),
    pfx(870, 879, "NL", "Hà Lan", "Netherlands"),
    pfx(880, 881, "KR", "Hàn Quốc", "South Korea"),
    pfx(883, 883, "MM", "Myanmar", "Myanmar"),
    pfx(884, 884, "KH", "Campuchia", "Cambodia"),
    pfx(885, 885, "TH", "Thái Lan", "Thailand"),
    pfx(888, 888, "SG", "Singapore", "Singapore"),
    pfx(890, 890, "IN", "Ấn Độ", "India"),
    pfx(893, 893, "VN", "Việt Nam", "Viet Nam"),
    pfx(894, 894, "BD", "Bangladesh", "Bangladesh"),
    pfx(896, 896, "PK", "Pakistan", "Pakistan"),
    pfx(899, 899, "ID", "Indonesia", "Indonesia"),
    pfx(900, 919, "AT", "Áo", "Austria"),
    pfx(930, 939, "AU", "Úc", "Australia"),
    pfx(940, 949, "NZ", "New Zealand", "New Zealand"),
    pfx(950, 950, "",   GO_SPECIAL_VI, GO_SPECIAL_EN),
    pfx(951, 951, "",   GO_EPC_VI, GO_EPC_EN),
    pfx(952, 952, "",   GO_DEMO_VI, GO_DEMO_EN),
    pfx(955, 955, "MY", "Malaysia", "Malaysia"),
    pfx(958, 958, "MO", "Ma Cao", "Macao"),
    pfx(960, 969, "",   GO_GTIN8_VI, GO_GTIN8_EN),
    pfx(977, 977, "",   "Ấn phẩm định kỳ (ISSN)", "Serial publications (ISSN)"),
    pfx(978, 979, "",   ISBN_VI, ISBN_EN),
    pfx(980, 980, "",   "Phiếu hoàn tiền", "Refund receipts"),
    pfx(981, 984, "",   CCA_COUPON_VI, CCA_COUPON_EN),
    pfx(990, 999, "",   "Phiếu giảm giá GS1", "GS1 coupon identification"),
];

/// Whether `code` is an assigned ISO 3166-1 numeric country code.
pub(crate) fn is_iso3166_numeric(code: u16) -> bool {
    ISO3166_NUMERIC.binary_search(&code).is_ok()
}

/// Whether `code` is an assigned ISO 3166-1 alpha-2 country code (upper case).
pub(crate) fn is_iso3166_alpha2(code: &str) -> bool {
    ISO3166_ALPHA2.binary_search(&code).is_ok()
}

/// Whether `code` is an active ISO 4217 numeric currency code.
pub(crate) fn is_iso4217_numeric(code: u16) -> bool {
    ISO4217_NUMERIC.binary_search(&code).is_ok()
}

/// Whether `code` is a package type code accepted in AI (7041).
pub(crate) fn is_package_type(code: &str) -> bool {
    PACKAGE_TYPES.binary_search(&code).is_ok()
}

/// The GS1 prefix range containing `prefix3` (the first three digits of a
/// GS1 Company Prefix, 0-999), or `None` if that prefix is unassigned.
pub(crate) fn gs1_prefix(prefix3: u16) -> Option<&'static Gs1Prefix> {
    GS1_PREFIXES
        .binary_search_by(|p| {
            if p.end < prefix3 {
                Ordering::Less
            } else if p.start > prefix3 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .ok()
        .map(|i| &GS1_PREFIXES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strictly_ascending<T: PartialOrd>(list: &[T]) -> bool {
        list.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn lists_are_sorted_without_duplicates() {
        assert!(strictly_ascending(ISO3166_NUMERIC));
        assert!(strictly_ascending(ISO3166_ALPHA2));
        assert!(strictly_ascending(ISO4217_NUMERIC));
        assert!(strictly_ascending(PACKAGE_TYPES));
    }

    #[test]
    fn list_lengths() {
        assert_eq!(ISO3166_NUMERIC.len(), ISO3166_ALPHA2.len());
        assert_eq!(ISO3166_NUMERIC.len(), 249);
        assert_eq!(ISO4217_NUMERIC.len(), 181);
        assert_eq!(PACKAGE_TYPES.len(), 431);
        assert_eq!(GS1_PREFIXES.len(), 139);
    }

    #[test]
    fn code_shapes() {
        assert!(ISO3166_NUMERIC.iter().all(|&c| (1..=999).contains(&c)));
        assert!(ISO4217_NUMERIC.iter().all(|&c| (1..=999).contains(&c)));
        assert!(ISO3166_ALPHA2.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(PACKAGE_TYPES.iter().all(|c| {
            (1..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }));
    }

    #[test]
    fn gs1_prefixes_are_sorted_and_disjoint() {
        for p in GS1_PREFIXES {
            assert!(p.start <= p.end && p.end <= 999, "{p:?}");
            assert!(!p.name_vi.is_empty() && !p.name_en.is_empty(), "{p:?}");
            assert!(p.country.is_empty() || p.country == "XK" || is_iso3166_alpha2(p.country), "{p:?}");
        }
        assert!(GS1_PREFIXES.windows(2).all(|w| w[0].end < w[1].start));
    }

    #[test]
    fn gs1_prefix_lookup_agrees_with_linear_scan() {
        for n in 0..=1000u16 {
            let linear = GS1_PREFIXES.iter().find(|p| p.start <= n && n <= p.end);
            assert_eq!(gs1_prefix(n), linear, "prefix {n}");
        }
    }

    #[test]
    fn iso3166_spot_checks() {
        for code in [4, 8, 10, 12, 248, 704, 826, 840, 894] {
            assert!(is_iso3166_numeric(code), "{code}");
        }
        for code in [0, 200, 230, 280, 530, 736, 890, 891, 999] {
            assert!(!is_iso3166_numeric(code), "{code}");
        }
        for code in ["AD", "AE", "DE", "JP", "US", "VN", "ZW"] {
            assert!(is_iso3166_alpha2(code), "{code}");
        }
        for code in ["", "vn", "VNM", "XK", "UK", "AN", "YU", "CS", "EU"] {
            assert!(!is_iso3166_alpha2(code), "{code}");
        }
    }

    #[test]
    fn iso4217_spot_checks() {
        for code in [8, 12, 532, 704, 756, 826, 840, 924, 959, 964, 978, 999] {
            assert!(is_iso4217_numeric(code), "{code}");
        }
        // 191 HRK, 937 VEF, 478 MRO, 678 STD: withdrawn.
        for code in [0, 191, 478, 678, 937, 1000] {
            assert!(!is_iso4217_numeric(code), "{code}");
        }
    }

    #[test]
    fn package_type_spot_checks() {
        for code in ["1A", "43", "8", "200", "AA", "BX", "CT", "PX", "X11", "ZZ"] {
            assert!(is_package_type(code), "{code}");
        }
        for code in ["", "0", "00", "1", "1a", "AE", "BA", "ZZZ", "1A "] {
            assert!(!is_package_type(code), "{code}");
        }
    }

    #[test]
    fn gs1_prefix_spot_checks() {
        let country = |n: u16| gs1_prefix(n).map(|p| p.country);
        assert_eq!(country(0), Some("US"));
        assert_eq!(country(19), Some("US"));
        assert_eq!(country(25), Some(""));
        assert_eq!(country(250), Some(""));
        assert_eq!(country(300), Some("FR"));
        assert_eq!(country(400), Some("DE"));
        assert_eq!(country(440), Some("DE"));
        assert_eq!(country(450), Some("JP"));
        assert_eq!(country(490), Some("JP"));
        assert_eq!(country(690), Some("CN"));
        assert_eq!(country(885), Some("TH"));
        assert_eq!(country(880), Some("KR"));
        assert_eq!(country(893), Some("VN"));
        assert_eq!(country(978), Some(""));
        assert_eq!(country(999), Some(""));
        assert_eq!(country(140), None);
        assert_eq!(country(199), None);
        assert_eq!(country(1000), None);

        let vn = gs1_prefix(893).unwrap();
        assert_eq!((vn.name_vi, vn.name_en), ("Việt Nam", "Viet Nam"));
        assert_eq!(gs1_prefix(0).unwrap().name_vi, "Hoa Kỳ");
        assert!(gs1_prefix(978).unwrap().name_en.contains("ISBN"));
        assert!(gs1_prefix(977).unwrap().name_en.contains("ISSN"));
        assert!(gs1_prefix(999).unwrap().name_en.contains("coupon"));
    }
}
