import { timingSafeEqual } from 'node:crypto';
import { type Db, verifyPassword } from '@wardmap/db';
import type { PersonRole } from '@wardmap/geo';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ADMIN_PRINCIPAL, isAdmin, loadPrincipal, type Principal } from './principal.ts';
import { personForToken } from './tokens.ts';

/** Hono environment of routes that read the caller. */
export type AuthEnv = { Variables: { principal: Principal | undefined } };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Identifies the caller from `Authorization`: `Bearer <login token | WARDMAP_ADMIN_TOKEN>` or
 * `Basic <personId:password>` (OwnTracks HTTP mode sends Basic). No header: anonymous. A header
 * that does not identify anyone is a 401 even on public routes, so a client learns its token expired.
 */
export function authenticate(deps: { db: Db; adminToken?: string | undefined }): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    c.set('principal', header ? await identify(deps, header) : undefined);
    await next();
  };
}

async function identify(
  deps: { db: Db; adminToken?: string | undefined },
  header: string,
): Promise<Principal> {
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer' && value) {
    if (deps.adminToken && sameSecret(value, deps.adminToken)) return ADMIN_PRINCIPAL;
    const personId = await personForToken(deps.db, value);
    const principal = personId ? await loadPrincipal(deps.db, personId) : null;
    if (principal) return principal;
    throw new HTTPException(401, { message: 'unauthorized', cause: 'invalid or expired token' });
  }
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (colon > 0 && user === 'admin' && deps.adminToken && sameSecret(password, deps.adminToken)) {
      return ADMIN_PRINCIPAL;
    }
    if (colon > 0) {
      const res = await deps.db.query<{ password_hash: string | null }>(
        'SELECT password_hash FROM people WHERE id = $1 AND active',
        [user],
      );
      if (await verifyPassword(password, res.rows[0]?.password_hash)) {
        const principal = await loadPrincipal(deps.db, user);
        if (principal) return principal;
      }
    }
    throw new HTTPException(401, { message: 'unauthorized', cause: 'wrong user name or password' });
  }
  throw new HTTPException(401, {
    message: 'unauthorized',
    cause: 'Authorization must be "Bearer <token>" or "Basic <credentials>"',
  });
}

/** The caller, or a 401 when the request carries no credentials. */
export function requirePrincipal(c: Context<AuthEnv>): Principal {
  const p = c.get('principal');
  if (!p)
    throw new HTTPException(401, { message: 'unauthorized', cause: 'this endpoint needs a bearer token' });
  return p;
}

/** The caller if they hold one of `roles` (admins always pass); 401 anonymous, 403 otherwise. */
export function requireRole(c: Context<AuthEnv>, ...roles: PersonRole[]): Principal {
  const p = requirePrincipal(c);
  if (isAdmin(p) || roles.some((r) => p.roles.includes(r))) return p;
  throw forbidden(`needs role ${roles.join(' or ')}; you have ${p.roles.join(', ')}`);
}

/** A 403 with its reason. */
export function forbidden(reason: string): HTTPException {
  return new HTTPException(403, { message: 'forbidden', cause: reason });
}
