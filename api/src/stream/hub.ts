import type { Db } from '@wardmap/db';
import { type ChangeNotice, ChangeNoticeSchema, parseOrReason, type StreamEvent } from '@wardmap/geo';
import type { AreaRef } from '../auth/principal.ts';
import { buildEvents, type EventDraft } from './build-events.ts';
import { CHANGES_CHANNEL } from './notify.ts';

/** Kinds the hub turns into events (check-ins travel as positions; dead letters are not streamed). */
const EVENT_KINDS = new Set<ChangeNotice['kind']>([
  'positions',
  'camera_alerts',
  'incidents',
  'cameras',
  'patrols',
  'river_reports',
]);

/** Ids read (and events inserted) per statement. */
const READ_CHUNK = 2000;

/** A persisted stream event: its id is the SSE id clients resume from. */
export interface StoredEvent {
  id: number;
  event: StreamEvent;
  area: AreaRef;
}

export interface StreamHub {
  /** LISTENs on `wardmap_changes` (idempotent); subscribing also starts it. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Live events after they are persisted; returns the unsubscribe function. */
  subscribe(onEvent: (e: StoredEvent) => void): () => void;
  /** Persisted events after `afterId`, oldest first, at most `limit`; `oldestId` tells whether history was pruned. */
  replay(afterId: number, limit: number): Promise<{ events: StoredEvent[]; oldestId: number | null }>;
  /** Resolves once every notice received so far is persisted and delivered (tests, shutdown). */
  idle(): Promise<void>;
  /** Counters for /metrics. */
  stats(): { events: number; subscribers: number; noticeErrors: number };
}

interface Row {
  id: string | number;
  data: StreamEvent;
  person_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  segment_id: string | null;
  police_post_id: string | null;
}

const toStored = (r: Row): StoredEvent => ({
  id: Number(r.id),
  event: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
  area: {
    personId: r.person_id,
    communityId: r.community_id,
    gridId: r.grid_id,
    segmentId: r.segment_id,
    policePostId: r.police_post_id,
  },
});

/**
 * Turns change notices into persisted, numbered stream events. Events are stored in
 * `stream_events` (not only in memory) so `Last-Event-ID` survives an API restart; the newest
 * `retain` rows are kept and older ids get a `resync` answer. Notices are handled one at a time,
 * so ids follow commit order. One API process should run the hub per database: two would each
 * store every event once.
 */
export function createStreamHub(deps: { db: Db; retain?: number; log?: (line: string) => void }): StreamHub {
  const retain = deps.retain ?? 20_000;
  const listeners = new Set<(e: StoredEvent) => void>();
  let unlisten: (() => Promise<void>) | undefined;
  let starting: Promise<void> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued: string[] = [];
  let running = false;
  let sincePrune = 0;
  let events = 0;
  let noticeErrors = 0;

  /** Parses a NOTIFY payload; a bad one is logged and skipped. */
  function parse(payload: string): ChangeNotice | undefined {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      deps.log?.(`stream: ignoring a notice that is not JSON`);
      return undefined;
    }
    const notice = parseOrReason(ChangeNoticeSchema, json);
    if (!notice.ok) {
      deps.log?.(`stream: ignoring a bad notice: ${notice.reason}`);
      return undefined;
    }
    return notice.value;
  }

  /**
   * Handles every notice that arrived while the previous turn ran, merged per kind (a burst of
   * writer batches becomes one read per kind, not one per notice). A notice that names fewer ids
   * than it counts (a writer from before notices were split) cannot be turned into events: the hub
   * logs a `resync` event so clients re-fetch their snapshot instead of silently missing changes.
   */
  async function handleAll(payloads: string[]): Promise<void> {
    const merged = new Map<ChangeNotice['kind'], { ids: Set<string>; at: string }>();
    const drafts: EventDraft[] = [];
    let unlisted = 0;
    for (const payload of payloads) {
      const n = parse(payload);
      if (!n) continue;
      if (n.count > n.ids.length && EVENT_KINDS.has(n.kind)) unlisted += n.count - n.ids.length;
      const m = merged.get(n.kind) ?? { ids: new Set<string>(), at: n.at };
      for (const id of n.ids) m.ids.add(id);
      if (n.at > m.at) m.at = n.at;
      merged.set(n.kind, m);
    }
    for (const [kind, m] of merged) {
      const ids = [...m.ids];
      for (let i = 0; i < ids.length; i += READ_CHUNK) {
        drafts.push(
          ...(await buildEvents(deps.db, { kind, ids: ids.slice(i, i + READ_CHUNK), count: 0, at: m.at })),
        );
      }
    }
    if (unlisted > 0) {
      const at = [...merged.values()].reduce((a, m) => (m.at > a ? m.at : a), '');
      drafts.push({
        event: { type: 'resync', at, reason: `${unlisted} changes were announced without their ids` },
      });
    }
    if (drafts.length === 0) return;
    const stored: StoredEvent[] = [];
    for (let i = 0; i < drafts.length; i += READ_CHUNK)
      stored.push(...(await persist(drafts.slice(i, i + READ_CHUNK))));
    events += stored.length;
    for (const e of stored) for (const l of listeners) l(e);
    sincePrune += stored.length;
    if (sincePrune >= Math.min(500, retain)) {
      sincePrune = 0;
      await deps.db.query('DELETE FROM stream_events WHERE id <= (SELECT max(id) FROM stream_events) - $1', [
        retain,
      ]);
    }
  }

  /** Runs one turn at a time over everything queued so far, so ids follow commit order. */
  function drain(): void {
    if (running || queued.length === 0) return;
    const batch = queued;
    queued = [];
    running = true;
    chain = handleAll(batch)
      .catch((err) => {
        noticeErrors++;
        deps.log?.(`stream: notice failed: ${(err as Error).message}`);
      })
      .finally(() => {
        running = false;
        drain();
      });
  }

  async function persist(drafts: EventDraft[]): Promise<StoredEvent[]> {
    const rows = drafts.map((d) => ({
      type: d.event.type,
      at: d.event.at,
      data: d.event,
      person_id: d.personId ?? null,
      community_id: d.communityId ?? null,
      grid_id: d.gridId ?? null,
      segment_id: d.segmentId ?? null,
      police_post_id: d.policePostId ?? null,
    }));
    const res = await deps.db.query<Row>(
      `INSERT INTO stream_events (type, at, data, person_id, community_id, grid_id, segment_id, police_post_id)
       SELECT type, at, data, person_id, community_id, grid_id, segment_id, police_post_id
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (type text, at timestamptz, data jsonb, person_id text,
              community_id text, grid_id text, segment_id text, police_post_id text)) WITH ORDINALITY
              AS r(type, at, data, person_id, community_id, grid_id, segment_id, police_post_id, n)
        ORDER BY n
       RETURNING id, data, person_id, community_id, grid_id, segment_id, police_post_id`,
      [JSON.stringify(rows)],
    );
    return res.rows.map(toStored).sort((a, b) => a.id - b.id);
  }

  const hub: StreamHub = {
    start() {
      starting ??= deps.db
        .listen(CHANGES_CHANNEL, (payload) => {
          queued.push(payload);
          drain();
        })
        .then((u) => {
          unlisten = u;
        });
      return starting;
    },
    async stop() {
      await starting;
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
      const oldest = await deps.db.query<{ id: string | null }>('SELECT min(id) AS id FROM stream_events');
      const res = await deps.db.query<Row>(
        `SELECT id, data, person_id, community_id, grid_id, segment_id, police_post_id
           FROM stream_events WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, limit],
      );
      const o = oldest.rows[0]?.id;
      return { events: res.rows.map(toStored), oldestId: o === null || o === undefined ? null : Number(o) };
    },
    stats: () => ({ events, subscribers: listeners.size, noticeErrors }),
    async idle() {
      let seen: Promise<void>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain || running || queued.length > 0);
    },
  };
  return hub;
}
