import {
  canSee,
  createStreamHub,
  feedScopeOf,
  loadPrincipal,
  type Principal,
  type StoredEvent,
  type StreamHub,
} from '@wardmap/api';
import { type ChangeFeed, type FeedEvent, inFeedScope, outboxFeed } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import {
  adminHeaders,
  buildApp,
  type Cast,
  castOf,
  eventually,
  ingestIncident,
  loginAs,
  type SseFrame,
  sseReader,
} from './workflow-fixtures.ts';

// Per-community reads of the change feed: a hub reads (in SQL) only what its subscribers may see.
// A spy around the real feed records every row the database handed over.

let db: TestDb;
let cast: Cast;
let communityB: string;
const clock = manualClock(new Date('2025-06-01T08:00:00Z'));

beforeAll(async () => {
  db = await openTestDb();
  cast = await castOf(db);
  const r = await db.query<{ community_id: string }>('SELECT community_id FROM police_posts WHERE id = $1', [
    cast.otherPostId,
  ]);
  communityB = r.rows[0]!.community_id;
  expect(communityB).not.toBe(cast.communityId);
});
afterAll(async () => {
  await db?.dispose();
});

/** The real feed, recording what each read fetched; `gate` holds the next live read back. */
function spyFeed() {
  const base = outboxFeed(db);
  const fetched: FeedEvent[] = [];
  let gate: Promise<void> | undefined;
  const feed: ChangeFeed = {
    ...base,
    async readScoped(position, limit, scope, upTo) {
      const held = gate;
      gate = undefined;
      if (held) await held;
      const r = await base.readScoped(position, limit, scope, upTo);
      fetched.push(...r.events);
      return r;
    },
  };
  return {
    feed,
    fetched,
    /** Holds the next read until the returned function is called. */
    hold(): () => void {
      let open!: () => void;
      gate = new Promise<void>((r) => {
        open = r;
      });
      return open;
    },
  };
}

const principal = async (id: string): Promise<Principal> => {
  const p = await loadPrincipal(db, id);
  if (!p) throw new Error(`no principal ${id}`);
  return p;
};

/** Incidents committed as ingest does: each appends an incident and a grid_status event of its community. */
async function incidents(communityId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    ids.push(await ingestIncident(db, { now: clock.now(), communityId }));
  }
  return ids;
}

const incidentIds = (events: readonly StoredEvent[]) =>
  events.flatMap((e) => (e.event.type === 'incident' ? [e.event.incident.id] : []));
const frameIncident = (f: SseFrame) =>
  f.event === 'incident' ? (JSON.parse(f.data) as { incident: { id: string } }).incident.id : undefined;

describe('per-community feed reads', () => {
  it("reads in SQL exactly what canSee lets each caller see (plus resync), for every role's scope", async () => {
    // A synthetic stretch of feed with every mix of area columns the cast's scopes touch.
    const people = [cast.police, cast.otherPolice, cast.patroller, cast.liaison, cast.chief, cast.otherChief];
    const principals = await Promise.all(people.map(principal));
    const values = {
      person_id: [null, ...people],
      community_id: [null, cast.communityId, communityB],
      grid_id: [null, cast.patrollerGridId],
      segment_id: [null, cast.chiefSegmentId, cast.otherSegmentId],
      police_post_id: [null, cast.postId, cast.otherPostId],
    };
    const before = (await outboxFeed(db).bounds()).newest;
    let n = 0;
    for (const person of values.person_id)
      for (const community of values.community_id)
        for (const grid of values.grid_id)
          for (const segment of values.segment_id)
            for (const post of values.police_post_id) {
              n++;
              const type = n % 37 === 0 ? 'resync' : 'incident';
              await db.query(
                `INSERT INTO stream_events (type, at, data, person_id, community_id, grid_id, segment_id, police_post_id)
                 VALUES ($1, now(), $2, $3, $4, $5, $6, $7)`,
                [
                  type,
                  JSON.stringify({ type, at: new Date().toISOString() }),
                  person,
                  community,
                  grid,
                  segment,
                  post,
                ],
              );
            }
    const feed = outboxFeed(db);
    const all = (await feed.readScoped(before, 100_000, null)).events;
    expect(all).toHaveLength(n);
    for (const p of principals) {
      const scope = feedScopeOf(p);
      const { events, through } = await feed.readScoped(before, 100_000, scope);
      const want = all.filter((e) => e.event.type === 'resync' || canSee(p, e.area)).map((e) => e.id);
      expect(
        events.map((e) => e.id),
        p.id,
      ).toEqual(want);
      expect(want.length).toBeLessThan(n);
      expect(all.filter((e) => inFeedScope(scope, e)).map((e) => e.id)).toEqual(want);
      expect(through).toBe(all[all.length - 1]!.id);
    }
    // Paging: `through` stops at the last event returned when the limit is reached.
    const scope = feedScopeOf(principals[0]!);
    const page = await feed.readScoped(before, 3, scope);
    expect(page.events).toHaveLength(3);
    expect(page.through).toBe(page.events[2]!.id);
    // Nothing in scope: the read still moves to the newest position (or to `upTo`).
    const none = await feed.readScoped(before, 1000, {
      personIds: ['nobody'],
      communityIds: [],
      gridIds: [],
      segmentIds: [],
      policePostIds: [],
    });
    expect(none.events.every((e) => e.event.type === 'resync')).toBe(true);
    expect(none.through).toBe(all[all.length - 1]!.id);
    expect((await feed.readScoped(before, 10, null, before + 4)).through).toBe(before + 4);
  });

  it('a hub whose streams are all of community A fetches no event of community B; a B stream joining later gets B from then on, and replays it; an admin widens the read to everything', async () => {
    const spy = spyFeed();
    const hub: StreamHub = createStreamHub({ db, feed: spy.feed, pollMs: 60_000 });
    await hub.start();
    const app = buildApp({ db, clock, stream: hub, heartbeatMs: 200 });
    const open = async (headers: Record<string, string>) => {
      const r = sseReader(await app.request('/api/stream', { headers }));
      await r.next((f) => f.event === 'heartbeat');
      return r;
    };

    // 1. Only a police stream of community A.
    const onA = await open(await loginAs(app, cast.police));
    await hub.idle();
    const fetched0 = spy.fetched.length;
    const read0 = hub.stats().rowsRead;
    const a1 = await incidents(cast.communityId, 3);
    const b1 = await incidents(communityB, 4);
    const a2 = await incidents(cast.communityId, 2);
    await hub.idle();
    const got1 = spy.fetched.slice(fetched0);
    expect(got1.filter((e) => e.area.communityId === communityB)).toEqual([]);
    expect(incidentIds(got1)).toEqual([...a1, ...a2]);
    expect(hub.stats().rowsRead - read0).toBe(got1.length);
    expect(hub.stats().scope).toEqual({ communities: 1 });
    const bRows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stream_events WHERE community_id = $1 AND id > $2`,
      [communityB, Math.min(...got1.map((e) => e.id))],
    );
    expect(bRows.rows[0]!.n).toBeGreaterThanOrEqual(b1.length * 2); // incident + grid_status each
    const seenA = new Set<string>();
    await onA.next((f) => {
      const id = frameIncident(f);
      if (id) seenA.add(id);
      return [...a1, ...a2].every((i) => seenA.has(i));
    });

    // 2. A stream of community B joins: B events from then on, nothing of B from before.
    const onB = await open(await loginAs(app, cast.otherPolice));
    await hub.idle();
    expect(hub.stats().scope).toEqual({ communities: 2 });
    const b2 = await incidents(communityB, 2);
    await hub.idle();
    const seenB: string[] = [];
    await onB.next((f) => {
      const id = frameIncident(f);
      if (id) seenB.push(id);
      return b2.every((i) => seenB.includes(i));
    });
    expect(seenB).toEqual(b2);

    // 3. Resuming on B's stream replays B's events from Last-Event-ID, read in B's scope only.
    const firstB1 = Number(
      (
        await db.query<{ id: string }>(
          `SELECT min(id) AS id FROM stream_events WHERE type = 'incident' AND data->'incident'->>'id' = ANY($1)`,
          [b1],
        )
      ).rows[0]!.id,
    );
    const fetched3 = spy.fetched.length;
    const resumed = sseReader(
      await app.request('/api/stream', {
        headers: { ...(await loginAs(app, cast.otherPolice)), 'last-event-id': String(firstB1 - 1) },
      }),
    );
    const replayedB: string[] = [];
    await resumed.next((f) => {
      const id = frameIncident(f);
      if (id) replayedB.push(id);
      return [...b1, ...b2].every((i) => replayedB.includes(i));
    });
    expect(replayedB).toEqual([...b1, ...b2]);
    const ids = resumed.seen.filter((f) => f.id).map((f) => Number(f.id));
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    // Nothing was committed meanwhile, so every row fetched since is the replay's: none of A.
    const replayRead = spy.fetched.slice(fetched3);
    expect(incidentIds(replayRead)).toEqual([...b1, ...b2]);
    expect(replayRead.filter((e) => e.area.communityId === cast.communityId)).toEqual([]);
    await resumed.close();

    // 4. An admin stream widens the hub's read to the whole feed.
    const onAdmin = await open(adminHeaders);
    await hub.idle();
    expect(hub.stats().scope).toBe('all');
    const fetched4 = spy.fetched.length;
    const b3 = await incidents(communityB, 1);
    const a3 = await incidents(cast.communityId, 1);
    await hub.idle();
    expect(incidentIds(spy.fetched.slice(fetched4))).toEqual([...b3, ...a3]);
    const seenAdmin: string[] = [];
    await onAdmin.next((f) => {
      const id = frameIncident(f);
      if (id) seenAdmin.push(id);
      return seenAdmin.includes(a3[0]!);
    });
    expect(seenAdmin).toEqual([...b3, ...a3]);

    // 5. The admin leaves: the read narrows again to A and B.
    await onAdmin.close();
    await onA.close();
    await eventually(async () => hub.stats().subscribers === 1);
    await hub.idle();
    const fetched5 = spy.fetched.length;
    await incidents(cast.communityId, 1);
    const b4 = await incidents(communityB, 1);
    await hub.idle();
    expect(hub.stats().scope).toEqual({ communities: 1 });
    expect(incidentIds(spy.fetched.slice(fetched5))).toEqual(b4);
    await onB.close();
    await hub.stop();
  });

  it("a subscriber joining while a narrower read is in flight still gets its scope's events from its joining position, once and in order", async () => {
    const spy = spyFeed();
    const hub = createStreamHub({ db, feed: spy.feed, pollMs: 60_000 });
    await hub.start();
    const scopeA = feedScopeOf(await principal(cast.police));
    const scopeB = feedScopeOf(await principal(cast.otherPolice));
    const toA: StoredEvent[] = [];
    const toB: StoredEvent[] = [];
    const unA = hub.subscribe((e) => toA.push(e), scopeA);
    await hub.idle();

    // The next live read (scope A only) is held; B's events and A's are committed meanwhile.
    const release = spy.hold();
    const turn = hub.idle();
    const b1 = await incidents(communityB, 2);
    const a1 = await incidents(cast.communityId, 2);
    // B subscribes now: its position is before b1, but the held read runs with A's filter and will
    // move the hub past b1.
    const unB = hub.subscribe((e) => toB.push(e), scopeB);
    release();
    await turn;
    await hub.idle();
    const b2 = await incidents(communityB, 1);
    await hub.idle();

    expect(incidentIds(toB)).toEqual([...b1, ...b2]);
    const ids = toB.map((e) => e.id);
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    expect(incidentIds(toA)).toEqual(a1);
    // The held read fetched no B event; B's came from its own catch-up read and the live reads after.
    expect(toA.some((e) => e.area.communityId === communityB)).toBe(false);
    unA();
    unB();
    await hub.stop();
  });
});
