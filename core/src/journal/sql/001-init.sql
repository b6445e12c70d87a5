-- Journal schema, version 1. One device's immutable event log with a hash
-- chain, its outbox state, and key/value metadata (device id, sync cursors).

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,     -- per-device sequence: 1, 2, 3 … without gaps
    id          TEXT NOT NULL UNIQUE,    -- UUIDv7
    device_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,           -- JSON, keys sorted
    device_time TEXT NOT NULL,           -- RFC 3339, UTC
    prev_hash   TEXT NOT NULL,           -- hex SHA-256 of the previous event (64 zeros for the first)
    hash        TEXT NOT NULL            -- hex SHA-256 over prev_hash and this event's canonical bytes
);

CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY REFERENCES events(seq),
    state      TEXT NOT NULL CHECK (state IN ('pending', 'acked', 'rejected')),
    reason     TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox(state, seq);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Events are facts: the application can neither change nor remove them.
-- (Someone editing the file by hand is caught by `verify`.)
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'journal events are immutable'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'journal events are immutable'); END;
