import type { RunningIngest } from '@wardmap/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eventually, publishCheckins, useIngestPipeline } from '../support/ingest.ts';
import { databaseOutage, type Outage } from './outage.ts';

// The database goes away under a running ingest: on PostgreSQL for real (connections refused and
// terminated), on PGlite through the fault-injecting wrapper described in outage.ts.
const t = useIngestPipeline({ startIngest: false, publisher: 'phones' });
let outage: Outage;

beforeAll(() => {
  outage = databaseOutage(t.db);
});

afterAll(async () => {
  await outage?.end();
});

const publishMany = (prefix: string, n: number) => publishCheckins(t.pub, prefix, n);
const stored = (prefix: string) =>
  count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1`, [`${prefix}-%`]);
const distinctStored = (prefix: string) =>
  count(t.db, `SELECT count(DISTINCT message_id) AS n FROM checkins WHERE message_id LIKE $1`, [
    `${prefix}-%`,
  ]);
const deadLetters = () => count(t.db, 'SELECT count(*) AS n FROM dead_letters');

describe(`database outage`, () => {
  it('holds messages unwritten and retries with growing delays while the database is away, then stores each exactly once', async () => {
    const lines: string[] = [];
    const ingest: RunningIngest = await t.startIngest('ingest-ride', {
      db: outage.db,
      retry: { initialMs: 50, maxMs: 400 },
      log: (l) => lines.push(l),
    });
    try {
      // Warm up so pooled connections exist and are cut by the outage.
      await publishMany('warm', 10);
      await eventually(async () => (await stored('warm')) === 10);

      await outage.begin();
      try {
        await publishMany('away', 300);
        await eventually(async () => ingest.stats().received === 310 && ingest.stats().dbRetries >= 6);
        const during = ingest.stats();
        expect(during.stored).toBe(10);
        // Held (not acknowledged, not dropped): every message published during the outage.
        expect(during.buffered).toBe(300);
        expect(ingest.metrics()).toMatch(/^wardmap_ingest_db_retries_total ([6-9]|\d\d+)$/m);
        const delays = lines
          .filter((l) => l.startsWith('database unavailable'))
          .map((l) => Number(/in (\d+) ms$/.exec(l)?.[1]));
        expect(delays.slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400]);
        // The errors are the driver's own when the server refuses the database, else the injected ones.
        expect(lines.join('\n')).toMatch(
          outage.how === 'server' ? /is not currently accepting connections/ : /ECONNREFUSED/,
        );
      } finally {
        await outage.end();
      }

      await eventually(async () => (await stored('away')) === 300, 20_000);
      expect(await distinctStored('away')).toBe(300);
      await eventually(async () => ingest.stats().buffered === 0);
      const after = ingest.stats();
      expect(after.stored).toBe(310);
      expect(after.deadLettered).toBe(0);
      expect(after.duplicates).toBe(0);
      expect(await deadLetters()).toBe(0);
    } finally {
      await ingest.stop();
    }
  });

  it('leaves messages unacknowledged while the database is away: stopped then, a restart receives and stores them', async () => {
    const opts = { db: outage.db, retry: { initialMs: 50, maxMs: 200 } };
    const first = await t.startIngest('ingest-restart', { ...opts, drainTimeoutMs: 300 });
    await outage.begin();
    try {
      await publishMany('held', 100);
      await eventually(async () => first.stats().received === 100 && first.stats().dbRetries >= 2);
      // Gives up on the held messages without acknowledging them.
      await first.stop();
      expect(first.stats().stored).toBe(0);
    } finally {
      await outage.end();
    }
    expect(await stored('held')).toBe(0);

    const second = await t.startIngest('ingest-restart', opts);
    try {
      // The broker redelivers what was never acknowledged.
      await eventually(async () => (await stored('held')) === 100, 20_000);
      expect(second.stats().received).toBeGreaterThanOrEqual(100);
      expect(await distinctStored('held')).toBe(100);
      expect(second.stats().deadLettered).toBe(0);
      expect(await deadLetters()).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
