import type { Clock } from '@wardmap/geo';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AuthEnv } from '../auth/middleware.ts';
import { canSee, type Principal } from '../auth/principal.ts';
import type { StoredEvent, StreamHub } from '../stream/hub.ts';

const REPLAY_LIMIT = 2000;

/**
 * `GET /api/stream` (SSE): typed events with numeric ids, filtered by the caller's role and area
 * (anonymous callers get the public stream). `Last-Event-ID` (or `?lastEventId=`) replays what was
 * missed from the persisted log; an id older than the log, or a gap too large to replay, is
 * answered with a `resync` event: re-fetch the snapshot (layers, incidents), then carry on.
 */
export function streamRoutes(deps: { hub: StreamHub; clock: Clock; heartbeatMs?: number }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;

  app.get('/stream', (c) => {
    const principal = c.get('principal');
    // A logged `resync` concerns everyone: it says events may be missing, whatever the area.
    const visible = (e: StoredEvent) =>
      !principal || e.event.type === 'resync' || canSee(principal as Principal, e.area);
    const rawLast = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    return streamSSE(c, async (stream) => {
      const queue: StoredEvent[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      // Subscribe before replaying so nothing committed in between is missed; ids dedupe the overlap.
      const unsubscribe = deps.hub.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      stream.onAbort(() => {
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
        if (Number.isNaN(after)) {
          await resync(
            `Last-Event-ID ${JSON.stringify(rawLast.slice(0, 40))} is not an event id of this stream`,
          );
        } else {
          const { events, oldestId } = await deps.hub.replay(after, REPLAY_LIMIT);
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
    });
  });
  return app;
}
