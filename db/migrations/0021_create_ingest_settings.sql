-- What ingest accepts as plausible, as data: change a row and ingest applies it within a minute
-- (it re-reads this table), no deploy. A message outside these bounds is dead-lettered at stage
-- 'plausibility' with the bound it broke.
--   max_ahead_s        device time may run ahead of the server clock by at most this (clock skew)
--   max_age_s          device time may lag the server clock by at most this: the offline-queue
--                      horizon (a phone's outbox uploads late, but not years late)
--   extent_margin_m    the deployment extent is the reference geography's bounding box (communities,
--                      grids, river segments, police posts, cameras) grown by this margin
--   extent_min_lon, extent_min_lat, extent_max_lon, extent_max_lat
--                      optional: when all four are set they replace the derived extent
-- With no reference geography and no explicit extent, positions are only checked against ±180/±90.
CREATE TABLE IF NOT EXISTS ingest_settings (
  key    text PRIMARY KEY,
  value  double precision NOT NULL,
  note   text
);
INSERT INTO ingest_settings (key, value, note) VALUES
  ('max_ahead_s', 300, 'device time at most this many seconds ahead of the server clock'),
  ('max_age_s', 2592000, 'device time at most this many seconds (30 days) behind the server clock'),
  ('extent_margin_m', 20000, 'margin around the reference geography''s bounding box')
ON CONFLICT (key) DO NOTHING;
