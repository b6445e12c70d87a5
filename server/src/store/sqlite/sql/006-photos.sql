-- Photos attached to complaints (and, by reference, to phone events):
-- stored once by content hash, whoever sends them.

CREATE TABLE photos (
    hash        TEXT PRIMARY KEY,             -- lowercase hex SHA-256 of the bytes
    media_type  TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size        INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users(id), -- none: an anonymous filer
    uploaded_at TEXT NOT NULL
);

-- The photos a complaint names (a phone's may arrive after its complaint).
CREATE TABLE complaint_photos (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    hash         TEXT NOT NULL,
    UNIQUE (complaint_id, hash)
);
CREATE INDEX complaint_photos_by_hash ON complaint_photos(hash);
