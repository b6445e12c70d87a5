-- Photos taken for events (harvest, farm diary, inspection, complaint), kept
-- on the phone by the SHA-256 of their bytes (the name the events carry)
-- until the server has them.
CREATE TABLE photos (
    hash     TEXT PRIMARY KEY,
    media    TEXT NOT NULL,
    bytes    BLOB NOT NULL,
    added_at TEXT NOT NULL,
    state    TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    error    TEXT
);
