import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  buildApp,
  type Cast,
  castOf,
  get,
  ingestIncident,
  loginAs,
  post,
  transition,
} from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;
let cast: Cast;
const clock = manualClock(new Date('2025-05-01T08:00:00Z'));

beforeAll(async () => {
  db = await openTestDb();
  app = buildApp({ db, clock });
  cast = await castOf(db);
});
afterAll(() => db?.dispose());

describe('who may act on incidents', () => {
  it('needs a token to act (401) and refuses police of another post (403)', async () => {
    const id = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    const anon = await transition(app, id, { action: 'acknowledge' }, {});
    expect(anon.status).toBe(401);
    expect(anon.body.error).toBe('unauthorized');
    expect(anon.body.reason).toMatch(/^sign in first/);
    const other = await transition(app, id, { action: 'acknowledge' }, await loginAs(app, cast.otherPolice));
    expect(other.status).toBe(403);
    expect(other.body.reason).toContain('outside their area');
    const own = await transition(app, id, { action: 'acknowledge' }, await loginAs(app, cast.police));
    expect(own.status).toBe(200);
  });

  it('lets police act on incidents their post was assigned even outside its community', async () => {
    const otherCommunity = (
      await db.query<{ c: string }>('SELECT community_id AS c FROM police_posts WHERE id = $1', [
        cast.otherPostId,
      ])
    ).rows[0]!.c;
    const id = await ingestIncident(db, {
      now: clock.now(),
      communityId: otherCommunity,
      policePostId: cast.postId,
    });
    expect(
      (await transition(app, id, { action: 'acknowledge' }, await loginAs(app, cast.police))).status,
    ).toBe(200);
  });

  it("lets a river chief act only on their own segments' issues", async () => {
    const mine = await ingestIncident(db, { now: clock.now(), segmentId: cast.chiefSegmentId });
    const theirs = await ingestIncident(db, { now: clock.now(), segmentId: cast.otherSegmentId });
    const chief = await loginAs(app, cast.chief);
    expect((await transition(app, mine, { action: 'acknowledge' }, chief)).status).toBe(200);
    const refused = await transition(app, theirs, { action: 'acknowledge' }, chief);
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toContain(cast.chief);
    expect((await transition(app, theirs, { action: 'acknowledge' }, {})).status).toBe(401);
  });

  it('lets a liaison act in their own community only', async () => {
    const id = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    expect(
      (await transition(app, id, { action: 'acknowledge' }, await loginAs(app, cast.otherLiaison))).status,
    ).toBe(403);
    expect(
      (await transition(app, id, { action: 'acknowledge' }, await loginAs(app, cast.liaison))).status,
    ).toBe(200);
  });

  it('lets a patroller resolve only work dispatched to them', async () => {
    const id = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    const patroller = await loginAs(app, cast.patroller);
    expect((await transition(app, id, { action: 'acknowledge' }, patroller)).status).toBe(403);
    await transition(
      app,
      id,
      { action: 'dispatch', assigneeId: cast.patroller },
      await loginAs(app, cast.police),
    );
    expect((await transition(app, id, { action: 'close' }, patroller)).status).toBe(403);
    expect((await transition(app, id, { action: 'resolve', note: '已清理' }, patroller)).status).toBe(200);
  });

  it('needs a token to report an incident (401)', async () => {
    const res = await post(app, '/api/incidents', { category: 'noise', location: [121.64, 29.77] });
    expect(res.status).toBe(401);
  });

  it("hides incidents outside the caller's area from the detail view (403), and from anonymous callers (401)", async () => {
    const id = await ingestIncident(db, { now: clock.now(), segmentId: cast.otherSegmentId });
    expect((await get(app, `/api/incidents/${id}`, await loginAs(app, cast.chief))).status).toBe(403);
    expect((await get(app, `/api/incidents/${id}`, await loginAs(app, cast.otherChief))).status).toBe(200);
    expect((await get(app, `/api/incidents/${id}`)).status).toBe(401);
  });
});
