import type { LonLat } from '@wardmap/geo';
import type { Queryable } from './types.ts';

export interface GridHit {
  gridId: string;
  communityId: string;
}

/** The management block (grid) containing a point, or null when the point is in no block. */
export async function gridAt(q: Queryable, [lon, lat]: LonLat): Promise<GridHit | null> {
  const res = await q.query<GridHit>(
    `SELECT id AS "gridId", community_id AS "communityId" FROM grids
      WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
      ORDER BY id LIMIT 1`,
    [lon, lat],
  );
  return res.rows[0] ?? null;
}

export interface SegmentHit {
  segmentId: string;
  distanceM: number;
}

/**
 * River segments within `metres` of a point, nearest first. The `&&` prefilter on an expanded box
 * uses the GiST index; the geography distance then measures in metres on the spheroid.
 */
export async function segmentsNear(q: Queryable, [lon, lat]: LonLat, metres: number): Promise<SegmentHit[]> {
  // Degrees of latitude per metre is ~1/111_320; longitude degrees are wider apart at 30°N, so
  // the box is generous in both directions and the exact test follows.
  const padDeg = (metres / 111_320) * 1.5 + 1e-6;
  const res = await q.query<SegmentHit>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
     SELECT s.id AS "segmentId", ST_Distance(s.geom::geography, p.g::geography) AS "distanceM"
       FROM river_segments s, p
      WHERE s.geom && ST_Expand(p.g, $4)
        AND ST_DWithin(s.geom::geography, p.g::geography, $3)
      ORDER BY 2, 1`,
    [lon, lat, metres, padDeg / Math.cos((lat * Math.PI) / 180)],
  );
  return res.rows;
}

export interface PostHit {
  policePostId: string;
  distanceM: number;
}

/** The nearest police post to a point (KNN over the GiST index). */
export async function nearestPolicePost(q: Queryable, [lon, lat]: LonLat): Promise<PostHit | null> {
  const res = await q.query<PostHit>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
     SELECT pp.id AS "policePostId", ST_Distance(pp.geom::geography, p.g::geography) AS "distanceM"
       FROM police_posts pp, p ORDER BY pp.geom <-> p.g LIMIT 1`,
    [lon, lat],
  );
  return res.rows[0] ?? null;
}
