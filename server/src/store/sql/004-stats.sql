-- Statistics for policy: facts kept as events arrive, so the figures are
-- GROUP BYs over small rows rather than scans of every payload.

-- One row per accepted scan event. `day` is the Vietnamese calendar day
-- (UTC+7) of the phone's time; `province` is where the scan happened: the
-- province of the nearest catalog location within ~50 km of the phone's
-- position, else the scanner's account province, else NULL (unknown).
-- `registered` and `category` are as the catalog stood when the scan arrived.
CREATE TABLE scan_facts (
    server_seq INTEGER PRIMARY KEY REFERENCES events(server_seq),
    day        TEXT NOT NULL,
    province   TEXT,
    gtin       TEXT,
    registered INTEGER NOT NULL,
    category   TEXT
);
CREATE INDEX scan_facts_day ON scan_facts(day, province);

-- How far each device has pulled: who has received a recall.
CREATE TABLE device_pulls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    last_seq  INTEGER NOT NULL,
    pulled_at TEXT NOT NULL
);

CREATE INDEX changes_kind_key ON changes(kind, key);
