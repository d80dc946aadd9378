// Map layers and vector tiles carry people: a non-admin sees only positions, check-ins and
// incidents of their own area, an admin sees all, and the tile cache never hands one caller's tile
// to another. Runs on PGlite and, with DATABASE_URL, on PostgreSQL (ST_AsMVT).
import { createTileCache } from '@wardmap/api';
import { type LonLat, manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insideGrid, mapAdmin, mapApp, newCheckins, newIncident, newPosition } from '../api/map-factories.ts';
import { decodeLayer, tileAt } from '../api/map-tiles.ts';
import { type Cast, castOf, loginAs } from '../api/workflow-fixtures.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

const NOW = new Date('2026-03-02T08:00:00Z');
let db: TestDb;
let app: Hono;
let cast: Cast;
let patroller: Record<string, string>;
/** A point in the patroller's community (A) and one in another community (B). */
let near: LonLat;
let far: LonLat;
let nearCheckin: string;
let farCheckin: string;
let farIncident: string;

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, manualClock(NOW), createTileCache());
  cast = await castOf(db);
  const otherGrid = await db.query<{ grid_id: string }>('SELECT grid_id FROM people WHERE id = $1', [
    cast.otherLiaison,
  ]);
  far = await insideGrid(db, otherGrid.rows[0]!.grid_id);
  near = await insideGrid(db, cast.patrollerGridId);
  const recent = new Date(NOW.getTime() - 5 * 60_000);
  await newPosition(db, cast.otherLiaison, far, recent);
  await newPosition(db, cast.liaison, near, recent);
  [farCheckin, nearCheckin] = (await newCheckins(db, [
    { personId: cast.otherLiaison, at: recent, location: far },
    { personId: cast.liaison, at: recent, location: near },
  ])) as [string, string];
  farIncident = await newIncident(db, { location: far, createdAt: recent, level: 'block' });
  patroller = await loginAs(app, cast.patroller);
});
afterAll(() => db?.dispose());

async function layerIds(name: string, headers: Record<string, string>, key: string, query = '') {
  const res = await app.request(`/api/layers/${name}${query}`, { headers });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { features: { id: string; properties: Record<string, unknown> }[] };
  return body.features.map((f) => String(f.properties[key] ?? f.id));
}

async function tileFeatures(
  name: string,
  t: { z: number; x: number; y: number },
  headers: Record<string, string>,
) {
  const res = await app.request(`/api/tiles/${name}/${t.z}/${t.x}/${t.y}.mvt`, { headers });
  expect([200, 204]).toContain(res.status);
  return {
    cache: res.headers.get('x-tile-cache'),
    features: res.status === 204 ? [] : decodeLayer(await res.arrayBuffer(), name),
  };
}

describe('GET /api/layers/<personal layer>', () => {
  it("gives a patroller the positions of their community only, and an admin everyone's", async () => {
    const mine = await layerIds('positions', patroller, 'id');
    expect(mine).toContain(cast.liaison);
    expect(mine).not.toContain(cast.otherLiaison);
    const all = await layerIds('positions', mapAdmin, 'id');
    expect(all).toEqual(expect.arrayContaining([cast.liaison, cast.otherLiaison]));
  });

  it("gives a patroller the check-ins of their community only, at any zoom, and an admin everyone's", async () => {
    for (const query of ['', '?zoom=17', '?zoom=10']) {
      const mine = await layerIds('checkins', patroller, 'id', query);
      expect(mine, query).toContain(nearCheckin);
      expect(mine, query).not.toContain(farCheckin);
      // No hexagon bins: the rollup counts everyone, whatever the area.
      expect(
        mine.some((id) => id.startsWith('hex:')),
        query,
      ).toBe(false);
    }
    expect(await layerIds('checkins', mapAdmin, 'id')).toEqual(
      expect.arrayContaining([nearCheckin, farCheckin]),
    );
  });

  it("hides another community's incidents from the patroller, not from the admin", async () => {
    expect(await layerIds('incidents', patroller, 'id')).not.toContain(farIncident);
    expect(await layerIds('incidents', mapAdmin, 'id')).toContain(farIncident);
  });

  it('still shows reference layers to the patroller', async () => {
    const grids = await layerIds('grids', patroller, 'id');
    expect(grids.length).toBe((await layerIds('grids', mapAdmin, 'id')).length);
  });
});

describe('GET /api/tiles/<personal layer>/...', () => {
  it("never serves the admin's cached tile to a patroller of another area (admin first, same tile)", async () => {
    const t = tileAt(far[0], far[1], 14);
    const admin = await tileFeatures('positions', t, mapAdmin);
    expect(admin.features.map((f) => f.properties.id)).toContain(cast.otherLiaison);
    const again = await tileFeatures('positions', t, mapAdmin);
    expect(again.cache).toBe('hit');
    const mine = await tileFeatures('positions', t, patroller);
    expect(mine.features.map((f) => f.properties.id)).not.toContain(cast.otherLiaison);
    // And the other way round: the patroller's cached tile does not shrink the admin's.
    expect((await tileFeatures('positions', t, patroller)).cache).toBe('hit');
    const admin2 = await tileFeatures('positions', t, mapAdmin);
    expect(admin2.features.map((f) => f.properties.id)).toContain(cast.otherLiaison);
  });

  it("shows the patroller their own community's positions in a tile", async () => {
    const t = tileAt(near[0], near[1], 14);
    const mine = await tileFeatures('positions', t, patroller);
    expect(mine.features.map((f) => f.properties.id)).toContain(cast.liaison);
  });

  it('limits check-in tiles at every zoom: points of the area only, no hexagon bins counting others', async () => {
    for (const z of [10, 14, 17]) {
      const t = tileAt(far[0], far[1], z);
      const admin = await tileFeatures('checkins', t, mapAdmin);
      expect(admin.features.length, `z${z}`).toBeGreaterThan(0);
      const mine = await tileFeatures('checkins', t, patroller);
      expect(
        mine.features.filter(
          (f) => f.properties.personId === cast.otherLiaison || f.properties.count !== undefined,
        ),
        `z${z}`,
      ).toEqual([]);
    }
    const t = tileAt(near[0], near[1], 10);
    const mine = await tileFeatures('checkins', t, patroller);
    expect(mine.features.map((f) => f.properties.id)).toContain(nearCheckin);
  });
});
