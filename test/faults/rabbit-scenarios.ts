// The RabbitMQ rows of `npm run test:faults`: a private 3-node RabbitMQ 3.10 cluster on loopback
// (rabbit-cluster.ts), devices publishing MQTT QoS 1 to all three nodes (each publisher fails over
// to the next node), ingest workers consuming the quorum queues over AMQP
// (WARDMAP_INGEST_SOURCE=amqp). Faults: the node holding the queue leaders (and a third of the
// publishers and a worker's connection) is SIGKILLed and restarted; an ingest worker is SIGKILLed;
// another is retired (SIGTERM, not coming back). Pass: published == stored, every PUBACK stored,
// 0 duplicates.
//
// Plus one row that answers "does the MQTT plugin's PUBACK wait for the quorum queues' confirm?":
// a paced stream to one node that is SIGKILLed mid-stream, with no reconnect; every message
// acknowledged before the kill must be stored.
//
// Half the messages use the community form of the topic (`wardmap/community/<c>/checkin/<id>`,
// routed to the community's queue), half the classic form (hashed by device), so both routes of the
// topology are under the faults.
import type { Db } from '@wardmap/db';
import {
  errorRow,
  PEOPLE,
  type PublisherOptions,
  publishStream,
  type Row,
  rowOf,
  runRow,
  type Stream,
  settleStored,
  tally,
  untilPublished,
} from './common.ts';
import { type NodeProc, sleep, spawnNode } from './infra.ts';
import {
  type RabbitCluster,
  type RabbitNode,
  rabbitAvailable,
  startRabbitCluster,
} from './rabbit-cluster.ts';

export interface RabbitContext {
  dbUrl: string;
  db: Db;
  full: boolean;
  /** FAULTS_ONLY filter (substring of a scenario name, case-insensitive). */
  only?: string[] | undefined;
  /** Called with each row as it completes. */
  report?: (r: Row) => void;
}

const QUEUES = '4';

export const RABBIT_SCENARIOS = [
  'RabbitMQ node SIGKILL + restart',
  'RabbitMQ ingest worker SIGKILL',
  'RabbitMQ ingest worker retired',
  'RabbitMQ node + worker SIGKILL + retire',
  'RabbitMQ PUBACK after quorum confirm',
] as const;

export function wantsRabbit(only: string[] | undefined): boolean {
  return !only || RABBIT_SCENARIOS.some((n) => only.some((o) => n.toLowerCase().includes(o.toLowerCase())));
}

// ---------------------------------------------------------------------------------------------
// Publishers: one MQTT client per node, QoS 1, persistent session, failing over along the nodes.

/** Person -> community (their grid's) from the database, for the community form of the topics. */
let communityOf = new Map<string, string>();

function publish(
  nodes: RabbitNode[],
  tag: string,
  count: number,
  rate: number,
  settleMs: number,
  opts: { clients?: number; firstNode?: number; reconnect?: boolean; window?: number } = {},
): Promise<Stream> {
  const first = opts.firstNode ?? 0;
  const publishers: PublisherOptions[] = Array.from({ length: opts.clients ?? nodes.length }, (_, j) => ({
    // Client j starts at node first + j and, reconnecting, moves along the others in turn.
    ports: nodes.map((_, k) => (nodes[(first + j + k) % nodes.length] as RabbitNode).mqttPort),
    clientId: `faults-rmq-${tag}-${j}`,
    reconnect: opts.reconnect ?? true,
  }));
  return publishStream(publishers, tag, count, {
    rate,
    settleMs,
    topicOf: (i, person) => {
      const c = communityOf.get(person);
      return i % 2 === 0 && c ? `wardmap/community/${c}/checkin/${person}` : `wardmap/checkin/${person}`;
    },
    ...(opts.window !== undefined ? { window: opts.window } : {}),
  });
}

// ---------------------------------------------------------------------------------------------

export async function runRabbitScenarios(ctx: RabbitContext): Promise<Row[]> {
  const want = (name: string) =>
    !ctx.only || ctx.only.some((o) => name.toLowerCase().includes(o.toLowerCase()));
  const names = RABBIT_SCENARIOS.filter(want);
  if (names.length === 0) return [];
  const rows: Row[] = [];
  const push = (r: Row) => {
    rows.push(r);
    ctx.report?.(r);
  };
  if (!rabbitAvailable()) {
    // Loud, never a silent skip: the rows fail.
    for (const n of names)
      push(errorRow(n, 'rabbitmq-server is not installed (apt-get install rabbitmq-server)'));
    return rows;
  }

  communityOf = new Map(
    (
      await ctx.db.query<{ id: string; community: string }>(
        'SELECT p.id, g.community_id AS community FROM people p JOIN grids g ON g.id = p.grid_id',
      )
    ).rows.map((r) => [r.id, r.community]),
  );
  if (!PEOPLE.some((p) => communityOf.has(p)))
    throw new Error('no demo person with a community to publish as');
  const FULL = ctx.full;
  const N = FULL ? 30_000 : 3_000;
  const N_ALL = FULL ? 100_000 : 6_000;
  const RATE = FULL ? 3_000 : 1_000;
  const SETTLE_MS = FULL ? 240_000 : 90_000;
  const debug = !!process.env.FAULTS_DEBUG;

  const t0 = Date.now();
  const cluster: RabbitCluster = await startRabbitCluster({
    size: 3,
    ...(debug ? { log: console.log } : {}),
  });
  console.log(
    `\nprivate RabbitMQ cluster (3 nodes, ${cluster.nodes.map((n) => `${n.name} mqtt ${n.mqttPort}`).join(', ')}) formed in ${Math.round(cluster.startupMs / 1000)} s`,
  );
  const workers = new Set<NodeProc>();
  const worker = async (name: string, firstNode: number): Promise<NodeProc> => {
    const urls = cluster.nodes.map((_, k) => (cluster.nodes[(firstNode + k) % 3] as RabbitNode).amqpUrl);
    const w = spawnNode('ingest/src/main.ts', {
      DATABASE_URL: ctx.dbUrl,
      WARDMAP_INGEST_SOURCE: 'amqp',
      AMQP_URL: urls.join(','),
      WARDMAP_AMQP_QUEUES: QUEUES,
      WARDMAP_INGEST_CLIENT_ID: name,
    });
    workers.add(w);
    void w.exited().then(() => workers.delete(w));
    await w.waitFor(/\[ingest\] ready/, 120_000);
    return w;
  };
  const stopWorkers = async () => {
    for (const w of [...workers]) await w.kill('SIGTERM');
  };
  const dumpWorkers = (name: string) => {
    if (!debug) return;
    for (const w of workers) console.log(`\n--- ${name}: worker output ---\n${w.output().slice(-3000)}`);
  };
  // The node that leads most of ingest's quorum queues (node 1 at first: the first worker declares
  // them through it; after a restart of that node the leaders have moved).
  const leaderNode = async (): Promise<RabbitNode> => {
    const up = cluster.nodes.find((n) => n.running()) as RabbitNode;
    const votes = new Map<string, number>();
    try {
      const out = await cluster.ctl(up, ['list_queues', 'name', 'leader', '--formatter', 'json', '-q']);
      for (const q of JSON.parse(out) as { name: string; leader: string }[]) {
        if (q.name.startsWith('wardmap.ingest.')) votes.set(q.leader, (votes.get(q.leader) ?? 0) + 1);
      }
    } catch (err) {
      console.log(`(queue leaders not listed: ${(err as Error).message.slice(0, 200)}; killing node 1)`);
    }
    const top = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
    return cluster.nodes.find((n) => n.name === top) ?? (cluster.nodes[0] as RabbitNode);
  };
  const killAndRestart = async (node: RabbitNode, downMs: number): Promise<string> => {
    await node.kill('SIGKILL');
    await sleep(downMs);
    const r0 = Date.now();
    await node.start();
    return `${node.name.split('@')[0]} SIGKILLed, down ${Math.round(downMs / 1000)} s, restarted in ${Math.round((Date.now() - r0) / 1000)} s`;
  };

  const scenario = async (
    name: string,
    count: number,
    workerCount: number,
    fault: (s: Stream, ws: NodeProc[]) => Promise<string>,
  ): Promise<Row> => {
    const started = Date.now();
    const tag = `rmq-${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 24)}-${Date.now().toString(36)}`;
    const ws: NodeProc[] = [];
    for (let j = 0; j < workerCount; j++) ws.push(await worker(`faults-${tag}-w${j}`, j));
    const s = await publish(cluster.nodes, tag, count, RATE, SETTLE_MS);
    const extra = await fault(s, ws);
    await s.done;
    await settleStored(ctx.db, tag, count, SETTLE_MS);
    const t = await tally(ctx.db, tag);
    if (t.distinct < count) dumpWorkers(name);
    await s.close();
    await stopWorkers();
    return rowOf(
      name,
      s,
      t,
      started,
      t.distinct < count ? `${extra}; ${t.distinct} stored when the wait ran out` : extra,
    );
  };

  const runs: Record<string, () => Promise<Row>> = {
    'RabbitMQ node SIGKILL + restart': () =>
      scenario('RabbitMQ node SIGKILL + restart', N, 2, async (s) => {
        await untilPublished(s, N * 0.4);
        return killAndRestart(await leaderNode(), FULL ? 10_000 : 3_000);
      }),
    'RabbitMQ ingest worker SIGKILL': () =>
      scenario('RabbitMQ ingest worker SIGKILL', N, 2, async (s, ws) => {
        await untilPublished(s, N * 0.4);
        await (ws[0] as NodeProc).kill('SIGKILL');
        return 'worker 1 of 2 SIGKILLed, not restarted';
      }),
    'RabbitMQ ingest worker retired': () =>
      scenario('RabbitMQ ingest worker retired', N, 2, async (s, ws) => {
        await untilPublished(s, N * 0.4);
        await (ws[0] as NodeProc).kill('SIGTERM');
        return 'worker 1 of 2 retired (SIGTERM: drains, acknowledges, leaves)';
      }),
    'RabbitMQ node + worker SIGKILL + retire': () =>
      scenario('RabbitMQ node + worker SIGKILL + retire', N_ALL, 3, async (s, ws) => {
        await untilPublished(s, N_ALL * 0.25);
        const node = killAndRestart(await leaderNode(), FULL ? 10_000 : 3_000);
        await untilPublished(s, N_ALL * 0.5);
        await (ws[0] as NodeProc).kill('SIGKILL');
        await untilPublished(s, N_ALL * 0.7);
        await (ws[1] as NodeProc).kill('SIGTERM');
        return `${await node}; worker 1 of 3 SIGKILLed; worker 2 retired`;
      }),
    'RabbitMQ PUBACK after quorum confirm': async () => {
      // One publisher connection to the leaders' node, no reconnect, a paced stream (4,000/s) with a
      // window of 2,000 in flight; SIGKILL that node once a fifth is acknowledged, so the kill always
      // lands mid-stream (an unpaced burst was sometimes wholly confirmed before the kill on a quiet
      // machine, proving nothing). If the plugin sent PUBACK before the quorum queues confirmed (a
      // majority wrote it), some acknowledged messages would be lost.
      const name = 'RabbitMQ PUBACK after quorum confirm';
      const started = Date.now();
      const count = FULL ? 20_000 : 10_000;
      const tag = `rmq-puback-${Date.now().toString(36)}`;
      const leader = await leaderNode();
      // The worker consumes through another node.
      await worker(`faults-${tag}-w0`, leader.index % 3);
      const s = await publish(cluster.nodes, tag, count, 4_000, 5_000, {
        clients: 1,
        firstNode: leader.index - 1,
        reconnect: false,
        window: 2_000,
      });
      const waitUntil = Date.now() + 60_000;
      while (s.acked.size < count / 5 && Date.now() < waitUntil) await sleep(1);
      const ackedBefore = s.acked.size;
      await leader.kill('SIGKILL');
      const ackedAtKill = s.acked.size;
      await s.done;
      await leader.start();
      await settleStored(ctx.db, tag, ackedAtKill, SETTLE_MS);
      await sleep(3_000); // anything published but not acknowledged may still arrive
      const t = await tally(ctx.db, tag);
      await s.close();
      await stopWorkers();
      const r = rowOf(name, s, t, started);
      return {
        ...r,
        extra: `stream to the leaders' node, SIGKILLed at ${ackedBefore}-${ackedAtKill} PUBACKs of ${s.published}; pass = every PUBACK stored (unacknowledged may be lost)`,
        pass:
          r.lost === 0 && r.duplicates === 0 && r.acknowledged >= ackedBefore && r.acknowledged < r.published,
      };
    },
  };

  try {
    for (const n of names) {
      push(
        await runRow(n, runs[n] as () => Promise<Row>, async () => {
          dumpWorkers(n);
          for (const w of [...workers]) await w.kill('SIGKILL');
          for (const node of cluster.nodes) if (!node.running()) await node.start().catch(() => {});
        }),
      );
    }
  } finally {
    for (const w of [...workers]) await w.kill('SIGKILL');
    await cluster.destroy();
  }
  console.log(`RabbitMQ scenarios: ${Math.round((Date.now() - t0) / 1000)} s including the cluster's start`);
  return rows;
}
