-- Per-area reads of the change feed. An API process reads only the events its connected clients
-- may see (`readScoped` in db/src/changes/feed.ts): `resync`, or an area column in the clients'
-- lists. Each branch of that filter has a partial index here, ordered by position within the key,
-- so a read after a position fetches the matching rows only (a bitmap OR of these) instead of
-- walking every event after the position. Partial (`IS NOT NULL`): most events leave some of the
-- columns empty (a position has no segment or police post), and those rows cost no entry.
CREATE INDEX IF NOT EXISTS stream_events_community_pos_idx ON stream_events (community_id, id)
  WHERE community_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stream_events_person_pos_idx ON stream_events (person_id, id)
  WHERE person_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stream_events_grid_pos_idx ON stream_events (grid_id, id)
  WHERE grid_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stream_events_segment_pos_idx ON stream_events (segment_id, id)
  WHERE segment_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stream_events_police_post_pos_idx ON stream_events (police_post_id, id)
  WHERE police_post_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS stream_events_resync_pos_idx ON stream_events (id) WHERE type = 'resync';
