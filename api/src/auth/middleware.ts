import { timingSafeEqual } from 'node:crypto';
import { type Db, type LoginThrottle, verifyPassword } from '@wardmap/db';
import type { PersonRole } from '@wardmap/geo';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { clientAddress } from './client-address.ts';
import { ADMIN_PRINCIPAL, isAdmin, loadPrincipal, type Principal } from './principal.ts';
import { CSRF_HEADER, sessionCookie } from './session-cookie.ts';
import { tooManyAttempts } from './throttle-response.ts';
import { personForToken } from './tokens.ts';

/** Hono environment of routes that read the caller. */
export type AuthEnv = {
  Variables: {
    principal: Principal | undefined;
    /** The login token the request was authenticated with (Bearer or cookie), for logout. */
    sessionToken: string | undefined;
  };
};

/** The only `/api` routes behind this middleware that answer without a signed-in caller. */
const SIGN_IN_PATHS = new Set(['/api/auth/login']);

/** Methods that change state: a cookie-authenticated one needs the CSRF header. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Identifies the caller and refuses anyone who is not signed in (401). Credentials, in order:
 * `Authorization: Bearer <login token | WARDMAP_ADMIN_TOKEN>`, `Basic <personId:password>`
 * (OwnTracks HTTP mode), or the `wardmap_session` cookie set at login. A cookie-authenticated
 * POST/PUT/PATCH/DELETE must carry `X-Wardmap-CSRF: 1` (403 otherwise): browsers attach cookies to
 * cross-site requests, but cannot add a custom header to them without CORS, which we never enable.
 * `POST /api/auth/login` passes untouched, so a stale cookie never blocks signing in again.
 */
export function authenticate(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (SIGN_IN_PATHS.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (header) {
      c.set('principal', await identify(deps, header, clientAddress(c)));
      const [scheme, value] = header.split(/\s+/, 2);
      if (scheme?.toLowerCase() === 'bearer') c.set('sessionToken', value);
    } else {
      const token = sessionCookie(c);
      if (token) {
        const personId = await personForToken(deps.db, token);
        const principal = personId ? await loadPrincipal(deps.db, personId) : null;
        if (!principal)
          throw new HTTPException(401, {
            message: 'unauthorized',
            cause: 'session expired or signed out; sign in again',
          });
        if (UNSAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== '1') {
          throw forbidden('missing X-Wardmap-CSRF header');
        }
        c.set('principal', principal);
        c.set('sessionToken', token);
      }
    }
    if (!c.get('principal')) {
      throw new HTTPException(401, {
        message: 'unauthorized',
        cause:
          'sign in first: POST /api/auth/login, then send the session cookie or Authorization: Bearer <token>',
      });
    }
    await next();
  };
}

interface AuthDeps {
  db: Db;
  adminToken?: string | undefined;
  /** Failed Basic sign-ins count toward the same limits as API login. */
  throttle: LoginThrottle;
}

async function identify(deps: AuthDeps, header: string, address: string): Promise<Principal> {
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
    if (colon > 0) {
      const wait = deps.throttle.retryAfter(user, address);
      if (wait > 0) throw tooManyAttempts(wait);
    }
    if (colon > 0 && user === 'admin' && deps.adminToken && sameSecret(password, deps.adminToken)) {
      return ADMIN_PRINCIPAL;
    }
    if (colon > 0) {
      const res = await deps.db.query<{ password_hash: string | null }>(
        'SELECT password_hash FROM people WHERE id = $1 AND active',
        [user],
      );
      // Unknown ids run scrypt too (against a dummy hash): same time as a wrong password.
      if (await verifyPassword(password, res.rows[0]?.password_hash)) {
        const principal = await loadPrincipal(deps.db, user);
        if (principal) {
          deps.throttle.succeed(user);
          return principal;
        }
      }
      deps.throttle.fail(user, address);
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
  if (!p) throw new HTTPException(401, { message: 'unauthorized', cause: 'sign in first' });
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
