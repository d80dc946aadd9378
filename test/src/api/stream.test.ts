import { type ApiServices, createStreamHub, startApiServices } from '@wardmap/api';
import { manualClock, StreamEventSchema } from '@wardmap/geo';
import type { Hono } from 'hono';
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
  sseReader,
  startPipeline,
} from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;
let cast: Cast;
let services: ApiServices;
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
const clock = manualClock(new Date('2025-06-01T08:00:00Z'));

beforeAll(async () => {
  db = await openTestDb();
  cast = await castOf(db);
  pipeline = await startPipeline(db, clock);
  services = await startApiServices({ db, clock, escalationIntervalMs: 3_600_000 });
  app = buildApp({ db, clock, stream: services.stream, heartbeatMs: 200 });
});
afterAll(async () => {
  await services?.stop();
  await pipeline?.stop();
  await db?.dispose();
});

let seq = 0;

/** A check-in through the real broker and ingest: the position event follows ingest's commit. */
async function commitPosition(personId: string, lonLat: [number, number]) {
  seq++;
  clock.advance(1000);
  await pipeline.publish(
    `wardmap/checkin/${personId}`,
    JSON.stringify({ id: `sse-ck-${seq}`, location: lonLat, at: clock.now().toISOString() }),
  );
  await eventually(async () => {
    const r = await db.query('SELECT 1 FROM positions WHERE person_id = $1 AND message_id = $2', [
      personId,
      `sse-ck-${seq}`,
    ]);
    return r.rowCount > 0;
  });
}

const open = (headers: Record<string, string> = {}) =>
  app.request('/api/stream', { headers: { accept: 'text/event-stream', ...adminHeaders, ...headers } });

describe('live stream (SSE)', () => {
  it('delivers a typed event with an id after a check-in is committed by ingest', async () => {
    const res = await open();
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(res);
    await sse.next((f) => f.event === 'heartbeat');
    await commitPosition(cast.patroller, [121.64, 29.77]);
    const frame = await sse.next((f) => f.event === 'position');
    expect(frame.id).toMatch(/^\d+$/);
    const event = StreamEventSchema.parse(JSON.parse(frame.data));
    expect(event).toMatchObject({ type: 'position', personId: cast.patroller, location: [121.64, 29.77] });
    expect(services.metrics()).toMatch(/^wardmap_stream_events_total [1-9]/m);
    await sse.close();
  });

  it('resumes from Last-Event-ID with exactly the events missed, then continues live', async () => {
    const first = sseReader(await open());
    await commitPosition(cast.patroller, [121.641, 29.771]);
    const seen = await first.next((f) => f.event === 'position');
    await first.close();
    // While disconnected: an incident and another position are committed.
    const incidentId = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    await commitPosition(cast.patroller, [121.642, 29.772]);
    await services.stream.idle();

    const resumed = sseReader(await open({ 'last-event-id': seen.id! }));
    const incident = await resumed.next((f) => f.event === 'incident');
    expect(JSON.parse(incident.data).incident.id).toBe(incidentId);
    const position = await resumed.next((f) => f.event === 'position');
    expect(JSON.parse(position.data).location).toEqual([121.642, 29.772]);
    const ids = resumed.seen.filter((f) => f.id).map((f) => Number(f.id));
    expect(ids.every((id) => id > Number(seen.id))).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await commitPosition(cast.patroller, [121.643, 29.773]);
    const live = await resumed.next((f) => f.event === 'position');
    expect(JSON.parse(live.data).location).toEqual([121.643, 29.773]);
    await resumed.close();
  });

  it('asks the client to resync when the Last-Event-ID cannot be replayed', async () => {
    const sse = sseReader(await open({ 'last-event-id': 'bogus' }));
    const frame = await sse.next((f) => f.event === 'resync');
    expect(JSON.parse(frame.data).reason).toContain('not an event id');
    await sse.close();
  });

  it("filters events by the caller's area: police of another post do not see this community", async () => {
    const mine = sseReader(await open(await loginAs(app, cast.police)));
    const theirs = sseReader(await open(await loginAs(app, cast.otherPolice)));
    await mine.next((f) => f.event === 'heartbeat');
    await theirs.next((f) => f.event === 'heartbeat');
    const id = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    const got = await mine.next((f) => f.event === 'incident' && JSON.parse(f.data).incident.id === id);
    expect(got.id).toBeDefined();
    await services.stream.idle();
    // Heartbeats every 200 ms prove the other stream is alive; it must never carry the incident.
    for (let i = 0; i < 3; i++) await theirs.next((f) => f.event === 'heartbeat');
    expect(theirs.seen.some((f) => f.event === 'incident' && JSON.parse(f.data).incident.id === id)).toBe(
      false,
    );
    await mine.close();
    await theirs.close();
  });

  it('resumes across an API restart, because the event log lives in the database', async () => {
    const before = sseReader(await open());
    await commitPosition(cast.patroller, [121.644, 29.774]);
    const seen = await before.next((f) => f.event === 'position');
    await before.close();
    const incidentId = await ingestIncident(db, { now: clock.now(), communityId: cast.communityId });
    // NOTIFY reaches the running hub asynchronously: wait until it has logged the event.
    await eventually(async () => {
      const r = await db.query(
        `SELECT 1 FROM stream_events WHERE type = 'incident' AND data->'incident'->>'id' = $1`,
        [incidentId],
      );
      return r.rowCount > 0;
    });
    // A second API instance with its own, fresh hub: it has never seen these events in memory.
    const restarted = createStreamHub({ db });
    const app2 = buildApp({ db, clock, stream: restarted, heartbeatMs: 200 });
    const resumed = sseReader(
      await app2.request('/api/stream', { headers: { ...adminHeaders, 'last-event-id': seen.id! } }),
    );
    const frame = await resumed.next((f) => f.event === 'incident');
    expect(JSON.parse(frame.data).incident.id).toBe(incidentId);
    await resumed.close();
    await restarted.stop();
  });

  it('asks for a resync when the missed events were pruned from the log', async () => {
    const small = createStreamHub({ db, retain: 2 });
    await small.start();
    const app2 = buildApp({ db, clock, stream: small, heartbeatMs: 200 });
    const first = sseReader(await app2.request('/api/stream', { headers: adminHeaders }));
    await commitPosition(cast.patroller, [121.645, 29.775]);
    const old = await first.next((f) => f.event === 'position');
    await first.close();
    for (let i = 0; i < 4; i++) await commitPosition(cast.patroller, [121.646 + i / 1000, 29.776]);
    // Pruning follows the notices, which arrive asynchronously: wait until the old id is gone.
    await eventually(async () => {
      const r = await db.query<{ id: string }>('SELECT min(id) AS id FROM stream_events');
      return Number(r.rows[0]?.id) > Number(old.id) + 1;
    });
    const resumed = sseReader(
      await app2.request('/api/stream', { headers: { ...adminHeaders, 'last-event-id': old.id! } }),
    );
    const frame = await resumed.next((f) => f.event === 'resync');
    expect(JSON.parse(frame.data).reason).toContain('no longer kept');
    await resumed.close();
    await small.stop();
  });

  it('rejects an invalid token with 401 instead of silently serving the public stream', async () => {
    const res = await open({ authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
  });

  it('answers 401 to an anonymous caller instead of opening a stream', async () => {
    const res = await app.request('/api/stream', { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});
