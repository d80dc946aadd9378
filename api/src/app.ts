import type { Db } from '@wardmap/db';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { healthRoutes, type Readiness } from './routes/health.ts';

export interface AppDeps {
  db: Db;
  /** Whether the MQTT broker is the embedded Aedes or an external one. */
  mqttMode: 'embedded' | 'external';
  /** Flips to ready once migrations, demo data and the broker are up. */
  readiness: Readiness;
  /** Extra Prometheus text (e.g. ingest counters) appended to /metrics. */
  extraMetrics?: () => string;
}

/** Builds the Wardmap HTTP API. `main.ts` serves it; tests call `app.request()`. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.route('/api', healthRoutes(deps));
  app.get('/metrics', (c) => {
    const lines = ['# HELP wardmap_up 1 when the API is ready.', '# TYPE wardmap_up gauge'];
    lines.push(`wardmap_up ${deps.readiness.ready ? 1 : 0}`);
    return c.text(`${lines.join('\n')}\n${deps.extraMetrics?.() ?? ''}`, 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });
  app.notFound((c) =>
    c.json({ error: 'not_found', reason: `no route for ${c.req.method} ${c.req.path}` }, 404),
  );
  // One place shapes every error as JSON with its reason.
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const cause = err.cause instanceof Error ? err.cause.message : err.cause;
      return c.json({ error: err.message || 'error', reason: cause ?? err.message }, err.status);
    }
    console.error('[api] unhandled error', err);
    return c.json({ error: 'internal', reason: 'internal server error' }, 500);
  });
  return app;
}
