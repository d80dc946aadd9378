-- A dead letter written again for the same message (the broker redelivers it when ingest stopped
-- after the commit but before its PUBACK, or a retry follows a commit whose reply was lost) must
-- not be stored twice. Ingest fills dedup_key with a digest of topic and raw payload; rows written
-- by other means leave it NULL, and NULLs never conflict.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS dedup_key text;
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_dedup_key_key ON dead_letters (dedup_key);
