import type { Db } from '@wardmap/db';
import { type Clock, id as idSchema, systemClock } from '@wardmap/geo';
import { Hono } from 'hono';
import { z } from 'zod';
import { parseQuery, resolveWindow, windowQuery } from '../http/query-params.ts';
import {
  complianceRules,
  gridCompliance,
  listPatrols,
  outsideGridAlerts,
  segmentCompliance,
} from './queries.ts';

export interface ComplianceRouteDeps {
  db: Db;
  clock?: Clock | undefined;
}

const segmentQuery = z.object({
  chiefId: idSchema.optional(),
  level: z.enum(['county', 'township', 'village', 'enterprise']).optional(),
  status: z.enum(['ok', 'due', 'overdue', 'no_rule']).optional(),
});
const gridQuery = z.object({
  communityId: idSchema.optional(),
  status: z.enum(['ok', 'due', 'overdue']).optional(),
});
const patrolQuery = windowQuery(5_000, 500).extend({
  personId: idSchema.optional(),
  segmentId: idSchema.optional(),
  gridId: idSchema.optional(),
});

/**
 * River-chief and grid patrol compliance at the clock's now:
 * `GET /compliance/segments`, `/compliance/grids`, `/compliance/alerts` (on-duty patrollers
 * outside their grid), `/compliance/patrols` (assessed patrols), `/compliance/rules`.
 */
export function complianceRoutes(deps: ComplianceRouteDeps): Hono {
  const clock = deps.clock ?? systemClock;
  const app = new Hono();
  app.get('/compliance/segments', async (c) => {
    const q = parseQuery(segmentQuery, c.req.query());
    const now = clock.now();
    const items = (await segmentCompliance(deps.db, now)).filter(
      (s) =>
        (!q.chiefId || s.chiefId === q.chiefId) &&
        (!q.level || s.level === q.level) &&
        (!q.status || s.status === q.status),
    );
    return c.json({ at: now.toISOString(), items });
  });
  app.get('/compliance/grids', async (c) => {
    const q = parseQuery(gridQuery, c.req.query());
    const now = clock.now();
    const items = (await gridCompliance(deps.db, now)).filter(
      (g) => (!q.communityId || g.communityId === q.communityId) && (!q.status || g.status === q.status),
    );
    return c.json({ at: now.toISOString(), items });
  });
  app.get('/compliance/alerts', async (c) => {
    const now = clock.now();
    return c.json({ at: now.toISOString(), items: await outsideGridAlerts(deps.db, now) });
  });
  app.get('/compliance/patrols', async (c) => {
    const q = parseQuery(patrolQuery, c.req.query());
    const now = clock.now();
    const { since, until } = resolveWindow(q, now, 24 * 7);
    const items = await listPatrols(deps.db, now, { ...q, since, until });
    return c.json({ at: now.toISOString(), items });
  });
  app.get('/compliance/rules', async (c) => c.json(await complianceRules(deps.db)));
  return app;
}
