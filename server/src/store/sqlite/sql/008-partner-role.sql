-- Schema 8: `users.role` admits 'partner' (another traceability system that
-- captures and reads EPCIS events). Only the CHECK changes; the table's
-- definition is rewritten in place by `widen_role_check` (schema.rs).
SELECT 1;
