// No MQTT identity acts as another: cameras, NVRs and people over the embedded broker (always) and
// over a private Mosquitto loaded with the generated passwd/ACL (the real-broker run, MQTT_URL set).
import {
  buildMosquittoFiles,
  dbBrokerAuth,
  type EmbeddedBroker,
  type RunningIngest,
  startEmbeddedBroker,
  startIngest,
} from '@wardmap/ingest';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eventually } from '../ingest/helpers.ts';
import { type MosquittoProcess, startMosquitto } from '../ingest/mosquitto.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { MOSQUITTO } from '../support/programs.ts';

const adminToken = 'test-admin-token-security';
const demo = 'wardmap-demo';
const loc: [number, number] = [121.6202, 29.7505];
const at = '2024-06-01T08:00:00Z';

let db: TestDb;
let broker: EmbeddedBroker;
let ingest: RunningIngest;

beforeAll(async () => {
  db = await openTestDb();
  const auth = dbBrokerAuth(db, { adminToken });
  broker = await startEmbeddedBroker({ port: 0, ...auth, maxPacketBytes: 64 * 1024 });
  ingest = await startIngest({
    db,
    mqttUrl: broker.url,
    clientId: 'wardmap-ingest-sec',
    ...auth.ingestCredentials,
  });
});
afterAll(async () => {
  await ingest?.stop();
  await broker?.close();
  await db?.dispose();
});

const frigateEvent = (id: string, camera: string) => {
  const obj = {
    id,
    camera,
    frame_time: 1717243201,
    label: 'person',
    score: 0.9,
    top_score: 0.9,
    start_time: 1717243200.5,
    end_time: null,
    entered_zones: [],
    has_snapshot: false,
    false_positive: false,
  };
  return { type: 'new', before: obj, after: obj };
};

/** Publishes once and says whether the broker took it (v5 PUBACK reason, or Aedes closing the connection). */
async function tryPublish(
  url: string,
  user: string,
  topic: string,
  payload: unknown,
  opts: { password?: string; clientId?: string } = {},
): Promise<boolean> {
  const c = await mqtt.connectAsync(url, {
    username: user,
    password: opts.password ?? (user === 'admin' ? adminToken : demo),
    // Aedes speaks MQTT 3.1.1 (a refusal closes the connection); Mosquitto 5 answers PUBACK 0x87.
    protocolVersion: url === broker.url ? 4 : 5,
    reconnectPeriod: 0,
    clientId: opts.clientId ?? `${user}-${Math.random().toString(36).slice(2)}`,
  });
  const closed = new Promise<boolean>((r) => c.once('close', () => r(false)));
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  const acked = c.publishAsync(topic, body as string, { qos: 1 }).then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([acked, closed]);
  await c.endAsync(true).catch(() => {});
  return ok;
}

/** A message the admin publishes after the refused ones: once stored, ingest has seen everything before it. */
async function sentinel(url: string, id: string) {
  expect(await tryPublish(url, 'admin', 'wardmap/checkin/p-0002', { id, location: loc, at })).toBe(true);
  await eventually(
    async () => (await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = '${id}'`)) === 1,
  );
}

/** The impersonations every broker must refuse by topic, with nothing stored. */
function topicImpersonations(url: () => string, tag: string) {
  it('refuses a camera publishing Frigate events for another camera or switching all cameras offline', async () => {
    expect(await tryPublish(url(), 'cam-001', 'frigate/events', frigateEvent(`${tag}-1`, 'cam-050'))).toBe(
      false,
    );
    expect(await tryPublish(url(), 'cam-001', 'frigate/available', 'offline')).toBe(false);
    expect(
      await tryPublish(url(), 'cam-001', 'wardmap/camera/cam-002/alert', {
        id: `${tag}-a`,
        label: 'fire',
        score: 1,
        at,
      }),
    ).toBe(false);
    await sentinel(url(), `${tag}-sentinel-cam`);
    expect(await count(db, `SELECT count(*) AS n FROM camera_alerts WHERE id LIKE '%${tag}-%'`)).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM cameras WHERE NOT online')).toBe(0);
  });

  it("refuses a person publishing another person's check-in", async () => {
    expect(
      await tryPublish(url(), 'p-0002', 'wardmap/checkin/p-0003', { id: `${tag}-p`, location: loc, at }),
    ).toBe(false);
    await sentinel(url(), `${tag}-sentinel-person`);
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = '${tag}-p'`)).toBe(0);
  });
}

describe('embedded broker identities', () => {
  topicImpersonations(() => broker.url, 'emb');

  it('lets the NVR publish for its cameras only', async () => {
    await db.query(
      `INSERT INTO nvrs (id, name, password_hash) SELECT 'nvr-sec', 'sec', password_hash FROM nvrs WHERE id = 'nvr-demo'`,
    );
    await db.query(`UPDATE cameras SET nvr_id = 'nvr-sec' WHERE id = 'cam-003'`);
    expect(
      await tryPublish(broker.url, 'nvr-sec', 'frigate/events', frigateEvent('emb-nvr-foreign', 'cam-004')),
    ).toBe(false);
    expect(
      await tryPublish(broker.url, 'nvr-sec', 'frigate/events', frigateEvent('emb-nvr-own', 'cam-003')),
    ).toBe(true);
    await eventually(
      async () =>
        (await count(db, `SELECT count(*) AS n FROM camera_alerts WHERE id LIKE '%emb-nvr-own%'`)) === 1,
    );
    expect(await count(db, `SELECT count(*) AS n FROM camera_alerts WHERE id LIKE '%emb-nvr-foreign%'`)).toBe(
      0,
    );
  });

  it("refuses a river chief's report that names another person", async () => {
    const seg = await db.query<{ id: string; chief_id: string }>(
      'SELECT id, chief_id FROM river_segments WHERE chief_id IS NOT NULL ORDER BY id LIMIT 1',
    );
    const { id: segmentId, chief_id: chief } = seg.rows[0]!;
    const report = { id: 'emb-rr-1', type: 'issue', issue: 'garbage', count: 1, at, personId: 'p-0002' };
    expect(await tryPublish(broker.url, chief, `wardmap/river/${segmentId}/report`, report)).toBe(false);
    await sentinel(broker.url, 'emb-sentinel-river');
    expect(await count(db, `SELECT count(*) AS n FROM river_reports WHERE message_id = 'emb-rr-1'`)).toBe(0);
  });

  it("refuses a person taking ingest's client id, or another person's", async () => {
    const connect = (clientId: string) =>
      mqtt.connectAsync(broker.url, { username: 'p-0002', password: demo, clientId, reconnectPeriod: 0 });
    await expect(connect('wardmap-ingest-1')).rejects.toThrow(/Not authorized|Bad username or password/);
    await expect(connect('p-0003-phone')).rejects.toThrow(/Not authorized|Bad username or password/);
    const own = await connect('p-0002-phone');
    await own.endAsync(true);
  });

  it("closes a deactivated person's live session and refuses what it still sends", async () => {
    const c = await mqtt.connectAsync(broker.url, {
      username: 'p-0004',
      password: demo,
      clientId: 'p-0004-phone',
      reconnectPeriod: 0,
    });
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    const { disconnectOnIdentityChange } = await import('@wardmap/ingest');
    const stop = await disconnectOnIdentityChange(db, broker);
    await db.query(`UPDATE people SET active = false WHERE id = 'p-0004'`);
    await closed;
    await stop();
    // Anything already queued for ingest is refused as well.
    expect(
      await tryPublish(broker.url, 'admin', 'wardmap/checkin/p-0004', {
        id: 'emb-inactive',
        location: loc,
        at,
      }),
    ).toBe(true);
    await sentinel(broker.url, 'emb-sentinel-inactive');
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'emb-inactive'`)).toBe(0);
  });

  it('drops a connection that sends a packet over the size limit; nothing is stored', async () => {
    const big = { id: 'emb-big', location: loc, at, note: 'x'.repeat(100 * 1024) };
    expect(await tryPublish(broker.url, 'admin', 'wardmap/checkin/p-0002', big)).toBe(false);
    await sentinel(broker.url, 'emb-sentinel-big');
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'emb-big'`)).toBe(0);
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM dead_letters WHERE topic LIKE '%p-0002%' AND payload_length > 65536`,
      ),
    ).toBe(0);
  });

  it('throttles MQTT CONNECT after repeated wrong passwords, the right one included', async () => {
    const connect = (password: string) =>
      mqtt.connectAsync(broker.url, {
        username: 'p-0005',
        password,
        clientId: 'p-0005-t',
        reconnectPeriod: 0,
      });
    for (let i = 0; i < 5; i++) await expect(connect(`wrong-${i}-pw`)).rejects.toThrow();
    await expect(connect(demo)).rejects.toThrow();
  });
});

// The real-broker run (MQTT_URL set, as CI's second pass): a private Mosquitto with the project's
// configuration and the generated files; ingest reads it as admin.
describe.skipIf(!process.env.MQTT_URL || !MOSQUITTO.find())(
  'Mosquitto with the generated passwd and ACL',
  () => {
    let mosq: MosquittoProcess;
    let mosqIngest: RunningIngest;
    beforeAll(async () => {
      mosq = await startMosquitto(await buildMosquittoFiles(db, { adminToken }));
      mosqIngest = await startIngest({
        db,
        mqttUrl: mosq.url,
        clientId: 'wardmap-ingest-sec-mosq',
        username: 'admin',
        password: adminToken,
      });
    });
    afterAll(async () => {
      await mosqIngest?.stop();
      await mosq?.stop();
    });

    topicImpersonations(() => mosq.url, 'mosq');

    it('refuses a packet over max_packet_size; nothing is stored', async () => {
      const big = { id: 'mosq-big', location: loc, at, note: 'x'.repeat(300 * 1024) };
      expect(await tryPublish(mosq.url, 'admin', 'wardmap/checkin/p-0002', big)).toBe(false);
      await sentinel(mosq.url, 'mosq-sentinel-big');
      expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'mosq-big'`)).toBe(0);
    });
  },
);
