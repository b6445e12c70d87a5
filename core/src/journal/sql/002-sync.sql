-- Journal schema, version 2: what a pull brings for offline work.
-- Reference data in the user's scope (products, lots, recalls …), one row per
-- (kind, key), replaced as newer versions arrive. Sync cursors live in `meta`.

CREATE TABLE cache (
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    data       TEXT NOT NULL,           -- JSON as the server sent it
    updated_at TEXT NOT NULL,           -- when this device received it (RFC 3339, UTC)
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
