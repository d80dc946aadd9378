import type { Db } from '@wardmap/db';
import { verifyPassword } from '@wardmap/db';
import { id } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AuthEnv, requirePrincipal } from '../auth/middleware.ts';
import { issueToken, revokeToken } from '../auth/tokens.ts';
import { jsonBody } from '../validate.ts';

/** Body of `POST /api/auth/login`. */
export const LoginSchema = z.object({ id, password: z.string().min(1).max(256) });

/** Answer of a successful login. */
export const LoginResultSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  person: z.object({ id, name: z.string(), roles: z.array(z.string()) }),
});

/** Login (person id + password -> bearer token, stored hashed), logout, and who-am-I. */
export function authRoutes(deps: { db: Db }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post('/auth/login', async (c) => {
    const body = await jsonBody(c, LoginSchema);
    const res = await deps.db.query<{
      id: string;
      name: string;
      roles: string[];
      password_hash: string | null;
    }>('SELECT id, name, roles, password_hash FROM people WHERE id = $1 AND active', [body.id]);
    const person = res.rows[0];
    // One answer for unknown id and wrong password, so ids cannot be probed.
    if (!person || !(await verifyPassword(body.password, person.password_hash))) {
      throw new HTTPException(401, { message: 'unauthorized', cause: 'wrong person id or password' });
    }
    const { token, expiresAt } = await issueToken(deps.db, person.id);
    return c.json({
      token,
      expiresAt: expiresAt.toISOString(),
      person: { id: person.id, name: person.name, roles: person.roles },
    });
  });

  app.post('/auth/logout', async (c) => {
    requirePrincipal(c);
    const token = c.req.header('authorization')?.replace(/^bearer\s+/i, '');
    if (token) await revokeToken(deps.db, token);
    return c.body(null, 204);
  });

  app.get('/auth/me', (c) => c.json(requirePrincipal(c)));

  return app;
}
