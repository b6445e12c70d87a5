-- Codes the authority revoked (a forged or withdrawn GTIN, lot or serial);
-- '' for lot and serial means the GTIN itself. Published to the feed as
-- `revocation` changes, so recall packs carry them.
CREATE TABLE revocations (
    gtin       TEXT NOT NULL,
    lot        TEXT NOT NULL DEFAULT '',
    serial     TEXT NOT NULL DEFAULT '',
    reason_vi  TEXT NOT NULL,
    reason_en  TEXT,
    revoked_by TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    PRIMARY KEY (gtin, lot, serial)
) WITHOUT ROWID;
