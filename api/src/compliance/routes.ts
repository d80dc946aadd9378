import type { Db } from '@wardmap/db';
import {
  type Clock,
  ComplianceGridQuerySchema,
  CompliancePatrolQuerySchema,
  ComplianceSegmentQuerySchema,
  systemClock,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { parseQuery, resolveWindow } from '../http/query-params.ts';
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

/**
 * River-chief and grid patrol compliance at the clock's now:
 * `GET /compliance/segments`, `/compliance/grids`, `/compliance/alerts` (on-duty patrollers
 * outside their grid), `/compliance/patrols` (assessed patrols), `/compliance/rules`.
 */
export function complianceRoutes(deps: ComplianceRouteDeps): Hono {
  const clock = deps.clock ?? systemClock;
  const app = new Hono();
  app.get('/compliance/segments', async (c) => {
    const q = parseQuery(ComplianceSegmentQuerySchema, c.req.query());
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
    const q = parseQuery(ComplianceGridQuerySchema, c.req.query());
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
    const q = parseQuery(CompliancePatrolQuerySchema, c.req.query());
    const now = clock.now();
    const { since, until } = resolveWindow(q, now, 24 * 7);
    const items = await listPatrols(deps.db, now, { ...q, since, until });
    return c.json({ at: now.toISOString(), items });
  });
  app.get('/compliance/rules', async (c) => c.json(await complianceRules(deps.db)));
  return app;
}
