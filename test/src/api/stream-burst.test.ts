import { type ApiServices, startApiServices } from '@wardmap/api';
import { type ChangeNotice, MAX_CHANGE_NOTICE_IDS, manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { adminHeaders, buildApp, sseReader, startPipeline } from './workflow-fixtures.ts';

// The stream must carry every committed change. Before, ingest's change notice named at most 50
// ids per batch and the hub built events only from those: a burst of writer batches larger than
// 50 lost most of its positions on the way to the map.

let db: TestDb;
let app: Hono;
let services: ApiServices;
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
const clock = manualClock(new Date('2025-06-01T08:00:00Z'));
const PEOPLE = 1200;
const ROUNDS = 3;
const personId = (i: number) => `burst-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  db = await openTestDb();
  await db.query(
    `INSERT INTO people (id, name, roles) SELECT 'burst-' || lpad(i::text, 4, '0'), 'Burst ' || i, ARRAY['patroller']
       FROM generate_series(0, $1 - 1) AS i`,
    [PEOPLE],
  );
  pipeline = await startPipeline(db, clock);
  services = await startApiServices({ db, clock, escalationIntervalMs: 3_600_000 });
  app = buildApp({ db, clock, stream: services.stream, heartbeatMs: 500 });
});
afterAll(async () => {
  await services?.stop();
  await pipeline?.stop();
  await db?.dispose();
});

describe('live stream under a burst', () => {
  it(`delivers every position of a ${PEOPLE * ROUNDS}-message burst (far above the ${MAX_CHANGE_NOTICE_IDS}-id notice bound)`, async () => {
    const sse = sseReader(await app.request('/api/stream', { headers: adminHeaders }));
    await sse.next((f) => f.event === 'heartbeat');
    const notices: ChangeNotice[] = [];
    const unlisten = await db.listen('wardmap_changes', (p) => notices.push(JSON.parse(p) as ChangeNotice));
    const expected = new Map<string, string>();
    const base = clock.now().getTime();
    const sends: Promise<void>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PEOPLE; i++) {
        const at = new Date(base + round * 1000 + i).toISOString();
        const lon = 121.6 + i / 100_000;
        const lat = 29.7 + round / 1000;
        expected.set(personId(i), `${lon},${lat}`);
        sends.push(
          pipeline.publish(
            `wardmap/checkin/${personId(i)}`,
            JSON.stringify({ id: `burst-${round}-${i}`, location: [lon, lat], at }),
          ),
        );
      }
    }
    await Promise.all(sends);
    // Every person's final position must arrive as an event (earlier ones may be merged away by
    // the positions table, which keeps the latest per person, but never the final one).
    const latest = new Map<string, string>();
    const pending = new Set(expected.keys());
    await sse.next((f) => {
      if (f.event === 'resync') throw new Error(`unexpected resync: ${f.data}`);
      if (f.event !== 'position') return false;
      const e = JSON.parse(f.data) as { personId: string; location: [number, number] };
      if (!e.personId.startsWith('burst-')) return false;
      const key = `${e.location[0]},${e.location[1]}`;
      latest.set(e.personId, key);
      if (key === expected.get(e.personId)) pending.delete(e.personId);
      return pending.size === 0;
    }, 90_000);
    expect(pending.size).toBe(0);
    expect(latest.size).toBe(PEOPLE);
    // And some writer batch really held more positions than one notice can name (or the test
    // proves nothing): a full notice followed by the next positions notice of the same batch.
    const bySeq = new Map(notices.filter((n) => n.kind === 'positions').map((n) => [n.seq, n]));
    const split = [...bySeq.values()].filter(
      (n) => n.ids.length === MAX_CHANGE_NOTICE_IDS && bySeq.has((n.seq ?? -2) + 1),
    );
    expect(split.length).toBeGreaterThan(0);
    await unlisten();
    await sse.close();
  });
});
