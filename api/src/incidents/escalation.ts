import { createLease, type Db, type Lease } from '@wardmap/db';
import { type Clock, realMsFor } from '@wardmap/geo';
import { nextLevel } from './state-machine.ts';
import { applyPlan, lockIncident } from './transition.ts';

export interface EscalationTimer {
  /** Escalates every incident whose deadline has passed; returns the ids it escalated or marked breached. */
  tick(): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
  /** Incidents escalated (or marked breached at the top) since start, for /metrics. */
  readonly escalated: number;
  /** Whether this process held the escalation lease at its last turn. */
  readonly leader: boolean;
}

/** Name of the lease the timer runs under. */
export const ESCALATION_LEASE = 'sla-escalation';

export const SLA_ACTOR = 'system:sla';
const BATCH = 200;

/**
 * The SLA timer. Deadlines live in `incidents.sla_due_at`, so a restart loses nothing: the first
 * tick after start escalates whatever ran out meanwhile. Each overdue incident climbs exactly one
 * level per deadline; the new level gets a fresh acknowledge deadline from the clock's now, so a
 * long outage cannot skip a level. At the community level an overdue incident is recorded once as
 * `sla_breach`. `intervalMs` is real time; by default one clock minute (at least 250 ms), so a
 * compressed demo clock escalates promptly.
 *
 * With several API processes on one database the timer runs in one of them at a time: each turn
 * first takes or renews the `sla-escalation` lease (database time, `leaseMs`, default three
 * intervals and at least 10 s); a process that dies stops renewing and another takes the timer
 * over after the lease expires. The lease saves duplicate work; "once per deadline" does not rest
 * on it: each incident is re-checked under its row lock (a second escalator finds the new deadline,
 * or the breach already recorded, and does nothing).
 */
export function createEscalationTimer(deps: {
  db: Db;
  clock: Clock;
  intervalMs?: number;
  leaseMs?: number;
  lease?: Lease;
  log?: (line: string) => void;
}): EscalationTimer {
  const intervalMs = deps.intervalMs ?? Math.max(250, Math.min(30_000, realMsFor(60_000, deps.clock)));
  const lease =
    deps.lease ??
    createLease(deps.db, ESCALATION_LEASE, { ttlMs: deps.leaseMs ?? Math.max(3 * intervalMs, 10_000) });
  let leader = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let escalated = 0;

  async function tick(): Promise<string[]> {
    const now = deps.clock.now();
    const due = await deps.db.query<{ id: string }>(
      `SELECT i.id FROM incidents i
        WHERE i.state IN ('open', 'acknowledged', 'dispatched') AND i.sla_due_at <= $1
          AND (i.level <> 'community' OR NOT EXISTS (
                SELECT 1 FROM incident_events e
                 WHERE e.incident_id = i.id AND e.action = 'sla_breach' AND e.at >= i.sla_due_at))
        ORDER BY i.sla_due_at LIMIT ${BATCH}`,
      [now],
    );
    const done: string[] = [];
    for (const { id } of due.rows) {
      const changed = await deps.db.transaction(async (tx) => {
        // Re-check under the lock: a responder or another API instance may have acted meanwhile.
        const row = await lockIncident(tx, id);
        if (!row || !['open', 'acknowledged', 'dispatched'].includes(row.state)) return false;
        if (row.sla_due_at === null || new Date(row.sla_due_at) > now) return false;
        const dueIso = new Date(row.sla_due_at).toISOString();
        const target = nextLevel(row.level);
        if (!target) {
          const breached = await tx.query(
            `SELECT 1 FROM incident_events WHERE incident_id = $1 AND action = 'sla_breach' AND at >= $2`,
            [id, row.sla_due_at],
          );
          if (breached.rowCount > 0) return false;
          await tx.query(
            `INSERT INTO incident_events (incident_id, at, actor, action, from_state, to_state, from_level, to_level, note)
             VALUES ($1, $2, $3, 'sla_breach', $4, $4, $5, $5, $6)`,
            [id, now, SLA_ACTOR, row.state, row.level, `SLA ran out at ${dueIso} at the top level`],
          );
          return true;
        }
        await applyPlan(
          tx,
          row,
          { ok: true, toState: 'open', toLevel: target, deadline: 'ack' },
          {
            actor: SLA_ACTOR,
            action: 'escalate',
            note: `SLA of the ${row.level} level ran out at ${dueIso} while ${row.state}`,
            data: { automatic: true, dueAt: dueIso },
            now,
          },
          { escalated: true },
        );
        return true;
      });
      if (changed) done.push(id);
    }
    escalated += done.length;
    if (done.length) deps.log?.(`escalation: ${done.length} incident(s) past their SLA`);
    return done;
  }

  /** One turn: only the lease holder escalates. */
  async function turn(): Promise<void> {
    const held = await lease.tryHold();
    if (held !== leader)
      deps.log?.(`escalation: ${held ? 'took' : 'lost'} the ${lease.name} lease (${lease.holder})`);
    leader = held;
    if (held) await tick();
  }

  const loop = () => {
    running = turn()
      .catch((err) => deps.log?.(`escalation tick failed: ${(err as Error).message}`))
      .finally(() => {
        if (timer) timer = setTimeout(loop, intervalMs);
      });
  };

  return {
    tick,
    get escalated() {
      return escalated;
    },
    get leader() {
      return leader;
    },
    start() {
      if (timer) return;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      if (leader) await lease.release().catch(() => {});
      leader = false;
    },
  };
}
