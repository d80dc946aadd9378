import type { Db } from '@wardmap/db';
import { BinarySchema, type Clock, StatsQuerySchema, StatsSchema, systemClock } from '@wardmap/geo';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { parseQuery } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { queryStats, statsCsv, totalsOf } from './queries.ts';

export interface StatsRouteDeps {
  db: Db;
  clock?: Clock | undefined;
}

/** At most this many buckets per request (a bit over a year of days). */
export const MAX_BUCKETS = 400;

/**
 * `GET /stats` (and `/stats.csv`): per local day or ISO week — check-ins, patrols (valid),
 * incidents by level and state, mean time to acknowledge / close, segment compliance %, cleanup
 * totals from river reports. Default range: the clock's last 7 days.
 */
export function statsRoutes(deps: StatsRouteDeps): Hono {
  const clock = deps.clock ?? systemClock;
  const app = new Hono();
  const r = routes(app);
  const handler = (forceCsv: boolean) => async (c: Context) => {
    const q = parseQuery(StatsQuerySchema, c.req.query());
    const now = clock.now();
    const to = q.to ? new Date(q.to) : now;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
    const span = (to.getTime() - from.getTime()) / ((q.bucket === 'day' ? 1 : 7) * 86_400_000);
    if (span < 0)
      throw new HTTPException(400, { message: 'bad_request', cause: 'query: from must not be after to' });
    if (span > MAX_BUCKETS)
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: `query: at most ${MAX_BUCKETS} ${q.bucket} buckets per request`,
      });
    let items: Awaited<ReturnType<typeof queryStats>>;
    try {
      items = await queryStats(deps.db, { from, to, bucket: q.bucket, tz: q.tz, now });
    } catch (err) {
      // The only input the database can refuse here is an unknown time zone.
      if (/time zone/i.test((err as Error).message))
        throw new HTTPException(400, { message: 'bad_request', cause: `query: unknown time zone ${q.tz}` });
      throw err;
    }
    if (forceCsv || q.format === 'csv') {
      return c.body(statsCsv(items), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="wardmap-stats-${q.bucket}.csv"`,
      });
    }
    return c.json({
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: q.bucket,
      tz: q.tz,
      items,
      totals: totalsOf(items),
    });
  };
  r.get(
    '/stats',
    {
      summary:
        'Per day or ISO week: check-ins, patrols, incidents by level and state, times to acknowledge and close, compliance, cleanup totals (format=csv for CSV)',
      tag: 'stats',
      auth: 'required',
      query: StatsQuerySchema,
      response: StatsSchema,
    },
    handler(false),
  );
  r.get(
    '/stats.csv',
    {
      summary: 'The same statistics as CSV',
      tag: 'stats',
      auth: 'required',
      query: StatsQuerySchema,
      response: BinarySchema,
      responseType: 'text/csv',
    },
    handler(true),
  );
  return app;
}
