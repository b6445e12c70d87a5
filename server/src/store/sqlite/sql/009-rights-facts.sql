-- Server schema, version 9: the facts the rights need, and the certifier
-- role (the users.role CHECK itself is widened by the migration code, as
-- for version 8).

-- The GS1 company prefixes of a company (4 to 12 digits), recorded by the
-- authority: an enterprise registers GTINs inside its company's prefixes
-- only, and a GTIN inside a prefix belongs to that company even before it
-- is registered. A prefix belongs to one company.
CREATE TABLE company_prefixes (
    prefix     TEXT PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies(id)
);
CREATE INDEX company_prefixes_company ON company_prefixes(company_id);

-- The suppliers (farms, co-packers) a company registered for a product:
-- they may produce its lots.
CREATE TABLE product_suppliers (
    gtin TEXT NOT NULL REFERENCES products(gtin),
    gln  TEXT NOT NULL,
    PRIMARY KEY (gtin, gln)
) WITHOUT ROWID;

-- Who stands behind a certification: 'authority' (recorded by an authority,
-- an admin or a registered certifier) or 'company' (declared by the company
-- itself). Those stored before cannot tell, so they count as declared.
ALTER TABLE certifications ADD COLUMN source TEXT NOT NULL DEFAULT 'company'
    CHECK (source IN ('authority', 'company'));
