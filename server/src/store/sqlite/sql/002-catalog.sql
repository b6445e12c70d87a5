-- Server schema, version 2: the product database (companies, locations,
-- products, certifications, lots, serials, recalls) and the trace index that
-- links stored events to the lots and serials they concern.

CREATE TABLE provinces (
    code    TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE companies (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,          -- a short stable handle
    name     TEXT NOT NULL,
    tax_code TEXT UNIQUE,
    gln      TEXT UNIQUE,
    province TEXT REFERENCES provinces(code),
    address  TEXT,
    phone    TEXT,
    email    TEXT,
    website  TEXT
);

CREATE TABLE locations (
    gln        TEXT PRIMARY KEY,
    company_id INTEGER REFERENCES companies(id),
    kind       TEXT NOT NULL CHECK (kind IN ('farm', 'plot', 'factory', 'warehouse', 'market', 'shop')),
    name       TEXT NOT NULL,
    address    TEXT,
    province   TEXT REFERENCES provinces(code),
    lat        REAL,
    lon        REAL
);

CREATE TABLE products (
    gtin            TEXT PRIMARY KEY,       -- GTIN-14
    company_id      INTEGER REFERENCES companies(id),
    name_vi         TEXT NOT NULL,
    name_en         TEXT,
    brand           TEXT,
    category        TEXT,
    origin_province TEXT REFERENCES provinces(code),
    description_vi  TEXT,
    description_en  TEXT,
    image           TEXT
);

-- Names and brands without diacritics or case, for search ("ca phe" finds "Cà phê").
CREATE VIRTUAL TABLE product_search USING fts5(gtin UNINDEXED, text, tokenize = 'unicode61');

CREATE TABLE certifications (
    id         INTEGER PRIMARY KEY,
    subject    TEXT NOT NULL,               -- a GTIN-14 or a GLN
    scheme     TEXT NOT NULL,               -- VietGAP, GlobalGAP, Organic, HACCP, OCOP …
    issuer     TEXT,
    number     TEXT,
    valid_from TEXT,
    valid_to   TEXT,
    UNIQUE (subject, scheme, number)
);

CREATE TABLE lots (
    gtin            TEXT NOT NULL,
    lot             TEXT NOT NULL,
    production_date TEXT,
    expiry          TEXT,
    quantity        REAL,
    unit            TEXT,
    origin_gln      TEXT,
    PRIMARY KEY (gtin, lot)
) WITHOUT ROWID;

CREATE TABLE serials (
    gtin   TEXT NOT NULL,
    serial TEXT NOT NULL,
    lot    TEXT,
    PRIMARY KEY (gtin, serial)
) WITHOUT ROWID;

CREATE TABLE recalls (
    id          TEXT PRIMARY KEY,
    gtin        TEXT NOT NULL,
    reason_vi   TEXT NOT NULL,
    reason_en   TEXT,
    severity    TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
    declared_by TEXT,
    declared_at TEXT NOT NULL,
    province    TEXT
);

CREATE TABLE recall_lots (
    gtin      TEXT NOT NULL,
    lot       TEXT NOT NULL,
    recall_id TEXT NOT NULL REFERENCES recalls(id),
    PRIMARY KEY (gtin, lot, recall_id)
) WITHOUT ROWID;

-- Which accepted events concern which product, lot and serial, and how.
-- (Index tables: written only with their event, in the same transaction, so
-- they carry no foreign keys to check on every insert.)
CREATE TABLE trace (
    gtin       TEXT NOT NULL,
    lot        TEXT NOT NULL DEFAULT '',
    serial     TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL CHECK (role IN ('subject', 'input', 'output')),
    server_seq INTEGER NOT NULL,
    PRIMARY KEY (gtin, lot, serial, role, server_seq)
) WITHOUT ROWID;
CREATE INDEX trace_serial ON trace(gtin, serial) WHERE serial != '';

-- Which accepted events of which kind happened at which site (farm diary,
-- shipments, inspections …).
CREATE TABLE site_trace (
    gln        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    server_seq INTEGER NOT NULL,
    PRIMARY KEY (gln, kind, server_seq)
) WITHOUT ROWID;
