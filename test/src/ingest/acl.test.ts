import {
  dbBrokerAuth,
  type EmbeddedBroker,
  type RunningIngest,
  startEmbeddedBroker,
  startIngest,
} from '@wardmap/ingest';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { count, eventually } from './helpers.ts';

// ACL hooks belong to the embedded broker: these tests always run against Aedes.
let db: TestDb;
let broker: EmbeddedBroker;
let ingest: RunningIngest;
const adminToken = 'test-admin-token';
const demo = 'wardmap-demo';
const loc: [number, number] = [121.6202, 29.7505];
const at = '2024-06-01T08:00:00Z';

beforeAll(async () => {
  db = await openTestDb();
  const auth = dbBrokerAuth(db, { adminToken });
  broker = await startEmbeddedBroker({ port: 0, ...auth });
  ingest = await startIngest({ db, mqttUrl: broker.url, clientId: 'acl-ingest', ...auth.ingestCredentials });
});

afterAll(async () => {
  await ingest?.stop();
  await broker?.close();
  await db?.dispose();
});

const connect = (username: string, password: string) =>
  mqtt.connectAsync(broker.url, {
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
    clientId: `${username}-${Math.random()}`,
  });

/** Publishes and reports whether the broker accepted it (Aedes closes the connection on a refusal). */
async function tryPublish(username: string, topic: string, payload: unknown): Promise<boolean> {
  const c = await connect(username, username === 'admin' ? adminToken : demo);
  const closed = new Promise<boolean>((r) => c.once('close', () => r(false)));
  const acked = c.publishAsync(topic, JSON.stringify(payload), { qos: 1 }).then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([acked, closed]);
  await c.endAsync(true).catch(() => {});
  return ok;
}

describe('embedded broker ACL', () => {
  it('refuses a wrong password and an unknown user', async () => {
    await expect(connect('p-0002', 'wrong-password')).rejects.toThrow(
      /Bad username or password|Not authorized/,
    );
    await expect(connect('nobody', demo)).rejects.toThrow();
  });

  it("lets a patroller publish its own check-in but not someone else's", async () => {
    expect(await tryPublish('p-0002', 'wardmap/checkin/p-0002', { id: 'acl-own', location: loc, at })).toBe(
      true,
    );
    expect(await tryPublish('p-0002', 'wardmap/checkin/p-0003', { id: 'acl-other', location: loc, at })).toBe(
      false,
    );
    expect(
      await tryPublish('p-0002', 'owntracks/p-0003/phone', {
        _type: 'location',
        lat: loc[1],
        lon: loc[0],
        tst: 1717228800,
      }),
    ).toBe(false);
    expect(
      await tryPublish('p-0002', 'owntracks/p-0002/phone', {
        _type: 'location',
        lat: loc[1],
        lon: loc[0],
        tst: 1717228800,
      }),
    ).toBe(true);
    await eventually(
      async () => (await count(db, `SELECT count(*) AS n FROM checkins WHERE person_id = 'p-0002'`)) === 2,
    );
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE person_id = 'p-0003'`)).toBe(0);
  });

  it('lets a camera publish only its own alert topic', async () => {
    expect(
      await tryPublish('cam-001', 'wardmap/camera/cam-002/alert', { id: 'a1', label: 'fire', score: 1, at }),
    ).toBe(false);
    expect(await tryPublish('cam-001', 'wardmap/checkin/p-0002', { id: 'a2', location: loc, at })).toBe(
      false,
    );
    expect(
      await tryPublish('cam-001', 'wardmap/camera/cam-001/alert', { id: 'a3', label: 'fire', score: 1, at }),
    ).toBe(true);
    await eventually(
      async () =>
        (await count(db, `SELECT count(*) AS n FROM camera_alerts WHERE camera_id = 'cam-001'`)) === 1,
    );
  });

  it('lets a river chief report only on the segments they chief', async () => {
    // seg-01's chief in the demo geography is p-0205.
    expect(
      await tryPublish('p-0205', 'wardmap/river/seg-01/report', {
        id: 'r1',
        type: 'issue',
        issue: 'garbage',
        at,
      }),
    ).toBe(true);
    expect(
      await tryPublish('p-0205', 'wardmap/river/seg-02/report', {
        id: 'r2',
        type: 'issue',
        issue: 'garbage',
        at,
      }),
    ).toBe(false);
    await eventually(async () => (await count(db, `SELECT count(*) AS n FROM river_reports`)) === 1);
  });

  it('lets admin publish anywhere and refuses a patroller subscribing to others', async () => {
    expect(await tryPublish('admin', 'wardmap/checkin/p-0009', { id: 'adm', location: loc, at })).toBe(true);
    const c = await connect('p-0002', demo);
    // Aedes grants 0x80 for a refused filter; MQTT.js turns that into a subscribe error.
    await expect(c.subscribeAsync('wardmap/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const granted = await c.subscribeAsync('owntracks/p-0002/#', { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    await c.endAsync();
  });
});
