import { manualClock } from '@wardmap/geo';
import { type RunningIngest, startIngest } from '@wardmap/ingest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import type { TestBroker } from '../support/mqtt.ts';
import { count, eventually, openPublisher } from './helpers.ts';
import { describeMosquitto, type MosquittoProcess, startMosquitto } from './mosquitto.ts';

// Several ingest workers split the load through `$share/<group>/` subscriptions. Aedes has no
// shared subscriptions, so this runs on a Mosquitto of its own (project configuration, free port)
// in both CI runs.
let db: TestDb;
let mosquitto: MosquittoProcess;
const workers: RunningIngest[] = [];
const clock = manualClock(new Date('2024-07-01T08:00:00Z'));

beforeAll(async () => {
  [db, mosquitto] = await Promise.all([openTestDb(), startMosquitto()]);
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await mosquitto?.stop();
  await db?.dispose();
});

describeMosquitto('shared subscriptions', () => {
  it('lets two workers split one stream, each message stored exactly once', async () => {
    for (const n of [1, 2]) {
      workers.push(
        await startIngest({
          db,
          mqttUrl: mosquitto.url,
          clientId: `wardmap-ingest-share-${n}`,
          share: 'wardmap-test',
          clock,
          batch: { maxRows: 200 },
        }),
      );
    }
    const broker: TestBroker = {
      kind: 'mosquitto',
      url: mosquitto.url,
      topicPrefix: '',
      clientId: (s) => `share-test-${s}`,
      close: async () => {},
    };
    const pub = await openPublisher(broker, 'phones');
    const total = 2000;
    try {
      const sent: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const person = `p-${String(2 + (i % 40)).padStart(4, '0')}`;
        sent.push(
          pub.publish(`wardmap/checkin/${person}`, {
            id: `share-${i}`,
            location: [121.6202 + (i % 50) * 0.0001, 29.7505],
            at: new Date(Date.UTC(2024, 6, 1, 7, 0, 0, i)).toISOString(),
          }),
        );
      }
      await Promise.all(sent);
    } finally {
      await pub.close();
    }
    await eventually(
      async () =>
        (await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'share-%'`)) === total,
      30_000,
    );
    const [a, b] = workers.map((w) => w.stats());
    // Both took part, neither saw the other's messages: the group delivered each message once.
    expect(a!.stored).toBeGreaterThan(0);
    expect(b!.stored).toBeGreaterThan(0);
    expect(a!.stored + b!.stored).toBe(total);
    expect(a!.duplicates + b!.duplicates).toBe(0);
    expect(
      await count(db, `SELECT count(DISTINCT message_id) AS n FROM checkins WHERE message_id LIKE 'share-%'`),
    ).toBe(total);
  });
});
