import type { Db } from '@wardmap/db';
import { type Clock, OverviewQuerySchema, OverviewSchema, systemClock } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { parseQuery } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { queryOverview } from './overview-queries.ts';

/** At most this long a period (a bit over a year), like `/stats`. */
const MAX_DAYS = 400;

/**
 * `GET /overview`: the four-in-one overview for a period (default: the clock's last 7 days) —
 * incidents by level and partner, escalations that reached the community, time to acknowledge and
 * close against the SLA, patrol compliance per block and river segment. `organisationId` gives that
 * partner's own view (its community; its river chiefs' segments).
 */
export function overviewRoutes(deps: { db: Db; clock?: Clock | undefined }): Hono {
  const clock = deps.clock ?? systemClock;
  const app = new Hono();
  const r = routes(app);
  r.get(
    '/overview',
    {
      summary:
        'Four-in-one overview for a period: incidents by level and partner, community escalations, ack/close times vs SLA, patrol compliance per block and segment',
      tag: 'stats',
      auth: 'required',
      query: OverviewQuerySchema,
      response: OverviewSchema,
      errors: [404],
    },
    async (c) => {
      const q = parseQuery(OverviewQuerySchema, c.req.query());
      const now = clock.now();
      const to = q.to ? new Date(q.to) : now;
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
      if (from > to)
        throw new HTTPException(400, { message: 'bad_request', cause: 'query: from must not be after to' });
      if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000)
        throw new HTTPException(400, { message: 'bad_request', cause: `query: at most ${MAX_DAYS} days` });
      const body = await queryOverview(deps.db, { from, to, now, organisationId: q.organisationId ?? null });
      if (!body)
        throw new HTTPException(404, { message: 'not_found', cause: `no organisation ${q.organisationId}` });
      return c.json(body);
    },
  );
  return app;
}
