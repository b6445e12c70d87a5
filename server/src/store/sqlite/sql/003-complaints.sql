-- Server schema, version 3: complaints from citizens (phản ánh, kiến nghị)
-- and every change of their status.

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,        -- what the filer keeps to follow it
    code          TEXT NOT NULL,               -- the scanned text
    gtin          TEXT,
    lot           TEXT,
    serial        TEXT,
    category      TEXT NOT NULL CHECK (category IN ('counterfeit', 'quality_safety', 'labelling', 'expired', 'other')),
    description   TEXT NOT NULL,
    province      TEXT NOT NULL REFERENCES provinces(code),
    contact       TEXT,                        -- phone or e-mail, for anonymous filers
    filer_user_id INTEGER REFERENCES users(id),
    status        TEXT NOT NULL CHECK (status IN ('received', 'processing', 'resolved', 'rejected')),
    assigned_to   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX complaints_queue ON complaints(province, status, id);

-- The audit trail: every status change, who made it and why. Never edited.
CREATE TABLE complaint_history (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT
);
CREATE INDEX complaint_history_of ON complaint_history(complaint_id);
CREATE TRIGGER complaint_history_fixed BEFORE UPDATE ON complaint_history
BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END;
CREATE TRIGGER complaint_history_kept BEFORE DELETE ON complaint_history
BEGIN SELECT RAISE(ABORT, 'complaint history is append-only'); END;
