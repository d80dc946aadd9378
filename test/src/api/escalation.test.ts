import { createEscalationTimer } from '@wardmap/api';
import { manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { type Cast, castOf, ingestIncident } from './workflow-fixtures.ts';

let db: TestDb;
let cast: Cast;
const MIN = 60_000;

beforeAll(async () => {
  db = await openTestDb();
  cast = await castOf(db);
});
afterAll(() => db?.dispose());

async function state(id: string) {
  const res = await db.query<{ level: string; state: string; escalations: number; sla_due_at: Date }>(
    'SELECT level, state, escalations, sla_due_at FROM incidents WHERE id = $1',
    [id],
  );
  return res.rows[0]!;
}
async function events(id: string) {
  const res = await db.query<{
    action: string;
    actor: string;
    from_level: string;
    to_level: string;
    at: Date;
  }>(
    'SELECT action, actor, from_level, to_level, at FROM incident_events WHERE incident_id = $1 ORDER BY at, id',
    [id],
  );
  return res.rows;
}

describe('automatic escalation when the SLA runs out', () => {
  it('escalates an incident past its SLA exactly one level and records it', async () => {
    const clock = manualClock(new Date('2025-04-01T08:00:00Z'));
    const timer = createEscalationTimer({ db, clock });
    const id = await ingestIncident(db, {
      now: clock.now(),
      communityId: cast.communityId,
      severity: 'high',
    });
    clock.advance(9 * MIN); // building/high: 10 minutes to acknowledge
    expect(await timer.tick()).not.toContain(id);
    clock.advance(2 * MIN);
    expect(await timer.tick()).toContain(id);
    expect(await state(id)).toMatchObject({ level: 'block', state: 'open', escalations: 1 });
    const last = (await events(id)).at(-1)!;
    expect(last).toMatchObject({
      action: 'escalate',
      actor: 'system:sla',
      from_level: 'building',
      to_level: 'block',
    });
    expect(new Date(last.at).toISOString()).toBe(clock.now().toISOString());
    // The new level has a fresh deadline: nothing more happens at the same instant.
    expect(await timer.tick()).not.toContain(id);
    expect((await state(id)).escalations).toBe(1);
    expect(timer.escalated).toBeGreaterThanOrEqual(1);
  });

  it('climbs only one level per tick even after a long outage, then records the top-level breach once', async () => {
    const clock = manualClock(new Date('2025-04-02T08:00:00Z'));
    const timer = createEscalationTimer({ db, clock });
    const id = await ingestIncident(db, {
      now: clock.now(),
      communityId: cast.communityId,
      severity: 'medium',
    });
    clock.advance(10 * 3600_000);
    await timer.tick();
    expect((await state(id)).level).toBe('block');
    clock.advance(31 * MIN);
    await timer.tick();
    expect((await state(id)).level).toBe('community');
    clock.advance(61 * MIN);
    await timer.tick();
    await timer.tick();
    const actions = (await events(id)).map((e) => e.action);
    expect(actions).toEqual(['create', 'escalate', 'escalate', 'sla_breach']);
    expect((await state(id)).level).toBe('community');
  });

  it('does not escalate work that is resolved', async () => {
    const clock = manualClock(new Date('2025-04-03T08:00:00Z'));
    const timer = createEscalationTimer({ db, clock });
    const id = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    await db.query(`UPDATE incidents SET state = 'resolved', sla_due_at = NULL WHERE id = $1`, [id]);
    clock.advance(24 * 3600_000);
    expect(await timer.tick()).not.toContain(id);
  });

  it('survives a restart: a new timer escalates what ran out while none was running', async () => {
    const clock = manualClock(new Date('2025-04-04T08:00:00Z'));
    const id = await ingestIncident(db, {
      now: clock.now(),
      communityId: cast.communityId,
      severity: 'high',
    });
    clock.advance(3600_000);
    const timer = createEscalationTimer({ db, clock, intervalMs: 20 });
    timer.start();
    try {
      await expect.poll(async () => (await state(id)).level, { timeout: 10_000 }).toBe('block');
    } finally {
      await timer.stop();
    }
    expect((await events(id)).filter((e) => e.action === 'escalate')).toHaveLength(1);
  });
});
