import type { LonLat } from '@wardmap/geo';
import { manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { alongSegment, insideGrid, mapAdmin, mapApp, newCheckins, newPatrol } from './map-factories.ts';

// 2 March: dry season, so the all-year rules apply (enterprise chiefs: every 7 days, >= 15 min, >= 1 km).
const START = new Date('2026-03-02T04:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
let db: TestDb;
const clock = manualClock(START);
let app: ReturnType<typeof mapApp>;
let seg: { id: string; chiefId: string; lengthM: number };

const ago = (ms: number) => new Date(clock.now().getTime() - ms);

async function get<T>(path: string): Promise<T> {
  const res = await app.request(path, { headers: mapAdmin });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const segments = () =>
  get<{ items: Record<string, unknown>[] }>('/api/compliance/segments').then((b) =>
    b.items.find((s) => s.id === seg.id),
  );
const patrol = (id: string) =>
  get<{ items: Record<string, unknown>[] }>(
    '/api/compliance/patrols?limit=5000&since=2026-01-01T00:00:00Z',
  ).then((b) => b.items.find((p) => p.id === id));

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, clock);
  const res = await db.query<{ id: string; chief_id: string; length_m: number }>(
    `SELECT id, chief_id, length_m FROM river_segments WHERE level = 'enterprise' AND length_m > 1200 ORDER BY id LIMIT 1`,
  );
  const row = res.rows[0];
  if (!row) throw new Error('demo data has no enterprise segment over 1.2 km');
  seg = { id: row.id, chiefId: row.chief_id, lengthM: row.length_m };
});
afterAll(() => db?.dispose());

describe('river patrol assessment', () => {
  it('measures coverage as the share of the segment within the buffer of the track: half walked is ~50%', async () => {
    const id = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: ago(2 * HOUR),
      endedAt: ago(HOUR),
      track: await alongSegment(db, seg.id, 0, 0.5),
    });
    const p = await patrol(id);
    // The 30 m buffer reaches a little past the walked half's end (and across the river's bends).
    expect(p?.coveragePct).toBeGreaterThanOrEqual(49.5);
    expect(p?.coveragePct).toBeLessThanOrEqual(54);
  });

  it('re-assesses a patrol whose track ingest rebuilt after late messages arrived', async () => {
    const id = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: ago(26 * HOUR),
      endedAt: ago(25 * HOUR),
      track: await alongSegment(db, seg.id, 0, 0.5),
    });
    expect((await patrol(id))?.coveragePct).toBeLessThan(55);
    // As ingest's rebuild does: the whole track, its length.
    const full = await alongSegment(db, seg.id, 0, 1);
    await db.query(
      `UPDATE patrols SET track = ST_SetSRID(ST_GeomFromGeoJSON($2), 4326),
              distance_m = ST_Length(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)::geography) WHERE id = $1`,
      [id, JSON.stringify({ type: 'LineString', coordinates: full })],
    );
    expect(await patrol(id)).toMatchObject({ coveragePct: 100, valid: true, flags: [] });
  });

  it('flags a patrol too short in time, too fast or with a device clock ahead of the server — stored, not rejected', async () => {
    const track = await alongSegment(db, seg.id, 0, 1);
    const short = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: ago(3 * HOUR),
      endedAt: ago(3 * HOUR - 12 * MIN), // the rule wants 15 min
      track,
    });
    const fast = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: ago(5 * HOUR),
      endedAt: ago(5 * HOUR - 15 * MIN),
      track,
      distanceM: 12_000,
    });
    const skewedStart = ago(7 * HOUR);
    const skewed = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: skewedStart,
      endedAt: ago(6 * HOUR),
      track,
    });
    await newCheckins(db, [
      {
        personId: seg.chiefId,
        kind: 'start',
        patrolId: skewed,
        at: skewedStart,
        location: track[0]!,
        receivedAt: new Date(skewedStart.getTime() - 20 * MIN),
      },
    ]);
    const lateStart = ago(9 * HOUR);
    const late = await newPatrol(db, {
      personId: seg.chiefId,
      kind: 'river',
      segmentId: seg.id,
      startedAt: lateStart,
      endedAt: ago(8 * HOUR),
      track,
    });
    await newCheckins(db, [
      {
        personId: seg.chiefId,
        kind: 'start',
        patrolId: late,
        at: lateStart,
        location: track[0]!,
        receivedAt: new Date(lateStart.getTime() + 8 * HOUR),
      },
    ]);
    expect(await patrol(short)).toMatchObject({ flags: ['too_short_time'], valid: false });
    expect(await patrol(fast)).toMatchObject({ flags: ['impossible_speed'], valid: false });
    expect(await patrol(skewed)).toMatchObject({ flags: ['clock_skew'], valid: false });
    // Working offline and uploading later is allowed: noted, still valid.
    expect(await patrol(late)).toMatchObject({ flags: ['late_upload'], valid: true, coveragePct: 100 });
  });

  it('turns a segment due and then overdue as the rule interval passes on the clock', async () => {
    // The valid patrol of the previous test (ended 8 h ago) is the last valid one.
    const fresh = await segments();
    expect(fresh).toMatchObject({
      status: 'ok',
      ruleId: 'rule-enterprise',
      intervalH: 168,
      coveragePct: 100,
    });
    expect(fresh?.lastPatrolAgeH).toBe(8);
    clock.advance(132 * HOUR); // 140 h since the patrol ended: past 0.8 × 168 h
    expect(await segments()).toMatchObject({ status: 'due', lastPatrolAgeH: 140 });
    clock.advance(30 * HOUR); // 170 h: past the interval
    expect(await segments()).toMatchObject({ status: 'overdue', lastPatrolAgeH: 170 });
    const layer = await get<{ features: { id: string; properties: Record<string, unknown> }[] }>(
      '/api/layers/river-segments',
    );
    expect(layer.features.find((f) => f.id === seg.id)?.properties.status).toBe('overdue');
  });
});

describe('grid patrols', () => {
  it('reports coverage and ok status for a grid walked by a valid patrol, and alerts when an on-duty patroller stays outside', async () => {
    clock.set(START);
    const people = await db.query<{ id: string; grid_id: string }>(
      `SELECT id, grid_id FROM people WHERE 'patroller' = ANY (roles) AND grid_id IS NOT NULL ORDER BY id LIMIT 2`,
    );
    const [away, home] = people.rows;
    if (!away || !home) throw new Error('demo data needs two patrollers');
    const [lon, lat] = await insideGrid(db, home.grid_id);
    const track: LonLat[] = [
      [lon - 2e-4, lat],
      [lon + 2e-4, lat],
    ];
    await newPatrol(db, {
      personId: home.id,
      kind: 'grid',
      gridId: home.grid_id,
      startedAt: ago(3 * HOUR),
      endedAt: ago(2 * HOUR),
      track,
      distanceM: 1500,
    });
    const grids = await get<{ items: Record<string, unknown>[] }>('/api/compliance/grids');
    const g = grids.items.find((i) => i.id === home.grid_id);
    expect(g).toMatchObject({ status: 'ok', lastPatrolAgeH: 2 });
    expect(g?.coveragePct).toBeGreaterThan(0);

    // On duty for an hour; inside 50 min ago, then 15 km away.
    const inside = await insideGrid(db, away.grid_id);
    const patrolId = await newPatrol(db, {
      personId: away.id,
      kind: 'grid',
      gridId: away.grid_id,
      startedAt: ago(60 * MIN),
      endedAt: null,
      track: null,
    });
    await newCheckins(db, [
      { personId: away.id, at: ago(50 * MIN), location: inside },
      { personId: away.id, at: ago(10 * MIN), location: [inside[0] + 0.15, inside[1]] },
    ]);
    const alerts = await get<{ items: Record<string, unknown>[] }>('/api/compliance/alerts');
    expect(alerts.items).toEqual([
      expect.objectContaining({
        personId: away.id,
        gridId: away.grid_id,
        patrolId,
        minutesOutside: 50,
        thresholdMin: 20,
        lastPosition: [inside[0] + 0.15, inside[1]],
      }),
    ]);
    // Back inside: the alert clears.
    await newCheckins(db, [{ personId: away.id, at: ago(MIN), location: inside }]);
    expect((await get<{ items: unknown[] }>('/api/compliance/alerts')).items).toEqual([]);
  });

  it('exposes the rules and settings it applies', async () => {
    const rules = await get<{ patrolRules: { id: string }[]; settings: Record<string, number> }>(
      '/api/compliance/rules',
    );
    expect(rules.patrolRules.map((r) => r.id)).toContain('rule-enterprise');
    expect(rules.settings.river_coverage_buffer_m).toBe(30);
  });
});
