#!/usr/bin/env python3
"""Write fixtures/journal/journal-v1.db: a journal as schema version 1 left it.

The migration test opens a copy with the current code, which must upgrade it
in place, keep every event and its hash chain, and end with exactly the schema
a fresh journal has. Schema 1 is frozen (migrations only append), so this
script only ever needs sql/001-init.sql.

The hashes follow the rule in core/src/journal/mod.rs (`event_hash`):
hex SHA-256 over the previous hash followed by the canonical JSON (sorted keys,
no whitespace) of {seq, id, device_id, kind, payload, device_time}.
"""
import hashlib
import json
import os
import sqlite3
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "journal", "journal-v1.db")
SCHEMA = os.path.join(ROOT, "core", "src", "journal", "sql", "001-init.sql")
DEVICE = "01936f7e-8a00-7000-8000-00000000d001"
GENESIS = "0" * 64


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


EVENTS = [
    ("01936f7e-8a01-7000-8000-000000000001", "harvest", {
        "product": "Cà phê Robusta", "gtin": "08934563138011", "lot": "CP-2024-11",
        "quantity": 250.5, "unit": "kg", "harvest_date": "2024-11-20", "gln": "8934563000004",
        "location": {"lat": 12.6667, "lon": 108.05}, "certification": "VietGAP", "photos": [],
    }, "2024-11-20T08:15:00.000Z", "acked"),
    ("01936f7e-8a02-7000-8000-000000000002", "farm_diary", {
        "input_name": "Phân hữu cơ vi sinh", "dose": "2 kg/gốc", "applied_on": "2024-10-01",
        "pre_harvest_interval_days": 30, "gln": "8934563000004", "lot": None, "photos": [],
    }, "2024-10-01T06:00:00.000Z", "pending"),
    ("01936f7e-8a03-7000-8000-000000000003", "scan", {
        "raw_text": "8934563138011", "symbology_id": "]E0", "element_string": "(01)08934563138011",
        "location": None, "answer_shown": "ok",
    }, "2024-11-21T10:30:00.000Z", "pending"),
]


def main():
    if os.path.exists(OUT):
        os.remove(OUT)
    db = sqlite3.connect(OUT)
    with open(SCHEMA, encoding="utf-8") as f:
        db.executescript(f.read())
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (DEVICE,))
    prev = GENESIS
    for seq, (eid, kind, payload, time, state) in enumerate(EVENTS, start=1):
        body = canonical({"seq": seq, "id": eid, "device_id": DEVICE, "kind": kind,
                          "payload": payload, "device_time": time})
        h = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
        db.execute(
            "INSERT INTO events (seq, id, device_id, kind, payload, device_time, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, eid, DEVICE, kind, canonical(payload), time, prev, h))
        db.execute("INSERT INTO outbox (seq, state, updated_at) VALUES (?, ?, ?)", (seq, state, time))
        prev = h
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
