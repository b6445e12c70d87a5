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
