-- Server schema, version 10.
--
-- The CBV 2.0 event hash and the canonical form of identifiers follow the
-- reference implementation's vectors (list entries, sensor data,
-- extensions of standard fields, every GS1 key's EPC URI, Digital Links on
-- any host, time rounding). The captured events' hashes (the duplicate key
-- other systems share), places and identifier index are computed again
-- from the events as captured, by `reindex` (epcis.rs); an `eventID`
-- already handed out stays.
--
-- Corrections: the chain steps a captured event stands for, so that an
-- errorDeclaration marks them corrected (`events.error_code`) along with
-- the event (`epcis_events.retracted`). `reindex` fills it for the events
-- already captured.
CREATE TABLE epcis_steps (
    seq        INTEGER NOT NULL REFERENCES epcis_events(seq),
    server_seq INTEGER NOT NULL UNIQUE REFERENCES events(server_seq),
    PRIMARY KEY (seq, server_seq)
) WITHOUT ROWID;

-- One account's share of the statistics and the queues: the scans an
-- account makes in a day count up to a cap (`domain::stats`), and the
-- complaints it files in 24 hours enter the queue up to a cap
-- (`domain::complaint`); the rest are kept (they are facts) but `held`
-- out of the queue and the figures. `received_at`: when the complaint
-- reached the server (its filing time is the phone's).
ALTER TABLE scan_facts ADD COLUMN user_id INTEGER;
UPDATE scan_facts SET user_id = (SELECT e.user_id FROM events e WHERE e.server_seq = scan_facts.server_seq);
CREATE INDEX scan_facts_user ON scan_facts(user_id, day);
ALTER TABLE complaints ADD COLUMN received_at TEXT;
ALTER TABLE complaints ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX complaints_filer ON complaints(filer_user_id, received_at);

-- Sessions that end. A token carries its account's generation and its
-- session's id: a password change or disabling the account moves the
-- generation on (every token issued before is refused), and a sign-out
-- ends its session (kept here until its last token would have expired).
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE ended_sessions (
    sid     TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    until   TEXT NOT NULL                 -- no token of it is valid after this
) WITHOUT ROWID;
CREATE INDEX ended_sessions_until ON ended_sessions(until);
