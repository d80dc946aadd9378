import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { get, ingestIncident, loginAs, transition } from './workflow-fixtures.ts';

const clock = manualClock(new Date('2025-10-01T08:00:00Z'));
const MIN = 60_000;

const api = useApi({ clock });

describe('four-in-one overview', () => {
  it('counts incidents by level and partner like /api/stats, lists community escalations, times ack and close against the SLA', async () => {
    const police = await loginAs(api.app, api.cast.police);
    const liaison = await loginAs(api.app, api.cast.liaison);
    const t0 = clock.now();
    const a = await ingestIncident(api.db, {
      now: t0,
      communityId: api.cast.communityId,
      severity: 'medium',
    });
    const b = await ingestIncident(api.db, {
      now: t0,
      communityId: api.cast.communityId,
      severity: 'medium',
    });
    const c = await ingestIncident(api.db, { now: t0, segmentId: api.cast.otherSegmentId, severity: 'low' });
    clock.advance(4 * MIN);
    expect((await transition(api.app, a, { action: 'acknowledge' }, police)).status).toBe(200);
    clock.advance(6 * MIN);
    expect((await transition(api.app, b, { action: 'acknowledge' }, police)).status).toBe(200);
    expect((await transition(api.app, b, { action: 'escalate', note: '跨楼幢纠纷' }, police)).status).toBe(
      200,
    );
    expect((await transition(api.app, b, { action: 'escalate', note: '需社区协调' }, liaison)).status).toBe(
      200,
    );
    clock.advance(20 * MIN);
    for (const [action, extra] of [
      ['resolve', {}],
      ['verify', { callback: { result: 'satisfied' } }],
      ['close', {}],
    ] as const) {
      expect((await transition(api.app, a, { action, ...extra }, police)).status, action).toBe(200);
    }
    const from = new Date(t0.getTime() - 60 * MIN).toISOString();
    const to = new Date(clock.now().getTime() + MIN).toISOString();

    const { status, body } = await get(api.app, `/api/overview?from=${from}&to=${to}`, police);
    expect(status).toBe(200);
    const levels = Object.fromEntries(
      body.byLevel.map((l: { level: string; incidents: number }) => [l.level, l.incidents]),
    );
    expect(levels).toEqual({ building: 2, block: 0, community: 1 });
    const stats = await get(api.app, `/api/stats?from=${from}&to=${to}`, police);
    expect(stats.body.totals).toMatchObject({
      incidentsBuilding: levels.building,
      incidentsBlock: levels.block,
      incidentsCommunity: levels.community,
    });
    const partners = Object.fromEntries(
      body.byPartner.map((p: { kind: string; incidents: number }) => [p.kind, p.incidents]),
    );
    expect(partners).toMatchObject({ police: 2, party: 1, none: 1 });
    expect(body.escalations.map((e: { id: string }) => e.id)).toEqual([b]);
    expect(body.escalations[0].ageMin).toBe(20);
    const building = body.timings.find((t: { level: string }) => t.level === 'building');
    expect(building).toMatchObject({
      ackCount: 1,
      ackMedianMin: 4,
      closeCount: 1,
      closeMedianMin: 30,
      ackSlaMin: 30,
    });
    expect(building.ackWithinSlaPct).toBe(100);
    expect(body.grids.length).toBeGreaterThan(0);
    expect(body.grids[0]).toMatchObject({ required: 1, done: 0, compliancePct: 0 });
    expect(body.segments.some((s: { required: number | null }) => typeof s.required === 'number')).toBe(true);

    // A community's party branch sees its own community: the river incident elsewhere drops out.
    const branch = body.organisations.find(
      (o: { kind: string; communityId: string | null }) =>
        o.kind === 'party' && o.communityId === api.cast.communityId,
    );
    const own = await get(api.app, `/api/overview?from=${from}&to=${to}&organisationId=${branch.id}`, police);
    expect(own.status).toBe(200);
    expect(own.body.byLevel.reduce((s: number, l: { incidents: number }) => s + l.incidents, 0)).toBe(2);
    expect(own.body.grids.every((g: { communityId: string }) => g.communityId === api.cast.communityId)).toBe(
      true,
    );
    void c;
    expect((await get(api.app, `/api/overview?organisationId=org-nope`, police)).status).toBe(404);
    expect((await get(api.app, `/api/overview?from=${to}&to=${from}`, police)).status).toBe(400);
  });
});
