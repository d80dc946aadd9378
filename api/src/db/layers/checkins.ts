import { inBounds, type LayerDef } from './layer.ts';

/** Zoom from which tiles carry individual check-ins; below it, hexagon bins. */
export const CHECKIN_RAW_MIN_ZOOM = 15;

const HALF_WORLD_M = 20037508.342789244;

/** Hexagon edge length (EPSG:3857 metres) at a zoom: about 20 hexagons across a tile, so no tile is huge. */
export function hexSizeForZoom(zoom: number): number {
  return (2 * HALF_WORLD_M) / 2 ** zoom / 20;
}

// Hex bins are computed per point arithmetically rather than by joining ST_HexagonGrid: one pass
// over the points instead of one index probe per hexagon. The lattice is ST_Hexagon's (origin 0,0,
// flat-topped, column i at x = 1.5·s·i, odd columns shifted up by h·s where h = √3/2), so
// ST_Hexagon(s, i, j) draws the cell and neighbouring tiles agree on every cell. A point lies in
// column i0 = floor(x / 1.5s) or i0 + 1; the nearer of the two candidate centres owns it.
// Points are read from the bounds grown by two hexagons so a cell straddling the tile edge is
// counted completely on both sides.
export const checkinsLayer: LayerDef = {
  name: 'checkins',
  changes: ['checkins'],
  ttlMs: 30_000,
  pointLike: true,
  maxAgeS: 10,
  sql: `
    SELECT * FROM (
      SELECT c.message_id AS id, c.geom,
             jsonb_build_object('id', c.message_id, 'personId', c.person_id, 'kind', c.kind, 'at', c.at,
               'gridId', c.grid_id, 'patrolId', c.patrol_id) AS props
        FROM checkins c
       WHERE (:zoom < 0 OR :zoom >= ${CHECKIN_RAW_MIN_ZOOM})
         AND ${inBounds('c.geom')} AND c.at >= :since AND c.at <= :until
       ORDER BY c.at DESC, c.message_id LIMIT :limit
    ) raw
    UNION ALL
    SELECT * FROM (
      SELECT 'hex:' || :zoom || ':' || i || ':' || j AS id, hex.geom,
             jsonb_build_object('id', 'hex:' || :zoom || ':' || i || ':' || j, 'count', n, 'people', people,
               'latestAt', latest_at) AS props
        FROM (
          SELECT i, j, count(*) AS n, count(DISTINCT person_id) AS people, max(at) AS latest_at
            FROM (
              SELECT person_id, at,
                     CASE WHEN da <= db THEN i0 ELSE i0 + 1 END AS i,
                     CASE WHEN da <= db THEN ja ELSE jb END AS j
                FROM (
                  SELECT person_id, at, i0, ja, jb,
                         (x - 1.5 * s * i0) ^ 2 + (y - 2 * h * s * ja - h * s * mod(abs(i0), 2)) ^ 2 AS da,
                         (x - 1.5 * s * (i0 + 1)) ^ 2 + (y - 2 * h * s * jb - h * s * mod(abs(i0 + 1), 2)) ^ 2 AS db
                    FROM (
                      SELECT person_id, at, x, y, s, h, i0,
                             round((y - h * s * mod(abs(i0), 2)) / (2 * h * s))::bigint AS ja,
                             round((y - h * s * mod(abs(i0 + 1), 2)) / (2 * h * s))::bigint AS jb
                        FROM (
                          SELECT c.person_id, c.at, ST_X(m.g) AS x, ST_Y(m.g) AS y, :hexSize AS s,
                                 0.8660254037844386::float8 AS h, floor(ST_X(m.g) / (1.5 * :hexSize))::bigint AS i0
                            FROM checkins c
                            CROSS JOIN LATERAL (SELECT ST_Transform(c.geom, 3857) AS g) m
                           WHERE :zoom >= 0 AND :zoom < ${CHECKIN_RAW_MIN_ZOOM}
                             AND c.geom && ST_Transform(ST_Expand(ST_Transform(:bounds, 3857), 2 * :hexSize), 4326)
                             AND c.at >= :since AND c.at <= :until
                        ) a
                    ) b
                ) cells
            ) d
           GROUP BY i, j
        ) bins
        CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_Hexagon(:hexSize, i::int, j::int), 3857), 4326) AS geom) hex
       WHERE ${inBounds('hex.geom')}
       ORDER BY n DESC, i, j LIMIT :limit
    ) bins`,
};
