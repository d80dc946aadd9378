import { bboxParam, formatZodError, timestamp } from '@wardmap/geo';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

// Query strings arrive as text: epoch milliseconds become numbers so the shared timestamp schema
// accepts them like it does in JSON bodies.
const instant = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), timestamp);

const intBetween = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label} must be an integer` })
      .int({ error: `${label} must be an integer` })
      .min(min, { error: `${label} must be at least ${min}` })
      .max(max, { error: `${label} must be at most ${max}` }),
  );

/** Parses a query object with a schema; a 400 naming the bad parameter otherwise. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const res = schema.safeParse(query);
  if (!res.success)
    throw new HTTPException(400, { message: 'bad_request', cause: `query: ${formatZodError(res.error)}` });
  return res.data;
}

/** Shared list parameters: a time window and a row cap (every list endpoint is bounded). */
export const windowQuery = (maxLimit: number, defaultLimit: number) =>
  z.object({
    since: instant.optional(),
    until: instant.optional(),
    limit: intBetween('limit', 1, maxLimit).default(defaultLimit),
  });

/** Layer query: window, bbox and an optional zoom (hex bins for check-ins below the raw zoom). */
export const layerQuery = windowQuery(20_000, 5_000).extend({
  bbox: bboxParam.optional(),
  zoom: intBetween('zoom', 0, 22).optional(),
});

export const tileQuery = z.object({ since: instant.optional(), until: instant.optional() });

/** Resolves since/until against the clock: default the last `defaultHours`; since must precede until. */
export function resolveWindow(
  q: { since?: string | undefined; until?: string | undefined },
  now: Date,
  defaultHours = 24,
): { since: Date; until: Date } {
  const until = q.until ? new Date(q.until) : now;
  const since = q.since ? new Date(q.since) : new Date(until.getTime() - defaultHours * 3_600_000);
  if (since > until)
    throw new HTTPException(400, { message: 'bad_request', cause: 'query: since must not be after until' });
  return { since, until };
}
