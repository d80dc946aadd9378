import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { get, ingestIncident, loginAs, post, transition } from './workflow-fixtures.ts';

const clock = manualClock(new Date('2025-05-01T08:00:00Z'));

const api = useApi({ clock });

describe('who may act on incidents', () => {
  it('needs a token to act (401) and refuses police of another post (403)', async () => {
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const anon = await transition(api.app, id, { action: 'acknowledge' }, {});
    expect(anon.status).toBe(401);
    expect(anon.body.error).toBe('unauthorized');
    expect(anon.body.reason).toMatch(/^sign in first/);
    const other = await transition(
      api.app,
      id,
      { action: 'acknowledge' },
      await loginAs(api.app, api.cast.otherPolice),
    );
    expect(other.status).toBe(403);
    expect(other.body.reason).toContain('outside their area');
    const own = await transition(
      api.app,
      id,
      { action: 'acknowledge' },
      await loginAs(api.app, api.cast.police),
    );
    expect(own.status).toBe(200);
  });

  it('lets police act on incidents their post was assigned even outside its community', async () => {
    const otherCommunity = (
      await api.db.query<{ c: string }>('SELECT community_id AS c FROM police_posts WHERE id = $1', [
        api.cast.otherPostId,
      ])
    ).rows[0]!.c;
    const id = await ingestIncident(api.db, {
      now: clock.now(),
      communityId: otherCommunity,
      policePostId: api.cast.postId,
    });
    expect(
      (await transition(api.app, id, { action: 'acknowledge' }, await loginAs(api.app, api.cast.police)))
        .status,
    ).toBe(200);
  });

  it("lets a river chief act only on their own segments' issues", async () => {
    const mine = await ingestIncident(api.db, { now: clock.now(), segmentId: api.cast.chiefSegmentId });
    const theirs = await ingestIncident(api.db, { now: clock.now(), segmentId: api.cast.otherSegmentId });
    const chief = await loginAs(api.app, api.cast.chief);
    expect((await transition(api.app, mine, { action: 'acknowledge' }, chief)).status).toBe(200);
    const refused = await transition(api.app, theirs, { action: 'acknowledge' }, chief);
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toContain(api.cast.chief);
    expect((await transition(api.app, theirs, { action: 'acknowledge' }, {})).status).toBe(401);
  });

  it('lets a liaison act in their own community only', async () => {
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    expect(
      (
        await transition(
          api.app,
          id,
          { action: 'acknowledge' },
          await loginAs(api.app, api.cast.otherLiaison),
        )
      ).status,
    ).toBe(403);
    expect(
      (await transition(api.app, id, { action: 'acknowledge' }, await loginAs(api.app, api.cast.liaison)))
        .status,
    ).toBe(200);
  });

  it('lets a patroller resolve only work dispatched to them', async () => {
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const patroller = await loginAs(api.app, api.cast.patroller);
    expect((await transition(api.app, id, { action: 'acknowledge' }, patroller)).status).toBe(403);
    await transition(
      api.app,
      id,
      { action: 'dispatch', assigneeId: api.cast.patroller },
      await loginAs(api.app, api.cast.police),
    );
    expect((await transition(api.app, id, { action: 'close' }, patroller)).status).toBe(403);
    expect((await transition(api.app, id, { action: 'resolve', note: '已清理' }, patroller)).status).toBe(
      200,
    );
  });

  it('needs a token to report an incident (401)', async () => {
    const res = await post(api.app, '/api/incidents', { category: 'noise', location: [121.64, 29.77] });
    expect(res.status).toBe(401);
  });

  it("hides incidents outside the caller's area from the detail view (403), and from anonymous callers (401)", async () => {
    const id = await ingestIncident(api.db, { now: clock.now(), segmentId: api.cast.otherSegmentId });
    expect((await get(api.app, `/api/incidents/${id}`, await loginAs(api.app, api.cast.chief))).status).toBe(
      403,
    );
    expect(
      (await get(api.app, `/api/incidents/${id}`, await loginAs(api.app, api.cast.otherChief))).status,
    ).toBe(200);
    expect((await get(api.app, `/api/incidents/${id}`)).status).toBe(401);
  });
});
