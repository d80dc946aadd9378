import type { Clock } from '@wardmap/geo';
import { StreamEventSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { streamSSE } from 'hono/streaming';
import { type AuthEnv, requirePrincipal } from '../auth/middleware.ts';
import { canSee, feedScopeOf } from '../auth/principal.ts';
import { routes } from '../openapi/registry.ts';
import type { StoredEvent, StreamHub } from './hub.ts';

const REPLAY_LIMIT = 2000;

/** Counts open streams per identity and in total, so one caller (or a crowd) cannot hold them all. */
export function streamSlots(limits: { perIdentity: number; total: number }) {
  const open = new Map<string, number>();
  let total = 0;
  return {
    /** Takes a slot for `who`, or throws 429 with the limit that was hit; returns the release function. */
    take(who: string): () => void {
      const mine = open.get(who) ?? 0;
      const full =
        mine >= limits.perIdentity
          ? `at most ${limits.perIdentity} open streams per identity`
          : total >= limits.total
            ? `at most ${limits.total} open streams in total`
            : undefined;
      if (full) {
        const res = new Response(
          JSON.stringify({ error: 'too_many_requests', reason: `${full}; close one and retry` }),
          { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '5' } },
        );
        throw new HTTPException(429, { res });
      }
      open.set(who, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (open.get(who) ?? 1) - 1;
        if (left > 0) open.set(who, left);
        else open.delete(who);
      };
    },
    stats: () => ({ total, identities: open.size }),
  };
}

/**
 * `GET /api/stream` (SSE): typed events with numeric ids, filtered by the caller's role and area
 * (signed-in callers only; a bounded number of streams per identity and in total, 429 above).
 * Replays, too, carry only what the caller may see; `Last-Event-ID: 0` (nothing seen yet) gets a
 * `resync` instead of the whole log. `Last-Event-ID` (or `?lastEventId=`) replays what was
 * missed from the persisted log; an id older than the log, or a gap too large to replay, is
 * answered with a `resync` event: re-fetch the snapshot (layers, incidents), then carry on.
 */
export function streamRoutes(deps: {
  hub: StreamHub;
  clock: Clock;
  heartbeatMs?: number;
  limits?: { perIdentity: number; total: number };
}): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const slots = streamSlots(deps.limits ?? { perIdentity: 8, total: 500 });

  r.get(
    '/stream',
    {
      summary: 'Live events (SSE); resumable with Last-Event-ID; filtered by role and area',
      tag: 'stream',
      auth: 'required',
      response: StreamEventSchema,
      responseType: 'text/event-stream',
      errors: [429],
    },
    (c) => {
      const principal = requirePrincipal(c);
      // A logged `resync` concerns everyone: it says events may be missing, whatever the area.
      const visible = (e: StoredEvent) => e.event.type === 'resync' || canSee(principal, e.area);
      // What the hub and the replay read from the feed for this caller (filtered in SQL); `visible`
      // stays the check at the door.
      const scope = feedScopeOf(principal);
      const rawLast = c.req.header('last-event-id') ?? c.req.query('lastEventId');
      const release = slots.take(principal.id);
      return streamSSE(c, async (stream) => {
        try {
          await serve(stream);
        } finally {
          release();
        }
      });

      async function serve(stream: Parameters<Parameters<typeof streamSSE>[1]>[0]) {
        const queue: StoredEvent[] = [];
        let wake: (() => void) | undefined;
        let closed = false;
        // Subscribe before replaying so nothing committed in between is missed; ids dedupe the overlap.
        const unsubscribe = deps.hub.subscribe((e) => {
          queue.push(e);
          wake?.();
        }, scope);
        stream.onAbort(() => {
          release();
          closed = true;
          unsubscribe();
          wake?.();
        });
        await deps.hub.start();
        let lastSent = 0;
        const send = async (e: StoredEvent) => {
          if (e.id <= lastSent) return;
          lastSent = e.id;
          if (visible(e))
            await stream.writeSSE({ id: String(e.id), event: e.event.type, data: JSON.stringify(e.event) });
        };
        const resync = (reason: string) =>
          stream.writeSSE({
            event: 'resync',
            data: JSON.stringify({ type: 'resync', at: deps.clock.now().toISOString(), reason }),
          });

        await stream.writeSSE({
          event: 'heartbeat',
          data: JSON.stringify({ type: 'heartbeat', at: deps.clock.now().toISOString() }),
          retry: 3000,
        });
        if (rawLast !== undefined) {
          const after = /^\d{1,15}$/.test(rawLast) ? Number(rawLast) : Number.NaN;
          if (after === 0) {
            await resync('nothing seen yet: fetch the snapshot, then follow the stream');
          } else if (Number.isNaN(after)) {
            await resync(
              `Last-Event-ID ${JSON.stringify(rawLast.slice(0, 40))} is not an event id of this stream`,
            );
          } else {
            const { events, oldestId } = await deps.hub.replay(after, REPLAY_LIMIT, scope);
            if (oldestId !== null && after < oldestId - 1) {
              await resync(`events after ${after} are no longer kept (oldest kept: ${oldestId})`);
            } else if (events.length === REPLAY_LIMIT) {
              await resync(`more than ${REPLAY_LIMIT} events were missed`);
            } else {
              lastSent = after;
              for (const e of events) await send(e);
            }
          }
        }
        while (!closed) {
          while (queue.length) await send(queue.shift()!);
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, heartbeatMs);
          });
          clearTimeout(timer);
          wake = undefined;
          if (!closed && queue.length === 0) {
            await stream.writeSSE({
              event: 'heartbeat',
              data: JSON.stringify({ type: 'heartbeat', at: deps.clock.now().toISOString() }),
            });
          }
        }
      }
    },
  );
  return app;
}
