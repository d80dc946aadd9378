import { HTTPException } from 'hono/http-exception';

/** Turns a foreign-key or check violation into a 409/400 naming what is wrong; rethrows anything else. */
export function foreignKeyReason(err: unknown): never {
  const e = err as { code?: string; detail?: string; message?: string };
  if (e.code === '23503') {
    throw new HTTPException(409, {
      message: 'conflict',
      cause: e.detail ?? e.message ?? 'a referenced row is missing',
    });
  }
  if (e.code === '23514' || e.code === '22023' || e.code === 'XX000') {
    throw new HTTPException(400, { message: 'bad_request', cause: e.message ?? 'invalid value' });
  }
  throw err;
}
