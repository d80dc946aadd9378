import type { Queryable } from '@wardmap/db';
import { INCIDENT_COLUMNS, type IncidentRow } from './view.ts';

/** One incident row; undefined when there is none with that id. */
export async function findIncident(q: Queryable, id: string): Promise<IncidentRow | undefined> {
  const res = await q.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1`, [id]);
  return res.rows[0];
}

/** An incident's event history, oldest first (bounded). */
export async function incidentEvents(q: Queryable, id: string): Promise<Record<string, unknown>[]> {
  const res = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, at, actor, action, from_state AS "fromState", to_state AS "toState",
            from_level AS "fromLevel", to_level AS "toLevel", note, data
       FROM incident_events WHERE incident_id = $1 ORDER BY at, id LIMIT 1000`,
    [id],
  );
  return res.rows;
}
