import amqp from 'amqplib';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { declareAmqpTopology } from '../../../ingest/src/source/amqp-source.ts';
import { type RabbitCluster, type RabbitNode, startRabbitCluster } from '../../faults/rabbit-cluster.ts';
import { describeRabbit } from '../support/programs.ts';

// Does the MQTT plugin's PUBACK (RabbitMQ 3.10) wait for the quorum queues' confirm? On a private
// 3-node cluster: a QoS 1 burst to the node that leads every queue, that node SIGKILLed once a
// quarter of the burst is acknowledged, no reconnect. Every acknowledged message must then be in
// the queues on the two surviving nodes (a majority had it before the PUBACK). No database: the
// queues are read back directly. rabbitmq-server must be installed; without it this fails.

let rabbit: RabbitCluster;

beforeAll(async () => {
  rabbit = await startRabbitCluster({ size: 3 });
  console.log(`3-node RabbitMQ cluster formed in ${(rabbit.startupMs / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(async () => {
  await rabbit?.destroy();
}, 60_000);

describeRabbit('MQTT PUBACK and quorum queues', () => {
  it('acknowledges a QoS 1 message only once a majority has it: none lost when the node dies', async () => {
    const [n1, n2] = rabbit.nodes as [RabbitNode, RabbitNode, RabbitNode];
    // Declared through node 1: its queues' leaders are there (client-local placement).
    const c1 = await amqp.connect(n1.amqpUrl);
    const { queues } = await declareAmqpTopology(await c1.createChannel(), { name: 'puback', queues: 4 });
    await c1.close();
    const leaders = JSON.parse(
      await rabbit.ctl(n1, ['list_queues', 'name', 'leader', '--formatter', 'json', '-q']),
    ) as { name: string; leader: string }[];
    expect(leaders.filter((q) => q.name.startsWith('puback.')).every((q) => q.leader === n1.name)).toBe(true);

    const pub = await mqtt.connectAsync(n1.mqttUrl, {
      clientId: 'puback-burst',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    pub.on('error', () => {});
    // A paced stream (3,000/s), not one burst: on a quiet machine a burst could be confirmed whole
    // before the kill lands, proving nothing. The kill comes once a fifth is acknowledged.
    const total = 6000;
    const acked = new Set<string>();
    let sent = 0;
    const publishing = (async () => {
      const t0 = Date.now();
      for (let i = 0; i < total; i++) {
        if (i % 50 === 0) {
          const due = t0 + (i / 3000) * 1000;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
          if (!pub.connected) break; // the node is gone: the rest is never published
        }
        const id = `m-${i}`;
        sent++;
        pub
          .publishAsync(
            `wardmap/checkin/p-${String(2 + (i % 40)).padStart(4, '0')}`,
            JSON.stringify({ id }),
            {
              qos: 1,
            },
          )
          .then(
            () => acked.add(id),
            () => {},
          );
      }
    })();
    const waitUntil = Date.now() + 60_000;
    while (acked.size < total / 5 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 1));
    const before = acked.size;
    await n1.kill('SIGKILL');
    const atKill = acked.size;
    await publishing;
    console.log(`node 1 SIGKILLed at ${before}-${atKill} PUBACKs; ${sent} of ${total} sent`);
    expect(before).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total);

    // Read every queue back through node 2 (new leaders are elected among nodes 2 and 3).
    // A get while the election runs fails (even closing the connection): open a new one and retry.
    const stored = new Set<string>();
    const deadline = Date.now() + 90_000;
    for (const q of queues) {
      for (;;) {
        const conn = await amqp.connect(n2.amqpUrl);
        conn.on('error', () => {});
        try {
          const ch = await conn.createChannel();
          ch.on('error', () => {});
          for (;;) {
            const m = await ch.get(q, { noAck: true });
            if (!m) break;
            stored.add((JSON.parse(m.content.toString()) as { id: string }).id);
          }
          await conn.close();
          break;
        } catch (err) {
          await conn.close().catch(() => {});
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
    const lost = [...acked].filter((id) => !stored.has(id));
    console.log(
      `acknowledged ${acked.size}, in the surviving queues ${stored.size}, acknowledged but missing ${lost.length}`,
    );
    expect(lost).toEqual([]);
  }, 240_000);
});
