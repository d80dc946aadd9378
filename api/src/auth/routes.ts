import type { Db, LoginThrottle } from '@wardmap/db';
import { verifyPassword } from '@wardmap/db';
import { LoginResultSchema, LoginSchema, PrincipalViewSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { jsonBody } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { clientAddress } from './client-address.ts';
import { type AuthEnv, requirePrincipal } from './middleware.ts';
import { findLoginCandidate } from './queries.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { tooManyAttempts } from './throttle-response.ts';
import { issueToken, REMEMBER_TTL_MS, revokeToken, TOKEN_TTL_MS } from './tokens.ts';

/**
 * Login (person id + password -> token, stored hashed; also set as the HttpOnly `wardmap_session`
 * cookie for browsers), logout (revokes the token and clears the cookie), and who-am-I.
 */
export function authRoutes(deps: { db: Db; throttle: LoginThrottle }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  r.post(
    '/auth/login',
    {
      summary: 'Log in with person id and password; returns a bearer token (also set as the session cookie)',
      tag: 'auth',
      auth: 'none',
      body: LoginSchema,
      response: LoginResultSchema,
      errors: [401, 429],
    },
    async (c) => {
      const body = await jsonBody(c, LoginSchema);
      const address = clientAddress(c);
      const wait = deps.throttle.retryAfter(body.id, address);
      if (wait > 0) throw tooManyAttempts(wait);
      const person = await findLoginCandidate(deps.db, body.id);
      // One answer, and the same scrypt work, for unknown id and wrong password: ids cannot be probed.
      const ok = await verifyPassword(body.password, person?.password_hash);
      if (!person || !ok) {
        deps.throttle.fail(body.id, address);
        throw new HTTPException(401, { message: 'unauthorized', cause: 'wrong person id or password' });
      }
      deps.throttle.succeed(body.id);
      const ttl = body.remember ? REMEMBER_TTL_MS : TOKEN_TTL_MS;
      const { token, expiresAt } = await issueToken(deps.db, person.id, ttl);
      setSessionCookie(c, token, expiresAt);
      return c.json({
        token,
        expiresAt: expiresAt.toISOString(),
        person: { id: person.id, name: person.name, roles: person.roles },
      });
    },
  );

  r.post(
    '/auth/logout',
    { summary: 'Revoke the current token', tag: 'auth', auth: 'required', status: 204 },
    async (c) => {
      requirePrincipal(c);
      const token = c.get('sessionToken');
      if (token) await revokeToken(deps.db, token);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  r.get(
    '/auth/me',
    {
      summary: 'The caller with their roles and area',
      tag: 'auth',
      auth: 'required',
      response: PrincipalViewSchema,
    },
    (c) => c.json(requirePrincipal(c)),
  );

  return app;
}
