import { createHash, randomUUID } from 'node:crypto';
import { type Db, gridAt, nearestPolicePost } from '@wardmap/db';
import type { NewIncident } from '@wardmap/geo';
import { HTTPException } from 'hono/http-exception';
import { notifyChange } from '../stream/notify.ts';
import { slaMinutes } from './sla.ts';
import { INCIDENT_COLUMNS, type IncidentRow, incidentView } from './view.ts';

/** `inc-` + a short stable hash of source and source id, the id scheme ingest uses too. */
export function incidentId(source: string, sourceId: string): string {
  return `inc-${createHash('sha256').update(`${source}:${sourceId}`).digest('hex').slice(0, 12)}`;
}

/**
 * Creates an incident reported by hand. The client's id, namespaced by the reporter, makes a
 * retried upload land on the same row (201 first, 200 after) and can never reach another
 * reporter's incident; grid, community and police post come from the location (a `gridId` that
 * disagrees with it is a 400).
 */
export async function createManualIncident(
  db: Db,
  body: NewIncident,
  reporterId: string,
  now: Date,
): Promise<{ created: boolean; incident: ReturnType<typeof incidentView> }> {
  const sourceId = `${reporterId}:${body.id ?? randomUUID()}`;
  const id = incidentId('manual', sourceId);
  return db.transaction(async (tx) => {
    const grid = await gridAt(tx, body.location);
    if (body.gridId && body.gridId !== grid?.gridId) {
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: `gridId: ${body.gridId.slice(0, 64)} does not contain the location (${grid ? `it lies in ${grid.gridId}` : 'it lies in no grid'})`,
      });
    }
    const post = await nearestPolicePost(tx, body.location);
    const sla = await slaMinutes(tx, body.level, body.severity);
    const inserted = await tx.query(
      `INSERT INTO incidents (id, source, source_id, category, title, description, severity, level, state, geom,
         grid_id, community_id, police_post_id, reported_by, sla_due_at, created_at, updated_at)
       VALUES ($1, 'manual', $2, $3, $4, $5, $6, $7, 'open', ST_SetSRID(ST_MakePoint($8, $9), 4326),
         $10, $11, $12, $13, $14, $15, $15)
       ON CONFLICT (source, source_id) DO NOTHING`,
      [
        id,
        sourceId,
        body.category,
        body.title ?? body.category,
        body.note ?? null,
        body.severity,
        body.level,
        body.location[0],
        body.location[1],
        grid?.gridId ?? null,
        grid?.communityId ?? null,
        post?.policePostId ?? null,
        reporterId,
        new Date(now.getTime() + sla.ack * 60_000),
        now,
      ],
    );
    const created = inserted.rowCount > 0;
    if (created) {
      await tx.query(
        `INSERT INTO incident_events (incident_id, at, actor, action, to_state, to_level, note, data)
         VALUES ($1, $2, $3, 'create', 'open', $4, $5, $6)`,
        [
          id,
          now,
          reporterId,
          body.level,
          body.note ?? null,
          JSON.stringify({ photoUrl: body.photoUrl ?? null }),
        ],
      );
      await notifyChange(tx, 'incidents', [id], now);
    }
    const row = await tx.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1`, [
      id,
    ]);
    return { created, incident: incidentView(row.rows[0]!) };
  });
}
