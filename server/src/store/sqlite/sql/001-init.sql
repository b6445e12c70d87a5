-- Server schema, version 1: accounts, devices, the events devices pushed,
-- and the change feed that pulls read.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,              -- argon2id PHC string
    role          TEXT NOT NULL CHECK (role IN ('consumer', 'farmer', 'enterprise', 'inspector', 'authority', 'admin')),
    province      TEXT,                       -- inspector / authority scope (province code)
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- The GLNs (farms, plots, sites) a farmer or an enterprise writes for.
CREATE TABLE user_glns (
    user_id INTEGER NOT NULL REFERENCES users(id),
    gln     TEXT NOT NULL,
    PRIMARY KEY (user_id, gln)
) WITHOUT ROWID;

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,           -- the journal's UUID
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT,
    registered_at TEXT NOT NULL
);

-- Every event a device pushed, accepted or rejected, exactly once.
CREATE TABLE events (
    server_seq   INTEGER PRIMARY KEY,         -- arrival order on this server
    id           TEXT NOT NULL UNIQUE,        -- the event's UUIDv7
    device_id    TEXT NOT NULL REFERENCES devices(id),
    seq          INTEGER NOT NULL,            -- the device's sequence number
    user_id      INTEGER NOT NULL REFERENCES users(id),
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,               -- canonical JSON
    device_time  TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
    error_code   TEXT,
    error_status INTEGER,
    error_detail TEXT,
    received_at  TEXT NOT NULL,
    UNIQUE (device_id, seq)
);

-- What pulls read: reference data (products, lots, recalls) and verdicts on
-- a user's own events, in the order they changed. A row is visible to a user
-- when its province is NULL or theirs, and its user_id is NULL or theirs.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    data       TEXT,                          -- JSON; NULL when the record was removed
    province   TEXT,
    user_id    INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL
);

-- Accepted events are facts; only their status may change afterwards.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER events_facts_fixed BEFORE UPDATE OF id, device_id, seq, user_id, kind, payload, device_time, prev_hash, hash ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
