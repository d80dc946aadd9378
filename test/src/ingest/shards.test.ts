import { type Db, postgresDb } from '@wardmap/db';
import { systemClock } from '@wardmap/geo';
import { decodeMessage } from '@wardmap/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchCommunities, takeCommunityTurns } from '../../../ingest/src/write/shards.ts';
import { writeBatch } from '../../../ingest/src/writer.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

// Writes take turns per community, not globally: a batch of one community is written while another
// community's turn is held, and waits while its own community's turn is held. Needs two database
// connections, so real PostgreSQL: embedded PGlite has one connection and runs every transaction
// in turn anyway.
const onPostgres = !!process.env.DATABASE_URL;
if (!onPostgres)
  console.warn(
    '[shards.test] NOT RUN: community write turns need real PostgreSQL (two connections); set DATABASE_URL to run it',
  );

let db: TestDb;
let other: Db;
let people: Array<{ id: string; community_id: string }>;
let n = 0;

beforeAll(async () => {
  if (!onPostgres) return;
  db = await openTestDb();
  other = postgresDb(db.url!, { max: 1 });
  people = (
    await db.query<{ id: string; community_id: string }>(
      `SELECT DISTINCT ON (g.community_id) p.id, g.community_id
         FROM people p JOIN grids g ON g.id = p.grid_id WHERE p.active ORDER BY g.community_id, p.id LIMIT 2`,
    )
  ).rows;
});
afterAll(async () => {
  await other?.close();
  await db?.dispose();
});

const batch = (personId: string) => {
  const topic = `wardmap/checkin/${personId}`;
  const payload = new TextEncoder().encode(
    JSON.stringify({ id: `shard-${process.pid}-${++n}`, location: [121.63, 29.77], at: Date.now() }),
  );
  return [{ decoded: decodeMessage(topic, payload), topic, payload, receivedAt: new Date() }];
};
const write = (personId: string) => writeBatch(db, batch(personId), { clock: systemClock, nextSeq: () => 0 });
const settledWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe.runIf(onPostgres)('community write turns', () => {
  it('finds the community of each person of a batch', async () => {
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    const items = [...batch(a.id), ...batch(b.id)].map((e) => (e.decoded as { ok: true; item: never }).item);
    expect(await batchCommunities(db, items)).toEqual([a.community_id, b.community_id].sort());
  });

  it("writes a batch of another community while one community's turn is held, and waits for its own", async () => {
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    expect(a.community_id).not.toBe(b.community_id);
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    let held: () => void = () => {};
    const holding = new Promise<void>((r) => {
      held = r;
    });
    const holder = other.transaction(async (tx) => {
      await takeCommunityTurns(tx, [a.community_id]);
      held();
      await released;
    });
    await holding;
    // Another community: not blocked.
    expect(await settledWithin(write(b.id), 10_000)).toBe(true);
    // The same community: waits for the holder's commit.
    const same = write(a.id);
    expect(await settledWithin(same, 1500)).toBe(false);
    release();
    await holder;
    expect((await same).stored).toBe(1);
  });
});
