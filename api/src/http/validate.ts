import { parseOrReason } from '@wardmap/geo';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

/** Validates `data` with a geo schema; a 400 with the one-line reason otherwise. */
export function parseOr400<S extends z.ZodType>(schema: S, data: unknown, what = 'body'): z.output<S> {
  const res = parseOrReason(schema, data);
  if (!res.ok) throw new HTTPException(400, { message: 'bad_request', cause: `${what}: ${res.reason}` });
  return res.value;
}

/** Reads a JSON body and validates it; malformed JSON is a 400 too. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let data: unknown;
  try {
    data = await c.req.json();
  } catch {
    throw new HTTPException(400, { message: 'bad_request', cause: 'body must be JSON' });
  }
  return parseOr400(schema, data);
}
