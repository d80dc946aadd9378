import type { Db } from '@wardmap/db';
import {
  type Clock,
  ComplianceGridQuerySchema,
  CompliancePatrolQuerySchema,
  ComplianceRowSchema,
  ComplianceRulesSchema,
  ComplianceSegmentQuerySchema,
  itemsAtOf,
  systemClock,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { parseQuery, resolveWindow } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
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
  const r = routes(app);
  r.get(
    '/compliance/segments',
    {
      summary: 'River segments with their patrol compliance at now (chiefId, level, status)',
      tag: 'compliance',
      auth: 'required',
      query: ComplianceSegmentQuerySchema,
      response: itemsAtOf(ComplianceRowSchema),
    },
    async (c) => {
      const q = parseQuery(ComplianceSegmentQuerySchema, c.req.query());
      const now = clock.now();
      const items = (await segmentCompliance(deps.db, now)).filter(
        (s) =>
          (!q.chiefId || s.chiefId === q.chiefId) &&
          (!q.level || s.level === q.level) &&
          (!q.status || s.status === q.status),
      );
      return c.json({ at: now.toISOString(), items });
    },
  );
  r.get(
    '/compliance/grids',
    {
      summary: 'Grids with their patrol compliance at now (communityId, status)',
      tag: 'compliance',
      auth: 'required',
      query: ComplianceGridQuerySchema,
      response: itemsAtOf(ComplianceRowSchema),
    },
    async (c) => {
      const q = parseQuery(ComplianceGridQuerySchema, c.req.query());
      const now = clock.now();
      const items = (await gridCompliance(deps.db, now)).filter(
        (g) => (!q.communityId || g.communityId === q.communityId) && (!q.status || g.status === q.status),
      );
      return c.json({ at: now.toISOString(), items });
    },
  );
  r.get(
    '/compliance/alerts',
    {
      summary: 'On-duty patrollers outside their grid',
      tag: 'compliance',
      auth: 'required',
      response: itemsAtOf(ComplianceRowSchema),
    },
    async (c) => {
      const now = clock.now();
      return c.json({ at: now.toISOString(), items: await outsideGridAlerts(deps.db, now) });
    },
  );
  r.get(
    '/compliance/patrols',
    {
      summary: 'Assessed patrols of a window (personId, segmentId, gridId)',
      tag: 'compliance',
      auth: 'required',
      query: CompliancePatrolQuerySchema,
      response: itemsAtOf(ComplianceRowSchema),
    },
    async (c) => {
      const q = parseQuery(CompliancePatrolQuerySchema, c.req.query());
      const now = clock.now();
      const { since, until } = resolveWindow(q, now, 24 * 7);
      const items = await listPatrols(deps.db, now, { ...q, since, until });
      return c.json({ at: now.toISOString(), items });
    },
  );
  r.get(
    '/compliance/rules',
    {
      summary: 'The patrol-frequency rules in force',
      tag: 'compliance',
      auth: 'required',
      response: ComplianceRulesSchema,
    },
    async (c) => c.json(await complianceRules(deps.db)),
  );
  return app;
}
