import { manualClock } from '@wardmap/geo';
import { type RunningIngest, startIngest } from '@wardmap/ingest';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AmqpSource,
  amqpSource,
  bindCommunities,
  communityQueue,
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
    // The community form: the community is what lies between `community` and the device topic.
    expect(routingKeyToMqttTopic('wardmap.community.c-1.checkin.p.1')).toBe(
      'wardmap/community/c-1/checkin/p.1',
    );
    expect(routingKeyToMqttTopic('wardmap.community.c.x.camera.cam.1.alert')).toBe(
      'wardmap/community/c.x/camera/cam.1/alert',
    );
    expect(routingKeyToMqttTopic('t1.wardmap.community.c.river.s.report', 't1/')).toBe(
      't1/wardmap/community/c/river/s/report',
    );
  });
});

describe('communityQueue', () => {
  it('is stable, uses every queue, and moves few communities when a queue is added', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `community-${i}`);
    const four = ids.map((c) => communityQueue(c, 4));
    expect(ids.map((c) => communityQueue(c, 4))).toEqual(four);
    const per = [0, 0, 0, 0];
    for (const q of four) per[q] = (per[q] as number) + 1;
    // About 500 each (a hash, not a round robin).
    for (const n of per) expect(n).toBeGreaterThan(400);
    // Going to 5 queues moves about a fifth, and only into the new queue.
    const five = ids.map((c) => communityQueue(c, 5));
    const moved = five.filter((q, i) => q !== four[i]);
    expect(moved.length / ids.length).toBeGreaterThan(0.15);
    expect(moved.length / ids.length).toBeLessThan(0.25);
    expect(new Set(moved)).toEqual(new Set([4]));
    expect(communityQueue('x', 1)).toBe(0);
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
    const { queues } = await declareAmqpTopology(ch, { name: 'spread', queues: 4 });
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

  it("routes the community form of a topic to its community's queue, everything else by device, each message once", async () => {
    const conn = await amqp.connect(node().amqpUrl);
    closers.push(() => conn.close());
    const ch = await conn.createChannel();
    const topology = await declareAmqpTopology(ch, { name: 'bycommunity', queues: 4 });
    const communities = Array.from({ length: 8 }, (_, k) => `c-${k}`);
    await bindCommunities(ch, topology, communities);
    // 8 bound communities, one not bound (spread by device), and classic topics.
    await publishAll('bycommunity', 400, (i) => `wardmap/community/c-${i % 9}/checkin/${person(i)}`);
    await publishAll('bycommunity-classic', 40, (i) => `wardmap/checkin/${person(i)}`);
    const perQueue = new Map<string, string[]>();
    for (const q of topology.queues) {
      const info = await ch.checkQueue(q);
      const topics: string[] = [];
      for (let k = 0; k < info.messageCount; k++) {
        const m = await ch.get(q, { noAck: true });
        if (m) topics.push(routingKeyToMqttTopic(m.fields.routingKey));
      }
      perQueue.set(q, topics);
    }
    const all = [...perQueue.values()].flat();
    expect(all).toHaveLength(440);
    for (const c of communities) {
      const holding = topology.queues.filter((q) =>
        perQueue.get(q)?.some((t) => t.startsWith(`wardmap/community/${c}/`)),
      );
      expect(holding).toEqual([topology.queues[communityQueue(c, 4)]]);
    }
    // The unbound community went through the consistent hash: by device, so over several queues.
    const unbound = topology.queues.filter((q) =>
      perQueue.get(q)?.some((t) => t.startsWith('wardmap/community/c-8/')),
    );
    expect(unbound.length).toBeGreaterThan(1);
    expect(all.filter((t) => t.startsWith('wardmap/checkin/'))).toHaveLength(40);
    // Growing to 5 queues: binding with `exclusive` (a worker's first bind) moves the communities
    // whose queue changed, and each community is again in exactly one queue.
    const five = await declareAmqpTopology(ch, { name: 'bycommunity', queues: 5 });
    await bindCommunities(ch, five, communities, { exclusive: true });
    expect(new Set(communities.map((c) => communityQueue(c, 5)))).not.toEqual(
      new Set(communities.map((c) => communityQueue(c, 4))),
    );
    await publishAll('bycommunity-five', 80, (i) => `wardmap/community/c-${i % 8}/checkin/${person(i)}`);
    let counted = 0;
    for (const [i, q] of five.queues.entries()) {
      const info = await ch.checkQueue(q);
      counted += info.messageCount;
      const expected = communities.filter((c) => communityQueue(c, 5) === i).length * 10;
      expect(info.messageCount).toBe(expected);
      await ch.purgeQueue(q);
    }
    expect(counted).toBe(80);
  });

  it('writes a backlog of community topics in batches of fewer communities than device-spread topics', async () => {
    const people = (
      await db.query<{ id: string; community: string }>(
        `SELECT p.id, g.community_id AS community FROM people p JOIN grids g ON g.id = p.grid_id
          WHERE p.active ORDER BY p.id`,
      )
    ).rows;
    const communities = [...new Set(people.map((p) => p.community))];
    expect(communities.length).toBeGreaterThan(4);
    const total = 4000;
    const perBatch = async (name: string, topicOf: (p: { id: string; community: string }) => string) => {
      const opts = {
        urls: [node().amqpUrl],
        name,
        queues: 4,
        prefetch: 800,
        communities: async () => communities,
      };
      // The topology first, so the whole backlog waits in the queues before a worker starts.
      const conn = await amqp.connect(node().amqpUrl);
      const ch = await conn.createChannel();
      await bindCommunities(ch, await declareAmqpTopology(ch, opts), communities);
      await conn.close();
      await publishAll(name, total, (i) => topicOf(people[i % people.length] as (typeof people)[0]));
      const w = await startIngest({ db, clock, source: amqpSource(opts), batch: { maxRows: 200 } });
      closers.push(() => w.stop());
      await eventually(async () => w.stats().stored >= total, 60_000);
      await w.stop();
      const s = w.stats();
      expect(s.stored).toBe(total);
      return s.batchCommunities / s.batches;
    };
    const byDevice = await perBatch('batches-device', (p) => `wardmap/checkin/${p.id}`);
    const byCommunity = await perBatch(
      'batches-community',
      (p) => `wardmap/community/${p.community}/checkin/${p.id}`,
    );
    console.log(
      `communities per batch (${communities.length} communities, 4 queues, batches of 200): ` +
        `by device ${byDevice.toFixed(2)}, by community ${byCommunity.toFixed(2)}`,
    );
    expect(byDevice).toBeGreaterThan(communities.length * 0.8);
    expect(byCommunity).toBeLessThan(byDevice * 0.6);
    expect(
      await count(db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'batches-community-%'`),
    ).toBe(total);
  }, 180_000);

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
