import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { adminHeaders, get, ingestIncident, loginAs, post, transition } from './workflow-fixtures.ts';

const clock = manualClock(new Date('2025-03-01T08:00:00Z'));

const api = useApi({ clock });

describe('incident work orders', () => {
  it('walks open -> acknowledged -> dispatched -> resolved -> verified -> closed and records each step', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const steps = [
      { action: 'acknowledge', note: '收到' },
      { action: 'dispatch', assigneeId: api.cast.patroller, note: '派网格员' },
      { action: 'resolve', note: '已处理' },
      { action: 'verify', callback: { result: 'satisfied', note: '居民满意' } },
      { action: 'close' },
    ];
    for (const step of steps) {
      clock.advance(60_000);
      const res = await transition(api.app, id, step, police);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const detail = await get(api.app, `/api/incidents/${id}`, adminHeaders);
    expect(detail.body).toMatchObject({
      state: 'closed',
      assigneeId: api.cast.patroller,
      callbackResult: 'satisfied',
    });
    expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'acknowledge',
      'dispatch',
      'resolve',
      'verify',
      'close',
    ]);
    const verify = detail.body.events[4];
    expect(verify).toMatchObject({ actor: api.cast.police, fromState: 'resolved', toState: 'verified' });
    expect(verify.data.callback).toEqual({ result: 'satisfied', note: '居民满意' });
    expect(new Date(verify.at).toISOString()).toBe(new Date(clock.now().getTime() - 60_000).toISOString());
  });

  it('refuses an illegal transition with 409 and the reason', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const res = await transition(api.app, id, { action: 'close' }, police);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'conflict',
      reason: 'cannot close an incident that is open; close applies to verified incidents',
    });
    const detail = await get(api.app, `/api/incidents/${id}`, adminHeaders);
    expect(detail.body.state).toBe('open');
    expect(detail.body.events).toHaveLength(1);
  });

  it('escalates by hand one level with the reason recorded, and refuses without a reason', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const noReason = await transition(api.app, id, { action: 'escalate' }, police);
    expect(noReason.status).toBe(400);
    expect(noReason.body.reason).toContain('needs a reason');
    const res = await transition(api.app, id, { action: 'escalate', note: '涉及多个楼幢' }, police);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ level: 'block', state: 'open', escalations: 1 });
    // The block has its own acknowledge deadline: block/high = 10 minutes from now.
    expect(res.body.dueAt).toBe(new Date(clock.now().getTime() + 10 * 60_000).toISOString());
    const detail = await get(api.app, `/api/incidents/${id}`, adminHeaders);
    expect(detail.body.events.at(-1)).toMatchObject({
      action: 'escalate',
      fromLevel: 'building',
      toLevel: 'block',
      note: '涉及多个楼幢',
      actor: api.cast.police,
    });
    await transition(api.app, id, { action: 'escalate', note: '要事提交' }, police);
    const top = await transition(api.app, id, { action: 'escalate', note: 'again' }, police);
    expect(top.status).toBe(409);
    expect(top.body.reason).toContain('top of the escalation ladder');
  });

  it('requires the resident call-back result to verify, and an unsatisfied resident sends it back', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    await transition(api.app, id, { action: 'acknowledge' }, police);
    await transition(api.app, id, { action: 'resolve' }, police);
    const bare = await transition(api.app, id, { action: 'verify' }, police);
    expect(bare.status).toBe(400);
    expect(bare.body.reason).toContain('call-back');
    const unhappy = await transition(
      api.app,
      id,
      { action: 'verify', callback: { result: 'unsatisfied' } },
      police,
    );
    expect(unhappy.body).toMatchObject({ state: 'dispatched', callbackResult: 'unsatisfied' });
  });

  it('validates transition bodies with a readable reason', async () => {
    const id = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const res = await transition(api.app, id, { action: 'teleport' }, adminHeaders);
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain('unsupported incident action "teleport"');
    const missing = await transition(api.app, 'inc-nope', { action: 'acknowledge' }, adminHeaders);
    expect(missing.status).toBe(404);
  });

  it('creates a manual report once per client id, with the reporter, grid and SLA deadline', async () => {
    const patroller = await loginAs(api.app, api.cast.patroller);
    const grid = await api.db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE id = $1',
      [api.cast.patrollerGridId],
    );
    const body = {
      id: 'phone-report-1',
      category: 'noise',
      severity: 'low',
      location: [grid.rows[0]!.lon, grid.rows[0]!.lat],
      note: '夜间施工',
    };
    const first = await post(api.app, '/api/incidents', body, patroller);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      reporterId: api.cast.patroller,
      gridId: api.cast.patrollerGridId,
      level: 'building',
      state: 'open',
      dueAt: new Date(clock.now().getTime() + 60 * 60_000).toISOString(),
    });
    const again = await post(api.app, '/api/incidents', body, patroller);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it("lists all incidents anonymously and only the area's with a token", async () => {
    const here = await ingestIncident(api.db, { now: clock.now(), communityId: api.cast.communityId });
    const there = await ingestIncident(api.db, {
      now: clock.now(),
      communityId: (
        await api.db.query<{ c: string }>('SELECT community_id AS c FROM police_posts WHERE id = $1', [
          api.cast.otherPostId,
        ])
      ).rows[0]!.c,
    });
    expect((await get(api.app, '/api/incidents?limit=1000')).status).toBe(401);
    const all = await get(api.app, '/api/incidents?limit=1000', adminHeaders);
    const allIds = all.body.items.map((i: { id: string }) => i.id);
    expect(allIds).toEqual(expect.arrayContaining([here, there]));
    const mine = await get(api.app, '/api/incidents?limit=1000', await loginAs(api.app, api.cast.police));
    const mineIds = mine.body.items.map((i: { id: string }) => i.id);
    expect(mineIds).toContain(here);
    expect(mineIds).not.toContain(there);
    const bad = await get(api.app, '/api/incidents?state=sleeping', adminHeaders);
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toContain('state');
  });
});
