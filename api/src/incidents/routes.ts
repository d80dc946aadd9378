import type { Db } from '@wardmap/db';
import {
  type Clock,
  IncidentListQuerySchema,
  IncidentSchema,
  IncidentTransitionSchema,
  IncidentWithHistorySchema,
  itemsOf,
  NewIncidentSchema,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requirePrincipal } from '../auth/middleware.ts';
import { canSee } from '../auth/principal.ts';
import { jsonBody, parseOr400 } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { createManualIncident } from './create.ts';
import { listIncidents } from './list.ts';
import { findIncident, incidentEvents } from './queries.ts';
import { transitionIncident } from './transition.ts';
import { incidentArea, incidentView } from './view.ts';

/** Work orders: list, read with history, report by hand, and transitions (the escalation ladder). */
export function incidentRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  r.get(
    '/incidents',
    {
      summary: "Incidents, newest first; only those in the caller's area",
      tag: 'incidents',
      auth: 'optional',
      query: IncidentListQuerySchema,
      response: itemsOf(IncidentSchema),
    },
    async (c) => {
      const query = parseOr400(IncidentListQuerySchema, c.req.query(), 'query');
      const items = await listIncidents(deps.db, query, c.get('principal'));
      return c.json({ items });
    },
  );

  r.get(
    '/incidents/:id',
    {
      summary: 'One incident with its event history',
      tag: 'incidents',
      auth: 'optional',
      response: IncidentWithHistorySchema,
      errors: [404],
    },
    async (c) => {
      const row = await findIncident(deps.db, c.req.param('id'));
      if (!row)
        throw new HTTPException(404, { message: 'not_found', cause: `no incident ${c.req.param('id')}` });
      const p = c.get('principal');
      if (p && !canSee(p, { ...incidentArea(row), personId: row.reported_by })) {
        throw forbidden(`incident ${row.id} is outside ${p.id}'s area`);
      }
      const events = await incidentEvents(deps.db, row.id);
      return c.json({ ...incidentView(row), events });
    },
  );

  r.post(
    '/incidents',
    {
      summary: 'Report an incident by hand (idempotent by client id)',
      tag: 'incidents',
      auth: 'required',
      body: NewIncidentSchema,
      response: IncidentSchema,
      status: 201,
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, NewIncidentSchema);
      const { created, incident } = await createManualIncident(deps.db, body, p.id, deps.clock.now());
      return c.json(incident, created ? 201 : 200);
    },
  );

  r.post(
    '/incidents/:id/transitions',
    {
      summary:
        'Acknowledge, dispatch, escalate, resolve, verify (with call-back), close, reject, reopen; 409 with the reason when illegal',
      tag: 'incidents',
      auth: 'required',
      body: IncidentTransitionSchema,
      response: IncidentSchema,
      errors: [404, 409],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, IncidentTransitionSchema);
      const incident = await transitionIncident(deps.db, c.req.param('id'), body, p, deps.clock.now());
      return c.json(incident);
    },
  );

  return app;
}
