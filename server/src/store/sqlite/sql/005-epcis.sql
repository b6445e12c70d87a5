-- EPCIS 2.0 interop: captured events kept as sent, indexed for the
-- standard query, with the capture jobs that brought them; and the phones'
-- events as EPCIS events (`server_seq` set), made when they are accepted.

CREATE TABLE epcis_captures (
    id          TEXT PRIMARY KEY,             -- cap-<UUIDv7>, the Location of the job
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    events      INTEGER NOT NULL,             -- events in the document
    stored      INTEGER NOT NULL,             -- of those, new ones stored
    duplicates  INTEGER NOT NULL              -- of those, already here (same hash)
);

CREATE TABLE epcis_events (
    seq          INTEGER PRIMARY KEY,         -- record order; the paging key
    -- Not unique: GS1's own examples give one eventID to different events;
    -- the duplicate key is the hash (with the declaration time).
    event_id     TEXT NOT NULL,
    id_assigned  INTEGER NOT NULL,            -- the eventID is our hash (none was sent)
    hash         TEXT NOT NULL,               -- CBV 2.0 event hash
    declared_at  TEXT NOT NULL DEFAULT '',    -- errorDeclaration time ('' for none)
    capture_id   TEXT REFERENCES epcis_captures(id),  -- none for a phone's event
    server_seq   INTEGER UNIQUE REFERENCES events(server_seq),  -- the phone event it exports
    user_id      INTEGER NOT NULL REFERENCES users(id),
    event_type   TEXT NOT NULL,
    action       TEXT,
    biz_step     TEXT,                        -- bare CBV word, or the URI
    disposition  TEXT,
    read_point   TEXT,                        -- canonical (Digital Link where possible)
    biz_location TEXT,
    event_time   TEXT NOT NULL,               -- UTC, YYYY-MM-DDTHH:MM:SS.sssZ
    record_time  TEXT NOT NULL,
    retracted    INTEGER NOT NULL DEFAULT 0,  -- a later errorDeclaration corrected it
    raw          TEXT NOT NULL,               -- the event as sent
    context      TEXT NOT NULL,               -- its document's @context
    UNIQUE (hash, declared_at)
);
CREATE INDEX epcis_event_id ON epcis_events(event_id);
CREATE INDEX epcis_time ON epcis_events(event_time, seq);
CREATE INDEX epcis_step ON epcis_events(biz_step, seq);
CREATE INDEX epcis_place ON epcis_events(biz_location, seq);

-- Identifiers named by an event (canonical form) and where.
CREATE TABLE epcis_epcs (
    uri   TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('epc', 'parent', 'input', 'output', 'class')),
    seq   INTEGER NOT NULL REFERENCES epcis_events(seq),
    PRIMARY KEY (uri, field, seq)
) WITHOUT ROWID;

CREATE TRIGGER epcis_events_kept BEFORE DELETE ON epcis_events
BEGIN SELECT RAISE(ABORT, 'captured events are immutable'); END;
CREATE TRIGGER epcis_events_fixed BEFORE UPDATE OF event_id, hash, declared_at, capture_id, user_id, raw, context ON epcis_events
BEGIN SELECT RAISE(ABORT, 'captured events are immutable'); END;
