import { describe, expect, it } from 'vitest';
import { count, eventually, openPublisher, useIngestPipeline } from '../support/ingest.ts';

const t = useIngestPipeline({ startIngest: false, publisher: false });

const loc: [number, number] = [121.6202, 29.7505];

describe('persistent session', () => {
  it('stores a QoS 1 message published while ingest was down once it restarts with the same client id', async () => {
    const first = await t.startIngest('ingest');
    await first.stop();
    const pub = await openPublisher(t.broker, 'offline-phone');
    await pub.publish('wardmap/checkin/p-0002', {
      id: 'while-down',
      location: loc,
      at: '2024-06-01T08:00:00Z',
    });
    await pub.close();
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'while-down'`)).toBe(0);
    const second = await t.startIngest('ingest');
    try {
      await eventually(
        async () =>
          (await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'while-down'`)) === 1,
      );
    } finally {
      await second.stop();
    }
  });

  it('writes and acknowledges held messages on stop, so nothing is redelivered afterwards', async () => {
    const ingest = await t.startIngest('ingest-2', { batch: { maxWaitMs: 200, maxRows: 10_000 } });
    const pub = await openPublisher(t.broker, 'burst');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pub.publish('wardmap/checkin/p-0003', {
          id: `burst-${i}`,
          location: loc,
          at: '2024-06-01T08:00:00Z',
        }),
      ),
    );
    await eventually(async () => ingest.stats().received === 200);
    await ingest.stop();
    expect(await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'burst-%'`)).toBe(200);
    const again = await t.startIngest('ingest-2');
    await new Promise((r) => setTimeout(r, 500));
    expect(again.stats().received).toBe(0);
    await again.stop();
    await pub.close();
  });
});
