import {
  type ChangeFeed,
  type Db,
  DEFAULT_FEED_RETENTION,
  type FeedEvent,
  type FeedRetention,
  outboxFeed,
} from '@wardmap/db';

/** Events read from the feed per statement. */
const READ_CHUNK = 2000;

/** A stream event with its feed position: the id clients resume from (in any API process). */
export type StoredEvent = FeedEvent;

export interface StreamHub {
  /** Starts following the change feed from its newest position (idempotent); subscribing also starts it. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Live events in feed order; returns the unsubscribe function. */
  subscribe(onEvent: (e: StoredEvent) => void): () => void;
  /** Feed events after `afterId`, oldest first, at most `limit`; `oldestId` tells whether history was pruned. */
  replay(afterId: number, limit: number): Promise<{ events: StoredEvent[]; oldestId: number | null }>;
  /** Resolves once everything committed before the call has been read and delivered (tests, shutdown). */
  idle(): Promise<void>;
  /** Counters for /metrics. */
  stats(): { events: number; subscribers: number; noticeErrors: number; position: number };
}

/**
 * Follows the change feed for one API process. Writers append events to the feed in their own
 * transaction (see `recordChanges` in `@wardmap/db`), so the hub only reads: from the position it
 * has delivered up to, woken by NOTIFY and, because a wake-up can be lost (a dropped listening
 * connection), by a poll every `pollMs`. Every API process runs its own hub over the same feed and
 * delivers the same events with the same ids, so `Last-Event-ID` from one process resumes on
 * another; a crash after a writer's commit loses nothing, the event is already in the feed. Any
 * hub prunes the feed now and then to `retention` (default: 100k events, one hour).
 */
export function createStreamHub(deps: {
  db: Db;
  feed?: ChangeFeed;
  /** Rows kept (shorthand for `retention.rows`). */
  retain?: number;
  retention?: Partial<FeedRetention>;
  pollMs?: number;
  log?: (line: string) => void;
}): StreamHub {
  const feed = deps.feed ?? outboxFeed(deps.db);
  const retention: FeedRetention = {
    ...DEFAULT_FEED_RETENTION,
    ...deps.retention,
    ...(deps.retain === undefined ? {} : { rows: deps.retain }),
  };
  const pollMs = deps.pollMs ?? 1000;
  const listeners = new Set<(e: StoredEvent) => void>();
  let unlisten: (() => Promise<void>) | undefined;
  let starting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let position = 0;
  let chain: Promise<void> = Promise.resolve();
  let again = false;
  let running = false;
  let sincePrune = 0;
  let events = 0;
  let noticeErrors = 0;

  /** Reads and delivers everything after `position`, in chunks, until the feed is caught up. */
  async function catchUp(): Promise<void> {
    for (;;) {
      const batch = await feed.read(position, READ_CHUNK);
      for (const e of batch) {
        position = e.id;
        events++;
        for (const l of listeners) l(e);
      }
      sincePrune += batch.length;
      if (batch.length < READ_CHUNK) break;
    }
    if (sincePrune >= Math.min(500, retention.rows)) {
      sincePrune = 0;
      await feed.prune(retention);
    }
  }

  /** One reader turn at a time; a wake-up during a turn asks for one more. */
  function pull(): Promise<void> {
    if (running) {
      again = true;
      return chain;
    }
    running = true;
    chain = (async () => {
      do {
        again = false;
        try {
          await catchUp();
        } catch (err) {
          noticeErrors++;
          deps.log?.(`stream: reading the change feed failed: ${(err as Error).message}`);
        }
      } while (again);
      running = false;
    })();
    return chain;
  }

  const poll = () => {
    timer = setTimeout(() => {
      pull().finally(() => {
        if (timer) poll();
      });
    }, pollMs);
    timer.unref?.();
  };

  const hub: StreamHub = {
    start() {
      starting ??= (async () => {
        position = (await feed.bounds()).newest;
        unlisten = await feed.wake(() => void pull());
        poll();
      })();
      return starting;
    },
    async stop() {
      await starting?.catch(() => {});
      if (timer) clearTimeout(timer);
      timer = undefined;
      await unlisten?.();
      unlisten = undefined;
      starting = undefined;
      await chain;
    },
    subscribe(onEvent) {
      // The SSE route awaits start() itself and reports a failure there; this only kicks it off.
      hub.start().catch(() => {});
      listeners.add(onEvent);
      return () => listeners.delete(onEvent);
    },
    async replay(afterId, limit) {
      const { oldest } = await feed.bounds();
      return { events: await feed.read(afterId, limit), oldestId: oldest };
    },
    stats: () => ({ events, subscribers: listeners.size, noticeErrors, position }),
    async idle() {
      await starting;
      await chain;
      await pull();
      while (running) await chain;
    },
  };
  return hub;
}
