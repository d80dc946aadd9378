import { type RunningIngest, startIngest } from '@wardmap/ingest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { count, eventually, openPublisher } from './helpers.ts';
import { describeMosquitto, type MosquittoProcess, startMosquitto } from './mosquitto.ts';

// A `$share` member that went away keeps its share: Mosquitto queues every other message for its
// offline persistent session. Retiring (unsubscribe, drain, end the session) hands that share back
// to the group. Mosquitto of our own (Aedes has no shared subscriptions), both CI runs.
let db: TestDb;
let mosquitto: MosquittoProcess;
const running: RunningIngest[] = [];
const lake = [121.6202, 29.7505];

beforeAll(async () => {
  [db, mosquitto] = await Promise.all([openTestDb(), startMosquitto()]);
});

afterAll(async () => {
  for (const w of running) await w.stop();
  await mosquitto?.stop();
  await db?.dispose();
});

const worker = async (n: string) => {
  const w = await startIngest({
    db,
    mqttUrl: mosquitto.url,
    clientId: `retire-${n}`,
    share: 'retire-test',
    batch: { maxRows: 200 },
  });
  running.push(w);
  return w;
};

async function publish(prefix: string, total: number) {
  const pub = await openPublisher(
    {
      kind: 'mosquitto',
      url: mosquitto.url,
      topicPrefix: '',
      clientId: (s) => `retire-pub-${s}`,
      close: async () => {},
    },
    prefix,
  );
  const at = new Date(Date.now() - 5000).toISOString();
  try {
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        pub.publish(`wardmap/checkin/p-${String(2 + (i % 40)).padStart(4, '0')}`, {
          id: `${prefix}-${i}`,
          location: lake,
          at,
        }),
      ),
    );
  } finally {
    await pub.close();
  }
}

const stored = (prefix: string) =>
  count(db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1`, [`${prefix}-%`]);

describeMosquitto('retiring a shared-subscription worker', () => {
  it("hands a stopped worker's share back to the group: what it held is drained, and later messages all reach the others", async () => {
    const a = await worker('a');
    const b = await worker('b');
    // A stops without retiring (as after a crash or a plain SIGTERM): its session stays in the group.
    await a.stop();
    await publish('held', 1000);
    await eventually(async () => (await stored('held')) > 0);
    await new Promise((r) => setTimeout(r, 1000));
    const whileAway = await stored('held');
    expect(whileAway).toBeLessThan(1000); // Mosquitto queued A's share for its offline session

    // Retire A: resume its session, leave the group, drain what was queued, end the session.
    const again = await worker('a');
    await again.retire({ quietMs: 500 });
    await eventually(async () => (await stored('held')) === 1000, 30_000);

    // With A's session gone, B receives everything.
    const bBefore = b.stats().received;
    await publish('after', 1000);
    await eventually(async () => (await stored('after')) === 1000, 30_000);
    expect(b.stats().received - bBefore).toBe(1000);
    expect(await count(db, `SELECT count(*) AS n FROM dead_letters`)).toBe(0);
  });

  it('retires a running worker under load without losing a message', async () => {
    await worker('c');
    const d = await worker('d');
    const publishing = publish('live', 3000);
    await new Promise((r) => setTimeout(r, 200));
    await d.retire({ quietMs: 500 });
    await publishing;
    await eventually(async () => (await stored('live')) === 3000, 30_000);
  });
});
