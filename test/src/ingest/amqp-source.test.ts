import { manualClock } from '@wardmap/geo';
import { type RunningIngest, startIngest } from '@wardmap/ingest';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AmqpSource,
  amqpSource,
  declareAmqpTopology,
  mqttFilterToBinding,
  mqttTopicToRoutingKey,
  routingKeyToMqttTopic,
  startAmqpSource,
} from '../../../ingest/src/source/amqp-source.ts';
import { type RabbitCluster, startRabbitCluster } from '../../faults/rabbit-cluster.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { describeRabbit } from '../support/programs.ts';
import { count, eventually } from './helpers.ts';

// The RabbitMQ ingest source against a real RabbitMQ 3.10 (one private node on loopback, started
// here; the fault suite runs the 3-node cluster): MQTT QoS 1 in, consistent-hash exchange, quorum
// queues, AMQP out, acknowledged after commit. Where rabbitmq-server is missing, the run's loud
// NOT RUN line says so (a failure with CI=true; .ci/run installs it).

describe('topic <-> routing key', () => {
  it('maps / to . as the MQTT plugin does, and rebuilds ids with dots on the way back', () => {
    expect(mqttTopicToRoutingKey('wardmap/checkin/p-0002')).toBe('wardmap.checkin.p-0002');
    expect(mqttTopicToRoutingKey('wardmap/checkin/a.b')).toBe('wardmap.checkin.a.b');
    expect(routingKeyToMqttTopic('wardmap.checkin.a.b')).toBe('wardmap/checkin/a.b');
    expect(routingKeyToMqttTopic('wardmap.camera.cam.1.alert')).toBe('wardmap/camera/cam.1/alert');
    expect(routingKeyToMqttTopic('wardmap.river.s.2.report')).toBe('wardmap/river/s.2/report');
    expect(routingKeyToMqttTopic('owntracks.u.phone.event')).toBe('owntracks/u/phone/event');
    expect(routingKeyToMqttTopic('t1.wardmap.checkin.p.1', 't1/')).toBe('t1/wardmap/checkin/p.1');
    expect(mqttFilterToBinding('owntracks/+/+/event')).toBe('owntracks.*.*.event');
    expect(mqttFilterToBinding('t1/wardmap/#')).toBe('t1.wardmap.#');
  });
});

let rabbit: RabbitCluster;
let db: TestDb;
const clock = manualClock(new Date('2024-07-01T08:00:00Z'));
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [rabbit, db] = await Promise.all([startRabbitCluster({ size: 1 }), openTestDb()]);
}, 240_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
  await rabbit?.destroy();
  await db?.dispose();
}, 60_000);

const node = () => rabbit.nodes[0] as NonNullable<RabbitCluster['nodes'][0]>;

async function publishAll(prefix: string, total: number, topicOf: (i: number) => string): Promise<void> {
  const c = await mqtt.connectAsync(node().mqttUrl, { clientId: `amqp-test-${prefix}`, protocolVersion: 4 });
  try {
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        c.publishAsync(
          topicOf(i),
          JSON.stringify({
            id: `${prefix}-${i}`,
            location: [121.6202 + (i % 50) * 0.0001, 29.7505],
            at: new Date(Date.UTC(2024, 6, 1, 7, 0, 0, i)).toISOString(),
          }),
          { qos: 1 },
        ),
      ),
    );
  } finally {
    await c.endAsync();
  }
}

const person = (i: number) => `p-${String(2 + (i % 40)).padStart(4, '0')}`;

describeRabbit('AMQP ingest source', () => {
  it('spreads MQTT publishes over the quorum queues by device, topics intact', async () => {
    const conn = await amqp.connect(node().amqpUrl);
    closers.push(() => conn.close());
    const ch = await conn.createChannel();
    const queues = await declareAmqpTopology(ch, { name: 'spread', queues: 4 });
    await publishAll('spread', 400, (i) => `wardmap/checkin/${person(i)}`);
    await publishAll('spread-dot', 1, () => 'wardmap/checkin/has.dot');
    const perQueue: Record<string, string[]> = {};
    for (const q of queues) {
      const info = await ch.checkQueue(q);
      perQueue[q] = [];
      for (let k = 0; k < info.messageCount; k++) {
        const m = await ch.get(q, { noAck: true });
        if (m) (perQueue[q] as string[]).push(routingKeyToMqttTopic(m.fields.routingKey));
      }
    }
    const all = Object.values(perQueue).flat();
    expect(all).toHaveLength(401);
    expect(all).toContain('wardmap/checkin/has.dot');
    // Every queue got a share, and each device's messages stay in one queue (in order there).
    for (const q of queues) expect((perQueue[q] as string[]).length).toBeGreaterThan(0);
    for (const p of new Set(all)) {
      expect(Object.values(perQueue).filter((ts) => ts.includes(p))).toHaveLength(1);
    }
    // The queues are quorum queues.
    const listed = await rabbit.ctl(node(), ['list_queues', 'name', 'type', '--formatter', 'json', '-q']);
    for (const q of JSON.parse(listed) as { name: string; type: string }[]) {
      if (q.name.startsWith('spread.')) expect(q.type).toBe('quorum');
    }
  });

  it('stores every message once with two workers, one of them dying with messages unacknowledged', async () => {
    const workers: { ingest: RunningIngest; source: AmqpSource }[] = [];
    let hangA = false;
    for (const name of ['a', 'b']) {
      const ingest = await startIngest({ db, clock, batch: { maxRows: 100 } });
      const source = await startAmqpSource({
        urls: [node().amqpUrl],
        name: 'crash',
        queues: 4,
        prefetch: 200,
        // Worker a stops committing at some point (a hung or dying process): what it holds is never acknowledged.
        onMessage: (topic, payload) =>
          name === 'a' && hangA ? new Promise<void>(() => {}) : ingest.accept(topic, payload),
      });
      workers.push({ ingest, source });
      closers.push(
        () => source.close(1_000),
        () => ingest.stop(),
      );
    }
    const total = 3000;
    const publishing = publishAll('crash', total, (i) => `wardmap/checkin/${person(i)}`);
    await eventually(async () => workers[0]!.source.stats().acked > 200, 30_000);
    hangA = true;
    await eventually(
      async () => workers[0]!.source.stats().received - workers[0]!.source.stats().acked > 0,
      30_000,
    );
    // a goes away without acknowledging what it holds: those messages go back to the queues for b.
    await workers[0]!.source.close(0);
    await publishing;
    await eventually(
      async () =>
        (await count(
          db,
          `SELECT count(DISTINCT message_id) AS n FROM checkins WHERE message_id LIKE 'crash-%'`,
        )) === total,
      60_000,
    );
    expect(await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'crash-%'`)).toBe(total);
    expect(workers[1]!.source.stats().redelivered).toBeGreaterThan(0);
    // Every topology bound to amq.topic gets a copy of every message: this one's workers go now.
    for (const w of workers) {
      await w.source.close(1_000);
      await w.ingest.stop();
    }
  }, 120_000);

  it('plugs into startIngest as an IngestSource; retire cancels, drains and leaves the rest queued', async () => {
    const opts = { urls: [node().amqpUrl], name: 'plug', queues: 2, prefetch: 100 };
    const a = await startIngest({ db, clock, source: amqpSource(opts), batch: { maxRows: 50 } });
    closers.push(() => a.stop());
    const total = 1000;
    await publishAll('plug', total, (i) => `wardmap/checkin/${person(i)}`);
    await eventually(async () => a.stats().stored > 0, 30_000);
    await a.retire({ quietMs: 300 });
    const afterRetire = a.stats().stored;
    // Nothing the retired worker took is left unacknowledged; a second worker takes the rest.
    const b = await startIngest({ db, clock, source: amqpSource(opts), batch: { maxRows: 50 } });
    closers.push(() => b.stop());
    await eventually(
      async () =>
        (await count(
          db,
          `SELECT count(DISTINCT message_id) AS n FROM checkins WHERE message_id LIKE 'plug-%'`,
        )) === total,
      60_000,
    );
    expect(afterRetire + b.stats().stored).toBe(total);
    expect(a.stats().duplicates + b.stats().duplicates).toBe(0);
  }, 120_000);
});
