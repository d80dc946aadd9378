import { manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  alongSegment,
  insideGrid,
  mapAdmin,
  mapApp,
  newCheckins,
  newIncident,
  newPatrol,
  newRiverReport,
} from './map-factories.ts';

// Buckets are local days in Asia/Shanghai (UTC+8): 2 March local = 1 March 16:00Z .. 2 March 16:00Z.
const at = (local: string) => new Date(`${local}+08:00`);
const MIN = 60_000;
let db: TestDb;
const clock = manualClock(at('2026-03-04T12:00:00'));
let app: ReturnType<typeof mapApp>;
const RANGE = `from=${encodeURIComponent('2026-03-02T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-03T12:00:00+08:00')}`;

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, clock);
  const p = await db.query<{ id: string; grid_id: string }>(
    `SELECT id, grid_id FROM people WHERE 'patroller' = ANY (roles) AND grid_id IS NOT NULL ORDER BY id LIMIT 1`,
  );
  const person = p.rows[0]!;
  const here = await insideGrid(db, person.grid_id);
  await newCheckins(db, [
    { personId: person.id, at: at('2026-03-02T00:30:00'), location: here }, // 1 March 16:30Z: local 2 March
    { personId: person.id, at: at('2026-03-02T09:00:00'), location: here },
    { personId: person.id, at: at('2026-03-02T23:59:00'), location: here },
    { personId: person.id, at: at('2026-03-03T08:00:00'), location: here },
    { personId: person.id, at: at('2026-03-03T10:00:00'), location: here },
    { personId: person.id, at: at('2026-03-01T23:59:00'), location: here }, // outside the range
  ]);
  const c1 = at('2026-03-02T10:00:00');
  await newIncident(db, {
    location: here,
    createdAt: c1,
    level: 'building',
    state: 'closed',
    acknowledgedAt: new Date(c1.getTime() + 30 * MIN),
    closedAt: new Date(c1.getTime() + 120 * MIN),
  });
  const c2 = at('2026-03-02T11:00:00');
  await newIncident(db, {
    location: here,
    createdAt: c2,
    level: 'block',
    state: 'acknowledged',
    acknowledgedAt: new Date(c2.getTime() + 10 * MIN),
  });
  await newIncident(db, {
    location: here,
    createdAt: at('2026-03-03T09:00:00'),
    level: 'community',
    state: 'rejected',
  });
  const seg = (
    await db.query<{ id: string; chief_id: string }>(
      `SELECT id, chief_id FROM river_segments WHERE level = 'enterprise' ORDER BY id LIMIT 1`,
    )
  ).rows[0]!;
  await newPatrol(db, {
    personId: seg.chief_id,
    kind: 'river',
    segmentId: seg.id,
    startedAt: at('2026-03-03T08:00:00'),
    endedAt: at('2026-03-03T08:40:00'),
    track: await alongSegment(db, seg.id, 0, 1),
  });
  await newRiverReport(db, { segmentId: seg.id, at: at('2026-03-02T15:00:00'), issue: 'garbage', tons: 1.5 });
  await newRiverReport(db, { segmentId: seg.id, at: at('2026-03-02T16:00:00'), issue: 'garbage', tons: 2 });
  await newRiverReport(db, { segmentId: seg.id, at: at('2026-03-03T09:00:00'), issue: 'net_cage', count: 3 });
  await newRiverReport(db, { segmentId: seg.id, at: at('2026-03-03T09:30:00'), issue: 'stake', count: 4 });
});
afterAll(() => db?.dispose());

describe('GET /api/stats', () => {
  it('counts per local day: check-ins, patrols, incidents by level and state, mean times, cleanup totals', async () => {
    const res = await app.request(`/api/stats?${RANGE}`, { headers: mapAdmin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; totals: Record<string, unknown> };
    expect(body.items.map((i) => i.bucket)).toEqual(['2026-03-02', '2026-03-03']);
    const [d2, d3] = body.items;
    expect(d2).toMatchObject({
      checkins: 3,
      patrols: 0,
      incidents: 2,
      incidentsBuilding: 1,
      incidentsBlock: 1,
      stateClosed: 1,
      stateAcknowledged: 1,
      acknowledged: 2,
      meanAckMin: 20,
      closed: 1,
      meanCloseMin: 120,
      garbageTons: 3.5,
      riverIssues: 2,
      start: '2026-03-01T16:00:00.000Z',
    });
    expect(d3).toMatchObject({
      checkins: 2,
      patrols: 1,
      validPatrols: 1,
      incidents: 1,
      incidentsCommunity: 1,
      stateRejected: 1,
      netCages: 3,
      stakes: 4,
    });
    // One enterprise segment patrolled validly out of the 35 with a rule.
    expect(d3?.segmentCompliancePct).toBe(2.9);
    expect(body.totals).toMatchObject({
      checkins: 5,
      patrols: 1,
      incidents: 3,
      garbageTons: 3.5,
      netCages: 3,
      stakes: 4,
      meanAckMin: 20,
    });
  });

  it('buckets by ISO week and serves the same numbers as CSV', async () => {
    const week = (await (
      await app.request(`/api/stats?${RANGE}&bucket=week`, { headers: mapAdmin })
    ).json()) as {
      items: Record<string, unknown>[];
    };
    expect(week.items).toHaveLength(1);
    expect(week.items[0]).toMatchObject({ bucket: '2026-03-02', checkins: 5, incidents: 3 });
    const csv = await app.request(`/api/stats.csv?${RANGE}`, { headers: mapAdmin });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await csv.text()).trim().split('\r\n');
    const cols = header!.split(',');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      bucket: '2026-03-02',
      checkins: '3',
      garbageTons: '3.5',
      meanAckMin: '20',
    });
    expect(rows[1]).toMatchObject({ bucket: '2026-03-03', stakes: '4', netCages: '3' });
  });

  it('refuses unbounded ranges and unknown time zones with the reason', async () => {
    const long = await app.request('/api/stats?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', {
      headers: mapAdmin,
    });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { reason: string }).reason).toMatch(/at most 400 day buckets/);
    const tz = await app.request(`/api/stats?${RANGE}&tz=Mars/Olympus`, { headers: mapAdmin });
    expect(tz.status).toBe(400);
    expect(((await tz.json()) as { reason: string }).reason).toMatch(/unknown time zone/);
  });
});
