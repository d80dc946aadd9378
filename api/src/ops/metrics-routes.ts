import { BinarySchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { routes } from '../openapi/registry.ts';
import type { Readiness } from './health-routes.ts';

/** `GET /metrics`: Prometheus text for admins (scrape with the admin bearer token). */
export function metricsRoutes(deps: {
  readiness: Readiness;
  extraMetrics?: (() => string) | undefined;
}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.get(
    '/metrics',
    {
      summary: 'Prometheus text (admin)',
      tag: 'ops',
      auth: 'required',
      response: BinarySchema,
      responseType: 'text/plain',
    },
    (c) => {
      requireRole(c, 'admin');
      const lines = ['# HELP wardmap_up 1 when the API is ready.', '# TYPE wardmap_up gauge'];
      lines.push(`wardmap_up ${deps.readiness.ready ? 1 : 0}`);
      return c.text(`${lines.join('\n')}\n${deps.extraMetrics?.() ?? ''}`, 200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      });
    },
  );
  return app;
}
