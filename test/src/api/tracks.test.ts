import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { adminHeaders, buildApp, castOf, loginAs } from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;
const clock = manualClock(new Date('2025-06-01T12:00:00Z'));

beforeAll(async () => {
  db = await openTestDb();
  app = buildApp({ db, clock });
  // Two patrollers walking for an hour, one check-in every 10 s (720 points).
  await db.query(
    `INSERT INTO checkins (message_id, person_id, geom, at)
     SELECT 'tr-' || p || '-' || k, p, ST_SetSRID(ST_MakePoint(121.6 + k * 1e-5, 29.76), 4326),
            timestamptz '2025-06-01T10:00:00Z' + k * interval '10 seconds'
       FROM (SELECT id AS p FROM people WHERE 'patroller' = ANY(roles) ORDER BY id LIMIT 2) ps,
            generate_series(0, 359) AS k`,
  );
});
afterAll(async () => {
  await db?.dispose();
});

type Answer = {
  tracks: Array<{ personId: string; path: Array<[number, number, number]> }>;
  incidents: unknown[];
};

describe('GET /api/tracks (replay)', () => {
  it("returns everyone's path in the window, time-ordered, as [lon, lat, epochMs]", async () => {
    const res = await app.request('/api/tracks?since=2025-06-01T09:00:00Z&until=2025-06-01T12:00:00Z', {
      headers: adminHeaders,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Answer;
    expect(body.tracks).toHaveLength(2);
    const path = body.tracks[0]!.path;
    expect(path.length).toBeGreaterThan(100);
    expect(path.length).toBeLessThanOrEqual(360);
    for (let i = 1; i < path.length; i++) expect(path[i]![2]).toBeGreaterThan(path[i - 1]![2]);
    expect(path[0]![2]).toBeGreaterThanOrEqual(Date.parse('2025-06-01T10:00:00Z'));
  });

  it('defaults to the last 24 h of the clock and refuses windows over 7 days', async () => {
    const dflt = (await (await app.request('/api/tracks', { headers: adminHeaders })).json()) as Answer;
    expect(dflt.tracks).toHaveLength(2);
    const res = await app.request('/api/tracks?since=2025-05-01T00:00:00Z&until=2025-06-01T00:00:00Z', {
      headers: adminHeaders,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toContain('at most');
  });

  it("limits a non-admin to their area: a police officer elsewhere sees no patroller's track", async () => {
    const cast = await castOf(db);
    const other = await app.request('/api/tracks?since=2025-06-01T09:00:00Z&until=2025-06-01T12:00:00Z', {
      headers: await loginAs(app, cast.otherPolice),
    });
    expect(other.status).toBe(200);
    const body = (await other.json()) as Answer;
    expect(body.tracks).toHaveLength(0);
  });
});
