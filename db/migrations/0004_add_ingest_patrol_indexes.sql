-- Ingest rebuilds a patrol's track from its stored points after each batch that touches it; these
-- partial indexes find those points without scanning every check-in (most rows have no patrol).
CREATE INDEX IF NOT EXISTS checkins_patrol_idx ON checkins (patrol_id, at) WHERE patrol_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS river_reports_patrol_idx ON river_reports (patrol_id, at) WHERE patrol_id IS NOT NULL;
