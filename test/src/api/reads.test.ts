import { manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  insideGrid,
  mapAdmin,
  mapApp,
  newCameraAlert,
  newCheckins,
  newDeadLetter,
  newRiverReport,
} from './map-factories.ts';

const NOW = new Date('2026-03-02T04:00:00Z');
const HOUR = 3_600_000;
let db: TestDb;
let app: ReturnType<typeof mapApp>;
const ago = (h: number) => new Date(NOW.getTime() - h * HOUR);

async function items(path: string): Promise<Record<string, unknown>[]> {
  const res = await app.request(path, { headers: mapAdmin });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Record<string, unknown>[] }).items;
}

beforeAll(async () => {
  db = await openTestDb();
  app = mapApp(db, manualClock(NOW));
});
afterAll(() => db?.dispose());

describe('raw reads', () => {
  it('lists one person’s check-ins within since/until, newest first, with location and grid', async () => {
    const people = await db.query<{ id: string; grid_id: string }>(
      `SELECT id, grid_id FROM people WHERE 'patroller' = ANY (roles) AND grid_id IS NOT NULL ORDER BY id LIMIT 2`,
    );
    const [a, b] = people.rows;
    const here = await insideGrid(db, a!.grid_id);
    const [old, mid, recent] = await newCheckins(db, [
      { personId: a!.id, at: ago(30), location: here },
      { personId: a!.id, at: ago(5), location: here },
      { personId: a!.id, at: ago(1), location: here },
    ]);
    await newCheckins(db, [{ personId: b!.id, at: ago(1), location: here }]);
    const mine = await items(`/api/checkins?personId=${a!.id}`);
    expect(mine.map((c) => c.messageId)).toEqual([recent, mid, old]);
    expect(mine[0]).toMatchObject({
      personId: a!.id,
      location: here,
      gridId: a!.grid_id,
      at: ago(1).toISOString(),
    });
    const window = await items(
      `/api/checkins?personId=${a!.id}&since=${ago(10).toISOString()}&until=${ago(2).toISOString()}`,
    );
    expect(window.map((c) => c.messageId)).toEqual([mid]);
    expect(await items(`/api/checkins?personId=${a!.id}&limit=1`)).toHaveLength(1);
  });

  it('lists camera alerts of one camera and river reports of one segment', async () => {
    const cams = (await db.query<{ id: string }>('SELECT id FROM cameras ORDER BY id LIMIT 2')).rows;
    const alert = await newCameraAlert(db, cams[0]!.id, ago(1));
    await newCameraAlert(db, cams[1]!.id, ago(1));
    expect((await items(`/api/camera-alerts?cameraId=${cams[0]!.id}`)).map((a) => a.id)).toEqual([alert]);
    const segs = (await db.query<{ id: string }>('SELECT id FROM river_segments ORDER BY id LIMIT 2')).rows;
    const report = await newRiverReport(db, {
      segmentId: segs[0]!.id,
      at: ago(2),
      issue: 'garbage',
      tons: 0.5,
    });
    await newRiverReport(db, { segmentId: segs[1]!.id, at: ago(2), issue: 'stake', count: 1 });
    const reports = await items(`/api/river-reports?segmentId=${segs[0]!.id}`);
    expect(reports).toEqual([expect.objectContaining({ messageId: report, issue: 'garbage', tons: 0.5 })]);
  });

  it('lists dead letters since an instant with the stored reason and payload', async () => {
    await newDeadLetter(db, 'wardmap/checkin/x', '{"old":true}', 'too old', ago(48));
    await newDeadLetter(
      db,
      'wardmap/checkin/p-1',
      '{"lat":91}',
      'latitude must be between -90 and 90 (got 91)',
      ago(1),
    );
    const recent = await items(`/api/dead-letters?since=${ago(24).toISOString()}`);
    expect(recent).toEqual([
      expect.objectContaining({
        topic: 'wardmap/checkin/p-1',
        reason: 'latitude must be between -90 and 90 (got 91)',
        payload: '{"lat":91}',
      }),
    ]);
  });

  it('bounds every list: a limit above the maximum is refused with the reason', async () => {
    const res = await app.request('/api/checkins?limit=100000', { headers: mapAdmin });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/limit must be at most 10000/);
  });
});
