import { once } from 'node:events';
import { type ApiServices, startApiServices } from '@wardmap/api';
import { systemClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { spawnFeedApi } from './feed-api.ts';
import {
  ADMIN_TOKEN,
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

// Two API processes on one database, both following the change feed. On real PostgreSQL they are
// two Node processes (one is killed with SIGKILL); on embedded PGlite, which one process owns, they
// are two API instances (hub, escalation timer, app) in this process, and the "crash" stops one.

interface ApiNode {
  name: string;
  open(headers?: Record<string, string>): Promise<Response>;
  /** Whether this node holds the escalation lease. */
  leads(): Promise<boolean>;
  crash(): Promise<void>;
  stop(): Promise<void>;
}

let db: TestDb;
let cast: Cast;
const nodes: ApiNode[] = [];
const HOUR = 3_600_000;

async function childNode(name: string, url: string): Promise<ApiNode> {
  const { child, port } = await spawnFeedApi(name, { DATABASE_URL: url, WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN });
  const base = `http://127.0.0.1:${port}`;
  return {
    name,
    open: (headers = {}) => fetch(`${base}/api/stream`, { headers: { ...adminHeaders, ...headers } }),
    async leads() {
      const r = await db.query<{ holder: string }>(
        `SELECT holder FROM leases WHERE name = 'sla-escalation' AND expires_at > now()`,
      );
      return r.rows.some((row) => row.holder.split(':')[1] === String(child.pid));
    },
    async crash() {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function inProcessNode(name: string): Promise<ApiNode> {
  const services: ApiServices = await startApiServices({
    db,
    clock: systemClock,
    escalationIntervalMs: 200,
    escalationLeaseMs: 1500,
    streamPollMs: 500,
  });
  const app: Hono = buildApp({ db, clock: systemClock, stream: services.stream, heartbeatMs: 300 });
  let stopped = false;
  return {
    name,
    open: (headers = {}) =>
      Promise.resolve(app.request('/api/stream', { headers: { ...adminHeaders, ...headers } })),
    leads: () => Promise.resolve(services.escalation.leader),
    async crash() {
      stopped = true;
      await services.stop();
    },
    async stop() {
      if (!stopped) await services.stop();
      stopped = true;
    },
  };
}

beforeAll(async () => {
  db = await openTestDb();
  cast = await castOf(db);
  for (const name of ['api-1', 'api-2'])
    nodes.push(db.url ? await childNode(name, db.url) : await inProcessNode(name));
});
afterAll(async () => {
  for (const n of nodes) await n.stop().catch(() => {});
  await db?.dispose();
});

const incidentOf = (f: SseFrame): string | undefined =>
  f.event === 'incident' ? (JSON.parse(f.data) as { incident: { id: string } }).incident.id : undefined;
const withIds = (frames: SseFrame[]) => frames.filter((f) => f.id !== undefined);

/** Waits until `reader` has seen an incident event for every id in `ids`. */
async function seeAll(reader: ReturnType<typeof sseReader>, ids: readonly string[], timeoutMs = 20_000) {
  const want = new Set(ids);
  for (const f of reader.seen) {
    const id = incidentOf(f);
    if (id) want.delete(id);
  }
  if (want.size === 0) return;
  await reader.next((f) => {
    const id = incidentOf(f);
    if (id) want.delete(id);
    return want.size === 0;
  }, timeoutMs);
}

async function escalations(ids: readonly string[]) {
  const r = await db.query<{ id: string; escalations: number; n: number }>(
    `SELECT i.id, i.escalations,
            (SELECT count(*)::int FROM incident_events e
              WHERE e.incident_id = i.id AND e.action = 'escalate' AND e.actor = 'system:sla') AS n
       FROM incidents i WHERE i.id = ANY($1) ORDER BY i.id`,
    [ids],
  );
  return r.rows;
}

describe(`two API processes on one database (${process.env.DATABASE_URL ? 'PostgreSQL, two Node processes' : 'PGlite, two instances in one process'})`, () => {
  it('serve the same events with the same ids, escalate each overdue incident once, and lose nothing when one crashes', async () => {
    const [a, b] = nodes as [ApiNode, ApiNode];
    const onA = sseReader(await a.open());
    const onB = sseReader(await b.open());
    await onA.next((f) => f.event === 'heartbeat');
    await onB.next((f) => f.event === 'heartbeat');

    // 1. Every event reaches clients on both processes, with the same ids.
    const live: string[] = [];
    for (let i = 0; i < 10; i++)
      live.push(await ingestIncident(db, { now: new Date(), communityId: cast.communityId }));
    await seeAll(onA, live);
    await seeAll(onB, live);

    // 2. Overdue incidents (their deadline ran out an hour ago) are escalated once, by one process.
    const overdue: string[] = [];
    for (let i = 0; i < 6; i++)
      overdue.push(
        await ingestIncident(db, { now: new Date(Date.now() - HOUR), communityId: cast.communityId }),
      );
    await eventually(async () => (await escalations(overdue)).every((r) => r.n >= 1), 20_000);
    await new Promise((r) => setTimeout(r, 1000)); // several more turns of both timers
    expect((await escalations(overdue)).map((r) => [r.escalations, r.n])).toEqual(overdue.map(() => [1, 1]));
    const leaders = [await a.leads(), await b.leads()];
    expect(leaders.filter(Boolean)).toHaveLength(1);

    // 3. The escalation leader crashes while writes go on; its client resumes on the other process.
    const [dead, alive, onDead, onAlive] = leaders[0] ? [a, b, onA, onB] : [b, a, onB, onA];
    const during: string[] = [];
    for (let i = 0; i < 5; i++)
      during.push(await ingestIncident(db, { now: new Date(), communityId: cast.communityId }));
    await dead.crash();
    for (let i = 0; i < 15; i++)
      during.push(await ingestIncident(db, { now: new Date(), communityId: cast.communityId }));
    const lastSeen = withIds(onDead.seen).at(-1)!.id!;
    await onDead.close().catch(() => {});
    const resumed = sseReader(await alive.open({ 'last-event-id': lastSeen }));
    // Overdue work after the crash: the survivor takes the lease over once it expires.
    const late: string[] = [];
    for (let i = 0; i < 3; i++)
      late.push(
        await ingestIncident(db, { now: new Date(Date.now() - HOUR), communityId: cast.communityId }),
      );
    await eventually(async () => (await escalations(late)).every((r) => r.n >= 1), 20_000);
    const final = await ingestIncident(db, { now: new Date(), communityId: cast.communityId });
    await seeAll(resumed, [...during, final]);
    await seeAll(onAlive, [...live, ...during, final]);
    expect(resumed.seen.some((f) => f.event === 'resync')).toBe(false);

    // Nothing missed, nothing twice: the crashed client's frames before the crash plus the resumed
    // ones are exactly what the surviving process's own client saw, id for id, event for event.
    const stitched = [...withIds(onDead.seen), ...withIds(resumed.seen)].map((f) => [f.id, f.event, f.data]);
    const reference = withIds(onAlive.seen).map((f) => [f.id, f.event, f.data]);
    const upTo = Number(withIds(resumed.seen).at(-1)!.id);
    expect(stitched).toEqual(reference.filter(([id]) => Number(id) <= upTo));
    expect(new Set(stitched.map(([id]) => id)).size).toBe(stitched.length);
    expect((await escalations([...overdue, ...late])).map((r) => [r.escalations, r.n])).toEqual(
      [...overdue, ...late].map(() => [1, 1]),
    );
    expect(await alive.leads()).toBe(true);
    await resumed.close();
    await onAlive.close();
  }, 120_000);

  it("with only area-scoped clients (each hub reads its clients' communities), a client resumes on the other process with nothing missed and nothing twice", async () => {
    const c = await (db.url ? childNode('api-3', db.url) : inProcessNode('api-3'));
    nodes.push(c);
    const d = await (db.url ? childNode('api-4', db.url) : inProcessNode('api-4'));
    nodes.push(d);
    const r = await db.query<{ community_id: string }>(
      'SELECT community_id FROM police_posts WHERE id = $1',
      [cast.otherPostId],
    );
    const communityB = r.rows[0]!.community_id;
    // Tokens live in the database: one signed in here is good on every process.
    const signIn = buildApp({ db, clock: systemClock });
    const bearer = (person: string) => loginAs(signIn, person);
    const policeA = await bearer(cast.police);
    const policeB = await bearer(cast.otherPolice);
    const onC = sseReader(await c.open(policeA));
    const onD = sseReader(await d.open(policeA));
    const bOnD = sseReader(await d.open(policeB));
    for (const s of [onC, onD, bOnD]) await s.next((f) => f.event === 'heartbeat');

    const inA: string[] = [];
    const inB: string[] = [];
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) {
        inA.push(await ingestIncident(db, { now: new Date(), communityId: cast.communityId }));
        inB.push(await ingestIncident(db, { now: new Date(), communityId: communityB }));
      }
    };
    await write(5);
    await seeAll(onC, inA);
    await seeAll(onD, inA);
    await seeAll(bOnD, inB);
    await write(3);
    await c.crash();
    await write(5);
    const lastSeen = withIds(onC.seen).at(-1)!.id!;
    await onC.close().catch(() => {});
    const resumed = sseReader(await d.open({ ...policeA, 'last-event-id': lastSeen }));
    const final = await ingestIncident(db, { now: new Date(), communityId: cast.communityId });
    await seeAll(resumed, [...inA.filter((id) => !onC.seen.some((f) => incidentOf(f) === id)), final]);
    await seeAll(onD, [...inA, final]);
    await seeAll(bOnD, inB);
    expect(resumed.seen.some((f) => f.event === 'resync')).toBe(false);

    const stitched = [...withIds(onC.seen), ...withIds(resumed.seen)].map((f) => [f.id, f.event, f.data]);
    const reference = withIds(onD.seen).map((f) => [f.id, f.event, f.data]);
    const upTo = Number(withIds(resumed.seen).at(-1)!.id);
    expect(stitched).toEqual(reference.filter(([id]) => Number(id) <= upTo));
    expect(new Set(stitched.map(([id]) => id)).size).toBe(stitched.length);
    // Each police stream carries its own community only.
    const incidentsOf = (frames: SseFrame[]) => frames.flatMap((f) => incidentOf(f) ?? []);
    expect(incidentsOf(reference.map(([id, event, data]) => ({ id, event, data }) as SseFrame))).toEqual([
      ...inA,
      final,
    ]);
    expect(incidentsOf(bOnD.seen)).toEqual(inB);
    await resumed.close();
    await onD.close();
    await bOnD.close();
  }, 120_000);
});
