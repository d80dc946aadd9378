// The RabbitMQ leg of `npm run bench:ingest`: the same ingest (in-process, same database) fed
// through a private 3-node RabbitMQ 3.10 cluster on loopback — the publisher process sends MQTT
// QoS 1 to node 1 (PUBACK after the quorum queues' confirm), ingest consumes the 4 quorum queues
// over AMQP and acknowledges after commit. Two runs, like the Mosquitto ones: max rate with the
// publisher on the same cores, and draining a backlog. BENCH_RABBIT=0 leaves the leg out.
import type { Db } from '@wardmap/db';
import { type BatchEntry, startIngest } from '@wardmap/ingest';
import amqp from 'amqplib';
import { declareAmqpTopology, startAmqpSource } from '../../ingest/src/source/amqp-source.ts';
import { rabbitAvailable, startRabbitCluster } from '../faults/rabbit-cluster.ts';

interface Tracker<R> {
  done: Promise<void>;
  watch(held: () => number): void;
  committed(ids: string[]): void;
  result(startedAt: number): R;
}

export interface RabbitLegDeps<R> {
  tracker(run: string, count: number, label: string): Tracker<R>;
  publish(url: string, run: string, count: number, rate: number): Promise<unknown>;
}

const ids = (entries: readonly BatchEntry[]) =>
  entries.map((e) => (e.decoded.ok && 'messageId' in e.decoded.item ? e.decoded.item.messageId : ''));

/** Runs the leg; resolves with its results, or with none (and a loud line) when RabbitMQ is absent. */
export async function runRabbitLeg<R>(db: Db, count: number, deps: RabbitLegDeps<R>): Promise<R[]> {
  if (process.env.BENCH_RABBIT === '0') return [];
  if (!rabbitAvailable()) {
    console.log(
      '\n!!! RabbitMQ leg NOT measured: rabbitmq-server is not installed (apt-get install rabbitmq-server)',
    );
    return [];
  }
  const cluster = await startRabbitCluster({ size: 3 });
  console.log(`\nRabbitMQ leg: private 3-node cluster formed in ${(cluster.startupMs / 1000).toFixed(1)} s`);
  const results: R[] = [];
  const node1 = cluster.nodes[0] as (typeof cluster.nodes)[0] & object;
  try {
    const leg = async (label: string, run: string, backlog: boolean): Promise<R> => {
      const name = `bench.${run}`;
      const t = deps.tracker(run, count, label);
      // Queues first: the MQTT plugin drops what no queue is bound for.
      const conn = await amqp.connect(node1.amqpUrl);
      await declareAmqpTopology(await conn.createChannel(), { name });
      await conn.close();
      const start = async () => {
        const ingest = await startIngest({ db, onCommit: (entries) => t.committed(ids(entries)) });
        const source = await startAmqpSource({
          urls: cluster.amqpUrls(),
          name,
          prefetch: 4000,
          onMessage: (topic, payload) => ingest.accept(topic, payload),
        });
        t.watch(() => ingest.stats().buffered);
        return { ingest, source };
      };
      let running: Awaited<ReturnType<typeof start>> | undefined;
      if (!backlog) running = await start();
      const published = Date.now();
      await deps.publish(node1.mqttUrl, run, count, 0);
      const started = backlog ? Date.now() : published;
      if (backlog) running = await start();
      await t.done;
      // Draining: latency is meaningless (the messages waited on purpose), as in the Mosquitto drain run.
      const r = backlog ? { ...t.result(started), p50: Number.NaN, p99: Number.NaN } : t.result(started);
      await running?.source.close();
      await running?.ingest.stop();
      return r;
    };
    results.push(
      await leg('via RabbitMQ (3 nodes, quorum): ingest, max rate', `rq${Date.now().toString(36)}`, false),
    );
    results.push(await leg('via RabbitMQ: draining a queue backlog', `rd${Date.now().toString(36)}`, true));
  } finally {
    await cluster.destroy();
  }
  return results;
}
