import type { Db } from '@wardmap/db';
import { BoardSchema, type Clock, HandoverNoteSchema, HandoverNoteViewSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requireRole } from '../auth/middleware.ts';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { jsonBody } from '../http/validate.ts';
import { incidentView } from '../incidents/view.ts';
import { routes } from '../openapi/registry.ts';
import {
  alertsOf,
  camerasOf,
  findPolicePost,
  handoverNotesOf,
  insertHandoverNote,
  openIncidentIdsOf,
  openIncidentsOf,
  patrollersOnDuty,
} from './queries.ts';

// A patroller counts as on duty with an open patrol or a position fresher than this (clock time).
const ON_DUTY_MS = 30 * 60_000;
// Camera alerts older than this leave the board unless an open incident keeps them there.
const ALERT_WINDOW_MS = 24 * 3600_000;

/**
 * The police-post board (警务岗): open incidents and alerts in the post's area ordered by SLA
 * deadline, its cameras online/offline, patrollers on duty, and the shift handover log.
 * Police see their own post's board; admins any.
 */
export function boardRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  async function postFor(p: Principal, postId: string) {
    const post = await findPolicePost(deps.db, postId);
    if (!post) throw new HTTPException(404, { message: 'not_found', cause: `no police post ${postId}` });
    if (!isAdmin(p) && p.policePostId !== postId) throw forbidden(`${p.id} is not on duty at ${postId}`);
    return post;
  }

  r.get(
    '/board/:postId',
    {
      summary:
        'Police-post board: open incidents and alerts by SLA, cameras, patrollers on duty, handover log',
      tag: 'board',
      auth: 'required',
      response: BoardSchema,
      errors: [404],
    },
    async (c) => {
      const p = requireRole(c, 'police');
      const post = await postFor(p, c.req.param('postId'));
      const now = deps.clock.now();
      const incidents = await openIncidentsOf(deps.db, post);
      const alerts = await alertsOf(deps.db, post, new Date(now.getTime() - ALERT_WINDOW_MS));
      const cameras = await camerasOf(deps.db, post.id);
      const patrollers = await patrollersOnDuty(
        deps.db,
        post.community_id,
        new Date(now.getTime() - ON_DUTY_MS),
      );
      const handover = await handoverNotesOf(deps.db, post.id);
      const notesByIncident = new Map<string, string[]>();
      for (const n of handover) {
        for (const iid of n.incidentIds)
          notesByIncident.set(iid, [...(notesByIncident.get(iid) ?? []), n.id]);
      }
      return c.json({
        post: { id: post.id, name: post.name, communityId: post.community_id, location: post.location },
        at: now.toISOString(),
        // The desk's countdowns follow the server's clock, which the demo may run faster.
        clockSpeed: deps.clock.speed,
        incidents: incidents.map((r) => {
          const view = incidentView(r);
          const overdue = view.dueAt ? new Date(view.dueAt) <= now : false;
          return { ...view, overdue, handoverNoteIds: notesByIncident.get(r.id) ?? [] };
        }),
        alerts,
        cameras,
        patrollersOnDuty: patrollers,
        handover,
      });
    },
  );

  r.post(
    '/board/:postId/handover',
    {
      summary: 'Add a shift handover note tied to open incidents',
      tag: 'board',
      auth: 'required',
      body: HandoverNoteSchema,
      response: HandoverNoteViewSchema,
      status: 201,
      errors: [404],
    },
    async (c) => {
      const p = requireRole(c, 'police');
      const post = await postFor(p, c.req.param('postId'));
      const body = await jsonBody(c, HandoverNoteSchema);
      if (body.incidentIds.length) {
        const ok = await openIncidentIdsOf(deps.db, post, body.incidentIds);
        const bad = body.incidentIds.filter((i) => !ok.has(i));
        if (bad.length) {
          throw new HTTPException(400, {
            message: 'bad_request',
            cause: `incidentIds: ${bad.join(', ')} not open incidents of ${post.id}`,
          });
        }
      }
      const note = await insertHandoverNote(deps.db, {
        postId: post.id,
        authorId: p.id,
        note: body.note,
        incidentIds: body.incidentIds,
        at: deps.clock.now(),
      });
      return c.json(note, 201);
    },
  );

  return app;
}
