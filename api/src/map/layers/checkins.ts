import { inBounds, isoUtc, type LayerDef } from './layer.ts';

/**
 * Zoom from which tiles carry individual check-ins; below it, hexagon bins. At 1M check-ins a
 * zoom-16 tile of a busy block holds 10-20k points over a week (30-130 ms to read and encode); a
 * zoom-17 tile covers a quarter of that area.
 */
export const CHECKIN_RAW_MIN_ZOOM = 17;

const HALF_WORLD_M = 20037508.342789244;

/** Hexagon edge length (EPSG:3857 metres) of a lattice zoom: about 20 hexagons across its tile. */
export function hexSizeForZoom(zoom: number): number {
  return (2 * HALF_WORLD_M) / 2 ** zoom / 20;
}

/**
 * The rolled-up lattice (migrations 0011/0013: zooms 8, 10, 12, 14, 16) that serves a tile zoom
 * below {@link CHECKIN_RAW_MIN_ZOOM}: the zoom itself when even, else the next even one, so
 * hexagons are 10-40 across a tile. Zoom 15 reads 14 rather than 16: 16 would put ~40 hexagons
 * per row and ~2000 cells in the tile, each with up to one rollup row per hour of the window.
 */
export function binLatticeFor(zoom: number): number {
  if (zoom >= 16) return 16;
  return Math.min(14, Math.max(8, zoom + (zoom % 2)));
}

// Below the raw zoom, tiles read the per-hour hexagon rollup (checkin_hex_bins, kept by triggers)
// instead of the points: a few thousand rows per tile whatever the table size. The time window is
// therefore widened to whole UTC hours there. Cells are selected by an i/j range computed from the
// bounds (index range scan), then drawn with ST_Hexagon on the same lattice, so neighbouring tiles
// agree on every cell and its count.
//
// From the raw zoom the statement is bounded by design: it first sums the zoom-16 bins that
// intersect the area over the window's hours (`bins`, at most ~100 cells x 168 hours of rollup).
// That sum can only overcount the check-ins really there (whole hexagons, whole hours), so when it
// is at most `:limit` the points branch reads at most `:limit` rows; when it exceeds `:limit` the
// area is served as those zoom-16 bins instead of points (the same feature shape as lower zooms), so
// a dense tile never reads and sorts tens of thousands of scattered rows to keep the newest few
// thousand. Tiles pass the layer's `tileLimit`; GeoJSON with `zoom` applies the same rule with its
// own `limit`; GeoJSON without `zoom` (-1) always lists the newest `limit` points.
//
// Area: the rollup (checkin_hex_bins) counts every person's check-ins per cell and carries no
// person, grid or community, so it cannot be limited to an area. Only admins (`:areaAll`) get
// hexagon bins; everyone else always gets their area's points (own, their communities, their
// grid — the rule of `GET /api/checkins`), newest `:limit` first, at every zoom. A non-admin's
// area holds few people, so that stays small; it never counts anyone outside it.
export const checkinsLayer: LayerDef = {
  name: 'checkins',
  changes: ['checkins'],
  ttlMs: 30_000,
  pointLike: true,
  maxAgeS: 10,
  // ~65 bytes per encoded check-in (unique id and time): 6000 newest stay under ~400 KB.
  tileLimit: 6000,
  areaScoped: true,
  sql: `
    WITH bins AS (
      SELECT b.i, b.j, b.n, b.latest_at, hex.geom
        FROM (
          SELECT h.i, h.j, sum(h.n)::int AS n, max(h.latest_at) AS latest_at
            FROM checkin_hex_bins h
            CROSS JOIN (SELECT ST_Transform(:bounds, 3857) AS e) m
           WHERE :areaAll AND :zoom >= 0 AND h.zoom = :lattice
             -- Integer bounds: compared with float8 the columns would be cast and the index unused.
             AND h.i BETWEEN (floor(ST_XMin(m.e) / (1.5 * :hexSize)) - 1)::int AND (ceil(ST_XMax(m.e) / (1.5 * :hexSize)) + 1)::int
             AND h.j BETWEEN (floor(ST_YMin(m.e) / (1.7320508075688772 * :hexSize)) - 1)::int
                         AND (ceil(ST_YMax(m.e) / (1.7320508075688772 * :hexSize)) + 1)::int
             AND h.hour >= date_trunc('hour', :since, 'UTC') AND h.hour <= :until
           GROUP BY h.i, h.j
          -- OFFSET 0 keeps the planner from pushing the hexagon's bounds test below the GROUP BY,
          -- where it would build a hexagon per rollup row instead of per cell.
          OFFSET 0
        ) b
        CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_Hexagon(:hexSize, b.i, b.j), 3857), 4326) AS geom) hex
       WHERE ${inBounds('hex.geom')}
    ),
    -- Bins below the raw zoom; from it, bins only when the rollup counts more than the limit.
    mode AS (
      SELECT :areaAll AND :zoom >= 0 AND (:zoom < ${CHECKIN_RAW_MIN_ZOOM} OR coalesce(sum(n), 0) > :limit) AS binned FROM bins
    )
    SELECT raw.message_id AS id, raw.geom,
           jsonb_build_object('id', raw.message_id, 'personId', raw.person_id, 'kind', raw.kind, 'at', ${isoUtc('raw.at')},
             'gridId', raw.grid_id, 'patrolId', raw.patrol_id) AS props
      FROM (
        -- Properties are built after the LIMIT: only for the rows that make it into the tile.
        SELECT c.message_id, c.geom, c.person_id, c.kind, c.at, c.grid_id, c.patrol_id
          FROM checkins c
         WHERE NOT (SELECT binned FROM mode)
           AND ${inBounds('c.geom')} AND c.at >= :since AND c.at <= :until
           AND (:areaAll OR c.person_id = :areaPerson OR c.community_id = ANY(:areaCommunities) OR c.grid_id = :areaGrid)
         ORDER BY c.at DESC, c.message_id LIMIT :limit
      ) raw
    UNION ALL
    SELECT * FROM (
      SELECT 'hex:' || :lattice || ':' || b.i || ':' || b.j AS id, b.geom,
             jsonb_build_object('id', 'hex:' || :lattice || ':' || b.i || ':' || b.j, 'count', b.n,
               'latestAt', ${isoUtc('b.latest_at')}) AS props
        FROM bins b
       WHERE (SELECT binned FROM mode)
       ORDER BY b.n DESC, b.i, b.j LIMIT :limit
    ) binned`,
};
