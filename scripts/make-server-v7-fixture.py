#!/usr/bin/env python3
"""Write fixtures/server/server-v7.db: a server database as schema version 7 left it.

The migration test (server/tests/store_contract.rs) opens a copy with the
current code, which must upgrade it in place (including the rewrite of the
users.role CHECK that SQL cannot express), keep every record, and end with
exactly the schema a fresh database has. Schemas 1 to 7 are frozen
(migrations only append), so this script only ever needs sql/001..007.

The records are few but of every kind a v7 portal held: accounts with GLNs, a
device and its events (hash-chained as `event_hash` in core/src/journal makes
them, with their trace entries), the catalog (company, farm, product and its
search entry, lot, certification, recall), the change feed, a complaint with
its history, a photo, a revoked code.
"""
import hashlib
import json
import os
import sqlite3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "server", "server-v7.db")
SQL = os.path.join(ROOT, "server", "src", "store", "sqlite", "sql")
VERSION = 7
DEVICE = "01936f7e-8a00-7000-8000-00000000d007"
GENESIS = "0" * 64
GTIN = "08936120100110"
FARM = "8936120000014"
AT = "2026-11-20T08:00:00.000Z"
# A well-formed argon2id PHC string (the fixture's accounts are never signed in to).
HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0kG0m3ZJ2f9Y3b8m8GJzQ1hXnFfT1mB7m8wQJ0E8i6A"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev, seq, event_id, kind, payload, device_time):
    body = canonical({"seq": seq, "id": event_id, "device_id": DEVICE, "kind": kind,
                      "payload": payload, "device_time": device_time})
    return hashlib.sha256((prev + body).encode()).hexdigest()


EVENTS = [
    ("01936f7e-8a01-7000-8000-000000000071", "harvest", {
        "product": "Cà phê Robusta", "gtin": GTIN, "lot": "RX-V7", "quantity": 120.0, "unit": "kg",
        "harvest_date": "2026-11-19", "gln": FARM, "location": None, "certification": "VietGAP", "photos": [],
    }, [("item", GTIN, "RX-V7", "", "subject"), ("site", FARM)]),
    ("01936f7e-8a02-7000-8000-000000000072", "scan", {
        "raw_text": f"(01){GTIN}(10)RX-V7", "symbology_id": "]Q3", "element_string": f"(01){GTIN}(10)RX-V7",
        "location": None, "answer_shown": "ok",
    }, [("item", GTIN, "RX-V7", "", "subject")]),
]


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    if os.path.exists(OUT):
        os.remove(OUT)
    db = sqlite3.connect(OUT)
    db.execute("PRAGMA page_size = 1024")  # small pages: a small file in the repository
    db.execute("PRAGMA foreign_keys = ON")
    for name in sorted(os.listdir(SQL))[:VERSION]:
        with open(os.path.join(SQL, name), encoding="utf-8") as f:
            db.executescript(f.read())
    db.executemany("INSERT INTO provinces (code, name_vi, name_en) VALUES (?, ?, ?)",
                   [("01", "Thành phố Hà Nội", "Ha Noi"), ("66", "Tỉnh Đắk Lắk", "Dak Lak")])
    db.executemany(
        "INSERT INTO users (id, username, password_hash, role, province, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(1, "root", HASH, "admin", None, AT), (2, "farmer", HASH, "farmer", "66", AT),
         (3, "inspector", HASH, "inspector", "01", AT)])
    db.execute("INSERT INTO user_glns (user_id, gln) VALUES (2, ?)", (FARM,))
    db.execute("INSERT INTO devices (id, user_id, name, registered_at) VALUES (?, 2, 'Điện thoại', ?)", (DEVICE, AT))
    prev = GENESIS
    for seq, (event_id, kind, payload, trace) in enumerate(EVENTS, start=1):
        h = event_hash(prev, seq, event_id, kind, payload, AT)
        cur = db.execute(
            "INSERT INTO events (id, device_id, seq, user_id, kind, payload, device_time, prev_hash, hash, status,"
            " received_at) VALUES (?, ?, ?, 2, ?, ?, ?, ?, ?, 'accepted', ?)",
            (event_id, DEVICE, seq, kind, canonical(payload), AT, prev, h, AT))
        for t in trace:
            if t[0] == "item":
                db.execute("INSERT INTO trace (gtin, lot, serial, role, server_seq) VALUES (?, ?, ?, ?, ?)",
                           (t[1], t[2], t[3], t[4], cur.lastrowid))
            else:
                db.execute("INSERT INTO site_trace (gln, kind, server_seq) VALUES (?, ?, ?)",
                           (t[1], kind, cur.lastrowid))
        prev = h
    db.execute(
        "INSERT INTO companies (id, key, name, tax_code, gln, province) VALUES (1, 'caonguyen',"
        " 'Công ty TNHH Cà phê Cao Nguyên Xanh', '6001873425', '8936120000007', '66')")
    db.execute("INSERT INTO locations (gln, company_id, kind, name, province, lat, lon)"
               " VALUES (?, 1, 'farm', 'Vườn cà phê Hòa Phú', '66', 12.63, 108.0)", (FARM,))
    cur = db.execute("INSERT INTO products (gtin, company_id, name_vi, brand, category, origin_province)"
                     " VALUES (?, 1, 'Cà phê Robusta rang xay', 'Cao Nguyên Xanh', 'coffee', '66')", (GTIN,))
    db.execute("INSERT INTO product_search (rowid, gtin, text) VALUES (?, ?, ?)",
               (cur.lastrowid, GTIN, f"ca phe robusta rang xay  cao nguyen xanh {GTIN}"))
    db.execute("INSERT INTO lots (gtin, lot, production_date, expiry, quantity, unit, origin_gln)"
               " VALUES (?, 'RX-V7', '2026-11-19', '2027-11-19', 200, 'box', ?)", (GTIN, FARM))
    db.execute("INSERT INTO certifications (subject, scheme, issuer, number, valid_from, valid_to)"
               " VALUES (?, 'VietGAP', 'TNCert', 'VG-V7', '2025-01-01', '2028-01-01')", (FARM,))
    db.execute("INSERT INTO recalls (id, gtin, reason_vi, severity, declared_by, declared_at)"
               " VALUES ('R-V7', ?, 'Nấm mốc', 'high', 'root', ?)", (GTIN, AT))
    db.execute("INSERT INTO recall_lots (gtin, lot, recall_id) VALUES (?, 'RX-V7', 'R-V7')", (GTIN,))
    db.execute("INSERT INTO changes (kind, key, data, changed_at) VALUES ('product', ?, '{}', ?)", (GTIN, AT))
    cur = db.execute(
        "INSERT INTO complaints (tracking_code, code, gtin, lot, category, description, province, contact,"
        " status, created_at, updated_at) VALUES ('TX-V7V7V7V7V7', ?, ?, 'RX-V7', 'quality_safety',"
        " 'Có mùi lạ', '01', '0901234567', 'received', ?, ?)", (f"(01){GTIN}(10)RX-V7", GTIN, AT, AT))
    db.execute("INSERT INTO complaint_history (complaint_id, at, actor, status) VALUES (?, ?, 'anonymous', 'received')",
               (cur.lastrowid, AT))
    db.execute("INSERT INTO revocations (gtin, lot, serial, reason_vi, revoked_by, revoked_at)"
               " VALUES (?, '', 'FAKE1', 'Mã giả', 'root', ?)", (GTIN, AT))
    db.execute(f"PRAGMA user_version = {VERSION}")
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {os.path.relpath(OUT, ROOT)} (schema {VERSION})")


if __name__ == "__main__":
    main()
