import {
  type EmbeddedBroker,
  ingestTakes,
  type RunningIngest,
  startEmbeddedBroker,
  startIngest,
} from '@wardmap/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { count } from './helpers.ts';

// The embedded broker (Aedes) keeps sessions in memory. So in embedded mode ingest runs in-process
// and the broker acknowledges a PUBLISH only after ingest committed it (or its dead letter): when
// the publisher holds a PUBACK, the row is already in the database.
let db: TestDb;
let ingest: RunningIngest;
let broker: EmbeddedBroker;
let pub: MqttClient;

beforeAll(async () => {
  db = await openTestDb();
  ingest = await startIngest({ db });
  broker = await startEmbeddedBroker({
    port: 0,
    beforeAck: (topic, payload) => (ingestTakes(topic) ? ingest.accept(topic, payload) : undefined),
  });
  pub = await mqtt.connectAsync(broker.url, {
    clientId: 'durable-pub',
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
});

afterAll(async () => {
  await pub?.endAsync();
  await broker?.close();
  await ingest?.stop();
  await db?.dispose();
});

const lake = [121.6202, 29.7505];
const at = () => new Date(Date.now() - 1000).toISOString();

describe('embedded broker durability', () => {
  it('acknowledges a QoS 1 check-in only once its row is committed', async () => {
    for (let round = 0; round < 5; round++) {
      const ids = Array.from({ length: 40 }, (_, k) => `dur-${round}-${k}`);
      await Promise.all(
        ids.map((id) =>
          pub.publishAsync('wardmap/checkin/p-0002', JSON.stringify({ id, location: lake, at: at() }), {
            qos: 1,
          }),
        ),
      );
      // No polling: every acknowledged message must already be there.
      expect(
        await count(db, 'SELECT count(*) AS n FROM checkins WHERE message_id = ANY($1::text[])', [ids]),
      ).toBe(ids.length);
    }
  });

  it('acknowledges a refused message once its dead letter is committed', async () => {
    await pub.publishAsync('wardmap/checkin/p-0002', '{"id": "broken', { qos: 1 });
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM dead_letters WHERE convert_from(payload, 'UTF8') = '{"id": "broken'`,
      ),
    ).toBe(1);
  });

  it('lets topics ingest does not read through without waiting', async () => {
    expect(ingestTakes('dashboard/anything')).toBe(false);
    await pub.publishAsync('dashboard/anything', 'x', { qos: 1 });
  });
});
