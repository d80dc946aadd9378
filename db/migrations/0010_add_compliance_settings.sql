-- Patrol compliance (river chiefs and grid patrollers) as data: thresholds the api reads inside its
-- SQL, so changing a number here changes the next answer without a deploy.

-- One number per setting. Keys used by the api:
--   river_coverage_buffer_m   a segment counts as walked within this distance of the patrol track
--   grid_coverage_buffer_m    a grid counts as covered within this distance of a grid patrol's track
--   grid_coverage_window_h    grid coverage looks at valid patrols ended in the last N hours
--   grid_patrol_interval_h    a grid is overdue when its last valid patrol ended longer ago than this
--   grid_min_duration_min     grid patrols shorter than this are flagged too_short_time
--   grid_min_distance_m       grid patrols shorter than this are flagged too_short_distance
--   grid_max_speed_kmh        grid patrols faster than this on average are flagged impossible_speed
--   outside_grid_alert_min    an on-duty patroller with no check-in inside their grid for N minutes raises an alert
--   max_clock_skew_s          device time ahead of server receive time by more than this: clock_skew
--   late_upload_s             device time behind receive time by more than this: late_upload (informational)
--   due_soon_fraction         status 'due' once this fraction of the interval has passed
--   flood_season_from_mmdd / flood_season_to_mmdd   汛期 in local time (Asia/Shanghai), inclusive
CREATE TABLE IF NOT EXISTS compliance_settings (
  key    text PRIMARY KEY,
  value  double precision NOT NULL,
  note   text
);
INSERT INTO compliance_settings (key, value, note) VALUES
  ('river_coverage_buffer_m', 30, 'segment within this many metres of the track counts as covered'),
  ('grid_coverage_buffer_m', 50, 'grid area within this many metres of a track counts as covered'),
  ('grid_coverage_window_h', 24, 'grid coverage window'),
  ('grid_patrol_interval_h', 24, 'grid overdue after this many hours without a valid patrol'),
  ('grid_min_duration_min', 10, 'minimum valid grid patrol duration'),
  ('grid_min_distance_m', 500, 'minimum valid grid patrol distance'),
  ('grid_max_speed_kmh', 25, 'faster average speed is flagged impossible_speed'),
  ('outside_grid_alert_min', 20, 'on-duty patroller not inside own grid for this long raises an alert'),
  ('max_clock_skew_s', 300, 'device clock ahead of server by more than this is flagged'),
  ('late_upload_s', 21600, 'uploaded later than this after the device time is flagged late_upload'),
  ('due_soon_fraction', 0.8, 'fraction of the interval after which a segment is due'),
  ('flood_season_from_mmdd', 415, '汛期 start (MMDD, Asia/Shanghai)'),
  ('flood_season_to_mmdd', 1015, '汛期 end (MMDD, Asia/Shanghai)')
ON CONFLICT (key) DO NOTHING;

-- River patrols faster than this (walking, cycling, a boat) are not credible.
ALTER TABLE patrol_rules ADD COLUMN IF NOT EXISTS max_speed_kmh double precision NOT NULL DEFAULT 25;

-- When coverage, flags and validity were computed (NULL = not assessed yet).
ALTER TABLE patrols ADD COLUMN IF NOT EXISTS assessed_at timestamptz;
-- Closed patrols awaiting assessment: found by index so the check is free when there are none.
CREATE INDEX IF NOT EXISTS patrols_unassessed_idx ON patrols (ended_at) WHERE status = 'closed' AND assessed_at IS NULL;
CREATE INDEX IF NOT EXISTS patrols_grid_idx ON patrols (grid_id, ended_at) WHERE kind = 'grid';
CREATE INDEX IF NOT EXISTS patrols_open_idx ON patrols (person_id) WHERE status = 'open';

-- Statistics buckets by time.
CREATE INDEX IF NOT EXISTS incidents_created_idx ON incidents (created_at);
CREATE INDEX IF NOT EXISTS incidents_grid_idx ON incidents (grid_id) WHERE state NOT IN ('closed', 'rejected');
CREATE INDEX IF NOT EXISTS incidents_segment_idx ON incidents (segment_id) WHERE state NOT IN ('closed', 'rejected');
CREATE INDEX IF NOT EXISTS river_reports_at_idx ON river_reports (at);
CREATE INDEX IF NOT EXISTS patrols_ended_idx ON patrols (ended_at);
