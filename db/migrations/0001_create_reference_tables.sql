-- Reference geography and organisation of the four-in-one prevention network.
-- Every geometry is WGS-84 lon/lat (SRID 4326) with a GiST index; lengths and areas are
-- computed through geography casts where they are needed, never stored in degrees.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS communities (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('resettlement', 'traditional')),
  residents   integer NOT NULL DEFAULT 0 CHECK (residents >= 0),
  households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS communities_geom_idx ON communities USING gist (geom);

-- Management blocks (管理区块 = grids): ~300 households, a liaison social worker (联络社工),
-- unit party liaisons (单元党员联络员) and a building party liaison chief (楼宇党员联络长).
CREATE TABLE IF NOT EXISTS grids (
  id                 text PRIMARY KEY,
  community_id       text NOT NULL REFERENCES communities (id),
  name               text NOT NULL,
  households         integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  liaison_id         text,
  unit_liaison_ids   text[] NOT NULL DEFAULT '{}',
  building_chief_id  text,
  geom               geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS grids_geom_idx ON grids USING gist (geom);
CREATE INDEX IF NOT EXISTS grids_community_idx ON grids (community_id);

CREATE TABLE IF NOT EXISTS buildings (
  id          text PRIMARY KEY,
  grid_id     text NOT NULL REFERENCES grids (id),
  name        text NOT NULL,
  households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS buildings_geom_idx ON buildings USING gist (geom);
CREATE INDEX IF NOT EXISTS buildings_grid_idx ON buildings (grid_id);

-- The four partners (四合一): party organisation, police, property management, resident units.
CREATE TABLE IF NOT EXISTS organisations (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('party', 'police', 'property', 'resident_unit')),
  community_id  text REFERENCES communities (id)
);

CREATE TABLE IF NOT EXISTS police_posts (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  community_id     text REFERENCES communities (id),
  organisation_id  text REFERENCES organisations (id),
  geom             geometry(Point, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS police_posts_geom_idx ON police_posts USING gist (geom);

CREATE TABLE IF NOT EXISTS cameras (
  id                 text PRIMARY KEY,
  name               text NOT NULL,
  geom               geometry(Point, 4326) NOT NULL,
  heading            double precision CHECK (heading >= 0 AND heading <= 360),
  fov                double precision CHECK (fov > 0 AND fov <= 360),
  police_post_id     text REFERENCES police_posts (id),
  frigate_name       text UNIQUE,
  password_hash      text,
  online             boolean NOT NULL DEFAULT true,
  status_changed_at  timestamptz,
  last_seen_at       timestamptz
);
CREATE INDEX IF NOT EXISTS cameras_geom_idx ON cameras USING gist (geom);

CREATE TABLE IF NOT EXISTS villages (
  id    text PRIMARY KEY,
  name  text NOT NULL,
  geom  geometry(Point, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS villages_geom_idx ON villages USING gist (geom);

-- Basemap features so the dashboard needs no external tiles.
CREATE TABLE IF NOT EXISTS basemap_features (
  id     text PRIMARY KEY,
  kind   text NOT NULL CHECK (kind IN ('lake', 'road', 'river', 'village')),
  name   text,
  geom   geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS basemap_features_geom_idx ON basemap_features USING gist (geom);

CREATE TABLE IF NOT EXISTS rivers (
  id    text PRIMARY KEY,
  name  text NOT NULL,
  geom  geometry(LineString, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS rivers_geom_idx ON rivers USING gist (geom);

-- People: patrollers, river chiefs, police, liaisons, admins. The id is also the MQTT / OwnTracks
-- user name; the password hash serves both API login and broker authentication.
CREATE TABLE IF NOT EXISTS people (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  roles            text[] NOT NULL CHECK (roles <@ ARRAY['patroller', 'river_chief', 'police', 'liaison', 'admin']::text[]),
  phone            text,
  grid_id          text REFERENCES grids (id),
  organisation_id  text REFERENCES organisations (id),
  police_post_id   text REFERENCES police_posts (id),
  password_hash    text,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- River chiefs' "five fixes" (五定): fixed chief, scope, task, standard, assessment.
-- river_id and chief_id are soft references: deployments import segment geometry before the
-- people who will be its chiefs exist, and the basemap's rivers are optional.
CREATE TABLE IF NOT EXISTS river_segments (
  id        text PRIMARY KEY,
  river_id  text,
  name      text NOT NULL,
  level     text NOT NULL CHECK (level IN ('county', 'township', 'village', 'enterprise')),
  chief_id  text,
  task      text,
  standard  text,
  length_m  double precision NOT NULL DEFAULT 0,
  geom      geometry(LineString, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS river_segments_geom_idx ON river_segments USING gist (geom);
CREATE INDEX IF NOT EXISTS river_segments_chief_idx ON river_segments (chief_id);

-- Patrol-frequency rules are data: per chief level, optionally per season or river warning level.
CREATE TABLE IF NOT EXISTS patrol_rules (
  id                  text PRIMARY KEY,
  chief_level         text NOT NULL CHECK (chief_level IN ('county', 'township', 'village', 'enterprise')),
  season              text CHECK (season IN ('flood', 'dry')),
  warning_level       text,
  min_interval_hours  double precision NOT NULL CHECK (min_interval_hours > 0),
  min_duration_min    double precision NOT NULL DEFAULT 10,
  min_distance_m      double precision NOT NULL DEFAULT 1000,
  UNIQUE NULLS NOT DISTINCT (chief_level, season, warning_level)
);
