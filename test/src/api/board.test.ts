import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { adminHeaders, get, ingestIncident, loginAs, post, transition } from './workflow-fixtures.ts';

const clock = manualClock(new Date('2025-10-01T08:00:00Z'));
const MIN = 60_000;

const api = useApi({ clock });

describe('police-post board', () => {
  it("lists the area's open incidents by SLA deadline with overdue flags, cameras, patrollers on duty and handover notes", async () => {
    const police = await loginAs(api.app, api.cast.police);
    const start = clock.now();
    const low = await ingestIncident(api.db, {
      now: start,
      communityId: api.cast.communityId,
      severity: 'low',
    }); // due +60 min
    const high = await ingestIncident(api.db, {
      now: start,
      communityId: api.cast.communityId,
      severity: 'high',
    }); // due +10 min
    const closedOne = await ingestIncident(api.db, { now: start, communityId: api.cast.communityId });
    await transition(api.app, closedOne, { action: 'reject', note: '误报' }, police);
    const elsewhere = await ingestIncident(api.db, { now: start, segmentId: api.cast.otherSegmentId });
    // A camera of this post goes offline; a patroller of the community checks in.
    const cam = (
      await api.db.query<{ id: string }>(
        'SELECT id FROM cameras WHERE police_post_id = $1 ORDER BY id LIMIT 1',
        [api.cast.postId],
      )
    ).rows[0]!;
    await api.db.query('UPDATE cameras SET online = false, status_changed_at = $2 WHERE id = $1', [
      cam.id,
      start,
    ]);
    await api.db.query(
      `INSERT INTO positions (person_id, geom, at, grid_id) VALUES ($1, ST_SetSRID(ST_MakePoint(121.64, 29.77), 4326), $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET at = excluded.at`,
      [api.cast.patroller, new Date(start.getTime() - 5 * MIN), api.cast.patrollerGridId],
    );
    clock.advance(15 * MIN);

    const note = await post(
      api.app,
      `/api/board/${api.cast.postId}/handover`,
      { note: '高优先级事件待处理', incidentIds: [high] },
      police,
    );
    expect(note.status).toBe(201);

    const board = await get(api.app, `/api/board/${api.cast.postId}`, police);
    expect(board.status).toBe(200);
    const ids = board.body.incidents.map((i: { id: string }) => i.id);
    expect(ids.indexOf(high)).toBeLessThan(ids.indexOf(low));
    expect(ids).not.toContain(closedOne);
    expect(ids).not.toContain(elsewhere);
    const byId = Object.fromEntries(board.body.incidents.map((i: { id: string }) => [i.id, i]));
    expect(byId[high]).toMatchObject({ overdue: true, handoverNoteIds: [note.body.id] });
    expect(byId[low]).toMatchObject({ overdue: false, handoverNoteIds: [] });
    expect(board.body.cameras.find((c: { id: string }) => c.id === cam.id)).toMatchObject({ online: false });
    expect(board.body.patrollersOnDuty.map((p: { id: string }) => p.id)).toContain(api.cast.patroller);
    expect(board.body.handover[0]).toMatchObject({ authorId: api.cast.police, incidentIds: [high] });

    clock.advance(60 * MIN);
    const later = await get(api.app, `/api/board/${api.cast.postId}`, police);
    expect(later.body.patrollersOnDuty.map((p: { id: string }) => p.id)).not.toContain(api.cast.patroller);
  });

  it('refuses a handover note tied to an incident of another area', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const elsewhere = await ingestIncident(api.db, { now: clock.now(), segmentId: api.cast.otherSegmentId });
    const res = await post(
      api.app,
      `/api/board/${api.cast.postId}/handover`,
      { note: 'x', incidentIds: [elsewhere] },
      police,
    );
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain(elsewhere);
  });

  it("shows a post's board only to its police and admins", async () => {
    expect((await get(api.app, `/api/board/${api.cast.postId}`)).status).toBe(401);
    const other = await get(
      api.app,
      `/api/board/${api.cast.postId}`,
      await loginAs(api.app, api.cast.otherPolice),
    );
    expect(other.status).toBe(403);
    expect(other.body.reason).toContain(api.cast.postId);
    expect(
      (await get(api.app, `/api/board/${api.cast.postId}`, await loginAs(api.app, api.cast.patroller)))
        .status,
    ).toBe(403);
    expect((await get(api.app, `/api/board/${api.cast.postId}`, adminHeaders)).status).toBe(200);
    const note = await post(
      api.app,
      `/api/board/${api.cast.postId}/handover`,
      { note: 'x' },
      await loginAs(api.app, api.cast.otherPolice),
    );
    expect(note.status).toBe(403);
    expect((await get(api.app, '/api/board/pp-nowhere', adminHeaders)).status).toBe(404);
  });
});
