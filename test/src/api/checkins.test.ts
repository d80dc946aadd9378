import { DEFAULT_DEMO_PASSWORD } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  adminHeaders,
  buildApp,
  type Cast,
  castOf,
  eventually,
  loginAs,
  post,
  startPipeline,
} from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;
let cast: Cast;
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
const clock = manualClock(new Date('2025-09-01T08:00:00Z'));

beforeAll(async () => {
  db = await openTestDb();
  cast = await castOf(db);
  pipeline = await startPipeline(db, clock);
  app = buildApp({ db, clock, publish: pipeline.publish });
});
afterAll(async () => {
  await pipeline?.stop();
  await db?.dispose();
});

async function checkinRow(messageId: string) {
  const r = await db.query<{ person_id: string; source: string; grid_id: string | null }>(
    'SELECT person_id, source, grid_id FROM checkins WHERE message_id = $1',
    [messageId],
  );
  return r.rows[0];
}

describe('HTTP check-ins go through MQTT and ingest', () => {
  it("stores a patroller's HTTP check-in via the broker and ingest, as that patroller", async () => {
    const headers = await loginAs(app, cast.patroller);
    const res = await post(
      app,
      '/api/checkins',
      { id: 'http-ck-1', location: [121.64, 29.77], at: '2025-09-01T07:59:00Z', battery: 55 },
      headers,
    );
    expect(res.status).toBe(202);
    // Published in the community form of the topic: the patroller's grid's community.
    const community = (
      await db.query<{ community_id: string }>(
        'SELECT g.community_id FROM people p JOIN grids g ON g.id = p.grid_id WHERE p.id = $1',
        [cast.patroller],
      )
    ).rows[0]?.community_id;
    expect(community).toBeTruthy();
    expect(res.body).toMatchObject({
      topic: `wardmap/community/${community}/checkin/${cast.patroller}`,
      status: 'accepted',
    });
    const row = await eventually(() => checkinRow('http-ck-1'));
    expect(row.person_id).toBe(cast.patroller);
  });

  it('refuses a check-in posted for someone else (403) and one without a token (401)', async () => {
    const headers = await loginAs(app, cast.patroller);
    const body = {
      id: 'http-ck-2',
      personId: cast.liaison,
      location: [121.64, 29.77],
      at: '2025-09-01T07:59:00Z',
    };
    const res = await post(app, '/api/checkins', body, headers);
    expect(res.status).toBe(403);
    expect(res.body.reason).toContain('only as themselves');
    expect((await post(app, '/api/checkins', body)).status).toBe(401);
  });

  it('lets the admin post for a named person, and asks them to name one', async () => {
    const body = { id: 'http-ck-3', location: [121.64, 29.77], at: '2025-09-01T07:58:00Z' };
    expect((await post(app, '/api/checkins', body, adminHeaders)).status).toBe(400);
    expect(
      (await post(app, '/api/checkins', { ...body, personId: cast.patroller }, adminHeaders)).status,
    ).toBe(202);
    expect((await eventually(() => checkinRow('http-ck-3'))).person_id).toBe(cast.patroller);
  });

  it('validates the check-in before publishing', async () => {
    const headers = await loginAs(app, cast.patroller);
    const res = await post(
      app,
      '/api/checkins',
      { id: 'x', location: [121.64, 91], at: '2025-09-01T07:58:00Z' },
      headers,
    );
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain('latitude must be between -90 and 90 (got 91)');
  });

  it('accepts OwnTracks HTTP mode with Basic auth, answers [] and stores the fix', async () => {
    const basic = `Basic ${Buffer.from(`${cast.patroller}:${DEFAULT_DEMO_PASSWORD}`).toString('base64')}`;
    const tst = Math.floor(new Date('2025-09-01T07:57:00Z').getTime() / 1000);
    const res = await app.request('/api/owntracks', {
      method: 'POST',
      headers: {
        authorization: basic,
        'content-type': 'application/json',
        'x-limit-u': cast.patroller,
        'x-limit-d': 'phone',
      },
      body: JSON.stringify({ _type: 'location', lat: 29.771, lon: 121.641, tst, acc: 8, batt: 70 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    const row = await eventually(async () => {
      const r = await db.query<{ source: string }>(
        `SELECT source FROM checkins WHERE person_id = $1 AND at = $2`,
        [cast.patroller, new Date(tst * 1000)],
      );
      return r.rows[0];
    });
    expect(row.source).toBe('owntracks');
  });

  it('refuses OwnTracks posts for another user (403) and without credentials (401)', async () => {
    const basic = `Basic ${Buffer.from(`${cast.patroller}:${DEFAULT_DEMO_PASSWORD}`).toString('base64')}`;
    const body = JSON.stringify({ _type: 'location', lat: 29.77, lon: 121.64, tst: 1756713600 });
    const other = await app.request('/api/owntracks', {
      method: 'POST',
      headers: {
        authorization: basic,
        'content-type': 'application/json',
        'x-limit-u': cast.liaison,
        'x-limit-d': 'phone',
      },
      body,
    });
    expect(other.status).toBe(403);
    expect((await app.request('/api/owntracks', { method: 'POST', body })).status).toBe(401);
  });

  it('lets a river chief report only on their own segments', async () => {
    const chief = await loginAs(app, cast.chief);
    const report = { id: 'rr-http-1', type: 'issue', issue: 'garbage', at: '2025-09-01T07:50:00Z', count: 3 };
    const other = await post(app, '/api/river-reports', { ...report, segmentId: cast.otherSegmentId }, chief);
    expect(other.status).toBe(403);
    const forged = await post(
      app,
      '/api/river-reports',
      { ...report, segmentId: cast.chiefSegmentId, personId: cast.otherChief },
      chief,
    );
    expect(forged.status).toBe(403);
    expect(
      (await post(app, '/api/river-reports', { ...report, segmentId: cast.chiefSegmentId })).status,
    ).toBe(401);
    const own = await post(app, '/api/river-reports', { ...report, segmentId: cast.chiefSegmentId }, chief);
    expect(own.status).toBe(202);
    // The community form when the segment's chief has a grid (a village-level chief has none).
    const community = (
      await db.query<{ community_id: string }>(
        `SELECT g.community_id FROM river_segments s JOIN people p ON p.id = s.chief_id
           JOIN grids g ON g.id = p.grid_id WHERE s.id = $1`,
        [cast.chiefSegmentId],
      )
    ).rows[0]?.community_id;
    expect((own.body as { topic: string }).topic).toBe(
      community
        ? `wardmap/community/${community}/river/${cast.chiefSegmentId}/report`
        : `wardmap/river/${cast.chiefSegmentId}/report`,
    );
    await eventually(async () => {
      const r = await db.query('SELECT 1 FROM river_reports WHERE message_id = $1', ['rr-http-1']);
      return r.rowCount > 0;
    });
  });

  it('answers 503 with the reason when the API has no broker connection', async () => {
    const bare = buildApp({ db, clock });
    const res = await post(
      bare,
      '/api/checkins',
      { id: 'http-ck-9', location: [121.64, 29.77], at: '2025-09-01T07:59:00Z' },
      await loginAs(bare, cast.patroller),
    );
    expect(res.status).toBe(503);
    expect(res.body.reason).toContain('MQTT broker');
  });
});
