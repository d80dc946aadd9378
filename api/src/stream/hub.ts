import {
  type ChangeFeed,
  type Db,
  DEFAULT_FEED_RETENTION,
  type FeedEvent,
  type FeedRetention,
  type FeedScope,
  inFeedScope,
  outboxFeed,
  unionFeedScopes,
} from '@wardmap/db';

/** Events read from the feed per statement. */
const READ_CHUNK = 2000;

/** A stream event with its feed position: the id clients resume from (in any API process). */
export type StoredEvent = FeedEvent;

export interface StreamHub {
  /** Starts following the change feed from its newest position (idempotent); subscribing also starts it. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Live events in `scope` (default `null`: the whole feed) in feed order, from the hub's position
   * at the call on (the hub reads only the union of its subscribers' scopes); returns the
   * unsubscribe function.
   */
  subscribe(onEvent: (e: StoredEvent) => void, scope?: FeedScope | null): () => void;
  /**
   * Feed events after `afterId` in `scope` (default: all), oldest first, at most `limit`;
   * `oldestId` tells whether history was pruned.
   */
  replay(
    afterId: number,
    limit: number,
    scope?: FeedScope | null,
  ): Promise<{ events: StoredEvent[]; oldestId: number | null }>;
  /** Resolves once everything committed before the call has been read and delivered (tests, shutdown). */
  idle(): Promise<void>;
  /** Counters for /metrics. */
  stats(): HubStats;
}

export interface HubStats {
  /** Events read by the live read and handed to subscribers. */
  events: number;
  /** Rows fetched from the feed by this hub: live reads plus the catch-up of joining subscribers. */
  rowsRead: number;
  subscribers: number;
  noticeErrors: number;
  position: number;
  /** Scope of the last live read: `all`, or the number of communities it was filtered to. */
  scope: 'all' | { communities: number };
}

interface Subscriber {
  onEvent: (e: StoredEvent) => void;
  scope: FeedScope | null;
  /** The hub's position when it subscribed; undefined before the hub knew its position. */
  from: number | undefined;
  /** Joined the live read (after its catch-up). */
  live: boolean;
}

/**
 * Follows the change feed for one API process. Writers append events to the feed in their own
 * transaction (see `recordChanges` in `@wardmap/db`), so the hub only reads: from the position it
 * has delivered up to, woken by NOTIFY and, because a wake-up can be lost (a dropped listening
 * connection), by a poll every `pollMs`. Every API process runs its own hub over the same feed and
 * delivers the same events with the same ids, so `Last-Event-ID` from one process resumes on
 * another; a crash after a writer's commit loses nothing, the event is already in the feed. Any
 * hub prunes the feed now and then to `retention` (default: 100k events, one hour).
 *
 * The hub reads only what its subscribers may see: the union of their scopes, filtered in the
 * database (an admin's stream, scope `null`, makes it read everything; with no subscriber it reads
 * only `resync` events and moves its position to the newest). A subscriber whose scope widens the
 * filter first catches up on its own scope from its joining position (see `admit`).
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
  const subscribers = new Set<Subscriber>();
  let unlisten: (() => Promise<void>) | undefined;
  let starting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  /** Everything in the live scope up to here has been read and delivered; undefined before start. */
  let position: number | undefined;
  let chain: Promise<void> = Promise.resolve();
  let again = false;
  let running = false;
  let sincePrune = 0;
  let events = 0;
  let rowsRead = 0;
  let noticeErrors = 0;
  let lastScope: HubStats['scope'] = 'all';

  /**
   * Subscribers that joined since the last turn first get, from the feed, the events of their scope
   * between their position at joining and the hub's position now (a read of the previous turn,
   * still under the narrower filter, may have moved past them), then join the live read. Each gets
   * everything after its joining position once and in order: the catch-up ends where the live
   * read starts.
   */
  async function admit(at: number): Promise<void> {
    const joining = [...subscribers].filter((s) => !s.live);
    if (joining.length === 0) return;
    const behind = joining.filter((s) => s.from !== undefined && s.from < at);
    if (behind.length > 0) {
      let from = Math.min(...behind.map((s) => s.from!));
      const scope = unionFeedScopes(behind.map((s) => s.scope));
      for (;;) {
        const { events: batch, through } = await feed.readScoped(from, READ_CHUNK, scope, at);
        rowsRead += batch.length;
        for (const e of batch)
          for (const s of behind)
            if (e.id > s.from! && subscribers.has(s) && inFeedScope(s.scope, e)) s.onEvent(e);
        // A failed read later leaves these subscribers waiting, resuming after what they got.
        for (const s of behind) s.from = Math.max(s.from!, through);
        from = through;
        if (batch.length < READ_CHUNK || from >= at) break;
      }
    }
    for (const s of joining) s.live = true;
  }

  /** Reads and delivers everything of the subscribers' scopes after `position`, until caught up. */
  async function catchUp(): Promise<void> {
    if (position === undefined) return;
    await admit(position);
    const live = [...subscribers].filter((s) => s.live);
    const scope = unionFeedScopes(live.map((s) => s.scope));
    lastScope = scope === null ? 'all' : { communities: scope.communityIds.length };
    for (;;) {
      const { events: batch, through } = await feed.readScoped(position, READ_CHUNK, scope);
      rowsRead += batch.length;
      for (const e of batch) {
        events++;
        for (const s of subscribers) if (s.live && inFeedScope(s.scope, e)) s.onEvent(e);
      }
      sincePrune += through - position;
      position = through;
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
    subscribe(onEvent, scope = null) {
      const sub: Subscriber = { onEvent, scope, from: position, live: false };
      subscribers.add(sub);
      // The SSE route awaits start() itself and reports a failure there; this only kicks it off,
      // and the next turn lets the subscriber in.
      hub
        .start()
        .then(() => pull())
        .catch(() => {});
      return () => {
        subscribers.delete(sub);
      };
    },
    async replay(afterId, limit, scope = null) {
      const { oldest } = await feed.bounds();
      const { events: replayed } = await feed.readScoped(afterId, limit, scope);
      return { events: replayed, oldestId: oldest };
    },
    stats: () => ({
      events,
      rowsRead,
      subscribers: subscribers.size,
      noticeErrors,
      position: position ?? 0,
      scope: lastScope,
    }),
    async idle() {
      await starting;
      await chain;
      await pull();
      while (running) await chain;
    },
  };
  return hub;
}
