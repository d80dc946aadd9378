import { FeatureCollectionSchema, manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  insideGrid,
  mapAdmin,
  mapApp,
  newCheckins,
  newIncident,
  newPatrol,
  newPosition,
} from './map-factories.ts';

const NOW = new Date('2026-03-02T04:00:00Z');
const HOUR = 3_600_000;
let db: TestDb;
const clock = manualClock(NOW);
let app: ReturnType<typeof mapApp>;
let patroller: { id: string; gridId: string };

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, clock);
  const res = await db.query<{ id: string; grid_id: string }>(
    `SELECT id, grid_id FROM people WHERE 'patroller' = ANY (roles) AND grid_id IS NOT NULL ORDER BY id LIMIT 1`,
  );
  const row = res.rows[0];
  if (!row) throw new Error('demo data has no patroller with a grid');
  patroller = { id: row.id, gridId: row.grid_id };
  const inside = await insideGrid(db, patroller.gridId);
  await newPosition(db, patroller.id, inside, new Date(NOW.getTime() - 5 * 60_000));
  await newCheckins(db, [
    { personId: patroller.id, at: new Date(NOW.getTime() - HOUR), location: inside },
    { personId: patroller.id, at: new Date(NOW.getTime() - 48 * HOUR), location: inside },
  ]);
  await newIncident(db, { location: inside, createdAt: new Date(NOW.getTime() - 2 * HOUR), level: 'block' });
  await newPatrol(db, {
    personId: patroller.id,
    kind: 'grid',
    gridId: patroller.gridId,
    startedAt: new Date(NOW.getTime() - 10 * 60_000),
    endedAt: null,
    track: null,
  });
});
afterAll(() => db?.dispose());

async function layer(name: string, query = '') {
  const res = await app.request(`/api/layers/${name}${query}`, { headers: mapAdmin });
  expect(res.status).toBe(200);
  const body = await res.json();
  const parsed = FeatureCollectionSchema.safeParse(body);
  if (!parsed.success) throw new Error(`${name} is not valid GeoJSON: ${parsed.error.message}`);
  return body as {
    features: { id: string; geometry: { type: string }; properties: Record<string, unknown> }[];
  };
}

describe('GET /api/layers/<name>', () => {
  it('serves communities with households and residents', async () => {
    const fc = await layer('communities');
    expect(fc.features).toHaveLength(11);
    expect(fc.features[0]?.properties).toMatchObject({
      households: expect.any(Number),
      kind: expect.any(String),
    });
  });

  it('serves grids with households and patrol status, open incidents by level and patrollers on duty', async () => {
    const fc = await layer('grids');
    expect(fc.features).toHaveLength(28);
    const mine = fc.features.find((f) => f.id === patroller.gridId);
    expect(mine?.properties).toMatchObject({
      households: expect.any(Number),
      status: 'overdue',
      lastPatrolAt: null,
      intervalH: 24,
      coveragePct: 0,
      openBuilding: 0,
      openBlock: 1,
      openCommunity: 0,
      onDuty: 1,
    });
  });

  it('serves river segments with chief, level, last patrol, coverage and due status', async () => {
    const fc = await layer('river-segments');
    expect(fc.features).toHaveLength(35);
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.properties).toHaveProperty('chiefId');
      expect(['county', 'township', 'village', 'enterprise']).toContain(f.properties.level);
      expect(f.properties).toHaveProperty('lastPatrolAt');
      expect(f.properties).toHaveProperty('coveragePct');
      expect(f.properties).toHaveProperty('openIssues');
      expect(['ok', 'due', 'overdue']).toContain(f.properties.status);
    }
  });

  it('serves police posts, cameras with online state and their fields of view', async () => {
    expect((await layer('police-posts')).features).toHaveLength(11);
    const cams = await layer('cameras');
    expect(cams.features).toHaveLength(53);
    expect(cams.features[0]?.properties).toMatchObject({ online: true, fov: expect.any(Number) });
    const views = await layer('camera-views');
    expect(views.features[0]?.geometry.type).toBe('Polygon');
  });

  it('serves latest positions with their age on the clock', async () => {
    const fc = await layer('positions');
    expect(fc.features.map((f) => f.id)).toEqual([patroller.id]);
    expect(fc.features[0]?.properties).toMatchObject({
      ageS: 300,
      gridId: patroller.gridId,
      onDuty: true,
      at: new Date(NOW.getTime() - 5 * 60_000).toISOString(),
    });
  });

  it('serves check-ins of the time window only (default: the clock’s last 24 h)', async () => {
    expect((await layer('checkins')).features).toHaveLength(1);
    const since = new Date(NOW.getTime() - 72 * HOUR).toISOString();
    expect((await layer('checkins', `?since=${since}`)).features).toHaveLength(2);
  });

  it('serves incidents with SLA state and the basemap with kinds', async () => {
    const inc = await layer('incidents');
    expect(inc.features).toHaveLength(1);
    expect(inc.features[0]?.properties).toMatchObject({
      level: 'block',
      state: 'open',
      gridId: patroller.gridId,
    });
    const base = await layer('basemap');
    const kinds = new Set(base.features.map((f) => f.properties.kind));
    for (const k of ['lake', 'river', 'road', 'village', 'block', 'building']) expect(kinds).toContain(k);
  });

  it('bounds a layer by bbox and limit', async () => {
    const all = await layer('cameras');
    const first = all.features[0] as unknown as { geometry: { coordinates: [number, number] } };
    const [lon, lat] = first.geometry.coordinates;
    const near = await layer('cameras', `?bbox=${lon - 1e-4},${lat - 1e-4},${lon + 1e-4},${lat + 1e-4}`);
    expect(near.features.map((f) => f.id)).toContain(all.features[0]?.id);
    expect(near.features.length).toBeLessThan(all.features.length);
    const two = await app.request('/api/layers/cameras?limit=2', { headers: mapAdmin });
    expect(((await two.json()) as { features: unknown[]; truncated: boolean }).features).toHaveLength(2);
  });

  it('answers 404 for an unknown layer and 400 with the reason for a bad bbox or window', async () => {
    const unknown = await app.request('/api/layers/nope', { headers: mapAdmin });
    expect(unknown.status).toBe(404);
    const bad = await app.request('/api/layers/grids?bbox=1,2,3', { headers: mapAdmin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/bbox/);
    const window = await app.request(
      '/api/layers/checkins?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z',
      { headers: mapAdmin },
    );
    expect(window.status).toBe(400);
    expect(((await window.json()) as { reason: string }).reason).toMatch(/since must not be after until/);
  });
});
