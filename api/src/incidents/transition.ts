import type { Db, Queryable } from '@wardmap/db';
import type { IncidentTransition, Severity } from '@wardmap/geo';
import { HTTPException } from 'hono/http-exception';
import { canSee, loadPrincipal, type Principal } from '../auth/principal.ts';
import { notifyChange } from '../stream/notify.ts';
import { refuseAction } from './permissions.ts';
import { deadlineAfter } from './sla.ts';
import { planTransition, type TransitionPlan } from './state-machine.ts';
import { INCIDENT_COLUMNS, type IncidentRow, incidentArea, incidentView } from './view.ts';

/** Loads one incident row, locking it for the rest of the transaction. */
export async function lockIncident(tx: Queryable, id: string): Promise<IncidentRow | undefined> {
  const res = await tx.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1 FOR UPDATE`,
    [id],
  );
  return res.rows[0];
}

/**
 * Applies a planned transition: updates the incident, records the event (actor, time, note) and
 * queues the change notice, all in the caller's transaction.
 */
export async function applyPlan(
  tx: Queryable,
  row: IncidentRow,
  plan: Extract<TransitionPlan, { ok: true }>,
  event: {
    actor: string;
    action: string;
    note: string | null;
    data: Record<string, unknown> | null;
    now: Date;
  },
  extra: { assigneeId?: string; callbackResult?: string; escalated?: boolean } = {},
): Promise<void> {
  const due = await deadlineAfter(
    tx,
    plan.deadline,
    plan.toLevel,
    row.severity as Severity,
    event.now,
    row.sla_due_at,
  );
  await tx.query(
    `UPDATE incidents SET state = $2, level = $3, sla_due_at = $4, updated_at = $5,
        acknowledged_at = CASE WHEN $2 IN ('acknowledged', 'dispatched') THEN coalesce(acknowledged_at, $5) ELSE acknowledged_at END,
        resolved_at = CASE WHEN $2 = 'resolved' THEN $5 ELSE resolved_at END,
        closed_at = CASE WHEN $2 IN ('closed', 'rejected') THEN $5 ELSE closed_at END,
        assignee_id = coalesce($6, assignee_id),
        callback_result = coalesce($7, callback_result),
        escalations = escalations + $8
      WHERE id = $1`,
    [
      row.id,
      plan.toState,
      plan.toLevel,
      due,
      event.now,
      extra.assigneeId ?? null,
      extra.callbackResult ?? null,
      extra.escalated ? 1 : 0,
    ],
  );
  await tx.query(
    `INSERT INTO incident_events (incident_id, at, actor, action, from_state, to_state, from_level, to_level, note, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.id,
      event.now,
      event.actor,
      event.action,
      row.state,
      plan.toState,
      row.level,
      plan.toLevel,
      event.note,
      event.data === null ? null : JSON.stringify(event.data),
    ],
  );
  await notifyChange(tx, 'incidents', [row.id], event.now);
}

/** Roles that can be sent to an incident on the ground. */
const RESPONDER_ROLES = ['patroller', 'liaison', 'police', 'river_chief'] as const;

/**
 * A work order goes only to someone who can act on it: an active person with a responder role
 * whose own area covers the incident. 400 with the reason otherwise (the same answer for an
 * unknown and an inactive id, so dispatch cannot probe who exists).
 */
async function checkAssignee(tx: Queryable, assigneeId: string, area: ReturnType<typeof incidentArea>) {
  const who = await loadPrincipal(tx, assigneeId);
  const refuse = (why: string) =>
    new HTTPException(400, { message: 'bad_request', cause: `assigneeId: ${why}` });
  if (!who) throw refuse(`no active person ${assigneeId.slice(0, 64)}`);
  if (!RESPONDER_ROLES.some((r) => who.roles.includes(r)))
    throw refuse(`${who.id} has no responder role (${RESPONDER_ROLES.join(', ')})`);
  if (!canSee({ ...who, roles: who.roles.filter((r) => r !== 'admin') }, area))
    throw refuse(`${who.id} does not cover this incident's area`);
}

/**
 * A responder's transition: 404 unknown incident, 403 outside the caller's area, 409 with the
 * reason when the state machine refuses, 400 when a manual escalation gives no reason or a
 * verification no call-back result. Returns the updated incident.
 */
export async function transitionIncident(
  db: Db,
  id: string,
  t: IncidentTransition,
  principal: Principal,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const row = await lockIncident(tx, id);
    if (!row) throw new HTTPException(404, { message: 'not_found', cause: `no incident ${id}` });
    const refusal = refuseAction(principal, { ...incidentArea(row), assigneeId: row.assignee_id }, t.action);
    if (refusal) throw new HTTPException(403, { message: 'forbidden', cause: refusal });
    if (t.action === 'escalate' && !t.note?.trim()) {
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: 'note: a manual escalation needs a reason',
      });
    }
    if (t.action === 'verify' && !t.callback) {
      throw new HTTPException(400, {
        message: 'bad_request',
        cause:
          'callback: verification records the resident call-back (回访) result: satisfied, unsatisfied or unreachable',
      });
    }
    const plan = planTransition(row, t);
    if (!plan.ok) throw new HTTPException(409, { message: 'conflict', cause: plan.reason });
    if (t.action === 'dispatch') await checkAssignee(tx, t.assigneeId, incidentArea(row));
    const data: Record<string, unknown> = {};
    if (t.action === 'dispatch') data.assigneeId = t.assigneeId;
    if (t.action === 'verify' && t.callback) data.callback = t.callback;
    await applyPlan(
      tx,
      row,
      plan,
      {
        actor: principal.id,
        action: t.action,
        note: t.note ?? null,
        data: Object.keys(data).length ? data : null,
        now,
      },
      {
        ...(t.action === 'dispatch' ? { assigneeId: t.assigneeId } : {}),
        ...(t.action === 'verify' && t.callback ? { callbackResult: t.callback.result } : {}),
        escalated: t.action === 'escalate',
      },
    );
    const updated = await tx.query<IncidentRow>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1`,
      [id],
    );
    return incidentView(updated.rows[0]!);
  });
}
