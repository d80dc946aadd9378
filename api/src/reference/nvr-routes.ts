import { type Db, hashPassword, mosquittoPasswordHash } from '@wardmap/db';
import { id } from '@wardmap/geo';
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { jsonBody } from '../http/validate.ts';

/** Body of `POST /api/nvrs`: a Frigate NVR's MQTT identity and the cameras it serves. */
export const NvrSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  password: z.string().min(8).max(256),
  cameraIds: z.array(id).max(1000).default([]),
});

/**
 * Frigate NVRs (admin): the only identities besides admin that may publish `frigate/*`, and only
 * for the cameras assigned here (a camera is Frigate-fed only through an NVR).
 */
export function nvrRoutes(deps: { db: Db }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post('/nvrs', async (c) => {
    requireRole(c, 'admin');
    const body = await jsonBody(c, NvrSchema);
    const [hash, mqttHash] = await Promise.all([
      hashPassword(body.password),
      mosquittoPasswordHash(body.password),
    ]);
    const existed = await deps.db.transaction(async (tx) => {
      const before = await tx.query('SELECT 1 FROM nvrs WHERE id = $1', [body.id]);
      await tx.query(
        `INSERT INTO nvrs (id, name, password_hash, mqtt_password_hash, active) VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
           mqtt_password_hash = excluded.mqtt_password_hash, active = true`,
        [body.id, body.name, hash, mqttHash],
      );
      await tx.query('UPDATE cameras SET nvr_id = NULL WHERE nvr_id = $1 AND NOT (id = ANY($2::text[]))', [
        body.id,
        body.cameraIds,
      ]);
      await tx.query('UPDATE cameras SET nvr_id = $1 WHERE id = ANY($2::text[])', [body.id, body.cameraIds]);
      return before.rowCount > 0;
    });
    const { password: _, ...view } = body;
    return c.json(view, existed ? 200 : 201);
  });
  app.get('/nvrs', async (c) => {
    requireRole(c, 'admin');
    const res = await deps.db.query(
      `SELECT n.id, n.name, n.active,
              coalesce((SELECT array_agg(c.id ORDER BY c.id) FROM cameras c WHERE c.nvr_id = n.id), '{}') AS "cameraIds"
         FROM nvrs n ORDER BY n.id LIMIT 1000`,
    );
    return c.json({ items: res.rows });
  });
  return app;
}
