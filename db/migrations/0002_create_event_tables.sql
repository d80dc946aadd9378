-- Everything that arrives over MQTT or HTTP: check-ins, camera alerts, river reports, and what is
-- derived from them (positions, patrols, incidents). Message ids are the idempotency keys.

-- Check-ins are the high-volume table: partitioned by month of device time. A unique key on a
-- partitioned table must contain the partition key, so idempotency is (message_id, at): a
-- redelivered message carries the same device time, so it lands on the same key.
CREATE TABLE IF NOT EXISTS checkins (
  message_id    text NOT NULL,
  person_id     text NOT NULL,
  device        text,
  source        text NOT NULL DEFAULT 'native' CHECK (source IN ('native', 'owntracks', 'http')),
  kind          text NOT NULL DEFAULT 'location' CHECK (kind IN ('location', 'start', 'end', 'checkpoint', 'enter', 'leave')),
  geom          geometry(Point, 4326) NOT NULL,
  accuracy      double precision,
  battery       double precision,
  altitude      double precision,
  speed         double precision,
  heading       double precision,
  at            timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  patrol_id     text,
  grid_id       text,
  community_id  text,
  region        text,
  PRIMARY KEY (message_id, at)
) PARTITION BY RANGE (at);
CREATE TABLE IF NOT EXISTS checkins_default PARTITION OF checkins DEFAULT;
CREATE INDEX IF NOT EXISTS checkins_geom_idx ON checkins USING gist (geom);
CREATE INDEX IF NOT EXISTS checkins_person_at_idx ON checkins (person_id, at);
CREATE INDEX IF NOT EXISTS checkins_at_idx ON checkins (at);

-- Creates the monthly partitions covering [from_month, to_month]. Safe to call repeatedly;
-- months that already hold rows in the default partition are left there.
CREATE OR REPLACE FUNCTION wardmap_ensure_checkin_partitions(from_month date, to_month date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', from_month)::date;
  created integer := 0;
  part text;
BEGIN
  WHILE m <= to_month LOOP
    part := 'checkins_' || to_char(m, 'YYYYMM');
    IF to_regclass(part) IS NULL
       AND NOT EXISTS (SELECT 1 FROM checkins_default WHERE at >= m AND at < (m + interval '1 month')) THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF checkins FOR VALUES FROM (%L) TO (%L)',
                     part, m::timestamptz, (m + interval '1 month')::timestamptz);
      created := created + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN created;
END $$;

-- Latest known position per person; never overwritten by an older device time.
CREATE TABLE IF NOT EXISTS positions (
  person_id     text PRIMARY KEY,
  device        text,
  geom          geometry(Point, 4326) NOT NULL,
  accuracy      double precision,
  battery       double precision,
  speed         double precision,
  heading       double precision,
  at            timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  grid_id       text,
  online        boolean NOT NULL DEFAULT true,
  message_id    text
);
CREATE INDEX IF NOT EXISTS positions_geom_idx ON positions USING gist (geom);

-- OwnTracks devices: online/offline from lwt, last seen.
CREATE TABLE IF NOT EXISTS devices (
  person_id     text NOT NULL,
  device        text NOT NULL,
  online        boolean NOT NULL DEFAULT true,
  last_seen_at  timestamptz,
  status_at     timestamptz,
  PRIMARY KEY (person_id, device)
);

CREATE TABLE IF NOT EXISTS patrols (
  id              text PRIMARY KEY,
  person_id       text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('grid', 'river')),
  grid_id         text,
  segment_id      text,
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  track           geometry(LineString, 4326),
  distance_m      double precision NOT NULL DEFAULT 0,
  duration_s      double precision NOT NULL DEFAULT 0,
  coverage        double precision,
  flags           text[] NOT NULL DEFAULT '{}',
  valid           boolean
);
CREATE INDEX IF NOT EXISTS patrols_person_idx ON patrols (person_id, started_at);
CREATE INDEX IF NOT EXISTS patrols_segment_idx ON patrols (segment_id, ended_at);
CREATE INDEX IF NOT EXISTS patrols_track_idx ON patrols USING gist (track);

-- One row per camera event: Frigate's new/update/end of one event id update the same alert.
CREATE TABLE IF NOT EXISTS camera_alerts (
  id                text PRIMARY KEY,
  camera_id         text NOT NULL,
  source            text NOT NULL DEFAULT 'native' CHECK (source IN ('native', 'frigate')),
  label             text NOT NULL,
  sub_label         text,
  score             double precision,
  top_score         double precision,
  state             text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'update', 'end')),
  zones             text[] NOT NULL DEFAULT '{}',
  snapshot_url      text,
  has_clip          boolean,
  false_positive    boolean,
  started_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  at                timestamptz NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  geom              geometry(Point, 4326),
  grid_id           text,
  community_id      text,
  police_post_id    text,
  incident_id       text
);
CREATE INDEX IF NOT EXISTS camera_alerts_camera_idx ON camera_alerts (camera_id, at);
CREATE INDEX IF NOT EXISTS camera_alerts_geom_idx ON camera_alerts USING gist (geom);

CREATE TABLE IF NOT EXISTS river_reports (
  message_id    text PRIMARY KEY,
  segment_id    text NOT NULL,
  person_id     text,
  type          text NOT NULL CHECK (type IN ('patrol_start', 'patrol_end', 'track', 'issue')),
  issue         text,
  count         integer,
  tons          double precision,
  severity      text,
  note          text,
  photo_url     text,
  geom          geometry(Point, 4326),
  at            timestamptz NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  patrol_id     text,
  incident_id   text
);
CREATE INDEX IF NOT EXISTS river_reports_segment_idx ON river_reports (segment_id, at);
CREATE INDEX IF NOT EXISTS river_reports_geom_idx ON river_reports USING gist (geom);

-- Messages that update rows instead of inserting one (Frigate updates, lwt, transitions) are
-- remembered here so a redelivery is recognised.
CREATE TABLE IF NOT EXISTS processed_messages (
  message_id    text PRIMARY KEY,
  topic         text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now()
);

-- Work orders with the escalation ladder 小事不出楼幢、大事不出区块、要事妥善提交:
-- building -> block -> community.
CREATE TABLE IF NOT EXISTS incidents (
  id               text PRIMARY KEY,
  source           text NOT NULL CHECK (source IN ('camera', 'river', 'patrol', 'manual')),
  source_id        text,
  category         text NOT NULL,
  title            text NOT NULL,
  description      text,
  severity         text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high')),
  level            text NOT NULL DEFAULT 'building' CHECK (level IN ('building', 'block', 'community')),
  state            text NOT NULL DEFAULT 'open'
                   CHECK (state IN ('open', 'acknowledged', 'dispatched', 'resolved', 'verified', 'closed', 'rejected')),
  geom             geometry(Point, 4326),
  grid_id          text,
  community_id     text,
  segment_id       text,
  camera_id        text,
  police_post_id   text,
  reported_by      text,
  assignee_id      text,
  sla_due_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_at  timestamptz,
  resolved_at      timestamptz,
  closed_at        timestamptz,
  escalations      integer NOT NULL DEFAULT 0,
  callback_result  text,
  UNIQUE (source, source_id)
);
CREATE INDEX IF NOT EXISTS incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX IF NOT EXISTS incidents_state_sla_idx ON incidents (state, sla_due_at);

CREATE TABLE IF NOT EXISTS incident_events (
  id           bigserial PRIMARY KEY,
  incident_id  text NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  action       text NOT NULL,
  from_state   text,
  to_state     text,
  from_level   text,
  to_level     text,
  note         text,
  data         jsonb
);
CREATE INDEX IF NOT EXISTS incident_events_incident_idx ON incident_events (incident_id, at);

-- SLA per level and severity, as data.
CREATE TABLE IF NOT EXISTS sla_rules (
  level             text NOT NULL CHECK (level IN ('building', 'block', 'community')),
  severity          text NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  ack_minutes       double precision NOT NULL,
  resolve_minutes   double precision NOT NULL,
  PRIMARY KEY (level, severity)
);
INSERT INTO sla_rules (level, severity, ack_minutes, resolve_minutes) VALUES
  ('building', 'low', 60, 1440), ('building', 'medium', 30, 480), ('building', 'high', 10, 120),
  ('block', 'low', 60, 2880), ('block', 'medium', 30, 960), ('block', 'high', 10, 240),
  ('community', 'low', 120, 4320), ('community', 'medium', 60, 1440), ('community', 'high', 15, 480)
ON CONFLICT DO NOTHING;

-- Anything rejected is kept with its reason, raw bytes and all.
CREATE TABLE IF NOT EXISTS dead_letters (
  id           bigserial PRIMARY KEY,
  topic        text NOT NULL,
  payload      bytea,
  reason       text NOT NULL,
  source       text NOT NULL DEFAULT 'mqtt',
  client_id    text,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dead_letters_received_idx ON dead_letters (received_at);
