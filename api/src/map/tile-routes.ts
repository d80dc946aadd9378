import type { Db } from '@wardmap/db';
import { BinarySchema, type Clock, systemClock, TileQuerySchema, tileCoord } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AuthEnv } from '../auth/middleware.ts';
import { assessAllPending } from '../compliance/patrol-assessment.ts';
import { parseQuery, resolveWindow } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { ALL_AREA, areaOf, areaScope } from './layer-query.ts';
import { LAYERS } from './layers/index.ts';
import { renderTile } from './tiles/render-tile.ts';
import { type TileCache, tileKey } from './tiles/tile-cache.ts';
import { tileResponse } from './tiles/tile-response.ts';

export interface TileRouteDeps {
  db: Db;
  clock?: Clock | undefined;
  /** Shared cache; without one every request renders. */
  tileCache?: TileCache | undefined;
}

/** Features per layer per tile, whatever the zoom: the hard bound behind "no tile is huge". */
export const TILE_FEATURE_LIMIT = 20_000;

/** `GET /tiles/:name/:z/:x/:y.mvt` — Mapbox vector tiles, one layer per URL; 204 when empty. */
export function tileRoutes(deps: TileRouteDeps): Hono<AuthEnv> {
  const clock = deps.clock ?? systemClock;
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.get(
    '/tiles/:name/:z/:x/:file',
    {
      summary: 'A map layer as a Mapbox vector tile; file is <y>.mvt; 204 when empty',
      tag: 'layers',
      auth: 'optional',
      query: TileQuerySchema,
      response: BinarySchema,
      responseType: 'application/vnd.mapbox-vector-tile',
      errors: [404],
    },
    async (c) => {
      const name = c.req.param('name');
      const def = LAYERS.get(name);
      if (!def) throw new HTTPException(404, { message: 'not_found', cause: `unknown layer ${name}` });
      const file = c.req.param('file');
      if (!file.endsWith('.mvt'))
        throw new HTTPException(404, { message: 'not_found', cause: 'tiles are served as <y>.mvt' });
      const res = tileCoord.safeParse({ z: c.req.param('z'), x: c.req.param('x'), y: file.slice(0, -4) });
      if (!res.success)
        throw new HTTPException(400, {
          message: 'bad_request',
          cause: `tile: ${res.error.issues.map((i) => i.message).join('; ')}`,
        });
      const t = res.data;
      const q = parseQuery(TileQuerySchema, c.req.query());
      // A default window moves with the clock: it is cached under "default" and lives for the
      // layer's ttl; explicit windows are part of the key. Personal-data layers are rendered for the
      // caller's area and cached under its scope ('all' for admins), so a tile rendered for one area
      // is never served to a caller of another.
      const area = def.areaScoped ? areaOf(c.get('principal')) : ALL_AREA;
      const window = q.since || q.until ? `${q.since ?? ''}..${q.until ?? ''}` : 'default';
      const key = tileKey(name, t, window, areaScope(area));
      const cached = deps.tileCache?.get(key);
      if (cached !== undefined) return tileResponse(cached, def, 'hit');
      const now = clock.now();
      const { since, until } = resolveWindow(q, now);
      if (def.assessesPatrols) await assessAllPending(deps.db, now);
      const body = await renderTile(deps.db, def, t, {
        now,
        since,
        until,
        limit: def.tileLimit ?? TILE_FEATURE_LIMIT,
        zoom: t.z,
        area,
      });
      deps.tileCache?.set(key, def, t, body);
      return tileResponse(body, def, 'miss');
    },
  );
  return app;
}
