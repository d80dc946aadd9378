import { formatZodError } from '@wardmap/geo';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

/** Parses a query object with a schema; a 400 naming the bad parameter otherwise. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const res = schema.safeParse(query);
  if (!res.success)
    throw new HTTPException(400, { message: 'bad_request', cause: `query: ${formatZodError(res.error)}` });
  return res.data;
}

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
