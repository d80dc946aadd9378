import type { Db } from '@wardmap/db';
import {
  CameraAlertReadQuerySchema,
  CheckinReadQuerySchema,
  DeadLetterReadQuerySchema,
  EventRowSchema,
  itemsOf,
  RiverReportReadQuerySchema,
} from '@wardmap/geo';
import { Hono } from 'hono';
import { type AuthEnv, requirePrincipal, requireRole } from '../auth/middleware.ts';
import { parseQuery } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { listCameraAlerts, listCheckins, listDeadLetters, listRiverReports } from './queries.ts';

export interface ReadRouteDeps {
  db: Db;
}

/**
 * Raw event reads, newest first, limited to the caller's area, as `{items: [...]}`: `GET /checkins?personId=`,
 * `/camera-alerts?cameraId=`, `/river-reports?segmentId=`, `/dead-letters?since=`.
 */
export function readRoutes(deps: ReadRouteDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.get(
    '/checkins',
    {
      summary: "Check-ins, newest first, in the caller's area (personId, since, until)",
      tag: 'reads',
      auth: 'optional',
      query: CheckinReadQuerySchema,
      response: itemsOf(EventRowSchema),
    },
    async (c) => {
      const q = parseQuery(CheckinReadQuerySchema, c.req.query());
      return c.json({ items: await listCheckins(deps.db, q, requirePrincipal(c)) });
    },
  );
  r.get(
    '/camera-alerts',
    {
      summary: 'Camera alerts (cameraId)',
      tag: 'reads',
      auth: 'optional',
      query: CameraAlertReadQuerySchema,
      response: itemsOf(EventRowSchema),
    },
    async (c) => {
      const q = parseQuery(CameraAlertReadQuerySchema, c.req.query());
      return c.json({ items: await listCameraAlerts(deps.db, q, requirePrincipal(c)) });
    },
  );
  r.get(
    '/river-reports',
    {
      summary: 'River reports (segmentId)',
      tag: 'reads',
      auth: 'optional',
      query: RiverReportReadQuerySchema,
      response: itemsOf(EventRowSchema),
    },
    async (c) => {
      const q = parseQuery(RiverReportReadQuerySchema, c.req.query());
      return c.json({ items: await listRiverReports(deps.db, q, requirePrincipal(c)) });
    },
  );
  r.get(
    '/dead-letters',
    {
      summary: 'Rejected messages with their reasons (admin; since)',
      tag: 'reads',
      auth: 'required',
      query: DeadLetterReadQuerySchema,
      response: itemsOf(EventRowSchema),
    },
    async (c) => {
      // Raw rejected payloads may hold anything anyone sent: admins only.
      requireRole(c, 'admin');
      const q = parseQuery(DeadLetterReadQuerySchema, c.req.query());
      return c.json({ items: await listDeadLetters(deps.db, q) });
    },
  );
  return app;
}
