import type { Db } from '@wardmap/db';
import {
  type Clock,
  IncidentListQuerySchema,
  IncidentTransitionSchema,
  NewIncidentSchema,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requirePrincipal } from '../auth/middleware.ts';
import { canSee } from '../auth/principal.ts';
import { jsonBody, parseOr400 } from '../http/validate.ts';
import { createManualIncident } from './create.ts';
import { listIncidents } from './list.ts';
import { findIncident, incidentEvents } from './queries.ts';
import { transitionIncident } from './transition.ts';
import { incidentArea, incidentView } from './view.ts';

/** Work orders: list, read with history, report by hand, and transitions (the escalation ladder). */
export function incidentRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/incidents', async (c) => {
    const query = parseOr400(IncidentListQuerySchema, c.req.query(), 'query');
    const items = await listIncidents(deps.db, query, c.get('principal'));
    return c.json({ items });
  });

  app.get('/incidents/:id', async (c) => {
    const row = await findIncident(deps.db, c.req.param('id'));
    if (!row)
      throw new HTTPException(404, { message: 'not_found', cause: `no incident ${c.req.param('id')}` });
    const p = c.get('principal');
    if (p && !canSee(p, { ...incidentArea(row), personId: row.reported_by })) {
      throw forbidden(`incident ${row.id} is outside ${p.id}'s area`);
    }
    const events = await incidentEvents(deps.db, row.id);
    return c.json({ ...incidentView(row), events });
  });

  app.post('/incidents', async (c) => {
    const p = requirePrincipal(c);
    const body = await jsonBody(c, NewIncidentSchema);
    const { created, incident } = await createManualIncident(deps.db, body, p.id, deps.clock.now());
    return c.json(incident, created ? 201 : 200);
  });

  app.post('/incidents/:id/transitions', async (c) => {
    const p = requirePrincipal(c);
    const body = await jsonBody(c, IncidentTransitionSchema);
    const incident = await transitionIncident(deps.db, c.req.param('id'), body, p, deps.clock.now());
    return c.json(incident);
  });

  return app;
}
