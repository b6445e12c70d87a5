#!/usr/bin/env python3
"""Write fixtures/demo/catalog.json: the demo data `truyxuat serve --demo` loads.

Everything in it is INVENTED for the demo: the companies, brands, people,
tax codes, certifiers, certificate numbers, GTINs and GLNs (which carry
valid GS1 check digits but belong to nobody), e-mail addresses (under the
reserved `.example` domain) and all events. Regions, crops and province
codes are real: Viet Nam's 34 provincial units as they stand since the
merger of 1 July 2025.

The data tell a story "today", 2026-11-26:
  accounts (password `demo`) for farmers, enterprises, a supermarket chain,
  a wholesale-market operator, inspectors, an authority and consumers;
  companies, their farms / plots / factories / warehouses / markets / shops,
  products (packaged goods and the raw materials they are made of, each
  with its own GTIN), certifications, lots, serials and recalls; and the
  events the phones recorded (farm diary, harvest, shipping, receiving,
  transformation, inspection, scan, complaint), which trace several lots from
  farm to shop. `scenarios` names the lots and serial that show off the
  recalled, expired, cloned-serial, broken-chain and complete-chain answers.
  For the authority's statistics, the last 30 days (2026-10-28 .. today) also
  hold about 120 consumer scans of products' EAN-13 codes (every day, more at
  weekends, near shops and sites of 12 provinces, one in seven of GTINs nobody
  registered) and 12 complaints of every category from 9 provinces.

The script is deterministic (no randomness, no clock: where the data vary,
the choice is a hash of what it is for) and uses only the standard library.
It validates what it generated (check digits, references, who may write
what, dates, quantities, chains, scenarios, the month's spread, complaints
by the server's rules) and exits non-zero, writing nothing, if anything is
inconsistent.

Run: python3 scripts/gen-demo-data.py
"""
import datetime as dt
import hashlib
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "demo", "catalog.json")
TODAY = "2026-11-26"


# ---------------------------------------------------------------- GS1 helpers

def gs1_check_digit(body: str) -> str:
    """GS1 mod-10 check digit for `body` (all digits but the last)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def has_valid_check_digit(code: str) -> bool:
    return code.isdigit() and len(code) >= 2 and gs1_check_digit(code[:-1]) == code[-1]


def make_gln(prefix: str, ref: int) -> str:
    """13-digit GLN: 7-digit company prefix (893…) + 5-digit reference + check digit."""
    body = f"{prefix}{ref:05d}"
    assert len(body) == 12
    return body + gs1_check_digit(body)


def make_gtin(prefix: str, ref: int) -> str:
    """GTIN-14: '0' + EAN-13 (7-digit company prefix + 5-digit item reference + check)."""
    body = f"{prefix}{ref:05d}"
    assert len(body) == 12
    return "0" + body + gs1_check_digit(body)


def ean13(gtin14: str) -> str:
    return gtin14[1:]


# ---------------------------------------------------------------- provinces
# Since 1 July 2025 (Resolution 202/2025/QH15): code -> (address form, reference point).
# The reference point is a town of the merged unit; locations must lie within
# REF_RADIUS_KM of one of its points.
PROVINCES = {
    "01": "thành phố Hà Nội", "04": "tỉnh Cao Bằng", "08": "tỉnh Tuyên Quang",
    "11": "tỉnh Điện Biên", "12": "tỉnh Lai Châu", "14": "tỉnh Sơn La",
    "15": "tỉnh Lào Cai", "19": "tỉnh Thái Nguyên", "20": "tỉnh Lạng Sơn",
    "22": "tỉnh Quảng Ninh", "24": "tỉnh Bắc Ninh", "25": "tỉnh Phú Thọ",
    "31": "thành phố Hải Phòng", "33": "tỉnh Hưng Yên", "37": "tỉnh Ninh Bình",
    "38": "tỉnh Thanh Hóa", "40": "tỉnh Nghệ An", "42": "tỉnh Hà Tĩnh",
    "44": "tỉnh Quảng Trị", "46": "thành phố Huế", "48": "thành phố Đà Nẵng",
    "51": "tỉnh Quảng Ngãi", "52": "tỉnh Gia Lai", "56": "tỉnh Khánh Hòa",
    "66": "tỉnh Đắk Lắk", "68": "tỉnh Lâm Đồng", "75": "tỉnh Đồng Nai",
    "79": "Thành phố Hồ Chí Minh", "80": "tỉnh Tây Ninh", "82": "tỉnh Đồng Tháp",
    "86": "tỉnh Vĩnh Long", "91": "tỉnh An Giang", "92": "thành phố Cần Thơ",
    "96": "tỉnh Cà Mau",
}
# Towns inside the provinces the demo uses (several for merged units).
PROVINCE_POINTS = {
    "01": [(21.028, 105.854)],
    "19": [(21.594, 105.848)],
    "24": [(21.186, 106.076), (21.273, 106.194)],           # Bắc Ninh, Bắc Giang
    "48": [(16.054, 108.202)],
    "52": [(13.983, 108.000), (13.776, 109.224)],           # Pleiku, Quy Nhơn
    "66": [(12.667, 108.038), (13.088, 109.093)],           # Buôn Ma Thuột, Tuy Hòa
    "68": [(11.940, 108.458), (10.928, 108.102), (12.004, 107.691)],  # Đà Lạt, Phan Thiết, Gia Nghĩa
    "75": [(10.945, 106.824), (11.535, 106.883)],           # Biên Hòa, Đồng Xoài
    "79": [(10.776, 106.701)],
    "82": [(10.460, 105.633), (10.360, 106.360)],           # Cao Lãnh, Mỹ Tho
    "91": [(10.386, 105.435), (10.012, 105.081)],           # Long Xuyên, Rạch Giá
    "92": [(10.034, 105.788), (9.603, 105.980)],            # Cần Thơ, Sóc Trăng
}
REF_RADIUS_KM = 190.0
# Names of pre-merger provinces that must not appear as provinces any more.
OLD_PROVINCE_FORMS = [
    "tỉnh Sóc Trăng", "tỉnh Bình Thuận", "tỉnh Bắc Giang", "tỉnh Kiên Giang",
    "tỉnh Bình Phước", "tỉnh Đắk Nông", "tỉnh Phú Yên", "tỉnh Bình Định",
    "tỉnh Hậu Giang", "tỉnh Tiền Giang", "tỉnh Bình Dương", "tỉnh Bà Rịa",
    "Quận ", "quận ", "huyện ", "Huyện ", "thị xã ", "TP. Buôn Ma Thuột",
]


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- companies
# key -> GS1 company prefix (invented, 893 = GS1 Viet Nam)
PREFIX = {
    "caonguyen": "8936120",   # coffee roaster, Đắk Lắk
    "hatngoc": "8936234",     # ST25 rice miller, Cần Thơ (former Sóc Trăng)
    "phusa": "8936347",       # pangasius processor, Đồng Tháp
    "daongoc": "8936458",     # fish sauce, Phú Quốc (An Giang)
    "nangvang": "8936561",    # fruit packer: dragon fruit (Lâm Đồng), lychee (Bắc Ninh)
    "suongmai": "8936675",    # tea, Thái Nguyên
    "datdo": "8936782",       # pepper, Gia Lai
    "dieuvang": "8936893",    # cashew, Đồng Nai (former Bình Phước)
    "anlanh": "8936904",      # supermarket chain
    "chonongsan": "8936918",  # wholesale-market operator
}


def company(key, name, tax_code, province, address, phone, email):
    return {
        "key": key, "name": name, "tax_code": tax_code, "gln": make_gln(PREFIX[key], 0),
        "province": province, "address": address, "phone": phone, "email": email, "website": None,
        "prefixes": [PREFIX[key]],
    }


COMPANIES = [
    company("caonguyen", "Công ty TNHH Cà phê Cao Nguyên Xanh", "6001873425", "66",
            "Số 27 đường Y Wang, phường Ea Kao, tỉnh Đắk Lắk", "0262 3865 214",
            "truyxuat@caonguyenxanh.example"),
    company("hatngoc", "Công ty CP Lương thực Hạt Ngọc Miền Tây", "2200946713", "92",
            "Số 88 Quốc lộ 1, phường Sóc Trăng, thành phố Cần Thơ", "0299 3627 508",
            "lienhe@hatngoc.example"),
    company("phusa", "Công ty CP Thủy sản Phù Sa Vàng", "1401587326", "82",
            "Lô C5, khu công nghiệp Sa Đéc, phường Sa Đéc, tỉnh Đồng Tháp", "0277 3763 915",
            "qa@phusavang.example"),
    company("daongoc", "Công ty TNHH Nước mắm Đảo Ngọc", "1701324958", "91",
            "Tổ 5, khu phố Suối Đá, đặc khu Phú Quốc, tỉnh An Giang", "0297 3846 177",
            "info@nuocmamdaongoc.example"),
    company("nangvang", "Công ty CP Nông sản Nắng Vàng", "3401275840", "68",
            "Thôn Phú Sơn, xã Hàm Thuận Nam, tỉnh Lâm Đồng", "0252 3867 042",
            "export@nangvang.example"),
    company("suongmai", "Công ty TNHH Chè Sương Mai", "4601569832", "19",
            "Xóm Nam Đồng, xã Tân Cương, tỉnh Thái Nguyên", "0208 3645 381",
            "chesuongmai@suongmai.example"),
    company("datdo", "Công ty TNHH Gia vị Đất Đỏ", "5901428367", "52",
            "Thôn 4, xã Chư Sê, tỉnh Gia Lai", "0269 3880 264",
            "sales@giavidatdo.example"),
    company("dieuvang", "Công ty CP Chế biến Nông sản Điều Vàng", "3801294576", "75",
            "Đường ĐT741, phường Đồng Xoài, tỉnh Đồng Nai", "0271 3886 530",
            "contact@dieuvang.example"),
    company("anlanh", "Công ty CP Chuỗi siêu thị An Lành", "0318642975", "79",
            "Số 150 đường Nguyễn Thị Định, phường Bình Trưng, Thành phố Hồ Chí Minh", "028 3740 2266",
            "cskh@sieuthianlanh.example"),
    company("chonongsan", "Công ty CP Quản lý Chợ đầu mối Nông sản Việt", "0110583264", "01",
            "Số 2 đường Ngọc Thụy, phường Long Biên, thành phố Hà Nội", "024 3872 6619",
            "banquanly@chonongsanviet.example"),
]
COMPANY = {c["key"]: c for c in COMPANIES}


# ---------------------------------------------------------------- locations
LOCATIONS = []


def location(company_key, ref, kind, name, address, province, lat, lon):
    gln = make_gln(PREFIX[company_key], ref)
    LOCATIONS.append({
        "gln": gln, "company": company_key, "kind": kind, "name": name, "address": address,
        "province": province, "lat": float(lat), "lon": float(lon),
    })
    return gln


# coffee
F_CF = location("caonguyen", 1, "farm", "Trang trại cà phê Hòa Phú (vùng nguyên liệu Cao Nguyên Xanh)",
                "Thôn 3, xã Hòa Phú, tỉnh Đắk Lắk", "66", 12.6105, 107.9832)
P_CF3 = location("caonguyen", 2, "plot", "Lô cà phê HP-03, trang trại Hòa Phú",
                 "Thôn 3, xã Hòa Phú, tỉnh Đắk Lắk", "66", 12.6071, 107.9795)
P_CF7 = location("caonguyen", 3, "plot", "Lô cà phê HP-07 (cà phê Honey), trang trại Hòa Phú",
                 "Thôn 3, xã Hòa Phú, tỉnh Đắk Lắk", "66", 12.6139, 107.9868)
FAC_CF = location("caonguyen", 10, "factory", "Nhà máy rang xay Cao Nguyên Xanh",
                  "Số 112 đường Nguyễn Chí Thanh, phường Tân An, tỉnh Đắk Lắk", "66", 12.7018, 108.0587)
WH_CF = location("caonguyen", 11, "warehouse", "Kho thành phẩm Cao Nguyên Xanh",
                 "Số 27 đường Y Wang, phường Ea Kao, tỉnh Đắk Lắk", "66", 12.6422, 108.0713)
# rice
F_RI = location("hatngoc", 1, "farm", "Cánh đồng lớn lúa ST25 Trần Đề (liên kết Hạt Ngọc)",
                "Ấp Hòa Lợi, xã Trần Đề, thành phố Cần Thơ", "92", 9.5481, 106.0319)
P_RI = location("hatngoc", 2, "plot", "Thửa ruộng TĐ-12 (canh tác hữu cơ), cánh đồng Trần Đề",
                "Ấp Hòa Lợi, xã Trần Đề, thành phố Cần Thơ", "92", 9.5512, 106.0361)
FAC_RI = location("hatngoc", 10, "factory", "Nhà máy xay xát Hạt Ngọc",
                  "Số 88 Quốc lộ 1, phường Sóc Trăng, thành phố Cần Thơ", "92", 9.6154, 105.9851)
WH_RI = location("hatngoc", 11, "warehouse", "Kho gạo Hạt Ngọc Cái Răng",
                 "Khu công nghiệp Hưng Phú, phường Cái Răng, thành phố Cần Thơ", "92", 10.0061, 105.7942)
# pangasius
F_FI = location("phusa", 1, "farm", "Vùng nuôi cá tra Thanh Bình (liên kết Phù Sa Vàng)",
                "Ấp Tân Hội, xã Thanh Bình, tỉnh Đồng Tháp", "82", 10.5687, 105.4823)
FAC_FI = location("phusa", 10, "factory", "Nhà máy chế biến thủy sản Phù Sa Vàng",
                  "Lô C5, khu công nghiệp Sa Đéc, phường Sa Đéc, tỉnh Đồng Tháp", "82", 10.3032, 105.7621)
WH_FI = location("phusa", 11, "warehouse", "Kho lạnh Phù Sa Vàng",
                 "Lô C6, khu công nghiệp Sa Đéc, phường Sa Đéc, tỉnh Đồng Tháp", "82", 10.3049, 105.7588)
# fish sauce
FAC_NM = location("daongoc", 10, "factory", "Nhà thùng nước mắm Đảo Ngọc",
                  "Tổ 5, khu phố Suối Đá, đặc khu Phú Quốc, tỉnh An Giang", "91", 10.2253, 103.9671)
WH_NM = location("daongoc", 11, "warehouse", "Kho thành phẩm Đảo Ngọc Rạch Giá",
                 "Số 41 đường Lâm Quang Ky, phường Rạch Giá, tỉnh An Giang", "91", 10.0121, 105.0893)
# fruit
F_DF = location("nangvang", 1, "farm", "Vườn thanh long ruột đỏ Hàm Thuận Nam",
                "Thôn Phú Sơn, xã Hàm Thuận Nam, tỉnh Lâm Đồng", "68", 10.8774, 107.9146)
PH_DF = location("nangvang", 10, "factory", "Nhà đóng gói trái cây Nắng Vàng",
                 "Thôn Phú Sơn, xã Hàm Thuận Nam, tỉnh Lâm Đồng", "68", 10.9036, 107.9898)
F_LY = location("nangvang", 2, "farm", "Vườn vải thiều Lục Ngạn (liên kết Nắng Vàng)",
                "Thôn Đồng Mậm, xã Lục Ngạn, tỉnh Bắc Ninh", "24", 21.3921, 106.6034)
FAC_LY = location("nangvang", 11, "factory", "Xưởng sấy vải Nắng Vàng Lục Ngạn",
                  "Tổ dân phố Thạch Xuân, phường Chũ, tỉnh Bắc Ninh", "24", 21.3717, 106.5712)
# tea
F_TE = location("suongmai", 1, "farm", "Đồi chè Tân Cương (liên kết Sương Mai)",
                "Xóm Nam Đồng, xã Tân Cương, tỉnh Thái Nguyên", "19", 21.5503, 105.7692)
P_TE = location("suongmai", 2, "plot", "Nương chè ND-2, đồi chè Tân Cương",
                "Xóm Nam Đồng, xã Tân Cương, tỉnh Thái Nguyên", "19", 21.5481, 105.7655)
FAC_TE = location("suongmai", 10, "factory", "Xưởng chế biến chè Sương Mai",
                  "Xóm Nam Đồng, xã Tân Cương, tỉnh Thái Nguyên", "19", 21.5562, 105.7781)
# pepper
F_PE = location("datdo", 1, "farm", "Vườn hồ tiêu Chư Sê (liên kết Đất Đỏ)",
                "Thôn 7, xã Chư Sê, tỉnh Gia Lai", "52", 13.7124, 108.0931)
FAC_PE = location("datdo", 10, "factory", "Xưởng sơ chế hồ tiêu Đất Đỏ",
                  "Thôn 4, xã Chư Sê, tỉnh Gia Lai", "52", 13.6987, 108.0745)
# cashew
F_CA = location("dieuvang", 1, "farm", "Vườn điều Bù Đăng (liên kết Điều Vàng)",
                "Thôn 2, xã Bù Đăng, tỉnh Đồng Nai", "75", 11.8012, 107.2365)
FAC_CA = location("dieuvang", 10, "factory", "Nhà máy chế biến điều Điều Vàng",
                  "Đường ĐT741, phường Đồng Xoài, tỉnh Đồng Nai", "75", 11.5418, 106.9027)
# supermarket chain
DC_AL = location("anlanh", 1, "warehouse", "Trung tâm phân phối An Lành",
                 "Đường Nguyễn Văn Linh, xã Bình Chánh, Thành phố Hồ Chí Minh", "79", 10.7186, 106.6193)
SHOP_HCM = location("anlanh", 11, "shop", "Siêu thị An Lành Thảo Điền",
                    "Số 20 đường Quốc Hương, phường An Khánh, Thành phố Hồ Chí Minh", "79", 10.8031, 106.7352)
SHOP_HN = location("anlanh", 12, "shop", "Siêu thị An Lành Cầu Giấy",
                   "Số 89 đường Trần Thái Tông, phường Cầu Giấy, thành phố Hà Nội", "01", 21.0332, 105.7896)
SHOP_DN = location("anlanh", 13, "shop", "Siêu thị An Lành Hải Châu",
                   "Số 46 đường Bạch Đằng, phường Hải Châu, thành phố Đà Nẵng", "48", 16.0701, 108.2243)
# wholesale markets
MKT_HN = location("chonongsan", 1, "market", "Chợ đầu mối nông sản Sông Hồng",
                  "Số 2 đường Ngọc Thụy, phường Long Biên, thành phố Hà Nội", "01", 21.0412, 105.8736)
MKT_HCM = location("chonongsan", 2, "market", "Chợ đầu mối nông sản Đông Sài Gòn",
                   "Đường Tô Ngọc Vân, phường Tam Bình, Thành phố Hồ Chí Minh", "79", 10.8653, 106.7452)
LOC = {l["gln"]: l for l in LOCATIONS}


def coords(gln):
    return {"lat": LOC[gln]["lat"], "lon": LOC[gln]["lon"]}


# ---------------------------------------------------------------- users
def user(username, role, display_name, province, glns):
    return {"username": username, "role": role, "display_name": display_name,
            "province": province, "glns": list(glns)}


USERS = [
    # farmers (each operates the farms and plots linked to one company)
    user("farmer", "farmer", "Y Khăm Êban – nông hộ cà phê Hòa Phú", "66", [F_CF, P_CF3, P_CF7]),
    user("farmer2", "farmer", "Trần Thị Mai – nông hộ hồ tiêu Chư Sê", "52", [F_PE]),
    user("hoptac_st25", "farmer", "Lâm Văn Sơn – tổ hợp tác lúa ST25 Trần Đề", "92", [F_RI, P_RI]),
    user("farmer_catra", "farmer", "Phạm Văn Lộc – hộ nuôi cá tra Thanh Bình", "82", [F_FI]),
    user("farmer_thanhlong", "farmer", "Lê Thị Hồng – nhà vườn thanh long Hàm Thuận Nam", "68", [F_DF]),
    user("farmer_vai", "farmer", "Hoàng Văn Dũng – nhà vườn vải thiều Lục Ngạn", "24", [F_LY]),
    user("farmer_che", "farmer", "Đỗ Thị Thu – hộ trồng chè Tân Cương", "19", [F_TE, P_TE]),
    user("farmer_dieu", "farmer", "Điểu Văn Sơn – nhà vườn điều Bù Đăng", "75", [F_CA]),
    # enterprises: one account per company; `enterprise` is the coffee roaster
    user("enterprise", "enterprise", "Cà phê Cao Nguyên Xanh – bộ phận truy xuất", "66", [FAC_CF, WH_CF]),
    user("ent_hatngoc", "enterprise", "Hạt Ngọc – nhà máy xay xát", "92", [FAC_RI, WH_RI]),
    user("ent_phusa", "enterprise", "Thủy sản Phù Sa Vàng – phòng QA", "82", [FAC_FI, WH_FI]),
    user("ent_daongoc", "enterprise", "Nước mắm Đảo Ngọc – nhà thùng", "91", [FAC_NM, WH_NM]),
    user("ent_nangvang", "enterprise", "Nông sản Nắng Vàng – nhà đóng gói", "68", [PH_DF, FAC_LY]),
    user("ent_suongmai", "enterprise", "Chè Sương Mai – xưởng chế biến", "19", [FAC_TE]),
    user("ent_datdo", "enterprise", "Gia vị Đất Đỏ – xưởng sơ chế", "52", [FAC_PE]),
    user("ent_dieuvang", "enterprise", "Điều Vàng – nhà máy chế biến", "75", [FAC_CA]),
    user("supermarket", "enterprise", "Chuỗi siêu thị An Lành – nhận hàng", "79", [DC_AL, SHOP_HCM, SHOP_HN, SHOP_DN]),
    user("market", "enterprise", "Ban quản lý chợ đầu mối Nông sản Việt", "01", [MKT_HN, MKT_HCM]),
    # control
    user("inspector", "inspector", "Vũ Minh Đức – thanh tra viên, Hà Nội", "01", []),
    user("inspector2", "inspector", "Nguyễn Thị Lan – thanh tra viên, TP. Hồ Chí Minh", "79", []),
    # the national authority (no province: every province) and Hà Nội's
    user("authority", "authority", "Cơ quan quản lý truy xuất nguồn gốc quốc gia (demo)", None, []),
    user("authority_hn", "authority", "Sở quản lý truy xuất nguồn gốc Hà Nội (demo)", "01", []),
    # a certification body registered by the authorities
    user("certifier", "certifier", "Trung tâm Chứng nhận Nông nghiệp Tây Nguyên (TNCert)", None, []),
    # consumers
    user("consumer", "consumer", "Người tiêu dùng Hà Nội", None, []),
    user("consumer2", "consumer", "Người tiêu dùng TP. Hồ Chí Minh", None, []),
    user("consumer3", "consumer", "Người tiêu dùng Đà Nẵng", None, []),
]
USER = {u["username"]: u for u in USERS}
# the enterprise account of each company (the validator re-derives it from the GLNs)
ENTERPRISE_OF = {
    "caonguyen": "enterprise", "hatngoc": "ent_hatngoc", "phusa": "ent_phusa", "daongoc": "ent_daongoc",
    "nangvang": "ent_nangvang", "suongmai": "ent_suongmai", "datdo": "ent_datdo",
    "dieuvang": "ent_dieuvang", "anlanh": "supermarket", "chonongsan": "market",
}


# ---------------------------------------------------------------- products
PRODUCTS = []
NET_KG = {}        # gtin -> net kilograms per unit of its lots (for mass balance; not output)
RAW = set()        # raw-material and semi-finished GTINs
UNIT_OF = {}       # gtin -> the unit its lots are counted in


def product(company_key, ref, name_vi, name_en, brand, category, origin, desc_vi, desc_en,
            unit, net_kg, raw=False):
    gtin = make_gtin(PREFIX[company_key], ref)
    PRODUCTS.append({
        "gtin": gtin, "company": company_key, "name_vi": name_vi, "name_en": name_en,
        "brand": brand, "category": category, "origin_province": origin,
        "description_vi": desc_vi, "description_en": desc_en, "image": None,
    })
    NET_KG[gtin] = net_kg
    UNIT_OF[gtin] = unit
    if raw:
        RAW.add(gtin)
    return gtin


# coffee (Đắk Lắk)
CF500 = product("caonguyen", 10011, "Cà phê Robusta rang xay Buôn Ma Thuột 500 g",
                "Buon Ma Thuot ground Robusta coffee 500 g", "Cao Nguyên Xanh", "coffee", "66",
                "Cà phê Robusta hái chín, rang mộc vừa, xay cho pha phin.",
                "Ripe-picked Robusta, medium roast without additives, ground for the phin filter.",
                "pack", 0.5)
CF1K = product("caonguyen", 10028, "Cà phê Robusta hạt rang túi 1 kg",
               "Roasted Robusta coffee beans, 1 kg bag", "Cao Nguyên Xanh", "coffee", "66",
               "Hạt rang nguyên, túi van một chiều, dành cho quán và máy pha espresso.",
               "Whole roasted beans in a one-way-valve bag, for coffee shops and espresso machines.",
               "bag", 1.0)
CFH250 = product("caonguyen", 10035, "Cà phê Robusta Honey rang xay 250 g",
                 "Honey-processed Robusta ground coffee 250 g", "Cao Nguyên Xanh", "coffee", "66",
                 "Sơ chế honey tại nông hộ, hậu vị ngọt, sản phẩm OCOP 4 sao.",
                 "Honey-processed on the farm, sweet finish; a 4-star OCOP product.",
                 "pack", 0.25)
RAW_CF = product("caonguyen", 90001, "Cà phê nhân Robusta (nguyên liệu)",
                 "Green Robusta coffee beans (raw material)", "Cao Nguyên Xanh", "coffee", "66",
                 "Cà phê hái chín, phơi khô và xát vỏ tại nông hộ vùng nguyên liệu.",
                 "Ripe cherries dried and hulled at the contract farm.",
                 "kg", 1.0, raw=True)
# rice (former Sóc Trăng, now Cần Thơ)
ST5 = product("hatngoc", 10019, "Gạo ST25 túi 5 kg", "ST25 fragrant rice, 5 kg bag", "Hạt Ngọc", "rice", "92",
              "Gạo thơm ST25 vụ Thu Đông, xay xát và đóng túi hút chân không.",
              "ST25 fragrant rice from the autumn-winter crop, milled and vacuum-packed.",
              "bag", 5.0)
ST2HC = product("hatngoc", 10026, "Gạo ST25 hữu cơ túi 2 kg", "Organic ST25 rice, 2 kg bag", "Hạt Ngọc", "rice", "92",
                "Gạo ST25 từ ruộng canh tác hữu cơ, không dùng phân bón và thuốc hóa học.",
                "ST25 rice from organically farmed fields, without chemical fertiliser or pesticide.",
                "pack", 2.0)
RAW_RI = product("hatngoc", 90008, "Lúa ST25 (nguyên liệu)", "ST25 paddy (raw material)", "Hạt Ngọc", "rice", "92",
                 "Lúa tươi ST25 thu hoạch bằng máy gặt đập liên hợp.",
                 "Fresh ST25 paddy, combine-harvested.", "kg", 1.0, raw=True)
RAW_RIHC = product("hatngoc", 90015, "Lúa ST25 hữu cơ (nguyên liệu)", "Organic ST25 paddy (raw material)",
                   "Hạt Ngọc", "rice", "92", "Lúa ST25 từ thửa ruộng hữu cơ TĐ-12.",
                   "ST25 paddy from organic field No. 12 (TD-12).", "kg", 1.0, raw=True)
# pangasius (Đồng Tháp)
CTPL = product("phusa", 10014, "Cá tra phi lê đông lạnh 500 g", "Frozen pangasius fillet 500 g", "Phù Sa Vàng",
               "seafood", "82", "Phi lê cá tra thịt trắng, cấp đông IQF, không ngậm phụ gia giữ nước.",
               "White-flesh pangasius fillet, IQF-frozen, no water-retaining additives.", "pack", 0.5)
CTCK = product("phusa", 10021, "Cá tra cắt khúc đông lạnh 1 kg", "Frozen pangasius steaks 1 kg", "Phù Sa Vàng",
               "seafood", "82", "Cá tra làm sạch, cắt khúc, cấp đông nhanh.",
               "Cleaned pangasius cut into steaks and quick-frozen.", "bag", 1.0)
RAW_FI = product("phusa", 90003, "Cá tra nguyên con (nguyên liệu)", "Whole live pangasius (raw material)",
                 "Phù Sa Vàng", "seafood", "82", "Cá tra thương phẩm từ vùng nuôi liên kết, vận chuyển sống bằng ghe đục.",
                 "Market-size pangasius from contract ponds, carried live by well-boat.", "kg", 1.0, raw=True)
# fish sauce (Phú Quốc, now An Giang)
NM40 = product("daongoc", 10017, "Nước mắm Phú Quốc 40 độ đạm chai 500 ml",
               "Phu Quoc fish sauce 40°N, 500 ml bottle", "Đảo Ngọc", "condiment", "91",
               "Ủ chượp cá cơm và muối trong thùng gỗ bời lời 12 tháng.",
               "Anchovies and salt fermented 12 months in wooden barrels.", "bottle", 0.6)
NMQ = product("daongoc", 10024, "Nước mắm nhĩ Phú Quốc 43 độ đạm – hộp quà 2 chai",
              "Phu Quoc first-press fish sauce 43°N, gift box of 2 bottles", "Đảo Ngọc", "condiment", "91",
              "Nước mắm nhĩ rút đầu thùng, mỗi hộp quà mang một số sê-ri riêng; sản phẩm OCOP 5 sao.",
              "First-press fish sauce; every gift box carries its own serial number. A 5-star OCOP product.",
              "box", 1.2)
SEMI_NM = product("daongoc", 90005, "Nước mắm cốt nhĩ Phú Quốc (bán thành phẩm)",
                  "Phu Quoc first-press fish sauce in bulk (semi-finished)", "Đảo Ngọc", "condiment", "91",
                  "Nước mắm cốt rút từ thùng ủ chượp, chờ lọc và đóng chai.",
                  "Bulk first-press sauce drawn from the fermenting barrels, awaiting filtering and bottling.",
                  "kg", 1.0, raw=True)
# fruit: dragon fruit (former Bình Thuận, now Lâm Đồng), lychee (former Bắc Giang, now Bắc Ninh)
TLD2K = product("nangvang", 10015, "Thanh long ruột đỏ Hàm Thuận Nam hộp 2 kg",
                "Red-flesh dragon fruit from Ham Thuan Nam, 2 kg box", "Nắng Vàng", "fruit", "68",
                "Thanh long ruột đỏ tuyển chọn, xử lý và bảo quản chuỗi lạnh 5 °C.",
                "Selected red-flesh dragon fruit, treated and kept in a 5 °C cold chain.", "box", 2.0)
RAW_DF = product("nangvang", 90002, "Thanh long ruột đỏ tươi (nguyên liệu)", "Fresh red-flesh dragon fruit (raw material)",
                 "Nắng Vàng", "fruit", "68", "Quả thanh long thu hái tại vườn, chưa phân loại.",
                 "Dragon fruit as picked, not yet graded.", "kg", 1.0, raw=True)
VSK = product("nangvang", 10022, "Vải thiều sấy khô Lục Ngạn túi 500 g", "Dried Luc Ngan lychee, 500 g bag",
              "Nắng Vàng", "fruit", "24", "Vải thiều chín cây, sấy lò than hoa, giữ vị ngọt tự nhiên; sản phẩm OCOP 4 sao.",
              "Tree-ripened lychee dried over charcoal, naturally sweet; a 4-star OCOP product.", "pack", 0.5)
RAW_LY = product("nangvang", 90019, "Vải thiều tươi (nguyên liệu)", "Fresh lychee (raw material)", "Nắng Vàng",
                 "fruit", "24", "Vải thiều Lục Ngạn thu hái chính vụ tháng 6.",
                 "Luc Ngan lychee picked in the main June season.", "kg", 1.0, raw=True)
# tea (Thái Nguyên)
CBTC = product("suongmai", 10018, "Chè búp Tân Cương hộp 200 g", "Tan Cuong green tea buds, 200 g box",
               "Sương Mai", "tea", "19", "Chè xanh một tôm hai lá, sao suốt thủ công; sản phẩm OCOP 4 sao.",
               "Green tea of one bud and two leaves, hand-fired; a 4-star OCOP product.", "box", 0.2)
TMC = product("suongmai", 10025, "Trà móc câu Tân Cương túi 500 g", "Tan Cuong hook-leaf green tea, 500 g bag",
              "Sương Mai", "tea", "19", "Trà móc câu sợi nhỏ, nước xanh vàng, hậu ngọt.",
              "Fine hook-shaped green tea with a yellow-green liquor and sweet aftertaste.", "pack", 0.5)
RAW_TE = product("suongmai", 90009, "Chè búp tươi (nguyên liệu)", "Fresh tea shoots (raw material)", "Sương Mai",
                 "tea", "19", "Búp chè tươi hái tay tại đồi chè liên kết.",
                 "Fresh tea shoots hand-plucked on the contract tea hill.", "kg", 1.0, raw=True)
# pepper (Gia Lai)
TD200 = product("datdo", 10012, "Hồ tiêu đen Chư Sê túi 200 g", "Chu Se black pepper, 200 g bag", "Đất Đỏ", "spice", "52",
                "Tiêu đen hạt chắc, phơi nắng, làm sạch bằng máy; chứng nhận hữu cơ.",
                "Dense sun-dried black peppercorns, machine-cleaned; certified organic.", "pack", 0.2)
TST100 = product("datdo", 10029, "Tiêu sọ trắng Chư Sê túi 100 g", "Chu Se white pepper, 100 g bag", "Đất Đỏ", "spice", "52",
                 "Tiêu chín đỏ ngâm bóc vỏ, phơi khô thành tiêu sọ trắng.",
                 "Ripe red pepper soaked, skinned and dried into white pepper.", "pack", 0.1)
RAW_PE = product("datdo", 90006, "Hồ tiêu đen hạt khô (nguyên liệu)", "Dried black peppercorns (raw material)",
                 "Đất Đỏ", "spice", "52", "Tiêu hạt phơi khô tại nông hộ, độ ẩm dưới 13%.",
                 "Peppercorns dried at the farm to below 13 % moisture.", "kg", 1.0, raw=True)
# cashew (former Bình Phước, now Đồng Nai)
HDR500 = product("dieuvang", 10013, "Hạt điều rang muối Bình Phước hộp 500 g",
                 "Binh Phuoc salted roasted cashews, 500 g tin", "Điều Vàng", "nuts", "75",
                 "Hạt điều nguyên vỏ lụa rang muối biển.", "Whole cashews roasted in their skins with sea salt.",
                 "box", 0.5)
W320 = product("dieuvang", 10020, "Hạt điều nhân trắng W320 túi 1 kg", "White whole cashew kernels W320, 1 kg bag",
               "Điều Vàng", "nuts", "75", "Nhân điều trắng nguyên hạt cỡ W320, bóc lụa.",
               "White whole cashew kernels, grade W320, skinned.", "bag", 1.0)
RAW_CA = product("dieuvang", 90004, "Hạt điều thô (nguyên liệu)", "Raw cashew nuts in shell (raw material)",
                 "Điều Vàng", "nuts", "75", "Hạt điều thô nhặt và phơi khô tại vườn.",
                 "Raw cashew nuts gathered and sun-dried in the orchard.", "kg", 1.0, raw=True)
PROD = {p["gtin"]: p for p in PRODUCTS}


# ---------------------------------------------------------------- certifications
CERTS = []


def cert(subject, scheme, issuer, number, valid_from, valid_to):
    # Issued by certification bodies (recorded as such: "source": "authority").
    CERTS.append({"subject": subject, "scheme": scheme, "issuer": issuer, "number": number,
                  "valid_from": valid_from, "valid_to": valid_to, "source": "authority"})
    return f"{scheme} {number}"


TNCERT = "Trung tâm Chứng nhận Nông nghiệp Tây Nguyên (TNCert)"
PNCERT = "Công ty TNHH Chứng nhận Chất lượng Phương Nam (PNCert)"
KBCERT = "Trung tâm Chứng nhận Nông sản Kinh Bắc (KBCert)"
VTCERT = "Tổ chức Chứng nhận Sao Việt (SVCert)"
GREENLEAF = "GreenLeaf Assurance Asia"
QUALIS = "Công ty CP Giám định và Chứng nhận Qualis Việt"

VG_CF = cert(F_CF, "VietGAP", TNCERT, "VG-TN-2025-0412", "2025-04-15", "2028-04-14")
VG_RI = cert(F_RI, "VietGAP", PNCERT, "VG-PN-2024-1187", "2024-12-01", "2027-11-30")
VG_FI = cert(F_FI, "VietGAP", PNCERT, "VGTS-PN-2025-0263", "2025-06-01", "2028-05-31")
VG_DF = cert(F_DF, "VietGAP", PNCERT, "VG-PN-2025-0734", "2025-09-10", "2028-09-09")
VG_LY = cert(F_LY, "VietGAP", KBCERT, "VG-KB-2023-0091", "2023-07-01", "2026-06-30")   # expired
VG_TE = cert(F_TE, "VietGAP", VTCERT, "VG-SV-2025-0158", "2025-02-01", "2028-01-31")
VG_PE = cert(F_PE, "VietGAP", TNCERT, "VG-TN-2024-0877", "2024-10-20", "2027-10-19")
VG_CA = cert(F_CA, "VietGAP", PNCERT, "VG-PN-2025-0519", "2025-03-05", "2028-03-04")
ORG_RI = cert(ST2HC, "Organic", GREENLEAF, "GLA-ORG-VN-26-0311", "2026-02-01", "2027-01-31")
ORG_PE = cert(TD200, "Organic", GREENLEAF, "GLA-ORG-VN-26-0187", "2026-01-15", "2027-01-14")
GG_DF = cert(TLD2K, "GlobalGAP", GREENLEAF, "GLA-GG-2026-0093", "2026-03-01", "2027-02-28")
cert(CFH250, "OCOP", "Ủy ban nhân dân tỉnh Đắk Lắk", "OCOP 4 sao – QĐ 2315/QĐ-UBND", "2025-12-18", "2028-12-17")
cert(VSK, "OCOP", "Ủy ban nhân dân tỉnh Bắc Ninh", "OCOP 4 sao – QĐ 1876/QĐ-UBND", "2025-11-20", "2028-11-19")
cert(CBTC, "OCOP", "Ủy ban nhân dân tỉnh Thái Nguyên", "OCOP 4 sao – QĐ 3042/QĐ-UBND", "2026-01-08", "2029-01-07")
cert(NMQ, "OCOP", "Ủy ban nhân dân tỉnh An Giang", "OCOP 5 sao – QĐ 512/QĐ-UBND", "2026-03-02", "2029-03-01")
cert(FAC_CF, "ISO 22000", QUALIS, "QV-FS-22000-2025-0146", "2025-05-10", "2028-05-09")
cert(FAC_RI, "ISO 22000", QUALIS, "QV-FS-22000-2024-0392", "2024-11-25", "2027-11-24")
cert(FAC_FI, "HACCP", QUALIS, "QV-HACCP-2025-0811", "2025-08-01", "2028-07-31")
cert(FAC_NM, "HACCP", QUALIS, "QV-HACCP-2024-0675", "2024-09-16", "2027-09-15")
cert(FAC_TE, "HACCP", VTCERT, "SV-HACCP-2026-0042", "2026-04-01", "2029-03-31")
cert(FAC_CA, "ISO 22000", QUALIS, "QV-FS-22000-2026-0058", "2026-02-20", "2029-02-19")
cert(PH_DF, "HACCP", PNCERT, "PN-HACCP-2025-0227", "2025-10-01", "2028-09-30")


# ---------------------------------------------------------------- lots, serials, events
LOTS = []
SERIALS = []
EVENTS = []
VN_TZ = dt.timezone(dt.timedelta(hours=7))
# devices that are not "<username>-phone": shared scanners at the receiving bays
BAY_DEVICE = {
    ("supermarket", SHOP_HCM): "supermarket-hcm-scanner",
    ("supermarket", SHOP_HN): "supermarket-hn-scanner",
    ("supermarket", SHOP_DN): "supermarket-dn-scanner",
    ("supermarket", DC_AL): "supermarket-dc-scanner",
    ("market", MKT_HN): "market-hn-tablet",
    ("market", MKT_HCM): "market-hcm-tablet",
}


def utc(local: str) -> str:
    """'2026-10-02 14:15' Viet Nam time (UTC+7) -> '2026-10-02T07:15:00.000Z'."""
    t = dt.datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=VN_TZ).astimezone(dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def add_lot(gtin, lot, production_date, expiry, quantity, origin_gln):
    LOTS.append({"gtin": gtin, "lot": lot, "production_date": production_date, "expiry": expiry,
                 "quantity": float(quantity), "unit": UNIT_OF[gtin], "origin_gln": origin_gln})


def ev(username, local, kind, payload, device=None):
    EVENTS.append({"user": username, "device": device or username.replace("_", "-") + "-phone",
                   "device_time": utc(local), "kind": kind, "payload": payload})


def diary(username, local, input_name, dose, applied_on, phi, gln, lot=None):
    ev(username, local, "farm_diary", {
        "input_name": input_name, "dose": dose, "applied_on": applied_on,
        "pre_harvest_interval_days": phi, "gln": gln, "lot": lot, "photos": []})


def harvest(username, local, gtin, lot, quantity, harvest_date, gln, certification, expiry):
    add_lot(gtin, lot, harvest_date, expiry, quantity, gln)
    ev(username, local, "harvest", {
        "product": PROD[gtin]["name_vi"], "gtin": gtin, "lot": lot, "quantity": float(quantity),
        "unit": UNIT_OF[gtin], "harvest_date": harvest_date, "gln": gln, "location": coords(gln),
        "certification": certification, "photos": []})


def transfer(kind, username, local, gtin, lot, quantity, from_gln, to_gln):
    bay = to_gln if kind == "receiving" else from_gln
    ev(username, local, kind, {
        "gtin": gtin, "lot": lot, "quantity": float(quantity), "unit": UNIT_OF[gtin],
        "from_gln": from_gln, "to_gln": to_gln}, device=BAY_DEVICE.get((username, bay)))


def move(shipper, t_ship, receiver, t_recv, gtin, lot, quantity, from_gln, to_gln):
    transfer("shipping", shipper, t_ship, gtin, lot, quantity, from_gln, to_gln)
    transfer("receiving", receiver, t_recv, gtin, lot, quantity, from_gln, to_gln)


def transform(username, local, date, gln, process, inputs, outputs):
    """inputs: [(gtin, lot, qty)]; outputs: [(gtin, lot, qty, expiry)] (registered as lots)."""
    for gtin, lot, qty, expiry in outputs:
        add_lot(gtin, lot, date, expiry, qty, gln)
    ref = lambda g, l, q: {"gtin": g, "lot": l, "quantity": float(q), "unit": UNIT_OF[g]}
    ev(username, local, "transformation", {
        "inputs": [ref(g, l, q) for g, l, q in inputs],
        "outputs": [ref(g, l, q) for g, l, q, _ in outputs],
        "gln": gln, "process": process, "date": date})


def inspect(username, local, code, market_gln, result, reasons, sample_taken, notes):
    ev(username, local, "inspection", {
        "code": code, "market_gln": market_gln, "location": coords(market_gln), "result": result,
        "reasons": list(reasons), "sample_taken": sample_taken, "notes": notes, "photos": []})


def scan(username, local, raw_text, symbology_id, element_string, where, answer):
    ev(username, local, "scan", {
        "raw_text": raw_text, "symbology_id": symbology_id, "element_string": element_string,
        "location": None if where is None else {"lat": where[0], "lon": where[1]},
        "answer_shown": answer})


def yymmdd(date):
    return date[2:4] + date[5:7] + date[8:10]


def scan_link_lot(username, local, gtin, lot, where, answer):
    """A GS1 Digital Link QR code with a lot."""
    scan(username, local, f"https://id.gs1.org/01/{gtin}/10/{lot}", "]Q1", f"(01){gtin}(10){lot}", where, answer)


def scan_datamatrix(username, local, gtin, expiry, lot, where, answer):
    """A GS1 DataMatrix: (01) GTIN, (17) expiry, (10) lot (last, so no FNC1 needed)."""
    scan(username, local, f"01{gtin}17{yymmdd(expiry)}10{lot}", "]d2",
         f"(01){gtin}(17){yymmdd(expiry)}(10){lot}", where, answer)


def scan_serial(username, local, gtin, serial, where, answer):
    scan(username, local, f"https://id.gs1.org/01/{gtin}/21/{serial}", "]Q1", f"(01){gtin}(21){serial}", where, answer)


def scan_ean(username, local, gtin, where, answer):
    scan(username, local, ean13(gtin), "]E0", f"(01){gtin}", where, answer)


def lot_code(gtin, lot):
    return f"(01){gtin}(10){lot}"


# where consumers stand
AT_HN = (21.0285, 105.8542)       # Hoàn Kiếm, Hà Nội
AT_HCM = (10.7769, 106.7009)      # Bến Thành, TP. Hồ Chí Minh
AT_DN = (16.0544, 108.2022)       # Hải Châu, Đà Nẵng
AT_SHOP_HN = (21.0331, 105.7899)
AT_SHOP_HCM = (10.8030, 106.7350)
AT_SHOP_DN = (16.0700, 108.2241)

# ======== Coffee, Đắk Lắk: farmer -> Cao Nguyên Xanh (enterprise) -> An Lành shops
diary("farmer", "2026-08-05 07:30", "Phân bón NPK 16-16-8", "0,5 kg/cây", "2026-08-05", None, P_CF3)
diary("farmer", "2026-09-02 07:00", "Phân hữu cơ vi sinh", "3 kg/cây", "2026-09-02", None, P_CF3)
diary("farmer", "2026-09-12 07:15", "Phân bón lá vi lượng (Bo, Kẽm)", "50 ml/16 lít nước", "2026-09-12", None, P_CF7)
diary("farmer", "2026-09-20 06:45", "Thuốc trừ nấm gốc đồng (copper hydroxide 77%)", "40 g/16 lít nước",
      "2026-09-20", 14, P_CF3)
CF_RAW_LOT, CF_HONEY_LOT = "CPN-HP03-261020", "CPH-HP07-261022"
harvest("farmer", "2026-10-20 17:30", RAW_CF, CF_RAW_LOT, 3000, "2026-10-20", F_CF, VG_CF, "2027-10-20")
harvest("farmer", "2026-10-22 17:00", RAW_CF, CF_HONEY_LOT, 800, "2026-10-22", F_CF, VG_CF, "2027-10-22")
move("farmer", "2026-11-02 07:00", "enterprise", "2026-11-02 14:30", RAW_CF, CF_RAW_LOT, 3000, F_CF, FAC_CF)
move("farmer", "2026-11-03 07:30", "enterprise", "2026-11-03 15:00", RAW_CF, CF_HONEY_LOT, 800, F_CF, FAC_CF)
CF500_LOT, CF1K_LOT, CFH_LOT = "RX500-261105", "HR1K-261106", "HN250-261107"
transform("enterprise", "2026-11-05 10:00", "2026-11-05", FAC_CF, "rang xay, đóng gói",
          [(RAW_CF, CF_RAW_LOT, 2400)], [(CF500, CF500_LOT, 3800, "2027-11-05")])
transform("enterprise", "2026-11-06 10:00", "2026-11-06", FAC_CF, "rang hạt, đóng gói",
          [(RAW_CF, CF_RAW_LOT, 600)], [(CF1K, CF1K_LOT, 480, "2027-11-06")])
transform("enterprise", "2026-11-07 10:00", "2026-11-07", FAC_CF, "rang xay, đóng gói",
          [(RAW_CF, CF_HONEY_LOT, 800)], [(CFH250, CFH_LOT, 2600, "2027-11-07")])
move("enterprise", "2026-11-09 08:00", "supermarket", "2026-11-10 09:00", CF500, CF500_LOT, 1200, FAC_CF, SHOP_HCM)
move("enterprise", "2026-11-09 08:20", "supermarket", "2026-11-12 10:00", CF500, CF500_LOT, 800, FAC_CF, SHOP_HN)
move("enterprise", "2026-11-09 08:40", "supermarket", "2026-11-10 09:15", CF1K, CF1K_LOT, 200, FAC_CF, SHOP_HCM)
move("enterprise", "2026-11-10 08:00", "supermarket", "2026-11-11 16:00", CFH250, CFH_LOT, 600, FAC_CF, SHOP_DN)
scan_link_lot("consumer2", "2026-11-15 18:20", CF500, CF500_LOT, AT_SHOP_HCM, "ok")
scan_datamatrix("consumer", "2026-11-18 08:00", CF500, "2027-11-05", CF500_LOT, AT_HN, "ok")
scan_ean("consumer", "2026-11-19 18:10", CF500, AT_SHOP_HN, "ok")

# ======== ST25 rice, Trần Đề (former Sóc Trăng, now Cần Thơ)
diary("hoptac_st25", "2026-08-12 06:30", "Phân bón NPK 20-20-15", "120 kg/ha", "2026-08-12", None, F_RI)
diary("hoptac_st25", "2026-08-15 07:00", "Phân hữu cơ vi sinh", "2 tấn/ha", "2026-08-15", None, P_RI)
diary("hoptac_st25", "2026-09-03 06:30", "Phân đạm urê", "50 kg/ha", "2026-09-03", None, F_RI)
diary("hoptac_st25", "2026-09-18 07:00", "Chế phẩm sinh học Trichoderma", "3 kg/ha", "2026-09-18", None, P_RI)
diary("hoptac_st25", "2026-09-24 16:00", "Thuốc trừ rầy nâu (pymetrozine 50%)", "0,3 kg/ha", "2026-09-24", 14, F_RI)
RI_LOT, RIHC_LOT = "LST25-TD-261101", "LHC-TD12-261103"
harvest("hoptac_st25", "2026-11-01 17:00", RAW_RI, RI_LOT, 20000, "2026-11-01", F_RI, VG_RI, "2027-05-01")
harvest("hoptac_st25", "2026-11-03 16:30", RAW_RIHC, RIHC_LOT, 4000, "2026-11-03", P_RI, f"{VG_RI}; {ORG_RI}",
        "2027-05-03")
move("hoptac_st25", "2026-11-04 06:00", "ent_hatngoc", "2026-11-04 11:00", RAW_RI, RI_LOT, 20000, F_RI, FAC_RI)
move("hoptac_st25", "2026-11-05 06:00", "ent_hatngoc", "2026-11-05 11:00", RAW_RIHC, RIHC_LOT, 4000, P_RI, FAC_RI)
ST5_LOT, ST2HC_LOT = "ST25-5K-261108", "ST25HC-2K-261109"
transform("ent_hatngoc", "2026-11-08 09:00", "2026-11-08", FAC_RI, "sấy, xay xát, đánh bóng, đóng túi",
          [(RAW_RI, RI_LOT, 20000)], [(ST5, ST5_LOT, 2400, "2027-11-08")])
transform("ent_hatngoc", "2026-11-09 09:00", "2026-11-09", FAC_RI, "sấy, xay xát, đóng túi (dây chuyền hữu cơ riêng)",
          [(RAW_RIHC, RIHC_LOT, 4000)], [(ST2HC, ST2HC_LOT, 1200, "2027-11-09")])
move("ent_hatngoc", "2026-11-12 07:00", "supermarket", "2026-11-15 09:30", ST5, ST5_LOT, 600, FAC_RI, SHOP_HN)
move("ent_hatngoc", "2026-11-12 07:30", "market", "2026-11-12 23:30", ST5, ST5_LOT, 400, FAC_RI, MKT_HCM)
move("ent_hatngoc", "2026-11-12 08:00", "supermarket", "2026-11-13 08:45", ST2HC, ST2HC_LOT, 300, FAC_RI, SHOP_HCM)
inspect("inspector2", "2026-11-14 04:30", lot_code(ST5, ST5_LOT), MKT_HCM, "conformant", [], False,
        "Nhãn đầy đủ, tem truy xuất quét được.")
scan_ean("consumer2", "2026-11-16 17:45", ST2HC, AT_SHOP_HCM, "ok")
# last year's lot, still on a shelf in Đà Nẵng: the EXPIRED scenario
ST5_OLD_LOT = "ST25-5K-251105"
add_lot(ST5, ST5_OLD_LOT, "2025-11-05", "2026-11-05", 2000, FAC_RI)
move("ent_hatngoc", "2026-08-18 07:00", "supermarket", "2026-08-21 10:00", ST5, ST5_OLD_LOT, 200, FAC_RI, SHOP_DN)
scan_datamatrix("consumer3", "2026-11-24 17:30", ST5, "2026-11-05", ST5_OLD_LOT, AT_SHOP_DN, "expired")

# ======== Pangasius, Đồng Tháp
diary("farmer_catra", "2026-08-20 06:00", "Thức ăn viên công nghiệp 28% đạm", "2,5% khối lượng cá/ngày",
      "2026-08-20", None, F_FI)
diary("farmer_catra", "2026-09-15 06:30", "Vôi nông nghiệp CaCO3", "150 kg/ha mặt ao", "2026-09-15", None, F_FI)
diary("farmer_catra", "2026-10-01 06:30", "Men vi sinh xử lý nước (Bacillus spp.)", "1 kg/1.000 m³ nước",
      "2026-10-01", None, F_FI)
FI_LOT = "CT-TB-261016"
harvest("farmer_catra", "2026-10-16 05:30", RAW_FI, FI_LOT, 15000, "2026-10-16", F_FI, VG_FI, None)
move("farmer_catra", "2026-10-16 06:30", "ent_phusa", "2026-10-16 11:00", RAW_FI, FI_LOT, 15000, F_FI, FAC_FI)
CTPL_LOT, CTCK_LOT = "CTPL-261016", "CTCK-261016"
transform("ent_phusa", "2026-10-16 17:00", "2026-10-16", FAC_FI, "phi lê, cắt khúc, cấp đông IQF",
          [(RAW_FI, FI_LOT, 15000)],
          [(CTPL, CTPL_LOT, 6400, "2028-10-16"), (CTCK, CTCK_LOT, 3000, "2028-10-16")])
move("ent_phusa", "2026-10-20 07:00", "supermarket", "2026-10-20 14:00", CTPL, CTPL_LOT, 1500, FAC_FI, SHOP_HCM)
move("ent_phusa", "2026-10-22 07:00", "market", "2026-10-24 22:00", CTPL, CTPL_LOT, 1000, FAC_FI, MKT_HN)
move("ent_phusa", "2026-10-22 07:30", "supermarket", "2026-10-25 09:00", CTCK, CTCK_LOT, 800, FAC_FI, SHOP_HN)
inspect("inspector", "2026-10-27 08:00", lot_code(CTPL, CTPL_LOT), MKT_HN, "conformant", [], True,
        "Nhiệt độ tủ đông -19 °C; lấy mẫu kiểm tra vi sinh.")

# ======== Red dragon fruit, Hàm Thuận Nam (former Bình Thuận, now Lâm Đồng)
diary("farmer_thanhlong", "2026-09-10 06:30", "Phân bón NPK 15-15-15", "0,3 kg/trụ", "2026-09-10", None, F_DF)
diary("farmer_thanhlong", "2026-10-25 16:30", "Thuốc trừ nấm (azoxystrobin 25%)", "10 ml/16 lít nước",
      "2026-10-25", 7, F_DF)
diary("farmer_thanhlong", "2026-11-01 06:30", "Phân bón lá kali nitrat (KNO3)", "30 g/16 lít nước",
      "2026-11-01", None, F_DF)
DF_LOT = "TLD-HTN-261118"
harvest("farmer_thanhlong", "2026-11-18 11:30", RAW_DF, DF_LOT, 8000, "2026-11-18", F_DF, VG_DF, None)
move("farmer_thanhlong", "2026-11-18 14:00", "ent_nangvang", "2026-11-18 15:30", RAW_DF, DF_LOT, 8000, F_DF, PH_DF)
TLD_LOT = "TLD2K-261119"
transform("ent_nangvang", "2026-11-19 09:00", "2026-11-19", PH_DF, "phân loại, xử lý, đóng hộp, làm lạnh",
          [(RAW_DF, DF_LOT, 8000)], [(TLD2K, TLD_LOT, 3600, "2027-01-03")])
move("ent_nangvang", "2026-11-20 07:00", "market", "2026-11-21 02:30", TLD2K, TLD_LOT, 1500, PH_DF, MKT_HCM)
move("ent_nangvang", "2026-11-20 07:30", "supermarket", "2026-11-20 14:00", TLD2K, TLD_LOT, 600, PH_DF, SHOP_HCM)
move("ent_nangvang", "2026-11-20 08:00", "supermarket", "2026-11-22 08:00", TLD2K, TLD_LOT, 800, PH_DF, SHOP_HN)
inspect("inspector2", "2026-11-21 04:30", lot_code(TLD2K, TLD_LOT), MKT_HCM, "conformant", [], True,
        "Test nhanh dư lượng thuốc BVTV đạt; lấy mẫu lưu.")
scan_ean("consumer2", "2026-11-23 18:00", TLD2K, AT_SHOP_HCM, "ok")

# ======== Lychee, Lục Ngạn (former Bắc Giang, now Bắc Ninh): fresh in June, dried, sold in autumn
diary("farmer_vai", "2026-04-10 07:00", "Phân bón NPK 12-5-10", "1,5 kg/cây", "2026-04-10", None, F_LY)
diary("farmer_vai", "2026-05-20 16:30", "Thuốc trừ sâu đục cuống quả (emamectin benzoate 5%)", "10 ml/16 lít nước",
      "2026-05-20", 7, F_LY)
LY_LOT = "VT-LN-260616"
harvest("farmer_vai", "2026-06-16 10:00", RAW_LY, LY_LOT, 12000, "2026-06-16", F_LY, VG_LY, None)
move("farmer_vai", "2026-06-16 14:00", "ent_nangvang", "2026-06-16 15:00", RAW_LY, LY_LOT, 12000, F_LY, FAC_LY)
VSK_LOT = "VSK-260620"
transform("ent_nangvang", "2026-06-20 16:00", "2026-06-20", FAC_LY, "sấy than hoa, phân loại, đóng túi",
          [(RAW_LY, LY_LOT, 12000)], [(VSK, VSK_LOT, 7000, "2027-06-20")])
move("ent_nangvang", "2026-08-25 06:00", "market", "2026-08-25 09:00", VSK, VSK_LOT, 2000, FAC_LY, MKT_HN)
move("ent_nangvang", "2026-09-02 06:00", "supermarket", "2026-09-02 10:30", VSK, VSK_LOT, 1000, FAC_LY, SHOP_HN)
inspect("inspector", "2026-08-27 09:00", lot_code(VSK, VSK_LOT), MKT_HN, "conformant", [], False, None)

# ======== Tea, Tân Cương (Thái Nguyên). The first lot was plucked 4 days after a spray
# whose pre-harvest interval is 7 days: it is the RECALLED scenario.
diary("farmer_che", "2026-08-22 07:00", "Phân bón NPK 20-5-10 chuyên dùng cho chè", "300 kg/ha", "2026-08-22",
      None, P_TE)
diary("farmer_che", "2026-09-28 16:00", "Thuốc trừ rầy xanh (thiamethoxam 25%)", "0,1 kg/ha", "2026-09-28", 7, P_TE)
diary("farmer_che", "2026-10-20 07:00", "Phân hữu cơ hoai mục", "5 tấn/ha", "2026-10-20", None, P_TE)
TE_LOT_A, TE_LOT_B = "CHE-TC-261002", "CHE-TC-261024"
harvest("farmer_che", "2026-10-02 11:00", RAW_TE, TE_LOT_A, 1800, "2026-10-02", F_TE, VG_TE, None)
move("farmer_che", "2026-10-02 13:00", "ent_suongmai", "2026-10-02 13:45", RAW_TE, TE_LOT_A, 1800, F_TE, FAC_TE)
TMC_LOT = "TMC500-261004"
transform("ent_suongmai", "2026-10-04 15:00", "2026-10-04", FAC_TE, "diệt men, vò, sấy, đóng gói",
          [(RAW_TE, TE_LOT_A, 1800)], [(TMC, TMC_LOT, 760, "2028-10-04")])
move("ent_suongmai", "2026-10-10 07:00", "market", "2026-10-13 05:00", TMC, TMC_LOT, 300, FAC_TE, MKT_HCM)
move("ent_suongmai", "2026-10-10 07:20", "market", "2026-10-10 10:00", TMC, TMC_LOT, 200, FAC_TE, MKT_HN)
move("ent_suongmai", "2026-10-10 07:40", "supermarket", "2026-10-10 11:00", TMC, TMC_LOT, 150, FAC_TE, SHOP_HN)
harvest("farmer_che", "2026-10-24 11:00", RAW_TE, TE_LOT_B, 2200, "2026-10-24", F_TE, VG_TE, None)
move("farmer_che", "2026-10-24 13:00", "ent_suongmai", "2026-10-24 13:45", RAW_TE, TE_LOT_B, 2200, F_TE, FAC_TE)
CBTC_LOT = "CBTC200-261026"
transform("ent_suongmai", "2026-10-26 15:00", "2026-10-26", FAC_TE, "diệt men, vò, sao suốt, đóng hộp",
          [(RAW_TE, TE_LOT_B, 2200)], [(CBTC, CBTC_LOT, 2300, "2028-10-26")])
move("ent_suongmai", "2026-11-02 07:00", "supermarket", "2026-11-02 11:30", CBTC, CBTC_LOT, 800, FAC_TE, SHOP_HN)
move("ent_suongmai", "2026-11-02 07:30", "supermarket", "2026-11-05 09:00", CBTC, CBTC_LOT, 500, FAC_TE, SHOP_HCM)
# consumers scan the tea lot before anyone knows
scan_datamatrix("consumer", "2026-10-25 19:40", TMC, "2028-10-04", TMC_LOT, AT_SHOP_HN, "ok")
scan_link_lot("consumer2", "2026-11-08 20:15", TMC, TMC_LOT, AT_HCM, "ok")
scan_link_lot("consumer3", "2026-11-12 08:10", TMC, TMC_LOT, AT_DN, "ok")
inspect("inspector2", "2026-11-14 05:00", lot_code(TMC, TMC_LOT), MKT_HCM, "non_conformant",
        ["dư lượng thuốc BVTV vượt ngưỡng"], True,
        "Test nhanh dương tính nhóm neonicotinoid; lấy 3 mẫu gửi phòng thử nghiệm, tạm dừng bán 120 túi.")
inspect("inspector", "2026-11-17 09:30", lot_code(TMC, TMC_LOT), MKT_HN, "non_conformant",
        ["dư lượng thuốc BVTV vượt ngưỡng", "cùng lô với mẫu không đạt tại TP. Hồ Chí Minh"], True,
        "Kiểm tra theo cảnh báo; lấy mẫu đối chứng, niêm phong 46 túi tại quầy.")
RECALL_AT = "2026-11-20T09:00:00Z"   # R-2026-0001, declared by `authority`
scan_datamatrix("consumer", "2026-11-22 07:30", TMC, "2028-10-04", TMC_LOT, AT_HN, "recalled")

# ======== Black pepper, Chư Sê (Gia Lai): harvested in March, stored, packed in September
diary("farmer2", "2026-01-15 07:00", "Phân hữu cơ ủ hoai (phân bò ủ Trichoderma)", "5 kg/trụ", "2026-01-15", None, F_PE)
diary("farmer2", "2026-02-10 07:00", "Chế phẩm nấm xanh Metarhizium (trừ rệp sáp)", "2 kg/ha", "2026-02-10", None, F_PE)
PE_LOT = "TIEU-CS-260318"
harvest("farmer2", "2026-03-18 16:00", RAW_PE, PE_LOT, 5000, "2026-03-18", F_PE, f"{VG_PE}; {ORG_PE}", "2028-03-18")
move("farmer2", "2026-09-08 07:00", "ent_datdo", "2026-09-08 09:00", RAW_PE, PE_LOT, 3000, F_PE, FAC_PE)
TD_LOT = "TD200-260912"
transform("ent_datdo", "2026-09-12 14:00", "2026-09-12", FAC_PE, "làm sạch, phân loại, tiệt trùng hơi nước, đóng túi",
          [(RAW_PE, PE_LOT, 3000)], [(TD200, TD_LOT, 12000, "2028-09-12")])
move("ent_datdo", "2026-09-20 07:00", "supermarket", "2026-09-21 10:00", TD200, TD_LOT, 2000, FAC_PE, SHOP_HCM)
move("ent_datdo", "2026-09-20 07:30", "market", "2026-09-22 21:00", TD200, TD_LOT, 3000, FAC_PE, MKT_HN)
inspect("inspector", "2026-09-26 08:30", lot_code(TD200, TD_LOT), MKT_HN, "conformant", [], True,
        "Lấy mẫu kiểm tra độ ẩm và nấm mốc.")
# white pepper that turned up in Đà Nẵng with no record upstream: the BROKEN_CHAIN scenario
TST_LOT = "TST100-260815"
add_lot(TST100, TST_LOT, "2026-08-15", "2028-08-15", 2000, FAC_PE)
transfer("receiving", "supermarket", "2026-10-05 10:00", TST100, TST_LOT, 300, None, SHOP_DN)
scan_link_lot("consumer3", "2026-11-10 18:00", TST100, TST_LOT, AT_SHOP_DN, "ok")

# ======== Cashew, Bù Đăng (former Bình Phước, now Đồng Nai)
diary("farmer_dieu", "2026-01-08 16:00", "Thuốc trừ bọ xít muỗi (lambda-cyhalothrin 2,5%)", "15 ml/16 lít nước",
      "2026-01-08", 14, F_CA)
diary("farmer_dieu", "2026-02-20 07:00", "Phân bón NPK 16-16-8", "1 kg/cây", "2026-02-20", None, F_CA)
CA_LOT = "HDT-BD-260410"
harvest("farmer_dieu", "2026-04-10 16:30", RAW_CA, CA_LOT, 10000, "2026-04-10", F_CA, VG_CA, "2027-04-10")
move("farmer_dieu", "2026-09-05 06:30", "ent_dieuvang", "2026-09-05 10:00", RAW_CA, CA_LOT, 10000, F_CA, FAC_CA)
HDR_LOT, W320_LOT = "HDR500-260910", "W320-260910"
transform("ent_dieuvang", "2026-09-10 15:00", "2026-09-10", FAC_CA,
          "hấp, tách vỏ, sấy, bóc lụa, phân loại, rang muối", [(RAW_CA, CA_LOT, 10000)],
          [(HDR500, HDR_LOT, 3000, "2027-09-10"), (W320, W320_LOT, 700, "2027-09-10")])
move("ent_dieuvang", "2026-09-18 07:00", "market", "2026-09-18 21:00", W320, W320_LOT, 300, FAC_CA, MKT_HCM)
move("ent_dieuvang", "2026-09-20 07:00", "supermarket", "2026-09-23 09:00", HDR500, HDR_LOT, 800, FAC_CA, SHOP_HN)
move("ent_dieuvang", "2026-09-20 07:30", "supermarket", "2026-09-22 09:00", HDR500, HDR_LOT, 500, FAC_CA, SHOP_DN)
inspect("inspector2", "2026-09-19 04:00", lot_code(W320, W320_LOT), MKT_HCM, "conformant", [], True,
        "Lấy mẫu kiểm aflatoxin.")
scan_ean("consumer3", "2026-09-27 18:30", HDR500, AT_SHOP_DN, "ok")
# loose roasted cashews at a stall, labelled without a date or a maker
UNKNOWN_GTIN = make_gtin("8939990", 41)
inspect("inspector", "2026-11-10 08:45", f"(01){UNKNOWN_GTIN}", MKT_HN, "non_conformant",
        ["nhãn thiếu hạn sử dụng", "nhãn không ghi tên, địa chỉ cơ sở sản xuất"], False,
        "Hạt điều rang bán tại sạp B2-14, không rõ nguồn gốc; lập biên bản, tạm giữ 45 kg.")
scan_ean("consumer", "2026-11-21 10:15", UNKNOWN_GTIN, AT_HN, "not_registered")

# ======== Fish sauce, Phú Quốc (now An Giang). The gift box is serialised: the CLONED scenario.
NMC_LOT = "NMC-TH12-260920"     # bulk sauce drawn from barrel 12 after 12 months; no event made it
add_lot(SEMI_NM, NMC_LOT, "2026-09-20", "2029-09-20", 12000, FAC_NM)
NM40_LOT, NMQ_LOT = "NM40-260925", "NMQ-260925"
transform("ent_daongoc", "2026-09-25 10:00", "2026-09-25", FAC_NM, "lọc, đóng chai, đóng hộp quà",
          [(SEMI_NM, NMC_LOT, 6000)],
          [(NM40, NM40_LOT, 8000, "2029-09-25"), (NMQ, NMQ_LOT, 600, "2029-09-25")])
for i in range(1, 13):
    SERIALS.append({"gtin": NMQ, "lot": NMQ_LOT, "serial": f"DN260925{i:05d}"})
CLONED_SERIAL = "DN26092500007"
move("ent_daongoc", "2026-10-03 07:00", "market", "2026-10-04 22:00", NM40, NM40_LOT, 2000, FAC_NM, MKT_HCM)
move("ent_daongoc", "2026-10-03 07:30", "market", "2026-10-07 20:00", NM40, NM40_LOT, 1500, FAC_NM, MKT_HN)
move("ent_daongoc", "2026-10-05 07:00", "supermarket", "2026-10-07 09:00", NMQ, NMQ_LOT, 150, FAC_NM, SHOP_HCM)
move("ent_daongoc", "2026-10-05 07:20", "supermarket", "2026-10-09 09:00", NMQ, NMQ_LOT, 200, FAC_NM, SHOP_HN)
move("ent_daongoc", "2026-10-05 07:40", "supermarket", "2026-10-08 09:00", NMQ, NMQ_LOT, 100, FAC_NM, SHOP_DN)
inspect("inspector2", "2026-10-05 04:30", lot_code(NM40, NM40_LOT), MKT_HCM, "conformant", [], True,
        "Lấy mẫu kiểm histamin và độ đạm.")
inspect("inspector", "2026-10-09 09:00", lot_code(NM40, NM40_LOT), MKT_HN, "conformant", [], False, None)
scan_serial("consumer2", "2026-10-12 19:00", NMQ, "DN26092500003", AT_SHOP_HCM, "ok")
scan_serial("consumer3", "2026-10-15 20:00", NMQ, "DN26092500005", AT_SHOP_DN, "ok")
scan_serial("consumer", "2026-10-20 18:30", NMQ, "DN26092500011", AT_SHOP_HN, "ok")
# one serial, three cities, 2 h 25 min
scan_serial("consumer", "2026-11-22 19:05", NMQ, CLONED_SERIAL, AT_HN, "ok")
scan_serial("consumer2", "2026-11-22 20:10", NMQ, CLONED_SERIAL, AT_HCM, "ok")
scan_serial("consumer3", "2026-11-22 21:30", NMQ, CLONED_SERIAL, AT_DN, "ok")

# ======== A month in the authority's statistics (2026-10-28 .. today): consumers check
# products by their EAN-13 at home and on trips, and file complaints from their phones.
# Product-level codes only (no lots, no serials, no recalled product), so the recalled,
# expired and cloned scenarios keep their scanners. Varied but deterministic: every
# "random" choice is a hash of what it is for (`_h`), not a random number.
MONTH_START, MONTH_DAYS = "2026-10-28", 30          # .. TODAY


def _h(*key):
    """A number in [0, 1) that depends only on `key`."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def _pick(seq, *key):
    return seq[int(_h(*key) * len(seq))]


def near(gln, *key):
    """A point 0.3 to 1.5 km from a location, in a direction and at a distance given by `key`."""
    lat, lon = LOC[gln]["lat"], LOC[gln]["lon"]
    r, a = 0.3 + 1.2 * _h(*key, "r"), 2 * math.pi * _h(*key, "a")
    return (round(lat + r / 111.2 * math.cos(a), 4),
            round(lon + r / (111.2 * math.cos(math.radians(lat))) * math.sin(a), 4))


# Vietnamese GTINs (893…, valid check digits) that no company registered here: what a
# consumer finds on unknown or imitation goods. Distinct from UNKNOWN_GTIN above.
UNREGISTERED = [make_gtin("8939990", 58), make_gtin("8939991", 17), make_gtin("8939992", 203),
                make_gtin("8939993", 1105), make_gtin("8939994", 72), make_gtin("8939995", 340)]
# where each consumer shops at home: (location it is near, products sold around there)
HOME_SPOTS = {
    "consumer": [(SHOP_HN, [CF500, ST5, TLD2K, VSK, CBTC, HDR500]), (MKT_HN, [CTPL, VSK, TD200, NM40])],
    "consumer2": [(SHOP_HCM, [CF500, CF1K, ST2HC, CTPL, TLD2K, CBTC, TD200]),
                  (MKT_HCM, [ST5, TLD2K, W320, NM40]), (DC_AL, [ST2HC, CF500, CTPL])],
    "consumer3": [(SHOP_DN, [CFH250, HDR500, ST5, CF500, NM40, TD200])],
}
# trips: (consumer, local date) -> (location it is near, the local specialities bought there)
TRIPS = {}
for _user, _dates, _gln, _gtins in [
        ("consumer", ["2026-10-31", "2026-11-01"], FAC_TE, [CBTC]),                   # Thái Nguyên
        ("consumer", ["2026-11-07", "2026-11-08"], FAC_LY, [VSK]),                    # Bắc Ninh (Lục Ngạn)
        ("consumer2", ["2026-10-31"], FAC_CA, [HDR500, W320]),                        # Đồng Nai
        ("consumer2", ["2026-11-06", "2026-11-07"], PH_DF, [TLD2K]),                  # Lâm Đồng (Hàm Thuận Nam)
        ("consumer2", ["2026-11-13"], WH_RI, [ST5, ST2HC]),                           # Cần Thơ
        ("consumer2", ["2026-11-14"], FAC_FI, [CTPL, CTPL, TLD2K]),                   # Đồng Tháp (Sa Đéc)
        ("consumer2", ["2026-11-20", "2026-11-21"], WH_NM, [NM40]),                   # An Giang (Rạch Giá)
        ("consumer3", ["2026-10-31", "2026-11-01"], WH_CF, [CF500, CF1K, CFH250]),    # Đắk Lắk
        ("consumer3", ["2026-11-14", "2026-11-15"], FAC_PE, [TD200]),                 # Gia Lai (Chư Sê)
]:
    for _d in _dates:
        TRIPS[(_user, _d)] = (_gln, _gtins)


def spots_of(username, date):
    if (username, date) in TRIPS:
        return [TRIPS[(username, date)]]
    return HOME_SPOTS[username]


# Complaints: (consumer, local time, GTIN, code as typed: "ean" or "(01)", category, province,
# location the consumer is near when scanning it first (None: an earlier scan above), contact,
# description). A signed-in filer needs no contact; two left an e-mail address anyway.
COMPLAINTS = [
    ("consumer", "2026-10-29 19:20", UNREGISTERED[0], "ean", "counterfeit", "01", SHOP_HN, None,
     "Nghi hàng giả: gói cà phê rang xay mua ở tiệm tạp hóa in nhãn giống hệt Cao Nguyên Xanh nhưng mã vạch "
     "không có trong hệ thống, tem chống giả không quét được."),
    ("consumer", "2026-11-01 10:40", CBTC, "ean", "labelling", "19", FAC_TE, None,
     "Hộp chè búp mua ở quầy đặc sản không ghi ngày sản xuất; hạn sử dụng là tem dán tay đè lên nhãn gốc."),
    ("consumer3", "2026-11-01 16:05", CF500, "(01)", "quality_safety", "66", WH_CF, None,
     "Gói cà phê rang xay bị phồng, mở ra có mùi mốc và vón cục dù còn hạn sử dụng."),
    ("consumer2", "2026-11-04 18:30", UNREGISTERED[1], "ean", "counterfeit", "79", MKT_HCM,
     "ntd.binhthanh@thudientu.example",
     "Chai nước mắm ghi \"Phú Quốc 40 độ đạm\" nhưng mã vạch không có trong hệ thống, nhãn in mờ, "
     "nắp không có màng niêm phong."),
    ("consumer2", "2026-11-07 09:15", TLD2K, "ean", "other", "68", PH_DF, None,
     "Mã QR dán trên hộp thanh long dẫn tới một trang web lạ đòi nhập số điện thoại để nhận quà; "
     "nghi tem lừa đảo dán đè lên tem của nhà sản xuất."),
    ("consumer", "2026-11-08 15:50", VSK, "ean", "expired", "24", FAC_LY, None,
     "Túi vải thiều sấy bán ở sạp ven đường có hạn sử dụng bị tẩy và in lại; vải bên trong chảy nước, có mùi chua."),
    ("consumer2", "2026-11-13 11:20", ST2HC, "(01)", "quality_safety", "92", WH_RI, None,
     "Gạo hữu cơ túi 2 kg có nhiều mọt và sạn nhỏ, vo gạo thấy mọt đen nổi lên."),
    ("consumer3", "2026-11-15 09:30", TD200, "ean", "other", "52", FAC_PE, None,
     "Túi hồ tiêu ghi khối lượng tịnh 200 g nhưng cân lại chỉ được khoảng 180 g; đã thử ba túi cùng loại."),
    ("consumer", "2026-11-17 20:05", UNREGISTERED[2], "ean", "counterfeit", "01", MKT_HN,
     "nguoimua.longbien@thudientu.example",
     "Hộp chè in logo giống Chè Sương Mai nhưng mã vạch không tra được, giấy hộp mỏng, "
     "chè bên trong vụn và có màu lạ."),
    ("consumer", "2026-11-21 10:24", UNKNOWN_GTIN, "ean", "labelling", "01", None, None,
     "Hạt điều rang bán xá ở sạp trong chợ, túi không ghi hạn sử dụng, không ghi tên và địa chỉ cơ sở sản xuất."),
    ("consumer3", "2026-11-24 17:42", ST5, "ean", "expired", "48", None, None,
     "Gạo ST25 túi 5 kg trên kệ siêu thị đã hết hạn sử dụng từ ngày 05/11/2026 nhưng vẫn bày bán cùng hàng mới."),
    ("consumer2", "2026-11-25 19:10", CTPL, "(01)", "quality_safety", "79", SHOP_HCM, None,
     "Cá tra phi lê đông lạnh trong tủ bị rã đông, túi đọng nước và đá bám dày; nghi tủ đông hỏng nhiều ngày."),
]


def complaint(username, local, code, category, province, contact, description):
    ev(username, local, "complaint", {
        "code": code, "category": category, "description": description, "province": province,
        "contact": contact, "photos": []})


def scans_on(date):
    """How many product scans consumers make on a local date: more on Fridays and weekends,
    and more in the days after the tea recall (2026-11-20) was in the news."""
    weekday = dt.date.fromisoformat(date).weekday()            # Monday = 0
    n = [2, 3, 3, 3, 4, 7, 6][weekday]
    return n + {"2026-11-20": 2, "2026-11-21": 2, "2026-11-22": 1}.get(date, 0)


def add_minutes(local, minutes):
    t = dt.datetime.strptime(local, "%Y-%m-%d %H:%M") + dt.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%d %H:%M")


ROTATION = ["consumer2", "consumer", "consumer3", "consumer2", "consumer", "consumer2", "consumer", "consumer3"]
_taken = {(e["device"], e["device_time"]) for e in EVENTS} | {(c[0] + "-phone", utc(c[1])) for c in COMPLAINTS}
_turn = _count = 0
for _i in range(MONTH_DAYS):
    date = (dt.date.fromisoformat(MONTH_START) + dt.timedelta(days=_i)).isoformat()
    # (consumer, local time or None, (location, products), GTIN or None): the scans before
    # complaints, then one by each consumer away on a trip, then consumers in turn
    plan = [(u, add_minutes(t, -7), (at, None), g) for u, t, g, _, _, _, at, _, _ in COMPLAINTS
            if t[:10] == date and at is not None]
    for (u, d), spot in sorted(TRIPS.items()):
        if d == date and all(p[0] != u for p in plan):
            plan.append((u, None, spot, None))
    while len(plan) < scans_on(date):
        u = ROTATION[_turn % len(ROTATION)]
        _turn += 1
        plan.append((u, None, _pick(spots_of(u, date), date, len(plan), "spot"), None))
    for j, (u, t, (gln, gtins), gtin) in enumerate(plan):
        if gtin is None:
            _count += 1
            # one scan in seven is of a GTIN nobody registered
            gtin = _pick(UNREGISTERED, date, j) if _count % 7 == 3 else _pick(gtins, date, j, "gtin")
        if t is None:
            # after work or during the day; today's scans are all before noon
            first, last = (7 * 60, 12 * 60) if date == TODAY else \
                (17 * 60, 21 * 60 + 30) if _h(date, j, "evening") < 0.55 else (8 * 60, 16 * 60 + 30)
            minute = first + int(_h(date, j, "minute") * (last - first))
            t = f"{date} {minute // 60:02d}:{minute % 60:02d}"
            while (u + "-phone", utc(t)) in _taken:
                t = add_minutes(t, 1)
        elif (u + "-phone", utc(t)) in _taken:
            raise SystemExit(f"the scan before a complaint clashes with another event of {u} at {t}")
        _taken.add((u + "-phone", utc(t)))
        scan_ean(u, t, gtin, near(gln, date, j, u), "ok" if gtin in PROD else "not_registered")
for u, t, g, form, category, province, _, contact, description in COMPLAINTS:
    complaint(u, t, ean13(g) if form == "ean" else f"(01){g}", category, province, contact, description)

# ---------------------------------------------------------------- recalls, scenarios
RECALLS = [
    {"id": "R-2026-0001", "gtin": TMC, "lots": [TMC_LOT],
     "reason_vi": "Kết quả kiểm nghiệm phát hiện dư lượng thiamethoxam vượt giới hạn tối đa cho phép; "
                  "ngừng bán và trả hàng về cơ sở sản xuất.",
     "reason_en": "Laboratory tests found thiamethoxam residue above the maximum residue limit; "
                  "stop selling and return the goods to the producer.",
     "severity": "high", "declared_by": "authority", "declared_at": RECALL_AT, "province": None},
    {"id": "R-2026-0002", "gtin": CTCK, "lots": [CTCK_LOT],
     "reason_vi": "Nhãn in sai ngày sản xuất (16/01/2026 thay vì 16/10/2026); đổi nhãn, chất lượng không bị ảnh hưởng.",
     "reason_en": "Wrong production date printed on the label (16/01/2026 instead of 16/10/2026); "
                  "relabelling only, quality is not affected.",
     "severity": "low", "declared_by": "ent_phusa", "declared_at": "2026-11-05T02:00:00Z", "province": None},
]
SCENARIOS = {
    "recalled": {"gtin": TMC, "lot": TMC_LOT},
    "expired": {"gtin": ST5, "lot": ST5_OLD_LOT},
    "cloned": {"gtin": NMQ, "serial": CLONED_SERIAL},
    "broken_chain": {"gtin": TST100, "lot": TST_LOT},
    "complete_chain": {"gtin": CF500, "lot": CF500_LOT},
}
# packaged lots whose chain must be complete from farm diary to shop
COMPLETE_CHAINS = [
    (CF500, CF500_LOT), (CFH250, CFH_LOT), (ST5, ST5_LOT), (ST2HC, ST2HC_LOT), (CTPL, CTPL_LOT),
    (TLD2K, TLD_LOT), (VSK, VSK_LOT), (CBTC, CBTC_LOT), (TD200, TD_LOT), (HDR500, HDR_LOT),
]


# ================================================================ validation
import unicodedata  # noqa: E402  (kept next to its only user)

TOP_KEYS = ["_comment", "users", "companies", "locations", "products", "certifications", "lots", "serials",
            "recalls", "events", "scenarios"]
RECORD_KEYS = {
    "users": ["username", "role", "display_name", "province", "glns"],
    "companies": ["key", "name", "tax_code", "gln", "province", "address", "phone", "email", "website",
                  "prefixes"],
    "locations": ["gln", "company", "kind", "name", "address", "province", "lat", "lon"],
    "products": ["gtin", "company", "name_vi", "name_en", "brand", "category", "origin_province",
                 "description_vi", "description_en", "image"],
    "certifications": ["subject", "scheme", "issuer", "number", "valid_from", "valid_to", "source"],
    "lots": ["gtin", "lot", "production_date", "expiry", "quantity", "unit", "origin_gln"],
    "serials": ["gtin", "lot", "serial"],
    "recalls": ["id", "gtin", "lots", "reason_vi", "reason_en", "severity", "declared_by", "declared_at", "province"],
    "events": ["user", "device", "device_time", "kind", "payload"],
}
PAYLOAD_KEYS = {
    "scan": ["raw_text", "symbology_id", "element_string", "location", "answer_shown"],
    "harvest": ["product", "gtin", "lot", "quantity", "unit", "harvest_date", "gln", "location", "certification",
                "photos"],
    "farm_diary": ["input_name", "dose", "applied_on", "pre_harvest_interval_days", "gln", "lot", "photos"],
    "inspection": ["code", "market_gln", "location", "result", "reasons", "sample_taken", "notes", "photos"],
    "shipping": ["gtin", "lot", "quantity", "unit", "from_gln", "to_gln"],
    "receiving": ["gtin", "lot", "quantity", "unit", "from_gln", "to_gln"],
    "transformation": ["inputs", "outputs", "gln", "process", "date"],
    "complaint": ["code", "category", "description", "province", "contact", "photos"],
}
LOTREF_KEYS = ["gtin", "lot", "quantity", "unit"]
ROLES = {"consumer", "farmer", "enterprise", "inspector", "authority", "certifier"}
WRITERS = {
    "scan": ROLES, "harvest": {"farmer", "enterprise"}, "farm_diary": {"farmer", "enterprise"},
    "inspection": {"inspector", "authority"}, "shipping": {"farmer", "enterprise"},
    "receiving": {"enterprise"}, "transformation": {"enterprise"}, "complaint": ROLES,
}
# core/src/journal/check.rs: COMPLAINT_CATEGORIES and check_complaint's limits
COMPLAINT_CATEGORIES = ["counterfeit", "quality_safety", "labelling", "expired", "other"]
KINDS = {"farm", "plot", "factory", "warehouse", "market", "shop"}
UNITS = {"kg", "bag", "box", "bottle", "pack"}
CATEGORIES = {"coffee", "rice", "seafood", "fruit", "spice", "tea", "nuts", "condiment"}
SCHEMES = {"VietGAP", "GlobalGAP", "Organic", "HACCP", "ISO 22000", "OCOP"}
ANSWERS = {"ok", "recalled", "expired", "not_registered"}
VI_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
LOT_RE = re.compile(r"^[A-Z0-9-]{1,20}$")
SERIAL_RE = re.compile(r"^[A-Z0-9]{1,20}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEVICE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ELEMENT_RE = re.compile(r"^\(01\)(\d{14})(?:\(17\)(\d{6}))?(?:\(10\)([A-Z0-9-]{1,20})|\(21\)([A-Z0-9]{1,20}))?$")
# Viet Nam "today" ends at 2026-11-26 24:00 +07:00
END_OF_TODAY = "2026-11-26T17:00:00.000Z"
CITY = {"consumer": AT_HN, "consumer2": AT_HCM, "consumer3": AT_DN}


def is_date(s):
    if not isinstance(s, str) or not DATE_RE.match(s):
        return False
    try:
        dt.date.fromisoformat(s)
        return True
    except ValueError:
        return False


def is_num(x):
    return isinstance(x, float) and math.isfinite(x)


def gtin_ok(g):
    return isinstance(g, str) and len(g) == 14 and g.startswith("0893") and has_valid_check_digit(g)


def gln_ok(g):
    return isinstance(g, str) and len(g) == 13 and g.startswith("893") and has_valid_check_digit(g)


def local_date(device_time):
    t = dt.datetime.strptime(device_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    return t.astimezone(VN_TZ).date().isoformat()


def parse_time(s):
    s = s.replace("Z", "+00:00")
    return dt.datetime.fromisoformat(s)


def add_days(date, days):
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def validate(data):
    errors = []

    def err(msg):
        errors.append(msg)

    # ---- shape
    if list(data.keys()) != TOP_KEYS:
        err(f"top-level keys {list(data.keys())}")
        return errors
    for section, keys in RECORD_KEYS.items():
        for i, rec in enumerate(data[section]):
            if list(rec.keys()) != keys:
                err(f"{section}[{i}] keys {list(rec.keys())}")
    if errors:
        return errors
    c = data["_comment"]
    if not ("invented" in c.lower() and "`demo`" in c and "scripts/gen-demo-data.py" in c):
        err("_comment must say the data are invented, the password is `demo` and name the script")

    # ---- every string: NFC, no pre-merger provinces; every bare GTIN/GLN-looking number has a check digit
    def walk(x, path):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]")
        elif isinstance(x, str):
            if unicodedata.normalize("NFC", x) != x:
                err(f"{path}: not NFC: {x!r}")
            for old in OLD_PROVINCE_FORMS:
                if old in x:
                    err(f"{path}: pre-merger or district-level name {old!r} in {x!r}")
            if x.isdigit() and len(x) in (13, 14) and not has_valid_check_digit(x):
                err(f"{path}: {x} has a bad GS1 check digit")
    walk(data, "$")

    users = {u["username"]: u for u in data["users"]}
    companies = {c["key"]: c for c in data["companies"]}
    locs = {l["gln"]: l for l in data["locations"]}
    prods = {p["gtin"]: p for p in data["products"]}
    lots = {(l["gtin"], l["lot"]): l for l in data["lots"]}
    serials = {(s["gtin"], s["serial"]): s for s in data["serials"]}
    for name, items, key in [("users", data["users"], "username"), ("companies", data["companies"], "key"),
                             ("locations", data["locations"], "gln"), ("products", data["products"], "gtin"),
                             ("recalls", data["recalls"], "id")]:
        dup = [k for k, n in Counter(r[key] for r in items).items() if n > 1]
        if dup:
            err(f"duplicate {name}: {dup}")
    if len(lots) != len(data["lots"]):
        err("duplicate lots")
    if len(serials) != len(data["serials"]):
        err("duplicate serials")
    all_glns = [c["gln"] for c in data["companies"]] + list(locs)
    if len(set(all_glns)) != len(all_glns):
        err("a GLN is used twice")

    def province_ok(code, what, allow_none=False):
        if code is None and allow_none:
            return
        if code not in PROVINCES:
            err(f"{what}: unknown province code {code!r}")

    # ---- companies
    for co in data["companies"]:
        w = f"company {co['key']}"
        if not re.match(r"^[a-z0-9_]{2,32}$", co["key"]):
            err(f"{w}: key")
        if not re.match(r"^\d{10}$", co["tax_code"] or ""):
            err(f"{w}: tax code must have 10 digits")
        if not gln_ok(co["gln"]):
            err(f"{w}: GLN {co['gln']}")
        province_ok(co["province"], w)
        if co["province"] in PROVINCES and not co["address"].endswith(PROVINCES[co["province"]]):
            err(f"{w}: address does not end with {PROVINCES[co['province']]!r}")
        if not re.match(r"^0\d{2,3} \d{3,4} \d{3,4}$", co["phone"]):
            err(f"{w}: phone {co['phone']!r}")
        if not re.match(r"^[a-z0-9.]+@[a-z0-9.]+\.example$", co["email"]):
            err(f"{w}: e-mail must be under the reserved .example domain")
        if co["website"] is not None:
            err(f"{w}: website should be null")
        if co["prefixes"] != [co["gln"][:7]]:
            err(f"{w}: its GS1 company prefix is the first 7 digits of its GLN")

    # ---- locations
    for l in data["locations"]:
        w = f"location {l['gln']} {l['name']}"
        if not gln_ok(l["gln"]):
            err(f"{w}: bad GLN")
        co = companies.get(l["company"])
        if co is None:
            err(f"{w}: unknown company")
            continue
        if l["gln"][:7] != co["gln"][:7]:
            err(f"{w}: GLN is not under its company's prefix")
        if l["kind"] not in KINDS:
            err(f"{w}: kind {l['kind']}")
        province_ok(l["province"], w)
        if l["province"] in PROVINCES and not l["address"].endswith(PROVINCES[l["province"]]):
            err(f"{w}: address does not end with {PROVINCES[l['province']]!r}")
        if not (is_num(l["lat"]) and is_num(l["lon"])):
            err(f"{w}: coordinates must be numbers")
        elif l["province"] not in PROVINCE_POINTS:
            err(f"{w}: no reference point for province {l['province']}")
        elif min(km((l["lat"], l["lon"]), p) for p in PROVINCE_POINTS[l["province"]]) > REF_RADIUS_KM:
            err(f"{w}: coordinates are not in province {l['province']}")
        if l["kind"] == "market" and any(o["kind"] != "market" for o in data["locations"]
                                         if o["company"] == l["company"]):
            err(f"{w}: markets must belong to a market-management company")
    kinds_present = {l["kind"] for l in data["locations"]}
    if kinds_present != KINDS:
        err(f"location kinds present: {sorted(kinds_present)}")
    market_provinces = {l["province"] for l in data["locations"] if l["kind"] == "market"}
    if not {"01", "79"} <= market_provinces:
        err("need a wholesale market in Hà Nội (01) and one in TP. Hồ Chí Minh (79)")

    # ---- products
    for p in data["products"]:
        w = f"product {p['gtin']} {p['name_vi']}"
        if not gtin_ok(p["gtin"]):
            err(f"{w}: bad GTIN")
        co = companies.get(p["company"])
        if co is None:
            err(f"{w}: unknown company")
        elif p["gtin"][1:8] != co["gln"][:7]:
            err(f"{w}: GTIN not under its company's prefix")
        if p["category"] not in CATEGORIES:
            err(f"{w}: category {p['category']}")
        province_ok(p["origin_province"], w)
        if not any(ch in VI_LETTERS for ch in p["name_vi"].lower()):
            err(f"{w}: name_vi has no Vietnamese diacritics")
        for f in ("name_en", "description_en"):
            if any(ch in VI_LETTERS for ch in p[f].lower()):
                err(f"{w}: {f} has Vietnamese letters")
        for f in ("brand", "description_vi", "description_en", "name_en"):
            if not isinstance(p[f], str) or not p[f].strip():
                err(f"{w}: {f} empty")
        if p["image"] is not None:
            err(f"{w}: image should be null")
        if p["gtin"] not in NET_KG:
            err(f"{w}: no net weight known")
    regions = [("Cà phê", "coffee", "66"), ("ST25", "rice", "92"), ("Cá tra", "seafood", "82"),
               ("Thanh long", "fruit", "68"), ("Hồ tiêu", "spice", "52"), ("Vải thiều", "fruit", "24"),
               ("Nước mắm", "condiment", "91"), ("Chè", "tea", "19"), ("Hạt điều", "nuts", "75")]
    for word, cat, prov in regions:
        if not any(word in p["name_vi"] and p["category"] == cat and p["origin_province"] == prov
                   for p in data["products"]):
            err(f"no {word} product ({cat}) from province {prov}")

    # ---- users
    for name in ["farmer", "enterprise", "inspector", "authority", "authority_hn", "certifier", "consumer", "consumer2", "consumer3",
                 "farmer2", "hoptac_st25", "supermarket", "inspector2"]:
        if name not in users:
            err(f"missing account {name}")
    operator = {}
    enterprise_of_company = defaultdict(list)
    for u in data["users"]:
        w = f"user {u['username']}"
        if u["role"] not in ROLES:
            err(f"{w}: role {u['role']}")
        if not u["display_name"].strip():
            err(f"{w}: display name")
        for g in u["glns"]:
            if g not in locs:
                err(f"{w}: unknown GLN {g}")
                continue
            if g in operator:
                err(f"{w}: GLN {g} is already operated by {operator[g]}")
            operator[g] = u["username"]
        ls = [locs[g] for g in u["glns"] if g in locs]
        if u["role"] == "consumer":
            if u["province"] is not None or u["glns"]:
                err(f"{w}: consumers have no province and no GLNs")
        elif u["role"] in ("inspector", "authority", "certifier"):
            # an authority without a province is the national one
            province_ok(u["province"], w, allow_none=u["role"] != "inspector")
            if u["role"] == "certifier" and u["province"] is not None:
                err(f"{w}: a certifier works nationwide")
            if u["glns"]:
                err(f"{w}: inspectors, authorities and certifiers operate no GLN")
        elif u["role"] == "farmer":
            province_ok(u["province"], w)
            if not ls or any(l["kind"] not in ("farm", "plot") for l in ls):
                err(f"{w}: a farmer operates farms and plots only")
            if any(l["province"] != u["province"] for l in ls):
                err(f"{w}: farms outside the farmer's province")
        elif u["role"] == "enterprise":
            province_ok(u["province"], w)
            if not ls or any(l["kind"] in ("farm", "plot") for l in ls):
                err(f"{w}: an enterprise operates factories, warehouses, markets or shops")
            cos = {l["company"] for l in ls}
            if len(cos) != 1:
                err(f"{w}: GLNs of several companies {cos}")
            else:
                co = cos.pop()
                enterprise_of_company[co].append(u["username"])
                if companies[co]["province"] != u["province"]:
                    err(f"{w}: province differs from its company's")
    for g in locs:
        if g not in operator:
            err(f"location {g} {locs[g]['name']} is operated by nobody")
    for key in companies:
        if len(enterprise_of_company[key]) != 1:
            err(f"company {key} has enterprise accounts {enterprise_of_company[key]} (want exactly one)")
    company_user = {k: v[0] for k, v in enterprise_of_company.items() if len(v) == 1}
    if company_user.get("caonguyen") != "enterprise":
        err("the `enterprise` account should be the coffee roaster's")

    def owner_company(g):
        return locs[g]["company"] if g in locs else None

    # ---- certifications
    schemes_seen = Counter()
    cert_by_number = {}
    for ce in data["certifications"]:
        w = f"certification {ce['number']}"
        schemes_seen[ce["scheme"]] += 1
        cert_by_number[ce["number"]] = ce
        if ce["scheme"] not in SCHEMES:
            err(f"{w}: scheme {ce['scheme']}")
        s = ce["subject"]
        if ce["scheme"] == "VietGAP" and not (s in locs and locs[s]["kind"] in ("farm", "plot")):
            err(f"{w}: VietGAP certifies a farm or plot GLN")
        if ce["scheme"] in ("HACCP", "ISO 22000") and not (s in locs and locs[s]["kind"] == "factory"):
            err(f"{w}: {ce['scheme']} certifies a factory GLN")
        if ce["scheme"] in ("OCOP", "Organic", "GlobalGAP") and not (s in prods and s not in RAW):
            err(f"{w}: {ce['scheme']} certifies a packaged product GTIN")
        if not (is_date(ce["valid_from"]) and is_date(ce["valid_to"]) and ce["valid_from"] < ce["valid_to"]):
            err(f"{w}: validity dates")
        if not ce["issuer"] or not ce["number"]:
            err(f"{w}: issuer and number")
    if len(cert_by_number) != len(data["certifications"]):
        err("duplicate certificate numbers")
    if set(schemes_seen) != SCHEMES:
        err(f"schemes present: {sorted(schemes_seen)}")
    if not any(ce["valid_to"] < TODAY for ce in data["certifications"]):
        err("need one expired certification")

    # ---- lots and serials
    exp_gtin, exp_lot = data["scenarios"]["expired"]["gtin"], data["scenarios"]["expired"]["lot"]
    in_window = 0
    for l in data["lots"]:
        w = f"lot {l['gtin']}/{l['lot']}"
        p = prods.get(l["gtin"])
        if p is None:
            err(f"{w}: unknown product")
            continue
        if not LOT_RE.match(l["lot"]):
            err(f"{w}: lot code")
        if not is_date(l["production_date"]) or l["production_date"] > TODAY:
            err(f"{w}: production date")
        if "2026-08-01" <= l["production_date"] <= "2026-11-30":
            in_window += 1
        if l["expiry"] is None:
            if l["gtin"] not in RAW:
                err(f"{w}: packaged lots have an expiry")
        elif not is_date(l["expiry"]) or l["expiry"] <= l["production_date"]:
            err(f"{w}: expiry")
        elif (l["gtin"], l["lot"]) == (exp_gtin, exp_lot):
            if l["expiry"] >= TODAY:
                err(f"{w}: the expired scenario's lot has not expired")
        elif l["expiry"] < "2027-01-01":
            err(f"{w}: expiry before 2027")
        if not (is_num(l["quantity"]) and l["quantity"] > 0):
            err(f"{w}: quantity")
        if l["unit"] not in UNITS or l["unit"] != UNIT_OF.get(l["gtin"]):
            err(f"{w}: unit {l['unit']}")
        o = locs.get(l["origin_gln"])
        if o is None:
            err(f"{w}: origin GLN unknown")
        else:
            if o["company"] != p["company"]:
                err(f"{w}: origin belongs to another company")
            if o["province"] != p["origin_province"]:
                err(f"{w}: origin province {o['province']} != product's {p['origin_province']}")
            if (l["gtin"] in RAW) != (o["kind"] in ("farm", "plot")) and l["gtin"] != SEMI_NM:
                err(f"{w}: raw lots start at farms, packaged lots at factories")
    if in_window * 2 < len(data["lots"]):
        err("most lots should be produced in 2026-08..2026-11")
    for s in data["serials"]:
        if not SERIAL_RE.match(s["serial"]):
            err(f"serial {s['serial']}: characters")
        if (s["gtin"], s["lot"]) not in lots:
            err(f"serial {s['serial']}: unknown lot")

    # ---- recalls
    recalled = {}
    for r in data["recalls"]:
        w = f"recall {r['id']}"
        if not re.match(r"^R-\d{4}-\d{4}$", r["id"]):
            err(f"{w}: id")
        if r["gtin"] not in prods:
            err(f"{w}: unknown GTIN")
            continue
        for lot in r["lots"]:
            if (r["gtin"], lot) not in lots:
                err(f"{w}: unknown lot {lot}")
            recalled[(r["gtin"], lot)] = r["declared_at"]
        if r["severity"] not in ("high", "medium", "low"):
            err(f"{w}: severity")
        u = users.get(r["declared_by"])
        if u is None or not (u["role"] == "authority" or
                             (u["role"] == "enterprise" and company_user.get(prods[r["gtin"]]["company"]) == u["username"])):
            err(f"{w}: declared by {r['declared_by']}, neither the authority nor the product's enterprise")
        if not RFC3339_RE.match(r["declared_at"]) or r["declared_at"] > END_OF_TODAY:
            err(f"{w}: declared_at")
        province_ok(r["province"], w, allow_none=True)
        if not r["reason_vi"] or not r["reason_en"]:
            err(f"{w}: reasons")

    # ---- events, one by one
    device_user = {}
    last_time = {}
    kinds = Counter()
    for i, e in enumerate(data["events"]):
        w = f"event {i} ({e['kind']} by {e['user']} at {e['device_time']})"
        u = users.get(e["user"])
        if u is None:
            err(f"{w}: unknown user")
            continue
        if device_user.setdefault(e["device"], e["user"]) != e["user"]:
            err(f"{w}: device {e['device']} belongs to {device_user[e['device']]}")
        if not DEVICE_TIME_RE.match(e["device_time"]):
            err(f"{w}: device_time format")
            continue
        if e["device"] in last_time and e["device_time"] <= last_time[e["device"]]:
            err(f"{w}: not after the device's previous event")
        last_time[e["device"]] = e["device_time"]
        if not ("2026-01-01" <= e["device_time"] < END_OF_TODAY):
            err(f"{w}: device_time outside 2026-01-01 .. today")
        kind, p = e["kind"], e["payload"]
        kinds[kind] += 1
        if kind not in PAYLOAD_KEYS:
            err(f"{w}: unknown kind")
            continue
        if list(p.keys()) != PAYLOAD_KEYS[kind]:
            err(f"{w}: payload keys {list(p.keys())}")
            continue
        if u["role"] not in WRITERS[kind]:
            err(f"{w}: role {u['role']} may not write {kind}")
        day = local_date(e["device_time"])
        mine = set(u["glns"])

        def lot_of(gtin, lot, what):
            if not gtin_ok(gtin) or gtin not in prods:
                err(f"{w}: {what} GTIN {gtin} not a registered product")
                return None
            if lot is None or (gtin, lot) not in lots:
                err(f"{w}: {what} lot {gtin}/{lot} not in lots")
                return None
            return lots[(gtin, lot)]

        if "photos" in p and p["photos"] != []:
            err(f"{w}: photos")
        if kind == "harvest":
            if p["gln"] is not None and p["gln"] not in mine:
                err(f"{w}: harvest GLN not the user's")
            l = lot_of(p["gtin"], p["lot"], "harvest")
            if l:
                if p["gtin"] not in RAW:
                    err(f"{w}: harvests produce raw-material lots")
                if p["product"] != prods[p["gtin"]]["name_vi"]:
                    err(f"{w}: product name differs from the GTIN's")
                if (l["production_date"], l["quantity"], l["unit"], l["origin_gln"]) != (
                        p["harvest_date"], p["quantity"], p["unit"], p["gln"]):
                    err(f"{w}: harvest disagrees with its lot record")
            if not is_date(p["harvest_date"]) or p["harvest_date"] > day:
                err(f"{w}: harvest date")
            if not (is_num(p["quantity"]) and p["quantity"] > 0):
                err(f"{w}: quantity")
            if p["gln"] in locs and (p["location"] is None or
                                    km((p["location"]["lat"], p["location"]["lon"]),
                                       (locs[p["gln"]]["lat"], locs[p["gln"]]["lon"])) > 2):
                err(f"{w}: location is not at the GLN")
            if p["certification"] is not None:
                for part in p["certification"].split("; "):
                    scheme_num = part.split(" ", 1)
                    ce = cert_by_number.get(scheme_num[-1])
                    if ce is None or ce["scheme"] != scheme_num[0]:
                        err(f"{w}: certification {part!r} unknown")
                    elif ce["subject"] in locs and owner_company(ce["subject"]) != owner_company(p["gln"]):
                        err(f"{w}: certification {part!r} belongs to another company's farm")
        elif kind == "farm_diary":
            if p["gln"] is not None and (p["gln"] not in mine or locs[p["gln"]]["kind"] not in ("farm", "plot")):
                err(f"{w}: diary GLN must be one of the user's farms or plots")
            if not is_date(p["applied_on"]) or p["applied_on"] > day:
                err(f"{w}: applied_on")
            phi = p["pre_harvest_interval_days"]
            if phi is not None and (not isinstance(phi, int) or isinstance(phi, bool) or phi < 0):
                err(f"{w}: pre-harvest interval")
            if p["lot"] is not None and not LOT_RE.match(p["lot"]):
                err(f"{w}: lot")
            if not p["input_name"] or not p["dose"]:
                err(f"{w}: input and dose")
        elif kind == "inspection":
            m = locs.get(p["market_gln"])
            if m is None or m["kind"] != "market":
                err(f"{w}: market_gln is not a market")
            if p["result"] not in ("conformant", "non_conformant"):
                err(f"{w}: result")
            if (p["result"] == "non_conformant") != bool(p["reasons"]):
                err(f"{w}: reasons must be given exactly when non-conformant")
            if not isinstance(p["sample_taken"], bool):
                err(f"{w}: sample_taken")
            mm = ELEMENT_RE.match(p["code"])
            if not mm or not has_valid_check_digit(mm.group(1)):
                err(f"{w}: code {p['code']!r} is not a GS1 element string with a valid GTIN")
            elif mm.group(1) in prods and mm.group(3):
                if (mm.group(1), mm.group(3)) not in lots:
                    err(f"{w}: inspected lot not registered")
                elif not any(x["kind"] == "receiving" and x["payload"]["gtin"] == mm.group(1)
                             and x["payload"]["lot"] == mm.group(3) and x["payload"]["to_gln"] == p["market_gln"]
                             and x["device_time"] < e["device_time"] for x in data["events"]):
                    err(f"{w}: the inspected lot never arrived at that market")
        elif kind in ("shipping", "receiving"):
            l = lot_of(p["gtin"], p["lot"], kind)
            if l and l["unit"] != p["unit"]:
                err(f"{w}: unit differs from the lot's")
            if not (is_num(p["quantity"]) and p["quantity"] > 0):
                err(f"{w}: quantity")
            for f in ("from_gln", "to_gln"):
                if p[f] is not None and p[f] not in locs:
                    err(f"{w}: {f} unknown")
            if kind == "shipping" and (p["from_gln"] not in mine or p["to_gln"] is None):
                err(f"{w}: shipping from a GLN the user does not operate, or to nowhere")
            if kind == "receiving" and p["to_gln"] not in mine:
                err(f"{w}: receiving at a GLN the user does not operate")
        elif kind == "transformation":
            g = p["gln"]
            if g not in mine or locs[g]["kind"] != "factory":
                err(f"{w}: transformation at a GLN that is not the user's factory")
            if not is_date(p["date"]) or p["date"] > day:
                err(f"{w}: date")
            if not p["inputs"] or not p["outputs"]:
                err(f"{w}: inputs and outputs")
            kg_in = kg_out = 0.0
            for side in ("inputs", "outputs"):
                for ref in p[side]:
                    if list(ref.keys()) != LOTREF_KEYS:
                        err(f"{w}: {side} keys {list(ref.keys())}")
                        continue
                    l = lot_of(ref["gtin"], ref["lot"], side)
                    if not (is_num(ref["quantity"]) and ref["quantity"] > 0):
                        err(f"{w}: {side} quantity")
                        continue
                    if l and l["unit"] != ref["unit"]:
                        err(f"{w}: {side} unit differs from the lot's")
                    kg = ref["quantity"] * NET_KG.get(ref["gtin"], 0)
                    if side == "inputs":
                        kg_in += kg
                    else:
                        kg_out += kg
                        if l and (l["production_date"], l["quantity"], l["origin_gln"]) != (
                                p["date"], ref["quantity"], g):
                            err(f"{w}: output {ref['lot']} disagrees with its lot record")
                        if ref["gtin"] in prods and prods[ref["gtin"]]["company"] != owner_company(g):
                            err(f"{w}: output of another company's product")
            if not (0.15 * kg_in <= kg_out <= kg_in):
                err(f"{w}: mass balance {kg_out:.0f} kg out of {kg_in:.0f} kg in")
        elif kind == "scan":
            if p["symbology_id"] not in ("]E0", "]Q1", "]d2"):
                err(f"{w}: symbology")
            if p["answer_shown"] not in ANSWERS:
                err(f"{w}: answer_shown")
            mm = ELEMENT_RE.match(p["element_string"] or "")
            if not mm or not has_valid_check_digit(mm.group(1)):
                err(f"{w}: element string {p['element_string']!r}")
                continue
            gtin, exp17, lot, serial = mm.groups()
            if p["symbology_id"] == "]E0":
                ok = p["raw_text"] == gtin[1:] and not (exp17 or lot or serial)
            elif p["symbology_id"] == "]Q1":
                tail = f"/10/{lot}" if lot else (f"/21/{serial}" if serial else "")
                ok = p["raw_text"] == f"https://id.gs1.org/01/{gtin}{tail}" and not exp17
            else:
                ok = p["raw_text"] == f"01{gtin}" + (f"17{exp17}" if exp17 else "") + (f"10{lot}" if lot else "") \
                    and not serial
            if not ok:
                err(f"{w}: raw_text does not encode the element string")
            if gtin not in prods:
                expect = "not_registered"
            else:
                expect = "ok"
                if lot is not None:
                    l = lots.get((gtin, lot))
                    if l is None:
                        err(f"{w}: scanned lot not registered")
                    else:
                        if exp17 and l["expiry"] and yymmdd(l["expiry"]) != exp17:
                            err(f"{w}: (17) differs from the lot's expiry")
                        if (gtin, lot) in recalled and parse_time(e["device_time"]) >= parse_time(recalled[(gtin, lot)]):
                            expect = "recalled"
                        elif l["expiry"] and l["expiry"] < day:
                            expect = "expired"
                if serial is not None and (gtin, serial) not in serials:
                    err(f"{w}: scanned serial not registered")
            if p["answer_shown"] != expect:
                err(f"{w}: answer_shown {p['answer_shown']!r}, expected {expect!r}")
        elif kind == "complaint":
            # the server's rules (check_complaint, for a signed-in filer) ...
            if not isinstance(p["code"], str) or not p["code"].strip() or len(p["code"].encode()) > 4096:
                err(f"{w}: code must have 1 to 4096 bytes")
            if p["category"] not in COMPLAINT_CATEGORIES:
                err(f"{w}: category {p['category']!r}")
            if not isinstance(p["description"], str) or not 10 <= len(p["description"].strip()) <= 4000:
                err(f"{w}: description must have 10 to 4000 characters")
            province_ok(p["province"], w)
            if p["contact"] is not None and not (isinstance(p["contact"], str) and len(p["contact"].strip()) <= 200):
                err(f"{w}: contact must have at most 200 characters")
            # ... and the demo's: a product-level GTIN as the scanner gives it, invented contacts
            mm = re.match(r"^(?:(\d{13})|\(01\)(\d{14}))$", p["code"] or "")
            if not mm or not has_valid_check_digit(mm.group(1) or mm.group(2)) or \
                    not (mm.group(1) or mm.group(2)[1:]).startswith("893"):
                err(f"{w}: code {p['code']!r} is not a Vietnamese EAN-13 or (01) element string")
            if p["contact"] is not None and not re.match(r"^[a-z0-9.]+@[a-z0-9.]+\.example$", p["contact"]):
                err(f"{w}: a contact must be an e-mail address under the reserved .example domain")
            if not any(ch in VI_LETTERS for ch in p["description"].lower()):
                err(f"{w}: description has no Vietnamese diacritics")
    if not (100 <= len(data["events"]) <= 350):
        err(f"{len(data['events'])} events; want 100..350")
    for kind in PAYLOAD_KEYS:
        if kinds[kind] == 0:
            err(f"no {kind} events")
    errors += check_flows(data, locs, lots)
    errors += check_story(data, users, locs, prods, lots, serials, recalled)
    errors += check_month(data, users, locs, prods, recalled)
    return errors


def check_flows(data, locs, lots):
    """Replays the events in time order as stock per (GLN, GTIN, lot): nothing leaves a
    place it is not at, every receipt matches an earlier shipment and every shipment arrives."""
    errors = []
    events = data["events"]
    broken = (data["scenarios"]["broken_chain"]["gtin"], data["scenarios"]["broken_chain"]["lot"])
    created = Counter()
    for e in events:
        p = e["payload"]
        if e["kind"] == "harvest":
            created[(p["gtin"], p["lot"])] += 1
        elif e["kind"] == "transformation":
            for o in p["outputs"]:
                created[(o["gtin"], o["lot"])] += 1
    for key, n in created.items():
        if n > 1:
            errors.append(f"lot {key} is created by {n} events")
    stock = defaultdict(float)
    for key, l in lots.items():
        if created[key] == 0:      # made before the demo's events: in stock where it originates
            stock[(l["origin_gln"],) + key] += l["quantity"]
    pending = []

    def take(where, gtin, lot, q, what):
        stock[(where, gtin, lot)] -= q
        if stock[(where, gtin, lot)] < -1e-6:
            errors.append(f"{what}: {gtin}/{lot} short by {-stock[(where, gtin, lot)]} at {where}")

    for i in sorted(range(len(events)), key=lambda i: (events[i]["device_time"], i)):
        e, p = events[i], events[i]["payload"]
        what = f"{e['kind']} by {e['user']} at {e['device_time']}"
        if e["kind"] == "harvest":
            stock[(p["gln"], p["gtin"], p["lot"])] += p["quantity"]
        elif e["kind"] == "transformation":
            for r in p["inputs"]:
                take(p["gln"], r["gtin"], r["lot"], r["quantity"], what)
            for r in p["outputs"]:
                stock[(p["gln"], r["gtin"], r["lot"])] += r["quantity"]
        elif e["kind"] == "shipping":
            take(p["from_gln"], p["gtin"], p["lot"], p["quantity"], what)
            pending.append((e["device_time"], p["gtin"], p["lot"], p["quantity"], p["unit"], p["from_gln"], p["to_gln"]))
        elif e["kind"] == "receiving":
            if p["from_gln"] is None:
                if (p["gtin"], p["lot"]) != broken:
                    errors.append(f"{what}: receipt from nowhere (only the broken-chain scenario may)")
            else:
                match = [s for s in pending if s[1:] == (p["gtin"], p["lot"], p["quantity"], p["unit"],
                                                          p["from_gln"], p["to_gln"]) and s[0] < e["device_time"]]
                if not match:
                    errors.append(f"{what}: no earlier shipment matches this receipt")
                else:
                    pending.remove(match[0])
            stock[(p["to_gln"], p["gtin"], p["lot"])] += p["quantity"]
    for s in pending:
        errors.append(f"shipment {s} never received")
    return errors


def check_story(data, users, locs, prods, lots, serials, recalled):
    errors = []
    err = errors.append
    ev = data["events"]
    sc = data["scenarios"]
    if list(sc.keys()) != ["recalled", "expired", "cloned", "broken_chain", "complete_chain"]:
        return [f"scenario keys {list(sc.keys())}"]

    def of(kind, **match):
        out = []
        for e in ev:
            if e["kind"] != kind:
                continue
            if all(e["payload"].get(k) == v for k, v in match.items()):
                out.append(e)
        return out

    def chain_problems(gtin, lot):
        probs = []
        shop_receipts = [r for r in of("receiving", gtin=gtin, lot=lot)
                         if locs.get(r["payload"]["to_gln"], {}).get("kind") == "shop"]
        if not shop_receipts:
            return ["never received at a shop"]
        ship = None
        for r in shop_receipts:
            rp = r["payload"]
            for s in of("shipping", gtin=gtin, lot=lot, quantity=rp["quantity"], from_gln=rp["from_gln"],
                        to_gln=rp["to_gln"]):
                if s["device_time"] < r["device_time"] and locs[s["payload"]["from_gln"]]["kind"] == "factory":
                    ship = s
        if ship is None:
            return ["no factory-to-shop shipment matches a shop receipt"]
        fac = ship["payload"]["from_gln"]
        ts = [t for t in of("transformation", gln=fac) if t["device_time"] < ship["device_time"]
              and any(o["gtin"] == gtin and o["lot"] == lot for o in t["payload"]["outputs"])]
        if not ts:
            return [f"no transformation at {fac} made it"]
        for inp in ts[0]["payload"]["inputs"]:
            what = f"input {inp['gtin']}/{inp['lot']}"
            r2 = [r for r in of("receiving", gtin=inp["gtin"], lot=inp["lot"], to_gln=fac)
                  if r["device_time"] < ts[0]["device_time"] and r["payload"]["from_gln"] in locs
                  and locs[r["payload"]["from_gln"]]["kind"] in ("farm", "plot")]
            if not r2:
                probs.append(f"{what}: not received at the factory from a farm")
                continue
            rp = r2[0]["payload"]
            s2 = [s for s in of("shipping", gtin=inp["gtin"], lot=inp["lot"], quantity=rp["quantity"],
                                from_gln=rp["from_gln"], to_gln=fac)
                  if s["device_time"] < r2[0]["device_time"] and users[s["user"]]["role"] == "farmer"]
            if not s2:
                probs.append(f"{what}: no shipment by a farmer from the farm")
                continue
            hs = [h for h in of("harvest", gtin=inp["gtin"], lot=inp["lot"], gln=rp["from_gln"])
                  if h["user"] == s2[0]["user"] and h["device_time"] < s2[0]["device_time"]]
            if not hs:
                probs.append(f"{what}: no harvest by the shipping farmer at that farm")
                continue
            hp = hs[0]["payload"]
            diaries = [d for d in ev if d["kind"] == "farm_diary" and d["user"] == hs[0]["user"]
                       and d["payload"]["gln"] in users[hs[0]["user"]]["glns"]
                       and d["payload"]["applied_on"] <= hp["harvest_date"]]
            if not diaries:
                probs.append(f"{what}: no farm diary before the harvest")
            for d in diaries:
                dp = d["payload"]
                if dp["pre_harvest_interval_days"] is not None and \
                        add_days(dp["applied_on"], dp["pre_harvest_interval_days"]) > hp["harvest_date"]:
                    probs.append(f"{what}: harvested inside the pre-harvest interval of {dp['input_name']}")
        return probs

    # ---- complete chains
    chains = [tuple(x) for x in COMPLETE_CHAINS]
    if (sc["complete_chain"]["gtin"], sc["complete_chain"]["lot"]) not in chains:
        err("the complete_chain scenario is not among the checked chains")
    for gtin, lot in chains:
        if gtin in RAW:
            err(f"chain {gtin}/{lot}: not a packaged product")
        for pr in chain_problems(gtin, lot):
            err(f"chain {gtin}/{lot} ({prods[gtin]['name_vi']}): {pr}")
    if len({g for g, _ in chains}) < 5:
        err("need complete chains for at least 5 packaged products")

    # ---- recalled
    g, l = sc["recalled"]["gtin"], sc["recalled"]["lot"]
    if (g, l) not in recalled:
        err("recalled scenario: lot not in a recall")
    else:
        at = parse_time(recalled[(g, l)])
        early = {e["user"] for e in of("scan") if users[e["user"]]["role"] == "consumer"
                 and f"(01){g}" in (e["payload"]["element_string"] or "")
                 and f"(10){l}" in (e["payload"]["element_string"] or "") and parse_time(e["device_time"]) < at}
        if len(early) < 2:
            err(f"recalled scenario: want scans by 2+ consumers before the recall, got {early}")
        if not [i for i in of("inspection", code=f"(01){g}(10){l}", result="non_conformant")
                if parse_time(i["device_time"]) < at]:
            err("recalled scenario: no non-conformant inspection before the recall")
        if not of("receiving", gtin=g, lot=l):
            err("recalled scenario: lot never reached a shop or market")

    # ---- expired
    g, l = sc["expired"]["gtin"], sc["expired"]["lot"]
    lt = lots.get((g, l))
    if lt is None or not lt["expiry"] or lt["expiry"] >= TODAY:
        err("expired scenario: lot missing or not expired")
    if not [r for r in of("receiving", gtin=g, lot=l) if locs[r["payload"]["to_gln"]]["kind"] == "shop"]:
        err("expired scenario: never received at a shop")

    # ---- cloned
    g, s = sc["cloned"]["gtin"], sc["cloned"]["serial"]
    if (g, s) not in serials:
        err("cloned scenario: serial not registered")
    if len([x for x in data["serials"] if x["gtin"] == g]) < 3:
        err("cloned scenario: want a few serials of the product")
    scans = [e for e in of("scan") if e["payload"]["element_string"] == f"(01){g}(21){s}"]
    if sorted(e["user"] for e in scans) != ["consumer", "consumer2", "consumer3"]:
        err(f"cloned scenario: scanned by {[e['user'] for e in scans]}")
    for e in scans:
        p = e["payload"]
        if p["raw_text"] != f"https://id.gs1.org/01/{g}/21/{s}" or p["symbology_id"] != "]Q1":
            err(f"cloned scenario: scan by {e['user']} has the wrong raw text or symbology")
        if p["location"] is None or km((p["location"]["lat"], p["location"]["lon"]), CITY[e["user"]]) > 15:
            err(f"cloned scenario: scan by {e['user']} not in its city")
    if scans:
        times = [parse_time(e["device_time"]) for e in scans]
        if max(times) - min(times) > dt.timedelta(hours=3):
            err("cloned scenario: scans span more than 3 hours")
    others = Counter(e["payload"]["element_string"] for e in of("scan")
                     if e["payload"]["element_string"].startswith(f"(01){g}(21)")
                     and e["payload"]["element_string"] != f"(01){g}(21){s}")
    if len(others) < 2 or any(n != 1 for n in others.values()):
        err("cloned scenario: want single scans of two or more other serials")

    # ---- broken chain
    g, l = sc["broken_chain"]["gtin"], sc["broken_chain"]["lot"]
    if (g, l) not in lots:
        err("broken_chain scenario: lot not registered")
    if not [r for r in of("receiving", gtin=g, lot=l) if locs[r["payload"]["to_gln"]]["kind"] == "shop"]:
        err("broken_chain scenario: never received at a shop")
    upstream = of("shipping", gtin=g, lot=l) + of("harvest", gtin=g, lot=l) + [
        t for t in of("transformation")
        if any(r["gtin"] == g and r["lot"] == l for r in t["payload"]["inputs"] + t["payload"]["outputs"])]
    if upstream:
        err("broken_chain scenario: the lot has upstream events")

    # ---- inspections, ordinary scans, counts
    insp = of("inspection")
    if len([i for i in insp if i["payload"]["result"] == "conformant"]) < 3:
        err("want 3+ conformant inspections")
    bad = [i for i in insp if i["payload"]["result"] == "non_conformant"]
    if not bad or not any(r in ("nhãn thiếu hạn sử dụng", "dư lượng thuốc BVTV vượt ngưỡng")
                          for i in bad for r in i["payload"]["reasons"]):
        err("want a non-conformant inspection with the usual reasons")
    if not any(i["payload"]["sample_taken"] for i in insp):
        err("want an inspection with a sample taken")
    if len([e for e in of("scan", symbology_id="]E0") if users[e["user"]]["role"] == "consumer"]) < 3:
        err("want 3+ consumer scans of EAN-13 codes")
    if len(data["companies"]) < 6 or len(data["products"]) < 25:
        err("want 6+ companies and 25+ products")
    return errors


def check_month(data, users, locs, prods, recalled):
    """The month the authority's statistics draw: consumer scans every day, near shops,
    markets, warehouses and factories of several provinces, of several categories, some
    of unregistered GTINs; complaints of every category from several provinces."""
    errors = []
    err = errors.append
    first, last = MONTH_START, TODAY
    in_month = [e for e in data["events"] if first <= local_date(e["device_time"]) <= last]
    scans = [e for e in in_month if e["kind"] == "scan" and users[e["user"]]["role"] == "consumer"]
    per_day = Counter(local_date(e["device_time"]) for e in scans)
    day = first
    while day <= last:
        if per_day[day] == 0:
            err(f"month: no consumer scan on {day}")
        day = add_days(day, 1)
    if not 100 <= len(scans) <= 180:
        err(f"month: {len(scans)} consumer scans; want about 120 or more")
    if len(set(per_day.values())) < 4:
        err("month: scans per day hardly vary")
    shops = [l for l in locs.values() if l["kind"] in ("market", "shop", "warehouse", "factory")]
    eans = [e for e in scans if e["payload"]["symbology_id"] == "]E0"]
    provinces = set()
    for e in eans:
        where = e["payload"]["location"]
        if where is None:
            err(f"month: EAN scan by {e['user']} at {e['device_time']} has no location")
            continue
        d, l = min((km((where["lat"], where["lon"]), (l["lat"], l["lon"])), l["gln"]) for l in shops)
        # at home in the city centre (the earlier story's scans), or near a shop or site
        if (where["lat"], where["lon"]) not in CITY.values() and d > 2:
            err(f"month: EAN scan by {e['user']} at {e['device_time']} is {d:.1f} km from any shop or site")
        provinces.add(locs[l]["province"])
    if len(provinces) < 6:
        err(f"month: EAN scans near sites of {sorted(provinces)}; want 6+ provinces")
    gtins = [e["payload"]["element_string"][4:] for e in eans]
    unknown = sum(g not in prods for g in gtins)
    if not 0.10 <= unknown / max(len(gtins), 1) <= 0.20:
        err(f"month: {unknown} of {len(gtins)} EAN scans are of unregistered GTINs; want about 15 %")
    if any(g not in prods and not gtin_ok(g) for g in gtins):
        err("month: an unregistered GTIN is not a valid Vietnamese one")
    if len({prods[g]["category"] for g in gtins if g in prods}) < 5:
        err("month: EAN scans of fewer than 5 product categories")
    if any(g in RAW or g in {r[0] for r in recalled} for g in gtins):
        err("month: EAN scans of a raw material or of a recalled product")
    complaints = [e for e in data["events"] if e["kind"] == "complaint"]
    if any(not first <= local_date(e["device_time"]) <= last for e in complaints):
        err("month: a complaint outside the month")
    if not 10 <= len(complaints) <= 15:
        err(f"month: {len(complaints)} complaints; want about 12")
    cats = Counter(e["payload"]["category"] for e in complaints)
    if set(cats) != set(COMPLAINT_CATEGORIES):
        err(f"month: complaint categories {sorted(cats)}")
    if len({e["payload"]["province"] for e in complaints}) < 4:
        err("month: complaints from fewer than 4 provinces")
    for c in complaints:
        w = f"complaint by {c['user']} at {c['device_time']}"
        if users[c["user"]]["role"] != "consumer" or c["device"] != c["user"] + "-phone":
            err(f"{w}: filed from a consumer's phone")
        code = c["payload"]["code"]
        gtin = code[4:] if code.startswith("(01)") else "0" + code
        # the filer scanned the product shortly before, in the province named
        before = [e for e in data["events"] if e["device"] == c["device"] and e["kind"] == "scan"
                  and e["device_time"] < c["device_time"]
                  and parse_time(c["device_time"]) - parse_time(e["device_time"]) <= dt.timedelta(minutes=30)
                  and e["payload"]["element_string"].startswith(f"(01){gtin}")]
        if not before:
            err(f"{w}: no scan of {gtin} by the filer in the 30 minutes before")
            continue
        where = before[-1]["payload"]["location"]
        nearest = min(shops, key=lambda l: km((where["lat"], where["lon"]), (l["lat"], l["lon"])))
        if nearest["province"] != c["payload"]["province"]:
            err(f"{w}: province {c['payload']['province']} but scanned near {nearest['name']}")
    return errors


# ================================================================ main

def build():
    events = sorted(EVENTS, key=lambda e: (e["device_time"], e["device"]))
    return {
        "_comment": "Invented demo data for `truyxuat serve --demo`: no real companies, people, tax codes or "
                    "certificates; GTINs and GLNs carry valid GS1 check digits; province codes are those in force "
                    "since 1 July 2025. The password of every account is `demo`. Generated by "
                    "scripts/gen-demo-data.py; edit that script, not this file.",
        "users": USERS, "companies": COMPANIES, "locations": LOCATIONS, "products": PRODUCTS,
        "certifications": CERTS, "lots": LOTS, "serials": SERIALS, "recalls": RECALLS,
        "events": events, "scenarios": SCENARIOS,
    }


def main():
    text = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    data = json.loads(text)          # validate exactly what would be written
    errors = validate(data)
    if errors:
        for e in errors:
            print("error:", e, file=sys.stderr)
        print(f"{len(errors)} error(s); {OUT} not written", file=sys.stderr)
        return 1
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    kinds = Counter(e["kind"] for e in data["events"])
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(data['users'])} users, {len(data['companies'])} companies, "
          f"{len(data['locations'])} locations, {len(data['products'])} products, "
          f"{len(data['certifications'])} certifications, {len(data['lots'])} lots, {len(data['serials'])} serials, "
          f"{len(data['recalls'])} recalls, {len(data['events'])} events "
          f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
          f"{len({e['device'] for e in data['events']})} devices")
    return 0


if __name__ == "__main__":
    sys.exit(main())
