-- The stage at which a message was refused (topic, size, json, schema, plausibility, reference,
-- conflict, database, internal), as its own column so operators can count and filter by it.
-- The reason keeps its "stage: " prefix for readers that only show the reason.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS stage text;
UPDATE dead_letters SET stage = split_part(reason, ':', 1)
 WHERE stage IS NULL
   AND split_part(reason, ':', 1) IN ('topic', 'size', 'json', 'schema', 'reference', 'database', 'internal');
CREATE INDEX IF NOT EXISTS dead_letters_stage_idx ON dead_letters (stage, received_at);
