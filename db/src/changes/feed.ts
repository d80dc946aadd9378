import {
  buildChangeNotices,
  type ChangeKind,
  type ChangeNotice,
  ChangeNoticeSchema,
  encodeChangeNotice,
  parseOrReason,
  type StreamEvent,
} from '@wardmap/geo';
import type { Db, Queryable } from '../types.ts';
import { buildEvents, type EventDraft } from './events.ts';

/**
 * The one NOTIFY channel of Wardmap's writers (ingest and the API). A notification is only a
 * wake-up and a cache hint: what happened is in the change feed (`stream_events`), written in the
 * writer's transaction, so a listener that missed a notification loses nothing.
 */
export const CHANGES_CHANNEL = 'wardmap_changes';

/**
 * Advisory lock a writer holds from appending to the feed until its commit. Feed positions come
 * from a sequence, which hands out numbers at insert time, not in commit order; with this lock the
 * two agree, so a reader that has seen position N can never later find a committed N-1 (a reader
 * moving past a number that is still in flight would skip that event forever). The lock covers
 * only the last insert and the commit of each transaction, not the batch's work.
 */
export const FEED_APPEND_LOCK = 0x77666565;

/** Kinds that become stream events (check-ins travel as positions; dead letters are not streamed). */
export const EVENT_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'positions',
  'camera_alerts',
  'incidents',
  'cameras',
  'patrols',
  'river_reports',
]);

/** Ids read (and events inserted) per statement. */
const CHUNK = 2000;

/** What one transaction changed, per kind. */
export interface ChangeGroup {
  kind: ChangeKind;
  ids: readonly string[];
  /** Extent of the changed rows (tile invalidation), when they have locations. */
  bbox?: [number, number, number, number];
  /** Changes counted but not named: the feed cannot build events for them and logs a `resync`. */
  unlisted?: number;
}

/** The area an event lies in: what the per-caller filter of the stream reads. */
export interface FeedArea {
  personId: string | null;
  communityId: string | null;
  gridId: string | null;
  segmentId: string | null;
  policePostId: string | null;
}

/** One event of the feed; `id` is its position, which is also the SSE event id. */
export interface FeedEvent {
  id: number;
  event: StreamEvent;
  area: FeedArea;
}

/**
 * Which events a reader wants, by area: an event is in the scope when it is a `resync` (those
 * concern everyone) or one of its area columns is in the matching list. The SQL counterpart of the
 * API's per-caller `canSee` (a caller's scope holds their own id, communities, grid, river
 * segments and police post); `null` instead of a scope means the whole feed.
 */
export interface FeedScope {
  personIds: readonly string[];
  communityIds: readonly string[];
  gridIds: readonly string[];
  segmentIds: readonly string[];
  policePostIds: readonly string[];
}

/** The scope nobody is in: only `resync` events. */
export const EMPTY_FEED_SCOPE: FeedScope = {
  personIds: [],
  communityIds: [],
  gridIds: [],
  segmentIds: [],
  policePostIds: [],
};

/** The union of scopes (`null`, the whole feed, absorbs everything). */
export function unionFeedScopes(scopes: Iterable<FeedScope | null>): FeedScope | null {
  const sets = {
    personIds: new Set<string>(),
    communityIds: new Set<string>(),
    gridIds: new Set<string>(),
    segmentIds: new Set<string>(),
    policePostIds: new Set<string>(),
  };
  for (const s of scopes) {
    if (s === null) return null;
    for (const k of Object.keys(sets) as (keyof FeedScope)[]) for (const v of s[k]) sets[k].add(v);
  }
  return {
    personIds: [...sets.personIds].sort(),
    communityIds: [...sets.communityIds].sort(),
    gridIds: [...sets.gridIds].sort(),
    segmentIds: [...sets.segmentIds].sort(),
    policePostIds: [...sets.policePostIds].sort(),
  };
}

/** Whether `e` is in `scope`, exactly as the SQL of {@link ChangeFeed.readScoped} decides it. */
export function inFeedScope(scope: FeedScope | null, e: Pick<FeedEvent, 'event' | 'area'>): boolean {
  if (scope === null || e.event.type === 'resync') return true;
  const a = e.area;
  return (
    (a.personId !== null && scope.personIds.includes(a.personId)) ||
    (a.communityId !== null && scope.communityIds.includes(a.communityId)) ||
    (a.gridId !== null && scope.gridIds.includes(a.gridId)) ||
    (a.segmentId !== null && scope.segmentIds.includes(a.segmentId)) ||
    (a.policePostId !== null && scope.policePostIds.includes(a.policePostId))
  );
}

/** What {@link ChangeFeed.readScoped} returns: the events, and how far the read is complete. */
export interface ScopedRead {
  events: FeedEvent[];
  /**
   * Every event of the scope up to this position has been returned (the last event's id when
   * `limit` was reached, else the feed's newest position, or `upTo`): the next read starts here.
   */
  through: number;
}

/** How much of the feed is kept: at most `rows` rows and nothing older than `maxAgeMs`. */
export interface FeedRetention {
  rows: number;
  maxAgeMs: number;
}

/** Default retention: 100k events and one hour, whichever is smaller (the newest event always stays). */
export const DEFAULT_FEED_RETENTION: FeedRetention = { rows: 100_000, maxAgeMs: 3_600_000 };

/**
 * The reading side of the change feed, the same for every API process: read from a position,
 * wake up when writers append, prune old positions.
 */
export interface ChangeFeed {
  /** Events after `position`, oldest first, at most `limit`. */
  read(position: number, limit: number): Promise<FeedEvent[]>;
  /**
   * Events after `position` and at most `upTo` (default: the newest committed position) that are in
   * `scope` (`null`: all), oldest first, at most `limit`; the filter runs in the database, so
   * events outside the scope are never fetched. See {@link ScopedRead.through}.
   */
  readScoped(position: number, limit: number, scope: FeedScope | null, upTo?: number): Promise<ScopedRead>;
  /** The oldest kept position (null: the feed is empty) and the newest (0: empty). */
  bounds(): Promise<{ oldest: number | null; newest: number }>;
  /**
   * Calls `onWake` when a writer may have appended (with the notice, when the payload is one);
   * resolves to the unsubscribe function. Wake-ups can be lost (a dropped listening connection):
   * readers also poll.
   */
  wake(onWake: (notice: ChangeNotice | undefined) => void): Promise<() => Promise<void>>;
  /** Deletes what the retention does not keep; returns how many rows. Any process may call it. */
  prune(retention?: FeedRetention): Promise<number>;
}

interface Row {
  id: string | number;
  data: StreamEvent | string;
  person_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  segment_id: string | null;
  police_post_id: string | null;
}

const toEvent = (r: Row): FeedEvent => ({
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

/** Parses a NOTIFY payload of {@link CHANGES_CHANNEL}; a reason instead when it is not a notice. */
export function parseChangeNotice(
  payload: string,
): { ok: true; value: ChangeNotice } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return parseOrReason(ChangeNoticeSchema, json);
}

/** Listens on {@link CHANGES_CHANNEL} for raw payloads (tile caches, tests); resolves to the unsubscribe function. */
export function listenForChanges(db: Db, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  return db.listen(CHANGES_CHANNEL, onPayload);
}

/**
 * Records what a transaction changed, inside that transaction: the stream events (read from the
 * rows as this transaction sees them) are appended to the feed, and one notice per
 * {@link MAX_CHANGE_NOTICE_IDS} ids is queued on {@link CHANGES_CHANNEL} as the wake-up (PostgreSQL
 * delivers NOTIFY only on commit). Call it last, just before the commit: it takes
 * {@link FEED_APPEND_LOCK}, held until the commit. Both ingest's writer and the API's own writes
 * (incident transitions, camera registrations) go through here.
 */
export async function recordChanges(
  tx: Queryable,
  groups: readonly ChangeGroup[],
  at: Date,
  opts: { nextSeq?: () => number } = {},
): Promise<{ notices: number; events: number }> {
  const payloads: string[] = [];
  const drafts: EventDraft[] = [];
  let unlisted = 0;
  const atIso = at.toISOString();
  for (const g of groups) {
    const ids = [...new Set(g.ids)];
    if (ids.length === 0 && !g.unlisted) continue;
    for (const n of buildChangeNotices(g.kind, ids, at, {
      ...(opts.nextSeq ? { nextSeq: opts.nextSeq } : {}),
      ...(g.bbox ? { bbox: g.bbox } : {}),
      unlisted: g.unlisted ?? 0,
    }))
      payloads.push(encodeChangeNotice(n));
    if (!EVENT_KINDS.has(g.kind)) continue;
    unlisted += g.unlisted ?? 0;
    for (let i = 0; i < ids.length; i += CHUNK)
      drafts.push(
        ...(await buildEvents(tx, { kind: g.kind, ids: ids.slice(i, i + CHUNK), count: 0, at: atIso })),
      );
  }
  if (unlisted > 0)
    drafts.push({
      event: { type: 'resync', at: atIso, reason: `${unlisted} changes were announced without their ids` },
    });
  if (drafts.length > 0) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_APPEND_LOCK]);
    for (let i = 0; i < drafts.length; i += CHUNK) await appendEvents(tx, drafts.slice(i, i + CHUNK));
  }
  if (payloads.length > 0)
    await tx.query('SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n', [CHANGES_CHANNEL, payloads]);
  return { notices: payloads.length, events: drafts.length };
}

/** Records one kind of change (the API's single-row writes). */
export function recordChange(
  tx: Queryable,
  kind: ChangeKind,
  ids: readonly string[],
  at: Date,
): Promise<{ notices: number; events: number }> {
  return recordChanges(tx, [{ kind, ids }], at);
}

async function appendEvents(tx: Queryable, drafts: EventDraft[]): Promise<void> {
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
  await tx.query(
    `INSERT INTO stream_events (type, at, data, person_id, community_id, grid_id, segment_id, police_post_id)
     SELECT type, at, data, person_id, community_id, grid_id, segment_id, police_post_id
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (type text, at timestamptz, data jsonb, person_id text,
            community_id text, grid_id text, segment_id text, police_post_id text)) WITH ORDINALITY
            AS r(type, at, data, person_id, community_id, grid_id, segment_id, police_post_id, n)
      ORDER BY n`,
    [JSON.stringify(rows)],
  );
}

/** The change feed on PostgreSQL or PGlite: the `stream_events` outbox, NOTIFY as the wake-up. */
export function outboxFeed(db: Db): ChangeFeed {
  return {
    async read(position, limit) {
      const res = await db.query<Row>(
        `SELECT id, data, person_id, community_id, grid_id, segment_id, police_post_id
           FROM stream_events WHERE id > $1 ORDER BY id LIMIT $2`,
        [position, limit],
      );
      return res.rows.map(toEvent);
    },
    async readScoped(position, limit, scope, upTo) {
      // The newest position and the events up to it come from one statement (one snapshot): the
      // append lock makes position order commit order, so nothing at or below `head` can still
      // commit later, and the reader may move on to `head` even when no row matched.
      const params: unknown[] = [position, limit, upTo ?? null];
      const columns = 's.id, s.data, s.person_id, s.community_id, s.grid_id, s.segment_id, s.police_post_id';
      let rows = `SELECT ${columns} FROM stream_events s WHERE s.id > $1::bigint AND s.id <= h.head ORDER BY s.id LIMIT $2`;
      if (scope !== null) {
        // One branch per area column, each an index range of 0066 (`(col, id)`, partial on `col IS
        // NOT NULL`, spelt out so the planner proves the predicate): the database touches the
        // matching rows only. A single OR over the columns would walk every position after
        // `position` instead (the planner prefers the primary key for ORDER BY id LIMIT; so would a
        // LIMIT inside each branch).
        const branches = [`s.type = 'resync'`];
        for (const [column, values] of [
          ['person_id', scope.personIds],
          ['community_id', scope.communityIds],
          ['grid_id', scope.gridIds],
          ['segment_id', scope.segmentIds],
          ['police_post_id', scope.policePostIds],
        ] as const) {
          if (values.length === 0) continue;
          params.push(values);
          branches.push(`s.${column} IS NOT NULL AND s.${column} = ANY($${params.length}::text[])`);
        }
        const pick = `SELECT m.id FROM (${branches
          .map((b) => `SELECT s.id FROM stream_events s WHERE ${b} AND s.id > $1::bigint AND s.id <= h.head`)
          .join(' UNION ')}) m ORDER BY m.id LIMIT $2`;
        rows = `SELECT ${columns} FROM stream_events s WHERE s.id IN (${pick}) ORDER BY s.id`;
      }
      const res = await db.query<Row & { head: string | number | null; id: string | number | null }>(
        `WITH h AS MATERIALIZED (SELECT least(max(id), coalesce($3::bigint, max(id))) AS head FROM stream_events)
         SELECT h.head, e.id, e.data, e.person_id, e.community_id, e.grid_id, e.segment_id, e.police_post_id
           FROM h LEFT JOIN LATERAL (${rows}) e ON true`,
        params,
      );
      const head = res.rows[0]?.head == null ? position : Number(res.rows[0].head);
      const events = res.rows.filter((r) => r.id !== null).map(toEvent);
      const through = events.length >= limit ? events[events.length - 1]!.id : Math.max(position, head);
      return { events, through };
    },
    async bounds() {
      const r = await db.query<{ oldest: string | null; newest: string | null }>(
        'SELECT min(id) AS oldest, max(id) AS newest FROM stream_events',
      );
      const row = r.rows[0];
      return {
        oldest: row?.oldest == null ? null : Number(row.oldest),
        newest: row?.newest == null ? 0 : Number(row.newest),
      };
    },
    wake(onWake) {
      return db.listen(CHANGES_CHANNEL, (payload) => {
        const n = parseChangeNotice(payload);
        onWake(n.ok ? n.value : undefined);
      });
    },
    async prune(retention = DEFAULT_FEED_RETENTION) {
      const r = await db.query(
        `DELETE FROM stream_events
          WHERE id < (SELECT max(id) FROM stream_events)
            AND (id <= (SELECT max(id) FROM stream_events) - $1
                 OR recorded_at < now() - make_interval(secs => $2::float8 / 1000))`,
        [retention.rows, retention.maxAgeMs],
      );
      return r.rowCount;
    },
  };
}
