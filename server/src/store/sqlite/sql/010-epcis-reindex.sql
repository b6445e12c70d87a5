-- Server schema, version 10: the CBV 2.0 event hash and the canonical form
-- of identifiers follow the reference implementation's vectors (list
-- entries, sensor data, extensions of standard fields, every GS1 key's EPC
-- URI, Digital Links on any host, time rounding). The captured events'
-- hashes (the duplicate key other systems share), places and identifier
-- index are computed again from the events as captured, by `reindex`
-- (epcis.rs); an `eventID` already handed out stays.
SELECT 1;
