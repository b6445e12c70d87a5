-- Statistics for policy: facts kept as events arrive, so the figures are
-- GROUP BYs over small rows rather than scans of every payload.

-- One row per accepted scan event, made when the figures are next read (the
-- statistics catch up from `stats_marks`), so a push pays nothing for them. `day` is the Vietnamese calendar day
-- (UTC+7) of the phone's time; `province` is where the scan happened: the
-- province of the nearest catalog location within ~50 km of the phone's
-- position, else the scanner's account province, else NULL (unknown).
-- `registered` and `category` are as the catalog stood when the scan arrived.
-- Keyed by day first (one B-tree, in the order the figures read it).
CREATE TABLE scan_facts (
    day        TEXT NOT NULL,
    server_seq INTEGER NOT NULL REFERENCES events(server_seq),
    province   TEXT,
    gtin       TEXT,
    registered INTEGER NOT NULL,
    category   TEXT,
    PRIMARY KEY (day, server_seq)
) WITHOUT ROWID;

-- How far derived facts have been made: `scan_facts` covers every event up
-- to `seq`.
CREATE TABLE stats_marks (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);

-- How far each device has pulled: who has received a recall.
CREATE TABLE device_pulls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    last_seq  INTEGER NOT NULL,
    pulled_at TEXT NOT NULL
);

CREATE INDEX changes_kind_key ON changes(kind, key);
