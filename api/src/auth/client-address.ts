import type { Context } from 'hono';

/**
 * The peer address of the HTTP connection (for per-address throttling). Deliberately not
 * X-Forwarded-For: a client could name any address there. Behind a proxy every caller shares the
 * proxy's address, which only makes the per-address limit stricter.
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
