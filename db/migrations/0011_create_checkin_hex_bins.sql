-- Check-in counts per hexagon cell and hour, so low-zoom check-in tiles read a few thousand rollup
-- rows instead of aggregating up to millions of points per request.
--
-- Cells are ST_Hexagon's lattice in EPSG:3857 (origin 0,0; column i at x = 1.5·s·i, odd columns
-- shifted up by s·√3/2), with edge s = tile width at `zoom` / 20, for lattices at zooms 8, 10, 12
-- and 14; the api serves every zoom below 15 from the nearest of these. Maintained by
-- statement-level triggers that see only the rows really inserted (ON CONFLICT DO NOTHING
-- redeliveries are not counted) or deleted; hours are UTC hours.

-- The cell of a lon/lat on the lattice of edge `size`: the nearer of the two candidate column
-- centres (a point lies between columns floor(x / 1.5s) and the next). Mercator by formula
-- (spherical, as EPSG:3857) to keep it cheap per row.
CREATE OR REPLACE FUNCTION wardmap_hex_cell(lon double precision, lat double precision, size double precision)
RETURNS TABLE (i integer, j integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE WHEN da <= db THEN i0 ELSE i0 + 1 END)::integer, (CASE WHEN da <= db THEN ja ELSE jb END)::integer
    FROM (
      SELECT i0, ja, jb,
             (x - 1.5 * size * i0) ^ 2 + (y - 2 * h * size * ja - h * size * mod(abs(i0), 2)) ^ 2 AS da,
             (x - 1.5 * size * (i0 + 1)) ^ 2 + (y - 2 * h * size * jb - h * size * mod(abs(i0 + 1), 2)) ^ 2 AS db
        FROM (
          SELECT x, y, h, i0,
                 round((y - h * size * mod(abs(i0), 2)) / (2 * h * size))::bigint AS ja,
                 round((y - h * size * mod(abs(i0 + 1), 2)) / (2 * h * size))::bigint AS jb
            FROM (
              SELECT x, y, h, floor(x / (1.5 * size))::bigint AS i0
                FROM (SELECT 6378137 * radians(lon) AS x, 6378137 * ln(tan(pi() / 4 + radians(lat) / 2)) AS y,
                             0.8660254037844386::double precision AS h) a
            ) b
        ) c
    ) d
$$;

-- Hexagon edge (EPSG:3857 metres) of the lattice for a zoom: about 20 hexagons across a tile.
CREATE OR REPLACE FUNCTION wardmap_hex_size(zoom integer)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 20037508.342789244 / 2 ^ zoom / 20
$$;

CREATE TABLE IF NOT EXISTS checkin_hex_bins (
  zoom       smallint NOT NULL,
  i          integer NOT NULL,
  j          integer NOT NULL,
  hour       timestamptz NOT NULL,
  n          integer NOT NULL,
  latest_at  timestamptz NOT NULL,
  PRIMARY KEY (zoom, i, j, hour)
);

CREATE OR REPLACE FUNCTION wardmap_checkin_bins_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sorted so concurrent writers lock cells in the same order (no deadlocks between batches).
  INSERT INTO checkin_hex_bins (zoom, i, j, hour, n, latest_at)
  SELECT z.zoom, c.i, c.j, date_trunc('hour', r.at, 'UTC'), count(*), max(r.at)
    FROM new_rows r
    CROSS JOIN (VALUES (8), (10), (12), (14)) AS z (zoom)
    CROSS JOIN LATERAL wardmap_hex_cell(ST_X(r.geom), ST_Y(r.geom), wardmap_hex_size(z.zoom)) c
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (zoom, i, j, hour) DO UPDATE
    SET n = checkin_hex_bins.n + excluded.n, latest_at = greatest(checkin_hex_bins.latest_at, excluded.latest_at);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION wardmap_checkin_bins_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE checkin_hex_bins b SET n = b.n - d.n
    FROM (
      SELECT z.zoom, c.i, c.j, date_trunc('hour', r.at, 'UTC') AS hour, count(*) AS n
        FROM old_rows r
        CROSS JOIN (VALUES (8), (10), (12), (14)) AS z (zoom)
        CROSS JOIN LATERAL wardmap_hex_cell(ST_X(r.geom), ST_Y(r.geom), wardmap_hex_size(z.zoom)) c
       GROUP BY 1, 2, 3, 4
    ) d
   WHERE b.zoom = d.zoom AND b.i = d.i AND b.j = d.j AND b.hour = d.hour;
  DELETE FROM checkin_hex_bins WHERE n <= 0;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS checkins_bins_add ON checkins;
CREATE TRIGGER checkins_bins_add AFTER INSERT ON checkins
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wardmap_checkin_bins_add();
DROP TRIGGER IF EXISTS checkins_bins_remove ON checkins;
CREATE TRIGGER checkins_bins_remove AFTER DELETE ON checkins
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wardmap_checkin_bins_remove();

-- Check-ins stored before this migration.
INSERT INTO checkin_hex_bins (zoom, i, j, hour, n, latest_at)
SELECT z.zoom, c.i, c.j, date_trunc('hour', r.at, 'UTC'), count(*), max(r.at)
  FROM checkins r
  CROSS JOIN (VALUES (8), (10), (12), (14)) AS z (zoom)
  CROSS JOIN LATERAL wardmap_hex_cell(ST_X(r.geom), ST_Y(r.geom), wardmap_hex_size(z.zoom)) c
 WHERE NOT EXISTS (SELECT 1 FROM checkin_hex_bins)
 GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;
