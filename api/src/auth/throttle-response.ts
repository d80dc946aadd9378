import { HTTPException } from 'hono/http-exception';

/** 429 with `Retry-After` for a throttled sign-in. */
export function tooManyAttempts(retryAfterS: number): HTTPException {
  const res = new Response(
    JSON.stringify({
      error: 'too_many_requests',
      reason: `too many failed sign-ins; try again in ${retryAfterS} s`,
    }),
    { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterS) } },
  );
  return new HTTPException(429, { res });
}
