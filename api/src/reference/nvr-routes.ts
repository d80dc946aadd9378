import { type Db, hashPassword, mosquittoPasswordHash } from '@wardmap/db';
import { itemsOf, NvrListItemSchema, NvrSchema, NvrViewSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { jsonBody } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { listNvrs, saveNvr } from './queries.ts';

/**
 * Frigate NVRs (admin): the only identities besides admin that may publish `frigate/*`, and only
 * for the cameras assigned here (a camera is Frigate-fed only through an NVR).
 */
export function nvrRoutes(deps: { db: Db }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.post(
    '/nvrs',
    {
      summary: 'Create or update a Frigate NVR identity and the cameras it serves (admin)',
      tag: 'reference',
      auth: 'required',
      body: NvrSchema,
      response: NvrViewSchema,
      status: 201,
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, NvrSchema);
      const [hash, mqttHash] = await Promise.all([
        hashPassword(body.password),
        mosquittoPasswordHash(body.password),
      ]);
      const existed = await saveNvr(deps.db, body, { passwordHash: hash, mqttHash });
      const { password: _, ...view } = body;
      return c.json(view, existed ? 200 : 201);
    },
  );
  r.get(
    '/nvrs',
    {
      summary: 'NVRs with the cameras each serves (admin)',
      tag: 'reference',
      auth: 'required',
      response: itemsOf(NvrListItemSchema),
    },
    async (c) => {
      requireRole(c, 'admin');
      return c.json({ items: await listNvrs(deps.db) });
    },
  );
  return app;
}
