-- The chain's head: the last event's seq and hash, moved on by the same
-- statement that appends an event (a trigger, so every writer keeps it).
-- Deleting the last events from the file leaves the head pointing past
-- them, which `verify` reports; the head itself only moves forward.
CREATE TABLE head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO head (id, seq, hash) SELECT 1, seq, hash FROM events ORDER BY seq DESC LIMIT 1;
CREATE TRIGGER head_moves_on AFTER INSERT ON events
BEGIN
    INSERT INTO head (id, seq, hash) VALUES (1, NEW.seq, NEW.hash)
    ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
END;
CREATE TRIGGER head_only_forward BEFORE UPDATE ON head WHEN NEW.seq <= OLD.seq
BEGIN SELECT RAISE(ABORT, 'the journal head only moves forward'); END;
CREATE TRIGGER head_kept BEFORE DELETE ON head
BEGIN SELECT RAISE(ABORT, 'the journal head is kept'); END;
