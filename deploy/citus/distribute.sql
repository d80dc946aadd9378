-- Wardmap on Citus (PostgreSQL + PostGIS distributed by community). Prepared, not run here: Citus
-- does not install on this machine. Run on the coordinator AFTER `npm run migrate` has built the
-- single-node schema (see README.md in this folder), in one session, as a superuser:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/citus/distribute.sql
-- Needs: citus and postgis installed on every node, workers added with citus_add_node().

CREATE EXTENSION IF NOT EXISTS citus;

-- 1. The distribution column. `community_id` is the community that OWNS a row: the home community
--    of the reporting person (people.grid_id -> grids.community_id), of the camera (its police
--    post's), of the river segment (its chief's); '' for none. It is the key ingest's write turns
--    use (ingest/src/write/shards.ts), so one batch's rows of one community land on one shard.
--    Tables that stored the community of the LOCATION under that name keep it as
--    `at_community_id` (the map filters by it; reference joins give it back).
ALTER TABLE checkins RENAME COLUMN community_id TO at_community_id;
ALTER TABLE checkins ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE camera_alerts RENAME COLUMN community_id TO at_community_id;
ALTER TABLE camera_alerts ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE incidents RENAME COLUMN community_id TO at_community_id;
ALTER TABLE incidents ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE positions ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE patrols ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE river_reports ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE incident_events ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE checkin_claims ADD COLUMN community_id text NOT NULL DEFAULT '';
ALTER TABLE checkin_hex_bins ADD COLUMN community_id text NOT NULL DEFAULT '';

-- Existing rows get their owner's community (a fresh deployment has none).
UPDATE positions t SET community_id = coalesce(g.community_id, '')
  FROM people p LEFT JOIN grids g ON g.id = p.grid_id WHERE p.id = t.person_id;
UPDATE checkins t SET community_id = coalesce(g.community_id, '')
  FROM people p LEFT JOIN grids g ON g.id = p.grid_id WHERE p.id = t.person_id;
UPDATE checkin_claims t SET community_id = c.community_id FROM checkins c WHERE c.message_id = t.message_id;
UPDATE devices t SET community_id = coalesce(g.community_id, '')
  FROM people p LEFT JOIN grids g ON g.id = p.grid_id WHERE p.id = t.person_id;
UPDATE patrols t SET community_id = coalesce(g.community_id, '')
  FROM people p LEFT JOIN grids g ON g.id = p.grid_id WHERE p.id = t.person_id;
UPDATE camera_alerts t SET community_id = coalesce(pp.community_id, '')
  FROM cameras c LEFT JOIN police_posts pp ON pp.id = c.police_post_id WHERE c.id = t.camera_id;
UPDATE river_reports t SET community_id = coalesce(g.community_id, '')
  FROM river_segments s LEFT JOIN people p ON p.id = s.chief_id LEFT JOIN grids g ON g.id = p.grid_id
 WHERE s.id = t.segment_id;
UPDATE incidents SET community_id = coalesce(at_community_id, '');
UPDATE incident_events e SET community_id = i.community_id FROM incidents i WHERE i.id = e.incident_id;

-- 2. Primary and unique keys include the distribution column (Citus enforces them per shard).
ALTER TABLE incident_events DROP CONSTRAINT incident_events_incident_id_fkey;
ALTER TABLE checkins DROP CONSTRAINT checkins_pkey, ADD PRIMARY KEY (community_id, message_id, at);
ALTER TABLE checkin_claims DROP CONSTRAINT checkin_claims_pkey, ADD PRIMARY KEY (community_id, message_id);
ALTER TABLE checkin_hex_bins DROP CONSTRAINT checkin_hex_bins_pkey,
  ADD PRIMARY KEY (community_id, zoom, i, j, hour);
ALTER TABLE positions DROP CONSTRAINT positions_pkey, ADD PRIMARY KEY (community_id, person_id);
ALTER TABLE devices DROP CONSTRAINT devices_pkey, ADD PRIMARY KEY (community_id, person_id, device);
ALTER TABLE patrols DROP CONSTRAINT patrols_pkey, ADD PRIMARY KEY (community_id, id);
ALTER TABLE camera_alerts DROP CONSTRAINT camera_alerts_pkey, ADD PRIMARY KEY (community_id, id);
ALTER TABLE river_reports DROP CONSTRAINT river_reports_pkey, ADD PRIMARY KEY (community_id, message_id);
ALTER TABLE incidents DROP CONSTRAINT incidents_pkey, ADD PRIMARY KEY (community_id, id);
ALTER TABLE incidents DROP CONSTRAINT incidents_source_source_id_key,
  ADD CONSTRAINT incidents_source_source_id_key UNIQUE (community_id, source, source_id);
ALTER TABLE incident_events DROP CONSTRAINT incident_events_pkey, ADD PRIMARY KEY (community_id, id);
ALTER TABLE incident_events ADD CONSTRAINT incident_events_incident_fkey
  FOREIGN KEY (community_id, incident_id) REFERENCES incidents (community_id, id);

-- 3. Reference tables: small, read by every write and every tile, copied to every node. Order
--    follows their foreign keys.
SELECT create_reference_table(t) FROM unnest(ARRAY[
  'communities', 'organisations', 'police_posts', 'grids', 'buildings', 'nvrs', 'cameras', 'people',
  'rivers', 'river_segments', 'villages', 'basemap_features', 'patrol_rules', 'sla_rules',
  'compliance_settings', 'ingest_settings', 'api_tokens', 'handover_notes', 'photos'
]) AS t;

-- 4. Distributed tables, all co-located on community_id (joins between them stay on one node when
--    they name the community). 64 shards leave room to grow to ~16 workers by moving shards.
SELECT create_distributed_table('incidents', 'community_id', shard_count => 64);
SELECT create_distributed_table('incident_events', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('positions', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('devices', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('patrols', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('camera_alerts', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('river_reports', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('checkin_claims', 'community_id', colocate_with => 'incidents');
SELECT create_distributed_table('checkin_hex_bins', 'community_id', colocate_with => 'incidents');
-- Check-ins: distributed by community AND range-partitioned by device time (monthly), so old
-- months are dropped or compressed whole (columnar access method for months that no longer change).
SELECT create_distributed_table('checkins', 'community_id', colocate_with => 'incidents');
SELECT create_time_partitions('checkins', INTERVAL '1 month', now() + INTERVAL '12 months', now() - INTERVAL '1 month');
-- Dead letters have no community (many cannot even be parsed): spread by their id.
SELECT create_distributed_table('dead_letters', 'id', colocate_with => 'none');

-- 5. Left on the coordinator as plain local tables: the change feed (stream_events: the append
--    lock orders it, so it must live on one node; a few thousand rows/s at most), leases,
--    schema_migrations, processed_messages, the login throttle.

-- 6. Months that no longer change, to columnar (about 5-10x smaller; see `npm run bench:model`):
--   CALL alter_old_partitions_set_access_method('checkins', now() - INTERVAL '2 months', 'columnar');
