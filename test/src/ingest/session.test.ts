import { startIngest } from '@wardmap/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { openTestBroker, type TestBroker } from '../support/mqtt.ts';
import { count, eventually, openPublisher } from './helpers.ts';

let db: TestDb;
let broker: TestBroker;

beforeAll(async () => {
  [db, broker] = await Promise.all([openTestDb(), openTestBroker()]);
});

afterAll(async () => {
  await broker?.close();
  await db?.dispose();
});

const loc: [number, number] = [121.6202, 29.7505];

describe('persistent session', () => {
  it('stores a QoS 1 message published while ingest was down once it restarts with the same client id', async () => {
    const opts = {
      db,
      mqttUrl: broker.url,
      clientId: broker.clientId('ingest'),
      topicPrefix: broker.topicPrefix,
    };
    const first = await startIngest(opts);
    await first.stop();
    const pub = await openPublisher(broker, 'offline-phone');
    await pub.publish('wardmap/checkin/p-0002', {
      id: 'while-down',
      location: loc,
      at: '2024-06-01T08:00:00Z',
    });
    await pub.close();
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'while-down'`)).toBe(0);
    const second = await startIngest(opts);
    try {
      await eventually(
        async () =>
          (await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'while-down'`)) === 1,
      );
    } finally {
      await second.stop();
    }
  });

  it('writes and acknowledges held messages on stop, so nothing is redelivered afterwards', async () => {
    const opts = {
      db,
      mqttUrl: broker.url,
      clientId: broker.clientId('ingest-2'),
      topicPrefix: broker.topicPrefix,
    };
    const ingest = await startIngest({ ...opts, batch: { maxWaitMs: 200, maxRows: 10_000 } });
    const pub = await openPublisher(broker, 'burst');
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
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'burst-%'`)).toBe(200);
    const again = await startIngest(opts);
    await new Promise((r) => setTimeout(r, 500));
    expect(again.stats().received).toBe(0);
    await again.stop();
    await pub.close();
  });
});
