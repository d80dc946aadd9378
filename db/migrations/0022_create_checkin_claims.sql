-- Check-ins are partitioned by device time, so their key is (message_id, at): a phone that re-sends
-- an id with a re-stamped time would be stored twice. A claim per message id, whatever its time,
-- makes "stored once per id" true across partitions. `digest` fingerprints the content the id was
-- first stored with: a redelivery with the same content is a duplicate, one with different content
-- is dead-lettered as a conflict. Rows claimed before this table existed have no digest (treated
-- as duplicates).
CREATE TABLE IF NOT EXISTS checkin_claims (
  message_id  text PRIMARY KEY,
  at          timestamptz NOT NULL,
  digest      text
);
INSERT INTO checkin_claims (message_id, at)
SELECT message_id, min(at) FROM checkins GROUP BY message_id
ON CONFLICT (message_id) DO NOTHING;
