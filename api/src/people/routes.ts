import { type Db, hashPassword, mosquittoPasswordHash } from '@wardmap/db';
import { PeopleListSchema, PersonSchema, PersonViewSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, requireRole } from '../auth/middleware.ts';
import { jsonBody } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { foreignKeyReason } from '../reference/errors.ts';
import { deactivatePerson, listPeople, savePerson } from './queries.ts';

/**
 * People (admin): create or update with a password that serves both API login (scrypt) and the
 * MQTT broker (Mosquitto's $7$ format, for `npm run mosquitto:acl`); list; deactivate.
 */
export function peopleRoutes(deps: { db: Db }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  r.post(
    '/people',
    {
      summary: 'Create or update a person (admin); password serves API and MQTT',
      tag: 'reference',
      auth: 'required',
      body: PersonSchema,
      response: PersonViewSchema,
      status: 201,
      errors: [409],
    },
    async (c) => {
      requireRole(c, 'admin');
      const body = await jsonBody(c, PersonSchema);
      const [passwordHash, mqttHash] = await Promise.all([
        hashPassword(body.password),
        mosquittoPasswordHash(body.password),
      ]);
      const existed = await savePerson(
        deps.db,
        {
          id: body.id,
          name: body.name,
          roles: body.roles,
          phone: body.phone,
          gridId: body.gridId,
          organisationId: body.organisationId,
          policePostId: body.policePostId,
        },
        { passwordHash, mqttHash },
      ).catch(foreignKeyReason);
      const { password: _, ...view } = body;
      return c.json(view, existed ? 200 : 201);
    },
  );

  r.get(
    '/people',
    { summary: 'List people (admin)', tag: 'reference', auth: 'required', response: PeopleListSchema },
    async (c) => {
      requireRole(c, 'admin');
      return c.json({ items: await listPeople(deps.db) });
    },
  );

  r.delete(
    '/people/:id',
    {
      summary: 'Deactivate a person (admin)',
      tag: 'reference',
      auth: 'required',
      status: 204,
      errors: [404],
    },
    async (c) => {
      requireRole(c, 'admin');
      const id = c.req.param('id');
      const found = await deactivatePerson(deps.db, id);
      if (!found) throw new HTTPException(404, { message: 'not_found', cause: `no person ${id}` });
      return c.body(null, 204);
    },
  );

  return app;
}
