import type { Db } from '@wardmap/db';
import { id as idSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { type AuthEnv, requirePrincipal, requireRole } from '../auth/middleware.ts';
import { parseQuery, windowQuery } from '../http/query-params.ts';
import { listCameraAlerts, listCheckins, listDeadLetters, listRiverReports } from './queries.ts';

export interface ReadRouteDeps {
  db: Db;
}

// Bounded by `limit` (default 1000, at most 10000) and the optional since/until window.
const base = windowQuery(10_000, 1_000);
// Dead letters carry up to 4 KiB of payload each: at most 1000 per read (~8 MB as text + base64).
const deadLetterQuery = windowQuery(1_000, 100);

/**
 * Raw event reads, newest first, limited to the caller's area, as `{items: [...]}`: `GET /checkins?personId=`,
 * `/camera-alerts?cameraId=`, `/river-reports?segmentId=`, `/dead-letters?since=`.
 */
export function readRoutes(deps: ReadRouteDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/checkins', async (c) => {
    const q = parseQuery(base.extend({ personId: idSchema.optional() }), c.req.query());
    return c.json({ items: await listCheckins(deps.db, q, requirePrincipal(c)) });
  });
  app.get('/camera-alerts', async (c) => {
    const q = parseQuery(base.extend({ cameraId: idSchema.optional() }), c.req.query());
    return c.json({ items: await listCameraAlerts(deps.db, q, requirePrincipal(c)) });
  });
  app.get('/river-reports', async (c) => {
    const q = parseQuery(base.extend({ segmentId: idSchema.optional() }), c.req.query());
    return c.json({ items: await listRiverReports(deps.db, q, requirePrincipal(c)) });
  });
  app.get('/dead-letters', async (c) => {
    // Raw rejected payloads may hold anything anyone sent: admins only.
    requireRole(c, 'admin');
    const q = parseQuery(deadLetterQuery, c.req.query());
    return c.json({ items: await listDeadLetters(deps.db, q) });
  });
  return app;
}
