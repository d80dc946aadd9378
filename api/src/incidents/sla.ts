import type { Queryable } from '@wardmap/db';
import type { IncidentLevel, Severity } from '@wardmap/geo';
import type { DeadlineKind } from './state-machine.ts';

// Used when sla_rules lacks a row: an incident must never be left without a deadline.
const FALLBACK = { ack: 30, resolve: 480 };

/** Minutes to acknowledge and to resolve at a level and severity, from `sla_rules`. */
export async function slaMinutes(
  q: Queryable,
  level: IncidentLevel,
  severity: Severity,
): Promise<{ ack: number; resolve: number }> {
  const res = await q.query<{ ack: number; resolve: number }>(
    'SELECT ack_minutes AS ack, resolve_minutes AS resolve FROM sla_rules WHERE level = $1 AND severity = $2',
    [level, severity],
  );
  const row = res.rows[0];
  return row ? { ack: Number(row.ack), resolve: Number(row.resolve) } : FALLBACK;
}

/** The deadline after a transition (`keep`: the current one), computed from the caller's clock time. */
export async function deadlineAfter(
  q: Queryable,
  kind: DeadlineKind,
  level: IncidentLevel,
  severity: Severity,
  now: Date,
  current: Date | string | null,
): Promise<Date | null> {
  if (kind === 'none') return null;
  if (kind === 'keep') return current === null ? null : new Date(current);
  const sla = await slaMinutes(q, level, severity);
  return new Date(now.getTime() + sla[kind] * 60_000);
}
