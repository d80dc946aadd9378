import type { Db } from '@wardmap/db';
import { HealthSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { routes } from '../openapi/registry.ts';
import { pingDatabase } from './queries.ts';

/** Shared readiness flag: false until start-up (migrations, demo data, broker) has finished. */
export interface Readiness {
  ready: boolean;
}

/** `GET /api/health`: 200 with backends when ready and the database answers, 503 otherwise. */
export function healthRoutes(deps: {
  db: Db;
  mqttMode: 'embedded' | 'external';
  readiness: Readiness;
}): Hono {
  const app = new Hono();
  const r = routes(app);
  r.get(
    '/health',
    {
      summary: 'Readiness and backends (503 while starting or when the database does not answer)',
      tag: 'ops',
      auth: 'none',
      response: HealthSchema,
      errors: [503],
    },
    async (c) => {
      const body = { db: deps.db.kind, mqtt: deps.mqttMode };
      if (!deps.readiness.ready) return c.json({ status: 'starting', ...body }, 503);
      try {
        await pingDatabase(deps.db);
      } catch (err) {
        return c.json({ status: 'unavailable', ...body, reason: (err as Error).message }, 503);
      }
      return c.json({ status: 'ok', ...body });
    },
  );
  return app;
}
