import { Hono } from 'hono';
import { z } from 'zod';
import { buildOpenApi } from './document.ts';
import { type DocumentedRoute, routes } from './registry.ts';

/**
 * `GET /openapi.json`, built on first request from the routes mounted by then (`mounted()` returns
 * the app's registry, which is complete once `createApp` has returned).
 */
export function openApiRoutes(mounted: () => readonly DocumentedRoute[]): Hono {
  const app = new Hono();
  let doc: ReturnType<typeof buildOpenApi> | undefined;
  routes(app).get(
    '/openapi.json',
    {
      summary: 'This document: every route with its request and response schemas',
      tag: 'ops',
      auth: 'optional',
      response: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }),
    },
    (c) => {
      doc ??= buildOpenApi(mounted());
      return c.json(doc);
    },
  );
  return app;
}
