import { buildMosquittoFiles } from '@wardmap/ingest';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { describeMosquitto, type MosquittoProcess, startMosquitto } from './mosquitto.ts';

// The generated passwd + ACL files, loaded by a real Mosquitto started for this file.
let db: TestDb;
let mosq: MosquittoProcess;
const adminToken = 'test-admin-token';

beforeAll(async () => {
  db = await openTestDb();
  mosq = await startMosquitto(await buildMosquittoFiles(db, { adminToken }));
});

afterAll(async () => {
  await mosq?.stop();
  await db?.dispose();
});

const connect = (username: string, password: string) =>
  mqtt.connectAsync(mosq.url, {
    username,
    password,
    protocolVersion: 5,
    reconnectPeriod: 0,
    clientId: `${username}-${Math.random()}`,
  });

describeMosquitto('Mosquitto files from the database', () => {
  it("lets a patroller publish its own check-in and refuses another person's topic", async () => {
    const admin = await connect('admin', adminToken);
    const seen: string[] = [];
    admin.on('message', (t) => seen.push(t));
    await admin.subscribeAsync('wardmap/#', { qos: 1 });
    const phone = await connect('p-0002', 'wardmap-demo');
    await phone.publishAsync('wardmap/checkin/p-0002', '{}', { qos: 1 });
    // The community form of a topic (a routing hint for a broker cluster) follows the same rule.
    await phone.publishAsync('wardmap/community/c-any/checkin/p-0002', '{}', { qos: 1 });
    // MQTT 5: Mosquitto answers a refused QoS 1 publish with PUBACK reason 0x87 (not authorised);
    // MQTT.js then drops the connection, so each refusal gets a connection of its own.
    await expect(phone.publishAsync('wardmap/checkin/p-0003', '{}', { qos: 1 })).rejects.toThrow(
      /Not authorized/,
    );
    const phone2 = await connect('p-0002', 'wardmap-demo');
    await expect(
      phone2.publishAsync('wardmap/community/c-any/checkin/p-0003', '{}', { qos: 1 }),
    ).rejects.toThrow(/Not authorized/);
    await phone2.endAsync(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['wardmap/checkin/p-0002', 'wardmap/community/c-any/checkin/p-0002']);
    await phone.endAsync(true);
    await admin.endAsync(true);
  });

  it('refuses a wrong password', async () => {
    await expect(connect('p-0002', 'not-the-password')).rejects.toThrow(
      /Bad User Name or Password|Not authorized/i,
    );
  });
});
