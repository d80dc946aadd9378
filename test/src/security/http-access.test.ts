// Access control over HTTP, as an outside probe sees it: nothing personal without signing in, each
// role limited to its area, bounded streams. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insideGrid, newCheckins } from '../api/map-factories.ts';
import {
  adminHeaders,
  buildApp,
  type Cast,
  castOf,
  get,
  loginAs,
  sseReader,
} from '../api/workflow-fixtures.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

const NOW = new Date('2026-03-02T08:00:00Z');
let db: TestDb;
let app: Hono;
let cast: Cast;

beforeAll(async () => {
  db = await openTestDb();
  app = buildApp({ db, clock: manualClock(NOW), heartbeatMs: 200 });
  cast = await castOf(db);
});
afterAll(() => db?.dispose());

/** Every read that carries people, places of people, camera snapshots or raw payloads. */
const PERSONAL_READS = [
  '/api/layers/positions',
  '/api/layers/checkins',
  '/api/layers/incidents',
  '/api/tiles/positions/14/13690/6758.mvt',
  '/api/tiles/checkins/14/13690/6758.mvt',
  '/api/checkins?limit=10000',
  '/api/camera-alerts',
  '/api/river-reports',
  '/api/incidents',
  '/api/incidents/inc-anything',
  '/api/dead-letters',
  '/api/people',
  '/api/board/pp-anything',
  '/api/compliance/segments',
  '/api/compliance/patrols',
  '/api/stats?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z',
  '/api/stream',
  '/api/auth/me',
  '/api/openapi.json',
  '/metrics',
];

describe('anonymous callers', () => {
  it('get 401 JSON on every personal-data route, the stream and tiles included', async () => {
    for (const path of PERSONAL_READS) {
      const res = await app.request(path, { headers: { 'last-event-id': '0' } });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      expect(((await res.json()) as { error: string }).error, path).toBe('unauthorized');
    }
  });

  it('still see health, and may sign in', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    expect((await loginAs(app, cast.patroller)).authorization).toMatch(/^Bearer wm_/);
  });
});

describe("each role's area", () => {
  it("limits check-in reads to the caller's own community (patroller) and everything for admin", async () => {
    const otherCommunityGrid = await db.query<{ id: string }>(
      'SELECT id FROM grids WHERE community_id <> $1 ORDER BY id LIMIT 1',
      [cast.communityId],
    );
    const far = await insideGrid(db, otherCommunityGrid.rows[0]!.id);
    const near = await insideGrid(db, cast.patrollerGridId);
    const [farId, nearId] = await newCheckins(db, [
      { personId: cast.otherLiaison, at: NOW, location: far },
      { personId: cast.liaison, at: NOW, location: near },
    ]);
    const ids = async (headers: Record<string, string>) =>
      ((await get(app, '/api/checkins?limit=10000', headers)).body.items as { messageId: string }[]).map(
        (i) => i.messageId,
      );
    const patroller = await ids(await loginAs(app, cast.patroller));
    expect(patroller).toContain(nearId);
    expect(patroller).not.toContain(farId);
    expect(await ids(await loginAs(app, cast.chief))).not.toContain(farId);
    expect(await ids(adminHeaders)).toEqual(expect.arrayContaining([farId, nearId]));
  });

  it('keeps dead letters and /metrics for admins', async () => {
    const police = await loginAs(app, cast.police);
    expect((await get(app, '/api/dead-letters', police)).status).toBe(403);
    expect((await app.request('/metrics', { headers: police })).status).toBe(403);
    expect((await get(app, '/api/dead-letters', adminHeaders)).status).toBe(200);
  });
});

describe('live stream', () => {
  it('answers Last-Event-ID 0 with a resync instead of replaying the log', async () => {
    const sse = sseReader(
      await app.request('/api/stream', { headers: { ...adminHeaders, 'last-event-id': '0' } }),
    );
    const frame = await sse.next((f) => f.event === 'resync' || f.event === 'position');
    expect(frame.event).toBe('resync');
    await sse.close();
  });

  it('caps open streams per identity (429 with Retry-After) and frees the slot on close', async () => {
    const capped = buildApp({ db, clock: manualClock(NOW), heartbeatMs: 200 });
    const me = await loginAs(capped, cast.patroller);
    const open = () => capped.request('/api/stream', { headers: me });
    const streams = [];
    for (let i = 0; i < 8; i++) {
      const res = await open();
      expect(res.status).toBe(200);
      streams.push(sseReader(res));
    }
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(((await refused.json()) as { reason: string }).reason).toMatch(/per identity/);
    // Another identity still gets one.
    const other = await capped.request('/api/stream', { headers: await loginAs(capped, cast.police) });
    expect(other.status).toBe(200);
    await sseReader(other).close();
    await streams.pop()!.close();
    // Closing frees the slot (the abort is noticed asynchronously).
    let again: Response | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      await again?.body?.cancel();
      again = await open();
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.status).toBe(200);
    await sseReader(again!).close();
    for (const s of streams) await s.close();
  });
});

describe('bounded, well-formed requests', () => {
  it('refuses an oversize body with 413 and the limit', async () => {
    const police = await loginAs(app, cast.police);
    const res = await app.request('/api/incidents', {
      method: 'POST',
      headers: { ...police, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'noise', location: [121.6, 29.7], note: 'x'.repeat(2_000_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/limited to \d+ bytes/);
  });

  it('refuses a non-JSON Content-Type with 415, U+0000 and invalid UTF-8 with 400', async () => {
    const police = await loginAs(app, cast.police);
    const send = (body: BodyInit, type = 'application/json') =>
      app.request('/api/incidents', { method: 'POST', headers: { ...police, 'content-type': type }, body });
    expect((await send('{"category":"noise"}', 'text/plain')).status).toBe(415);
    const nul = await send(JSON.stringify({ category: 'noise\u0000', location: [121.6, 29.7] }));
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { reason: string }).reason).toContain('U+0000');
    const latin1 = await send(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(latin1.status).toBe(400);
    expect(((await latin1.json()) as { reason: string }).reason).toContain('UTF-8');
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'p-0001\u0000', password: 'x' }),
    });
    expect(login.status).toBe(400);
  });

  it('sends security headers and no-store on personal data', async () => {
    const res = await app.request('/api/incidents', { headers: adminHeaders });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
  });
});

describe('sign-in throttling', () => {
  it('answers the 6th wrong password within the window with 429 and Retry-After, even if right', async () => {
    const fresh = buildApp({ db, clock: manualClock(NOW) });
    const attempt = (password: string) =>
      fresh.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: cast.liaison, password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}-password`)).status).toBe(401);
    const sixth = await attempt('wrong-5-password');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Locked out means locked out: the right password waits too.
    expect((await attempt('wardmap-demo')).status).toBe(429);
    // Basic auth counts against the same id.
    const basic = `Basic ${Buffer.from(`${cast.liaison}:wardmap-demo`).toString('base64')}`;
    expect((await fresh.request('/api/auth/me', { headers: { authorization: basic } })).status).toBe(429);
  });
});

describe('work orders', () => {
  it('refuses to dispatch to a nonexistent person or a patroller of another community', async () => {
    const police = await loginAs(app, cast.police);
    const { ingestIncident, transition } = await import('../api/workflow-fixtures.ts');
    const id = await ingestIncident(db, { now: NOW, communityId: cast.communityId });
    const stranger = await db.query<{ id: string }>(
      `SELECT p.id FROM people p JOIN grids g ON g.id = p.grid_id
        WHERE 'patroller' = ANY(p.roles) AND g.community_id <> $1 ORDER BY p.id LIMIT 1`,
      [cast.communityId],
    );
    const ghost = await transition(app, id, { action: 'dispatch', assigneeId: 'p-nobody-here' }, police);
    expect(ghost.status).toBe(400);
    const far = await transition(app, id, { action: 'dispatch', assigneeId: stranger.rows[0]!.id }, police);
    expect(far.status).toBe(400);
    expect(far.body.reason).toContain("does not cover this incident's area");
    const near = await transition(app, id, { action: 'dispatch', assigneeId: cast.patroller }, police);
    expect(near.status).toBe(200);
  });

  it("never returns another reporter's incident for a reused client id, and checks gridId", async () => {
    const { post } = await import('../api/workflow-fixtures.ts');
    const spot = await insideGrid(db, cast.patrollerGridId);
    const body = { id: 'shared-client-id', category: 'noise', severity: 'low', location: spot };
    const mine = await post(app, '/api/incidents', body, await loginAs(app, cast.patroller));
    const theirs = await post(app, '/api/incidents', body, await loginAs(app, cast.liaison));
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const lying = await post(
      app,
      '/api/incidents',
      { ...body, id: 'lying-grid', gridId: 'g-not-here' },
      await loginAs(app, cast.patroller),
    );
    expect(lying.status).toBe(400);
    expect(lying.body.reason).toMatch(/^body: gridId|gridId/);
  });
});
