import { gridAt, nearestPolicePost, segmentsNear } from '@wardmap/db';
import { generateReference, interpolateAlong, offsetMetres, pointInPolygon } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';

const ref = generateReference();

describe('demo geography in PostGIS', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db?.dispose());

  it('loads every generated feature', async () => {
    const n = async (t: string) =>
      (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n;
    expect(await n('communities')).toBe(ref.communities.length);
    expect(await n('grids')).toBe(ref.grids.length);
    expect(await n('river_segments')).toBe(ref.riverSegments.length);
    expect(await n('cameras')).toBe(ref.cameras.length);
    expect(await n('people')).toBe(ref.people.length);
    expect(await n('patrol_rules')).toBe(ref.patrolRules.length);
  });

  it('has only valid geometries (ST_IsValid) in every reference table', async () => {
    for (const t of ['communities', 'grids', 'buildings', 'river_segments', 'rivers', 'basemap_features']) {
      const bad = await db.query<{ id: string; why: string }>(
        `SELECT id, ST_IsValidReason(geom) AS why FROM ${t} WHERE NOT ST_IsValid(geom)`,
      );
      expect(bad.rows, t).toEqual([]);
    }
  });

  it('keeps every block inside its community and no two blocks overlapping', async () => {
    const outside = await db.query(
      `SELECT g.id FROM grids g JOIN communities c ON c.id = g.community_id WHERE NOT ST_CoveredBy(g.geom, c.geom)`,
    );
    expect(outside.rows).toEqual([]);
    const overlaps = await db.query(
      `SELECT a.id, b.id FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom
        WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`,
    );
    expect(overlaps.rows).toEqual([]);
  });

  it('has about 300 households per block and ~22,200 residents', async () => {
    const r = await db.query<{ lo: number; hi: number; residents: number }>(
      `SELECT (SELECT min(households) FROM grids) AS lo, (SELECT max(households) FROM grids) AS hi,
              (SELECT sum(residents) FROM communities) AS residents`,
    );
    const row = r.rows[0]!;
    expect(row.lo).toBeGreaterThanOrEqual(250);
    expect(row.hi).toBeLessThanOrEqual(350);
    expect(row.residents).toBeGreaterThan(21_500);
    expect(row.residents).toBeLessThan(22_900);
  });

  it('measures ~60 km of key river segments on the spheroid, 30 of them under township chiefs', async () => {
    const r = await db.query<{ km: number; township: number; chiefs: number }>(
      `SELECT sum(ST_Length(geom::geography)) / 1000 AS km,
              count(*) FILTER (WHERE level = 'township') AS township,
              count(DISTINCT chief_id) FILTER (WHERE level = 'township') AS chiefs
         FROM river_segments`,
    );
    const row = r.rows[0]!;
    expect(row.km).toBeGreaterThan(58);
    expect(row.km).toBeLessThan(62);
    expect(row.township).toBe(30);
    expect(row.chiefs).toBe(30);
  });

  it('finds the block containing a point inside it, and none in the middle of the lake', async () => {
    for (const grid of [ref.grids[0]!, ref.grids[ref.grids.length - 1]!]) {
      const ring = grid.geometry.coordinates[0]!;
      // The average of a convex-ish block's vertices lies inside it; assert that before relying on it.
      const c: [number, number] = [
        ring.slice(0, -1).reduce((s, p) => s + p[0]!, 0) / (ring.length - 1),
        ring.slice(0, -1).reduce((s, p) => s + p[1]!, 0) / (ring.length - 1),
      ];
      expect(pointInPolygon(c, grid.geometry)).toBe(true);
      expect(await gridAt(db, c)).toEqual({ gridId: grid.id, communityId: grid.communityId });
    }
    expect(await gridAt(db, ref.meta.center)).toBeNull();
  });

  it('finds the river segment 20 m off a segment line, and nothing 500 m away from every river', async () => {
    const seg = ref.riverSegments[5]!;
    const mid = interpolateAlong(seg.geometry.coordinates, seg.lengthM / 2);
    const near = offsetMetres(mid, 20, 0);
    const hits = await segmentsNear(db, near, 50);
    expect(hits[0]?.segmentId).toBe(seg.id);
    expect(hits[0]!.distanceM).toBeLessThan(25);
    expect(await segmentsNear(db, ref.meta.center, 50)).toEqual([]);
  });

  it('names the nearest police post of a community', async () => {
    const post = ref.policePosts[0]!;
    const hit = await nearestPolicePost(db, offsetMetres(post.location, 5, 5));
    expect(hit?.policePostId).toBe(post.id);
  });
});
