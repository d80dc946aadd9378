import { createTileCache, listenForTileChanges } from '@wardmap/api';
import { checkinsLayer, renderTile } from '@wardmap/api/testing';
import { buildChangeNotice, encodeChangeNotice, type LonLat, manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { insideGrid, mapAdmin, mapApp, newCheckins, newIncident, newPosition } from './map-factories.ts';
import { decodeLayer, tileAt, tileBBox, withoutNulls } from './map-tiles.ts';

const NOW = new Date('2026-03-02T04:00:00Z');
let db: TestDb;
const clock = manualClock(NOW);
let app: ReturnType<typeof mapApp>;
let gridPoint: LonLat;
let personId: string;
const checkinIds: string[] = [];

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, clock);
  const p = await db.query<{ id: string; grid_id: string }>(
    `SELECT id, grid_id FROM people WHERE 'patroller' = ANY (roles) AND grid_id IS NOT NULL ORDER BY id LIMIT 1`,
  );
  personId = p.rows[0]!.id;
  gridPoint = await insideGrid(db, p.rows[0]!.grid_id);
  await newPosition(db, personId, gridPoint, new Date(NOW.getTime() - 60_000));
  await newIncident(db, { location: gridPoint, createdAt: new Date(NOW.getTime() - 3_600_000) });
  // 40 check-ins in a ~200 m cloud around the grid point during the last hour.
  const rows = Array.from({ length: 40 }, (_, i) => ({
    personId,
    at: new Date(NOW.getTime() - (i + 1) * 60_000),
    location: [gridPoint[0] + ((i % 7) - 3) * 3e-4, gridPoint[1] + (Math.floor(i / 7) - 3) * 3e-4] as LonLat,
  }));
  checkinIds.push(...(await newCheckins(db, rows)));
});
afterAll(() => db?.dispose());

async function tile(name: string, t: { z: number; x: number; y: number }, query = '') {
  const res = await app.request(`/api/tiles/${name}/${t.z}/${t.x}/${t.y}.mvt${query}`, { headers: mapAdmin });
  return res;
}

async function geojsonFor(name: string, t: { z: number; x: number; y: number }, extra = '') {
  const res = await app.request(`/api/layers/${name}?bbox=${tileBBox(t).join(',')}${extra}`, {
    headers: mapAdmin,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { features: { id: string; properties: Record<string, unknown> }[] }).features;
}

/** Where a layer has a feature: a point of its first feature. */
async function anchorOf(name: string): Promise<LonLat> {
  const res = await app.request(`/api/layers/${name}?limit=1`, { headers: mapAdmin });
  const f = ((await res.json()) as { features: { geometry: { type: string; coordinates: unknown } }[] })
    .features[0];
  if (!f) throw new Error(`layer ${name} is empty`);
  let c: unknown = f.geometry.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return c as LonLat;
}

describe('GET /api/tiles/<name>/<z>/<x>/<y>.mvt', () => {
  const layers = [
    'communities',
    'grids',
    'river-segments',
    'police-posts',
    'cameras',
    'camera-views',
    'positions',
    'checkins',
    'incidents',
    'basemap',
  ];
  for (const name of layers) {
    it(`carries the same ${name} features and properties as the GeoJSON of the same area`, async () => {
      const [lon, lat] = name === 'checkins' ? gridPoint : await anchorOf(name);
      const t = tileAt(lon, lat, name === 'checkins' ? 17 : 14);
      const res = await tile(name, t);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      const decoded = decodeLayer(await res.arrayBuffer(), name);
      const expected = await geojsonFor(name, t);
      expect(decoded.length).toBeGreaterThan(0);
      const byId = (fs: { properties: Record<string, unknown> }[]) =>
        Object.fromEntries(fs.map((f) => [String(f.properties.id), withoutNulls(f.properties)]));
      expect(byId(decoded)).toEqual(byId(expected));
    });
  }

  it('aggregates check-ins into hexagon bins at low zoom, counting each check-in once', async () => {
    const t = tileAt(gridPoint[0], gridPoint[1], 11);
    const res = await tile('checkins', t);
    expect(res.status).toBe(200);
    const bins = decodeLayer(await res.arrayBuffer(), 'checkins');
    expect(bins.every((b) => b.type === 3 && String(b.properties.id).startsWith('hex:12:'))).toBe(true);
    expect(bins.reduce((s, b) => s + Number(b.properties.count), 0)).toBe(checkinIds.length);
    const expected = await geojsonFor('checkins', t, '&zoom=11');
    expect(Object.fromEntries(bins.map((b) => [b.properties.id, b.properties.count]))).toEqual(
      Object.fromEntries(expected.map((f) => [f.properties.id, f.properties.count])),
    );
  });

  it('serves zoom 16 from the zoom-16 hexagon lattice and individual check-ins from zoom 17', async () => {
    const bins = decodeLayer(
      await (await tile('checkins', tileAt(gridPoint[0], gridPoint[1], 16))).arrayBuffer(),
      'checkins',
    );
    expect(bins.length).toBeGreaterThan(1);
    expect(bins.every((b) => b.type === 3 && String(b.properties.id).startsWith('hex:16:'))).toBe(true);
    const points = decodeLayer(
      await (await tile('checkins', tileAt(gridPoint[0], gridPoint[1], 17))).arrayBuffer(),
      'checkins',
    );
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.type === 1 && checkinIds.includes(String(p.properties.id)))).toBe(true);
  });

  it('serves a zoom-17 tile holding more check-ins than the limit as zoom-16 bins, in MVT and GeoJSON alike', async () => {
    const t = tileAt(gridPoint[0], gridPoint[1], 17);
    const inTile = await geojsonFor('checkins', t);
    const limit = 5;
    expect(inTile.length).toBeGreaterThan(limit);
    const body = await renderTile(db, checkinsLayer, t, {
      now: NOW,
      since: new Date(NOW.getTime() - 24 * 3_600_000),
      until: NOW,
      limit,
      zoom: 17,
    });
    const bins = decodeLayer(body!.slice().buffer as ArrayBuffer, 'checkins');
    expect(bins.length).toBeGreaterThan(0);
    expect(bins.length).toBeLessThanOrEqual(limit);
    expect(bins.every((b) => b.type === 3 && String(b.properties.id).startsWith('hex:16:'))).toBe(true);
    const expected = await geojsonFor('checkins', t, `&zoom=17&limit=${limit}`);
    expect(Object.fromEntries(bins.map((b) => [b.properties.id, b.properties.count]))).toEqual(
      Object.fromEntries(expected.map((f) => [f.properties.id, f.properties.count])),
    );
    // With room for them all, the same tile and window list the points.
    const points = await geojsonFor('checkins', t, `&zoom=17&limit=${inTile.length + 200}`);
    expect(points.map((f) => f.id).sort()).toEqual(inTile.map((f) => f.id).sort());
  });

  it('puts every check-in inside the ST_Hexagon of the cell the rollup counted it in, on every lattice', async () => {
    const res = await db.query<{ zoom: number; outside: number; counted: number }>(
      `SELECT b.zoom, count(*) FILTER (WHERE NOT inside)::int AS outside, sum(b.n)::int AS counted
         FROM checkin_hex_bins b
         CROSS JOIN LATERAL (
           SELECT bool_and(ST_Intersects(ST_Transform(c.geom, 3857),
                    ST_SetSRID(ST_Hexagon(wardmap_hex_size(b.zoom), b.i, b.j), 3857))) AS inside
             FROM checkins c, wardmap_hex_cell(ST_X(c.geom), ST_Y(c.geom), wardmap_hex_size(b.zoom)) cell
            WHERE cell.i = b.i AND cell.j = b.j AND date_trunc('hour', c.at, 'UTC') = b.hour) x
        GROUP BY b.zoom ORDER BY b.zoom`,
    );
    const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM checkins');
    expect(res.rows.map((r) => r.zoom)).toEqual([8, 10, 12, 14, 16]);
    for (const r of res.rows)
      expect({ zoom: r.zoom, outside: r.outside, counted: r.counted }).toEqual({
        zoom: r.zoom,
        outside: 0,
        counted: total.rows[0]!.n,
      });
  });

  it('does not count a redelivered check-in in the rollup again', async () => {
    const before = await db.query<{ n: number }>(
      'SELECT sum(n)::int AS n FROM checkin_hex_bins WHERE zoom = 16',
    );
    const c = await db.query<{ message_id: string; person_id: string; geom: string; at: Date }>(
      'SELECT message_id, person_id, geom, at FROM checkins ORDER BY at DESC LIMIT 5',
    );
    for (const r of c.rows)
      await db.query(
        'INSERT INTO checkins (message_id, person_id, geom, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [r.message_id, r.person_id, r.geom, r.at],
      );
    const after = await db.query<{ n: number }>(
      'SELECT sum(n)::int AS n FROM checkin_hex_bins WHERE zoom = 16',
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('answers 204 for an empty tile and 400 for coordinates outside the zoom', async () => {
    const empty = await tile('cameras', { z: 14, x: 0, y: 0 });
    expect(empty.status).toBe(204);
    expect(empty.headers.get('cache-control')).toMatch(/max-age=/);
    const bad = await tile('cameras', { z: 2, x: 9, y: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/x must be below/);
  });

  it('serves repeated tiles from the cache until a change notice for the layer arrives', async () => {
    const cache = createTileCache();
    const cached = mapApp(db, clock, cache);
    const t = tileAt(gridPoint[0], gridPoint[1], 17);
    const url = `/api/tiles/checkins/${t.z}/${t.x}/${t.y}.mvt`;
    expect((await cached.request(url, { headers: mapAdmin })).headers.get('x-tile-cache')).toBe('miss');
    expect((await cached.request(url, { headers: mapAdmin })).headers.get('x-tile-cache')).toBe('hit');
    // A notice about another area leaves the tile; one covering it drops it.
    const far = buildChangeNotice('checkins', ['x'], NOW, { bbox: [10, 10, 10.1, 10.1] });
    expect(cache.invalidatePayload(encodeChangeNotice(far))).toBe(0);
    expect((await cached.request(url, { headers: mapAdmin })).headers.get('x-tile-cache')).toBe('hit');
    const [lon, lat] = gridPoint;
    const [id] = await newCheckins(db, [
      { personId, at: new Date(NOW.getTime() - 1000), location: gridPoint },
    ]);
    const here = buildChangeNotice('checkins', [id!], NOW, { bbox: [lon, lat, lon, lat] });
    expect(cache.invalidatePayload(encodeChangeNotice(here))).toBe(1);
    const fresh = await cached.request(url, { headers: mapAdmin });
    expect(fresh.headers.get('x-tile-cache')).toBe('miss');
    expect(decodeLayer(await fresh.arrayBuffer(), 'checkins').map((f) => f.properties.id)).toContain(id);
  });

  it('drops cached tiles when a change notice arrives on wardmap_changes', async () => {
    const cache = createTileCache();
    const cached = mapApp(db, clock, cache);
    const unlisten = await listenForTileChanges(db, cache);
    try {
      const t = tileAt(gridPoint[0], gridPoint[1], 14);
      const url = `/api/tiles/incidents/${t.z}/${t.x}/${t.y}.mvt`;
      await cached.request(url, { headers: mapAdmin });
      expect((await cached.request(url, { headers: mapAdmin })).headers.get('x-tile-cache')).toBe('hit');
      const notice = buildChangeNotice('incidents', ['inc-x'], NOW);
      await db.query(`SELECT pg_notify('wardmap_changes', $1)`, [encodeChangeNotice(notice)]);
      for (let i = 0; i < 100 && cache.stats().invalidated === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(cache.stats().invalidated).toBe(1);
      expect((await cached.request(url, { headers: mapAdmin })).headers.get('x-tile-cache')).toBe('miss');
    } finally {
      await unlisten();
    }
  });
});
