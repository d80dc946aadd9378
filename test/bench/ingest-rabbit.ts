// The RabbitMQ leg of `npm run bench:ingest`: the same ingest (in-process, same database) fed
// through a private 3-node RabbitMQ 3.10 cluster on loopback — the publisher process sends MQTT
// QoS 1 to node 1 (PUBACK after the quorum queues' confirm), ingest consumes the 4 quorum queues
// over AMQP and acknowledges after commit. Three runs: max rate with the publisher on the same
// cores and draining a backlog, like the Mosquitto ones, and draining the same backlog published in
// the community form of the topics (each community bound to one queue, batches cut by queue), with
// the communities per batch of both drains. BENCH_RABBIT=0 leaves the leg out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@wardmap/db';
import { type BatchEntry, startIngest } from '@wardmap/ingest';
import amqp from 'amqplib';
import { amqpSource, bindCommunities, declareAmqpTopology } from '../../ingest/src/source/amqp-source.ts';
import { rabbitAvailable, startRabbitCluster } from '../faults/rabbit-cluster.ts';

interface Tracker<R extends { communitiesPerBatch?: number }> {
  done: Promise<void>;
  watch(held: () => number): void;
  committed(ids: string[]): void;
  result(startedAt: number): R;
}

export interface RabbitLegDeps<R extends { communitiesPerBatch?: number }> {
  tracker(run: string, count: number, label: string): Tracker<R>;
  publish(url: string, run: string, count: number, rate: number, communityFile?: string): Promise<unknown>;
}

const ids = (entries: readonly BatchEntry[]) =>
  entries.map((e) => (e.decoded.ok && 'messageId' in e.decoded.item ? e.decoded.item.messageId : ''));

/** Runs the leg; resolves with its results, or with none (and a loud line) when RabbitMQ is absent. */
export async function runRabbitLeg<R extends { communitiesPerBatch?: number }>(
  db: Db,
  count: number,
  deps: RabbitLegDeps<R>,
): Promise<R[]> {
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
  // The bench's people and their communities, for the community form of the topics.
  const people = (
    await db.query<{ id: string; community: string }>(
      'SELECT p.id, g.community_id AS community FROM people p JOIN grids g ON g.id = p.grid_id',
    )
  ).rows;
  const communities = [...new Set(people.map((p) => p.community))].sort();
  const dir = mkdtempSync(join(tmpdir(), 'wardmap-bench-rabbit-'));
  const communityFile = join(dir, 'communities.json');
  writeFileSync(communityFile, JSON.stringify(Object.fromEntries(people.map((p) => [p.id, p.community]))));
  try {
    const leg = async (label: string, run: string, backlog: boolean, byCommunity = false): Promise<R> => {
      const name = `bench.${run}`;
      const t = deps.tracker(run, count, label);
      const opts = { urls: cluster.amqpUrls(), name, prefetch: 4000, communities: async () => communities };
      // Queues (and community bindings) first: the MQTT plugin drops what no queue is bound for.
      const conn = await amqp.connect(node1.amqpUrl);
      const ch = await conn.createChannel();
      await bindCommunities(ch, await declareAmqpTopology(ch, opts), communities);
      await conn.close();
      const start = () =>
        startIngest({ db, source: amqpSource(opts), onCommit: (entries) => t.committed(ids(entries)) });
      let ingest: Awaited<ReturnType<typeof start>> | undefined;
      if (!backlog) ingest = await start();
      const published = Date.now();
      await deps.publish(node1.mqttUrl, run, count, 0, byCommunity ? communityFile : undefined);
      const started = backlog ? Date.now() : published;
      if (backlog) ingest = await start();
      const running = ingest as NonNullable<typeof ingest>;
      t.watch(() => running.stats().buffered);
      await t.done;
      // Draining: latency is meaningless (the messages waited on purpose), as in the Mosquitto drain run.
      const r = backlog ? { ...t.result(started), p50: Number.NaN, p99: Number.NaN } : t.result(started);
      await running.stop();
      const s = running.stats();
      return { ...r, communitiesPerBatch: s.batches ? s.batchCommunities / s.batches : Number.NaN };
    };
    results.push(
      await leg('via RabbitMQ (3 nodes, quorum): ingest, max rate', `rq${Date.now().toString(36)}`, false),
    );
    results.push(await leg('via RabbitMQ: draining a queue backlog', `rd${Date.now().toString(36)}`, true));
    results.push(
      await leg(
        'via RabbitMQ: draining a backlog, community topics',
        `rc${Date.now().toString(36)}`,
        true,
        true,
      ),
    );
  } finally {
    await cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
