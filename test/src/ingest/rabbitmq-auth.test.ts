import { manualClock } from '@wardmap/geo';
import { type RunningIngest, startIngest } from '@wardmap/ingest';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RabbitAuthServer,
  rabbitAuthDecider,
  startRabbitAuthServer,
} from '../../../ingest/src/broker/rabbitmq-auth.ts';
import { amqpSource } from '../../../ingest/src/source/amqp-source.ts';
import { type RabbitCluster, startRabbitCluster } from '../../faults/rabbit-cluster.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { describeRabbit } from '../support/programs.ts';
import { count, eventually } from './helpers.ts';

// Device identities on RabbitMQ: the answers of RabbitMQ's HTTP auth backend come from the same
// people table and ACL as the embedded broker and the Mosquitto files. First the answers alone,
// then a real RabbitMQ 3.10 node (rabbitmq_auth_backend_http) asking them for MQTT devices.

let db: TestDb;
const adminToken = 'rabbit-auth-admin-token';
const closers: (() => Promise<unknown>)[] = [];
let chief: { id: string; segment: string };

beforeAll(async () => {
  db = await openTestDb();
  const r = await db.query<{ chief_id: string; id: string }>(
    'SELECT chief_id, id FROM river_segments WHERE chief_id IS NOT NULL ORDER BY id LIMIT 1',
  );
  chief = { id: r.rows[0]?.chief_id as string, segment: r.rows[0]?.id as string };
}, 60_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
  await db?.dispose();
}, 60_000);

const q = (params: Record<string, string>) => new URLSearchParams(params);

describe('RabbitMQ HTTP auth backend answers', () => {
  it('authenticates people and admin by password, refusing wrong ones and foreign client ids', async () => {
    const auth = rabbitAuthDecider({ db, adminToken });
    expect(await auth.answer('user', q({ username: 'p-0002', password: 'wardmap-demo' }))).toBe('allow');
    expect(await auth.answer('user', q({ username: 'p-0002', password: 'wrong' }))).toBe('deny');
    expect(await auth.answer('user', q({ username: 'nobody', password: 'wardmap-demo' }))).toBe('deny');
    expect(await auth.answer('user', q({ username: 'admin', password: adminToken }))).toBe('allow');
    expect(await auth.answer('user', q({ username: 'admin', password: 'x' }))).toBe('deny');
    expect(
      await auth.answer(
        'user',
        q({ username: 'p-0002', password: 'wardmap-demo', client_id: 'p-0002-phone' }),
      ),
    ).toBe('allow');
    expect(
      await auth.answer('user', q({ username: 'p-0002', password: 'wardmap-demo', client_id: 'p-0003' })),
    ).toBe('deny');
  });

  it('throttles repeated wrong passwords for a name', async () => {
    const auth = rabbitAuthDecider({ db });
    for (let i = 0; i < 6; i++) await auth.answer('user', q({ username: 'p-0009', password: `bad-${i}` }));
    // Even the right password is refused while the name is held back.
    expect(await auth.answer('user', q({ username: 'p-0009', password: 'wardmap-demo' }))).toBe('deny');
  });

  it('lets a person publish only its own topics (either form), and a chief its own segment', async () => {
    const auth = rabbitAuthDecider({ db, adminToken });
    const topic = (username: string, routing_key: string, permission = 'write') =>
      auth.answer(
        'topic',
        q({ username, vhost: '/', resource: 'topic', name: 'amq.topic', permission, routing_key }),
      );
    expect(await topic('p-0002', 'wardmap.checkin.p-0002')).toBe('allow');
    expect(await topic('p-0002', 'wardmap.community.c-any.checkin.p-0002')).toBe('allow');
    expect(await topic('p-0002', 'wardmap.checkin.p-0003')).toBe('deny');
    expect(await topic('p-0002', 'wardmap.community.c-any.checkin.p-0003')).toBe('deny');
    expect(await topic('p-0002', 'owntracks.p-0002.phone')).toBe('allow');
    expect(await topic('p-0002', 'frigate.events')).toBe('deny');
    expect(await topic(chief.id, `wardmap.river.${chief.segment}.report`)).toBe('allow');
    expect(await topic('p-0002', `wardmap.river.${chief.segment}.report`)).toBe('deny');
    // Subscribing (read): a person only its own topics.
    expect(await topic('p-0002', 'owntracks.p-0002.#', 'read')).toBe('allow');
    expect(await topic('p-0002', 'wardmap.#', 'read')).toBe('deny');
    expect(await topic('admin', 'wardmap.#', 'read')).toBe('allow');
    // Unknown names and other exchanges: no.
    expect(await topic('nobody', 'wardmap.checkin.nobody')).toBe('deny');
    expect(
      await auth.answer(
        'topic',
        q({
          username: 'p-0002',
          vhost: '/',
          resource: 'topic',
          name: 'other',
          permission: 'write',
          routing_key: 'wardmap.checkin.p-0002',
        }),
      ),
    ).toBe('deny');
  });

  it('allows publishing to amq.topic and a person its own subscription queues, nothing else', async () => {
    const auth = rabbitAuthDecider({ db, adminToken });
    const res = (username: string, resource: string, name: string, permission: string) =>
      auth.answer('resource', q({ username, vhost: '/', resource, name, permission }));
    expect(await res('p-0002', 'exchange', 'amq.topic', 'write')).toBe('allow');
    expect(await res('p-0002', 'exchange', 'amq.topic', 'configure')).toBe('deny');
    expect(await res('p-0002', 'exchange', 'wardmap.ingest.route', 'write')).toBe('deny');
    expect(await res('p-0002', 'queue', 'mqtt-subscription-p-0002-phoneqos1', 'configure')).toBe('allow');
    expect(await res('p-0002', 'queue', 'mqtt-subscription-p-0003qos1', 'read')).toBe('deny');
    expect(await res('p-0002', 'queue', 'wardmap.ingest.q0', 'read')).toBe('deny');
    expect(await auth.answer('vhost', q({ username: 'p-0002', vhost: '/' }))).toBe('allow');
    expect(await auth.answer('vhost', q({ username: 'p-0002', vhost: 'other' }))).toBe('deny');
    expect(await auth.answer('vhost', q({ username: 'nobody', vhost: '/' }))).toBe('deny');
  });
});

let rabbit: RabbitCluster;
let authServer: RabbitAuthServer;
let ingest: RunningIngest;
const clock = manualClock(new Date('2024-07-01T08:00:00Z'));

describeRabbit('RabbitMQ asking Wardmap who a device is', () => {
  beforeAll(async () => {
    authServer = await startRabbitAuthServer({ db, adminToken });
    closers.push(() => authServer.close());
    rabbit = await startRabbitCluster({
      size: 1,
      plugins: ['rabbitmq_auth_backend_http'],
      config: ['mqtt.allow_anonymous = false', ...authServer.config()],
    });
    closers.push(() => rabbit.destroy());
    const node = rabbit.nodes[0] as NonNullable<RabbitCluster['nodes'][0]>;
    // Ingest consumes as RabbitMQ's internal guest user (internal is asked first).
    ingest = await startIngest({
      db,
      clock,
      source: amqpSource({ urls: [node.amqpUrl], name: 'auth', queues: 2 }),
    });
    closers.push(() => ingest.stop());
  }, 240_000);

  const connect = (username: string, password: string, clientId = `${username}-phone`) =>
    mqtt.connectAsync(rabbit.nodes[0]?.mqttUrl as string, {
      username,
      password,
      clientId,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
  const body = (id: string) =>
    JSON.stringify({ id, location: [121.6202, 29.7505], at: '2024-07-01T07:59:00.000Z' });
  const stored = (id: string) => count(db, `SELECT count(*) AS n FROM checkins WHERE message_id = '${id}'`);

  it("stores a patroller's own check-in and drops the connection of one publishing as another", async () => {
    const phone = await connect('p-0002', 'wardmap-demo');
    await phone.publishAsync('wardmap/checkin/p-0002', body('rabbit-auth-own'), { qos: 1 });
    await phone.publishAsync('wardmap/community/c-any/checkin/p-0002', body('rabbit-auth-own-c'), { qos: 1 });
    await eventually(
      async () => (await stored('rabbit-auth-own')) === 1 && (await stored('rabbit-auth-own-c')) === 1,
      30_000,
    );

    // Publishing on someone else's topic: RabbitMQ's MQTT plugin refuses and closes the connection.
    const closed = new Promise<void>((resolve) => phone.once('close', () => resolve()));
    phone.publish('wardmap/checkin/p-0003', body('rabbit-auth-forged'), { qos: 1 });
    await closed;
    // The admin's check-in after it, on the same queues: once it is stored, the forged one would be too.
    const admin = await connect('admin', adminToken, 'wardmap-api-test');
    await admin.publishAsync('wardmap/checkin/p-0004', body('rabbit-auth-admin'), { qos: 1 });
    await eventually(async () => (await stored('rabbit-auth-admin')) === 1, 30_000);
    expect(await stored('rabbit-auth-forged')).toBe(0);
    await admin.endAsync();
    phone.end(true);
  }, 90_000);

  it('refuses a wrong password and a client id that belongs to someone else', async () => {
    await expect(connect('p-0002', 'wrong-password')).rejects.toThrow(
      /Bad username or password|Not authorized|refused/i,
    );
    await expect(connect('p-0002', 'wardmap-demo', 'p-0003-phone')).rejects.toThrow(
      /Bad username or password|Not authorized|refused|identifier/i,
    );
  }, 60_000);
});
