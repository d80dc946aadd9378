import type { Db } from '@wardmap/db';
import { type Clock, LayerQuerySchema, LayerResponseSchema, systemClock } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AuthEnv } from '../auth/middleware.ts';
import { assessAllPending } from '../compliance/patrol-assessment.ts';
import { parseQuery, resolveWindow } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { ALL_AREA, areaOf, queryLayerFeatures } from './layer-query.ts';
import { LAYERS } from './layers/index.ts';

export interface LayerRouteDeps {
  db: Db;
  clock?: Clock | undefined;
}

/**
 * `GET /layers/:name` — a GeoJSON FeatureCollection, bounded by `bbox`, `limit` (default 5000,
 * at most 20000) and a time window (`since`/`until`, default the clock's last 24 h).
 */
export function layerRoutes(deps: LayerRouteDeps): Hono<AuthEnv> {
  const clock = deps.clock ?? systemClock;
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.get(
    '/layers/:name',
    {
      summary: 'A map layer as a GeoJSON FeatureCollection',
      tag: 'layers',
      auth: 'optional',
      query: LayerQuerySchema,
      response: LayerResponseSchema,
      errors: [404],
    },
    async (c) => {
      const name = c.req.param('name');
      const def = LAYERS.get(name);
      if (!def)
        throw new HTTPException(404, {
          message: 'not_found',
          cause: `unknown layer ${name}; layers: ${[...LAYERS.keys()].join(', ')}`,
        });
      const q = parseQuery(LayerQuerySchema, c.req.query());
      const now = clock.now();
      const { since, until } = resolveWindow(q, now);
      if (def.assessesPatrols) await assessAllPending(deps.db, now);
      const features = await queryLayerFeatures(deps.db, def, q.bbox ?? null, {
        now,
        since,
        until,
        limit: q.limit,
        zoom: q.zoom ?? -1,
        // Personal-data layers only show the caller's area (admins: all).
        area: def.areaScoped ? areaOf(c.get('principal')) : ALL_AREA,
      });
      return c.json(
        {
          type: 'FeatureCollection',
          layer: name,
          generatedAt: now.toISOString(),
          window: { since: since.toISOString(), until: until.toISOString() },
          truncated: features.length >= q.limit,
          features,
        },
        200,
        { 'cache-control': 'no-store' },
      );
    },
  );
  return app;
}
