import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** Name of the HttpOnly session cookie the dashboard signs in with (EventSource cannot send headers). */
export const SESSION_COOKIE = 'wardmap_session';

/** Header a cookie-authenticated write must carry; a cross-site form or image cannot set it without CORS. */
export const CSRF_HEADER = 'x-wardmap-csrf';

/** Whether the request reached us over https (directly or through a proxy that says so). */
function overHttps(c: Context): boolean {
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Sets `wardmap_session=<token>; HttpOnly; SameSite=Strict; Path=/` (+ `Secure` over https). */
export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: overHttps(c),
    expires: expiresAt,
  });
}

/** Clears the session cookie (logout). */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: overHttps(c) });
}

/** The session token in the cookie, if any. */
export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}
