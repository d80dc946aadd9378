import { type Db, hashPassword, mosquittoPasswordHash, upsertPeople } from '@wardmap/db';
import { PersonSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { jsonBody } from '../http/validate.ts';
import { foreignKeyReason } from '../reference/errors.ts';

/**
 * People (admin): create or update with a password that serves both API login (scrypt) and the
 * MQTT broker (Mosquitto's $7$ format, for `npm run mosquitto:acl`); list; deactivate.
 */
export function peopleRoutes(deps: { db: Db }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post('/people', async (c) => {
    requireRole(c, 'admin');
    const body = await jsonBody(c, PersonSchema);
    const [passwordHash, mqttHash] = await Promise.all([
      hashPassword(body.password),
      mosquittoPasswordHash(body.password),
    ]);
    const existed = await deps.db.transaction(async (tx) => {
      const before = await tx.query('SELECT 1 FROM people WHERE id = $1', [body.id]);
      await upsertPeople(tx, [
        {
          id: body.id,
          name: body.name,
          roles: body.roles,
          phone: body.phone,
          gridId: body.gridId,
          organisationId: body.organisationId,
          policePostId: body.policePostId,
          passwordHash,
        },
      ]).catch(foreignKeyReason);
      await tx.query('UPDATE people SET mqtt_password_hash = $2, active = true WHERE id = $1', [
        body.id,
        mqttHash,
      ]);
      // A new password ends every session of the old one.
      await tx.query('DELETE FROM api_tokens WHERE person_id = $1', [body.id]);
      return before.rowCount > 0;
    });
    const { password: _, ...view } = body;
    return c.json(view, existed ? 200 : 201);
  });

  app.get('/people', async (c) => {
    requireRole(c, 'admin');
    const res = await deps.db.query(
      `SELECT id, name, roles, phone, grid_id AS "gridId", organisation_id AS "organisationId",
              police_post_id AS "policePostId", active FROM people ORDER BY id LIMIT 5000`,
    );
    return c.json({ items: res.rows });
  });

  app.delete('/people/:id', async (c) => {
    requireRole(c, 'admin');
    const id = c.req.param('id');
    const res = await deps.db.transaction(async (tx) => {
      await tx.query('DELETE FROM api_tokens WHERE person_id = $1', [id]);
      return tx.query('UPDATE people SET active = false WHERE id = $1', [id]);
    });
    if (res.rowCount === 0) throw new HTTPException(404, { message: 'not_found', cause: `no person ${id}` });
    return c.body(null, 204);
  });

  return app;
}
