-- Cheaper upkeep of the check-in hexagon rollup (0011), plus a zoom-16 lattice.
--
-- 0011 computed each row's cell with an inlined SQL function; the planner expanded it into one
-- expression that re-evaluated the Mercator projection (ln/tan) and pow() a dozen times per row and
-- lattice, which made that arithmetic ~85% of the trigger's cost. Here the projection is computed
-- once per row and each lattice's cell with a handful of float operations, each layer in its own
-- subquery (OFFSET 0 keeps the planner from merging them back into one duplicated expression).
-- Cells are exactly the same lattice as 0011 / ST_Hexagon: edge s = tile width at the lattice zoom
-- / 20, origin (0, 0) in EPSG:3857, column i centred at x = 1.5·s·i, row j at y = √3·s·j, odd
-- columns shifted up by √3·s/2. In units u = x / 1.5s and v = y / √3s a point lies between columns
-- floor(u) and floor(u) + 1; in each the nearest row is a rounding; the nearer centre wins.
--
-- Lattices: 8, 10, 12, 14 and (new) 16, so zoom-16 tiles read bins instead of up to 20k points;
-- individual check-ins are served from zoom 17. Redeliveries stay uncounted: the statement-level
-- trigger still sees only the rows ON CONFLICT DO NOTHING really inserted.

-- The cell of a lon/lat on the lattice of edge `size` (kept for ad-hoc use; same arithmetic).
CREATE OR REPLACE FUNCTION wardmap_hex_cell(lon double precision, lat double precision, size double precision)
RETURNS TABLE (i integer, j integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE WHEN da <= db THEN i0 ELSE i0 + 1 END)::integer, (CASE WHEN da <= db THEN ja ELSE jb END)::integer
    FROM (SELECT i0, ja, jb,
                 2.25 * (u - i0) * (u - i0) + 3 * (v - ja - 0.5 * p) * (v - ja - 0.5 * p) AS da,
                 2.25 * (u - i0 - 1) * (u - i0 - 1) + 3 * (v - jb - 0.5 + 0.5 * p) * (v - jb - 0.5 + 0.5 * p) AS db
            FROM (SELECT u, v, i0, p, round(v - 0.5 * p) AS ja, round(v - 0.5 + 0.5 * p) AS jb
                    FROM (SELECT u, v, i0, i0 - 2 * floor(i0 * 0.5) AS p
                            FROM (SELECT u, v, floor(u) AS i0
                                    FROM (SELECT 6378137 * radians(lon) / (1.5 * size) AS u,
                                                 6378137 * ln(tan(pi() / 4 + radians(lat) / 2)) / (1.7320508075688772 * size) AS v
                                          OFFSET 0) p0 OFFSET 0) a OFFSET 0) b OFFSET 0) c) d
   OFFSET 0
$$;

-- The lattices kept, with 1 / (1.5·s) and 1 / (√3·s) per lattice (s = 2·20037508.342789244 / 2^zoom / 20).
CREATE OR REPLACE FUNCTION wardmap_hex_lattices()
RETURNS TABLE (zoom smallint, ku double precision, kv double precision) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT z::smallint, 1 / (1.5 * s), 1 / (1.7320508075688772 * s)
    FROM (VALUES (8), (10), (12), (14), (16)) AS l (z),
         LATERAL (SELECT 2 * 20037508.342789244 / 2 ^ z / 20 AS s) e
$$;

-- Check-ins counted per lattice cell and UTC hour: the one place the cell arithmetic runs in bulk,
-- shared by the insert and delete triggers and the rebuild below. The rows come as two parallel
-- arrays (built in one scan, so they stay paired) because a transition table cannot be passed to a
-- function.
CREATE OR REPLACE FUNCTION wardmap_checkin_cell_counts(ats timestamptz[], geoms geometry[])
RETURNS TABLE (zoom smallint, i integer, j integer, hour timestamptz, n bigint, latest_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT zoom, (CASE WHEN da <= db THEN i0 ELSE i0 + 1 END)::integer,
         (CASE WHEN da <= db THEN ja ELSE jb END)::integer, hour, count(*), max(at)
    FROM (SELECT zoom, hour, at, i0, ja, jb,
                 2.25 * (u - i0) * (u - i0) + 3 * (v - ja - 0.5 * p) * (v - ja - 0.5 * p) AS da,
                 2.25 * (u - i0 - 1) * (u - i0 - 1) + 3 * (v - jb - 0.5 + 0.5 * p) * (v - jb - 0.5 + 0.5 * p) AS db
            FROM (SELECT zoom, hour, at, u, v, i0, p, round(v - 0.5 * p) AS ja, round(v - 0.5 + 0.5 * p) AS jb
                    FROM (SELECT zoom, hour, at, u, v, i0, i0 - 2 * floor(i0 * 0.5) AS p
                            FROM (SELECT l.zoom, r.hour, r.at, r.x * l.ku AS u, r.y * l.kv AS v, floor(r.x * l.ku) AS i0
                                    FROM (SELECT t.at, date_trunc('hour', t.at, 'UTC') AS hour, 6378137 * radians(ST_X(t.geom)) AS x,
                                                 6378137 * ln(tan(pi() / 4 + radians(ST_Y(t.geom)) / 2)) AS y
                                            FROM unnest(ats, geoms) AS t (at, geom) OFFSET 0) r
                                   CROSS JOIN wardmap_hex_lattices() l OFFSET 0) a OFFSET 0) b OFFSET 0) c OFFSET 0) d
   GROUP BY 1, 2, 3, 4
$$;

CREATE OR REPLACE FUNCTION wardmap_checkin_bins_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sorted so concurrent writers lock cells in the same order (no deadlocks between batches).
  INSERT INTO checkin_hex_bins (zoom, i, j, hour, n, latest_at)
  SELECT c.zoom, c.i, c.j, c.hour, c.n, c.latest_at
    FROM (SELECT array_agg(at) AS ats, array_agg(geom) AS geoms FROM new_rows) r
   CROSS JOIN LATERAL wardmap_checkin_cell_counts(r.ats, r.geoms) c
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (zoom, i, j, hour) DO UPDATE
    SET n = checkin_hex_bins.n + excluded.n, latest_at = greatest(checkin_hex_bins.latest_at, excluded.latest_at);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION wardmap_checkin_bins_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE checkin_hex_bins b SET n = b.n - del.n
    FROM (SELECT array_agg(at) AS ats, array_agg(geom) AS geoms FROM old_rows) r
   CROSS JOIN LATERAL wardmap_checkin_cell_counts(r.ats, r.geoms) del
   WHERE b.zoom = del.zoom AND b.i = del.i AND b.j = del.j AND b.hour = del.hour;
  DELETE FROM checkin_hex_bins WHERE n <= 0;
  RETURN NULL;
END $$;

-- Rebuilt from the check-ins: adds the zoom-16 lattice to existing data (one transaction, so
-- tiles never see a half-built rollup).
DELETE FROM checkin_hex_bins;
INSERT INTO checkin_hex_bins (zoom, i, j, hour, n, latest_at)
  SELECT c.zoom, c.i, c.j, c.hour, c.n, c.latest_at
    FROM (SELECT array_agg(at) AS ats, array_agg(geom) AS geoms FROM checkins) r
   CROSS JOIN LATERAL wardmap_checkin_cell_counts(r.ats, r.geoms) c;

-- 0011 created the triggers; they call the functions above by name.
