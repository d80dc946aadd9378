import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ApiLimits } from './limits.ts';

const badRequest = (reason: string) => new HTTPException(400, { message: 'bad_request', cause: reason });

const LIMIT_VARIABLE: Record<string, string> = {
  'a request body': 'WARDMAP_MAX_BODY_BYTES',
  'an import': 'WARDMAP_MAX_IMPORT_BYTES',
  'a photo': 'WARDMAP_PHOTO_MAX_BYTES',
};

/** Routes whose body is not JSON: image bytes, checked by their own route (type by magic bytes). */
const BINARY_BODY_PATHS = new Set(['/api/photos']);

/**
 * Caps request bodies before anything reads them: `limits.bodyBytes` everywhere, the larger
 * `limits.importBodyBytes` on `POST /api/import` (bulk GeoJSON) and `photoBytes` on `POST /api/photos`. 413 with the limit as the reason.
 */
export function limitBodies(limits: ApiLimits, photoBytes: number): MiddlewareHandler {
  const tooLarge = (max: number, what: string) =>
    bodyLimit({
      maxSize: max,
      onError: (c) =>
        c.json(
          {
            error: 'payload_too_large',
            reason: `${what} is limited to ${max} bytes (${LIMIT_VARIABLE[what]})`,
          },
          413,
        ),
    });
  const normal = tooLarge(limits.bodyBytes, 'a request body');
  const bulk = tooLarge(limits.importBodyBytes, 'an import');
  const photo = tooLarge(photoBytes, 'a photo');
  return (c, next) =>
    c.req.path === '/api/import'
      ? bulk(c, next)
      : c.req.path === '/api/photos'
        ? photo(c, next)
        : normal(c, next);
}

/** Whether any string (or key) inside parsed JSON holds U+0000. */
function holdsNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => holdsNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || holdsNul(x, depth + 1));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses what PostgreSQL would choke on, with a reason instead of a 500: U+0000 in the URL or in
 * a body (text columns cannot hold it), bodies that are not UTF-8, and bodies that are not JSON
 * (415): every Wardmap write but a photo upload takes `application/json`.
 */
export function guardRequests(): MiddlewareHandler {
  return async (c, next) => {
    if (/%00/i.test(c.req.url)) throw badRequest('the URL contains U+0000');
    const writes = c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH';
    if (writes && !BINARY_BODY_PATHS.has(c.req.path)) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length > 0) {
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json' && !type.endsWith('+json')) {
          throw new HTTPException(415, {
            message: 'unsupported_media_type',
            cause: `Content-Type must be application/json, not ${JSON.stringify(type.slice(0, 80) || 'none')}`,
          });
        }
        let text: string;
        try {
          text = UTF8.decode(bytes);
        } catch {
          throw badRequest('the body is not valid UTF-8');
        }
        if (text.includes('\u0000')) throw badRequest('the body contains U+0000');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined; // the route answers malformed JSON with its own reason
        }
        if (holdsNul(json)) throw badRequest('a value in the body contains U+0000');
      }
    }
    await next();
  };
}
