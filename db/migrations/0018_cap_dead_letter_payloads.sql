-- Dead letters keep a bounded prefix of the refused payload plus its full length and SHA-256, so a
-- flood of oversized garbage cannot fill the database or make one read of the table huge.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS payload_length integer;
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS payload_sha256 text;
