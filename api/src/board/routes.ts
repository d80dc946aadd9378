import type { Db } from '@wardmap/db';
import { type Clock, id } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AuthEnv, forbidden, requireRole } from '../auth/middleware.ts';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { jsonBody } from '../http/validate.ts';
import { INCIDENT_COLUMNS, type IncidentRow, incidentView } from '../incidents/view.ts';

/** Body of `POST /api/board/:postId/handover`: a shift handover note tied to open incidents. */
export const HandoverNoteSchema = z.object({
  note: z.string().trim().min(1).max(4000),
  incidentIds: z.array(id).max(100).default([]),
});

// A patroller counts as on duty with an open patrol or a position fresher than this (clock time).
const ON_DUTY_MS = 30 * 60_000;
// Camera alerts older than this leave the board unless an open incident keeps them there.
const ALERT_WINDOW_MS = 24 * 3600_000;
const OPEN = `('open', 'acknowledged', 'dispatched', 'resolved')`;

/**
 * The police-post board (警务岗): open incidents and alerts in the post's area ordered by SLA
 * deadline, its cameras online/offline, patrollers on duty, and the shift handover log.
 * Police see their own post's board; admins any.
 */
export function boardRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  async function postFor(p: Principal, postId: string) {
    const res = await deps.db.query<{
      id: string;
      name: string;
      community_id: string | null;
      location: [number, number];
    }>(
      'SELECT id, name, community_id, ARRAY[ST_X(geom), ST_Y(geom)] AS location FROM police_posts WHERE id = $1',
      [postId],
    );
    const post = res.rows[0];
    if (!post) throw new HTTPException(404, { message: 'not_found', cause: `no police post ${postId}` });
    if (!isAdmin(p) && p.policePostId !== postId) throw forbidden(`${p.id} is not on duty at ${postId}`);
    return post;
  }

  app.get('/board/:postId', async (c) => {
    const p = requireRole(c, 'police');
    const post = await postFor(p, c.req.param('postId'));
    const now = deps.clock.now();
    const area = [post.id, post.community_id];
    const incidents = await deps.db.query<IncidentRow>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents i
        WHERE (i.police_post_id = $1 OR i.community_id = $2) AND i.state IN ${OPEN}
        ORDER BY i.sla_due_at ASC NULLS LAST, i.created_at LIMIT 5000`,
      area,
    );
    const alerts = await deps.db.query(
      `SELECT a.id, a.camera_id AS "cameraId", a.label, a.score, a.state, a.at, a.snapshot_url AS "snapshotUrl",
              a.incident_id AS "incidentId", i.sla_due_at AS "dueAt", i.state AS "incidentState"
         FROM camera_alerts a
         LEFT JOIN cameras c ON c.id = a.camera_id
         LEFT JOIN incidents i ON i.id = a.incident_id
        WHERE (c.police_post_id = $1 OR a.police_post_id = $1 OR a.community_id = $2)
          AND NOT coalesce(a.false_positive, false)
          AND ((a.state <> 'end' AND a.at >= $3) OR i.state IN ${OPEN})
        ORDER BY i.sla_due_at ASC NULLS LAST, a.at DESC LIMIT 200`,
      [...area, new Date(now.getTime() - ALERT_WINDOW_MS)],
    );
    const cameras = await deps.db.query(
      `SELECT c.id, c.name, c.online, c.last_seen_at AS "lastSeenAt", c.status_changed_at AS "statusChangedAt",
              ARRAY[ST_X(c.geom), ST_Y(c.geom)] AS location, c.heading, c.fov
         FROM cameras c WHERE c.police_post_id = $1 ORDER BY c.online, c.id LIMIT 500`,
      [post.id],
    );
    const patrollers = await deps.db.query(
      `SELECT pe.id, pe.name, pe.grid_id AS "gridId", pos.at AS "lastSeenAt", pos.battery,
              CASE WHEN pos.geom IS NULL THEN NULL ELSE ARRAY[ST_X(pos.geom), ST_Y(pos.geom)] END AS location,
              (SELECT pa.id FROM patrols pa WHERE pa.person_id = pe.id AND pa.status = 'open'
                ORDER BY pa.started_at DESC LIMIT 1) AS "patrolId"
         FROM people pe
         JOIN grids g ON g.id = pe.grid_id
         LEFT JOIN positions pos ON pos.person_id = pe.id
        WHERE 'patroller' = ANY(pe.roles) AND pe.active AND g.community_id = $1
          AND (pos.at >= $2 OR EXISTS (SELECT 1 FROM patrols pa WHERE pa.person_id = pe.id AND pa.status = 'open'))
        ORDER BY pe.id LIMIT 500`,
      [post.community_id, new Date(now.getTime() - ON_DUTY_MS)],
    );
    const handover = await deps.db.query(
      `SELECT h.id::text AS id, h.author_id AS "authorId", pe.name AS "authorName", h.note,
              h.incident_ids AS "incidentIds", h.at
         FROM handover_notes h LEFT JOIN people pe ON pe.id = h.author_id
        WHERE h.police_post_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT 50`,
      [post.id],
    );
    const notesByIncident = new Map<string, string[]>();
    for (const n of handover.rows as { id: string; incidentIds: string[] }[]) {
      for (const iid of n.incidentIds) notesByIncident.set(iid, [...(notesByIncident.get(iid) ?? []), n.id]);
    }
    return c.json({
      post: { id: post.id, name: post.name, communityId: post.community_id, location: post.location },
      at: now.toISOString(),
      // The desk's countdowns follow the server's clock, which the demo may run faster.
      clockSpeed: deps.clock.speed,
      incidents: incidents.rows.map((r) => {
        const view = incidentView(r);
        const overdue = view.dueAt ? new Date(view.dueAt) <= now : false;
        return { ...view, overdue, handoverNoteIds: notesByIncident.get(r.id) ?? [] };
      }),
      alerts: alerts.rows,
      cameras: cameras.rows,
      patrollersOnDuty: patrollers.rows,
      handover: handover.rows,
    });
  });

  app.post('/board/:postId/handover', async (c) => {
    const p = requireRole(c, 'police');
    const post = await postFor(p, c.req.param('postId'));
    const body = await jsonBody(c, HandoverNoteSchema);
    if (body.incidentIds.length) {
      const found = await deps.db.query<{ id: string }>(
        `SELECT id FROM incidents WHERE id = ANY($1) AND state IN ${OPEN} AND (police_post_id = $2 OR community_id = $3)`,
        [body.incidentIds, post.id, post.community_id],
      );
      const ok = new Set(found.rows.map((r) => r.id));
      const bad = body.incidentIds.filter((i) => !ok.has(i));
      if (bad.length) {
        throw new HTTPException(400, {
          message: 'bad_request',
          cause: `incidentIds: ${bad.join(', ')} not open incidents of ${post.id}`,
        });
      }
    }
    const res = await deps.db.query(
      `INSERT INTO handover_notes (police_post_id, author_id, note, incident_ids, at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id::text AS id, author_id AS "authorId", note, incident_ids AS "incidentIds", at`,
      [post.id, p.id, body.note, body.incidentIds, deps.clock.now()],
    );
    return c.json(res.rows[0], 201);
  });

  return app;
}
